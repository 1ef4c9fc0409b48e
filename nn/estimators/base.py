"""What every estimator shares: scikit-learn's parameter protocol and input validation.

``get_params`` / ``set_params`` / ``repr`` introspect ``__init__``'s signature, exactly as
``sklearn.base.BaseEstimator`` does, so ``sklearn.base.clone`` and grid searches work on our
estimators. Constructors only store their arguments; they are checked in ``fit``.

Validation errors are ``ValueError``s worded as scikit-learn words them, prefixed with the
estimator and method (``"LogisticRegression.fit: Input X contains NaN."``).
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ._sklearn import (
    ConvergenceWarning,
    DataConversionWarning,
    NotFittedError,
    TagsMixin,
    raised_class,
)

__all__ = ["ConvergenceWarning", "DataConversionWarning", "NotFittedError"]  # re-exported


class InvalidParameterError(ValueError, TypeError):
    """A constructor parameter has the wrong type or value (checked in ``fit``), as
    ``sklearn.utils._param_validation.InvalidParameterError`` (a ValueError and a TypeError)."""


class BaseEstimator(TagsMixin):
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

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "n_features_in_")

    def _check_is_fitted(self, method: str) -> None:
        if not hasattr(self, "n_features_in_"):
            raise raised_class(NotFittedError)(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with appropriate "
                f"arguments before using {method}."
            )

    def _check_X(self, X: Any, method: str) -> np.ndarray:
        """``X`` for a fitted estimator's ``method``: ``check_array``, the fitted feature count and,
        as scikit-learn, the fitted column names (other or reordered names are refused)."""
        self._check_is_fitted(method)
        name = type(self).__name__
        check_feature_names(X, getattr(self, "feature_names_in_", None), name)
        X = check_array(X, f"{name}.{method}")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{name}.{method}: X has {X.shape[1]} features, but {name} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return X

    def _check_fit_X(self, X: Any, where: str) -> Tuple[np.ndarray, Dict[str, Any]]:
        """``X`` for ``fit`` and the attributes it determines (``n_features_in_``, and
        ``feature_names_in_`` when ``X`` is a DataFrame with string column names)."""
        names = feature_names(X)
        X = check_array(X, where)
        state: Dict[str, Any] = {"n_features_in_": X.shape[1]}
        if names is not None:
            state["feature_names_in_"] = names
        return X, state

    def _swap_in(self, state: Dict[str, Any]) -> None:
        """Install a finished fit's attributes at once (a failed or interrupted fit never gets
        here, so the previous model stays whole). Attributes a fit may leave out are removed."""
        for name in ("feature_names_in_", "_optimizer"):
            if name not in state and hasattr(self, name):
                delattr(self, name)
        self.__dict__.update(state)


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
    """``score`` = mean accuracy of ``predict`` (weighted by ``sample_weight``)."""

    _estimator_type = "classifier"

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Mean accuracy of ``self.predict(X)`` against ``y``."""
        where = f"{type(self).__name__}.score"
        y = _as_1d(y, where)
        pred = self.predict(X)  # type: ignore[attr-defined]
        check_consistent_length(where, pred, y)
        w = check_sample_weight(sample_weight, len(y), where)
        return float(np.average(pred == y, weights=w))


class LinearClassifierMixin(ClassifierMixin):
    """Shared by the linear classifiers: coefficients from the stacked weights, and scores."""

    def _coefficients(self, W: np.ndarray, classes: np.ndarray) -> Dict[str, Any]:
        """``coef_`` (k, d), ``intercept_`` (k,) and ``classes_`` from weights of shape (d [+ 1], k)."""
        d = W.shape[0] - 1 if self.fit_intercept else W.shape[0]  # type: ignore[attr-defined]
        return {
            "classes_": classes,
            "coef_": np.ascontiguousarray(W[:d].T),
            "intercept_": W[d].copy() if self.fit_intercept else np.zeros(W.shape[1]),  # type: ignore[attr-defined]
        }

    def decision_function(self, X: Any) -> np.ndarray:
        """``X @ coef_.T + intercept_``: (n,) for two classes (positive favours ``classes_[1]``),
        (n, k) for more."""
        X = self._check_X(X, "decision_function")  # type: ignore[attr-defined]
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores


