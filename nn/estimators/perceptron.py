"""``Perceptron``: Rosenblatt's learning rule on the binary step activation."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

import numpy as np

from .._rng import as_generator
from .base import (
    BaseEstimator,
    LinearClassifierMixin,
    check_array,
    check_choice,
    check_classification_targets,
    check_consistent_length,
    check_finite_weights,
    check_labels,
    check_number,
    check_random_state,
    check_sample_weight,
    class_weights,
)


class Perceptron(LinearClassifierMixin, BaseEstimator):
    """Rosenblatt's perceptron, scikit-learn's interface (one-vs-rest for more than two classes).

    The unit fires ``step(w·x + b)`` (1 where the sum is >= 0, as ``nn.Step``). Samples are
    visited one at a time (in a new random order each epoch if ``shuffle``) and every mistake
    moves the weights by Rosenblatt's rule ``w += eta0 * s * (target - output) * x`` (and ``b``
    by ``eta0 * s * (target - output)``), where ``s`` is the sample's ``sample_weight`` times its
    ``class_weight``. With a ``penalty``, every step also shrinks the weights (not the bias) as
    scikit-learn's SGD does: "l2" multiplies them by ``1 - eta0 * alpha``, "l1" moves each
    towards 0 by ``eta0 * alpha`` (stopping at 0), "elasticnet" does both in the proportion
    ``l1_ratio``. An epoch's loss is its fraction of mistakes; fitting stops after an epoch
    without mistakes (the data are separated) or, as scikit-learn, once the loss (with
    ``early_stopping``, the accuracy on a held-out ``validation_fraction``) has failed to
    improve by ``tol`` for ``n_iter_no_change`` epochs in a row (``tol=None`` disables that), or
    after ``max_iter`` epochs. ``fit`` starts from ``coef_init``/``intercept_init`` when given, from
    the previous fit with ``warm_start``, else from zeros; ``partial_fit`` runs one epoch
    (``classes=`` on its first call). Left out: ``n_jobs`` (the rule is sequential).

    Attributes after ``fit``: ``classes_``, ``coef_`` (1, d) or (k, d), ``intercept_``,
    ``n_iter_`` (epochs run), ``loss_curve_`` (mistake rate per epoch), ``t_`` (updates tried),
    ``n_features_in_`` and, for DataFrames, ``feature_names_in_``.

    >>> import nn
    >>> X, y = nn.data.blobs(n_per_blob=50, centers=((0, 4), (4, 0)), std=0.5, seed=0)
    >>> clf = nn.Perceptron(random_state=0).fit(X, y)
    >>> clf.score(X, y), clf.loss_curve_[-1]
    (1.0, 0.0)
    """

    def __init__(
        self,
        penalty: Any = None,
        alpha: float = 0.0001,
        l1_ratio: float = 0.15,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: Any = 1e-3,
        shuffle: bool = True,
        verbose: int = 0,
        eta0: float = 1.0,
        random_state: Any = 0,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 5,
        class_weight: Any = None,
        warm_start: bool = False,
    ) -> None:
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.eta0 = eta0
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start

    def _validate_params(self) -> None:
        where = "Perceptron"
        check_choice(where, "penalty", self.penalty, (None, "l2", "l1", "elasticnet"))
        check_number(where, "alpha", self.alpha, low=0, finite=True)
        check_number(where, "l1_ratio", self.l1_ratio, low=0, high=1)
        check_choice(where, "fit_intercept", self.fit_intercept, (True, False))
        check_number(where, "max_iter", self.max_iter, low=1, integer=True)
        if self.tol is not None:
            check_number(where, "tol", self.tol, low=0)
        check_choice(where, "shuffle", self.shuffle, (True, False))
        check_number(where, "verbose", int(self.verbose), low=0, integer=True)
        check_number(where, "eta0", self.eta0, low=0, low_open=True, finite=True)
        check_random_state(where, self.random_state)
        check_choice(where, "early_stopping", self.early_stopping, (True, False))
        check_number(where, "validation_fraction", self.validation_fraction, low=0, high=1, low_open=True)
        check_number(where, "n_iter_no_change", self.n_iter_no_change, low=1, integer=True)
        check_choice(where, "warm_start", self.warm_start, (True, False))

    def fit(
        self, X: Any, y: Any, coef_init: Any = None, intercept_init: Any = None, sample_weight: Any = None
    ) -> Perceptron:
        """Train on ``X`` (n, d) and class labels ``y`` (n,); returns ``self``."""
        return self._fit(X, y, None, sample_weight, coef_init, intercept_init, incremental=False)

    def partial_fit(self, X: Any, y: Any, classes: Any = None, sample_weight: Any = None) -> Perceptron:
        """One epoch over ``X``, ``y`` continuing the previous calls; ``classes`` (every label that
        will ever appear) is required on the first call. Returns ``self``."""
        return self._fit(X, y, classes, sample_weight, None, None, incremental=True)

    def _fit(
        self,
        X: Any,
        y: Any,
        classes: Any,
        sample_weight: Any,
        coef_init: Any,
        intercept_init: Any,
        incremental: bool,
    ) -> Perceptron:
        self._validate_params()
        method = "partial_fit" if incremental else "fit"
        where = f"Perceptron.{method}"
        first = not self.__sklearn_is_fitted__() or not incremental
        if first:
            X, state = self._check_fit_X(X, where)
        else:
            X, state = self._check_X(X, method), {}
        classes, labels = self._labels(y, where, first, incremental, classes)
        check_consistent_length(where, X, labels)
        n, d = X.shape
        s = (
            check_sample_weight(sample_weight, n, where)
            * class_weights(self.class_weight, classes, labels, where)[labels]
        )
        # One unit per class (one-vs-rest), all updated in the same pass over the samples.
        k = 1 if len(classes) == 2 else len(classes)
        W = self._initial_weights(first, d, k, classes, coef_init, intercept_init, where)
        targets = (labels[:, None] == (np.arange(k) + (1 if k == 1 else 0))).astype(np.float64)
        Xb = np.hstack([X, np.ones((n, 1))]) if self.fit_intercept else X
        rng = as_generator(self.random_state, where)
        val: Optional[np.ndarray] = None
        if self.early_stopping and not incremental:
            order = rng.permutation(n)
            n_val = int(np.ceil(self.validation_fraction * n))
            if n_val < 1 or n_val >= n:
                raise ValueError(
                    f"{where}: The validation set is too small (or leaves no training data). Adjust "
                    "'validation_fraction' or the size of your dataset."
                )
            val, train = order[:n_val], np.sort(order[n_val:])
        else:
            train = np.arange(n)
        losses: List[float] = [] if first else list(self.loss_curve_)
        epochs = self._epochs(W, Xb, targets, s, train, val, rng, losses, 1 if incremental else self.max_iter)
        check_finite_weights([W])
        state.update(self._coefficients(W, classes))
        previous_t = 0.0 if first else self.t_
        state.update(n_iter_=epochs, t_=previous_t + float(epochs * len(train)), loss_curve_=losses)
        self._swap_in(state)
        return self

    def _labels(
        self, y: Any, where: str, first: bool, incremental: bool, classes: Any
    ) -> Tuple[np.ndarray, np.ndarray]:
        if first and not incremental:
            return check_classification_targets(y, where)
        y = check_labels(y, where)
        if first:
            if classes is None:
                raise ValueError(f"{where}: classes must be passed on the first call to partial_fit.")
            classes = np.unique(check_labels(classes, where))
            if len(classes) < 2:
                raise ValueError(f"{where}: classes must hold at least 2 labels, got {classes.tolist()!r}")
        else:
            if classes is not None and not np.array_equal(np.unique(np.asarray(classes)), self.classes_):
                raise ValueError(
                    f"{where}: `classes={np.asarray(classes).tolist()!r}` is not the same as on the last call "
                    f"to partial_fit, was: {self.classes_.tolist()!r}"
                )
            classes = self.classes_
        unseen = np.setdiff1d(y, classes)
        if unseen.size:
            raise ValueError(
                f"{where}: `y` has classes not in `self.classes_`. `self.classes_` has {classes.tolist()!r}. "
                f"'y' has {np.unique(y).tolist()!r}."
            )
        return classes, np.searchsorted(classes, y)

    def _initial_weights(
        self,
        first: bool,
        d: int,
        k: int,
        classes: np.ndarray,
        coef_init: Any,
        intercept_init: Any,
        where: str,
    ) -> np.ndarray:
        """The starting weights (d [+ 1], k): a copy, so the fitted model is untouched until the swap."""
        W = np.zeros((d + 1 if self.fit_intercept else d, k))
        if not first or (
            self.warm_start
            and coef_init is None
            and hasattr(self, "coef_")
            and self.coef_.shape == (k, d)
            and np.array_equal(self.classes_, classes)
        ):
            W[:d] = self.coef_.T
            if self.fit_intercept:
                W[d] = self.intercept_
        if coef_init is not None:
            coef = (
                check_array(coef_init, where, name="coef_init", ensure_2d=False).reshape(-1, d)
                if np.size(coef_init) == k * d
                else None
            )
            if coef is None or coef.shape != (k, d):
                raise ValueError(
                    f"{where}: Provided coef_init does not match dataset: expected shape {(k, d)}, "
                    f"got {np.shape(coef_init)}."
                )
            W[:d] = coef.T
        if intercept_init is not None:
            intercept = np.asarray(intercept_init, dtype=np.float64).reshape(-1)
            if intercept.shape != (k,) or not np.isfinite(intercept).all():
                raise ValueError(
                    f"{where}: Provided intercept_init does not match dataset: expected {k} finite values, "
                    f"got {np.shape(intercept_init)}."
                )
            if self.fit_intercept:
                W[d] = intercept
        return W

    def _shrink(self, W: np.ndarray, d: int, eta: float) -> None:
        """One step of the penalty on the weights (rows :d), in place."""
        if self.penalty is None:
            return
        l1 = self.alpha * (
            1.0 if self.penalty == "l1" else self.l1_ratio if self.penalty == "elasticnet" else 0.0
        )
        l2 = self.alpha - l1 if self.penalty != "l1" else 0.0
        if l2:
            W[:d] *= max(0.0, 1.0 - eta * l2)
        if l1:
            W[:d] = np.sign(W[:d]) * np.maximum(np.abs(W[:d]) - eta * l1, 0.0)

    def _epochs(
        self,
        W: np.ndarray,
        Xb: np.ndarray,
        targets: np.ndarray,
        s: np.ndarray,
        train: np.ndarray,
        val: Optional[np.ndarray],
        rng: np.random.Generator,
        losses: List[float],
        max_epochs: int,
    ) -> int:
        """Rosenblatt's rule over ``train``, updating ``W`` in place; returns the epochs run."""
        eta = float(self.eta0)
        d = W.shape[0] - 1 if self.fit_intercept else W.shape[0]
        best, no_improvement = (-np.inf if val is not None else np.inf), 0
        for epoch in range(max_epochs):
            order = rng.permutation(train) if self.shuffle else train
            mistakes = 0
            # The rule is online (each update changes the next prediction), so this loop
            # is sequential by nature, unlike the MLP's mini-batches.
            for i in order.tolist():
                x = Xb[i]
                fired = (x @ W >= 0.0).astype(np.float64)
                error = targets[i] - fired
                if error.any():
                    mistakes += 1
                    if s[i]:
                        W += (eta * s[i]) * np.outer(x, error)
                self._shrink(W, d, eta)
            loss = mistakes / len(train)
            losses.append(loss)
            if self.verbose:
                print(f"-- Epoch {epoch + 1}: {mistakes} mistakes in {len(train)} samples")
            if val is not None:
                scores = Xb[val] @ W
                fired = scores >= 0.0 if W.shape[1] == 1 else scores == scores.max(axis=1, keepdims=True)
                score = float(
                    np.average((fired == (targets[val] > 0.5)).all(axis=1), weights=s[val] + 1e-300)
                )
            if mistakes == 0 and val is None:
                return epoch + 1
            if self.tol is not None:
                if val is not None:
                    no_improvement = no_improvement + 1 if score < best + self.tol else 0
                    best = max(best, score)
                else:
                    no_improvement = no_improvement + 1 if loss > best - self.tol else 0
                    best = min(best, loss)
                if no_improvement >= self.n_iter_no_change:
                    if self.verbose:
                        print(f"Convergence after {epoch + 1} epochs")
                    return epoch + 1
        return max_epochs

    def predict(self, X: Any) -> np.ndarray:
        """The class whose unit fires (the largest score for more than two classes)."""
        scores = self.decision_function(X)
        index = (scores >= 0).astype(np.intp) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]
