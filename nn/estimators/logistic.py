"""``LogisticRegression`` fitted to its exact optimum by Newton-CG on autograd_core's gradients
and Hessian-vector products."""

from __future__ import annotations

from typing import Any, Callable, List

import numpy as np

import autograd_core as ag

from .base import (
    BaseEstimator,
    LinearClassifierMixin,
    check_array,
    check_choice,
    check_classification_targets,
    check_consistent_length,
    check_features,
    check_number,
    check_random_state,
)


def _conjugate_gradient(hvp: Callable[[np.ndarray], np.ndarray], g: np.ndarray, max_iter: int) -> np.ndarray:
    """Approximately solve ``H d = -g`` (truncated as in scikit-learn's newton-cg: stop once the
    residual is below ``min(0.5, sqrt(|g|_1)) |g|_1``, or on negative curvature)."""
    d = np.zeros_like(g)
    r = -g
    p = r.copy()
    rs = r @ r
    threshold = min(0.5, np.sqrt(np.abs(g).sum())) * np.abs(g).sum()
    for _ in range(max_iter):
        if np.abs(r).sum() <= threshold:
            break
        hp = hvp(p)
        curvature = p @ hp
        if curvature <= 1e-16 * rs:  # flat or negative direction: take what we have
            break
        step = rs / curvature
        d += step * p
        r -= step * hp
        rs_new = r @ r
        p = r + (rs_new / rs) * p
        rs = rs_new
    return d if d.any() else -g


class LogisticRegression(LinearClassifierMixin, BaseEstimator):
    """Logistic regression (multinomial softmax for more than two classes), scikit-learn's API.

    Minimises ``mean(log-loss) + ||coef||² / (2 C n)`` (``penalty="l2"``) or the plain mean
    log-loss (``penalty=None``) with a full-batch Newton-CG: gradients and Hessian-vector
    products come from ``autograd_core``; each Newton step is followed by a backtracking line
    search. Fitting stops when the largest gradient component is ``<= tol``. The optimum is
    deterministic, so ``random_state`` is accepted for compatibility and unused.

    Attributes after ``fit``: ``classes_``, ``coef_`` (1, d) or (k, d), ``intercept_``,
    ``n_iter_`` (array of one count, as scikit-learn), ``loss_curve_`` (objective per
    iteration), ``n_features_in_``.

    >>> import numpy as np
    >>> import nn
    >>> X, y = nn.data.blobs(n_per_blob=100, seed=0)
    >>> clf = nn.LogisticRegression(penalty=None).fit(X, y)
    >>> clf.predict([[0, 3], [3, 0]]).tolist()
    [0, 1]
    >>> clf.predict_proba([[0, 3]]).round(2).tolist()
    [[1.0, 0.0]]
    """

    def __init__(
        self,
        penalty: Any = "l2",
        C: float = 1.0,
        fit_intercept: bool = True,
        tol: float = 1e-4,
        max_iter: int = 100,
        random_state: Any = None,
    ) -> None:
        self.penalty = penalty
        self.C = C
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state

    def _validate_params(self) -> None:
        where = "LogisticRegression"
        check_choice(where, "penalty", self.penalty, ("l2", None))
        check_number(where, "C", self.C, low=0, low_open=True)
        check_choice(where, "fit_intercept", self.fit_intercept, (True, False))
        check_number(where, "tol", self.tol, low=0)
        check_number(where, "max_iter", self.max_iter, low=0, integer=True)
        check_random_state(where, self.random_state)

    def fit(self, X: Any, y: Any) -> LogisticRegression:
        """Fit to ``X`` (n, d) and class labels ``y`` (n,); returns ``self``."""
        self._validate_params()
        where = "LogisticRegression.fit"
        X = check_array(X, where)
        classes, labels = check_classification_targets(y, where)
        check_consistent_length(where, X, labels)
        n, d = X.shape
        k = 1 if len(classes) == 2 else len(classes)
        d1 = d + 1 if self.fit_intercept else d
        Xb = np.hstack([X, np.ones((n, 1))]) if self.fit_intercept else X
        reg = 1.0 / (self.C * n) if self.penalty == "l2" else 0.0
        mask = np.ones((d1, k))
        if self.fit_intercept:
            mask[-1] = 0.0  # the intercept is not penalised
        if k == 1:
            target = labels.astype(np.float64)[:, None]

            def data_loss(Z: Any) -> Any:
                return ag.mean(ag.softplus(Z) - target * Z)  # -log-likelihood, stable at any logit

        else:
            onehot = np.eye(k)[labels]

            def data_loss(Z: Any) -> Any:
                return ag.mean(ag.logsumexp(Z, axis=1) - ag.sum(onehot * Z, axis=1))

        def objective(theta: Any) -> Any:
            W = ag.reshape(theta, (d1, k))
            loss = data_loss(Xb @ W)
            return loss + (0.5 * reg) * ag.sum(mask * W * W) if reg else loss

        value_and_grad = ag.value_and_grad(objective)
        theta = np.zeros(d1 * k)
        losses: List[float] = []
        n_iter = 0
        while True:
            f, g = value_and_grad(theta)
            losses.append(float(f))
            if np.abs(g).max() <= self.tol or n_iter >= self.max_iter:
                break
            direction = _conjugate_gradient(
                lambda v, at=theta: ag.hvp(objective, at, v)[1], g, max_iter=2 * theta.size
            )
            slope = g @ direction
            t = 1.0
            while t > 1e-10:  # Armijo backtracking
                candidate = theta + t * direction
                if float(objective(candidate)) <= f + 1e-4 * t * slope:
                    break
                t *= 0.5
            else:
                break  # no decrease possible at machine precision: we are at the optimum
            theta = candidate
            n_iter += 1
        self._set_coefficients(theta.reshape(d1, k), classes)
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        self.loss_curve_ = losses
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n, n_classes), columns in the order of ``classes_``."""
        self._check_is_fitted("predict_proba")
        X = check_features(X, self.n_features_in_, "LogisticRegression.predict_proba")
        scores = X @ self.coef_.T + self.intercept_
        if scores.shape[1] == 1:
            p1 = ag.sigmoid(scores[:, 0])
            return np.column_stack([1.0 - p1, p1])
        return ag.softmax(scores, axis=1)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of ``predict_proba``, computed stably from the logits."""
        self._check_is_fitted("predict_log_proba")
        X = check_features(X, self.n_features_in_, "LogisticRegression.predict_log_proba")
        scores = X @ self.coef_.T + self.intercept_
        if scores.shape[1] == 1:
            scores = np.column_stack([np.zeros(len(scores)), scores[:, 0]])
        return ag.log_softmax(scores, axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row (labels from ``classes_``)."""
        scores = self.decision_function(X)
        index = (scores > 0).astype(np.intp) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]
