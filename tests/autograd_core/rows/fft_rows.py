"""Rows for numpy.fft (one line per op). The table checks real functions of real inputs, so each
transform's output is read through its real part (``astype``, whose rule is exact for complex);
imaginary parts, complex inputs and every ``norm`` are checked in ``test_fft.py``. Products of two complex
values stay out of these rows until the engine's complex rules are settled (issue 9, item 5)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd_core as ag
from tests.autograd_core.numpy_recipes import recipe
from tests.autograd_core.op_table_kit import fixed, one, row

F = ag.fft


def _re(z: Any) -> Any:
    """Real part, in the input's precision."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        return ag.astype(z, np.float32 if z.dtype == np.complex64 else np.float64)


ROWS = [
    row("fft", lambda x: _re(F.fft(x)), one(min_dims=1), "fftn"),
    row("fft_n_pad_ortho", lambda x: _re(F.fft(x, n=5, axis=0, norm="ortho")), fixed((3, 2)), "fftn"),
    row("ifft_n_crop", lambda x: _re(F.ifft(x, n=2)), fixed((2, 4)), "fftn"),
    row("fft2_forward_norm", lambda x: _re(F.fft2(x, norm="forward")), fixed((2, 3, 4)), "fftn"),
    row("ifftn_s", lambda x: _re(F.ifftn(x, s=(3, 5))), fixed((4, 3)), "fftn"),
    row("fft_then_ifft", lambda x: _re(F.ifft(F.fft(x) * 2.0 + F.fft(x[::-1]))), fixed((5,)), "fftn"),
    row("rfft", lambda x: _re(F.rfft(x)), one(min_dims=1), "rfftn"),
    row("rfft_n_odd", lambda x: _re(F.rfft(x, n=5, norm="ortho")), fixed((2, 4)), "rfftn"),
    row("rfft2", lambda x: _re(F.rfft2(x)), fixed((3, 4)), "rfftn"),
    row("rfftn_s_axes", lambda x: _re(F.rfftn(x, s=(2, 6), axes=(0, 2))), fixed((3, 2, 4)), "rfftn"),
    row(
        "irfft_of_rfft_filtered",
        lambda x: F.irfft(F.rfft(x) * 0.5 + F.rfft(x[::-1])) ** 2,
        fixed((6,)),
        "irfftn",
    ),
    row(
        "irfft_n_odd",
        lambda x: F.irfft(F.rfft(x, axis=0), n=5, axis=0, norm="forward"),
        fixed((4, 2)),
        "irfftn",
    ),
    row("irfft2", lambda x: F.irfft2(F.rfft2(x) * 1.5, s=(3, 4)), fixed((3, 4)), "irfftn"),
    row("irfftn_real_input", lambda x: F.irfftn(x, s=(4, 4), norm="ortho"), fixed((4, 3)), "irfftn"),
    row("fftshift", F.fftshift, one(min_dims=1)),
    row("ifftshift_axes", lambda x: F.ifftshift(x, axes=(0, -1)), fixed((3, 4))),
]


# -- numpy's own names on Tensors (test_numpy_dispatch): a complex transform is read through a real
# linear function of its real and imaginary parts (np.real / np.imag dispatch too).
def _parts(z: Any) -> Any:
    return np.real(z) - 0.5 * np.imag(z)


NF = np.fft
NUMPY_RECIPES = [
    recipe(NF.fft, lambda x: _parts(NF.fft(x)), one(min_dims=1)),
    recipe(NF.fft, lambda x: _parts(NF.fft(x, n=5, axis=0, norm="ortho")), fixed((3, 2)), name="fft_n_axis"),
    recipe(NF.ifft, lambda x: _parts(NF.ifft(x, n=2)), fixed((2, 4))),
    recipe(NF.rfft, lambda x: _parts(NF.rfft(x)), one(min_dims=1)),
    recipe(NF.irfft, lambda x: NF.irfft(x, n=5, axis=0, norm="forward"), fixed((3, 2))),
    recipe(NF.fft2, lambda x: _parts(NF.fft2(x)), fixed((2, 3, 4))),
    recipe(NF.ifft2, lambda x: _parts(NF.ifft2(x, norm="ortho")), fixed((3, 4))),
    recipe(NF.rfft2, lambda x: _parts(NF.rfft2(x)), fixed((3, 4))),
    recipe(NF.irfft2, lambda x: NF.irfft2(x, s=(3, 4)), fixed((3, 3))),
    recipe(NF.fftn, lambda x: _parts(NF.fftn(x, axes=(0, 2))), fixed((2, 3, 2))),
    recipe(NF.ifftn, lambda x: _parts(NF.ifftn(x, s=(3, 5), axes=(0, 1))), fixed((4, 3))),
    recipe(NF.rfftn, lambda x: _parts(NF.rfftn(x, s=(2, 6), axes=(0, 2))), fixed((3, 2, 4))),
    recipe(NF.irfftn, lambda x: NF.irfftn(x, s=(4, 4), axes=(0, 1), norm="ortho"), fixed((4, 3))),
    recipe(NF.fftshift, lambda x: NF.fftshift(x), one(min_dims=1)),
    recipe(NF.ifftshift, lambda x: NF.ifftshift(x, axes=(0, -1)), fixed((3, 4))),
]
