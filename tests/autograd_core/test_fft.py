"""numpy.fft: values against numpy, complex gradients against central differences, torch cross-checks.

The gradient convention is PyTorch's: for a real loss L of a complex z = x + iy the gradient is
dL/dx + i dL/dy. With an upstream gradient g on a complex output y, the loss is L = Re(vdot(g, y)),
so the finite differences below perturb the real and (for complex inputs) the imaginary part of each
input element. This checks the fft rules without relying on the engine's other complex rules.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

import autograd_core as ag
import autograd_core.numpy.fft as agf
from autograd_core._dispatch import HANDLED_FUNCTIONS

RNG = np.random.default_rng(3)
XR = RNG.standard_normal((4, 5))
XC = XR + 1j * RNG.standard_normal((4, 5))
X3 = RNG.standard_normal((2, 3, 4))

C2C = [
    ("fft", lambda f, x, nm: f.fft(x, norm=nm)),
    ("fft_n_pad_axis0", lambda f, x, nm: f.fft(x, n=7, axis=0, norm=nm)),
    ("fft_n_crop", lambda f, x, nm: f.fft(x, n=3, norm=nm)),
    ("ifft_n", lambda f, x, nm: f.ifft(x, n=6, norm=nm)),
    ("fft2_s", lambda f, x, nm: f.fft2(x, s=(3, 6), norm=nm)),
    ("ifft2", lambda f, x, nm: f.ifft2(x, norm=nm)),
    ("fftn_axes", lambda f, x, nm: f.fftn(x, axes=(1,), norm=nm)),
    ("ifftn_s", lambda f, x, nm: f.ifftn(x, s=(5, 2), axes=(0, 1), norm=nm)),
    ("irfft", lambda f, x, nm: f.irfft(x, norm=nm)),
    ("irfft_n_odd", lambda f, x, nm: f.irfft(x, n=9, norm=nm)),
    ("irfft_n_crop_axis0", lambda f, x, nm: f.irfft(x, n=4, axis=0, norm=nm)),
    ("irfft2", lambda f, x, nm: f.irfft2(x, norm=nm)),
    ("irfftn_s", lambda f, x, nm: f.irfftn(x, s=(5, 7), axes=(0, 1), norm=nm)),
    ("fftshift", lambda f, x, nm: f.fftshift(x)),
    ("ifftshift_axis", lambda f, x, nm: f.ifftshift(x, axes=1)),
]
R2C = [
    ("rfft", lambda f, x, nm: f.rfft(x, norm=nm)),
    ("rfft_n_even_pad", lambda f, x, nm: f.rfft(x, n=8, norm=nm)),
    ("rfft_n_crop_axis0", lambda f, x, nm: f.rfft(x, n=3, axis=0, norm=nm)),
    ("rfft2", lambda f, x, nm: f.rfft2(x, norm=nm)),
    ("rfftn_s", lambda f, x, nm: f.rfftn(x, s=(3, 6), axes=(0, 1), norm=nm)),
]
NORMS = [None, "backward", "ortho", "forward"]


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name, call", C2C + R2C, ids=[c[0] for c in C2C + R2C])
def test_values_equal_numpy(name: str, call: Callable, norm: str) -> None:
    xs = [XR] if (name, call) in R2C else [XR, XC]
    for x in xs:
        np.testing.assert_array_equal(call(agf, ag.tensor(x), norm).data, call(np.fft, x, norm))


def _complex_numeric(f: Callable, x: np.ndarray, g: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    def loss(z: np.ndarray) -> float:
        return float(np.real(np.vdot(g, f(ag.tensor(z)).data)))

    out = np.zeros(x.shape, dtype=x.dtype)
    for i in np.ndindex(x.shape):
        d = np.zeros(x.shape)
        d[i] = eps
        out[i] = (loss(x + d) - loss(x - d)) / (2 * eps)
        if np.iscomplexobj(x):
            out[i] += 1j * (loss(x + 1j * d) - loss(x - 1j * d)) / (2 * eps)
    return out


def _upstream(shape: tuple, complex_: bool) -> np.ndarray:
    rng = np.random.default_rng(7)
    g = rng.standard_normal(shape)
    return g + 1j * rng.standard_normal(shape) if complex_ else g


@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
@pytest.mark.parametrize("name, call", C2C + R2C, ids=[c[0] for c in C2C + R2C])
def test_gradients_against_complex_finite_differences(name: str, call: Callable, norm: str) -> None:
    xs = [XR] if (name, call) in R2C else [XR, XC]
    for x in xs:
        f = lambda t: call(agf, t, norm)  # noqa: E731
        t = ag.tensor(x, requires_grad=True)
        out = f(t)
        g = _upstream(out.shape, np.iscomplexobj(out.data))
        out.backward(g.astype(out.dtype))
        assert t.grad.dtype == x.dtype and t.grad.shape == x.shape
        np.testing.assert_allclose(t.grad.data, _complex_numeric(f, x, g), atol=1e-7)


def test_parseval_gradients() -> None:
    """sum |fft(x)|² = n sum x², and so is the rfft half spectrum with its interior bins counted twice:
    with the upstream gradient 2y (dL/dRe y + i dL/dIm y of |y|²) both give 2n x."""
    x = RNG.standard_normal(8)
    t = ag.tensor(x, requires_grad=True)
    agf.fft(t).backward(2 * np.fft.fft(x))
    np.testing.assert_allclose(t.grad.data, 16 * x, atol=1e-12)
    t = ag.tensor(x, requires_grad=True)
    weight = np.array([1.0, 2.0, 2.0, 2.0, 1.0])
    agf.rfft(t).backward(2 * weight * np.fft.rfft(x))
    np.testing.assert_allclose(t.grad.data, 16 * x, atol=1e-12)


def test_second_derivative_through_the_rules() -> None:
    # irfft(2 rfft(x)) = 2x, so f(x) = 2 sum x² and its Hessian is 4 I, through rfftn's and irfftn's rules.
    f = lambda x: (agf.irfft(agf.rfft(x) * 2.0, n=5) * x).sum()  # noqa: E731  = 2 sum x²
    np.testing.assert_allclose(ag.hessian(f)(XR[0]), 4 * np.eye(5), atol=1e-12)


def test_bad_arguments_name_the_op() -> None:
    t = ag.tensor(XR, requires_grad=True)
    with pytest.raises(ValueError, match="fftn: invalid number of data points"):
        agf.fft(t, n=0)
    with pytest.raises(ValueError, match="rfftn: axis 5 is out of bounds"):
        agf.rfft(t, axis=5)
    with pytest.raises(TypeError, match="ifftn: out= is not supported"):
        agf.ifft(t, out=np.empty(5, complex))
    with pytest.raises(ValueError, match="fftshift: axis 3 is out of bounds"):
        agf.fftshift(t, axes=3)


def test_numpy_names_are_registered_and_the_module_is_complete() -> None:
    for (
        name
    ) in "fft ifft rfft irfft fft2 ifft2 rfft2 irfft2 fftn ifftn rfftn irfftn fftshift ifftshift".split():
        assert HANDLED_FUNCTIONS[getattr(np.fft, name)] is getattr(agf, name), name
    assert set(agf.__all__) == set(np.fft.__all__) and all(hasattr(agf, n) for n in np.fft.__all__)
    assert ag.fft.fftfreq is np.fft.fftfreq and ag.fft.rfft is agf.rfft


@pytest.mark.torch
@pytest.mark.parametrize("norm", ["backward", "ortho", "forward"])
@pytest.mark.parametrize(
    "name",
    ["fft", "ifft_n", "rfft_n", "irfft", "irfft_n_odd", "fft2", "rfftn", "irfftn", "fftshift"],
)
def test_torch_cross_check(name: str, norm: str) -> None:
    torch = pytest.importorskip("torch")
    tf = torch.fft
    cases = {
        "fft": (lambda f, x: f.fft(x, norm=norm), lambda x: tf.fft(x, norm=norm), XC),
        "ifft_n": (
            lambda f, x: f.ifft(x, n=7, axis=0, norm=norm),
            lambda x: tf.ifft(x, n=7, dim=0, norm=norm),
            XC,
        ),
        "rfft_n": (lambda f, x: f.rfft(x, n=6, norm=norm), lambda x: tf.rfft(x, n=6, norm=norm), XR),
        "irfft": (lambda f, x: f.irfft(x, norm=norm), lambda x: tf.irfft(x, norm=norm), XC),
        "irfft_n_odd": (lambda f, x: f.irfft(x, n=7, norm=norm), lambda x: tf.irfft(x, n=7, norm=norm), XC),
        "fft2": (lambda f, x: f.fft2(x, s=(3, 6), norm=norm), lambda x: tf.fft2(x, s=(3, 6), norm=norm), XR),
        "rfftn": (lambda f, x: f.rfftn(x, norm=norm), lambda x: tf.rfftn(x, norm=norm), X3),
        "irfftn": (
            lambda f, x: f.irfftn(x, s=(4, 6), norm=norm),
            lambda x: tf.irfftn(x, s=(4, 6), norm=norm),
            XC,
        ),
        "fftshift": (lambda f, x: f.fftshift(x), lambda x: tf.fftshift(x), XC),
    }
    ours, theirs, x = cases[name]
    t = ag.tensor(x, requires_grad=True)
    out = ours(agf, t)
    g = _upstream(out.shape, np.iscomplexobj(out.data))
    out.backward(g.astype(out.dtype))
    tt = torch.tensor(x, requires_grad=True)
    tout = theirs(tt)
    tout.backward(torch.tensor(g.astype(out.dtype)))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-10, atol=1e-12)
