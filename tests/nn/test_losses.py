"""Losses: values and gradients against torch (float64, 1e-10), gradcheck, extremes, errors."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor, gradcheck, gradgradcheck, tensor

RNG = np.random.default_rng(0)
PRED = RNG.normal(size=(6, 4))
TARGET = RNG.normal(size=(6, 4))
PROBS = RNG.uniform(0.05, 0.95, size=(6, 4))
BITS = (RNG.uniform(size=(6, 4)) > 0.5).astype(float)
SOFT = RNG.uniform(size=(6, 4))
LABELS = np.array([0, 3, 1, 2, 3, 0])
CLASS_PROBS = RNG.dirichlet(np.ones(4), size=6)
WEIGHT = RNG.uniform(0.5, 2.0, size=4)
REDUCTIONS = ["mean", "sum", "none"]

# name -> (our loss module factory, torch factory name + kwargs, input, target, target differentiable)
CASES = {
    "mse": (lambda r: nn.MSELoss(r), ("MSELoss", {}), PRED, TARGET),
    "l1": (lambda r: nn.L1Loss(r), ("L1Loss", {}), PRED, TARGET),
    "huber": (lambda r: nn.HuberLoss(r, delta=0.7), ("HuberLoss", {"delta": 0.7}), PRED, TARGET),
    "bce": (lambda r: nn.BCELoss(reduction=r), ("BCELoss", {}), PROBS, SOFT),
    "bce_weight": (lambda r: nn.BCELoss(WEIGHT, r), ("BCELoss", {"weight": WEIGHT}), PROBS, BITS),
    "bce_logits": (lambda r: nn.BCEWithLogitsLoss(reduction=r), ("BCEWithLogitsLoss", {}), PRED, SOFT),
    "bce_logits_pos_weight": (
        lambda r: nn.BCEWithLogitsLoss(WEIGHT[::-1].copy(), r, pos_weight=WEIGHT),
        ("BCEWithLogitsLoss", {"weight": WEIGHT[::-1].copy(), "pos_weight": WEIGHT}),
        PRED,
        BITS,
    ),
    "cross_entropy_labels": (lambda r: nn.CrossEntropyLoss(r), ("CrossEntropyLoss", {}), PRED, LABELS),
    "cross_entropy_probs": (lambda r: nn.CrossEntropyLoss(r), ("CrossEntropyLoss", {}), PRED, CLASS_PROBS),
    "nll": (lambda r: nn.NLLLoss(r), ("NLLLoss", {}), np.log(CLASS_PROBS), LABELS),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(CASES))
def test_torch_parity_values_and_grads(name, reduction):
    torch = pytest.importorskip("torch")
    make, (cls, kwargs), x, t = CASES[name]
    float_target = t.dtype.kind == "f"
    xs = tensor(x, requires_grad=True)
    ts = tensor(t, requires_grad=float_target)
    out = make(reduction)(xs, ts)
    g = RNG.normal(size=out.shape)
    out.backward(g)
    xt = torch.tensor(x, requires_grad=True)
    tt = torch.tensor(t, requires_grad=float_target and name != "cross_entropy_labels")
    torch_kwargs = {k: torch.tensor(v) for k, v in kwargs.items() if isinstance(v, np.ndarray)}
    torch_kwargs.update({k: v for k, v in kwargs.items() if not isinstance(v, np.ndarray)})
    tout = getattr(torch.nn, cls)(reduction=reduction, **torch_kwargs)(xt, tt)
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    if float_target:
        np.testing.assert_allclose(ts.grad.numpy(), tt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck_input_and_float_target(name, reduction):
    make, _, x, t = CASES[name]
    loss = make(reduction)
    if name == "l1":
        t = x + np.where(t > 0, 0.5, -0.5)  # keep |x - t| away from the kink at 0
    if name == "huber":
        t = x + np.where(np.abs(t) > 0.5, 1.5 * np.sign(t), 0.3)  # away from |d| = delta
    if t.dtype.kind == "f":
        assert gradcheck(loss, x, t)
    else:
        assert gradcheck(lambda x: loss(x, t), x)


@pytest.mark.parametrize("name", ["cross_entropy_labels", "nll", "bce", "bce_logits", "mse"])
def test_second_derivatives(name):
    make, _, x, t = CASES[name]
    if t.dtype.kind == "f":
        assert gradgradcheck(lambda x: make("mean")(x, t), x)
    else:
        assert gradgradcheck(lambda x: make("sum")(x, t), x)


EXTREME = np.array([[-1e4, 1e4, 0.0], [1e4, -1e4, 3.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "loss, target",
    [
        (nn.BCEWithLogitsLoss(), np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])),
        (nn.BCEWithLogitsLoss(pos_weight=np.full(3, 2.0)), np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])),
        (nn.CrossEntropyLoss(), np.array([0, 1])),
        (nn.CrossEntropyLoss(), np.array([[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])),
        (nn.CrossEntropyLoss("none"), np.array([2, 0])),
    ],
)
def test_finite_values_and_grads_at_logits_1e4(loss, target, dtype):
    x = tensor(EXTREME.astype(dtype), requires_grad=True)
    out = loss(x, target)
    assert out.dtype == dtype and np.isfinite(out.numpy()).all()
    out.sum().backward()
    assert x.grad.dtype == dtype and np.isfinite(x.grad.numpy()).all()


def test_extreme_values_are_right():
    assert F.binary_cross_entropy_with_logits(np.array([1e4]), np.array([0.0])) == 1e4
    assert F.binary_cross_entropy_with_logits(np.array([-1e4]), np.array([0.0])) == 0.0
    np.testing.assert_allclose(F.cross_entropy(np.array([[1e4, -1e4]]), np.array([1])), 2e4)
    x = tensor(np.array([[1e4, -1e4]]), requires_grad=True)
    F.cross_entropy(x, np.array([1])).backward()
    np.testing.assert_allclose(x.grad.numpy(), [[1.0, -1.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_clamps_at_probability_0_and_1(dtype):
    p = tensor(np.array([0.0, 1.0, 0.0, 1.0], dtype=dtype), requires_grad=True)
    out = nn.BCELoss(reduction="none")(p, np.array([1.0, 0.0, 0.0, 1.0]))
    np.testing.assert_array_equal(out.numpy(), np.array([100, 100, 0, 0], dtype=dtype))
    out.sum().backward()
    assert np.isfinite(p.grad.numpy()).all() and p.grad.dtype == dtype


def test_bce_matches_torch_at_clamped_probabilities():
    torch = pytest.importorskip("torch")
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-50])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.3])
    ours = tensor(p, requires_grad=True)
    out = F.binary_cross_entropy(ours, y, reduction="sum")
    out.backward()
    theirs = torch.tensor(p, requires_grad=True)
    tout = torch.nn.functional.binary_cross_entropy(theirs, torch.tensor(y), reduction="sum")
    tout.backward()
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10)
    # torch's 1e-12 floor is a float32 literal (9.99999996e-13): a 4e-9 relative difference.
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-8)


def test_float32_prediction_with_float64_target_stays_float32():
    x = tensor(np.ones((3, 1), dtype=np.float32), requires_grad=True)
    for loss in (nn.MSELoss(), nn.L1Loss(), nn.HuberLoss(), nn.BCEWithLogitsLoss()):
        out = loss(x, np.zeros(3))  # target (n,) against prediction (n, 1) is reshaped
        assert out.dtype == np.float32
        out.backward()
        assert x.grad.dtype == np.float32
        x.grad = None
    out = nn.CrossEntropyLoss()(tensor(np.ones((3, 2), dtype=np.float32)), np.array([0.0, 1.0, 1.0]))
    assert out.dtype == np.float32


def test_ndarray_inputs_give_plain_numbers():
    value = nn.MSELoss()(np.array([1.0, 2.0]), [1.0, 4.0])
    assert not isinstance(value, Tensor) and float(value) == 2.0


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: nn.CrossEntropyLoss()(PRED, np.array([0, 1, 2, 3, 4, 0])),
            ValueError,
            r"cross_entropy: labels must lie in \[0, 4\).*input shape \(6, 4\).*from 0 to 4",
        ),
        (lambda: nn.CrossEntropyLoss()(PRED, -LABELS), ValueError, r"labels must lie in \[0, 4\)"),
        (lambda: nn.CrossEntropyLoss()(PRED, LABELS + 0.5), ValueError, "non-integer value 0.5"),
        (
            lambda: nn.CrossEntropyLoss()(PRED, LABELS[:5]),
            ValueError,
            r"cross_entropy: integer labels must have shape \(6,\) for input shape \(6, 4\), got shape \(5,\)",
        ),
        (
            lambda: nn.CrossEntropyLoss()(PRED, np.ones((6, 3))),
            ValueError,
            r"cross_entropy: prediction shape \(6, 4\) and target shape \(6, 3\)",
        ),
        (
            lambda: nn.CrossEntropyLoss()(PRED[0], LABELS),
            ValueError,
            r"shape \(n, classes\), got shape \(4,\)",
        ),
        (lambda: nn.CrossEntropyLoss()(PRED, LABELS.astype(str)), TypeError, "labels must be integers"),
        (lambda: nn.NLLLoss()(PRED, np.full(6, 7)), ValueError, r"nll_loss: labels must lie in \[0, 4\)"),
        (
            lambda: nn.MSELoss()(PRED, TARGET[:, :2]),
            ValueError,
            r"mse_loss: prediction shape \(6, 4\) and target shape \(6, 2\) do not match",
        ),
        (lambda: nn.MSELoss()(np.ones((4, 1)), np.ones(5)), ValueError, r"\(4, 1\) and target shape \(5,\)"),
        (
            lambda: nn.MSELoss()(np.ones(3, dtype=int), np.ones(3)),
            TypeError,
            "mse_loss: the prediction must be floating",
        ),
        (lambda: nn.BCELoss()(PRED, BITS), ValueError, "binary_cross_entropy: input must hold probabilities"),
        (lambda: nn.BCELoss(weight=np.ones(3))(PROBS, BITS), ValueError, r"weight shape \(3,\)"),
        (lambda: nn.MSELoss(reduction="avg"), ValueError, r"MSELoss: reduction must be one of"),
        (lambda: F.l1_loss(PRED, TARGET, reduction="avg"), ValueError, r"l1_loss: reduction must be one of"),
        (lambda: nn.HuberLoss(delta=0), ValueError, "HuberLoss: delta must be positive"),
    ],
)
def test_errors_name_the_loss_and_the_shapes_or_values(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_integral_float_labels_are_accepted():
    a = F.cross_entropy(PRED, LABELS.astype(float))
    np.testing.assert_allclose(a, F.cross_entropy(PRED, LABELS))


def test_repr():
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.HuberLoss("sum", 2.0)) == "HuberLoss(delta=2.0, reduction='sum')"
