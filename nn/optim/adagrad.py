"""Adagrad with learning-rate decay and weight decay."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np

from autograd_core import Tensor

from .optimizer import Optimizer, ParamsT, _check_number


class Adagrad(Optimizer):
    """Adagrad exactly as ``torch.optim.Adagrad``.

    ``s += g^2`` (``s`` starts at ``initial_accumulator_value``) and
    ``p -= lr / (1 + (t - 1) lr_decay) * g / (sqrt(s) + eps)`` at step ``t``.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> w = Tensor(np.array([1.0]), requires_grad=True)
    >>> opt = Adagrad([w], lr=0.5, eps=0.0)
    >>> w.grad = Tensor(np.array([4.0]))
    >>> opt.step()
    >>> w.data  # 1 - 0.5 * 4 / sqrt(16)
    array([0.5])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: Dict[str, Any]) -> Dict[str, Any]:
        keys = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")
        return {k: _check_number("Adagrad", k, options[k]) for k in keys}

    def _state_spec(self, group: Dict[str, Any]) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        return ("sum",), ("step",)

    def _update(self, p: Tensor, grad: np.ndarray, state: Dict[str, Any], group: Dict[str, Any]) -> None:
        if not state:
            state["step"] = 0
            state["sum"] = np.full_like(p.data, group["initial_accumulator_value"])
        state["step"] += 1
        clr = group["lr"] / (1.0 + (state["step"] - 1) * group["lr_decay"])
        g = self._decayed(p, grad, group["weight_decay"])
        s, work = state["sum"], self._work(p, 1)
        np.multiply(g, g, out=work)
        np.add(s, work, out=s)
        np.sqrt(s, out=work)
        np.add(work, group["eps"], out=work)
        np.divide(g, work, out=work)
        np.multiply(work, clr, out=work)
        np.subtract(p.data, work, out=p.data)
