"""Mutation safety: modifying a saved value in place makes backward raise, never mislead.

Backward either raises ``GradientError`` naming the op and the versions involved, or
returns exactly the gradient of the function that was actually computed.
"""

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import Function, GradientError, no_grad, tensor

VERSIONS = re.compile(r"version \d+.*\d+", re.S)


def _assert_names_op_and_versions(err, op):
    message = str(err.value)
    assert f"'{op}'" in message, message
    assert VERSIONS.search(message), message


def test_item_assignment_on_a_saved_intermediate_raises():
    x = tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    y = (h * h).sum()
    h[0] = 5.0
    with pytest.raises(GradientError) as err:
        y.backward()
    _assert_names_op_and_versions(err, "mul")
    assert x.grad is None


def test_augmented_assignment_on_a_saved_intermediate_raises():
    x = tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    e = ag.exp(h)
    h += 1.0
    with pytest.raises(GradientError) as err:
        e.sum().backward()
    _assert_names_op_and_versions(err, "exp")


@pytest.mark.parametrize("write", ["setitem", "iadd", "imul", "isub", "itruediv", "ipow"])
def test_no_grad_write_into_a_saved_leaf_raises(write):
    x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ag.tanh(x).sum()
    with no_grad():
        if write == "setitem":
            x[1] = 7.0
        elif write == "iadd":
            x += 1.0
        elif write == "imul":
            x *= 2.0
        elif write == "isub":
            x -= 1.0
        elif write == "itruediv":
            x /= 2.0
        else:
            x **= 2.0
    with pytest.raises(GradientError) as err:
        y.backward()
    _assert_names_op_and_versions(err, "tanh")


def test_no_grad_write_into_a_saved_output_raises():
    x = tensor([0.5, 1.5], requires_grad=True)
    e = ag.exp(x)  # exp's rule reuses its output
    y = (e * 2.0).sum()
    with no_grad():
        e[0] = 0.0
    with pytest.raises(GradientError) as err:
        y.backward()
    _assert_names_op_and_versions(err, "mul")


def test_a_leaf_that_requires_grad_refuses_in_place_writes_while_recording():
    x = tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="setitem.*no_grad"):
        x[0] = 3.0
    with pytest.raises(ValueError, match="__iadd__.*no_grad"):
        x += 1.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])


def test_in_place_op_on_a_recorded_tensor_backpropagates():
    a = tensor([1.0, 2.0], requires_grad=True)
    x = a * 2.0
    x += 1.0
    x *= 3.0
    x.sum().backward()
    np.testing.assert_allclose(a.grad.data, [6.0, 6.0])


_SELF_OPERAND = """
import autograd_core as ag
a = ag.tensor([1.0, 2.0], requires_grad=True)
x = a * 2.0
x *= x
x.sum().backward()
print(a.grad.data.tolist())
"""


def test_in_place_op_with_itself_as_operand():
    # In a subprocess: a cycle in the tape could make backward loop forever.
    done = subprocess.run([sys.executable, "-c", _SELF_OPERAND], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "[8.0, 16.0]"  # d/da (2a)^2 = 8a


def test_rebinding_a_recorded_output_keeps_earlier_gradients_exact():
    # Writing into a non-leaf while recording makes a new node (out of place), so a graph
    # that ends at the *new* value backpropagates through both, correctly.
    x = tensor([0.5, 1.5, -1.0], requires_grad=True)
    e = ag.exp(x)
    e[1] = 0.0
    (e * e).sum().backward()
    expected = 2 * np.exp(2 * x.data)
    expected[1] = 0.0
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12)


class _Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * g * x


def test_custom_function_input_modified_after_saving_raises():
    x = tensor([1.0, 2.0], requires_grad=True)
    y = _Square.apply(x).sum()
    with no_grad():
        x[0] = 10.0
    with pytest.raises(GradientError) as err:
        y.backward()
    _assert_names_op_and_versions(err, _Square._primitive.name)


