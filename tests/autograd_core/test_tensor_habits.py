"""The Tensor a PyTorch or numpy user expects: formatting, rounding, any/all, .grad assignment,
backward(gradient=), clone/copy, ravel, view, pow, float/double, zero_, transpose, einsum syntax,
and gradcheck's advice on float32."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import GradcheckError, Primitive, gradcheck, tensor


def test_format_spec_on_one_element_tensors() -> None:
    loss = tensor(0.123456, requires_grad=True)
    assert f"{loss:.4f}" == "0.1235"
    assert f"{tensor([[2.5]]):>6.2f}" == "  2.50"
    assert f"{tensor([1.0, 2.0])}" == str(tensor([1.0, 2.0]))  # no spec: the repr
    with pytest.raises(
        TypeError, match=r"format: the format spec '.2f' applies to one-element tensors, got shape \(2,\)"
    ):
        f"{tensor([1.0, 2.0]):.2f}"


def test_round_returns_a_rounded_tensor_without_gradient() -> None:
    x = tensor([1.23456, -2.5], requires_grad=True)
    r = round(x, 3)
    assert isinstance(r, ag.Tensor) and not r.requires_grad
    np.testing.assert_array_equal(r.data, [1.235, -2.5])
    np.testing.assert_array_equal(round(x).data, [1.0, -2.0])  # half to even, as numpy


def test_any_and_all() -> None:
    t = tensor([[0.0, 1.0], [0.0, 0.0]])
    assert bool(t.any()) and not bool(t.all())
    np.testing.assert_array_equal(t.any(axis=1).data, [True, False])
    np.testing.assert_array_equal(t.all(axis=0, keepdims=True).data, [[False, False]])


def test_assigning_grad_checks_shape_and_dtype() -> None:
    w = tensor([1.0, 2.0], requires_grad=True)
    w.grad = np.array([0.5, 0.5])  # an array is wrapped
    assert isinstance(w.grad, ag.Tensor) and w.grad.dtype == np.float64
    with pytest.raises(
        ValueError, match=r"grad: cannot assign a gradient of shape \(3,\) to a tensor of shape \(2,\)"
    ):
        w.grad = ag.Tensor(np.ones(3))
    with pytest.raises(
        TypeError, match="grad: cannot assign a gradient of dtype float32 to a tensor of dtype float64"
    ):
        w.grad = np.ones(2, dtype=np.float32)
    w.grad = None  # the documented reset
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])


def test_backward_accepts_pytorchs_gradient_keyword() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(gradient=np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad.data, [3.0, 30.0])
    with pytest.raises(TypeError, match="pass the upstream gradient once"):
        (x * 3).backward(np.ones(2), gradient=np.ones(2))


def test_a_leaf_grad_never_aliases_the_upstream_array() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    upstream = np.array([1.0, 1.0])
    (x + 1.0).backward(upstream)
    x.grad.zero_()
    np.testing.assert_array_equal(upstream, [1.0, 1.0])


def test_clone_and_copy_are_differentiable_copies() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.grad_fn.name == "copy" and not np.shares_memory(c.data, x.data)
    (c * x.copy()).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


def test_ravel_view_pow_float_double() -> None:
    x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    assert x.ravel().shape == (4,) and x.view(4, 1).shape == (4, 1) and x.view((1, 4)).shape == (1, 4)
    np.testing.assert_array_equal(x.pow(2).data, x.data**2)
    f, d = x.float(), x.float().double()
    assert f.dtype == np.float32 and d.dtype == np.float64
    (x.ravel().sum() + x.view(-1).pow(2).sum() + f.sum() + d.sum()).backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.data, 1 + 2 * x.data + 1 + 1)


def test_zero_on_grads_and_refused_on_the_tape() -> None:
    w = tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    assert w.grad.zero_() is w.grad
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])
    with pytest.raises(
        ValueError, match=r"zero_: the tensor \(shape \(2,\)\) requires grad and is on the tape"
    ):
        w.zero_()
    with pytest.raises(ValueError, match="zero_: "):
        (w * 2).zero_()
    with ag.no_grad():
        w.zero_()  # an update outside the tape, as an optimizer's
    np.testing.assert_array_equal(w.data, [0.0, 0.0])


def test_transpose_keeps_numpys_meaning() -> None:
    x = tensor(np.arange(24.0).reshape(2, 3, 4))
    assert x.transpose().shape == (4, 3, 2)  # no axes: reversed
    assert x.transpose(1, 0, 2).shape == (3, 2, 4)  # axes: a permutation, as numpy
    assert x.permute(2, 0, 1).shape == (4, 2, 3)
    assert x.swapaxes(0, 2).shape == (4, 3, 2)  # PyTorch's transpose(0, 2)
    with pytest.raises(ValueError, match=r"permutation of all 3 axes, got \(0, 2\); .* use swapaxes\(0, 2\)"):
        x.transpose(0, 2)
    m = tensor(np.arange(6.0).reshape(2, 3))
    assert m.transpose(1, 0).shape == (3, 2)  # both meanings agree
    with pytest.warns(UserWarning, match=r"identity permutation .* use swapaxes\(0, 1\) or \.T"):
        assert m.transpose(0, 1).shape == (2, 3)  # numpy: nothing moves; PyTorch would swap


def test_einsum_full_syntax_values_match_numpy() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(2, 1, 3, 4))
    cases = [
        (("ii->i", a), np.einsum("ii->i", a)),
        (("ii", a), np.trace(a)),
        (("...ij,...jk", b, rng.normal(size=(5, 4, 2)).copy()), None),
        ((a, [0, 1], a, [1, 2], [0, 2]), a @ a),
        ((a, [0, 1], a, [1, 27]), np.einsum(a, [0, 1], a, [1, 27])),
        ((b, [..., 1, 2]), np.einsum(b, [..., 1, 2])),
    ]
    for args, want in cases:
        got = ag.einsum(*[tensor(x) if isinstance(x, np.ndarray) else x for x in args])
        want = np.einsum(*args) if want is None else want
        np.testing.assert_allclose(got.data, want, rtol=1e-12)


@pytest.mark.parametrize(
    "args, message",
    [
        (("ii", np.ones((2, 3))), r"index 'i' of operand 'ii' repeats over axes of sizes 2 and 3"),
        (("...i->i", np.ones((2, 3))), r"broadcasts 1 dims under '...' but its output has no '...'"),
        (("ij->ii", np.ones((2, 2))), "the output of 'ij->ii' repeats an index"),
        (("ij", np.ones(3)), "operand 'ij' has 1 dims, expected 2"),
        ((np.ones(2), [60]), r"must be an int in \[0, 52\) or \.\.\., got 60"),
        (("i,i", np.ones(2)), "names 2 operands but 1 were given"),
    ],
)
def test_einsum_errors_name_the_problem(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ag.einsum(*args)


def test_gradcheck_on_float32_says_so_and_suggests_float64() -> None:
    w = np.float32([0.7, -1.3])

    def model(x: ag.Tensor) -> ag.Tensor:  # float32 parameters, as an nn.Linear's
        return ag.tanh(ag.astype(x, np.float32) * w) * 100.0

    with pytest.raises(GradcheckError) as info:
        gradcheck(model, np.array([0.3, 0.5]))
    message = str(info.value)
    assert "f computes in float32" in message and "model.double()" in message and "np.float64" in message
    # float32 inputs with a wrong rule: the note says they were float32 (and checked as float64)
    off = Primitive("off_by_one_percent", np.sin, lambda g, ans, x: g * np.cos(x) * 1.01, register=False)
    with pytest.raises(GradcheckError, match=r"the inputs were float32 \(checked as float64\)"):
        gradcheck(off, np.float32([0.5, 1.0]))
    with pytest.raises(GradcheckError) as info:
        gradcheck(off, np.array([0.5, 1.0]))
    assert "note:" not in str(info.value)  # float64 throughout: no precision note
