"""nn.init: torch's formulas (bounds and spreads), seeds, in-place writes, errors."""

import math

import numpy as np
import pytest

import nn
from autograd_core import tensor


def _param(shape, dtype=np.float64):
    return nn.Parameter(np.zeros(shape, dtype=dtype))


def test_xavier_uniform_bound_and_spread():
    w = nn.init.xavier_uniform_(_param((200, 300)), seed=0).numpy()
    bound = math.sqrt(6 / 500)
    assert np.abs(w).max() <= bound
    np.testing.assert_allclose(w.std(), bound / math.sqrt(3), rtol=0.02)


def test_xavier_normal_std_with_gain():
    w = nn.init.xavier_normal_(_param((200, 300)), gain=2.0, seed=0).numpy()
    np.testing.assert_allclose(w.std(), 2.0 * math.sqrt(2 / 500), rtol=0.02)


def test_kaiming_defaults_are_he_relu_on_fan_in():
    w = nn.init.kaiming_uniform_(_param((300, 200)), seed=0).numpy()
    bound = math.sqrt(2) * math.sqrt(3 / 200)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    w = nn.init.kaiming_normal_(_param((300, 200)), mode="fan_out", nonlinearity="relu", seed=0).numpy()
    np.testing.assert_allclose(w.std(), math.sqrt(2 / 300), rtol=0.02)


def test_kaiming_sqrt5_is_linears_default():
    w = nn.init.kaiming_uniform_(_param((400, 25)), a=math.sqrt(5), seed=0).numpy()
    assert np.abs(w).max() <= 1 / 5 and np.abs(w).max() > 0.99 / 5


def test_fans_include_receptive_field():
    w = nn.init.xavier_uniform_(_param((8, 4, 3, 3)), seed=0).numpy()
    assert np.abs(w).max() <= math.sqrt(6 / (4 * 9 + 8 * 9))


def test_calculate_gain_matches_torch():
    torch = pytest.importorskip("torch")
    for name, param in [
        ("linear", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("selu", None),
    ]:
        assert nn.init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))


def test_same_seed_same_values_generators_advance_and_dtype_kept():
    a = nn.init.normal_(_param((3, 4), np.float32), seed=5)
    b = nn.init.normal_(_param((3, 4), np.float32), seed=5)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    rng = np.random.default_rng(0)
    c = nn.init.uniform_(_param(4), seed=rng).numpy().copy()
    d = nn.init.uniform_(_param(4), seed=rng).numpy()
    assert not np.array_equal(c, d)


def test_in_place_on_parameter_tensor_and_ndarray():
    p = _param((2, 2))
    data = p.data
    assert nn.init.ones_(p) is p and p.data is data
    np.testing.assert_array_equal(p.numpy(), np.ones((2, 2)))
    t = tensor(np.ones(3))
    nn.init.zeros_(t)
    np.testing.assert_array_equal(t.numpy(), np.zeros(3))
    arr = np.zeros(3)
    nn.init.constant_(arr, 2.5)
    np.testing.assert_array_equal(arr, np.full(3, 2.5))


def test_init_bumps_version_so_stale_graphs_refuse_backward():
    p = _param(3)
    out = (p * p).sum()
    nn.init.ones_(p)
    with pytest.raises(ValueError, match="modified in place"):
        out.backward()


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: nn.init.xavier_uniform_(_param(3)),
            ValueError,
            r"xavier_uniform_: .*at least 2 dimensions, got shape \(3,\)",
        ),
        (
            lambda: nn.init.kaiming_normal_(_param((2, 2)), mode="fan"),
            ValueError,
            "mode must be 'fan_in' or 'fan_out'",
        ),
        (
            lambda: nn.init.kaiming_uniform_(_param((2, 2)), nonlinearity="sine"),
            ValueError,
            "unsupported nonlinearity 'sine'",
        ),
        (lambda: nn.init.uniform_(_param(2), 1, 0), ValueError, "need a <= b"),
        (lambda: nn.init.normal_(_param(2), std=-1), ValueError, "std must be non-negative"),
        (
            lambda: nn.init.normal_(_param(2), seed="x"),
            TypeError,
            "seed must be None, an int or a numpy.random.Generator",
        ),
        (lambda: nn.init.normal_(_param(2), seed=-1), ValueError, "seed must be a non-negative int"),
        (lambda: nn.init.zeros_([1.0, 2.0]), TypeError, "expected a Parameter, Tensor or ndarray"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
