"""Stateless functions behind the layers: ``linear``, activations and losses.

Every function takes ndarrays or Tensors. The hot paths are single primitives with a
hand-written rule (``linear``; cross-entropy and NLL with integer labels; BCE on
probabilities and on logits), the rest are compositions of autograd_core ops.
Targets are cast to the prediction's dtype, so a float32 model never computes in float64.
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

import autograd_core as ag
from autograd_core import Primitive, Tensor

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "elu",
    "gelu",
    "huber_loss",
    "identity",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "relu",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "step",
    "swish",
    "tanh",
]

REDUCTIONS = ("mean", "sum", "none")


# -- linear --------------------------------------------------------------------------------
def _linear_forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    if x.shape[-1:] != weight.shape[1:]:
        raise ValueError(
            f"linear: input shape {x.shape} does not fit weight shape {weight.shape} "
            f"(expected the last axis to be {weight.shape[1]})"
        )
    out = x @ weight.T  # a transposed view: BLAS reads it directly, no copy
    if bias is not None:
        out += bias  # in place: one allocation for the whole layer
    return out


def _flat(a: Any) -> Any:
    """View (..., k) as (n, k) so the weight gradient is one matrix product."""
    return a if a.ndim == 2 else a.reshape(-1, a.shape[-1])


def _linear_dx(g: Any, ans: Any, x: Any, weight: Any, bias: Any = None) -> Any:
    return g @ weight


def _linear_dw(g: Any, ans: Any, x: Any, weight: Any, bias: Any = None) -> Any:
    if x.ndim == 1:
        return ag.outer(g, x)
    return _flat(g).T @ _flat(x)


def _linear_db(g: Any, ans: Any, x: Any, weight: Any, bias: Any = None) -> Any:
    if g.ndim == 1:
        return g
    g = _flat(g)
    rows, cols = g.shape
    if rows < 64 or cols == 1:
        return g.sum(axis=0)  # ndarray.sum on a first-order pass, the recorded op under create_graph
    # Column sums of a tall array as one matrix-vector product: numpy's axis-0 reduction walks
    # it row by row (51 µs for 4,000 × 5 float64, against 7 µs for ones @ g).
    return np.ones(rows, dtype=g.dtype) @ g


_linear = Primitive("linear", _linear_forward, _linear_dx, _linear_dw, _linear_db)


def linear(x: Any, weight: Any, bias: Any = None) -> Any:
    """``x @ weight.T + bias`` as one fused op (torch layout: weight (out, in), bias (out,)).

    >>> import numpy as np
    >>> from nn.functional import linear
    >>> linear(np.ones((1, 2)), np.array([[1.0, 2.0]]), np.array([0.5]))
    array([[3.5]])
    """
    if not isinstance(x, Tensor):
        x = np.asarray(x)
    if bias is None:
        return _linear(x, weight)
    return _linear(x, weight, bias)


# -- activations ---------------------------------------------------------------------------
def identity(x: Any) -> Any:
    """Return ``x`` unchanged.

    >>> from nn.functional import identity
    >>> identity(2.0)
    2.0
    """
    return x


def step(x: Any) -> Any:
    """Binary (Heaviside) step: 1 where x >= 0, else 0 (as in the lecture); gradient 0.

    >>> import numpy as np
    >>> from nn.functional import step
    >>> step(np.array([-1.0, 0.0, 2.0]))
    array([0., 1., 1.])
    """
    return ag.step(x)


def sigmoid(x: Any) -> Any:
    """The logistic function 1 / (1 + e**-x), stable for any x.

    >>> import numpy as np
    >>> from nn.functional import sigmoid
    >>> sigmoid(np.array([0.0]))
    array([0.5])
    """
    return ag.sigmoid(x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent.

    >>> import numpy as np
    >>> from nn.functional import tanh
    >>> tanh(np.array([0.0]))
    array([0.])
    """
    return ag.tanh(x)


def relu(x: Any) -> Any:
    """max(x, 0), with relu'(0) = 0.

    >>> import numpy as np
    >>> from nn.functional import relu
    >>> relu(np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    return ag.relu(x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, else ``negative_slope * x`` (the lecture's alpha).

    >>> import numpy as np
    >>> from nn.functional import leaky_relu
    >>> leaky_relu(np.array([-2.0, 2.0]), 0.1)
    array([-0.2,  2. ])
    """
    return ag.leaky_relu(x, negative_slope=negative_slope)