def test_optimizer_step_between_forward_and_backward_raises():
    nn = pytest.importorskip("nn")
    model = nn.Linear(3, 1, seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    x = np.ones((2, 3), dtype=np.float32)
    loss = model(x).sum()
    model(x).sum().backward()
    opt.step()
    with pytest.raises(GradientError, match="version"):
        loss.backward()


UNARY = {
    "exp": ag.exp,
    "tanh": ag.tanh,
    "sigmoid": ag.sigmoid,
    "sin": ag.sin,
    "square": lambda t: t * t,
    "softmax": lambda t: ag.softmax(t, axis=-1),
    "logsumexp": lambda t: ag.logsumexp(t, axis=-1),
    "sum": lambda t: ag.sum(t),
    "reshape": lambda t: ag.reshape(t, (-1,)),
    "getitem": lambda t: t[1:],
    "add_const": lambda t: t + 1.0,
    "matmul": lambda t: t @ np.ones((t.shape[-1], 2)),
}


def _mutate(t, kind):
    if kind == "setitem":
        t[0] = 4.0
    elif kind == "iadd":
        t += 0.5
    else:
        t *= 1.5


@given(
    op=st.sampled_from(sorted(UNARY)),
    kind=st.sampled_from(["setitem", "iadd", "imul"]),
    target=st.sampled_from(["leaf", "intermediate"]),
    values=st.lists(st.floats(-2, 2), min_size=3, max_size=3),
)
def test_mutation_never_yields_a_silently_wrong_gradient(op, kind, target, values):
    fn = UNARY[op]
    x0 = np.array(values)
    x = tensor(x0, requires_grad=True)
    h = x * 1.0 if target == "intermediate" else x
    y = ag.sum(fn(h) * fn(h))
    if target == "leaf":
        with no_grad():  # a leaf that requires grad can only be written under no_grad
            _mutate(h, kind)
    else:
        _mutate(h, kind)
    try:
        y.backward()
    except GradientError as err:
        assert "version" in str(err)
        return
    # No error: the gradient must be that of the function actually evaluated, at x0.
    expected = ag.grad(lambda t: ag.sum(fn(t * 1.0) * fn(t * 1.0)))(x0)
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-10, atol=1e-12)


# -- aliases share the version counter (views and detach(), as in PyTorch) ----------------------


def test_writing_through_detach_after_an_op_saved_the_value_raises():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    d = x.detach()
    d += 10
    with pytest.raises(GradientError, match="backward of 'mul'.*through a view or detach"):
        y.backward()


@pytest.mark.parametrize(
    "make_view",
    [
        lambda x: x[0:2],
        lambda x: x[None, ...][0],
        lambda x: x.reshape(3, 1),
        lambda x: x.T,
        lambda x: ag.expand_dims(x, 0),
        lambda x: ag.squeeze(ag.expand_dims(x, 0)),
        lambda x: x.detach()[1:],
    ],
    ids=["slice", "newaxis", "reshape", "T", "expand_dims", "squeeze", "detach-slice"],
)
def test_writes_through_a_view_or_into_its_base_are_seen_by_either(make_view):
    w = ag.tensor(2.0, requires_grad=True)
    x = ag.tensor([1.0, 2.0, 3.0])
    saved_view = make_view(x)
    y = (w * saved_view).sum()  # mul saved the view
    x += 1.0  # write into the base
    with pytest.raises(GradientError, match="backward of 'mul'"):
        y.backward()
    x = ag.tensor([1.0, 2.0, 3.0])
    y = (w * x).sum()  # mul saved the base
    v = make_view(x)
    v *= 2.0  # write through the view
    with pytest.raises(GradientError, match="backward of 'mul'"):
        y.backward()


def test_copies_are_not_aliases():
    w = ag.tensor(2.0, requires_grad=True)
    x = ag.tensor([1.0, 2.0, 3.0])
    y = (w * x).sum()
    c = x[[0, 2]]  # integer-array indexing copies
    c += 1.0
    m = x[x > 1.5]  # so does a boolean mask
    m *= 3.0
    y.backward()
    assert w.grad.item() == 6.0


def test_an_alias_written_before_the_op_is_harmless():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    with ag.no_grad():
        d += 1.0  # x is now [2, 3]
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 6.0])
