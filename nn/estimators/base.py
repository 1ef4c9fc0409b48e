"""What every estimator shares: scikit-learn's parameter protocol and input validation.

``get_params`` / ``set_params`` / ``repr`` introspect ``__init__``'s signature, exactly as
``sklearn.base.BaseEstimator`` does, so ``sklearn.base.clone`` and grid searches work on our
estimators. Constructors only store their arguments; they are checked in ``fit``.

Validation errors are ``ValueError``s worded as scikit-learn words them, prefixed with the
estimator and method (``"LogisticRegression.fit: Input X contains NaN."``).
"""

from __future__ import annotations

import inspect
import numbers
from typing import Any, Dict, List, Optional, Tuple

import numpy as np


class NotFittedError(ValueError, AttributeError):
    """Raised when ``predict`` (or any method needing a fit) is called before ``fit``,
    as ``sklearn.exceptions.NotFittedError`` (a ValueError and an AttributeError)."""


class InvalidParameterError(ValueError, TypeError):
    """A constructor parameter has the wrong type or value (checked in ``fit``), as
    ``sklearn.utils._param_validation.InvalidParameterError`` (a ValueError and a TypeError)."""


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at ``max_iter`` before converging (scikit-learn's warning)."""


class BaseEstimator:
    """Parameters from ``__init__``'s signature: ``get_params``, ``set_params``, ``repr``.

    >>> class Ridge(BaseEstimator):
    ...     def __init__(self, alpha=1.0, fit_intercept=True):
    ...         self.alpha = alpha
    ...         self.fit_intercept = fit_intercept
    >>> Ridge(alpha=0.5)
    Ridge(alpha=0.5)
    >>> Ridge().set_params(alpha=2).get_params()
    {'alpha': 2, 'fit_intercept': True}
    """

    @classmethod
    def _get_param_names(cls) -> List[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        params = list(inspect.signature(init).parameters.values())[1:]
        for p in params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise TypeError(
                    f"{cls.__name__}: estimators must list their parameters explicitly, not *{p.name}"
                )
        return sorted(p.name for p in params)

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """The constructor's parameters as a dict (nested estimators' as ``name__param`` if ``deep``)."""
        out: Dict[str, Any] = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> BaseEstimator:
        """Set parameters (``name__param`` reaches a nested estimator); returns ``self``.

        An unknown name raises ValueError listing the valid ones.
        """
        valid = self.get_params(deep=True)
        nested: Dict[str, Dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._get_param_names())!r}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        # Like scikit-learn's print_changed_only: show only what differs from the defaults.
        defaults = {
            name: p.default
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if p.default is not p.empty
        }
        changed = []
        for name in self._get_param_names():
            value = getattr(self, name)
            default = defaults.get(name, inspect.Parameter.empty)
            if not _same(value, default):
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def _check_is_fitted(self, method: str) -> None:
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with appropriate "
                f"arguments before using {method}."
            )


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return False
    try:
        return bool(type(a) is type(b) and a == b) or (
            isinstance(a, numbers.Number) and isinstance(b, numbers.Number) and a == b
        )
    except Exception:  # an exotic __eq__: treat as changed, it only affects repr
        return False


class ClassifierMixin:
    """``score`` = mean accuracy of ``predict``."""

    _estimator_type = "classifier"

    def score(self, X: Any, y: Any) -> float:
        """Mean accuracy of ``self.predict(X)`` against ``y``."""
        y = _as_1d(y, f"{type(self).__name__}.score")
        pred = self.predict(X)  # type: ignore[attr-defined]
        check_consistent_length(f"{type(self).__name__}.score", pred, y)
        return float(np.mean(pred == y))


