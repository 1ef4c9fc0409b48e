"""numpy.fft: discrete Fourier transforms, the derivative sheet.

Three primitives carry every transform: complex-to-complex (fft, ifft, fft2, ifft2, fftn, ifftn),
real-to-complex (rfft, rfft2, rfftn) and complex-to-real (irfft, irfft2, irfftn); fftshift and
ifftshift are index permutations. Gradients follow PyTorch's convention for complex values: for a
real loss L of z = x + iy, the gradient is dL/dx + i dL/dy; a real input gets the real part.

Each transform is linear. Rules carry the conjugate of the gradient (the engine's convention, see
``ops/complex.py``), so a holomorphic map's rule is its transpose: the DFT matrix is symmetric, so
fft's rule is fft itself (same normalisation), then undoing the zero-padding or cropping that
``n``/``s`` asked for. rfft's adjoint zero-fills the dropped negative frequencies before the
inverse; irfft's is rfft with the interior bins doubled (each stands for itself and its mirror
image; the zero and Nyquist bins stand for themselves).

>>> import numpy as np, autograd_core as ag
>>> x = ag.tensor([1.0, 2.0, 0.0, -1.0], requires_grad=True)
>>> y = ag.fft.irfft(ag.fft.rfft(x) * 2.0)
>>> y.sum().backward()
>>> x.grad.numpy()
array([2., 2., 2., 2.])
"""

from __future__ import annotations

import operator
import warnings
from typing import Any, Optional, Sequence, Tuple

import numpy as np

from .._dispatch import implements
from .._primitive import Primitive
from .._tensor import Tensor
from .complex import conj
from .shape import astype, getitem, pad, take

_DUAL = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}


# -- shapes: numpy's own resolution of n / s / axis / axes ------------------------------------------
def _axes_and_sizes(
    shape: tuple, s: Any, axes: Any, op: str, last: Optional[int] = None
) -> Tuple[tuple, tuple]:
    """``(s, axes)`` fully spelled out, as numpy resolves them; ``last`` overrides the default size of the last axis."""
    nd = len(shape)
    if axes is None:
        axes = tuple(range(-len(s), 0)) if s is not None else tuple(range(nd))
    else:
        axes = tuple(operator.index(a) for a in axes)
    for a in axes:
        if not -nd <= a < nd:
            raise ValueError(f"{op}: axis {a} is out of bounds for an array of dimension {nd}")
    axes = tuple(a % nd for a in axes)
    if s is None:
        s = [shape[a] for a in axes]
        if last is not None and axes:
            s[-1] = last
    elif len(s) != len(axes):
        raise ValueError(f"{op}: s {tuple(s)} and axes {axes} must have the same length")
    s = tuple(int(n) for n in s)
    if any(n < 1 for n in s):
        raise ValueError(f"{op}: invalid number of data points {s} (each must be at least 1)")
    return s, axes


def _resize(x: Any, shape: tuple, axes: tuple) -> Any:
    """Crop or zero-pad ``x`` along ``axes`` to ``shape`` (the adjoint of numpy's own crop/pad)."""
    cut = [slice(None)] * x.ndim
    widths = [(0, 0)] * x.ndim
    for a in axes:
        have, want = x.shape[a], shape[a]
        if have > want:
            cut[a] = slice(0, want)
        elif have < want:
            widths[a] = (0, want - have)
    if any(c != slice(None) for c in cut):
        x = getitem(x, tuple(cut))
    if any(w != (0, 0) for w in widths):
        x = pad(x, tuple(widths))
    return x


def _real_like(g: Any, x: Any) -> Any:
    """The gradient of a real input is the real part (astype drops the imaginary part; its rule restores it)."""
    if np.iscomplexobj(x.data if isinstance(x, Tensor) else x) or not np.iscomplexobj(
        g.data if isinstance(g, Tensor) else g
    ):
        return g
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        return astype(g, x.dtype)


# -- the derivative sheet ----------------------------------------------------------------------------
def _c2c_forward(x: Any, s: tuple, axes: tuple, norm: Any = None, inverse: bool = False) -> np.ndarray:
    return (np.fft.ifftn if inverse else np.fft.fftn)(x, s=s, axes=axes, norm=norm)


def _c2c_vjp(g: Any, ans: Any, x: Any, s: tuple, axes: tuple, norm: Any = None, inverse: bool = False) -> Any:
    back = _c2c(g, s=s, axes=axes, norm=norm, inverse=inverse)  # Fᵀ = F: the DFT matrix is symmetric
    return _real_like(_resize(back, x.shape, axes), x)


_c2c = Primitive(
    "fftn", _c2c_forward, _c2c_vjp, doc="Complex DFT over ``axes`` with sizes ``s`` (fft's primitive)."
)


def _r2c_forward(x: Any, s: tuple, axes: tuple, norm: Any = None) -> np.ndarray:
    return np.fft.rfftn(x, s=s, axes=axes, norm=norm)


def _r2c_vjp(g: Any, ans: Any, x: Any, s: tuple, axes: tuple, norm: Any = None) -> Any:
    # rfft keeps bins 0..n//2 of the full DFT: zero-fill the rest, then the full adjoint.
    full = pad(g, tuple((0, s[-1] - g.shape[axes[-1]]) if a == axes[-1] else (0, 0) for a in range(g.ndim)))
    back = _c2c(full, s=s, axes=axes, norm=norm, inverse=False)
    return _resize(_real_like(back, x), x.shape, axes)


_r2c = Primitive("rfftn", _r2c_forward, _r2c_vjp, doc="Real-input DFT over ``axes`` (rfft's primitive).")


