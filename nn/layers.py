"""Layers with parameters or state: ``Linear``, ``Dropout`` and the ``MLP`` built from them."""

from __future__ import annotations

import copy
import math
from typing import Any, Sequence, Type, Union

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from . import functional, init
from ._rng import Seed, as_generator
from .activations import get_activation
from .module import Module, Sequential
from .parameter import Parameter


def _size(value: Any, name: str, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{where}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{where}: {name} must be >= {minimum}, got {value}")
    return int(value)


def _float_dtype(dtype: Any, where: str) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{where}: dtype must be a numpy floating dtype, got {dtype!r}") from None
    if dt.kind != "f":
        raise TypeError(f"{where}: dtype must be a floating dtype (float32 or float64), got {dt}")
    return dt


def cast_input(x: Any, dtype: np.dtype) -> Any:
    """``x`` as an ndarray or Tensor of ``dtype``: the model boundary, so that a float32 model
    never computes in float64 and integer inputs become floats (a Tensor cast stays on the tape).

    >>> import numpy as np
    >>> cast_input(np.array([1, 2]), np.dtype(np.float32)).dtype
    dtype('float32')
    """
    if isinstance(x, Tensor):
        return x if x.dtype == dtype else ag.astype(x, dtype)
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        raise TypeError(f"model input must be numeric, got dtype {x.dtype} with shape {x.shape}")
    return x if x.dtype == dtype else x.astype(dtype)


class Linear(Module):
    """``y = x @ weight.T + bias`` with torch's layout (weight (out, in), bias (out,)) and init:
    both drawn from U(-1/sqrt(in), 1/sqrt(in)) (``kaiming_uniform_`` with a = sqrt(5)).

    Inputs of another dtype (float64 arrays, integers) are cast to ``dtype`` first.

    >>> import numpy as np
    >>> import nn
    >>> layer = nn.Linear(3, 2, seed=0)
    >>> layer(np.ones((4, 3))).shape, layer.weight.dtype
    ((4, 2), dtype('float32'))
    >>> layer
    Linear(in_features=3, out_features=2, bias=True)  # 8 params
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        dtype: Any = np.float32,
        seed: Seed = None,
    ) -> None:
        super().__init__()
        self.in_features = _size(in_features, "in_features", "Linear")
        self.out_features = _size(out_features, "out_features", "Linear")
        self.dtype = _float_dtype(dtype, "Linear")
        rng = as_generator(seed, "Linear")
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=self.dtype))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), seed=rng)
        if bias:
            bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
            self.bias = init.uniform_(
                Parameter(np.empty(self.out_features, dtype=self.dtype)), -bound, bound, rng
            )
        else:
            self.bias = None

    def forward(self, x: Any) -> Any:
        """Apply the affine map to the last axis of ``x``."""
        x = cast_input(x, self.dtype)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"Linear: expected input with last axis {self.in_features}, got shape {x.shape}")
        return functional.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Dropout(Module):
    """In training, zero each element with probability ``p`` and scale the rest by 1/(1-p);
    in eval mode, the identity. The mask comes from ``seed`` (int or Generator), never numpy's
    global state.

    >>> import numpy as np
    >>> import nn
    >>> drop = nn.Dropout(0.5, seed=0)
    >>> sorted(set(drop(np.ones(100)).tolist()))
    [0.0, 2.0]
    >>> drop.eval()(np.ones(3))
    array([1., 1., 1.])
    """

    def __init__(self, p: float = 0.5, seed: Seed = None) -> None:
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ValueError(f"Dropout: p must be a probability in [0, 1], got {p!r}")
        self.p = float(p)
        self._rng = as_generator(seed, "Dropout")

    def forward(self, x: Any) -> Any:
        """Drop elements (training) or pass ``x`` through (eval)."""
        if not self.training or self.p == 0:
            return x
        data = x.data if isinstance(x, Tensor) else np.asarray(x)
        dtype = data.dtype if data.dtype.kind == "f" else np.dtype(np.float32)
        if self.p == 1:
            mask = np.zeros(data.shape, dtype=dtype)
        else:
            mask = (self._rng.random(data.shape) >= self.p).astype(dtype)
            mask *= dtype.type(1 / (1 - self.p))
        return x * mask

    def extra_repr(self) -> str:
        return f"p={self.p}"


ActivationSpec = Union[str, Module, Type[Module]]


def _activation(spec: ActivationSpec, where: str) -> Module:
    if isinstance(spec, str):
        return get_activation(spec)
    if isinstance(spec, Module):
        return copy.deepcopy(spec)  # one instance per layer keeps the module tree a tree
    if isinstance(spec, type) and issubclass(spec, Module):
        return spec()
    raise TypeError(
        f"{where}: activation must be a name, an nn.Module subclass or instance, got {type(spec).__name__}"
    )


class MLP(Module):
    """A multilayer perceptron: Linear layers of the given sizes with ``activation`` between
    them and ``output_activation`` (default none: raw outputs/logits) after the last.

    ``activation`` is a name (see ``nn.ACTIVATIONS``), an activation class, or an instance
    such as ``nn.LeakyReLU(0.2)``. Layers live in ``self.layers`` (a Sequential), so
    parameters are named ``layers.0.weight``, ``layers.0.bias``, ``layers.2.weight``, ...

    >>> import numpy as np
    >>> import nn
    >>> model = nn.MLP(2, [5], 1, activation="tanh", seed=0)
    >>> model(np.zeros((3, 2))).shape
    (3, 1)
    >>> print(model)
    MLP(
      (layers): Sequential(
        (0): Linear(in_features=2, out_features=5, bias=True)  # 15 params
        (1): Tanh()
        (2): Linear(in_features=5, out_features=1, bias=True)  # 6 params
      )  # 21 params
    )  # 21 params
    """

    def __init__(
        self,
        in_features: int,
        hidden_sizes: Sequence[int],
        out_features: int,
        activation: ActivationSpec = "relu",
        output_activation: Any = None,
        dtype: Any = np.float32,
        seed: Seed = None,
    ) -> None:
        super().__init__()
        if isinstance(hidden_sizes, (int, np.integer)):
            raise TypeError(
                f"MLP: hidden_sizes must be a sequence of ints such as [{hidden_sizes}], got the int {hidden_sizes}"
            )
        sizes = [_size(in_features, "in_features", "MLP")]
        sizes += [_size(h, f"hidden_sizes[{i}]", "MLP", minimum=1) for i, h in enumerate(hidden_sizes)]
        sizes.append(_size(out_features, "out_features", "MLP", minimum=1))
        self.dtype = _float_dtype(dtype, "MLP")
        rng = as_generator(seed, "MLP")
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Linear(n_in, n_out, dtype=self.dtype, seed=rng))
            if i < len(sizes) - 2:
                layers.append(_activation(activation, "MLP"))
        if output_activation is not None:
            layers.append(_activation(output_activation, "MLP"))
        self.in_features = sizes[0]
        self.hidden_sizes = tuple(sizes[1:-1])
        self.out_features = sizes[-1]
        self.layers = Sequential(*layers)

    def forward(self, x: Any) -> Any:
        """Apply the layers in order."""
        return self.layers(cast_input(x, self.dtype))