class RegressorMixin:
    """``score`` = coefficient of determination R² of ``predict`` (as scikit-learn)."""

    _estimator_type = "regressor"

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R² of ``self.predict(X)`` against ``y`` (averaged uniformly over outputs)."""
        where = f"{type(self).__name__}.score"
        y = check_array(y, where, name="y", ensure_2d=False)
        pred = np.asarray(self.predict(X), dtype=np.float64)  # type: ignore[attr-defined]
        check_consistent_length(where, pred, y)
        w = None if sample_weight is None else check_sample_weight(sample_weight, len(y), where)
        return r2_score(y, pred, w)


def r2_score(y: np.ndarray, pred: np.ndarray, weight: Optional[np.ndarray] = None) -> float:
    """R² averaged uniformly over outputs; a constant target scores 1 if predicted exactly and 0
    otherwise, as scikit-learn.

    >>> r2_score(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    0.5
    """
    w = np.ones(len(y)) if weight is None else weight
    w = w[:, None]
    y2, p2 = y.reshape(len(y), -1), pred.reshape(len(pred), -1)
    ss_res = (w * (y2 - p2) ** 2).sum(axis=0)
    ss_tot = (w * (y2 - np.average(y2, axis=0, weights=w[:, 0])) ** 2).sum(axis=0)
    constant = ss_tot == 0
    r2 = np.where(constant, (ss_res == 0).astype(np.float64), 1 - ss_res / np.where(constant, 1.0, ss_tot))
    return float(r2.mean())


# -- validation -------------------------------------------------------------------------------
def _is_sparse(X: Any) -> bool:
    # scipy.sparse matrices and arrays (and look-alikes), without importing scipy
    return type(X).__module__.startswith("scipy.sparse") or (hasattr(X, "tocsr") and hasattr(X, "nnz"))


def check_array(
    X: Any, where: str, name: str = "X", ensure_2d: bool = True, allow_nd: bool = False
) -> np.ndarray:
    """``X`` as a finite float64 array; sklearn's errors for sparse, complex and text input,
    NaN/inf, wrong dimensions and empty input.

    >>> check_array([[1, 2]], "demo").dtype
    dtype('float64')
    >>> check_array([1.0, 2.0], "demo")
    Traceback (most recent call last):
    ...
    ValueError: demo: Expected 2D array, got 1D array instead: shape (2,). Reshape your data either using array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it contains a single sample.
    """
    if X is None:
        if name == "y":
            raise ValueError(f"{where}: requires y to be passed, but the target y is None.")
        raise ValueError(f"{where}: Expected array-like (array or non-string sequence), got None for {name}.")
    if _is_sparse(X):
        raise TypeError(
            f"{where}: Sparse data was passed for {name} ({type(X).__name__}), but dense data is required. "
            "Use '.toarray()' to convert to a dense numpy array."
        )
    try:
        arr = np.asarray(X)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{where}: {name} could not be converted to an array ({err})") from None
    if arr.dtype.kind == "c":
        raise ValueError(f"{where}: Complex data not supported (dtype {arr.dtype} in {name}).")
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except TypeError as err:  # e.g. a dict in a cell: scikit-learn lets numpy's TypeError through
            raise TypeError(f"{where}: {name} must be numeric: {err}") from None
        except ValueError as err:
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


def feature_names(X: Any) -> Optional[np.ndarray]:
    """The column names of a DataFrame ``X`` as an object array when all are strings, else None
    (scikit-learn's rule; a mix of string and other names is a TypeError).

    >>> class Frame:  # what pandas and polars DataFrames have
    ...     columns = ["a", "b"]
    >>> feature_names(Frame()).tolist(), feature_names(np.zeros((1, 2)))
    (['a', 'b'], None)
    """
    columns = getattr(X, "columns", None)
    if columns is None or isinstance(X, np.ndarray):
        return None
    names = np.asarray(list(columns), dtype=object)
    if len(names) == 0:
        return None
    types = sorted({type(v).__qualname__ for v in names})
    if len(types) > 1 and "str" in types:
        raise TypeError(
            "Feature names are only supported if all input features have string names, but your input has "
            f"{types} as feature name / column name types. Convert them all to strings, e.g. with "
            "X.columns = X.columns.astype(str)."
        )
    return names if types == ["str"] else None


def check_feature_names(X: Any, fitted: Optional[np.ndarray], estimator: str) -> None:
    """Refuse ``X`` whose column names differ from (or are a reordering of) those seen in fit,
    and warn when only one of them has names, in scikit-learn's words."""
    names = feature_names(X)
    if fitted is None and names is None:
        return
    if fitted is None:
        warnings.warn(f"X has feature names, but {estimator} was fitted without feature names", stacklevel=4)
        return
    if names is None:
        warnings.warn(
            f"X does not have valid feature names, but {estimator} was fitted with feature names",
            stacklevel=4,
        )
        return
    if len(names) == len(fitted) and np.all(names == fitted):
        return
    message = "The feature names should match those that were passed during fit.\n"
    unseen, missing = sorted(set(names) - set(fitted)), sorted(set(fitted) - set(names))
    for title, group in (
        ("Feature names unseen at fit time:\n", unseen),
        ("Feature names seen at fit time, yet now missing:\n", missing),
    ):
        if group:
            message += title + "".join(f"- {n}\n" for n in group[:5]) + ("- ...\n" if len(group) > 5 else "")
    if not unseen and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def check_consistent_length(where: str, *arrays: Any) -> None:
    """Every array has the same number of rows, or sklearn's ValueError listing them."""
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(f"{where}: Found input variables with inconsistent numbers of samples: {lengths}")


def column_or_1d(y: np.ndarray, where: str) -> np.ndarray:
    """A column vector (n, 1) raveled to (n,) with scikit-learn's DataConversionWarning."""
    warnings.warn(
        raised_class(DataConversionWarning)(
            "A column-vector y was passed when a 1d array was expected. Please change the shape of y to "
            "(n_samples, ), for example using ravel()."
        ),
        stacklevel=5,
    )
    return y[:, 0]


def _as_1d(y: Any, where: str) -> np.ndarray:
    if y is None:
        raise ValueError(f"{where}: requires y to be passed, but the target y is None.")
    if _is_sparse(y):
        raise TypeError(f"{where}: Sparse data was passed for y, but dense data is required.")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, where)
    if y.ndim != 1:
        raise ValueError(f"{where}: y should be a 1d array, got an array of shape {y.shape} instead.")
    return y


def check_classification_targets(y: Any, where: str) -> Tuple[np.ndarray, np.ndarray]:
    """``(classes_, y_encoded)`` for class labels ``y`` (numbers, bools or strings).

    Continuous (non-integer float) targets, NaN and a single class raise ValueError.

    >>> check_classification_targets([1.0, 0.0, 1.0], "demo")
    (array([0., 1.]), array([1, 0, 1]))
    """
    y = check_labels(y, where)
    classes, encoded = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            f"{where}: This solver needs samples of at least 2 classes in the data, but the data contains "
            f"only one class: {classes.tolist()[0]!r}"
        )
    return classes, encoded.reshape(-1)