def silu(x: Any) -> Any:
    """x * sigmoid(x), also called swish.

    >>> import numpy as np
    >>> from nn.functional import silu
    >>> silu(np.array([0.0]))
    array([0.])
    """
    return ag.silu(x)


swish = silu


def softplus(x: Any, beta: float = 1.0) -> Any:
    """log(1 + e**(beta x)) / beta, a smooth ReLU, stable for any x.

    >>> import numpy as np
    >>> from nn.functional import softplus
    >>> softplus(np.array([0.0])).round(4)
    array([0.6931])
    """
    if beta == 1.0:
        return ag.softplus(x)
    return ag.softplus(x * beta) / beta


def gelu(x: Any, approximate: str = "none") -> Any:
    """Gaussian error linear unit, exact (erf) or ``approximate="tanh"``, as torch.

    >>> import numpy as np
    >>> from nn.functional import gelu
    >>> gelu(np.array([0.0]))
    array([0.])
    """
    return ag.gelu(x, approximate=approximate)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """x for x > 0, else alpha * (e**x - 1).

    >>> import numpy as np
    >>> from nn.functional import elu
    >>> elu(np.array([1.0]))
    array([1.])
    """
    return ag.elu(x, alpha=alpha)


def softmax(x: Any, axis: int = -1) -> Any:
    """exp(x) / sum(exp(x)) along ``axis``, stable for any x.

    >>> import numpy as np
    >>> from nn.functional import softmax
    >>> softmax(np.array([0.0, 0.0]))
    array([0.5, 0.5])
    """
    return ag.softmax(x, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """x - logsumexp(x) along ``axis``, stable for any x.

    >>> import numpy as np
    >>> from nn.functional import log_softmax
    >>> log_softmax(np.array([0.0, 0.0])).round(4)
    array([-0.6931, -0.6931])
    """
    return ag.log_softmax(x, axis=axis)


# -- loss helpers --------------------------------------------------------------------------
def _check_reduction(loss: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{loss}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _reduce(loss: Any, reduction: str) -> Any:
    if reduction == "mean":
        return ag.mean(loss)
    if reduction == "sum":
        return ag.sum(loss)
    return loss


def _float_input(loss: str, x: Any) -> Any:
    if not isinstance(x, Tensor):
        x = np.asarray(x)
    if x.dtype.kind != "f":
        raise TypeError(f"{loss}: the prediction must be floating point, got dtype {x.dtype} shape {x.shape}")
    return x


def _matching_target(loss: str, x: Any, target: Any) -> Any:
    """The target cast to the prediction's dtype and shape.

    Shapes must match, except that a target of the same size with trailing unit axes
    dropped (``y`` of shape (n,) against a prediction (n, 1)) is reshaped, the common case
    of a one-output model; anything else would broadcast silently into a wrong loss.
    """
    t = target if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "fiub":
        raise TypeError(f"{loss}: the target must be numeric, got dtype {t.dtype} shape {t.shape}")
    if t.shape != x.shape:
        squeezed = tuple(x.shape)
        while squeezed and squeezed[-1] == 1:
            squeezed = squeezed[:-1]
        if t.shape != squeezed:
            raise ValueError(f"{loss}: prediction shape {x.shape} and target shape {t.shape} do not match")
        t = ag.reshape(t, x.shape)
    if t.dtype != x.dtype:
        t = ag.astype(t, x.dtype)
    return t


def _prepare(loss: str, x: Any, target: Any, reduction: str) -> Tuple[Any, Any]:
    _check_reduction(loss, reduction)
    x = _float_input(loss, x)
    return x, _matching_target(loss, x, target)


# -- regression losses ----------------------------------------------------------------------
def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error (input - target)**2, reduced.

    >>> import numpy as np
    >>> from nn.functional import mse_loss
    >>> float(mse_loss(np.array([1.0, 3.0]), np.array([0.0, 0.0])))
    5.0
    """
    x, t = _prepare("mse_loss", input, target, reduction)
    d = x - t
    return _reduce(d * d, reduction)


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean absolute error |input - target|, reduced (gradient 0 where they are equal).

    >>> import numpy as np
    >>> from nn.functional import l1_loss
    >>> float(l1_loss(np.array([1.0, -3.0]), np.array([0.0, 0.0])))
    2.0
    """
    x, t = _prepare("l1_loss", input, target, reduction)
    return _reduce(ag.abs(x - t), reduction)


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0) -> Any:
    """0.5 d**2 where |d| < delta, else delta (|d| - delta / 2), with d = input - target (torch's).

    >>> import numpy as np
    >>> from nn.functional import huber_loss
    >>> huber_loss(np.array([0.5, 3.0]), np.zeros(2), reduction="none")
    array([0.125, 2.5  ])
    """
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    x, t = _prepare("huber_loss", input, target, reduction)
    d = x - t
    a = ag.abs(d)
    return _reduce(ag.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta)), reduction)


