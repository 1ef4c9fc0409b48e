"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn's multilayer perceptrons on ``nn.MLP``,
``nn`` losses and ``nn.optim``, with scikit-learn's parameters, defaults and stopping rule."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, List, Sequence, Tuple

import numpy as np

import autograd_core as ag

from .. import functional
from .._rng import as_generator
from ..activations import get_activation
from ..init import uniform_
from ..layers import MLP, Linear
from ..optim import SGD, Adam
from ..progress import progress
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
    check_features,
    check_number,
    check_random_state,
)


class _BaseMLP(BaseEstimator):
    """Shared training loop; subclasses define the output layer's loss and predictions."""

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
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
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
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

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
        check_choice(where, "solver", self.solver, ("adam", "sgd"))
        check_number(where, "alpha", self.alpha, low=0)
        if not (isinstance(self.batch_size, str) and self.batch_size == "auto"):
            check_number(where, "batch_size", self.batch_size, low=1, integer=True)
        check_choice(where, "learning_rate", self.learning_rate, ("constant", "invscaling", "adaptive"))
        check_number(where, "learning_rate_init", self.learning_rate_init, low=0, low_open=True)
        check_number(where, "power_t", self.power_t, low=0)
        check_number(where, "max_iter", self.max_iter, low=1, integer=True)
        check_choice(where, "shuffle", self.shuffle, (True, False))
        check_random_state(where, self.random_state)
        check_number(where, "tol", self.tol, low=0)
        check_number(where, "momentum", self.momentum, low=0, high=1)
        check_choice(where, "nesterovs_momentum", self.nesterovs_momentum, (True, False))
        for name in ("beta_1", "beta_2"):
            value = check_number(where, name, getattr(self, name), low=0, high=1)
            if value == 1:
                raise InvalidParameterError(
                    f"{where}: The {name!r} parameter must be in [0, 1). Got 1 instead."
                )
        check_number(where, "epsilon", self.epsilon, low=0, low_open=True)
        check_number(where, "n_iter_no_change", self.n_iter_no_change, low=1, integer=True)
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
        self._check_is_fitted(method)
        X = check_features(X, self.n_features_in_, f"{type(self).__name__}.{method}")
        with ag.no_grad():
            return self.model_(X).data

    # -- training --------------------------------------------------------------------------------
    def _fit(self, X: np.ndarray, targets: np.ndarray, n_out: int, sizes: Tuple[int, ...]) -> None:
        """Mini-batch training with scikit-learn's schedule and stopping rule."""
        n = len(X)
        rng = as_generator(self.random_state, type(self).__name__)
        model = self._build(X.shape[1], sizes, n_out, rng)
        params = list(model.parameters())
        weights = [layer.weight for layer in model.layers if isinstance(layer, Linear)]
        if self.solver == "adam":
            opt: Any = Adam(
                params, lr=self.learning_rate_init, betas=(self.beta_1, self.beta_2), eps=self.epsilon
            )
        else:
            nesterov = bool(self.nesterovs_momentum and self.momentum > 0)
            opt = SGD(params, lr=self.learning_rate_init, momentum=self.momentum, nesterov=nesterov)
        batch = min(200, n) if isinstance(self.batch_size, str) else min(int(self.batch_size), n)
        lr = float(self.learning_rate_init)
        self.model_ = model
        self.loss_curve_: List[float] = []
        self.best_loss_ = np.inf
        self.n_iter_ = 0
        self.t_ = 0
        no_improvement = 0
        stopped = False
        for _ in progress(range(self.max_iter), desc=type(self).__name__, enabled=bool(self.verbose)):
            if self.shuffle:
                order = rng.permutation(n)
                Xs, ts = X[order], targets[order]
            else:
                Xs, ts = X, targets
            accumulated = 0.0
            for start in range(0, n, batch):
                xb, tb = Xs[start : start + batch], ts[start : start + batch]
                m = len(xb)
                opt.zero_grad()
                loss = self._loss(model(xb), tb)
                loss.backward()
                value = float(loss.data)
                if self.alpha:
                    # L2 on the weights (not the biases), scaled as scikit-learn: alpha ||W||^2 / (2 m).
                    scale = self.alpha / m
                    for w in weights:
                        w.grad = ag.Tensor(w.grad.data + scale * w.data)
                        value += 0.5 * scale * float(np.vdot(w.data, w.data))
                opt.step()
                accumulated += value * m
            self.n_iter_ += 1
            self.t_ += n
            self.loss_ = accumulated / n
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            # scikit-learn's _update_no_improvement_count on the training loss.
            if self.loss_curve_[-1] > self.best_loss_ - self.tol:
                no_improvement += 1
            else:
                no_improvement = 0
            self.best_loss_ = min(self.best_loss_, self.loss_curve_[-1])
            if self.solver == "sgd" and self.learning_rate == "invscaling":
                lr = float(self.learning_rate_init) / (self.t_ + 1) ** self.power_t
                for group in opt.param_groups:
                    group["lr"] = lr
            if no_improvement > self.n_iter_no_change:
                if self.solver == "sgd" and self.learning_rate == "adaptive" and lr > 1e-6:
                    lr /= 5.0  # scikit-learn's adaptive schedule: shrink, then keep going
                    for group in opt.param_groups:
                        group["lr"] = lr
                    no_improvement = 0
                else:
                    stopped = True
                    break
        if not stopped:
            warnings.warn(
                f"{type(self).__name__}: Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached "
                "and the optimization hasn't converged yet.",
                ConvergenceWarning,
                stacklevel=3,
            )

    def _loss(self, output: Any, target: np.ndarray) -> Any:
        raise NotImplementedError