def _c2r_forward(y: Any, s: tuple, axes: tuple, norm: Any = None) -> np.ndarray:
    return np.fft.irfftn(y, s=s, axes=axes, norm=norm)


def _c2r_vjp(g: Any, ans: Any, y: Any, s: tuple, axes: tuple, norm: Any = None) -> Any:
    # Bin k of the half spectrum stands for bins k and n - k: interior bins count twice; the zero
    # and Nyquist bins (whose imaginary parts irfft ignores) once, and rfft gives them real values.
    n = s[-1]
    weight = np.full(n // 2 + 1, 2.0)
    weight[0] = 1.0
    if n % 2 == 0:
        weight[-1] = 1.0
    shape = [1] * g.ndim
    shape[axes[-1]] = n // 2 + 1
    back = conj(_r2c(g, s=s, axes=axes, norm=_DUAL[norm]) * weight.reshape(shape).astype(g.dtype))
    return _real_like(_resize(back, y.shape, axes), y)


_c2r = Primitive("irfftn", _c2r_forward, _c2r_vjp, doc="Inverse of rfftn, real output (irfft's primitive).")


# -- numpy's functions -----------------------------------------------------------------------------
def _shape(a: Any) -> tuple:
    return np.shape(a.data if isinstance(a, Tensor) else a)


def _one(a: Any, n: Any, axis: int) -> Tuple[Optional[tuple], tuple]:
    return (None if n is None else (n,)), (axis,)


def fftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """N-D DFT (``numpy.fft.fftn``)."""
    _no_out("fftn", out)
    s, axes = _axes_and_sizes(_shape(a), s, axes, "fftn")
    return _c2c(a, s=s, axes=axes, norm=norm, inverse=False)


def ifftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """N-D inverse DFT (``numpy.fft.ifftn``)."""
    _no_out("ifftn", out)
    s, axes = _axes_and_sizes(_shape(a), s, axes, "ifftn")
    return _c2c(a, s=s, axes=axes, norm=norm, inverse=True)


def rfftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """N-D DFT of real input, half spectrum along the last axis (``numpy.fft.rfftn``)."""
    _no_out("rfftn", out)
    s, axes = _axes_and_sizes(_shape(a), s, axes, "rfftn")
    return _r2c(a, s=s, axes=axes, norm=norm)


def irfftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """Inverse of rfftn, real output (``numpy.fft.irfftn``)."""
    _no_out("irfftn", out)
    shape = _shape(a)
    if s is None:
        _, ax = _axes_and_sizes(shape, None, axes, "irfftn")
        last = 2 * (shape[ax[-1]] - 1) if ax else None
        s, axes = _axes_and_sizes(shape, None, axes, "irfftn", last=last)
    else:
        s, axes = _axes_and_sizes(shape, s, axes, "irfftn")
    return _c2r(a, s=s, axes=axes, norm=norm)


def fft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """1-D DFT along ``axis`` (``numpy.fft.fft``), cropped or zero-padded to ``n``.

    >>> import autograd_core as ag
    >>> ag.fft.fft(ag.tensor([1.0, 0.0, 0.0, 0.0])).numpy()
    array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    return fftn(a, *_one(a, n, axis), norm=norm, out=out)


def ifft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """1-D inverse DFT along ``axis`` (``numpy.fft.ifft``)."""
    return ifftn(a, *_one(a, n, axis), norm=norm, out=out)


def rfft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """1-D DFT of real input, bins 0..n//2 (``numpy.fft.rfft``)."""
    return rfftn(a, *_one(a, n, axis), norm=norm, out=out)


def irfft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """Inverse of rfft, real output of length ``n`` (default 2 * (bins - 1)) (``numpy.fft.irfft``)."""
    return irfftn(a, *_one(a, n, axis), norm=norm, out=out)


def fft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """2-D DFT (``numpy.fft.fft2``)."""
    return fftn(a, s, axes, norm, out)


def ifft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """2-D inverse DFT (``numpy.fft.ifft2``)."""
    return ifftn(a, s, axes, norm, out)


def rfft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """2-D DFT of real input (``numpy.fft.rfft2``)."""
    return rfftn(a, s, axes, norm, out)


def irfft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """Inverse of rfft2 (``numpy.fft.irfft2``)."""
    return irfftn(a, s, axes, norm, out)


def _shift(x: Any, axes: Any, op: str, inverse: bool) -> Any:
    shape = _shape(x)
    if axes is None:
        axes = tuple(range(len(shape)))
    elif not isinstance(axes, (tuple, list)):
        axes = (axes,)
    for a in axes:
        a = operator.index(a)
        if not -len(shape) <= a < len(shape):
            raise ValueError(f"{op}: axis {a} is out of bounds for an array of dimension {len(shape)}")
        n = shape[a]
        shift = -(n // 2) if inverse else n // 2
        x = take(x, np.roll(np.arange(n), shift), axis=a % len(shape))
    return x


def fftshift(x: Any, axes: Any = None) -> Any:
    """Move the zero frequency to the centre (``numpy.fft.fftshift``): a permutation, so its gradient permutes back."""
    return _shift(x, axes, "fftshift", inverse=False)


def ifftshift(x: Any, axes: Any = None) -> Any:
    """The inverse of fftshift (``numpy.fft.ifftshift``)."""
    return _shift(x, axes, "ifftshift", inverse=True)


def _no_out(op: str, out: Any) -> None:
    if out is not None:
        raise TypeError(f"{op}: out= is not supported; use the returned value")


for _name in "fft ifft rfft irfft fft2 ifft2 rfft2 irfft2 fftn ifftn rfftn irfftn fftshift ifftshift".split():
    implements(getattr(np.fft, _name))(globals()[_name])