# -- binary classification -------------------------------------------------------------------
def _bce_forward(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    # torch clamps each log at -100, so p = 0 or 1 gives a large finite loss, not inf or NaN.
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100)
        log_q = np.maximum(np.log1p(-p), -100)
    return -(y * log_p + (1 - y) * log_q)


def _bce_dp(g: Any, ans: Any, p: Any, y: Any) -> Any:
    # torch's rule: the 1e-12 floor keeps the gradient finite at p = 0 or 1.
    return g * (p - y) / ag.maximum((1 - p) * p, 1e-12)


def _bce_dy(g: Any, ans: Any, p: Any, y: Any) -> Any:
    return g * (ag.maximum(ag.log1p(-p), -100) - ag.maximum(ag.log(p), -100))


_bce = Primitive("binary_cross_entropy", _bce_forward, _bce_dp, _bce_dy)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None, reduction: str = "mean") -> Any:
    """-(y log p + (1 - y) log(1 - p)) on probabilities ``input``; each log is clamped at -100
    and the gradient's denominator at 1e-12, as torch does, so p = 0 or 1 stays finite.
    ``weight`` rescales each element's loss (broadcast to the input's shape).

    >>> import numpy as np
    >>> from nn.functional import binary_cross_entropy
    >>> float(binary_cross_entropy(np.array([0.0]), np.array([1.0])))
    100.0
    """
    x, t = _prepare("binary_cross_entropy", input, target, reduction)
    data = x.data if isinstance(x, Tensor) else x
    if data.size and (np.nanmin(data) < 0 or np.nanmax(data) > 1):
        raise ValueError(
            f"binary_cross_entropy: input must hold probabilities in [0, 1], got values from "
            f"{np.nanmin(data)} to {np.nanmax(data)} (use binary_cross_entropy_with_logits for logits)"
        )
    loss = _bce(x, t)
    if weight is not None:
        loss = loss * _weight("binary_cross_entropy", weight, x)
    return _reduce(loss, reduction)


def _weight(loss: str, weight: Any, x: Any) -> Any:
    w = weight if isinstance(weight, Tensor) else np.asarray(weight)
    try:
        np.broadcast_shapes(w.shape, x.shape)
    except ValueError:
        raise ValueError(
            f"{loss}: weight shape {w.shape} does not broadcast to input shape {x.shape}"
        ) from None
    return w if w.dtype == x.dtype else ag.astype(w, x.dtype)


def _bce_logits_forward(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # softplus(x) - x y, with softplus(x) = max(x, 0) + log1p(e**-|x|): finite for any x.
    return np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))


_bce_logits = Primitive(
    "binary_cross_entropy_with_logits",
    _bce_logits_forward,
    lambda g, ans, x, y: g * (ag.sigmoid(x) - y),
    lambda g, ans, x, y: -g * x,
)


def binary_cross_entropy_with_logits(
    input: Any, target: Any, weight: Any = None, reduction: str = "mean", pos_weight: Any = None
) -> Any:
    """Binary cross-entropy of sigmoid(input) against ``target``, computed from the logits
    (stable at any logit). ``pos_weight`` multiplies the positive term, ``weight`` every
    element, as in torch.

    >>> import numpy as np
    >>> from nn.functional import binary_cross_entropy_with_logits
    >>> float(binary_cross_entropy_with_logits(np.array([1e4]), np.array([0.0])))
    10000.0
    """
    x, t = _prepare("binary_cross_entropy_with_logits", input, target, reduction)
    if pos_weight is None:
        loss = _bce_logits(x, t)
    else:
        # torch's form: (1 - y) x + (1 + (pw - 1) y) softplus(-x).
        pw = _weight("binary_cross_entropy_with_logits", pos_weight, x)
        loss = (1 - t) * x + (1 + (pw - 1) * t) * ag.softplus(-x)
    if weight is not None:
        loss = loss * _weight("binary_cross_entropy_with_logits", weight, x)
    return _reduce(loss, reduction)


