"""``scipy.integrate.odeint`` with gradients in the initial state, the time points and the parameters.

The VJP is the adjoint method (as HIPS autograd's): one backward integration of the state, its
adjoint and the parameters' adjoint between consecutive time points, with ``func``'s own VJPs taken
by the tape. ``func(y, t, *args)`` must be written with autograd_core ops (it is called on Tensors
in the backward pass). Second derivatives are not implemented (the adjoint solve is not recorded).

>>> import numpy as np, autograd_core as ag
>>> from autograd_core.scipy.integrate import odeint
>>> decay = lambda y, t, k: -k * y
>>> g = ag.grad(lambda k: odeint(decay, np.array([1.0]), np.array([0.0, 1.0]), (k,), rtol=1e-10, atol=1e-10)[-1, 0])
>>> round(float(g(np.array(0.5))), 6)  # d/dk exp(-k) = -exp(-k)
-0.606531
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Sequence

import numpy as np
import scipy.integrate as _si

from .._primitive import Primitive
from .._tensor import Tensor
from .._transforms import NoGradientWarning, vjp


def _as_array(x: Any) -> np.ndarray:
    return np.asarray(x.data if isinstance(x, Tensor) else x)


def _odeint_forward(func: Callable, y0: Any, t: Any, *args: Any, **kw: Any) -> np.ndarray:
    if np.ndim(y0) != 1 or np.ndim(t) != 1:
        raise ValueError(f"odeint: y0 and t must be 1-D, got shapes {np.shape(y0)} and {np.shape(t)}")

    def rhs(y: np.ndarray, tt: float, *a: Any) -> np.ndarray:
        return _as_array(func(y, tt, *a))

    return _si.odeint(rhs, y0, t, args=tuple(args), **kw)


def _odeint_vjp(g: Any, ans: Any, func: Callable, y0: Any, t: Any, *args: Any, **kw: Any) -> list:
    if isinstance(g, Tensor):
        raise NotImplementedError("odeint: second derivatives (create_graph=True) are not implemented")
    ys, d = np.asarray(ans), y0.shape[0]
    shapes = [np.shape(a) for a in args]
    sizes = [int(np.prod(s)) for s in shapes]

    def split(flat: np.ndarray) -> list:
        return [p.reshape(s) for p, s in zip(np.split(flat, np.cumsum(sizes)[:-1]), shapes)] if args else []

    flat_args = np.concatenate([np.ravel(a) for a in args]) if args else np.zeros(0)

    def augmented(state: np.ndarray, tt: float) -> np.ndarray:
        # d/dt [y, a, a_t, a_θ] = [f, -aᵀ ∂f/∂y, -aᵀ ∂f/∂t, -aᵀ ∂f/∂θ]
        y, adj = state[:d], state[d : 2 * d]
        with warnings.catch_warnings():  # an autonomous func does not depend on t: its zero is right
            warnings.simplefilter("ignore", NoGradientWarning)
            out, back = vjp(
                lambda yy, ti, *a: func(yy, ti, *a), y, np.asarray(tt, dtype=float), *split(flat_args)
            )
            grads = back(-adj)
        grads = grads if isinstance(grads, tuple) else (grads,)
        parts = [np.ravel(_as_array(x)) for x in grads[2:]]
        return np.concatenate([_as_array(out), _as_array(grads[0]), np.ravel(_as_array(grads[1])), *parts])

    adj_y = g[-1].copy()
    adj_t0, adj_args = 0.0, np.zeros(flat_args.size)
    dt = np.zeros(t.shape[0])
    for i in range(t.shape[0] - 1, 0, -1):
        dt[i] = np.dot(_as_array(func(ys[i], t[i], *args)), g[i])  # moving t_i moves y(t_i) by f
        adj_t0 -= dt[i]
        state = np.concatenate([ys[i], adj_y, [adj_t0], adj_args])
        state = _si.odeint(augmented, state, np.array([t[i], t[i - 1]]), **kw)[1]
        adj_y, adj_t0, adj_args = state[d : 2 * d] + g[i - 1], state[2 * d], state[2 * d + 1 :]
    dt[0] = adj_t0
    return [None, adj_y, dt, *split(adj_args)]


_odeint = Primitive(
    "scipy.integrate.odeint", _odeint_forward, joint=_odeint_vjp, doc="ODE solution at times t."
)


def odeint(func: Callable, y0: Any, t: Any, args: Sequence[Any] = (), **kwargs: Any) -> Any:
    """``scipy.integrate.odeint(func, y0, t, args)``: the solution y(t_i), shape (len(t), len(y0))."""
    if not callable(func):
        raise TypeError(f"odeint: func must be callable, got {type(func).__name__}")
    return _odeint(func, y0, t, *tuple(args), **kwargs)


__all__ = ["odeint"]