class LinearClassifierMixin(ClassifierMixin):
    """Shared by the linear classifiers: coefficients from the stacked weights, and scores."""

    def _set_coefficients(self, W: np.ndarray, classes: np.ndarray) -> None:
        """Store ``coef_`` (k, d) and ``intercept_`` (k,) from weights of shape (d [+ 1], k)."""
        d = W.shape[0] - 1 if self.fit_intercept else W.shape[0]  # type: ignore[attr-defined]
        self.classes_ = classes
        self.coef_ = np.ascontiguousarray(W[:d].T)
        self.intercept_ = W[d].copy() if self.fit_intercept else np.zeros(W.shape[1])  # type: ignore[attr-defined]
        self.n_features_in_ = d

    def decision_function(self, X: Any) -> np.ndarray:
        """``X @ coef_.T + intercept_``: (n,) for two classes (positive favours ``classes_[1]``),
        (n, k) for more."""
        self._check_is_fitted("decision_function")  # type: ignore[attr-defined]
        X = check_features(X, self.n_features_in_, f"{type(self).__name__}.decision_function")
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores


class RegressorMixin:
    """``score`` = coefficient of determination R² of ``predict`` (as scikit-learn)."""

    _estimator_type = "regressor"

    def score(self, X: Any, y: Any) -> float:
        """R² of ``self.predict(X)`` against ``y`` (averaged uniformly over outputs)."""
        where = f"{type(self).__name__}.score"
        y = check_array(y, where, name="y", ensure_2d=False)
        pred = np.asarray(self.predict(X), dtype=np.float64)  # type: ignore[attr-defined]
        check_consistent_length(where, pred, y)
        y2, p2 = y.reshape(len(y), -1), pred.reshape(len(pred), -1)
        ss_res = ((y2 - p2) ** 2).sum(axis=0)
        ss_tot = ((y2 - y2.mean(axis=0)) ** 2).sum(axis=0)
        # A constant target scores 1 if predicted exactly and 0 otherwise, as scikit-learn.
        constant = ss_tot == 0
        r2 = np.where(
            constant, (ss_res == 0).astype(np.float64), 1 - ss_res / np.where(constant, 1.0, ss_tot)
        )
        return float(r2.mean())


# -- validation -------------------------------------------------------------------------------
def check_array(
    X: Any, where: str, name: str = "X", ensure_2d: bool = True, allow_nd: bool = False
) -> np.ndarray:
    """``X`` as a finite float64 array; sklearn's errors for text, NaN/inf, wrong dimensions
    and empty input.

    >>> check_array([[1, 2]], "demo").dtype
    dtype('float64')
    >>> check_array([1.0, 2.0], "demo")
    Traceback (most recent call last):
    ...
    ValueError: demo: Expected 2D array, got 1D array instead: shape (2,). Reshape your data either using array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it contains a single sample.
    """
    try:
        arr = np.asarray(X)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{where}: {name} could not be converted to an array ({err})") from None
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{where}: {name} must be numeric: {err}") from None
    if arr.dtype.kind not in "biuf":
        raise ValueError(
            f"{where}: {name} must be numeric, got dtype {arr.dtype} (e.g. {arr.ravel()[:1].tolist()!r}); "
            "encode text columns as numbers first"
        )
    arr = arr.astype(np.float64, copy=False)
    if ensure_2d:
        if arr.ndim < 2:
            raise ValueError(
                f"{where}: Expected 2D array, got {'scalar' if arr.ndim == 0 else '1D'} array instead: "
                f"shape {arr.shape}. Reshape your data either using array.reshape(-1, 1) if your data has a "
                "single feature or array.reshape(1, -1) if it contains a single sample."
            )
        if arr.ndim > 2 and not allow_nd:
            raise ValueError(
                f"{where}: Found array with dim {arr.ndim}, while dim <= 2 is required (shape {arr.shape})."
            )
        if arr.shape[1] == 0:
            raise ValueError(
                f"{where}: Found array with 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required."
            )
    elif arr.ndim == 0:
        raise ValueError(f"{where}: {name} must be an array, got the scalar {arr.item()!r}")
    if arr.shape[0] == 0:
        raise ValueError(
            f"{where}: Found array with 0 sample(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    if not np.isfinite(arr).all():
        if np.isnan(arr).any():
            raise ValueError(f"{where}: Input {name} contains NaN.")
        raise ValueError(
            f"{where}: Input {name} contains infinity or a value too large for dtype('float64')."
        )
    return arr


def check_consistent_length(where: str, *arrays: Any) -> None:
    """Every array has the same number of rows, or sklearn's ValueError listing them."""
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(f"{where}: Found input variables with inconsistent numbers of samples: {lengths}")


def _as_1d(y: Any, where: str) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]  # a column vector, as scikit-learn's column_or_1d accepts (it also warns)
    if y.ndim != 1:
        raise ValueError(f"{where}: y should be a 1d array, got an array of shape {y.shape} instead.")
    return y


