"""Weight initialisation, in place, with torch's formulas and an explicit ``seed``.

Every random initialiser takes ``seed`` (an int or a ``numpy.random.Generator``) and never
touches numpy's global state: the same seed gives the same weights. Values are drawn in
float64 and cast to the tensor's dtype. Fans follow torch for a weight of shape
(out, in, *kernel): ``fan_in = in * prod(kernel)``, ``fan_out = out * prod(kernel)``.
"""

from __future__ import annotations

import math
from typing import Any, Tuple

import numpy as np

from autograd_core import Tensor, no_grad

from ._rng import Seed, as_generator

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR_GAIN = ("linear", "identity", "sigmoid", "conv1d", "conv2d", "conv3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """torch's recommended gain for a nonlinearity (``param``: leaky ReLU's slope, default 0.01).

    >>> from nn.init import calculate_gain
    >>> round(calculate_gain("relu"), 4), round(calculate_gain("tanh"), 4)
    (1.4142, 1.6667)
    """
    if nonlinearity in _LINEAR_GAIN:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"calculate_gain: negative slope {slope!r} is not a number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; valid: "
        f"{', '.join(_LINEAR_GAIN + ('tanh', 'relu', 'leaky_relu', 'selu'))}"
    )


def _fans(tensor: Any, where: str) -> Tuple[int, int]:
    shape = np.shape(tensor.data if isinstance(tensor, Tensor) else tensor)
    if len(shape) < 2:
        raise ValueError(f"{where}: fan in and fan out need at least 2 dimensions, got shape {shape}")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _fill(tensor: Any, values: Any, where: str) -> Any:
    if isinstance(tensor, Tensor):
        with no_grad():  # a tracked in-place write: bumps the version, records nothing
            tensor[...] = np.asarray(values).astype(tensor.dtype, copy=False)
    elif isinstance(tensor, np.ndarray):
        tensor[...] = values
    else:
        raise TypeError(f"{where}: expected a Parameter, Tensor or ndarray, got {type(tensor).__name__}")
    return tensor


def _shape(tensor: Any) -> tuple:
    return np.shape(tensor.data if isinstance(tensor, Tensor) else tensor)


def uniform_(tensor: Any, a: float = 0.0, b: float = 1.0, seed: Seed = None) -> Any:
    """Fill with U(a, b); returns the tensor.

    >>> import numpy as np
    >>> import numpy as np
    >>> import nn
    >>> p = nn.init.uniform_(nn.Parameter(np.zeros(3)), -1, 1, seed=0)
    >>> bool(((p.numpy() >= -1) & (p.numpy() < 1)).all())
    True
    """
    if not a <= b:
        raise ValueError(f"uniform_: need a <= b, got a={a}, b={b}")
    rng = as_generator(seed, "uniform_")
    return _fill(tensor, rng.uniform(a, b, size=_shape(tensor)), "uniform_")


def normal_(tensor: Any, mean: float = 0.0, std: float = 1.0, seed: Seed = None) -> Any:
    """Fill with N(mean, std**2); returns the tensor.

    >>> import numpy as np
    >>> import nn
    >>> nn.init.normal_(nn.Parameter(np.zeros(2)), seed=0).shape
    (2,)
    """
    if not std >= 0:
        raise ValueError(f"normal_: std must be non-negative, got {std}")
    rng = as_generator(seed, "normal_")
    return _fill(tensor, rng.normal(mean, std, size=_shape(tensor)), "normal_")


def constant_(tensor: Any, value: float) -> Any:
    """Fill with ``value``; returns the tensor.

    >>> import numpy as np
    >>> import nn
    >>> nn.init.constant_(nn.Parameter(np.zeros(2)), 0.5).numpy()
    array([0.5, 0.5])
    """
    return _fill(tensor, np.full(_shape(tensor), value), "constant_")


def zeros_(tensor: Any) -> Any:
    """Fill with 0; returns the tensor.

    >>> import numpy as np
    >>> import nn
    >>> nn.init.zeros_(nn.Parameter(np.ones(2))).numpy()
    array([0., 0.])
    """
    return constant_(tensor, 0.0)


def ones_(tensor: Any) -> Any:
    """Fill with 1; returns the tensor.

    >>> import numpy as np
    >>> import nn
    >>> nn.init.ones_(nn.Parameter(np.zeros(2))).numpy()
    array([1., 1.])
    """
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Any, gain: float = 1.0, seed: Seed = None) -> Any:
    """Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).

    >>> import numpy as np
    >>> import nn
    >>> w = nn.init.xavier_uniform_(nn.Parameter(np.zeros((3, 5))), seed=0)
    >>> bool(abs(w.numpy()).max() <= (6 / 8) ** 0.5)
    True
    """
    fan_in, fan_out = _fans(tensor, "xavier_uniform_")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out)) if fan_in + fan_out else 0.0
    rng = as_generator(seed, "xavier_uniform_")
    return _fill(tensor, rng.uniform(-bound, bound, size=_shape(tensor)), "xavier_uniform_")


def xavier_normal_(tensor: Any, gain: float = 1.0, seed: Seed = None) -> Any:
    """Glorot normal: N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)).

    >>> import numpy as np
    >>> import nn
    >>> nn.init.xavier_normal_(nn.Parameter(np.zeros((3, 5))), seed=0).shape
    (3, 5)
    """
    fan_in, fan_out = _fans(tensor, "xavier_normal_")
    std = gain * math.sqrt(2.0 / (fan_in + fan_out)) if fan_in + fan_out else 0.0
    rng = as_generator(seed, "xavier_normal_")
    return _fill(tensor, rng.normal(0.0, std, size=_shape(tensor)), "xavier_normal_")


def _kaiming_std(tensor: Any, a: float, mode: str, nonlinearity: str, where: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{where}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(tensor, where)
    fan = fan_in if mode == "fan_in" else fan_out
    try:
        gain = calculate_gain(nonlinearity, a)
    except ValueError as err:
        raise ValueError(f"{where}: {str(err).removeprefix('calculate_gain: ')}") from None
    return gain / math.sqrt(fan) if fan else 0.0


def kaiming_uniform_(
    tensor: Any, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", seed: Seed = None
) -> Any:
    """He uniform: U(-b, b) with b = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a).

    torch's defaults: ``a=0`` with ``"leaky_relu"`` gives gain sqrt(2), the He/ReLU value.
    ``a=sqrt(5)`` gives b = 1 / sqrt(fan_in), torch's (and ``nn.Linear``'s) default weight init.

    >>> import numpy as np
    >>> import nn
    >>> w = nn.init.kaiming_uniform_(nn.Parameter(np.zeros((4, 6))), seed=0)
    >>> bool(abs(w.numpy()).max() <= (2 * 3 / 6) ** 0.5)
    True
    """
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_")
    rng = as_generator(seed, "kaiming_uniform_")
    return _fill(tensor, rng.uniform(-bound, bound, size=_shape(tensor)), "kaiming_uniform_")


def kaiming_normal_(
    tensor: Any, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", seed: Seed = None
) -> Any:
    """He normal: N(0, std**2) with std = gain / sqrt(fan) (defaults as ``kaiming_uniform_``).

    >>> import numpy as np
    >>> import nn
    >>> nn.init.kaiming_normal_(nn.Parameter(np.zeros((4, 6))), seed=0).shape
    (4, 6)
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_")
    rng = as_generator(seed, "kaiming_normal_")
    return _fill(tensor, rng.normal(0.0, std, size=_shape(tensor)), "kaiming_normal_")
