"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn's multilayer perceptrons on ``nn.MLP``,
``nn`` losses and ``nn.optim``, with scikit-learn's parameters, defaults and stopping rules."""

from __future__ import annotations

import copy
import math
import numbers
import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

import autograd_core as ag

from .. import functional
from .._rng import as_generator
from ..activations import get_activation
from ..init import uniform_
from ..layers import MLP, Linear
from ..optim import SGD, Adam
from ..progress import progress as progress_bar
from ._compiled import backward_step, class_targets, compiled_training_enabled, worth_compiling
from .base import (
    BaseEstimator,
    ClassifierMixin,
    ConvergenceWarning,
    InvalidParameterError,
    RegressorMixin,
    check_array,
    check_choice,
    check_classification_targets,
    check_consistent_length,
    check_finite_weights,
    check_labels,
    check_number,
    check_random_state,
    check_sample_weight,
    column_or_1d,
    lbfgs_result,
    r2_score,
    raised_class,
    require_scipy_optimize,
)


class _BaseMLP(BaseEstimator):
    """Shared training: stochastic (adam, sgd) and L-BFGS solvers, early stopping, partial_fit,
    warm_start; subclasses define targets, the output layer's loss, scores and predictions."""

    def __init__(
        self,
        hidden_layer_sizes: Sequence[int] = (100,),
        activation: str = "relu",
        solver: str = "adam",
        alpha: float = 0.0001,
        batch_size: Any = "auto",
        learning_rate: str = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: Any = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    # -- parameters -----------------------------------------------------------------------------
    def _validate_params(self) -> Tuple[int, ...]:
        where = type(self).__name__
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            sizes = (sizes,)
        try:
            sizes = tuple(sizes)
        except TypeError:
            raise InvalidParameterError(
                f"{where}: hidden_layer_sizes must be a tuple of positive ints, got {self.hidden_layer_sizes!r}"
            ) from None
        for s in sizes:
            if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s <= 0:
                raise InvalidParameterError(
                    f"{where}: hidden_layer_sizes must be > 0, got {self.hidden_layer_sizes!r}."
                )
        if not isinstance(self.activation, str):
            raise InvalidParameterError(f"{where}: activation must be a name, got {self.activation!r}")
        try:
            get_activation(self.activation)
        except ValueError as err:
            raise InvalidParameterError(f"{where}: {err}") from None
        check_choice(where, "solver", self.solver, ("adam", "sgd", "lbfgs"))
        check_number(where, "alpha", self.alpha, low=0, finite=True)
        if not (isinstance(self.batch_size, str) and self.batch_size == "auto"):
            check_number(where, "batch_size", self.batch_size, low=1, integer=True)
        check_choice(where, "learning_rate", self.learning_rate, ("constant", "invscaling", "adaptive"))
        check_number(where, "learning_rate_init", self.learning_rate_init, low=0, low_open=True, finite=True)
        check_number(where, "power_t", self.power_t, low=0, finite=True)
        check_number(where, "max_iter", self.max_iter, low=1, integer=True)
        check_choice(where, "shuffle", self.shuffle, (True, False))
        check_random_state(where, self.random_state)
        check_number(where, "tol", self.tol, low=0)
        check_number(where, "verbose", int(self.verbose), low=0, integer=True)
        check_choice(where, "warm_start", self.warm_start, (True, False))
        check_number(where, "momentum", self.momentum, low=0, high=1)
        check_choice(where, "nesterovs_momentum", self.nesterovs_momentum, (True, False))
        check_choice(where, "early_stopping", self.early_stopping, (True, False))
        check_number(where, "validation_fraction", self.validation_fraction, low=0, high=1, low_open=True)
        if self.validation_fraction == 1:
            raise InvalidParameterError(
                f"{where}: The 'validation_fraction' parameter must be in (0, 1). Got 1 instead."
            )
        for name in ("beta_1", "beta_2"):
            value = check_number(where, name, getattr(self, name), low=0, high=1)
            if value == 1:
                raise InvalidParameterError(
                    f"{where}: The {name!r} parameter must be in [0, 1). Got 1 instead."
                )
        check_number(where, "epsilon", self.epsilon, low=0, low_open=True)
        check_number(where, "n_iter_no_change", self.n_iter_no_change, low=1, integer=True)
        check_number(where, "max_fun", self.max_fun, low=1, integer=True)
        return tuple(int(s) for s in sizes)

    # -- the network ---------------------------------------------------------------------------
    def _build(self, n_in: int, sizes: Tuple[int, ...], n_out: int, rng: np.random.Generator) -> MLP:
        model = MLP(n_in, list(sizes), n_out, activation=self.activation, dtype=np.float64, seed=rng)
        # scikit-learn's Glorot-uniform init (bound sqrt(2/(in+out)) for logistic units, sqrt(6/(in+out))
        # otherwise) for weights and biases alike: its convergence behaviour depends on it.
        factor = 2.0 if self.activation == "logistic" else 6.0
        for layer in model.layers:
            if isinstance(layer, Linear):
                bound = math.sqrt(factor / (layer.in_features + layer.out_features))
                uniform_(layer.weight, -bound, bound, seed=rng)
                uniform_(layer.bias, -bound, bound, seed=rng)
        return model

    @property
    def coefs_(self) -> List[np.ndarray]:
        """Weight matrices in scikit-learn's layout (fan_in, fan_out): views of ``model_``'s."""
        self._check_is_fitted("coefs_")
        return [layer.weight.data.T for layer in self.model_.layers if isinstance(layer, Linear)]

    @property
    def intercepts_(self) -> List[np.ndarray]:
        """Bias vectors, one per layer: views of ``model_``'s."""
        self._check_is_fitted("intercepts_")
        return [layer.bias.data for layer in self.model_.layers if isinstance(layer, Linear)]

    def _forward(self, X: Any, method: str) -> np.ndarray:
        X = self._check_X(X, method)
        with ag.no_grad():
            return self.model_(X).data

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """Train on ``X`` (n, d) and ``y``, each sample weighted by ``sample_weight`` (n,)
        (default 1); returns ``self``. With ``warm_start``, continues from the previous fit."""
        return self._fit(X, y, sample_weight, incremental=False, classes=None)

    def _partial_fit(self, X: Any, y: Any, sample_weight: Any, classes: Any) -> Any:
        if self.solver == "lbfgs":
            raise AttributeError(
                f"{type(self).__name__}.partial_fit is only available for stochastic optimizers; "
                "solver='lbfgs' is not stochastic (use 'adam' or 'sgd')."
            )
        if self.early_stopping:
            raise ValueError(f"{type(self).__name__}.partial_fit does not support early_stopping=True")
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _fit(self, X: Any, y: Any, sample_weight: Any, incremental: bool, classes: Any) -> Any:
        """Validate, train a copy aside (a new network, or a deep copy of the fitted one when
        continuing), then swap the finished state in: a failed or interrupted fit changes nothing."""
        sizes = self._validate_params()
        name = type(self).__name__
        method = "partial_fit" if incremental else "fit"
        where = f"{name}.{method}"
        first = not self.__sklearn_is_fitted__() or not (self.warm_start or incremental)
        if first:
            X, state = self._check_fit_X(X, where)
        else:
            X, state = self._check_X(X, method), {}
        targets, target_state = self._targets(y, where, first, incremental, classes)
        check_consistent_length(where, X, targets)
        state.update(target_state)
        sw = None if sample_weight is None else check_sample_weight(sample_weight, len(X), where)
        n_out = state.get("n_outputs_", getattr(self, "n_outputs_", None))
        rng = as_generator(self.random_state, name)
        if first:
            model, optimizer = self._build(X.shape[1], sizes, n_out, rng), None
            progress: Dict[str, Any] = {"loss_curve_": [], "t_": 0, "_no_improvement_count": 0}
            if self.early_stopping and self.solver != "lbfgs":
                progress.update(validation_scores_=[], best_validation_score_=-np.inf, best_loss_=None)
            else:
                progress.update(validation_scores_=None, best_validation_score_=None, best_loss_=np.inf)
        else:
            keep = getattr(self, "_optimizer", None) if incremental else None
            model, optimizer = copy.deepcopy((self.model_, keep))
            progress = {
                key: copy.copy(getattr(self, key, None))
                for key in ("loss_curve_", "t_", "_no_improvement_count", "validation_scores_")
            }
            progress["best_validation_score_"] = getattr(self, "best_validation_score_", None)
            progress["best_loss_"] = getattr(self, "best_loss_", np.inf)
            if progress["loss_curve_"] is None:
                progress.update(loss_curve_=[], t_=0, _no_improvement_count=0)
            if self.early_stopping and progress["validation_scores_"] is None:
                progress.update(validation_scores_=[], best_validation_score_=-np.inf, best_loss_=None)
        if self.solver == "lbfgs":
            self._fit_lbfgs(model, X, targets, sw, progress)
        else:
            optimizer = self._fit_stochastic(model, optimizer, X, targets, sw, progress, rng, incremental)
        check_finite_weights(p.data for p in model.parameters())
        state.update(progress)
        state.update(model_=model, n_layers_=len(sizes) + 2)
        if incremental:  # partial_fit continues with its optimizer's moments; fit starts a new one
            state["_optimizer"] = optimizer
        self._swap_in(state)
        return self

    def _backward_step(
        self, model: MLP, targets: np.ndarray, steps: Optional[int]
    ) -> Callable[..., np.ndarray]:
        """The batch's forward and backward, compiled where that is exact and pays: L-BFGS (its
        integer labels never change between calls, so they are a static argument; ``steps`` None),
        or float targets for at least ``MIN_COMPILED_STEPS`` full batches."""
        if steps is None:
            compiled = compiled_training_enabled()
        else:
            compiled = targets.dtype.kind == "f" and worth_compiling(steps)
        return backward_step(lambda xb, tb, wb=None: self._loss(model(xb), tb, wb), compiled)

    def _loss_value(
        self,
        model: MLP,
        xb: np.ndarray,
        tb: np.ndarray,
        wb: Optional[np.ndarray],
        step: Callable[..., np.ndarray],
    ) -> float:
        """Forward and backward on one batch; the parameters' ``.grad`` then hold the gradient of
        the batch loss plus scikit-learn's ``alpha ||W||² / (2 sum(w))``; returns that loss."""
        # Without weights, only arrays: a compiled step's fast path takes positional float arrays.
        value = float(step(xb, tb) if wb is None else step(xb, tb, wb))
        if self.alpha:
            # L2 on the weights (not the biases), scaled as scikit-learn: alpha ||W||^2 / (2 sum w).
            scale = self.alpha / (len(xb) if wb is None else float(wb.sum()))
            for layer in model.layers:
                if isinstance(layer, Linear):
                    w = layer.weight
                    w.grad = ag.Tensor(w.grad.data + scale * w.data)
                    value += 0.5 * scale * float(np.vdot(w.data, w.data))
        return value

    def _fit_lbfgs(
        self,
        model: MLP,
        X: np.ndarray,
        targets: np.ndarray,
        sw: Optional[np.ndarray],
        progress: Dict[str, Any],
    ) -> None:
        optimize = require_scipy_optimize(type(self).__name__)
        params = list(model.parameters())
        bounds = np.cumsum([0] + [p.data.size for p in params]).tolist()
        parts = [(p, slice(a, b), p.data.shape) for p, a, b in zip(params, bounds[:-1], bounds[1:])]
        grad = np.zeros(bounds[-1])
        last = [np.inf]
        step = self._backward_step(model, targets, steps=None)

        def fun(theta: np.ndarray) -> Tuple[float, np.ndarray]:
            for p, part, shape in parts:
                p.data[...] = theta[part].reshape(shape)
                p.grad = None
            last[0] = self._loss_value(model, X, targets, sw, step)
            for p, part, _ in parts:
                grad[part] = 0.0 if p.grad is None else p.grad.data.reshape(-1)
            return last[0], grad.copy()

        def record(theta: np.ndarray) -> None:
            progress["loss_curve_"].append(last[0])
            if self.verbose:
                print(f"Iteration {len(progress['loss_curve_'])}, loss = {last[0]:.8f}")

        theta0 = np.concatenate([p.data.ravel() for p in params])
        options = {"maxfun": self.max_fun, "maxiter": self.max_iter, "gtol": self.tol}
        result = optimize.minimize(fun, theta0, method="L-BFGS-B", jac=True, options=options, callback=record)
        progress["n_iter_"] = lbfgs_result(type(self).__name__, result, self.max_iter)
        for p, part, shape in parts:
            p.data[...] = result.x[part].reshape(shape)
        progress["loss_"] = float(result.fun)
        progress["best_loss_"] = min(progress["best_loss_"] or np.inf, float(result.fun))

    def _fit_stochastic(
        self,
        model: MLP,
        optimizer: Any,
        X: np.ndarray,
        targets: np.ndarray,
        sw: Optional[np.ndarray],
        progress: Dict[str, Any],
        rng: np.random.Generator,
        incremental: bool,
    ) -> Any:
        """Mini-batch training with scikit-learn's schedule and stopping rule; returns the optimizer."""
        name = type(self).__name__
        params = list(model.parameters())
        if optimizer is None:
            if self.solver == "adam":
                optimizer = Adam(
                    params, lr=self.learning_rate_init, betas=(self.beta_1, self.beta_2), eps=self.epsilon
                )
            else:
                nesterov = bool(self.nesterovs_momentum and self.momentum > 0)
                optimizer = SGD(params, lr=self.learning_rate_init, momentum=self.momentum, nesterov=nesterov)
        early = self.early_stopping and not incremental
        if early:
            train, val = self._validation_split(targets, rng)
            X, Xv = X[train], X[val]
            targets, tv = targets[train], targets[val]
            sw, swv = (None, None) if sw is None else (sw[train], sw[val])
            best_state = None
        targets = self._batch_targets(targets, model)
        n = len(X)
        if isinstance(self.batch_size, str):
            batch = min(200, n)
        else:
            if self.batch_size > n:
                warnings.warn(
                    f"{name}: Got `batch_size` less than 1 or larger than sample size. It is going to be clipped",
                    stacklevel=4,
                )
            batch = min(int(self.batch_size), n)
        lr = float(optimizer.param_groups[0]["lr"])
        step = self._backward_step(model, targets, steps=(1 if incremental else self.max_iter) * (n // batch))
        progress["n_iter_"] = 0
        curve = progress["loss_curve_"]
        stopped = False
        epochs = range(1 if incremental else self.max_iter)
        for _ in progress_bar(
            epochs, desc=type(self).__name__, enabled=bool(self.verbose) and not incremental
        ):
            if self.shuffle:
                order = rng.permutation(n)
                Xs, ts = X[order], targets[order]
                ws = None if sw is None else sw[order]
            else:
                Xs, ts, ws = X, targets, sw
            accumulated = 0.0
            for start in range(0, n, batch):
                stop = start + batch
                xb, tb = Xs[start:stop], ts[start:stop]
                optimizer.zero_grad()
                value = self._loss_value(model, xb, tb, None if ws is None else ws[start:stop], step)
                optimizer.step()
                accumulated += value * len(xb)
            loss = accumulated / n
            if not math.isfinite(loss):
                check_finite_weights([np.array([loss])])
            progress["n_iter_"] += 1
            progress["t_"] += n
            progress["loss_"] = loss
            curve.append(loss)
            if self.verbose:
                print(f"Iteration {progress['n_iter_']}, loss = {loss:.8f}")
            if early:
                score = self._raw_score(model, Xv, tv, swv)
                progress["validation_scores_"].append(score)
                if self.verbose:
                    print(f"Validation score: {score:f}")
                improved = score >= progress["best_validation_score_"] + self.tol
                if score > progress["best_validation_score_"]:
                    progress["best_validation_score_"] = score
                    best_state = model.state_dict()
            else:
                improved = loss <= progress["best_loss_"] - self.tol
                progress["best_loss_"] = min(progress["best_loss_"], loss)
            progress["_no_improvement_count"] = 0 if improved else progress["_no_improvement_count"] + 1
            if self.solver == "sgd" and self.learning_rate == "invscaling":
                lr = float(self.learning_rate_init) / (progress["t_"] + 1) ** self.power_t
                for group in optimizer.param_groups:
                    group["lr"] = lr
            if progress["_no_improvement_count"] > self.n_iter_no_change:
                what = "Validation score" if early else "Training loss"
                message = (
                    f"{what} did not improve more than tol={self.tol:f} for {self.n_iter_no_change} "
                    "consecutive epochs."
                )
                if self.solver == "sgd" and self.learning_rate == "adaptive" and lr > 1e-6:
                    lr /= 5.0  # scikit-learn's adaptive schedule: shrink, then keep going
                    for group in optimizer.param_groups:
                        group["lr"] = lr
                    progress["_no_improvement_count"] = 0
                    if self.verbose:
                        print(f"{message} Setting learning rate to {lr:f}")
                else:
                    if self.verbose:
                        print(f"{message} Stopping.")
                    stopped = True
                    break
        if not stopped and not incremental:
            warnings.warn(
                raised_class(ConvergenceWarning)(
                    f"{name}: Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                    "optimization hasn't converged yet."
                ),
                stacklevel=4,
            )
        if early and best_state is not None:
            model.load_state_dict(best_state)  # scikit-learn restores the best validation weights
        return optimizer

    def _validation_split(
        self, targets: np.ndarray, rng: np.random.Generator
    ) -> Tuple[np.ndarray, np.ndarray]:
        """Indices (train, validation), ``ceil(validation_fraction * n)`` held out, stratified by
        class for a classifier (as scikit-learn's ``train_test_split``)."""
        n = len(targets)
        n_val = math.ceil(self.validation_fraction * n)
        if n_val < 2 or n - n_val < 1:
            raise ValueError(
                f"{type(self).__name__}.fit: The validation set is too small. Increase 'validation_fraction' "
                "or the size of your dataset."
            )
        order = rng.permutation(n)
        if self._estimator_type != "classifier":
            return np.sort(order[n_val:]), np.sort(order[:n_val])
        labels = targets.reshape(n, -1)[order, 0]  # class indices, or the binary target
        classes, counts = np.unique(labels, return_counts=True)
        share = counts * n_val / n  # largest remainder: each class's share of the validation rows
        take = np.floor(share).astype(int)
        take[np.argsort(take - share)[: n_val - take.sum()]] += 1
        val = np.concatenate([order[labels == c][:t] for c, t in zip(classes, take)])
        return np.setdiff1d(np.arange(n), val), np.sort(val)

    # -- subclass hooks ------------------------------------------------------------------------
    def _targets(
        self, y: Any, where: str, first: bool, incremental: bool, classes: Any
    ) -> Tuple[np.ndarray, Dict[str, Any]]:
        raise NotImplementedError

    def _batch_targets(self, targets: np.ndarray, model: MLP) -> np.ndarray:
        """The targets as the stochastic solver's batches pass them to the loss (float rows, so
        the compiled step takes them as inputs rather than re-tracing on every batch's values)."""
        return targets

    def _loss(self, output: Any, target: np.ndarray, weight: Optional[np.ndarray]) -> Any:
        raise NotImplementedError

    def _raw_score(
        self, model: MLP, X: np.ndarray, targets: np.ndarray, weight: Optional[np.ndarray]
    ) -> float:
        raise NotImplementedError


class MLPRegressor(RegressorMixin, _BaseMLP):
    """Multilayer perceptron regressor, scikit-learn's interface, parameters and defaults.

    The output layer is linear; the loss is the squared error / 2 per sample (summed over
    outputs), averaged with the ``sample_weight``s, plus ``alpha ||W||² / (2 sum(w))`` per batch.
    ``solver`` is "adam" or "sgd" on mini-batches of ``batch_size`` ("auto" = min(200, n)), or
    "lbfgs" (scipy's L-BFGS-B on the full batch, at most ``max_iter`` iterations and ``max_fun``
    loss evaluations; needs the ``scipy`` extra). A stochastic fit stops when the epoch's loss
    (with ``early_stopping``, the R² on a held-out ``validation_fraction`` of the data) has not
    improved by ``tol`` for more than ``n_iter_no_change`` epochs, or after ``max_iter`` epochs
    (with a ``ConvergenceWarning``); early stopping restores the best validation weights.
    ``warm_start`` continues from the previous fit; ``partial_fit`` runs one epoch over the
    given data, keeping its optimizer's state between calls (after a ``fit``, the first
    ``partial_fit`` starts a new optimizer, where scikit-learn reuses the fit's: a fitted model
    holds only arrays and its network, so ``nn.save`` keeps all of it). ``activation`` is "identity", "logistic", "tanh", "relu" or any other name
    ``nn.get_activation`` knows. Left out: ``loss="poisson"``.

    Attributes after ``fit``: ``loss_``, ``best_loss_``, ``loss_curve_``, ``n_iter_``, ``t_``,
    ``validation_scores_``, ``best_validation_score_``, ``coefs_``, ``intercepts_``,
    ``n_layers_``, ``n_outputs_``, ``out_activation_``, ``n_features_in_``,
    ``feature_names_in_`` (DataFrames) and ``model_`` (the trained ``nn.MLP``).

    >>> import nn
    >>> X, y = nn.data.xor_blobs(n_per_blob=100, seed=0)
    >>> reg = nn.MLPRegressor(hidden_layer_sizes=(8,), learning_rate_init=0.01, max_iter=500,
    ...                        random_state=0).fit(X, y)
    >>> bool(((reg.predict(X) > 0.5) == y).mean() > 0.8)
    True
    """

    _multi_output = True

    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """One epoch of the stochastic solver over ``X``, ``y`` (continuing the previous calls);
        returns ``self``."""
        return self._partial_fit(X, y, sample_weight, None)

    def _targets(
        self, y: Any, where: str, first: bool, incremental: bool, classes: Any
    ) -> Tuple[np.ndarray, Dict[str, Any]]:
        y = check_array(y, where, name="y", ensure_2d=False)
        if y.ndim > 2:
            raise ValueError(f"{where}: y must be 1D or 2D, got shape {y.shape}")
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, where)
        targets = y.reshape(len(y), -1)
        if not first and targets.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{where}: y has {targets.shape[1]} outputs, but {type(self).__name__} was fitted with "
                f"{self.n_outputs_}."
            )
        return targets, {"n_outputs_": targets.shape[1], "_y_1d": y.ndim == 1, "out_activation_": "identity"}

    def _loss(self, output: Any, target: np.ndarray, weight: Optional[np.ndarray]) -> Any:
        if weight is None:
            return functional.mse_loss(output, target, reduction="sum") * (0.5 / len(target))
        return ag.sum(
            (0.5 / weight.sum()) * weight[:, None] * functional.mse_loss(output, target, reduction="none")
        )

    def _raw_score(
        self, model: MLP, X: np.ndarray, targets: np.ndarray, weight: Optional[np.ndarray]
    ) -> float:
        with ag.no_grad():
            pred = model(X).data
        return r2_score(targets, pred, weight)

    def predict(self, X: Any) -> np.ndarray:
        """Predictions: (n,) if fitted on a 1-D ``y``, else (n, k)."""
        out = self._forward(X, "predict")
        return out[:, 0] if self._y_1d else out


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multilayer perceptron classifier, scikit-learn's interface, parameters and defaults.

    A logistic output unit for two classes, a softmax for more; the loss is the log-loss
    (computed from the logits, so it is stable) averaged with the ``sample_weight``s, plus
    ``alpha ||W||² / (2 sum(w))``. Solvers, stopping (``early_stopping`` scores accuracy on a
    stratified held-out split), ``warm_start`` and attributes are as for ``MLPRegressor``,
    plus ``classes_``. ``partial_fit`` needs ``classes=`` (every label) on its first call.
    Left out: multilabel targets (a 2-D indicator ``y``).

    >>> import nn
    >>> X, y = nn.data.spirals(n_per_arm=50, seed=0)
    >>> clf = nn.MLPClassifier(hidden_layer_sizes=(32, 32), learning_rate_init=0.01,
    ...                        max_iter=300, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape, bool(clf.score(X, y) > 0.9)
    ((2, 3), True)
    """

    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None, classes: Any = None) -> MLPClassifier:
        """One epoch of the stochastic solver over ``X``, ``y``; ``classes`` (all labels that
        will ever appear) is required on the first call. Returns ``self``."""
        return self._partial_fit(X, y, sample_weight, classes)

    def _targets(
        self, y: Any, where: str, first: bool, incremental: bool, classes: Any
    ) -> Tuple[np.ndarray, Dict[str, Any]]:
        if first and not incremental:
            classes, labels = check_classification_targets(y, where)
        else:
            y = check_labels(y, where)
            if first:
                if classes is None:
                    raise ValueError(f"{where}: classes must be passed on the first call to partial_fit.")
                classes = np.unique(check_labels(classes, where))
                if len(classes) < 2:
                    raise ValueError(
                        f"{where}: classes must hold at least 2 labels, got {classes.tolist()!r}"
                    )
            else:
                if classes is not None and not np.array_equal(np.unique(np.asarray(classes)), self.classes_):
                    raise ValueError(
                        f"{where}: `classes={np.asarray(classes).tolist()!r}` is not the same as on the last call "
                        f"to partial_fit, was: {self.classes_.tolist()!r}"
                    )
                if not incremental and not np.array_equal(np.unique(y), self.classes_):
                    raise ValueError(
                        f"{where}: warm_start can only be used where `y` has the same classes as in the previous "
                        f"call to fit. Previously got {self.classes_.tolist()!r}, `y` has {np.unique(y).tolist()!r}"
                    )
                classes = self.classes_
            unseen = np.setdiff1d(y, classes)
            if unseen.size:
                raise ValueError(
                    f"{where}: `y` has classes not in `self.classes_`. `self.classes_` has {classes.tolist()!r}. "
                    f"'y' has {np.unique(y).tolist()!r}."
                )
            labels = np.searchsorted(classes, y)
        binary = len(classes) == 2
        targets = labels.astype(np.float64)[:, None] if binary else labels
        state = {
            "classes_": classes,
            "n_outputs_": 1 if binary else len(classes),
            "out_activation_": "logistic" if binary else "softmax",
        }
        return targets, state

    def _batch_targets(self, targets: np.ndarray, model: MLP) -> np.ndarray:
        """Multiclass labels as one-hot float64 rows where their size allows (``class_targets``):
        a compiled step takes them as inputs. Binary targets are already a float column."""
        if targets.ndim == 2:
            return targets
        return class_targets(targets, model.layers[-1].out_features, model.layers[0].in_features)

    def _loss(self, output: Any, target: np.ndarray, weight: Optional[np.ndarray]) -> Any:
        if output.shape[1] == 1:
            if weight is None:
                return functional.binary_cross_entropy_with_logits(output, target)
            w = (weight / weight.sum())[:, None]
            return functional.binary_cross_entropy_with_logits(output, target, weight=w, reduction="sum")
        if weight is None:
            return functional.cross_entropy(output, target)
        return ag.sum((weight / weight.sum()) * functional.cross_entropy(output, target, reduction="none"))

    def _raw_score(
        self, model: MLP, X: np.ndarray, targets: np.ndarray, weight: Optional[np.ndarray]
    ) -> float:
        with ag.no_grad():
            logits = model(X).data
        if logits.shape[1] == 1:
            right = (logits[:, 0] > 0) == (targets[:, 0] > 0.5)
        else:
            right = logits.argmax(axis=1) == targets
        return float(np.average(right, weights=weight))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n, n_classes), columns in the order of ``classes_``."""
        logits = self._forward(X, "predict_proba")
        if logits.shape[1] == 1:
            p1 = ag.sigmoid(logits[:, 0])
            return np.column_stack([1.0 - p1, p1])
        return ag.softmax(logits, axis=1)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log of ``predict_proba``, computed stably from the logits."""
        logits = self._forward(X, "predict_log_proba")
        if logits.shape[1] == 1:
            logits = np.column_stack([np.zeros(len(logits)), logits[:, 0]])
        return ag.log_softmax(logits, axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row (labels from ``classes_``)."""
        logits = self._forward(X, "predict")
        index = (logits[:, 0] > 0).astype(np.intp) if logits.shape[1] == 1 else logits.argmax(axis=1)
        return self.classes_[index]
