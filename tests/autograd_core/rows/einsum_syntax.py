"""Rows of einsum's full numpy syntax: '...', repeated indices in one operand, interleaved format.

The public ``ag.einsum`` rewrites these into the ``einsum`` primitive's plain form (a diagonal
becomes a product with an identity matrix), so each row checks the rewrite's gradients.
"""

from __future__ import annotations

import autograd_core as ag
from tests.autograd_core.op_table_kit import fixed, row

ROWS = [
    row("einsum_diagonal", lambda a: ag.einsum("ii->i", a), fixed((3, 3)), "einsum"),
    row("einsum_trace_implicit", lambda a: ag.einsum("ii", a), fixed((3, 3)), "einsum"),
    row("einsum_batched_diagonal", lambda a: ag.einsum("iij->ji", a), fixed((2, 2, 3)), "einsum"),
    row("einsum_two_traces", lambda a, b: ag.einsum("ii,jj", a, b), fixed((2, 2), (3, 3)), "einsum"),
    row(
        "einsum_ellipsis_broadcast_matmul",
        lambda a, b: ag.einsum("...ij,...jk->...ik", a, b),
        fixed((2, 1, 2, 3), (4, 3, 2)),
        "einsum",
    ),
    row("einsum_ellipsis_implicit", lambda a, b: ag.einsum("...i,...i", a, b), fixed((2, 3), (3,)), "einsum"),
    row("einsum_ellipsis_sum_leading", lambda a: ag.einsum("i...->...", a), fixed((2, 3, 2)), "einsum"),
    row(
        "einsum_interleaved_explicit",
        lambda a, b: ag.einsum(a, [0, 1], b, [1, 2], [2, 0]),
        fixed((2, 3), (3, 2)),
        "einsum",
    ),
    row("einsum_interleaved_ellipsis", lambda a: ag.einsum(a, [..., 0, 0]), fixed((2, 3, 3)), "einsum"),
]