class MLPRegressor(RegressorMixin, _BaseMLP):
    """Multilayer perceptron regressor, scikit-learn's interface, parameters and defaults.

    The output layer is linear; the loss is the squared error / 2 per sample (summed over
    outputs) plus ``alpha ||W||² / (2 batch)``, minimised by ``solver`` ("adam" or "sgd") on
    mini-batches of ``batch_size`` ("auto" = min(200, n)). Training stops when the epoch's loss
    has not improved by ``tol`` for more than ``n_iter_no_change`` epochs, or after
    ``max_iter`` epochs (with a ``ConvergenceWarning``). ``activation`` is "identity",
    "logistic", "tanh", "relu" or any other name ``nn.get_activation`` knows.

    Attributes after ``fit``: ``loss_``, ``best_loss_``, ``loss_curve_``, ``n_iter_``, ``t_``,
    ``coefs_``, ``intercepts_``, ``n_layers_``, ``n_outputs_``, ``out_activation_``,
    ``n_features_in_`` and ``model_`` (the trained ``nn.MLP``).

    >>> import nn
    >>> X, y = nn.data.xor_blobs(n_per_blob=100, seed=0)
    >>> reg = nn.MLPRegressor(hidden_layer_sizes=(8,), learning_rate_init=0.01, max_iter=500,
    ...                        random_state=0).fit(X, y)
    >>> bool(((reg.predict(X) > 0.5) == y).mean() > 0.8)
    True
    """

    def fit(self, X: Any, y: Any) -> MLPRegressor:
        """Train on ``X`` (n, d) and targets ``y`` (n,) or (n, k); returns ``self``."""
        sizes = self._validate_params()
        where = "MLPRegressor.fit"
        X = check_array(X, where)
        y = check_array(y, where, name="y", ensure_2d=False)
        if y.ndim > 2:
            raise ValueError(f"{where}: y must be 1D or 2D, got shape {y.shape}")
        check_consistent_length(where, X, y)
        self._y_1d = y.ndim == 1
        targets = y.reshape(len(y), -1)
        self.n_outputs_ = targets.shape[1]
        self._fit(X, targets, self.n_outputs_, sizes)
        self.n_features_in_ = X.shape[1]
        self.n_layers_ = len(sizes) + 2
        self.out_activation_ = "identity"
        return self

    def _loss(self, output: Any, target: np.ndarray) -> Any:
        return functional.mse_loss(output, target, reduction="sum") * (0.5 / len(target))

    def predict(self, X: Any) -> np.ndarray:
        """Predictions: (n,) if fitted on a 1-D ``y``, else (n, k)."""
        out = self._forward(X, "predict")
        return out[:, 0] if self._y_1d else out


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multilayer perceptron classifier, scikit-learn's interface, parameters and defaults.

    A logistic output unit for two classes, a softmax for more; the loss is the mean log-loss
    (computed from the logits, so it is stable) plus ``alpha ||W||² / (2 batch)``. Training,
    stopping and attributes are as for ``MLPRegressor``, plus ``classes_``.

    >>> import nn
    >>> X, y = nn.data.spirals(n_per_arm=50, seed=0)
    >>> clf = nn.MLPClassifier(hidden_layer_sizes=(32, 32), learning_rate_init=0.01,
    ...                        max_iter=300, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape, bool(clf.score(X, y) > 0.9)
    ((2, 3), True)
    """

    def fit(self, X: Any, y: Any) -> MLPClassifier:
        """Train on ``X`` (n, d) and class labels ``y`` (n,); returns ``self``."""
        sizes = self._validate_params()
        where = "MLPClassifier.fit"
        X = check_array(X, where)
        classes, labels = check_classification_targets(y, where)
        check_consistent_length(where, X, labels)
        binary = len(classes) == 2
        targets = labels.astype(np.float64)[:, None] if binary else labels
        self.classes_ = classes
        self.n_outputs_ = 1 if binary else len(classes)
        self._fit(X, targets, self.n_outputs_, sizes)
        self.n_features_in_ = X.shape[1]
        self.n_layers_ = len(sizes) + 2
        self.out_activation_ = "logistic" if binary else "softmax"
        return self

    def _loss(self, output: Any, target: np.ndarray) -> Any:
        if self.n_outputs_ == 1:
            return functional.binary_cross_entropy_with_logits(output, target)
        return functional.cross_entropy(output, target)

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
