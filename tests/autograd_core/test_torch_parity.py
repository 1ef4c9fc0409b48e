"""Values and gradients against PyTorch, to 1e-10 in float64 (skipped without torch).

Each row is (our call, torch's call, input domains or fixed shapes); a random upstream
gradient is pulled back through both and every input's gradient is compared.
"""

from __future__ import annotations

from typing import Any, Callable, Tuple

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core import Tensor
from autograd_core.testing import arrays, broadcastable_shapes, shapes

torch = pytest.importorskip("torch")
F = torch.nn.functional

pytestmark = pytest.mark.torch


def dom(lo: float = -3.0, hi: float = 3.0, exclude: Any = None) -> Callable:
    return lambda shape: arrays(shape, min_value=lo, max_value=hi, exclude=exclude)


ANY, POS, KINK0 = dom(), dom(0.2, 3.0), dom(exclude=(-0.01, 0.01))
NONZERO = dom(exclude=(-0.25, 0.25))


def grid(parity: int) -> Callable:
    elements = st.integers(-24, 23).map(lambda k: (2 * k + parity) / 16)
    return lambda shape: hnp.arrays(np.float64, shape, elements=elements)


def distinct(shape: tuple) -> Any:
    return hnp.arrays(np.float64, shape, elements=st.integers(-48, 48).map(lambda k: k / 16), unique=True)


@st.composite
def _inputs(draw: Any, domains: tuple, shape_strategy: Any) -> Tuple[np.ndarray, ...]:
    return tuple(draw(d(s)) for d, s in zip(domains, draw(shape_strategy)))


def each(*domains: Callable) -> Any:
    return _inputs(domains, broadcastable_shapes(len(domains), max_side=3))


def one(domain: Callable = ANY, min_dims: int = 0, min_side: int = 1) -> Any:
    return _inputs((domain,), shapes(min_dims=min_dims, max_side=3, min_side=min_side).map(lambda s: (s,)))


def fixed(*shps: tuple, domain: Callable = ANY) -> Any:
    return _inputs((domain,) * len(shps), st.just(shps))


GATHER_INDEX = np.array([[0, 0], [3, 1], [2, 2]])

