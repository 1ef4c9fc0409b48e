"""Adam and AdamW (decoupled weight decay), with the optional AMSGrad variant."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np

from autograd_core import Tensor

from .optimizer import Optimizer, ParamsT, _check_betas, _check_bool, _check_number


class Adam(Optimizer):
    """Adam exactly as ``torch.optim.Adam`` (L2 weight decay added to the gradient).

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2`` (``v_max = max(v_max, v)`` with
    ``amsgrad``), ``p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)``.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> w = Tensor(np.array([1.0, -1.0]), requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> w.grad = Tensor(np.array([3.0, -0.5]))
    >>> opt.step()
    >>> np.round(w.data, 6)  # the first step moves every coordinate by about lr
    array([ 0.9, -0.9])
    """

    _decoupled = False

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: Tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        super().__init__(params, defaults)

    def _check_options(self, options: Dict[str, Any]) -> Dict[str, Any]:
        name = self._name
        out = {k: _check_number(name, k, options[k]) for k in ("lr", "eps", "weight_decay")}
        out["betas"] = _check_betas(name, options["betas"])
        out["amsgrad"] = _check_bool(name, "amsgrad", options["amsgrad"])
        return out

    def _state_spec(self, group: Dict[str, Any]) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        arrays = ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if group["amsgrad"] else ())
        return arrays, ("step",)

    def _update(self, p: Tensor, grad: np.ndarray, state: Dict[str, Any], group: Dict[str, Any]) -> None:
        if not state:
            state["step"] = 0
            for k in self._state_spec(group)[0]:
                state[k] = np.zeros_like(p.data)
        state["step"] += 1
        step = state["step"]
        lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        if self._decoupled:
            if wd:
                np.multiply(p.data, 1.0 - lr * wd, out=p.data)
            g = grad
        else:
            g = self._decayed(p, grad, wd)
        m, v, work = state["exp_avg"], state["exp_avg_sq"], self._work(p, 1)
        np.subtract(g, m, out=work)  # m.lerp_(g, 1 - beta1), as torch computes it
        np.multiply(work, 1.0 - beta1, out=work)
        np.add(m, work, out=m)
        np.multiply(v, beta2, out=v)
        np.multiply(g, g, out=work)
        np.multiply(work, 1.0 - beta2, out=work)
        np.add(v, work, out=v)
        if group["amsgrad"]:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        step_size = lr / (1.0 - beta1**step)
        np.sqrt(v, out=work)
        np.divide(work, (1.0 - beta2**step) ** 0.5, out=work)
        np.add(work, eps, out=work)
        np.divide(m, work, out=work)
        np.multiply(work, step_size, out=work)
        np.subtract(p.data, work, out=p.data)


class AdamW(Adam):
    """Adam with decoupled weight decay, exactly as ``torch.optim.AdamW``: ``p *= 1 - lr * wd`` first.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> w = Tensor(np.array([2.0]), requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> w.grad = Tensor(np.array([0.0]))
    >>> opt.step()
    >>> w.data  # decayed by 1 - 0.1 * 0.5; a zero gradient moves nothing else
    array([1.9])
    """

    _decoupled = True

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: Tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
