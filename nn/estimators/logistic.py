"""``LogisticRegression`` fitted to its exact optimum by Newton-CG on autograd_core's gradients
and Hessian-vector products (or by scipy's L-BFGS-B on the same gradients)."""

from __future__ import annotations

import warnings
from typing import Any, Callable, List

import numpy as np

import autograd_core as ag

from ._compiled import maybe_compiled
from .base import (
    BaseEstimator,
    ConvergenceWarning,
    LinearClassifierMixin,
    check_choice,
    check_classification_targets,
    check_consistent_length,
    check_finite_weights,
    check_number,
    check_random_state,
    check_sample_weight,
    class_weights,
    lbfgs_result,
    raised_class,
    require_scipy_optimize,
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

    Minimises ``sum_i s_i log-loss_i / S + ||coef||² / (2 C S)`` (``penalty="l2"``) or the
    weighted mean log-loss alone (``penalty=None``), where ``s_i`` is the sample's
    ``sample_weight`` times its ``class_weight`` and ``S = sum_i s_i`` (scikit-learn's
    objective). ``solver="newton-cg"`` (the default, numpy only) takes full Newton steps with
    gradients and Hessian-vector products from ``autograd_core`` and a backtracking line search;
    ``solver="lbfgs"`` (scikit-learn's default) hands the same objective and gradient to scipy's
    L-BFGS-B and needs the ``scipy`` extra. Fitting stops when the largest gradient component is
    ``<= tol``; ``max_iter`` reached first gives a ``ConvergenceWarning``. ``warm_start`` starts
    from the previous fit's coefficients. The optimum is deterministic, so ``random_state`` is
    accepted for compatibility and unused. Left out: ``l1_ratio``/L1 penalties, ``dual``,
    ``intercept_scaling``, ``n_jobs``.

    Attributes after ``fit``: ``classes_``, ``coef_`` (1, d) or (k, d), ``intercept_``,
    ``n_iter_`` (array of one count, as scikit-learn), ``loss_curve_`` (objective per
    iteration), ``n_features_in_`` and, for DataFrames, ``feature_names_in_``.

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
        class_weight: Any = None,
        solver: str = "newton-cg",
        verbose: int = 0,
        warm_start: bool = False,
    ) -> None:
        self.penalty = penalty
        self.C = C
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state
        self.class_weight = class_weight
        self.solver = solver
        self.verbose = verbose
        self.warm_start = warm_start

    def _validate_params(self) -> None:
        where = "LogisticRegression"
        check_choice(where, "penalty", self.penalty, ("l2", None))
        check_number(where, "C", self.C, low=0, low_open=True)
        check_choice(where, "fit_intercept", self.fit_intercept, (True, False))
        check_number(where, "tol", self.tol, low=0)
        check_number(where, "max_iter", self.max_iter, low=0, integer=True)
        check_random_state(where, self.random_state)
        check_choice(where, "solver", self.solver, ("newton-cg", "lbfgs"))
        check_number(where, "verbose", self.verbose, low=0, integer=True)
        check_choice(where, "warm_start", self.warm_start, (True, False))

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogisticRegression:
        """Fit to ``X`` (n, d) and class labels ``y`` (n,), each sample weighted by
        ``sample_weight`` (n,) (default 1); returns ``self``."""
        self._validate_params()
        where = "LogisticRegression.fit"
        X, state = self._check_fit_X(X, where)
        classes, labels = check_classification_targets(y, where)
        check_consistent_length(where, X, labels)
        n, d = X.shape
        s = (
            check_sample_weight(sample_weight, n, where)
            * class_weights(self.class_weight, classes, labels, where)[labels]
        )
        k = 1 if len(classes) == 2 else len(classes)
        d1 = d + 1 if self.fit_intercept else d
        Xb = np.hstack([X, np.ones((n, 1))]) if self.fit_intercept else X
        total = s.sum()
        reg = 1.0 / (self.C * total) if self.penalty == "l2" and np.isfinite(self.C) else 0.0
        weight = (s / total)[:, None]
        mask = np.ones((d1, k))
        if self.fit_intercept:
            mask[-1] = 0.0  # the intercept is not penalised
        if k == 1:
            target = labels.astype(np.float64)[:, None]

            def data_loss(Z: Any) -> Any:
                return ag.sum(weight * (ag.softplus(Z) - target * Z))  # -log-likelihood, stable at any logit

        else:
            onehot = np.eye(k)[labels]

            def data_loss(Z: Any) -> Any:
                return ag.sum(weight[:, 0] * (ag.logsumexp(Z, axis=1) - ag.sum(onehot * Z, axis=1)))

        def objective(theta: Any) -> Any:
            W = ag.reshape(theta, (d1, k))
            loss = data_loss(Xb @ W)
            return loss + (0.5 * reg) * ag.sum(mask * W * W) if reg else loss

        theta = np.zeros(d1 * k)
        if (
            self.warm_start
            and hasattr(self, "coef_")
            and self.coef_.shape == (k, d)
            and np.array_equal(self.classes_, classes)
        ):
            W0 = self.coef_.T
            theta = (np.vstack([W0, self.intercept_[None, :]]) if self.fit_intercept else W0).ravel().copy()
        if self.solver == "lbfgs":
            theta, losses, n_iter = self._lbfgs(objective, theta)
        else:
            theta, losses, n_iter = self._newton_cg(objective, theta)
        check_finite_weights([theta])
        state.update(self._coefficients(theta.reshape(d1, k), classes))
        state.update(n_iter_=np.array([n_iter], dtype=np.int32), loss_curve_=losses)
        self._swap_in(state)
        return self

    def _newton_cg(self, objective: Callable[[Any], Any], theta: np.ndarray) -> Any:
        value_and_grad = ag.value_and_grad(objective)
        # The conjugate-gradient solve calls the HVP many times per iteration: compiled, that pays
        # (digits: 2x); value_and_grad, once per iteration, and L-BFGS do not repay their trace.
        hvp = maybe_compiled(lambda at, v: ag.hvp(objective, at, v)[1])
        losses: List[float] = []
        n_iter = 0
        while True:
            f, g = value_and_grad(theta)
            losses.append(float(f))
            if self.verbose:
                print(f"Iteration {n_iter}, loss = {float(f):.8f}, max |gradient| = {np.abs(g).max():.3g}")
            if np.abs(g).max() <= self.tol:
                break
            if n_iter >= self.max_iter:
                warnings.warn(
                    raised_class(ConvergenceWarning)(
                        f"LogisticRegression: newton-cg failed to converge after {n_iter} iteration(s) "
                        f"(max |gradient| {np.abs(g).max():.3g} > tol={self.tol}). Increase max_iter or scale the data."
                    ),
                    stacklevel=3,
                )
                break
            direction = _conjugate_gradient(lambda v, at=theta: hvp(at, v), g, max_iter=2 * theta.size)
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
        return theta, losses, n_iter

    def _lbfgs(self, objective: Callable[[Any], Any], theta: np.ndarray) -> Any:
        optimize = require_scipy_optimize("LogisticRegression")
        value_and_grad = ag.value_and_grad(objective)
        losses: List[float] = []
        last = [0.0]

        def fun(t: np.ndarray) -> Any:
            f, g = value_and_grad(t)
            last[0] = float(f)
            return last[0], np.asarray(g, dtype=np.float64)

        def record(t: np.ndarray) -> None:
            losses.append(last[0])  # the line search's last evaluation is the accepted point
            if self.verbose:
                print(f"Iteration {len(losses)}, loss = {losses[-1]:.8f}")

        options = {"maxiter": self.max_iter, "maxls": 50, "gtol": self.tol, "ftol": 64 * np.finfo(float).eps}
        result = optimize.minimize(fun, theta, method="L-BFGS-B", jac=True, options=options, callback=record)
        n_iter = lbfgs_result("LogisticRegression", result, self.max_iter)
        return result.x, losses or [float(result.fun)], n_iter

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n, n_classes), columns in the order of ``classes_``."""
        X = self._check_X(X, "predict_proba")
        scores = X @ self.coef_.T + self.intercept_
        if scores.shape[1] == 1:
            p1 = ag.sigmoid(scores[:, 0])
            return np.column_stack([1.0 - p1, p1])
        return ag.softmax(scores, axis=1)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of ``predict_proba``, computed stably from the logits."""
        X = self._check_X(X, "predict_log_proba")
        scores = X @ self.coef_.T + self.intercept_
        if scores.shape[1] == 1:
            scores = np.column_stack([np.zeros(len(scores)), scores[:, 0]])
        return ag.log_softmax(scores, axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row (labels from ``classes_``)."""
        scores = self.decision_function(X)
        index = (scores > 0).astype(np.intp) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]
