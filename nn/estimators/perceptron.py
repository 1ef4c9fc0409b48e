"""``Perceptron``: Rosenblatt's learning rule on the binary step activation."""

from __future__ import annotations

from typing import Any, List

import numpy as np

from .._rng import as_generator
from .base import (
    BaseEstimator,
    LinearClassifierMixin,
    check_array,
    check_choice,
    check_classification_targets,
    check_consistent_length,
    check_number,
    check_random_state,
)


class Perceptron(LinearClassifierMixin, BaseEstimator):
    """Rosenblatt's perceptron, scikit-learn's interface (one-vs-rest for more than two classes).

    The unit fires ``step(w·x + b)`` (1 where the sum is >= 0, as ``nn.Step``). Samples are
    visited one at a time (in a new random order each epoch if ``shuffle``) and every mistake
    moves the weights by Rosenblatt's rule ``w += eta0 * (target - output) * x`` (and ``b`` by
    ``eta0 * (target - output)``). An epoch's loss is its fraction of mistakes; fitting stops
    after an epoch without mistakes (the data are separated) or, as scikit-learn, once the loss
    has failed to improve by ``tol`` for ``n_iter_no_change`` epochs in a row (``tol=None``
    disables that), or after ``max_iter`` epochs.

    Attributes after ``fit``: ``classes_``, ``coef_`` (1, d) or (k, d), ``intercept_``,
    ``n_iter_`` (epochs run), ``loss_curve_`` (mistake rate per epoch), ``t_`` (updates tried).

    >>> import nn
    >>> X, y = nn.data.blobs(n_per_blob=50, centers=((0, 4), (4, 0)), std=0.5, seed=0)
    >>> clf = nn.Perceptron(random_state=0).fit(X, y)
    >>> clf.score(X, y), clf.loss_curve_[-1]
    (1.0, 0.0)
    """

    def __init__(
        self,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: Any = 1e-3,
        shuffle: bool = True,
        eta0: float = 1.0,
        random_state: Any = 0,
        n_iter_no_change: int = 5,
    ) -> None:
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.eta0 = eta0
        self.random_state = random_state
        self.n_iter_no_change = n_iter_no_change

    def _validate_params(self) -> None:
        where = "Perceptron"
        check_choice(where, "fit_intercept", self.fit_intercept, (True, False))
        check_number(where, "max_iter", self.max_iter, low=1, integer=True)
        if self.tol is not None:
            check_number(where, "tol", self.tol, low=0)
        check_choice(where, "shuffle", self.shuffle, (True, False))
        check_number(where, "eta0", self.eta0, low=0, low_open=True)
        check_random_state(where, self.random_state)
        check_number(where, "n_iter_no_change", self.n_iter_no_change, low=1, integer=True)

    def fit(self, X: Any, y: Any) -> Perceptron:
        """Train on ``X`` (n, d) and class labels ``y`` (n,); returns ``self``."""
        self._validate_params()
        where = "Perceptron.fit"
        X = check_array(X, where)
        classes, labels = check_classification_targets(y, where)
        check_consistent_length(where, X, labels)
        n, d = X.shape
        # One unit per class (one-vs-rest), all updated in the same pass over the samples.
        k = 1 if len(classes) == 2 else len(classes)
        targets = (labels[:, None] == (np.arange(k) + (1 if k == 1 else 0))).astype(np.float64)
        Xb = np.hstack([X, np.ones((n, 1))]) if self.fit_intercept else X
        W = np.zeros((Xb.shape[1], k))
        rng = as_generator(self.random_state, where)
        eta = float(self.eta0)
        losses: List[float] = []
        best, no_improvement = np.inf, 0
        for _epoch in range(self.max_iter):
            order = rng.permutation(n) if self.shuffle else np.arange(n)
            mistakes = 0
            # The rule is online (each update changes the next prediction), so this loop
            # is sequential by nature, unlike the MLP's mini-batches.
            for i in order.tolist():
                x = Xb[i]
                fired = (x @ W >= 0.0).astype(np.float64)
                error = targets[i] - fired
                if error.any():
                    W += eta * np.outer(x, error)
                    mistakes += 1
            loss = mistakes / n
            losses.append(loss)
            if mistakes == 0:
                break
            if self.tol is not None:
                no_improvement = no_improvement + 1 if loss > best - self.tol else 0
                best = min(best, loss)
                if no_improvement >= self.n_iter_no_change:
                    break
        self._set_coefficients(W, classes)
        self.n_iter_ = len(losses)
        self.t_ = float(len(losses) * n)
        self.loss_curve_ = losses
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The class whose unit fires (the largest score for more than two classes)."""
        scores = self.decision_function(X)
        index = (scores >= 0).astype(np.intp) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]
