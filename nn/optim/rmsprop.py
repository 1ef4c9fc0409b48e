"""RMSprop, optionally centered and with momentum."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np

from autograd_core import Tensor

from .optimizer import Optimizer, ParamsT, _check_bool, _check_number


class RMSprop(Optimizer):
    """RMSprop exactly as ``torch.optim.RMSprop``.

    ``v = alpha v + (1 - alpha) g^2``; the denominator is ``sqrt(v) + eps``, or with ``centered``
    ``sqrt(v - a^2) + eps`` where ``a`` averages ``g`` the same way; then either
    ``p -= lr * g / denom`` or, with momentum, ``buf = momentum buf + g / denom; p -= lr * buf``.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> w = Tensor(np.array([1.0]), requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01, alpha=0.75, eps=0.0)
    >>> w.grad = Tensor(np.array([2.0]))
    >>> opt.step()
    >>> w.data  # 1 - 0.01 * 2 / sqrt(0.25 * 4)
    array([0.98])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered
        )
        super().__init__(params, defaults)

    def _check_options(self, options: Dict[str, Any]) -> Dict[str, Any]:
        out = {k: _check_number("RMSprop", k, options[k]) for k in ("lr", "eps", "weight_decay", "momentum")}
        out["alpha"] = _check_number("RMSprop", "alpha", options["alpha"], 0.0, 1.0)
        out["centered"] = _check_bool("RMSprop", "centered", options["centered"])
        return out

    def _state_spec(self, group: Dict[str, Any]) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        arrays = ("square_avg",)
        arrays += ("momentum_buffer",) if group["momentum"] > 0 else ()
        arrays += ("grad_avg",) if group["centered"] else ()
        return arrays, ("step",)

    def _update(self, p: Tensor, grad: np.ndarray, state: Dict[str, Any], group: Dict[str, Any]) -> None:
        if not state:
            state["step"] = 0
            for k in self._state_spec(group)[0]:
                state[k] = np.zeros_like(p.data)
        state["step"] += 1
        alpha, lr, momentum = group["alpha"], group["lr"], group["momentum"]
        g = self._decayed(p, grad, group["weight_decay"])
        v, work = state["square_avg"], self._work(p, 1)
        np.multiply(v, alpha, out=v)
        np.multiply(g, g, out=work)
        np.multiply(work, 1.0 - alpha, out=work)
        np.add(v, work, out=v)
        if group["centered"]:
            a = state["grad_avg"]
            np.subtract(g, a, out=work)  # a.lerp_(g, 1 - alpha)
            np.multiply(work, 1.0 - alpha, out=work)
            np.add(a, work, out=a)
            np.multiply(a, a, out=work)
            np.subtract(v, work, out=work)
            np.sqrt(work, out=work)
        else:
            np.sqrt(v, out=work)
        np.add(work, group["eps"], out=work)
        np.divide(g, work, out=work)
        if momentum > 0:
            buf = state["momentum_buffer"]
            np.multiply(buf, momentum, out=buf)
            np.add(buf, work, out=buf)
            np.multiply(buf, lr, out=work)
        else:
            np.multiply(work, lr, out=work)
        np.subtract(p.data, work, out=p.data)