def check_labels(y: Any, where: str) -> np.ndarray:
    """``y`` as a 1-D array of class labels: continuous (non-integer float) targets, NaN/inf and
    mixed label types raise ValueError."""
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
    return y


def check_sample_weight(sample_weight: Any, n: int, where: str) -> np.ndarray:
    """``sample_weight`` as n non-negative finite float64 weights (None = ones, a number = that
    weight for every sample), worded as scikit-learn's ``_check_sample_weight``.

    >>> check_sample_weight(None, 3, "demo").tolist(), check_sample_weight(2, 2, "demo").tolist()
    ([1.0, 1.0, 1.0], [2.0, 2.0])
    """
    if sample_weight is None:
        return np.ones(n)
    if isinstance(sample_weight, numbers.Number) and not isinstance(sample_weight, bool):
        w = np.full(n, float(sample_weight))  # type: ignore[arg-type]
    else:
        w = check_array(sample_weight, where, name="sample_weight", ensure_2d=False).copy()
        if w.ndim != 1:
            raise ValueError(
                f"{where}: Sample weights must be 1D array or scalar, got {w.ndim}D array. Expected either a "
                f"scalar value or a 1D array of length {n}."
            )
        if w.shape != (n,):
            raise ValueError(f"{where}: sample_weight.shape == {w.shape}, expected {(n,)}!")
    if not np.isfinite(w).all():
        raise ValueError(f"{where}: Input sample_weight contains NaN or infinity.")
    if (w < 0).any():
        raise ValueError(f"{where}: Negative values in data passed to `sample_weight`.")
    if not w.any():
        raise ValueError(f"{where}: Sample weights must contain at least one non-zero number.")
    return w


