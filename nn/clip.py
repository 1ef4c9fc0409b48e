"""Gradient clipping, in place: by total norm (``clip_grad_norm_``) and by value (``clip_grad_value_``)."""

from __future__ import annotations

import math
import numbers
from typing import Any, Iterable, List, Union

import numpy as np

from autograd_core import Tensor

ParamsArg = Union[Tensor, Iterable[Tensor]]


def _grads(where: str, parameters: ParamsArg) -> List[np.ndarray]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    out = []
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{where}: parameters[{i}] must be a Tensor, got {type(p).__name__}")
        if p.grad is not None:
            out.append(p.grad.data if isinstance(p.grad, Tensor) else p.grad)
    return out


def _real(where: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


def clip_grad_norm_(
    parameters: ParamsArg, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> float:
    """Scale all gradients together so their joint ``norm_type``-norm is at most ``max_norm``.

    As ``torch.nn.utils.clip_grad_norm_``: the norm is taken over the per-gradient norms,
    gradients are multiplied in place by ``min(1, max_norm / (total + 1e-6))``; parameters
    whose grad is None are skipped. Returns the total norm before clipping.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> w = Tensor(np.zeros(2), requires_grad=True)
    >>> w.grad = Tensor(np.array([3.0, 4.0]))
    >>> clip_grad_norm_([w], max_norm=1.0)
    5.0
    >>> np.round(w.grad.data, 6)
    array([0.6, 0.8])
    """
    where = "clip_grad_norm_"
    max_norm = _real(where, "max_norm", max_norm)
    norm_type = _real(where, "norm_type", norm_type)
    if not max_norm >= 0:
        raise ValueError(f"{where}: max_norm must be >= 0, got {max_norm}")
    if not norm_type > 0:
        raise ValueError(f"{where}: norm_type must be > 0 or inf, got {norm_type}")
    grads = [g for g in _grads(where, parameters) if g.size]
    if not grads:
        return 0.0
    # ord=None is the fast sqrt(dot(g, g)) path for the common 2-norm.
    ord_ = None if norm_type == 2.0 else norm_type
    norms = np.array([np.linalg.norm(g.reshape(-1), ord_) for g in grads], dtype=np.float64)
    total = float(np.linalg.norm(norms, ord_))
    if error_if_nonfinite and not math.isfinite(total):
        raise ValueError(f"{where}: the total norm of order {norm_type} of the gradients is {total}")
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for g in grads:
            np.multiply(g, coef, out=g)
    return total


def clip_grad_value_(parameters: ParamsArg, clip_value: float) -> None:
    """Clamp every gradient element into ``[-clip_value, clip_value]``, in place.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> w = Tensor(np.zeros(3), requires_grad=True)
    >>> w.grad = Tensor(np.array([-5.0, 0.5, 2.0]))
    >>> clip_grad_value_([w], 1.0)
    >>> w.grad.data
    array([-1. ,  0.5,  1. ])
    """
    where = "clip_grad_value_"
    clip_value = _real(where, "clip_value", clip_value)
    if not clip_value >= 0:
        raise ValueError(f"{where}: clip_value must be >= 0, got {clip_value}")
    for g in _grads(where, parameters):
        np.clip(g, -clip_value, clip_value, out=g)
