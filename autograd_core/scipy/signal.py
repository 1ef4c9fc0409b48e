"""``scipy.signal.convolve`` with gradients (real N-D arrays, every mode).

One primitive, the full convolution; 'same' and 'valid' crop its centre, as scipy does. Its rule is
itself a full convolution with the other input flipped, cropped back (the "valid" correlation).

>>> import numpy as np, autograd_core as ag
>>> from autograd_core.scipy import signal
>>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> signal.convolve(x, np.array([1.0, -1.0]), mode="valid").numpy()
array([1., 1.])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.signal as _ss

from .._dispatch import implements
from .._primitive import Primitive
from ..ops.shape import getitem


def _flip(x: Any) -> Any:
    return getitem(x, (slice(None, None, -1),) * x.ndim)


def _centre(x: Any, shape: tuple) -> Any:
    starts = [(have - want) // 2 for have, want in zip(x.shape, shape)]
    return getitem(x, tuple(slice(s, s + n) for s, n in zip(starts, shape)))


def _full_forward(in1: Any, in2: Any, method: str = "auto") -> np.ndarray:
    if np.ndim(in1) != np.ndim(in2):
        raise ValueError(
            f"convolve: in1 and in2 must have the same dimensionality, got shapes {np.shape(in1)} and {np.shape(in2)}"
        )
    return _ss.convolve(in1, in2, mode="full", method=method)


_full = Primitive(
    "scipy.signal.convolve",
    _full_forward,
    lambda g, ans, in1, in2, method="auto": _centre(_full(g, _flip(in2), method=method), in1.shape),
    lambda g, ans, in1, in2, method="auto": _centre(_full(g, _flip(in1), method=method), in2.shape),
    doc="Full N-D convolution (convolve's primitive).",
)


def convolve(in1: Any, in2: Any, mode: str = "full", method: str = "auto") -> Any:
    """N-D convolution of ``in1`` and ``in2`` (``scipy.signal.convolve``), differentiable in both."""
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"convolve: mode must be 'full', 'same' or 'valid', got {mode!r}")
    out = _full(in1, in2, method=method)
    s1, s2 = np.shape(in1), np.shape(in2)
    if mode == "same":
        return _centre(out, s1)
    if mode == "valid":
        if not (all(a >= b for a, b in zip(s1, s2)) or all(a <= b for a, b in zip(s1, s2))):
            raise ValueError(
                f"convolve: mode='valid' needs one input at least as large as the other in every dimension, got {s1} and {s2}"
            )
        return _centre(out, tuple(abs(a - b) + 1 for a, b in zip(s1, s2)))
    return out


implements(_ss.convolve)(convolve)

__all__ = ["convolve"]
