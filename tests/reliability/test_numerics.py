"""Numerics: finite values and gradients at |x| = 1e4, and no RuntimeWarning from any op on
finite inputs in its domain (``warnings.simplefilter("error")`` turns one into a failure)."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import REGISTRY, tensor

DTYPES = [np.float32, np.float64]
SMALL_W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
EXTREMES = np.array([[-1e4, 0.0, 1e4], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4], [3.0, -2.0, 1e4]])


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings(), np.errstate(divide="warn", over="warn", invalid="warn"):
        warnings.simplefilter("error")
        yield


def _forward_backward(fn, *arrays, seed=0):
    """Run ``fn`` on leaves made from ``arrays`` and backprop a random upstream gradient."""
    leaves = [tensor(a, requires_grad=True) for a in arrays]
    out = fn(*leaves)
    upstream = np.random.default_rng(seed).standard_normal(out.shape).astype(out.dtype)
    out.backward(upstream)
    return out, [leaf.grad for leaf in leaves]


def _assert_finite(out, grads, dtype):
    assert out.dtype == dtype
    assert np.all(np.isfinite(out.data)), out
    for g in grads:
        assert g is not None and g.dtype == dtype
        assert np.all(np.isfinite(g.data)), g


ACTIVATIONS = {
    "softmax": lambda x: ag.softmax(x, axis=-1),
    "softmax_axis0": lambda x: ag.softmax(x, axis=0),
    "log_softmax": lambda x: ag.log_softmax(x, axis=-1),
    "logsumexp": lambda x: ag.logsumexp(x, axis=-1),
    "logsumexp_all": lambda x: ag.logsumexp(x),
    "sigmoid": ag.sigmoid,
    "tanh": ag.tanh,
    "softplus": ag.softplus,
    "silu": ag.silu,
    "gelu": ag.gelu,
    "gelu_tanh": lambda x: ag.gelu(x, approximate="tanh"),
    "elu": ag.elu,
    "selu": ag.selu,
    "leaky_relu": ag.leaky_relu,
    "relu": ag.relu,
    "erf": ag.erf,
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_finite_with_finite_grad_at_1e4(name, dtype):
    out, grads = _forward_backward(ACTIVATIONS[name], EXTREMES.astype(dtype))
    _assert_finite(out, grads, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_extreme_values_are_also_correct(dtype):
    x = np.array([-1e4, 0.0, 1e4], dtype=dtype)
    np.testing.assert_array_equal(ag.sigmoid(x), np.array([0.0, 0.5, 1.0], dtype=dtype))
    np.testing.assert_allclose(ag.logsumexp(x), 1e4, rtol=1e-6)
    np.testing.assert_allclose(ag.softmax(x), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(ag.log_softmax(x), [-2e4, -1e4, 0.0], rtol=1e-6)
    np.testing.assert_allclose(ag.softplus(x), [0.0, np.log(2), 1e4], rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_layer_finite_at_1e4(dtype):
    nn = pytest.importorskip("nn")
    weight, bias = SMALL_W.astype(dtype), np.array([1e4, -1e4], dtype=dtype)
    out, grads = _forward_backward(nn.functional.linear, EXTREMES.astype(dtype), weight, bias)
    _assert_finite(out, grads, dtype)


def _loss_cases(nn, dtype):
    logits = EXTREMES.astype(dtype)  # (4, 3)
    binary = np.array([[0, 1, 1], [0, 0, 1], [1, 0, 0], [1, 1, 0]], dtype=dtype)
    labels = np.array([0, 2, 1, 2])
    probs = np.full((4, 3), 1 / 3, dtype=dtype)
    F = nn.functional
    return {
        "mse": (lambda x: F.mse_loss(x, binary), logits),
        "l1": (lambda x: F.l1_loss(x, binary), logits),
        "huber": (lambda x: F.huber_loss(x, binary), logits),
        "bce_with_logits": (lambda x: F.binary_cross_entropy_with_logits(x, binary), logits),
        "bce_with_logits_pos_weight": (
            lambda x: F.binary_cross_entropy_with_logits(x, binary, pos_weight=np.full(3, 2.0, dtype)),
            logits,
        ),
        "bce_of_sigmoid": (lambda x: F.binary_cross_entropy(ag.sigmoid(x), binary), logits),
        "bce_at_0_and_1": (
            lambda p: F.binary_cross_entropy(p, binary),
            np.clip(binary, 0, 1)[:, ::-1].copy(),
        ),
        "cross_entropy_labels": (lambda x: F.cross_entropy(x, labels), logits),
        "cross_entropy_probs": (lambda x: F.cross_entropy(x, probs), logits),
        "nll_of_log_softmax": (lambda x: F.nll_loss(ag.log_softmax(x, axis=-1), labels), logits),
    }


LOSSES = [
    "mse",
    "l1",
    "huber",
    "bce_with_logits",
    "bce_with_logits_pos_weight",
    "bce_of_sigmoid",
    "bce_at_0_and_1",
    "cross_entropy_labels",
    "cross_entropy_probs",
    "nll_of_log_softmax",
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", LOSSES)
def test_loss_finite_with_finite_grad_at_1e4(name, dtype):
    nn = pytest.importorskip("nn")
    fn, x = _loss_cases(nn, dtype)[name]
    for reduction_fn in (lambda v: v, lambda v: v * 1.0):  # the loss itself, and composed further
        out, grads = _forward_backward(lambda t, fn=fn, r=reduction_fn: r(fn(t)), x)
        _assert_finite(out, grads, dtype)


@pytest.mark.parametrize("name", LOSSES)
def test_loss_at_1e4_matches_torch(name):
    nn = pytest.importorskip("nn")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's own import-time and deprecation warnings
        torch = pytest.importorskip("torch")
        fn, x = _loss_cases(nn, np.float64)[name]
        out, (grad,) = _forward_backward(fn, x, seed=1)
        tx = torch.tensor(x, requires_grad=True)
        t_out = _torch_loss(torch, name, tx)
        t_out.backward(torch.tensor(np.random.default_rng(1).standard_normal(out.shape)))
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), rtol=1e-7)
    np.testing.assert_allclose(grad.data, tx.grad.numpy(), rtol=1e-7, atol=1e-12)


def _torch_loss(torch, name, tx):
    tF = torch.nn.functional
    binary = torch.tensor([[0, 1, 1], [0, 0, 1], [1, 0, 0], [1, 1, 0]], dtype=torch.float64)
    labels = torch.tensor([0, 2, 1, 2])
    probs = torch.full((4, 3), 1 / 3, dtype=torch.float64)
    if name == "mse":
        return tF.mse_loss(tx, binary)
    if name == "l1":
        return tF.l1_loss(tx, binary)
    if name == "huber":
        return tF.huber_loss(tx, binary)
    if name == "bce_with_logits":
        return tF.binary_cross_entropy_with_logits(tx, binary)
    if name == "bce_with_logits_pos_weight":
        return tF.binary_cross_entropy_with_logits(
            tx, binary, pos_weight=torch.full((3,), 2.0, dtype=torch.float64)
        )
    if name == "bce_of_sigmoid":
        return tF.binary_cross_entropy(torch.sigmoid(tx), binary)
    if name == "bce_at_0_and_1":
        return tF.binary_cross_entropy(tx, binary)
    if name == "cross_entropy_labels":
        return tF.cross_entropy(tx, labels)
    if name == "cross_entropy_probs":
        return tF.cross_entropy(tx, probs)
    return tF.nll_loss(torch.log_softmax(tx, dim=-1), labels)


def _uniform(lo, hi, shape=(3, 4)):
    """Values spread over [lo, hi], both ends included."""
    rng = np.random.default_rng(7)
    a = rng.uniform(lo, hi, shape)
    a.flat[0], a.flat[-1] = lo, hi
    return a


BIG = _uniform(-1e4, 1e4)
SMALL = _uniform(-3, 3)
POSITIVE = _uniform(1e-4, 1e4)
IDX = np.array([[0, 2, 1, 0], [1, 1, 0, 2], [2, 0, 2, 1]])

# Every registered primitive, called on finite inputs in its domain, including the ends
# (|x| = 1e4 where the result is finite): (function, inputs that become leaves).
# Adding an op to the engine means adding its line here (test_every_op_is_in_the_table).
OPS = {
    "abs": (ag.abs, [BIG]),
    "add": (ag.add, [BIG, BIG[0]]),
    "astype": (lambda x: ag.astype(ag.astype(x, np.float32), x.dtype), [BIG]),
    "broadcast_to": (lambda x: ag.broadcast_to(x, (2, 3, 4)), [BIG]),
    "clip": (lambda x: ag.clip(x, -10.0, 10.0), [BIG]),
    "concatenate": (lambda a, b: ag.concatenate([a, b], axis=1), [BIG, SMALL]),
    "cos": (ag.cos, [BIG]),
    "cumsum": (lambda x: ag.cumsum(x, axis=1), [BIG]),
    "div": (ag.div, [BIG, _uniform(1e-2, 1e4)]),
    "einsum": (lambda a, b: ag.einsum("ij,kj->ik", a, b), [BIG, SMALL]),
    "elu": (ag.elu, [BIG]),
    "erf": (ag.erf, [BIG]),
    "exp": (ag.exp, [_uniform(-1e4, 50)]),
    "expm1": (ag.expm1, [_uniform(-1e4, 50)]),
    "gather": (lambda x: ag.gather(x, IDX, axis=1), [BIG]),
    "getitem": (lambda x: x[1:, ::2], [BIG]),
    "leaky_relu": (ag.leaky_relu, [BIG]),
    "log": (ag.log, [POSITIVE]),
    "log1p": (ag.log1p, [_uniform(-0.999, 1e4)]),
    "log_softmax": (lambda x: ag.log_softmax(x, axis=1), [BIG]),
    "logsumexp": (lambda x: ag.logsumexp(x, axis=0), [BIG]),
    "logsumexp_b": (lambda x, b: ag.logsumexp(x, axis=0, b=b), [BIG, np.abs(SMALL) + 0.5]),
    "matmul": (ag.matmul, [BIG, SMALL.T]),
    "max": (lambda x: ag.max(x, axis=1), [BIG]),
    "maximum": (ag.maximum, [BIG, SMALL]),
    "min": (lambda x: ag.min(x, axis=0), [BIG]),
    "minimum": (ag.minimum, [BIG, SMALL]),
    "mul": (ag.mul, [BIG, SMALL]),
    "neg": (ag.neg, [BIG]),
    "norm": (lambda x: ag.norm(x, axis=1), [BIG]),
    "pad": (lambda x: ag.pad(x, 1), [BIG]),
    "pow": (ag.power, [_uniform(1e-2, 1e2), SMALL / 2]),
    "prod": (lambda x: ag.prod(x, axis=1), [BIG]),
    "relu": (ag.relu, [BIG]),
    "reshape": (lambda x: ag.reshape(x, (4, 3)), [BIG]),
    "setitem": (lambda x, v: ag.setitem(x, v, (slice(None), 1)), [BIG, SMALL[:, 0]]),
    "sigmoid": (ag.sigmoid, [BIG]),
    "sign": (ag.sign, [BIG]),
    "sin": (ag.sin, [BIG]),
    "softmax": (lambda x: ag.softmax(x, axis=0), [BIG]),
    "softplus": (ag.softplus, [BIG]),
    "sqrt": (ag.sqrt, [POSITIVE]),
    "step": (ag.step, [BIG]),
    "sub": (ag.sub, [BIG, SMALL]),
    "sum": (lambda x: ag.sum(x, axis=(0, 1)), [BIG]),
    "sum_to": (lambda x: ag.sum_to(x, (1, 4)), [BIG]),
    "take": (lambda x: ag.take(x, [0, 5, 5, 11]), [BIG]),
    "tan": (ag.tan, [_uniform(-1.5, 1.5)]),
    "tanh": (ag.tanh, [BIG]),
    "transpose": (lambda x: ag.transpose(x), [BIG]),
    "where": (lambda a, b: ag.where(a > b, a, b), [BIG, SMALL]),
    "copy": (ag.copy, [BIG]),
    "conj": (lambda x: ag.real(ag.conj(x * (1 + 1j))), [BIG]),
    "real": (lambda x: ag.real(x * (1 + 1j)), [BIG]),
    "imag": (lambda x: ag.imag(x * (1 + 1j)), [BIG]),
    "angle": (lambda x: ag.angle(x + 1j), [BIG]),
    # compositions on top of the primitives
    "gelu": (ag.gelu, [BIG]),
    "gelu_tanh": (lambda x: ag.gelu(x, approximate="tanh"), [BIG]),
    "selu": (ag.selu, [BIG]),
    "silu": (ag.silu, [BIG]),
    "mean": (lambda x: ag.mean(x, axis=0), [BIG]),
    "var": (lambda x: ag.var(x, axis=1, ddof=1), [BIG]),
    "std": (lambda x: ag.std(x, axis=1), [BIG]),
    "norm_1": (lambda x: ag.norm(x, ord=1, axis=0), [BIG]),
    "norm_inf": (lambda x: ag.norm(x, ord=np.inf), [BIG]),
    "stack": (lambda a, b: ag.stack([a, b], axis=-1), [BIG, SMALL]),
    "split": (lambda x: ag.split(x, 2, axis=1)[1], [BIG]),
    "outer": (lambda a, b: ag.outer(a, b), [BIG[0], SMALL[1]]),
    "dot": (lambda a, b: ag.dot(a, b), [BIG, SMALL.T]),
    "swapaxes": (lambda x: ag.swapaxes(x, 0, 1), [BIG]),
    "flatten": (ag.flatten, [BIG]),
    # numpy's wider surface (ops/math.py, ops/products.py)
    "arcsin": (ag.arcsin, [_uniform(-0.999, 0.999)]),
    "arccos": (ag.arccos, [_uniform(-0.999, 0.999)]),
    "arctan": (ag.arctan, [BIG]),
    "arcsinh": (ag.arcsinh, [BIG]),
    "arccosh": (ag.arccosh, [_uniform(1.001, 1e4)]),
    "arctanh": (ag.arctanh, [_uniform(-0.999, 0.999)]),
    "sinh": (ag.sinh, [_uniform(-50, 50)]),
    "cosh": (ag.cosh, [_uniform(-50, 50)]),
    "exp2": (ag.exp2, [_uniform(-1e4, 50)]),
    "log2": (ag.log2, [POSITIVE]),
    "log10": (ag.log10, [POSITIVE]),
    "sinc": (ag.sinc, [BIG]),
    "arctan2": (ag.arctan2, [BIG, SMALL]),
    "hypot": (ag.hypot, [BIG, SMALL]),
    "logaddexp": (ag.logaddexp, [BIG, BIG[::-1]]),
    "logaddexp2": (ag.logaddexp2, [BIG, SMALL]),
    "mod": (ag.mod, [BIG, _uniform(0.5, 3)]),
    "nan_to_num": (ag.nan_to_num, [BIG]),
    "cumprod": (lambda x: ag.cumprod(x, axis=1), [BIG]),
}
# numpy.linalg and numpy.fft at the 1e4 scale: well-conditioned matrices of entries up to 1e4.
_R = np.random.default_rng(11)
MAT = 1e4 * (_R.uniform(-0.25, 0.25, (3, 3)) + np.eye(3))
SPD_BIG = MAT @ MAT.T
SYM_BIG = 1e4 * np.diag([1.0, 2.0, 3.0]) + 1e3 * (lambda m: m + m.T)(_R.uniform(-1, 1, (3, 3)))
OPS.update(
    {
        "inv": (ag.inv, [MAT]),
        "solve": (ag.solve, [MAT, BIG[:, :3]]),
        "det": (lambda a: ag.det(a / 1e4), [MAT]),  # det(MAT) ~ 1e12 overflows nothing, its square would
        "logabsdet": (lambda a: ag.slogdet(a).logabsdet, [MAT]),
        "pinv": (ag.pinv, [BIG]),
        "cholesky": (ag.cholesky, [SPD_BIG]),
        "eigh": (lambda a: ag.eigh(a)[1] ** 2, [SYM_BIG]),
        "eig": (lambda a: ag.eig(a)[1] ** 2, [SYM_BIG]),
        "svd": (lambda a: (lambda u, s, vh: u @ (vh * s[:, None]))(*ag.svd(a, full_matrices=False)), [BIG]),
        "svdvals": (lambda a: ag.norm(a, "nuc"), [BIG]),
        "qr": (lambda a: ag.qr(a)[1], [BIG]),
        "fftn": (lambda x: ag.fft.irfft(ag.fft.ifft(ag.fft.fft(ag.fft.rfft(x))), n=4), [BIG]),
        "rfftn": (lambda x: ag.fft.irfft(ag.fft.rfft(x), n=4), [BIG]),
        "irfftn": (lambda x: ag.fft.irfft(x, n=6), [BIG]),
    }
)
# autograd_core.scipy's functions have bounded domains (poles, ±1, positive shapes), not the 1e4
# scale: tests/autograd_core/scipy checks them on theirs.
SCIPY_OPS = "checked in tests/autograd_core/scipy on each function's own domain"

# Not differentiable (forward only) or internal adjoints exercised through the ops above.
FORWARD_ONLY = {
    "argmax": lambda: ag.argmax(BIG, axis=1),
    "argmin": lambda: ag.argmin(BIG),
    "ceil": lambda: ag.ceil(BIG),
    "floor": lambda: ag.floor(BIG),
    "round": lambda: ag.round(BIG),
    "isnan": lambda: ag.isnan(BIG),
    "isfinite": lambda: ag.isfinite(BIG),
    "eq": lambda: tensor(BIG) == tensor(SMALL),
    "ne": lambda: tensor(BIG) != tensor(SMALL),
    "lt": lambda: tensor(BIG) < 0.0,
    "le": lambda: tensor(BIG) <= 0.0,
    "gt": lambda: tensor(BIG) > 0.0,
    "ge": lambda: tensor(BIG) >= 0.0,
    "logical_and": lambda: ag.logical_and(BIG > 0, SMALL > 0),
    "logical_or": lambda: ag.logical_or(BIG > 0, SMALL > 0),
    "logical_not": lambda: ag.logical_not(BIG > 0),
    "one_hot": lambda: ag.one_hot(IDX, 3),
    "floor_divide": lambda: tensor(BIG) // tensor(_uniform(0.5, 3)),
    "isclose": lambda: ag.isclose(BIG, SMALL),
    "argsort": lambda: ag.argsort(BIG, axis=1),
    "argpartition": lambda: ag.argpartition(BIG, 1, axis=1),
    "searchsorted": lambda: ag.searchsorted(np.sort(BIG[0]), SMALL),
    "nonzero": lambda: ag.nonzero(tensor(BIG) > 0)[0],
    "unique": lambda: ag.unique(BIG),
    "unique_part": lambda: ag.unique(BIG, return_counts=True)[1],
}
ADJOINTS = {
    "scatter": "getitem",
    "untake": "take",
    "ungather": "gather",
    "clip_mask": "clip",
    "tie_share": "max",
    "prod_except_self": "prod",
    "logsumexp_sign": "logsumexp_b",
    "adjugate": "det",
}


# nn's fused primitives share the registry once nn is imported; the loss tests above cover them.
NN_PRIMITIVES = {
    "linear": "test_linear_layer_finite_at_1e4",
    "binary_cross_entropy": "bce_of_sigmoid",
    "binary_cross_entropy_with_logits": "bce_with_logits",
    "cross_entropy": "cross_entropy_labels",
    "nll_loss": "nll_of_log_softmax",
}


def test_every_op_is_in_the_table():
    builtin = {name for name in REGISTRY if not name.startswith(("Function:", "scipy."))}  # SCIPY_OPS
    covered = set(OPS) | set(FORWARD_ONLY) | set(ADJOINTS) | set(NN_PRIMITIVES)
    assert builtin - covered == set(), "add the new op to OPS in this file"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(OPS))
def test_no_runtime_warning_and_finite_results_on_finite_inputs(name, dtype):
    fn, inputs = OPS[name]
    out, grads = _forward_backward(fn, *[a.astype(dtype) for a in inputs])
    _assert_finite(out, grads, dtype)


@pytest.mark.parametrize("name", sorted(FORWARD_ONLY))
def test_no_runtime_warning_from_non_differentiable_ops(name):
    out = FORWARD_ONLY[name]()
    assert not getattr(out, "requires_grad", False)


@pytest.mark.parametrize("name", sorted(ADJOINTS))
def test_adjoint_helpers_are_exercised_by_their_op(name):
    assert ADJOINTS[name] in OPS
