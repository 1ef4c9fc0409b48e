"""Complex numbers: the non-holomorphic primitives (conj, real, imag, angle) and the convention.

Convention (PyTorch's, as seen by users): for a real-valued L of complex z = x + iy,
``z.grad = dL/dx + i dL/dy``. Inside the sheet the rules carry the conjugate cotangent
(HIPS autograd's and JAX's form), so a holomorphic op's rule is ``g * f'(z)`` — exactly the
real rule, with no ``conj`` on the real hot path — and the engine conjugates once at the ends
(the seed and the gradients it hands out). A rule of a non-holomorphic op is written in that
inner form too, as below; for a real input the engine keeps the real part of its gradient.

>>> import numpy as np, autograd_core as ag
>>> z = ag.tensor(np.array([3.0 + 4.0j]), requires_grad=True)
>>> ag.abs(z).sum().backward()   # d|z|/dx + i d|z|/dy = z / |z|
>>> z.grad.numpy()
array([0.6+0.8j])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._primitive import Primitive
from .arithmetic import where


def is_complex(x: Any) -> bool:
    """Whether ``x`` (array, Tensor or number) holds complex numbers."""
    dtype = getattr(x, "dtype", None)
    return (dtype.kind if dtype is not None else np.asarray(x).dtype.kind) == "c"


def _conj_forward(x: Any) -> Any:
    x = np.asarray(x)
    return np.conjugate(x) if x.dtype.kind == "c" else x  # free on real data


# The rules, in the inner (conjugate-cotangent) form; singular points next to them.
conj = Primitive(
    "conj",
    _conj_forward,
    lambda g, ans, x: conj(g),
    elementwise=True,
    batchable=True,
    doc="Complex conjugate.",
)
real = Primitive("real", np.real, lambda g, ans, x: g, batchable=True, doc="Real part (real output).")
imag = Primitive(
    "imag", np.imag, lambda g, ans, x: g * -1j, batchable=True, doc="Imaginary part (real output)."
)
# angle = atan2(y, x): d/dx = -y/|z|², d/dy = x/|z|²; taken as 0 at z = 0, where it is undefined.
angle = Primitive(
    "angle",
    lambda x: np.angle(x),
    lambda g, ans, x: g * where(x == 0, 0, -1j * conj(x) / where(x == 0, 1, x * conj(x))),
    batchable=True,
    doc="Argument of a complex number, in (-pi, pi] (real output); gradient 0 at 0.",
)
conjugate = conj


def abs2(x: Any) -> Any:
    """|x|², real for complex x (x * x for real x).

    >>> import autograd_core as ag
    >>> ag.abs2(ag.tensor([3.0 + 4.0j])).numpy()
    array([25.])
    """
    return real(x * conj(x)) if is_complex(x) else x * x
