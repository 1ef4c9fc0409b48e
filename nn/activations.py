"""Activation functions as modules, and ``get_activation`` to pick one by name.

Every row of the lecture's table (binary step, sigmoid/logistic, tanh, ReLU, leaky ReLU,
SiLU/swish) plus softplus, GELU, ELU, softmax and log-softmax.
"""

from __future__ import annotations

import numbers
from typing import Any, Dict, Type

from . import functional
from .module import Identity, Module


class Step(Module):
    """Binary (Heaviside) step: 1 where x >= 0, else 0; its gradient is 0 everywhere.

    >>> import numpy as np
    >>> import nn
    >>> nn.Step()(np.array([-1.0, 0.0]))
    array([0., 1.])
    """

    def forward(self, x: Any) -> Any:
        """Apply the step."""
        return functional.step(x)


class Sigmoid(Module):
    """The logistic function 1 / (1 + e**-x).

    >>> import numpy as np
    >>> import nn
    >>> nn.Sigmoid()(np.array([0.0]))
    array([0.5])
    """

    def forward(self, x: Any) -> Any:
        """Apply the sigmoid."""
        return functional.sigmoid(x)


class Tanh(Module):
    """Hyperbolic tangent.

    >>> import numpy as np
    >>> import nn
    >>> nn.Tanh()(np.array([0.0]))
    array([0.])
    """

    def forward(self, x: Any) -> Any:
        """Apply tanh."""
        return functional.tanh(x)


class ReLU(Module):
    """max(x, 0), with gradient 0 at 0.

    >>> import numpy as np
    >>> import nn
    >>> nn.ReLU()(np.array([-1.0, 2.0]))
    array([0., 2.])
    """

    def forward(self, x: Any) -> Any:
        """Apply ReLU."""
        return functional.relu(x)


class LeakyReLU(Module):
    """x for x > 0, else ``negative_slope * x`` (the lecture's alpha).

    >>> import numpy as np
    >>> import nn
    >>> nn.LeakyReLU(0.1)(np.array([-1.0, 2.0]))
    array([-0.1,  2. ])
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, numbers.Real):
            raise TypeError(f"LeakyReLU: negative_slope must be a number, got {negative_slope!r}")
        self.negative_slope = float(negative_slope)

    def forward(self, x: Any) -> Any:
        """Apply leaky ReLU."""
        return functional.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class SiLU(Module):
    """x * sigmoid(x), also called swish (``nn.Swish`` is the same class).

    >>> import numpy as np
    >>> import nn
    >>> nn.SiLU()(np.array([0.0]))
    array([0.])
    """

    def forward(self, x: Any) -> Any:
        """Apply SiLU."""
        return functional.silu(x)


Swish = SiLU


class Softplus(Module):
    """log(1 + e**(beta x)) / beta, a smooth ReLU.

    >>> import numpy as np
    >>> import nn
    >>> nn.Softplus()(np.array([0.0])).round(4)
    array([0.6931])
    """

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        if not beta > 0:
            raise ValueError(f"Softplus: beta must be positive, got {beta}")
        self.beta = float(beta)

    def forward(self, x: Any) -> Any:
        """Apply softplus."""
        return functional.softplus(x, self.beta)

    def extra_repr(self) -> str:
        return f"beta={self.beta}" if self.beta != 1.0 else ""


class GELU(Module):
    """Gaussian error linear unit (exact, or ``approximate="tanh"``).

    >>> import numpy as np
    >>> import nn
    >>> nn.GELU()(np.array([0.0]))
    array([0.])
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        """Apply GELU."""
        return functional.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return "approximate='tanh'" if self.approximate == "tanh" else ""


class ELU(Module):
    """x for x > 0, else alpha * (e**x - 1).

    >>> import numpy as np
    >>> import nn
    >>> nn.ELU()(np.array([1.0]))
    array([1.])
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x: Any) -> Any:
        """Apply ELU."""
        return functional.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Softmax(Module):
    """exp(x) / sum(exp(x)) along ``axis``.

    >>> import numpy as np
    >>> import nn
    >>> nn.Softmax()(np.array([0.0, 0.0]))
    array([0.5, 0.5])
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = int(axis)

    def forward(self, x: Any) -> Any:
        """Apply softmax."""
        return functional.softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """log(softmax(x)) along ``axis``, computed stably.

    >>> import numpy as np
    >>> import nn
    >>> nn.LogSoftmax()(np.array([0.0, 0.0])).round(4)
    array([-0.6931, -0.6931])
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = int(axis)

    def forward(self, x: Any) -> Any:
        """Apply log-softmax."""
        return functional.log_softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


_BY_NAME: Dict[str, Type[Module]] = {
    "identity": Identity,
    "linear": Identity,
    "step": Step,
    "binary_step": Step,
    "sigmoid": Sigmoid,
    "logistic": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "silu": SiLU,
    "swish": SiLU,
    "softplus": Softplus,
    "gelu": GELU,
    "elu": ELU,
    "softmax": Softmax,
    "log_softmax": LogSoftmax,
}

#: Every name ``get_activation`` accepts.
ACTIVATIONS = tuple(_BY_NAME)


def get_activation(name: str, **kwargs: Any) -> Module:
    """A new activation module by name (case and ``-``/space insensitive); ``kwargs`` go to
    its constructor, e.g. ``get_activation("leaky_relu", negative_slope=0.2)``.

    >>> import nn
    >>> nn.get_activation("logistic")
    Sigmoid()
    >>> nn.get_activation("rleu")
    Traceback (most recent call last):
    ...
    ValueError: get_activation: unknown activation 'rleu'; valid names: identity, linear, step, ...
    """
    if not isinstance(name, str):
        raise TypeError(f"get_activation: name must be a str, got {type(name).__name__}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in _BY_NAME:
        raise ValueError(
            f"get_activation: unknown activation {name!r}; valid names: {', '.join(ACTIVATIONS)}"
        )
    return _BY_NAME[key](**kwargs)