TABLE = {
    "add": (ag.add, torch.add, each(ANY, ANY)),
    "sub": (ag.sub, torch.sub, each(ANY, ANY)),
    "mul": (ag.mul, torch.mul, each(ANY, ANY)),
    "div": (ag.div, torch.div, each(ANY, NONZERO)),
    "neg": (ag.neg, torch.neg, one()),
    "pow": (ag.power, torch.pow, each(POS, ANY)),
    "pow_const": (lambda x: x**3, lambda x: x**3, one()),
    "maximum": (ag.maximum, torch.maximum, each(grid(0), grid(1))),
    "minimum": (ag.minimum, torch.minimum, each(grid(0), grid(1))),
    "where": (lambda x, y: ag.where(x > 0, x, y), lambda x, y: torch.where(x > 0, x, y), each(KINK0, ANY)),
    "clip": (lambda x: ag.clip(x, -1.0, 1.0), lambda x: torch.clamp(x, -1.0, 1.0),
             one(dom(exclude=[(-1.01, -0.99), (0.99, 1.01)]))),
    "exp": (ag.exp, torch.exp, one()),
    "log": (ag.log, torch.log, one(POS)),
    "log1p": (ag.log1p, torch.log1p, one(dom(-0.8, 3.0))),
    "expm1": (ag.expm1, torch.expm1, one()),
    "sqrt": (ag.sqrt, torch.sqrt, one(POS)),
    "sin": (ag.sin, torch.sin, one()),
    "cos": (ag.cos, torch.cos, one()),
    "tan": (ag.tan, torch.tan, one(dom(-1.2, 1.2))),
    "tanh": (ag.tanh, torch.tanh, one()),
    "abs": (ag.abs, torch.abs, one(KINK0)),
    "erf": (ag.erf, torch.erf, one()),
    "sigmoid": (ag.sigmoid, torch.sigmoid, one(dom(-8.0, 8.0))),
    "relu": (ag.relu, torch.relu, one(KINK0)),
    "leaky_relu": (lambda x: ag.leaky_relu(x, 0.1), lambda x: F.leaky_relu(x, 0.1), one(KINK0)),
    "elu": (lambda x: ag.elu(x, 0.7), lambda x: F.elu(x, 0.7), one(KINK0)),
    "selu": (ag.selu, F.selu, one(KINK0)),
    "silu": (ag.silu, F.silu, one()),
    "gelu": (ag.gelu, F.gelu, one()),
    "gelu_tanh": (lambda x: ag.gelu(x, approximate="tanh"), lambda x: F.gelu(x, approximate="tanh"), one()),
    "softplus": (ag.softplus, F.softplus, one(dom(-8.0, 8.0))),
    "sum_axis": (lambda x: ag.sum(x, axis=-1), lambda x: torch.sum(x, dim=-1), one(min_dims=1)),
    "mean_keepdims": (lambda x: ag.mean(x, axis=0, keepdims=True), lambda x: torch.mean(x, 0, keepdim=True),
                      one(min_dims=1)),
    "var_ddof1": (lambda x: ag.var(x, ddof=1), lambda x: torch.var(x, correction=1), one(distinct, 1, 2)),
    "std_axis": (lambda x: ag.std(x, axis=-1), lambda x: torch.std(x, dim=-1, correction=0), one(distinct, 1, 2)),
    "prod_axis": (lambda x: ag.prod(x, axis=-1), lambda x: torch.prod(x, dim=-1), one(min_dims=1)),
    "max_axis": (lambda x: ag.max(x, axis=-1), lambda x: torch.amax(x, dim=-1), one(distinct, min_dims=1)),
    "min_all": (ag.min, torch.amin, one(distinct)),
    "logsumexp": (lambda x: ag.logsumexp(x, axis=-1), lambda x: torch.logsumexp(x, dim=-1), one(min_dims=1)),
    "softmax": (lambda x: ag.softmax(x, axis=0), lambda x: torch.softmax(x, dim=0), one(min_dims=1)),
    "log_softmax": (ag.log_softmax, lambda x: torch.log_softmax(x, dim=-1), one(min_dims=1)),
    "cumsum": (lambda x: ag.cumsum(x, axis=0), lambda x: torch.cumsum(x, dim=0), one(min_dims=1)),
    "norm": (ag.norm, torch.linalg.vector_norm, one(NONZERO)),
    "matmul_2d": (ag.matmul, torch.matmul, fixed((2, 3), (3, 4))),
    "matmul_1d_2d": (ag.matmul, torch.matmul, fixed((3,), (3, 2))),
    "matmul_batched": (ag.matmul, torch.matmul, fixed((2, 1, 3, 2), (3, 2, 4))),
    "einsum": (lambda a, b: ag.einsum("bij,bjk->bik", a, b), lambda a, b: torch.einsum("bij,bjk->bik", a, b),
               fixed((2, 2, 3), (2, 3, 2))),
    "outer": (ag.outer, torch.outer, fixed((3,), (2,))),
    "dot": (ag.dot, torch.dot, fixed((3,), (3,))),
    "transpose": (lambda x: ag.transpose(x, (1, 2, 0)), lambda x: x.permute(1, 2, 0), fixed((2, 3, 4))),
    "reshape": (lambda x: x.reshape(3, 4), lambda x: x.reshape(3, 4), fixed((2, 6))),
    "getitem": (lambda x: x[[0, 2, 0], 1:], lambda x: x[[0, 2, 0], 1:], fixed((3, 4))),
    "gather": (lambda x: ag.gather(x, GATHER_INDEX, 1), lambda x: torch.gather(x, 1, torch.from_numpy(GATHER_INDEX)),
               fixed((3, 4))),
    "take": (lambda x: ag.take(x, [5, 0, 5]), lambda x: torch.take(x, torch.tensor([5, 0, 5])), fixed((2, 3))),
    "pad": (lambda x: ag.pad(x, ((1, 0), (0, 2))), lambda x: F.pad(x, (0, 2, 1, 0)), fixed((2, 3))),
    "concatenate": (lambda a, b: ag.concatenate([a, b], axis=1), lambda a, b: torch.cat([a, b], dim=1),
                    fixed((2, 3), (2, 1))),
    "stack": (lambda a, b: ag.stack([a, b], axis=-1), lambda a, b: torch.stack([a, b], dim=-1),
              fixed((2, 3), (2, 3))),
}  # fmt: skip


@pytest.mark.parametrize("name", list(TABLE))
@given(data=st.data())
def test_matches_torch(name: str, data: Any) -> None:
    ours, theirs, inputs = TABLE[name]
    xs = data.draw(inputs, label="inputs")
    leaves = [Tensor(x.copy(), requires_grad=True) for x in xs]
    refs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out, ref = ours(*leaves), theirs(*refs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-10)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    ref.backward(torch.from_numpy(upstream))
    for i, (leaf, r) in enumerate(zip(leaves, refs)):
        np.testing.assert_allclose(
            leaf.grad.data, r.grad.numpy(), rtol=1e-10, atol=1e-10, err_msg=f"{name}: gradient of input {i}"
        )