# -- multi-class classification ----------------------------------------------------------------
def _labels(loss: str, x: Any, target: Any) -> np.ndarray:
    """Integer class labels of shape (n,), checked against logits of shape (n, C)."""
    labels = target.data if isinstance(target, Tensor) else np.asarray(target)
    n, c = x.shape
    if labels.shape != (n,):
        raise ValueError(
            f"{loss}: integer labels must have shape ({n},) for input shape {x.shape}, got shape {labels.shape}"
        )
    if labels.dtype.kind == "f":
        if labels.size and not np.all(labels == np.round(labels)):
            bad = labels[labels != np.round(labels)][0]
            raise ValueError(f"{loss}: labels must be integers, got the non-integer value {bad}")
        labels = labels.astype(np.intp)
    elif labels.dtype.kind not in "iu":
        raise TypeError(f"{loss}: labels must be integers, got dtype {labels.dtype}")
    # ufunc reductions called directly: .min()/.max() add a Python wrapper each, on every step
    if labels.size and (np.minimum.reduce(labels) < 0 or np.maximum.reduce(labels) >= c):
        raise ValueError(
            f"{loss}: labels must lie in [0, {c}) for {c} classes (input shape {x.shape}), "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels


def _scaled(g: Any, n: int, reduction: str) -> Any:
    """The upstream gradient of a reduced loss spread back onto its (n, 1) rows."""
    if reduction == "mean":
        return g / n
    if reduction == "sum":
        return g
    return ag.expand_dims(g, -1)


def _ce_forward(x: np.ndarray, labels: np.ndarray, reduction: str) -> np.ndarray:
    m = np.maximum.reduce(x, axis=1, keepdims=True)
    lse = np.log(np.add.reduce(np.exp(x - m), axis=1)) + m[:, 0]
    losses = lse - x[np.arange(len(labels)), labels]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _ce_dx(g: Any, ans: Any, x: Any, labels: Any, reduction: str) -> Any:
    n, c = x.shape
    if isinstance(x, Tensor):  # create_graph: stay on the tape for higher derivatives
        return (ag.softmax(x, axis=1) - ag.one_hot(labels, c, dtype=x.dtype)) * _scaled(g, n, reduction)
    # First order on arrays: (softmax - onehot) * g, built in one buffer.
    p = np.exp(x - np.maximum.reduce(x, axis=1, keepdims=True))
    p /= np.add.reduce(p, axis=1, keepdims=True)
    p[np.arange(n), labels] -= 1
    p *= _scaled(g, n, reduction)
    return p


_cross_entropy = Primitive("cross_entropy", _ce_forward, _ce_dx)


def _nll_forward(x: np.ndarray, labels: np.ndarray, reduction: str) -> np.ndarray:
    losses = -x[np.arange(len(labels)), labels]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _nll_dx(g: Any, ans: Any, x: Any, labels: Any, reduction: str) -> Any:
    n, c = x.shape
    if isinstance(x, Tensor):
        return -ag.one_hot(labels, c, dtype=x.dtype) * _scaled(g, n, reduction)
    out = np.zeros_like(x)
    out[np.arange(n), labels] = -np.broadcast_to(_scaled(g, n, reduction), (n, 1))[:, 0]
    return out


_nll = Primitive("nll_loss", _nll_forward, _nll_dx)


def _class_input(loss: str, input: Any, reduction: str) -> Any:
    _check_reduction(loss, reduction)
    x = _float_input(loss, input)
    if x.ndim != 2:
        raise ValueError(f"{loss}: input must have shape (n, classes), got shape {x.shape}")
    return x


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Softmax cross-entropy from logits ``input`` (n, C): ``target`` is integer labels (n,)
    or class probabilities (n, C). ``mean`` averages over the n samples, as torch.

    >>> import numpy as np
    >>> from nn.functional import cross_entropy
    >>> float(cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))).__round__(4)
    0.6931
    """
    x = _class_input("cross_entropy", input, reduction)
    t = target if isinstance(target, Tensor) else np.asarray(target)
    if t.ndim == 2:
        t = _matching_target("cross_entropy", x, t)
        return _reduce(-ag.sum(t * ag.log_softmax(x, axis=1), axis=1), reduction)
    return _cross_entropy(x, _labels("cross_entropy", x, t), reduction=reduction)


def nll_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Negative log-likelihood of log-probabilities ``input`` (n, C) at integer labels (n,).

    >>> import numpy as np
    >>> from nn.functional import nll_loss
    >>> float(nll_loss(np.log(np.array([[0.25, 0.75]])), np.array([1]))).__round__(4)
    0.2877
    """
    x = _class_input("nll_loss", input, reduction)
    return _nll(x, _labels("nll_loss", x, target), reduction=reduction)
