"""``numpy.fft`` with gradients: ``import autograd_core as ag`` then ``ag.fft.rfft(t)``.

Every public name of ``numpy.fft``: ours for fft, ifft, rfft, irfft, fft2, ifft2, rfft2, irfft2,
fftn, ifftn, rfftn, irfftn, fftshift, ifftshift; numpy's own for fftfreq, rfftfreq (no array
input to differentiate) and hfft, ihfft (no rule yet: numpy's dispatch refuses them on Tensors
that require grad). The rules are in ``autograd_core/ops/fft.py``.

>>> import autograd_core as ag
>>> ag.fft.fftshift(ag.tensor([0.0, 1.0, 2.0, 3.0])).numpy()
array([2., 3., 0., 1.])
"""

from __future__ import annotations

import numpy as _np

from .ops.fft import (
    fft,
    fft2,
    fftn,
    fftshift,
    ifft,
    ifft2,
    ifftn,
    ifftshift,
    irfft,
    irfft2,
    irfftn,
    rfft,
    rfft2,
    rfftn,
)

fftfreq, rfftfreq, hfft, ihfft = _np.fft.fftfreq, _np.fft.rfftfreq, _np.fft.hfft, _np.fft.ihfft

__all__ = [
    "fft",
    "fft2",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifft2",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfft2",
    "irfftn",
    "rfft",
    "rfft2",
    "rfftfreq",
    "rfftn",
]
