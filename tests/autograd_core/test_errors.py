"""Every engine misuse raises ValueError/TypeError (or a subclass) naming the op and the shapes.

Each row: a call, the exception type, and fragments the message must contain (the op's
name first, then the offending shapes, dtypes or values).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import GradientError, Tensor, no_grad, tensor


def x23() -> Tensor:
    return tensor(np.ones((2, 3)), requires_grad=True)


def _iadd_mismatch() -> Any:
    t = tensor(np.ones(3))
    with no_grad():
        t += np.ones(2)


def _iadd_recorded_leaf() -> Any:
    t = x23()
    t += 1.0


ERRORS = {
    # products
    "matmul_inner": (lambda: ag.matmul(x23(), tensor(np.ones((4, 5)))), ValueError,
                     ["matmul", "(2, 3)", "(4, 5)", "not aligned"]),
    "matmul_operator_vector": (lambda: x23() @ tensor(np.ones(4)), ValueError, ["matmul", "(2, 3)", "(4,)"]),
    "matmul_scalar": (lambda: ag.matmul(x23(), tensor(2.0)), ValueError, ["matmul", "at least 1 dimension", "()"]),
    "dot_3d": (lambda: ag.dot(tensor(np.ones((2, 2, 3))), x23()), ValueError, ["dot", "(2, 2, 3)", "(2, 3)"]),
    "einsum_operand_count": (lambda: ag.einsum("ij,jk->ik", x23()), ValueError, ["einsum", "'ij,jk->ik'", "2 operands", "1"]),
    "einsum_ellipsis": (lambda: ag.einsum("...i->i", x23()), ValueError, ["einsum", "under '...'", "'...i->i'", "no '...'"]),
    "einsum_repeated_index": (lambda: ag.einsum("ii->i", x23()), ValueError, ["einsum", "repeats", "'ii'", "2 and 3"]),
    "einsum_rank": (lambda: ag.einsum("ijk->i", x23()), ValueError, ["einsum", "'ijk'", "2 dims", "expected 3"]),
    "einsum_shapes": (lambda: ag.einsum("ij,jk->ik", x23(), tensor(np.ones((4, 2)))), ValueError,
                      ["einsum", "(2, 3)", "(4, 2)"]),
    "einsum_subscripts_type": (lambda: ag.einsum(3, x23()), TypeError, ["einsum", "string", "int"]),
    # backward
    "backward_non_scalar": (lambda: (x23() * 2).backward(), ValueError, ["backward", "one-element", "(2, 3)", "grad="]),
    "backward_grad_shape": (lambda: (x23() * 2).backward(np.ones(3)), ValueError, ["backward", "(3,)", "(2, 3)"]),
    "backward_grad_dtype": (lambda: (x23() * 2).backward(np.ones((2, 3), dtype=int)), TypeError,
                            ["backward", "floating point", "int64"]),
    "backward_without_grad": (lambda: tensor([1.0]).backward(), GradientError,
                              ["backward", "does not require grad", "(1,)", "float64"]),
    # dtypes and construction
    "requires_grad_int": (lambda: tensor([1, 2], requires_grad=True), TypeError,
                          ["requires_grad", "floating-point", "int64", "(2,)"]),
    "requires_grad_bool": (lambda: tensor([True]).requires_grad_(), TypeError, ["requires_grad", "bool", "(1,)"]),
    "requires_grad_off_non_leaf": (lambda: (x23() * 2).requires_grad_(False), ValueError,
                                   ["requires_grad_", "non-leaf", "detach"]),
    "tensor_of_strings": (lambda: tensor(["a"]), TypeError, ["tensor", "<U1", "numbers"]),
    "item_of_many": (lambda: x23().item(), ValueError, ["item", "one-element", "(2, 3)"]),
    "bool_of_many": (lambda: bool(x23()), ValueError, ["bool", "ambiguous", "(2, 3)"]),
    # axes
    "sum_axis": (lambda: ag.sum(x23(), axis=2), ValueError, ["sum", "axis 2", "dimension 2"]),
    "mean_axis": (lambda: x23().mean(axis=-3), ValueError, ["mean", "axis -3", "dimension 2"]),
    "max_axis": (lambda: x23().max(axis=2), ValueError, ["max", "axis 2", "dimension 2"]),
    "softmax_axis": (lambda: ag.softmax(x23(), axis=5), ValueError, ["softmax", "axis 5", "dimension 2"]),
    "log_softmax_axis": (lambda: ag.log_softmax(x23(), axis=2), ValueError, ["log_softmax: axis 2", "dimension 2"]),
    "logsumexp_axis": (lambda: ag.logsumexp(x23(), axis=2), ValueError, ["logsumexp", "axis 2", "dimension 2"]),
    "cumsum_axis": (lambda: ag.cumsum(x23(), axis=2), ValueError, ["cumsum", "axis 2", "dimension 2"]),
    "var_axis": (lambda: ag.var(x23(), axis=4), ValueError, ["var", "axis 4", "dimension 2"]),
    "prod_two_axes": (lambda: ag.prod(x23(), axis=(0, 1)), ValueError, ["prod", "single int", "(0, 1)"]),
    "squeeze_non_one": (lambda: ag.squeeze(x23(), 0), ValueError, ["squeeze", "axis 0", "length 2", "(2, 3)"]),
    "expand_dims_axis": (lambda: ag.expand_dims(x23(), 4), ValueError, ["expand_dims", "axis 4", "dimension 3"]),
    "swapaxes_axis": (lambda: ag.swapaxes(x23(), 0, 3), ValueError, ["swapaxes", "axis 3", "dimension 2"]),
    "transpose_axes": (lambda: ag.transpose(x23(), (0, 2)), ValueError, ["transpose", "axis 2", "(2, 3)"]),
    "flatten_order": (lambda: ag.flatten(tensor(np.ones((2, 3, 4))), 2, 1), ValueError,
                      ["flatten", "start_dim 2", "end_dim 1", "(2, 3, 4)"]),
    "split_uneven": (lambda: ag.split(x23(), 2, axis=1), ValueError, ["split", "length 3", "2 equal sections"]),
    # shapes
    "reshape_size": (lambda: x23().reshape(4), ValueError, ["reshape", "(2, 3)", "size 6", "(4,)"]),
    "add_broadcast": (lambda: x23() + tensor(np.ones(4)), ValueError, ["add", "(2, 3)", "(4,)"]),
    "mul_broadcast": (lambda: ag.mul(x23(), np.ones((3, 2))), ValueError, ["mul", "(2, 3)", "(3, 2)"]),
    "pow_broadcast": (lambda: x23() ** tensor(np.ones(4)), ValueError, ["pow", "(2, 3)", "(4,)"]),
    "where_broadcast": (lambda: ag.where(np.ones(4, bool), x23(), 0.0), ValueError, ["where", "(4,)", "(2, 3)"]),
    "broadcast_to": (lambda: ag.broadcast_to(x23(), (3, 3)), ValueError, ["broadcast_to", "(2, 3)", "(3, 3)"]),
    "concatenate_shapes": (lambda: ag.concatenate([x23(), tensor(np.ones((2, 2)))]), ValueError,
                           ["concatenate", "(2, 3)", "(2, 2)", "axis 0"]),
    "concatenate_empty": (lambda: ag.concatenate([]), ValueError, ["concatenate", "empty"]),
    "stack_shapes": (lambda: ag.stack([x23(), tensor(np.ones(3))]), ValueError, ["stack", "(2, 3)", "(3,)"]),
    "inplace_shape": (_iadd_mismatch, ValueError, ["__iadd__", "(3,)", "(2,)"]),
    "inplace_recorded_leaf": (_iadd_recorded_leaf, ValueError, ["__iadd__", "leaf", "(2, 3)", "no_grad"]),
    "pad_negative": (lambda: ag.pad(x23(), -1), ValueError, ["pad", "negative", "(2, 3)"]),
    # indices and values
    "gather_index_dtype": (lambda: ag.gather(x23(), np.array([[0.0]]), 1), TypeError, ["gather", "integers", "float64"]),
    "gather_index_rank": (lambda: ag.gather(x23(), np.array([0]), 1), ValueError, ["gather", "1 dims", "(2, 3)"]),
    "where_condition_dtype": (lambda: ag.where(tensor([1.0, 0.0]), x23()[0, :2], 0.0), TypeError,
                              ["where", "boolean", "float64"]),
    "clip_no_bounds": (lambda: ag.clip(x23(), None, None), ValueError, ["clip", "a_min", "a_max"]),
    "one_hot_float_labels": (lambda: ag.one_hot(tensor([0.5]), 3), TypeError, ["one_hot", "integers", "float64"]),
    "one_hot_out_of_range": (lambda: ag.one_hot(tensor([3]), 3), ValueError, ["one_hot", "[0, 3)", "3"]),
    "var_no_dof": (lambda: ag.var(tensor([1.0]), ddof=1), ValueError, ["var", "ddof=1", "1 elements"]),
    "max_empty": (lambda: ag.max(tensor(np.ones((0,)))), ValueError, ["max", "empty", "(0,)"]),
    "mean_empty": (lambda: ag.mean(tensor(np.ones((0, 2))), axis=0), ValueError, ["mean", "empty", "(0, 2)"]),
    "gelu_approximate": (lambda: ag.gelu(x23(), approximate="fast"), ValueError, ["gelu", "'fast'"]),
    "norm_ord": (lambda: ag.norm(x23(), ord=3), ValueError, ["norm", "ord", "3"]),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ERRORS))
def test_bad_input_raises_a_clear_error(name: str) -> None:
    call, kind, fragments = ERRORS[name]
    assert issubclass(kind, (ValueError, TypeError))
    with pytest.raises(kind) as info:
        call()
    message = str(info.value)
    assert message.startswith(fragments[0]), f"message does not open with the op name: {message}"
    for fragment in fragments[1:]:
        assert fragment in message, f"{fragment!r} missing from: {message}"


@pytest.mark.parametrize(
    ("call", "fragments"),
    [
        (lambda: x23()[5], ["getitem", "index 5", "(2, 3)"]),
        (lambda: ag.take(x23(), [10]), ["take", "index 10", "(2, 3)"]),
        (lambda: ag.gather(x23(), np.array([[5]]), 1), ["gather", "index 5", "(2, 3)"]),
    ],
)
def test_out_of_range_indices_raise_index_error_naming_op_and_shape(call: Callable, fragments: list) -> None:
    # Python's convention (and numpy's, and torch's): an index out of range is an IndexError.
    with pytest.raises(IndexError) as info:
        call()
    message = str(info.value)
    assert message.startswith(fragments[0]) and all(f in message for f in fragments[1:]), message


def test_errors_leave_grad_mode_and_the_tape_usable() -> None:
    x = x23()
    with pytest.raises(ValueError):
        ag.matmul(x, tensor(np.ones((4, 5))))
    assert ag.is_grad_enabled()
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.full((2, 3), 2.0))


def test_custom_primitive_forward_errors_name_the_primitive() -> None:
    def forward(a: np.ndarray) -> np.ndarray:
        raise ValueError(f"needs a square matrix, got shape {a.shape}")

    op = ag.Primitive("my_square_op", forward, lambda g, ans, a: g, register=False)
    with pytest.raises(ValueError, match=r"my_square_op: needs a square matrix, got shape \(2, 3\)"):
        op(x23())


def test_redeclaring_a_primitive_name_replaces_it_with_a_warning() -> None:
    # Re-running a notebook cell that declares an op: the newest declaration wins.
    first = ag.Primitive("notebook_cell_op", np.negative, lambda g, ans, x: -g)
    try:
        with pytest.warns(UserWarning, match="'notebook_cell_op' was already registered; the new"):
            second = ag.Primitive("notebook_cell_op", np.negative, lambda g, ans, x: g * -1.0)
        assert ag.REGISTRY["notebook_cell_op"] is second and second is not first
        x = ag.tensor([2.0], requires_grad=True)
        second(x).sum().backward()
        assert x.grad.numpy().tolist() == [-1.0]
    finally:
        del ag.REGISTRY["notebook_cell_op"]
