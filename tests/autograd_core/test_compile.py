"""compile: replays equal eager bit for bit; guards re-trace; nothing silently different."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import CompileWarning
from tests.autograd_core.custom_functions import Cube

X = np.random.default_rng(0).standard_normal((30, 3))
Y = (X[:, 0] > 0).astype(np.float64)


def log_likelihood(theta):
    z = X @ theta
    return ag.mean(Y * z - ag.softplus(z))


def program_of(compiled):
    """The source of a compiled function's first program (with buffers, the part that uses them)."""
    return compiled.programs()[0].split("def program(")[1]


def assert_bit_identical(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "transform",
    [ag.grad, ag.hessian, lambda f: ag.value_and_grad(f), lambda f: ag.jacobian(ag.grad(f))],
    ids=["grad", "hessian", "value_and_grad", "jacobian_of_grad"],
)
def test_transforms_compile_and_replay_bit_identically(transform):
    eager, compiled = transform(log_likelihood), ag.compile(transform(log_likelihood))
    rng = np.random.default_rng(1)
    for _ in range(4):
        theta = rng.standard_normal(3)
        got, want = compiled(theta), eager(theta)
        for g, w in zip(
            got if isinstance(got, tuple) else [got], want if isinstance(want, tuple) else [want]
        ):
            assert_bit_identical(g, w)
    assert compiled.stats["traces"] == 1 and compiled.stats["replays"] == 3


def test_hvp_and_parameter_dicts():
    def loss(params, x):
        return ag.sum(ag.tanh(x @ params["w"] + params["b"]) ** 2)

    params = {"w": np.ones((3, 2)), "b": np.zeros(2)}
    f = ag.compile(loss)  # a dict of arrays as an argument
    assert_bit_identical(f(params, X), np.asarray(loss(params, X).data))
    hv = ag.compile(lambda x, v: ag.hvp(log_likelihood, x, v)[1])
    x, v = np.ones(3), np.array([1.0, -1.0, 0.5])
    assert_bit_identical(hv(x, v), ag.hvp(log_likelihood, x, v)[1])
    assert_bit_identical(hv(x + 1, v), ag.hvp(log_likelihood, x + 1, v)[1])


def test_a_python_branch_on_a_traced_value_is_a_guard_that_retraces():
    def f(x):
        if ag.sum(x) > 0:  # bool(Tensor): a decision the replay must re-check
            return ag.sum(x * x)
        return ag.sum(-x)

    g = ag.compile(ag.grad(f))
    assert_bit_identical(g(np.ones(2)), ag.grad(f)(np.ones(2)))
    assert_bit_identical(g(-np.ones(2)), ag.grad(f)(-np.ones(2)))  # guard fails -> re-trace
    assert g.stats["traces"] == 2
    assert_bit_identical(g(np.full(2, 3.0)), np.full(2, 6.0))


def test_float_and_item_and_tensor_indices_are_guarded():
    def f(x):
        k = ag.argmax(x)  # recorded although not differentiable
        scale = float(ag.max(x))
        return x[k] * scale

    c = ag.compile(f)
    for x in (np.array([1.0, 3.0, 2.0]), np.array([5.0, 0.0, 1.0]), np.array([0.0, 1.0, 4.0])):
        assert_bit_identical(c(x), f(ag.tensor(x)).data)


