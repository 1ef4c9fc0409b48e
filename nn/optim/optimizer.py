"""``Optimizer``: parameter groups, per-parameter state, in-place steps, state dicts.

Subclasses declare their options (``_check_options``), the state a parameter carries
(``_state_spec``) and the update itself (``_update``), which writes into ``p.data`` and into
preallocated buffers with numpy ``out=`` so a step allocates nothing once the state exists.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, Callable, Dict, List, Tuple, Union

import numpy as np

from autograd_core import Tensor, enable_grad, mark_modified

ParamsT = Union[Iterable[Tensor], Iterable[Dict[str, Any]]]

# Written by learning-rate schedulers into every group, as torch does.
_SCHEDULER_KEYS = ("initial_lr",)


class Optimizer:
    """Base class of the optimizers: ``param_groups``, ``state``, ``zero_grad``, ``step``.

    ``params`` is an iterable of Tensors, or of dicts ``{"params": [...], **options}`` giving
    each group its own options; options left out come from ``defaults``.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> from nn.optim import SGD
    >>> w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    >>> opt = SGD([w], lr=0.5)
    >>> w.grad = Tensor(np.array([1.0, 1.0]))
    >>> opt.step()
    >>> w.data
    array([0.5, 1.5])
    >>> opt.zero_grad(); w.grad is None
    True
    """

    def __init__(self, params: ParamsT, defaults: Dict[str, Any]) -> None:
        self.defaults = self._check_options(dict(defaults))
        self.param_groups: List[Dict[str, Any]] = []
        self.state: Dict[Tensor, Dict[str, Any]] = {}
        # Scratch arrays for intermediate results, one set per parameter; not part of the state.
        self._scratch: Dict[Tensor, List[np.ndarray]] = {}
        if isinstance(params, (Tensor, np.ndarray, dict)) or not isinstance(params, Iterable):
            raise TypeError(
                f"{self._name}: params must be an iterable of Tensors or of dicts, "
                f"got {type(params).__name__}"
            )
        groups = list(params)
        if not groups:
            raise ValueError(f"{self._name}: got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    @property
    def _name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        lines = [f"{self._name} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params")
        lines.append(")")
        return "\n".join(lines)

    # -- groups ---------------------------------------------------------------------------
    def add_param_group(self, param_group: Dict[str, Any]) -> None:
        """Add a group ``{"params": [...], **options}``; missing options come from ``defaults``.

        Nothing changes if the group is rejected.

        >>> import numpy as np
        >>> from autograd_core import Tensor
        >>> from nn.optim import SGD
        >>> a, b = Tensor(np.zeros(2), requires_grad=True), Tensor(np.zeros(3), requires_grad=True)
        >>> opt = SGD([a], lr=0.1)
        >>> opt.add_param_group({"params": [b], "lr": 0.01})
        >>> [g["lr"] for g in opt.param_groups]
        [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"{self._name}: a param group must be a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{self._name}: a param group needs a 'params' entry")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        if not params:
            raise ValueError(f"{self._name}: got an empty parameter list")
        seen = {p for g in self.param_groups for p in g["params"]}
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{self._name}: params[{i}] must be a Tensor, got {type(p).__name__}")
            if p.dtype.kind != "f":
                raise TypeError(f"{self._name}: params[{i}] must be floating point, got dtype {p.dtype}")
            if p.grad_fn is not None:
                raise ValueError(f"{self._name}: params[{i}] is not a leaf tensor (shape {p.shape})")
            if p in seen:
                raise ValueError(f"{self._name}: params[{i}] (shape {p.shape}) appears more than once")
            seen.add(p)
        options = {k: v for k, v in param_group.items() if k != "params"}
        unknown = sorted(set(options) - set(self.defaults) - set(_SCHEDULER_KEYS))
        if unknown:
            raise ValueError(
                f"{self._name}: unknown option(s) {unknown}; valid options are {sorted(self.defaults)}"
            )
        merged = {**self.defaults, **options}
        extras = {k: _check_number(self._name, k, merged.pop(k)) for k in _SCHEDULER_KEYS if k in merged}
        group = {"params": params, **self._check_options(merged), **extras}
        self.param_groups.append(group)

    # -- the subclass interface -------------------------------------------------------------
    def _check_options(self, options: Dict[str, Any]) -> Dict[str, Any]:
        """Validate ``options`` (all of ``defaults``' keys), returning them as plain Python values."""
        raise NotImplementedError

    def _state_spec(self, group: Dict[str, Any]) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        """(array keys, integer keys) of a parameter's state under ``group``'s options."""
        raise NotImplementedError

    def _update(self, p: Tensor, grad: np.ndarray, state: Dict[str, Any], group: Dict[str, Any]) -> None:
        """Update ``p.data`` in place from ``grad``, creating or advancing ``state``."""
        raise NotImplementedError

    # -- helpers for subclasses -------------------------------------------------------------
    def _work(self, p: Tensor, k: int) -> np.ndarray:
        """The ``k``-th scratch array of ``p`` (same shape and dtype), allocated once."""
        arrays = self._scratch.setdefault(p, [])
        while len(arrays) <= k:
            arrays.append(np.empty_like(p.data))
        return arrays[k]

    def _decayed(self, p: Tensor, grad: np.ndarray, weight_decay: float) -> np.ndarray:
        """``grad + weight_decay * p`` (L2 penalty) in scratch 0, leaving the real grad untouched."""
        if weight_decay == 0:
            return grad
        out = self._work(p, 0)
        np.multiply(p.data, weight_decay, out=out)
        np.add(grad, out, out=out)
        return out

    # -- the public interface ---------------------------------------------------------------
    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to None (the next backward then writes a fresh one)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place; skip those whose grad is None.

        ``closure``, if given, re-evaluates the model and returns the loss (computed with grad
        enabled before the update); ``step`` returns that loss, else None. Every gradient is
        checked before any parameter changes, so a bad gradient leaves everything untouched.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        todo = []
        for gi, group in enumerate(self.param_groups):
            for pi, p in enumerate(group["params"]):
                if p.grad is None:
                    continue
                grad = p.grad.data if isinstance(p.grad, Tensor) else p.grad
                if not isinstance(grad, np.ndarray):
                    raise TypeError(
                        f"{self._name}.step: grad of param_groups[{gi}]['params'][{pi}] must be a "
                        f"Tensor or ndarray, got {type(p.grad).__name__}"
                    )
                if grad.shape != p.shape or grad.dtype != p.dtype:
                    raise ValueError(
                        f"{self._name}.step: grad of param_groups[{gi}]['params'][{pi}] has shape "
                        f"{grad.shape} dtype {grad.dtype}, but the parameter has shape {p.shape} dtype {p.dtype}"
                    )
                todo.append((p, grad, group))
        self._apply(todo)
        for p, _, _ in todo:
            mark_modified(p)  # a graph that saved the old value must refuse to backward
        return loss

    def _apply(self, todo: List[Tuple[Tensor, np.ndarray, Dict[str, Any]]]) -> None:
        """Run ``_update`` for each checked ``(param, grad, group)``; subclasses may batch them."""
        for p, grad, group in todo:
            self._update(p, grad, self.state.setdefault(p, {}), group)

    def state_dict(self) -> Dict[str, Any]:
        """A copy of the state: ``{"state": {index: {...}}, "param_groups": [{..., "params": [index]}]}``.

        Parameters are numbered in group order; values are plain numbers and ndarray copies.
        """
        index: Dict[Tensor, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                ids.append(index.setdefault(p, len(index)))
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {
            index[p]: {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in s.items()}
            for p, s in self.state.items()
            if s
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Restore options and state saved by ``state_dict`` (for the same parameter layout).

        Everything is checked first (group count and sizes, option values, state keys, array
        shapes and dtypes); on any error the optimizer is left unchanged.
        """
        where = f"{self._name}.load_state_dict"
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"{where}: expected a dict with keys 'state' and 'param_groups'")
        saved_groups, saved_state = state_dict["param_groups"], state_dict["state"]
        if not isinstance(saved_groups, (list, tuple)) or len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{where}: the state has {_len(saved_groups)} param groups, the optimizer has "
                f"{len(self.param_groups)}"
            )
        if not isinstance(saved_state, dict):
            raise ValueError(f"{where}: 'state' must be a dict, got {type(saved_state).__name__}")
        new_groups = []
        by_index: Dict[Any, Tuple[Tensor, Dict[str, Any]]] = {}
        for gi, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if not isinstance(saved, dict) or "params" not in saved:
                raise ValueError(f"{where}: param_groups[{gi}] must be a dict with a 'params' entry")
            ids = list(saved["params"])
            if len(ids) != len(group["params"]):
                raise ValueError(
                    f"{where}: param_groups[{gi}] has {len(ids)} params in the state, "
                    f"{len(group['params'])} in the optimizer"
                )
            options = {k: v for k, v in saved.items() if k != "params"}
            missing = sorted(set(self.defaults) - set(options))
            unknown = sorted(set(options) - set(self.defaults) - set(_SCHEDULER_KEYS))
            if missing or unknown:
                raise ValueError(f"{where}: param_groups[{gi}] is missing {missing} / has unknown {unknown}")
            extras = {k: _check_number(where, k, options.pop(k)) for k in _SCHEDULER_KEYS if k in options}
            try:
                checked = self._check_options(options)
            except (ValueError, TypeError) as err:
                raise type(err)(f"{where}: param_groups[{gi}]: {err}") from None
            new_group = {"params": group["params"], **checked, **extras}
            new_groups.append(new_group)
            for i, p in zip(ids, group["params"]):
                if i in by_index:
                    raise ValueError(f"{where}: parameter index {i!r} appears more than once")
                by_index[i] = (p, new_group)
        new_state: Dict[Tensor, Dict[str, Any]] = {}
        for i, entry in saved_state.items():
            if i not in by_index:
                raise ValueError(f"{where}: state for unknown parameter index {i!r}")
            p, group = by_index[i]
            new_state[p] = self._load_entry(where, i, p, entry, group)
        self.param_groups[:] = new_groups
        self.state = new_state

    def _load_entry(self, where: str, i: Any, p: Tensor, entry: Any, group: Dict[str, Any]) -> Dict[str, Any]:
        array_keys, int_keys = self._state_spec(group)
        if not isinstance(entry, dict) or set(entry) != set(array_keys) | set(int_keys):
            got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise ValueError(
                f"{where}: state[{i!r}] must have keys {sorted(array_keys + int_keys)}, got {got}"
            )
        out: Dict[str, Any] = {}
        for k in int_keys:
            v = entry[k]
            if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < 0:
                raise ValueError(f"{where}: state[{i!r}][{k!r}] must be an int >= 0, got {v!r}")
            out[k] = int(v)
        for k in array_keys:
            v = entry[k]
            if not isinstance(v, np.ndarray) or v.shape != p.shape or v.dtype.kind not in "fiu":
                desc = f"shape {v.shape} dtype {v.dtype}" if isinstance(v, np.ndarray) else type(v).__name__
                raise ValueError(
                    f"{where}: state[{i!r}][{k!r}] must be a real array of shape {p.shape}, got {desc}"
                )
            out[k] = v.astype(p.dtype, copy=True)
        return out


def _len(x: Any) -> Any:
    return len(x) if isinstance(x, (list, tuple)) else type(x).__name__


def _check_number(where: str, name: str, value: Any, low: float = 0.0, high: float = math.inf) -> float:
    """``value`` as a Python float in ``[low, high]`` (NaN and bools rejected)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)  # a Python float never upcasts float32 arithmetic (numpy NEP 50)
    if not low <= value <= high:
        bounds = f">= {low}" if high == math.inf else f"in [{low}, {high}]"
        raise ValueError(f"{where}: invalid {name} {value!r}; expected a number {bounds}")
    return value


def _check_bool(where: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where}: {name} must be a bool, got {type(value).__name__} {value!r}")
    return bool(value)


def _check_betas(where: str, betas: Any) -> Tuple[float, float]:
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"{where}: betas must be a pair (beta1, beta2), got {betas!r}")
    b1, b2 = (_check_number(where, f"betas[{i}]", b) for i, b in enumerate(betas))
    if not (b1 < 1.0 and b2 < 1.0):
        raise ValueError(f"{where}: invalid betas {betas!r}; each must be in [0, 1)")
    return (b1, b2)
