"""Custom Functions the tests share."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Function


class Cube(Function):
    """x**3 with a backward written in ag ops, so it is itself differentiable."""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * 3 * x**2
