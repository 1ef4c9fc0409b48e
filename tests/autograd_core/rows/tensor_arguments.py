"""Rows for op parameters that are Tensors: clip bounds, activation slopes, pad values, logsumexp weights."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core import REGISTRY as R
from tests.autograd_core.op_table_kit import KINK0, ODD, POS, dom, each, fixed, row


def _even(lo: int, hi: int):  # noqa: ANN202
    """Even multiples of 1/16 in [lo/8, hi/8]: never within 1/16 of an ODD-grid x."""
    return lambda shape: hnp.arrays(np.float64, shape, elements=st.integers(lo, hi).map(lambda k: k / 8))


LOW, HIGH = _even(-24, -1), _even(1, 24)  # lo < 0 < hi: no tie between the bounds

ROWS = [
    row("clip_tensor_bounds", lambda x, lo, hi: ag.clip(x, lo, hi), each(ODD, LOW, HIGH), "clip"),
    row("clip_crossed_bounds", lambda x, lo, hi: ag.clip(x, lo, hi), each(ODD, HIGH, LOW), "clip"),
    row("clip_keyword_bound", lambda x, lo: ag.clip(x, a_min=lo, a_max=None), each(ODD, LOW), "clip"),
    row("clip_method_bound", lambda x, hi: x.clip(None, hi), each(ODD, HIGH), "clip"),
    row("leaky_relu_tensor_slope", ag.leaky_relu, each(KINK0, dom(0.01, 0.5)), "leaky_relu"),
    row("elu_tensor_alpha", lambda x, a: ag.elu(x, alpha=a), each(KINK0, dom(0.1, 2.0)), "elu"),
    row(
        "pad_tensor_value",
        lambda x, c: ag.pad(x, ((1, 0), (0, 2)), constant_values=c),
        fixed((2, 3), ()),
        "pad",
    ),
    row(
        "logsumexp_b",
        lambda a, b: ag.logsumexp(a, axis=-1, b=b),
        fixed((2, 3), (2, 3), domains=(dom(), POS)),
        "logsumexp_b",
    ),
    row(
        "logsumexp_b_broadcast",
        lambda a, b: ag.logsumexp(a, b=b),
        fixed((2, 3), (3,), domains=(dom(), POS)),
        "logsumexp_b",
    ),
    row(
        "logsumexp_b_negative_signed",
        lambda a, b: ag.logsumexp(a, axis=0, b=b, keepdims=True, return_sign=True)[0],
        fixed((3, 2), (3, 2), domains=(dom(), dom(-3.0, -0.2))),
        "logsumexp_b",
    ),
]

NO_GRAD = {
    "logsumexp_sign": (
        lambda a, b: R["logsumexp_sign"](a + 0 * b, b, axis=-1),
        lambda a, b: np.sign(
            np.sum(b * np.exp(a + 0 * b - np.max(a + 0 * b, axis=-1, keepdims=True)), axis=-1)
        ),
        2,
    ),
}
