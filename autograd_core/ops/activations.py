"""Activation primitives and compositions, stable at |x| = 1e4.

Conventions (tested): relu'(0) = 0; leaky_relu'(0) = negative_slope (and the slope's own
derivative is 0 at x = 0, like elu's alpha); step (Heaviside,
step(0) = 1 as in the lecture's table) has gradient 0 everywhere.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._primitive import Primitive
from .arithmetic import minimum, where
from .elementwise import erf, expm1, tanh


def _sigmoid_forward(x: Any) -> Any:
    # 1 / (1 + e**-x) is accurate to a few ulps for every x, tails included; where e**-x
    # overflows (x < -709 in float64) the result is 1 / inf = 0, the correctly rounded value,
    # so only numpy's overflow warning is silenced. Four passes over one buffer: temporaries
    # of large arrays cost more than the arithmetic (each is a fresh mmap).
    r = np.empty(x.shape if type(x) is np.ndarray else np.shape(x), dtype=np.result_type(x, 1.0))
    np.negative(x, out=r)
    with np.errstate(over="ignore"):
        np.exp(r, out=r)
    r += 1.0
    return np.divide(1.0, r, out=r)


def _elu_forward(x: Any, alpha: float = 1.0) -> Any:
    # expm1 only sees x <= 0, so large positive x cannot overflow in the discarded branch.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _relu_forward(x: Any) -> Any:
    return np.maximum(x, 0)


sigmoid = Primitive(
    "sigmoid",
    _sigmoid_forward,
    lambda g, ans, x: g * (ans * (1.0 - ans)),
    elementwise=True,
    batchable=True,
    doc="The logistic function 1 / (1 + e**-x), stable for any x.\n\n"
    ">>> import autograd_core as ag\n>>> ag.sigmoid(ag.tensor([0.0])).numpy()\narray([0.5])",
)
relu = Primitive(
    "relu",
    _relu_forward,
    lambda g, ans, x: g * (x > 0),
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="max(x, 0), with relu'(0) = 0.\n\n>>> import autograd_core as ag\n"
    ">>> ag.relu(ag.tensor([-1.0, 2.0])).numpy()\narray([0., 2.])",
)
leaky_relu = Primitive(
    "leaky_relu",
    lambda x, negative_slope=0.01: np.where(x > 0, x, x * negative_slope),
    lambda g, ans, x, negative_slope=0.01: where(x > 0, g, g * negative_slope),
    lambda g, ans, x, negative_slope=0.01: where(x > 0, 0, g * x),
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="x for x > 0, else negative_slope * x.\n\n>>> import autograd_core as ag\n"
    ">>> ag.leaky_relu(ag.tensor([-1.0, 2.0]), 0.1).numpy()\narray([-0.1,  2. ])",
)
elu = Primitive(
    "elu",
    _elu_forward,
    lambda g, ans, x, alpha=1.0: where(x > 0, g, g * (ans + alpha)),
    lambda g, ans, x, alpha=1.0: g * expm1(minimum(x, 0)),  # 0 for x > 0, as the output there
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="x for x > 0, else alpha * (e**x - 1).\n\n>>> import autograd_core as ag\n"
    ">>> ag.elu(ag.tensor([0.0, 2.0])).numpy()\narray([0., 2.])",
)
softplus = Primitive(
    "softplus",
    lambda x: np.logaddexp(0, x),
    lambda g, ans, x: g * sigmoid(x),
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="log(1 + e**x), stable for any x.\n\n>>> import autograd_core as ag\n"
    ">>> float(ag.softplus(ag.tensor(0.0)).numpy().round(4))\n0.6931",
)
step = Primitive(
    "step",
    lambda x: np.heaviside(x, 1.0).astype(np.result_type(x, np.float32), copy=False),
    lambda g, ans, x: g * 0,
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="Binary (Heaviside) step: 1 where x >= 0, else 0; gradient 0 everywhere.\n\n"
    ">>> import autograd_core as ag\n>>> ag.step(ag.tensor([-1.0, 0.0])).numpy()\narray([0., 1.])",
)

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_HALF = math.sqrt(0.5)


def selu(x: Any) -> Any:
    """Scaled ELU with the self-normalising constants.

    >>> import autograd_core as ag
    >>> ag.selu(ag.tensor([0.0])).numpy()
    array([0.])
    """
    return elu(x, _SELU_ALPHA) * _SELU_SCALE


def silu(x: Any) -> Any:
    """x * sigmoid(x), also called swish.

    >>> import autograd_core as ag
    >>> ag.silu(ag.tensor([0.0])).numpy()
    array([0.])
    """
    return x * sigmoid(x)


def gelu(x: Any, approximate: str = "none") -> Any:
    """Gaussian error linear unit: exact (erf) or ``approximate="tanh"``, as torch.

    >>> import autograd_core as ag
    >>> ag.gelu(ag.tensor([0.0])).numpy()
    array([0.])
    """
    if approximate == "tanh":
        return 0.5 * x * (1 + tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return 0.5 * x * (1 + erf(x * _SQRT_HALF))
