"""Linear, Dropout, MLP: shapes, torch's init and layout, dtype at the model boundary, training."""

import copy
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd_core import gradcheck, gradgradcheck, no_grad, tensor
from nn.functional import linear


def test_linear_layout_values_and_default_init_bounds():
    layer = nn.Linear(50, 7, seed=0)
    assert layer.weight.shape == (7, 50) and layer.bias.shape == (7,)
    bound = 1 / math.sqrt(50)
    assert np.abs(layer.weight.numpy()).max() <= bound and np.abs(layer.bias.numpy()).max() <= bound
    assert np.abs(layer.weight.numpy()).max() > 0.8 * bound  # spread over the whole interval
    x = np.random.default_rng(1).normal(size=(4, 50)).astype(np.float32)
    expected = x @ layer.weight.numpy().T + layer.bias.numpy()
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_linear_without_bias_and_batched_and_vector_inputs():
    layer = nn.Linear(3, 2, bias=False, seed=0)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    assert layer(np.ones((5, 4, 3))).shape == (5, 4, 2)
    assert layer(np.ones(3)).shape == (2,)


@pytest.mark.parametrize("x_shape", [(3,), (4, 3), (2, 4, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_primitive_gradcheck(x_shape, bias):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=x_shape), rng.normal(size=(2, 3)), rng.normal(size=2)
    if bias:
        assert gradcheck(linear, x, w, b)
        assert gradgradcheck(linear, x, w, b)
    else:
        assert gradcheck(linear, x, w)


def test_linear_matches_torch_values_and_grads():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, w, b, g = rng.normal(size=(6, 4)), rng.normal(size=(3, 4)), rng.normal(size=3), rng.normal(size=(6, 3))
    xs, ws, bs = (tensor(a, requires_grad=True) for a in (x, w, b))
    linear(xs, ws, bs).backward(g)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = torch.nn.functional.linear(xt, wt, bt)
    out.backward(torch.tensor(g))
    for ours, theirs in ((xs, xt), (ws, wt), (bs, bt)):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_linear_shape_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"Linear: expected input with last axis 3, got shape \(4, 2\)"):
        nn.Linear(3, 1)(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"linear: input shape \(4, 2\).*weight shape \(1, 3\)"):
        linear(np.ones((4, 2)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="out_features must be >= 0"):
        nn.Linear(3, -1)
    with pytest.raises(TypeError, match="in_features must be an int"):
        nn.Linear(2.5, 1)
    with pytest.raises(TypeError, match="floating dtype"):
        nn.Linear(2, 1, dtype=np.int32)


def _dtypes_seen(model, x):
    """Run the MLP layer by layer, then backward; return every output and grad dtype seen."""
    h = nn.layers.cast_input(x, model.dtype)
    seen = {h.dtype}
    for layer in model.layers:
        h = layer(h)
        seen.add(h.dtype)
    np.testing.assert_array_equal(h.numpy(), model(x).numpy())
    h.sum().backward()
    return seen | {p.grad.dtype for p in model.parameters()}


@pytest.mark.parametrize(
    "x", [np.ones((3, 2)), np.ones((3, 2), dtype=np.int64), [[1, 2]], tensor(np.ones((3, 2)))]
)
def test_float32_model_never_computes_in_float64(x):
    model = nn.MLP(2, [4, 4], 1, activation="tanh", output_activation="sigmoid", seed=0)
    assert _dtypes_seen(model, x) == {np.dtype(np.float32)}


def test_float64_model_and_grad_flows_back_to_a_float64_input():
    model = nn.MLP(2, [3], 1, dtype=np.float64, seed=0)
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    x = tensor(np.ones((2, 2), dtype=np.float32), requires_grad=True)
    out = model(x)
    assert out.dtype == np.float64
    out.sum().backward()
    assert x.grad.dtype == np.float32


def test_mlp_structure_names_and_activation_choices():
    model = nn.MLP(3, [5, 4], 2, activation="swish", output_activation="softmax", seed=0)
    kinds = [type(m).__name__ for m in model.layers]
    assert kinds == ["Linear", "SiLU", "Linear", "SiLU", "Linear", "Softmax"]
    assert [n for n, _ in model.named_parameters()][:2] == ["layers.0.weight", "layers.0.bias"]
    assert model.hidden_sizes == (5, 4)
    np.testing.assert_allclose(model(np.ones((2, 3))).numpy().sum(axis=1), 1, rtol=1e-6)
    leaky = nn.MLP(2, [3, 3], 1, activation=nn.LeakyReLU(0.2))
    assert leaky.layers[1] is not leaky.layers[3] and leaky.layers[3].negative_slope == 0.2
    assert isinstance(nn.MLP(2, [3], 1, activation=nn.ELU).layers[1], nn.ELU)
    assert len(nn.MLP(2, [], 1).layers) == 1


def test_mlp_errors():
    with pytest.raises(ValueError, match="valid names: .*relu"):
        nn.MLP(2, [3], 1, activation="rleu")
    with pytest.raises(TypeError, match="hidden_sizes must be a sequence"):
        nn.MLP(2, 3, 1)
    with pytest.raises(ValueError, match=r"hidden_sizes\[1\] must be >= 1"):
        nn.MLP(2, [3, 0], 1)
    with pytest.raises(TypeError, match="activation must be"):
        nn.MLP(2, [3], 1, activation=42)


def test_same_seed_same_model_and_generator_seeds():
    a, b, c = nn.MLP(2, [8], 1, seed=3), nn.MLP(2, [8], 1, seed=3), nn.MLP(2, [8], 1, seed=4)
    for (_, pa), (_, pb), (_, pc) in zip(a.named_parameters(), b.named_parameters(), c.named_parameters()):
        np.testing.assert_array_equal(pa.numpy(), pb.numpy())
        assert not np.array_equal(pa.numpy(), pc.numpy())
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    np.testing.assert_array_equal(
        nn.Linear(3, 3, seed=g1).weight.numpy(), nn.Linear(3, 3, seed=g2).weight.numpy()
    )


def test_seeding_never_touches_numpys_global_state():
    state = np.random.get_state()[1].copy()
    nn.MLP(2, [8], 1, seed=0)
    nn.Dropout(0.5, seed=1)(np.ones(10))
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_dropout_training_and_eval():
    drop = nn.Dropout(0.25, seed=0)
    out = drop(np.ones((200, 50), dtype=np.float32))
    assert out.dtype == np.float32
    assert set(np.unique(out).tolist()) == {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.02
    x = tensor(np.ones(10), requires_grad=True)
    y = drop(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())  # gradient is the mask
    drop.eval()
    np.testing.assert_array_equal(drop(np.arange(3.0)), np.arange(3.0))
    assert (nn.Dropout(1.0)(np.ones(4)) == 0).all()
    with pytest.raises(ValueError, match=r"Dropout: p must be a probability"):
        nn.Dropout(1.5)


def _xor_blobs(n_per_blob, seed):
    rng = np.random.default_rng(seed)
    centres = np.array([(0, 0), (3, 3), (0, 3), (3, 0)], dtype=float)
    X = np.concatenate([rng.normal(c, 1.0, size=(n_per_blob, 2)) for c in centres])
    return X, np.repeat([0.0, 0.0, 1.0, 1.0], n_per_blob), centres


def _train(model, X, y, steps=1500, lr=0.5):
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(steps):
        model.zero_grad()
        loss_fn(model(X), y).backward()
        with no_grad():  # plain full-batch gradient descent, in place
            for p in model.parameters():
                p -= lr * p.grad
    return model


def test_mlp_separates_xor_of_blobs_where_a_linear_model_cannot():
    X, y, centres = _xor_blobs(250, seed=0)
    mlp = _train(nn.MLP(2, [16], 1, seed=0), X, y)
    accuracy = ((mlp(X).numpy()[:, 0] > 0) == y).mean()
    assert accuracy > 0.85
    np.testing.assert_array_equal(mlp(centres).numpy()[:, 0] > 0, [False, False, True, True])
    linear_model = _train(nn.MLP(2, [], 1, seed=0), X, y)
    assert ((linear_model(X).numpy()[:, 0] > 0) == y).mean() < 0.7


@given(
    batch=st.lists(st.integers(1, 3), min_size=0, max_size=2),
    n_in=st.integers(1, 4),
    n_out=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_linear_vjp_matches_finite_differences_for_any_shape(batch, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(*batch, n_in))
    w, b = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)
    g = rng.normal(size=(*batch, n_out))
    np.testing.assert_allclose(linear(x, w, b), x @ w.T + b, rtol=1e-12, atol=1e-12)
    assert gradcheck(linear, x, w, b, grad_output=g)


def test_deepcopy_gives_an_independent_model():
    model = nn.MLP(2, [3], 1, seed=0)
    clone = copy.deepcopy(model)
    with no_grad():
        clone.layers[0].weight[...] = 0.0
    assert model.layers[0].weight.numpy().any()
    assert isinstance(clone.layers[0].weight, nn.Parameter) and clone.layers[0].weight.requires_grad