def check_classification_targets(y: Any, where: str) -> Tuple[np.ndarray, np.ndarray]:
    """``(classes_, y_encoded)`` for class labels ``y`` (numbers, bools or strings).

    Continuous (non-integer float) targets, NaN and a single class raise ValueError.

    >>> check_classification_targets([1.0, 0.0, 1.0], "demo")
    (array([0., 1.]), array([1, 0, 1]))
    """
    y = _as_1d(y, where)
    if y.size == 0:
        raise ValueError(
            f"{where}: Found array with 0 sample(s) (shape={y.shape}) while a minimum of 1 is required."
        )
    if y.dtype.kind == "O":
        kinds = {type(v) for v in y.tolist()}
        if len(kinds) > 1:
            raise ValueError(
                f"{where}: y mixes label types {sorted(k.__name__ for k in kinds)}; use one type"
            )
    if y.dtype.kind in "fc":
        if not np.isfinite(y).all():
            raise ValueError(f"{where}: Input y contains {'NaN' if np.isnan(y).any() else 'infinity'}.")
        if np.any(y != np.round(y)):
            raise ValueError(
                f"{where}: Unknown label type: continuous. Maybe you are trying to fit a classifier, which "
                "expects discrete classes on a regression problem with continuous values."
            )
    classes, encoded = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            f"{where}: This solver needs samples of at least 2 classes in the data, but the data contains "
            f"only one class: {classes.tolist()[0]!r}"
        )
    return classes, encoded.reshape(-1)


def check_features(X: Any, n_features: int, where: str) -> np.ndarray:
    """``check_array`` plus the fitted feature count, worded as scikit-learn."""
    X = check_array(X, where)
    if X.shape[1] != n_features:
        raise ValueError(
            f"{where}: X has {X.shape[1]} features, but this estimator is expecting {n_features} features as input."
        )
    return X


# -- parameter checks (done in fit, as scikit-learn's _validate_params) ---------------------------
def check_number(
    where: str,
    name: str,
    value: Any,
    low: float = -np.inf,
    high: float = np.inf,
    integer: bool = False,
    low_open: bool = False,
) -> Any:
    """``value`` if it is a real (or integer) number within [low, high], else sklearn's wording.

    >>> check_number("demo", "C", -1.0, low=0, low_open=True)
    Traceback (most recent call last):
    ...
    nn.estimators.base.InvalidParameterError: demo: The 'C' parameter must be a float in the range (0, inf]. Got -1.0 instead.
    """
    kind = "an int" if integer else "a float"
    bracket = "(" if low_open else "["
    interval = f"{bracket}{low:g}, {high:g}]"
    ok_type = isinstance(value, numbers.Integral) if integer else isinstance(value, numbers.Real)
    if isinstance(value, bool) or not ok_type:
        raise InvalidParameterError(
            f"{where}: The {name!r} parameter must be {kind} in the range {interval}. Got {value!r} instead."
        )
    if np.isnan(value) or value < low or value > high or (low_open and value == low):
        raise InvalidParameterError(
            f"{where}: The {name!r} parameter must be {kind} in the range {interval}. Got {value!r} instead."
        )
    return value


def check_choice(where: str, name: str, value: Any, choices: Tuple[Any, ...]) -> Any:
    """``value`` if it is one of ``choices``, else a ValueError listing them."""
    if not any(value is c or (isinstance(value, str) and value == c) for c in choices):
        raise InvalidParameterError(
            f"{where}: The {name!r} parameter must be one of {list(choices)!r}. Got {value!r} instead."
        )
    return value


def check_random_state(where: str, value: Any) -> Optional[Any]:
    """``random_state`` may be None, a non-negative int or a numpy Generator."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise InvalidParameterError(
        f"{where}: The 'random_state' parameter must be None, a non-negative int or a numpy.random.Generator. "
        f"Got {value!r} instead."
    )