def test_after_max_retraces_it_falls_back_to_eager_with_a_warning():
    def f(x):
        return x * float(ag.sum(x))  # every new input changes the guarded value

    c = ag.compile(f, max_retraces=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(6):
            x = np.full(2, float(i))
            assert_bit_identical(c(x), x * (2.0 * i))
    assert any(issubclass(w.category, CompileWarning) for w in caught)
    assert c.stats["eager"] >= 1


def test_random_numbers_inside_f_are_detected_and_run_eagerly():
    rng = np.random.default_rng(0)

    def noisy(x):
        return ag.sum(x * rng.standard_normal(x.shape))

    c = ag.compile(noisy)
    with pytest.warns(CompileWarning, match="bit for bit"):
        c(np.ones(3))
    assert c.stats["eager"] >= 1


def test_values_read_through_data_are_detected():
    def leaky(x):
        return x * float(ag.sum(ag.tensor(x).detach()))  # off the tape: a baked constant in a replay

    c = ag.compile(leaky)
    with pytest.warns(CompileWarning):
        out = c(np.ones(2))
    np.testing.assert_array_equal(out, np.full(2, 2.0))
    np.testing.assert_array_equal(c(np.full(2, 2.0)), np.full(2, 8.0))  # eager: right


def test_in_place_mutation_of_an_input_is_refused():
    def mutate(x):
        x += 1.0
        return x

    with pytest.raises(ValueError, match="in place"):
        ag.compile(mutate)(np.ones(2))


def test_integer_arguments_are_compared_by_value():
    def pick(x, idx):
        return ag.sum(x[idx])

    c = ag.compile(ag.grad(pick))
    x = np.arange(4.0)
    np.testing.assert_array_equal(c(x, np.array([0, 0])), [2.0, 0, 0, 0])
    np.testing.assert_array_equal(c(x, np.array([3, 1])), [0, 1.0, 0, 1.0])


def test_returned_arrays_are_the_callers():
    c = ag.compile(lambda x: ag.exp(x))
    a = c(np.zeros(2))
    b = c(np.ones(2))
    np.testing.assert_array_equal(a, [1.0, 1.0])  # not overwritten by the second call
    assert not np.shares_memory(a, b)
    const = ag.compile(lambda x: np.arange(3.0))
    first = const(np.zeros(1))
    first[0] = 99.0
    np.testing.assert_array_equal(const(np.zeros(1)), [0.0, 1.0, 2.0])


def test_returned_arrays_never_alias_a_buffer_or_each_other():
    big = np.random.default_rng(2).standard_normal((64, 64))  # 32 KiB: intermediates get buffers

    def f(x):
        h = ag.tanh(x * 2.0) * x  # buffered intermediates
        return ag.exp(h), ag.exp(h), h.sum()  # the two exps are merged in the program

    c = ag.compile(f)
    a, b, _ = c(big)
    assert "out=" in program_of(c) and program_of(c).count("# exp") == 1
    assert not np.shares_memory(a, b)  # eager returned two arrays: so does the replay
    kept = a.copy()
    c(big + 1.0)
    np.testing.assert_array_equal(a, kept)  # not overwritten by the next call
    buffers = [v for k, v in next(iter(c._cache.values()))["program"].run.__globals__.items() if k[0] == "b"]
    assert buffers and not any(np.shares_memory(a, buf) or np.shares_memory(b, buf) for buf in buffers)


def test_buffered_programs_equal_eager_for_every_layout_and_while_busy():
    def f(x):
        return ag.sum(ag.sum(ag.sin(x * x + 1.0) * ag.exp(-x), axis=0) ** 2)  # layout decides the bits

    c, eager = ag.compile(ag.value_and_grad(f)), ag.value_and_grad(f)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((96, 48))
    for arg in (x, np.asfortranarray(x), x[::2], np.asfortranarray(x)):  # a signature per layout
        for got, want in zip(c(arg), eager(arg)):
            assert_bit_identical(got, want)
    assert c.stats["traces"] == 3 and "out=" in program_of(c)
    lock = next(iter(c._cache.values()))["program"].run.__globals__["_lock"]
    with lock:  # as if another thread were inside: this call allocates its own results
        for got, want in zip(c(x), eager(x)):
            assert_bit_identical(got, want)


def test_the_simplified_program_drops_only_what_cannot_change_a_bit():
    c = ag.compile(lambda x: ag.sum(x**0 * 3.0 + x * 1.0 + ag.exp(x) * ag.exp(x)))
    x = np.array([-2.0, 0.5, np.inf, np.nan])
    assert_bit_identical(c(x), ag.sum(x**0 * 3.0 + x * 1.0 + ag.exp(x) * ag.exp(x)).data)
    source = program_of(c)
    assert "# pow" not in source and source.count("# exp") == 1 and source.count("# mul") == 1
    z = np.array([complex(-0.0, np.inf), 1 - 2j])
    with np.errstate(invalid="ignore"):  # complex * 1 is no identity: inf * 0 makes a nan
        assert_bit_identical(ag.compile(lambda x: x * 1.0)(z), (ag.tensor(z) * 1.0).data)
    signed = ag.compile(lambda x: (x + 0.0, x + -0.0))  # equal as keys in Python, not as bits
    plus, minus = signed(np.array([-0.0]))
    assert not np.signbit(plus[0]) and np.signbit(minus[0])
    hv = ag.compile(lambda x, v: ag.hvp(log_likelihood, x, v)[1])
    x, v = np.ones(3), np.array([1.0, -1.0, 0.5])
    assert_bit_identical(hv(x, v), ag.hvp(log_likelihood, x, v)[1])
    assert "fresh_input" not in hv.programs()[0]


def test_parameters_closed_over_are_read_live():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    c = ag.compile(lambda x: ag.sum(w * x))
    assert float(c(np.ones(2))) == 3.0
    with ag.no_grad():
        w *= 2.0
    assert float(c(np.ones(2))) == 6.0


def test_a_parameter_given_a_new_shape_dtype_or_requires_grad_retraces():
    # The program's shapes and its gradients were fixed by what the trace saw of the parameter.
    w = ag.tensor(np.ones((1, 3)), requires_grad=True)
    b = ag.tensor(np.zeros(3), requires_grad=True)

    def f(x):
        return ag.grad(lambda x: ag.sum(ag.tanh(x * w + b) ** 2))(x)

    c = ag.compile(f)
    x = np.linspace(-1.0, 1.0, 3)
    assert_bit_identical(c(x), f(ag.tensor(x)).numpy())
    w.data = np.full((3, 3), 0.5)  # now broadcasts to (3, 3): the gradient sums over a new axis
    assert_bit_identical(c(x), f(ag.tensor(x)).numpy())
    w.data = np.full((1, 3), 0.5, dtype=np.float32)
    assert_bit_identical(c(x), f(ag.tensor(x)).numpy())
    b.requires_grad_(False)
    assert_bit_identical(c(x), f(ag.tensor(x)).numpy())
    assert c.stats["traces"] == 4


def test_a_frozen_parameter_gets_no_gradient_from_a_replay():
    w = ag.tensor(np.ones(2), requires_grad=True)
    step = ag.compile(lambda x: ag.sum(w * x).backward())
    step(np.ones(2))
    w.grad = None
    w.requires_grad_(False)
    with pytest.raises(Exception, match="require"):
        step(np.ones(2))
    assert w.grad is None


class DoubleSaved(ag.Function):  # saves an intermediate array: the trace's backward bakes it in
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(2.0 * x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (two_x,) = ctx.saved_tensors
        return g * two_x


def test_a_custom_function_replays_its_forward_with_a_fresh_ctx():
    f = lambda x: Cube.apply(ag.sin(x)).sum()  # noqa: E731
    for transform in (ag.value_and_grad, ag.grad):
        compiled = ag.compile(transform(f))
        for x in (2.0, 3.0, -0.5):
            got, want = compiled(np.array([x, 1.0])), transform(f)(np.array([x, 1.0]))
            for g, w in zip(
                got if isinstance(got, tuple) else [got], want if isinstance(want, tuple) else [want]
            ):
                assert_bit_identical(g, w)
        assert compiled.stats == {"traces": 1, "replays": 2, "eager": 0}
        # value_and_grad needs the Function's own forward, replayed; grad needs only its backward's ops
        assert ("ctx=_new_ctx(" in compiled.programs()[0]) == (transform is ag.value_and_grad)


def test_a_custom_function_whose_backward_reads_an_intermediate_runs_eagerly():
    vg = ag.compile(ag.value_and_grad(lambda x: DoubleSaved.apply(x).sum()))
    with pytest.warns(CompileWarning, match="bit for bit"):
        value, grad = vg(np.array([2.0]))
    assert float(value) == 4.0 and float(grad[0]) == 4.0
    value, grad = vg(np.array([3.0]))
    assert float(value) == 9.0 and float(grad[0]) == 6.0 and vg.stats["replays"] == 0


def test_signatures_are_cached_up_to_the_bound():
    c = ag.compile(lambda x: ag.sum(x), max_signatures=2)
    for n in (1, 2, 3, 1):
        c(np.ones(n))
    assert c.stats["traces"] == 4  # n=1 was evicted by n=3
    with pytest.raises(ValueError, match="max_signatures"):
        ag.compile(lambda x: x, max_signatures=0)
    with pytest.raises(TypeError, match="function"):
        ag.compile(3)


def test_an_inner_transform_closing_over_a_traced_value_replays_exactly():
    f = lambda x: x * ag.grad(lambda y: ag.sin(x * y))(2.0)  # noqa: E731
    c = ag.compile(ag.grad(f))
    for x in (np.array(0.5), np.array(-1.25), np.array(2.0)):
        assert_bit_identical(c(x), ag.grad(f)(x))
    assert c.stats["eager"] == 0


def test_inside_an_outer_transform_it_runs_eagerly_and_records():
    c = ag.compile(lambda x: ag.sum(x**3))
    assert float(ag.grad(c)(2.0)) == 12.0


UNARY = [ag.tanh, ag.exp, ag.sin, ag.sigmoid, ag.softplus, lambda t: t * t, lambda t: ag.relu(t) + 0.5]
BINARY = [lambda a, b: a * b, lambda a, b: a + b, lambda a, b: a - b * 0.5, ag.maximum]


@st.composite
def programs(draw):
    steps = draw(
        st.lists(
            st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=8
        )
    )
    return steps


@given(steps=programs(), seed=st.integers(0, 2**16), size=st.sampled_from([4, 2100]))
def test_random_programs_compiled_equal_eager_bit_for_bit(steps, seed, size):  # 2100: buffered
    def f(x):
        values = [x, ag.tanh(x)]
        for kind, i, j in steps:
            a, b = values[i % len(values)], values[j % len(values)]
            if kind % 2:
                values.append(BINARY[kind % len(BINARY)](a, b))
            else:
                values.append(UNARY[kind % len(UNARY)](a))
        return ag.sum(values[-1] * values[-1])

    eager, compiled = ag.grad(f), ag.compile(ag.grad(f))
    rng = np.random.default_rng(seed)
    for _ in range(3):
        x = rng.standard_normal(size)
        assert_bit_identical(compiled(x), eager(x))
