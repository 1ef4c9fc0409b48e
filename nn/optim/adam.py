"""Adam and AdamW (decoupled weight decay), with the optional AMSGrad variant."""

from __future__ import annotations

from itertools import groupby
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from autograd_core import Tensor

from .optimizer import Optimizer, ParamsT, _check_betas, _check_bool, _check_number

# Groups of at most this many elements in all are updated as one flat vector (see Adam._apply).
_FUSE_LIMIT = 1 << 16


def _adam_step(
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    max_v: Optional[np.ndarray],
    work: np.ndarray,
    step: int,
    group: Dict[str, Any],
) -> None:
    """Advance the moments ``m``, ``v`` (and ``max_v``) in place and leave the step to subtract in ``work``."""
    lr, eps = group["lr"], group["eps"]
    beta1, beta2 = group["betas"]
    np.subtract(g, m, out=work)  # m.lerp_(g, 1 - beta1), as torch computes it
    np.multiply(work, 1.0 - beta1, out=work)
    np.add(m, work, out=m)
    np.multiply(v, beta2, out=v)
    np.multiply(g, g, out=work)
    np.multiply(work, 1.0 - beta2, out=work)
    np.add(v, work, out=v)
    if max_v is not None:
        v = np.maximum(max_v, v, out=max_v)
    step_size = lr / (1.0 - beta1**step)
    np.sqrt(v, out=work)
    np.divide(work, (1.0 - beta2**step) ** 0.5, out=work)
    np.add(work, eps, out=work)
    np.divide(m, work, out=work)
    np.multiply(work, step_size, out=work)


class _FlatAdam:
    """The moments of a group of small parameters as two flat vectors.

    Each parameter's ``exp_avg`` / ``exp_avg_sq`` state entries are views into them, so
    ``state_dict`` and checkpoints see per-parameter arrays as usual; if anything replaces
    those arrays (``load_state_dict``), ``serves`` notices and the flat state is rebuilt.
    """

    def __init__(self, params: Sequence[Tensor], states: List[Dict[str, Any]]) -> None:
        self.params = list(params)
        dtype = params[0].dtype
        sizes = [p.size for p in params]
        total = sum(sizes)
        self.m = np.zeros(total, dtype=dtype)
        self.v = np.zeros(total, dtype=dtype)
        self.g = np.empty(total, dtype=dtype)
        self.work = np.empty(total, dtype=dtype)
        self.slices = []
        start = 0
        for p, size, state in zip(params, sizes, states):
            part = slice(start, start + size)
            start += size
            self.slices.append(part)
            if state:  # carry the current moments over, then let the state point into the vectors
                self.m[part] = state["exp_avg"].reshape(-1)
                self.v[part] = state["exp_avg_sq"].reshape(-1)
            state["step"] = state.get("step", 0)
            state["exp_avg"] = self.m[part].reshape(p.shape)
            state["exp_avg_sq"] = self.v[part].reshape(p.shape)
        self.views = [(s["exp_avg"], s["exp_avg_sq"]) for s in states]

    def serves(self, params: Sequence[Tensor], state: Dict[Tensor, Dict[str, Any]]) -> bool:
        """Whether these are still exactly the parameters and state arrays it was built for."""
        if len(params) != len(self.params):
            return False
        for p, mine, (m, v) in zip(params, self.params, self.views):
            s = state.get(p)
            if p is not mine or s is None or s.get("exp_avg") is not m or s.get("exp_avg_sq") is not v:
                return False
        return len({state[p]["step"] for p in params}) == 1

    def step(
        self, grads: Sequence[np.ndarray], states: Sequence[Dict[str, Any]], group: Dict[str, Any]
    ) -> None:
        """One Adam step for every parameter, computed on the flat vectors."""
        for grad, part in zip(grads, self.slices):
            self.g[part] = grad.reshape(-1)
        for state in states:
            state["step"] += 1
        _adam_step(self.g, self.m, self.v, None, self.work, states[0]["step"], group)
        for p, part in zip(self.params, self.slices):
            np.subtract(p.data, self.work[part].reshape(p.shape), out=p.data)


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
        self._flats: Dict[int, _FlatAdam] = {}  # per group: its small parameters' state, flattened

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
        lr, wd = group["lr"], group["weight_decay"]
        if self._decoupled:
            if wd:
                np.multiply(p.data, 1.0 - lr * wd, out=p.data)
            g = grad
        else:
            g = self._decayed(p, grad, wd)
        max_v = state["max_exp_avg_sq"] if group["amsgrad"] else None
        work = self._work(p, 1)
        _adam_step(g, state["exp_avg"], state["exp_avg_sq"], max_v, work, state["step"], group)
        np.subtract(p.data, work, out=p.data)

    def _apply(self, todo: List[Tuple[Tensor, np.ndarray, Dict[str, Any]]]) -> None:
        # Small parameters cost a dozen numpy calls each, whatever their size: a group of them
        # is updated as one flat vector instead, with the same operations in the same order.
        for _, run in groupby(todo, key=lambda item: id(item[2])):  # ``step`` lists groups in order
            triples = list(run)
            group = triples[0][2]
            items = [(p, grad) for p, grad, _ in triples]
            flat = self._flat_for(items, group)
            if flat is None:
                for p, grad in items:
                    self._update(p, grad, self.state.setdefault(p, {}), group)
            else:
                flat.step([grad for _, grad in items], [self.state[p] for p, _ in items], group)

    def _flat_for(self, items: List[Tuple[Tensor, np.ndarray]], group: Dict[str, Any]) -> _FlatAdam | None:
        """This group's flat state if its update can be fused (built or rebuilt as needed), else None."""
        params = [p for p, _ in items]
        if (
            len(params) < 2
            or group["weight_decay"]
            or group["amsgrad"]
            or sum(p.size for p in params) > _FUSE_LIMIT
            or len({p.dtype for p in params}) != 1
        ):
            return None
        flat = self._flats.get(id(group))
        if flat is not None and flat.serves(params, self.state):
            return flat
        states = [self.state.get(p) or {} for p in params]
        if len({s.get("step", 0) for s in states}) != 1 or any(s and len(s) != 3 for s in states):
            return None  # parameters that joined at different steps keep their own updates
        flat = _FlatAdam(params, states)
        for p, state in zip(params, states):
            self.state[p] = state
        self._flats[id(group)] = flat
        return flat


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
