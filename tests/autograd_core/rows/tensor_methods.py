"""Rows of the Tensor methods a PyTorch user reaches for: clone/copy, ravel, view, pow, float/double."""

from __future__ import annotations

import numpy as np

from tests.autograd_core.op_table_kit import ANY, POS, one, row

ROWS = [
    row("clone", lambda x: x.clone() * x, one(), "copy"),
    row("copy_method", lambda x: x.copy(), one(), "copy"),
    row("ravel", lambda x: x.ravel(), one(), "reshape"),
    row("view", lambda x: x.view(-1, 1), one(ANY), "reshape"),
    row("pow_method", lambda x: x.pow(1.5), one(POS), "pow"),
    row("float_method", lambda x: x.float() * np.float32(2.0), one(), "astype", eps=1e-2),
    row("double_method", lambda x: x.double(), one(), "astype", keeps_dtype=False),
]
