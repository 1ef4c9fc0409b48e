"""Activations: the lecture's table, gradients (gradcheck), torch parity, names, extremes."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import gradcheck, tensor

X = np.array([-3.0, -1.5, -0.2, 0.3, 1.0, 2.5])

# module, functional, reference formula (the lecture's table plus the extras)
CASES = {
    "step": (nn.Step(), F.step, lambda x: (x >= 0).astype(float)),
    "sigmoid": (nn.Sigmoid(), F.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (nn.Tanh(), F.tanh, np.tanh),
    "relu": (nn.ReLU(), F.relu, lambda x: np.maximum(x, 0)),
    "leaky_relu": (nn.LeakyReLU(0.1), lambda x: F.leaky_relu(x, 0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    "silu": (nn.SiLU(), F.silu, lambda x: x / (1 + np.exp(-x))),
    "softplus": (nn.Softplus(), F.softplus, lambda x: np.log1p(np.exp(x))),
    "softplus_beta": (nn.Softplus(2.0), lambda x: F.softplus(x, 2.0), lambda x: np.log1p(np.exp(2 * x)) / 2),
    "elu": (nn.ELU(0.5), lambda x: F.elu(x, 0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    "gelu_tanh": (
        nn.GELU("tanh"),
        lambda x: F.gelu(x, "tanh"),
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    ),
    "softmax": (nn.Softmax(), F.softmax, lambda x: np.exp(x) / np.exp(x).sum()),
    "log_softmax": (nn.LogSoftmax(), F.log_softmax, lambda x: x - np.log(np.exp(x).sum())),
}


@pytest.mark.parametrize("name", list(CASES))
def test_values_match_formula_for_module_and_function(name):
    module, function, reference = CASES[name]
    np.testing.assert_allclose(module(X), reference(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(function(tensor(X)).numpy(), reference(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", [n for n in CASES if n != "step"])
def test_gradcheck(name):
    module, _, _ = CASES[name]
    assert gradcheck(module, X.reshape(2, 3))


def test_gelu_exact_gradcheck_and_swish_alias():
    assert gradcheck(nn.GELU(), X)
    assert nn.Swish is nn.SiLU and F.swish is F.silu


def test_step_has_zero_gradient_and_step_at_zero_is_one():
    x = tensor(np.array([-1.0, 0.0, 1.0]), requires_grad=True)
    y = nn.Step()(x)
    np.testing.assert_array_equal(y.numpy(), [0.0, 1.0, 1.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(3))


def test_kink_conventions():
    x = tensor(np.zeros(1), requires_grad=True)
    nn.ReLU()(x).sum().backward()
    assert x.grad.item() == 0.0


TORCH_NAMES = {
    "sigmoid": ("Sigmoid", {}),
    "tanh": ("Tanh", {}),
    "relu": ("ReLU", {}),
    "leaky_relu": ("LeakyReLU", {"negative_slope": 0.1}),
    "silu": ("SiLU", {}),
    "softplus": ("Softplus", {}),
    "softplus_beta": ("Softplus", {"beta": 2.0}),
    "elu": ("ELU", {"alpha": 0.5}),
    "gelu_tanh": ("GELU", {"approximate": "tanh"}),
    "softmax": ("Softmax", {"dim": -1}),
    "log_softmax": ("LogSoftmax", {"dim": -1}),
}


@pytest.mark.parametrize("name", list(TORCH_NAMES))
def test_torch_parity_values_and_grads(name):
    torch = pytest.importorskip("torch")
    module, _, _ = CASES[name]
    cls, kwargs = TORCH_NAMES[name]
    x = np.random.default_rng(0).normal(size=(4, 5)) * 3
    g = np.random.default_rng(1).normal(size=(4, 5))
    ours = tensor(x, requires_grad=True)
    out = module(ours)
    out.backward(g)
    theirs = torch.tensor(x, requires_grad=True)
    tout = getattr(torch.nn, cls)(**kwargs)(theirs)
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_torch_parity_exact_gelu():
    torch = pytest.importorskip("torch")
    x = np.linspace(-5, 5, 41)
    ours = tensor(x, requires_grad=True)
    out = nn.GELU()(ours)
    out.sum().backward()
    theirs = torch.tensor(x, requires_grad=True)
    torch.nn.GELU()(theirs).sum().backward()
    np.testing.assert_allclose(out.numpy(), torch.nn.functional.gelu(torch.tensor(x)).numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), atol=1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(CASES))
def test_finite_and_dtype_preserving_at_extremes(name, dtype):
    module, _, _ = CASES[name]
    x = tensor(np.array([-1e4, -50.0, 0.0, 50.0, 1e4], dtype=dtype), requires_grad=True)
    out = module(x)
    assert out.dtype == dtype and np.isfinite(out.numpy()).all()
    out.backward(np.ones(5, dtype=dtype))
    assert x.grad.dtype == dtype and np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize(
    "name, cls",
    [
        ("identity", nn.Identity),
        ("step", nn.Step),
        ("binary_step", nn.Step),
        ("sigmoid", nn.Sigmoid),
        ("logistic", nn.Sigmoid),
        ("tanh", nn.Tanh),
        ("relu", nn.ReLU),
        ("leaky_relu", nn.LeakyReLU),
        ("silu", nn.SiLU),
        ("swish", nn.SiLU),
        ("softplus", nn.Softplus),
        ("gelu", nn.GELU),
        ("elu", nn.ELU),
        ("softmax", nn.Softmax),
        ("log_softmax", nn.LogSoftmax),
        ("Leaky-ReLU", nn.LeakyReLU),
    ],
)
def test_get_activation_by_name(name, cls):
    assert type(nn.get_activation(name)) is cls
    assert name.lower().replace("-", "_") in nn.ACTIVATIONS or name == "Leaky-ReLU"


def test_get_activation_kwargs_and_errors():
    assert nn.get_activation("leaky_relu", negative_slope=0.3).negative_slope == 0.3
    with pytest.raises(ValueError) as info:
        nn.get_activation("sigmod")
    assert "'sigmod'" in str(info.value) and all(n in str(info.value) for n in nn.ACTIVATIONS)
    with pytest.raises(TypeError, match="must be a str"):
        nn.get_activation(3)
    with pytest.raises(ValueError, match="Softplus: beta"):
        nn.Softplus(0)
    with pytest.raises(ValueError, match="GELU: approximate"):
        nn.GELU("fast")


def test_reprs():
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.ELU()) == "ELU(alpha=1.0)"
    assert repr(nn.Softmax(axis=1)) == "Softmax(axis=1)"
    assert repr(nn.ReLU()) == "ReLU()"
