"""Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np

from autograd_core import Tensor

from .optimizer import Optimizer, ParamsT, _check_bool, _check_number


class SGD(Optimizer):
    """SGD exactly as ``torch.optim.SGD``.

    With ``g = grad + weight_decay * p``: if ``momentum`` is non-zero,
    ``buf = g`` on the first step and ``buf = momentum * buf + (1 - dampening) * g`` after, and
    ``g = g + momentum * buf`` (Nesterov) or ``g = buf``; then ``p -= lr * g``.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> w = Tensor(np.array([1.0]), requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     w.grad = Tensor(np.array([1.0]))
    ...     opt.step()
    >>> w.data  # 1 - 0.1 * 1 - 0.1 * 1.9
    array([0.71])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        defaults = dict(
            lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov, weight_decay=weight_decay
        )
        super().__init__(params, defaults)

    def _check_options(self, options: Dict[str, Any]) -> Dict[str, Any]:
        out = {
            k: _check_number("SGD", k, options[k]) for k in ("lr", "momentum", "dampening", "weight_decay")
        }
        out["nesterov"] = _check_bool("SGD", "nesterov", options["nesterov"])
        if out["nesterov"] and (out["momentum"] <= 0 or out["dampening"] != 0):
            raise ValueError(
                f"SGD: Nesterov momentum requires a momentum > 0 and zero dampening, got "
                f"momentum={out['momentum']} dampening={out['dampening']}"
            )
        return out

    def _state_spec(self, group: Dict[str, Any]) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        return (("momentum_buffer",) if group["momentum"] else ()), ()

    def _update(self, p: Tensor, grad: np.ndarray, state: Dict[str, Any], group: Dict[str, Any]) -> None:
        g = self._decayed(p, grad, group["weight_decay"])
        momentum = group["momentum"]
        work = self._work(p, 1)
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                state["momentum_buffer"] = buf = g.copy()
            else:
                np.multiply(buf, momentum, out=buf)
                if group["dampening"]:
                    np.multiply(g, 1.0 - group["dampening"], out=work)
                    np.add(buf, work, out=buf)
                else:
                    np.add(buf, g, out=buf)
            if group["nesterov"]:
                np.multiply(buf, momentum, out=work)
                np.add(g, work, out=work)
                g = work
            else:
                g = buf
        np.multiply(g, group["lr"], out=work)
        np.subtract(p.data, work, out=p.data)