def class_weights(class_weight: Any, classes: np.ndarray, labels: np.ndarray, where: str) -> np.ndarray:
    """One weight per class: ``None`` = ones, ``"balanced"`` = n / (n_classes * count), or a dict
    from label to weight (missing labels weigh 1), as scikit-learn's ``compute_class_weight``.

    >>> class_weights("balanced", np.array([0, 1]), np.array([0, 0, 0, 1]), "demo").tolist()
    [0.6666666666666666, 2.0]
    """
    if class_weight is None:
        return np.ones(len(classes))
    if isinstance(class_weight, str) and class_weight == "balanced":
        counts = np.bincount(labels, minlength=len(classes)).astype(np.float64)
        return len(labels) / (len(classes) * np.maximum(counts, 1.0))
    if not isinstance(class_weight, dict):
        raise InvalidParameterError(
            f"{where}: The 'class_weight' parameter must be a dict, 'balanced' or None. Got {class_weight!r} instead."
        )
    known = set(classes.tolist())
    unknown = [k for k in class_weight if k not in known]
    if unknown:
        raise ValueError(f"{where}: The classes, {unknown}, are not in class, {classes.tolist()!r}.")
    out = np.ones(len(classes))
    for i, label in enumerate(classes.tolist()):
        if label in class_weight:
            out[i] = check_number(where, f"class_weight[{label!r}]", class_weight[label], low=0)
    return out


def require_scipy_optimize(where: str) -> Any:
    """``scipy.optimize``, or an ImportError naming the extra that provides it."""
    try:
        import scipy.optimize
    except ImportError:
        raise ImportError(
            f"{where}: solver='lbfgs' uses scipy's L-BFGS-B, and scipy is not installed. Install the extra "
            "(pip install 'autograd-core[scipy]') or choose another solver."
        ) from None
    return scipy.optimize


def lbfgs_result(where: str, result: Any, max_iter: int) -> int:
    """The iteration count of a ``scipy.optimize.minimize`` result; a ConvergenceWarning, worded as
    scikit-learn's, when L-BFGS stopped without converging."""
    if result.status != 0:
        warnings.warn(
            raised_class(ConvergenceWarning)(
                f"{where}: lbfgs failed to converge after {result.nit} iteration(s) (status={result.status}): "
                f"{result.message}. Increase the number of iterations (max_iter={max_iter}) or scale the data."
            ),
            stacklevel=4,
        )
    return min(int(result.nit), max_iter)


def check_finite_weights(arrays: Any) -> None:
    """scikit-learn's refusal of a fit whose solver diverged."""
    if not all(np.isfinite(a).all() for a in arrays):
        raise ValueError(
            "Solver produced non-finite parameter weights. The input data may contain large values and need "
            "to be preprocessed."
        )


# -- parameter checks (done in fit, as scikit-learn's _validate_params) ---------------------------
def check_number(
    where: str,
    name: str,
    value: Any,
    low: float = -np.inf,
    high: float = np.inf,
    integer: bool = False,
    low_open: bool = False,
    finite: bool = False,
) -> Any:
    """``value`` if it is a real (or integer) number within [low, high], else sklearn's wording.
    ``finite`` also refuses infinity (a learning rate of inf would wreck the weights).

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
    if finite and not math.isfinite(value):
        raise InvalidParameterError(
            f"{where}: The {name!r} parameter must be a finite {kind[2:].strip()} in the range {interval}. "
            f"Got {value!r} instead."
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
