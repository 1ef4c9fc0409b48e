"""Functional transforms in the style of HIPS autograd and JAX: arrays in, arrays out.

Each transform wraps its inputs as tensors on the tape, runs ``f`` and replays the tape.
When an input is already a tensor that requires grad (an outer transform is watching),
the inner pass records its own backward (``create_graph``), so transforms nest:
``grad(grad(f))``, ``hessian = jacobian(grad(f))``. Forward-mode products (``jvp``,
``hvp``) use the double-VJP identity, so no op needs a second set of rules.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence, Tuple, Union

import numpy as np

from ._backward import walk
from ._grad_mode import enable_grad
from ._tensor import Tensor

Argnums = Union[int, Sequence[int]]


def _watch(x: Any, who: str) -> Tuple[Tensor, bool]:
    """Return (tensor on the tape, whether an outer transform is recording through it)."""
    if isinstance(x, Tensor) and x.requires_grad:
        return x, True
    data = x.data if isinstance(x, Tensor) else np.asarray(x)
    if data.dtype.kind not in "fc":
        raise TypeError(
            f"{who}: can only differentiate with respect to floating-point inputs, got dtype {data.dtype} "
            f"with shape {data.shape}"
        )
    return Tensor._make(data).requires_grad_(True), False


def _unwrap(value: Any, nested: bool) -> Any:
    if nested:
        return value
    return value.data if isinstance(value, Tensor) else value


def _output(out: Any) -> Tensor:
    if not isinstance(out, Tensor):
        out = Tensor._make(np.asarray(out))
    return out


def _grads(out: Tensor, inputs: Sequence[Tensor], seed: Any, nested: bool) -> list:
    """d(out)/d(inputs) contracted with ``seed``; zeros for inputs out does not reach."""
    if not out.requires_grad:
        grads = [None] * len(inputs)
    elif nested:
        with enable_grad():
            grads = walk(out, seed, True, True, inputs)
    else:
        grads = walk(out, seed, True, False, inputs)
    result = []
    for g, x in zip(grads, inputs):
        if g is None:
            g = np.zeros_like(x.data)
            if nested:
                g = Tensor._make(g)
        result.append(g)
    return result


def _split_argnums(argnums: Argnums) -> Tuple[Tuple[int, ...], bool]:
    if isinstance(argnums, int):
        return (argnums,), True
    return tuple(argnums), False


def _prepare(args: Sequence[Any], nums: Tuple[int, ...], who: str) -> Tuple[list, list, bool]:
    args = list(args)
    for n in nums:
        if not -len(args) <= n < len(args):
            raise ValueError(f"{who}: argnums {n} is out of range for {len(args)} positional argument(s)")
    watched, nested = [], False
    for n in nums:
        t, outer = _watch(args[n], who)
        nested = nested or outer
        args[n] = t
        watched.append(t)
    return args, watched, nested


def value_and_grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Tuple[Any, Any]]:
    """Return a function computing ``(f(*args), gradient of f)`` for a scalar-valued ``f``.

    >>> import numpy as np
    >>> from autograd_core import value_and_grad
    >>> value_and_grad(lambda x: (x ** 2).sum())(np.array([1.0, 2.0]))
    (array(5.), array([2., 4.]))
    """
    nums, single = _split_argnums(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> Tuple[Any, Any]:
        args, watched, nested = _prepare(args, nums, "grad")
        with enable_grad():
            out = _output(f(*args, **kwargs))
        if out.data.size != 1:
            raise ValueError(
                f"grad: f must return a single number to be differentiated, got shape {out.shape}; "
                "use jacobian or vjp for vector outputs"
            )
        if out.dtype.kind == "c":
            raise TypeError(
                f"grad: f returned a complex number (dtype {out.dtype}); grad needs a real-valued f "
                "(take ag.real, ag.abs or ag.abs2 of it), or use holomorphic_grad for f'(z)"
            )
        grads = _grads(out, watched, None, nested)
        grads = [_unwrap(g, nested) for g in grads]
        return _unwrap(out, nested), grads[0] if single else tuple(grads)

    wrapped.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return wrapped


def grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """Return the gradient function of a scalar-valued ``f`` (nestable).

    >>> import numpy as np
    >>> from autograd_core import grad, tanh
    >>> grad(lambda x: tanh(x).sum())(np.array([0.0]))
    array([1.])
    >>> float(grad(grad(lambda x: x ** 3))(2.0))
    12.0
    """
    vg = value_and_grad(f, argnums)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return vg(*args, **kwargs)[1]

    wrapped.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return wrapped


def holomorphic_grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """Return the complex derivative f'(z) of a holomorphic, single-number ``f`` (HIPS autograd's).

    Real inputs are taken as complex. For an ``f`` that is not holomorphic the result is
    the conjugate of grad(real(f)), which is not a derivative: check that ``f`` is holomorphic.

    >>> import autograd_core as ag
    >>> complex(ag.holomorphic_grad(lambda z: z ** 3)(1.0 + 2.0j))  # 3 z²
    (-9+12j)
    """
    nums, single = _split_argnums(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        for n in nums:
            if -len(args) <= n < len(args) and not isinstance(args[n], Tensor):
                a = np.asarray(args[n])
                if a.dtype.kind in "fiu":
                    args[n] = a.astype(np.result_type(a.dtype, np.complex64))
        args, watched, nested = _prepare(args, nums, "holomorphic_grad")
        with enable_grad():
            out = _output(f(*args, **kwargs))
        if out.data.size != 1:
            raise ValueError(f"holomorphic_grad: f must return a single number, got shape {out.shape}")
        # Seeded with 1, the gradient of Re f is conj(f'(z)) by the Cauchy-Riemann equations.
        from .ops import conj

        grads = [_unwrap(conj(g), nested) for g in _grads(out, watched, None, nested)]
        return grads[0] if single else tuple(grads)

    wrapped.__name__ = f"holomorphic_grad({getattr(f, '__name__', 'f')})"
    return wrapped


def _refuse_complex(who: str, *values: Any) -> None:
    for v in values:
        if np.asarray(v.data if isinstance(v, Tensor) else v).dtype.kind == "c":
            raise TypeError(
                f"{who}: complex inputs and outputs are not supported (a real Jacobian of a complex "
                "map has twice the entries); use vjp, grad of a real-valued f, or holomorphic_grad, "
                "or pass the real and imaginary parts as separate real arrays"
            )


def vjp(f: Callable[..., Any], *xs: Any) -> Tuple[Any, Callable[[Any], Any]]:
    """Return ``(f(*xs), vjp_fn)`` where ``vjp_fn(v)`` gives vᵀJ for each input.

    >>> import numpy as np
    >>> from autograd_core import vjp
    >>> out, back = vjp(lambda x: x * 3, np.array([1.0, 2.0]))
    >>> back(np.array([1.0, 10.0]))
    array([ 3., 30.])
    """
    args, watched, nested = _prepare(xs, tuple(range(len(xs))), "vjp")
    with enable_grad():
        out = _output(f(*args))

    def vjp_fn(v: Any) -> Any:
        seed = v if (nested and isinstance(v, Tensor)) else np.asarray(_unwrap(v, False), dtype=out.dtype)
        if np.shape(seed) != out.shape:
            raise ValueError(f"vjp: v has shape {np.shape(seed)} but f's output has shape {out.shape}")
        if nested and not isinstance(seed, Tensor):
            seed = Tensor._make(seed)
        grads = [_unwrap(g, nested) for g in _grads(out, watched, seed, nested)]
        return grads[0] if len(grads) == 1 else tuple(grads)

    return _unwrap(out, nested), vjp_fn


def jacobian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """Return a function computing the Jacobian, of shape ``out.shape + x.shape``.

    >>> import numpy as np
    >>> from autograd_core import jacobian
    >>> jacobian(lambda x: x * x)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    if not isinstance(argnums, int):
        raise TypeError(f"jacobian: argnums must be an int, got {argnums!r}")

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        args, (x,), nested = _prepare(args, (argnums,), "jacobian")
        with enable_grad():
            out = _output(f(*args, **kwargs))
        _refuse_complex("jacobian", x, out)
        rows = []
        for i in range(out.data.size):
            seed = np.zeros(out.data.size, dtype=out.dtype)
            seed[i] = 1
            seed = seed.reshape(out.shape)
            if nested:
                seed = Tensor._make(seed)
            rows.append(_grads(out, [x], seed, nested)[0])
        if nested:
            from .ops import reshape, stack

            if not rows:
                return Tensor._make(np.zeros(out.shape + x.shape, dtype=x.dtype))
            return reshape(stack(rows), out.shape + x.shape)
        if not rows:
            return np.zeros(out.shape + x.shape, dtype=x.dtype)
        return np.stack(rows).reshape(out.shape + x.shape)

    wrapped.__name__ = f"jacobian({getattr(f, '__name__', 'f')})"
    return wrapped


def hessian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """Return a function computing the Hessian of a scalar-valued ``f``: jacobian(grad(f)).

    >>> import numpy as np
    >>> from autograd_core import hessian
    >>> hessian(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacobian(grad(f, argnums), argnums)


def jvp(f: Callable[..., Any], xs: Any, vs: Any) -> Tuple[Any, Any]:
    """Forward-mode product: return ``(f(*xs), J·v)``; ``xs``, ``vs`` a tuple or one array.

    Computed as the derivative of the linear map u ↦ Jᵀu (double VJP).

    >>> import numpy as np
    >>> from autograd_core import jvp
    >>> jvp(lambda x: x * x, np.array([3.0]), np.array([1.0]))
    (array([9.]), array([6.]))
    """
    single = not isinstance(xs, (tuple, list))
    xs = (xs,) if single else tuple(xs)
    vs = (vs,) if single else tuple(vs)
    if len(xs) != len(vs):
        raise ValueError(f"jvp: got {len(xs)} inputs but {len(vs)} tangents")
    args, watched, nested = _prepare(xs, tuple(range(len(xs))), "jvp")
    with enable_grad():
        out = _output(f(*args))
        for x, v in zip(watched, vs):
            if np.shape(v) != x.shape:
                raise ValueError(f"jvp: tangent shape {np.shape(v)} does not match input shape {x.shape}")
        u = Tensor._make(np.zeros(out.shape, dtype=out.dtype)).requires_grad_(True)
        if not out.requires_grad:
            return _unwrap(out, nested), np.zeros(out.shape, dtype=out.dtype)
        pulled = walk(out, u, True, True, watched)
        from .ops import conj

        total = None
        for g, v in zip(pulled, vs):
            if g is None:
                continue
            # Re(sum conj(Jᵀu)·v) has u-gradient J·v, also for complex maps (conj is free on reals).
            term = (conj(g) * v).sum()
            total = term if total is None else total + term
        if total is None or not total.requires_grad:
            tangent = np.zeros(out.shape, dtype=out.dtype)
            return _unwrap(out, nested), tangent
        (tangent,) = walk(total, None, nested, nested, [u])
    return _unwrap(out, nested), _unwrap(tangent, nested)


def hvp(f: Callable[..., Any], x: Any, v: Any) -> Tuple[Any, Any]:
    """Hessian-vector product of a scalar ``f``: return ``(f(x), H·v)`` without forming H.

    >>> import numpy as np
    >>> from autograd_core import hvp
    >>> hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    (array(9.), array([6., 0.]))
    """
    _, (xt,), nested = _prepare([x], (0,), "hvp")
    _refuse_complex("hvp", xt, v)
    with enable_grad():
        out = _output(f(xt))
        if out.data.size != 1:
            raise ValueError(f"hvp: f must return a single number, got shape {out.shape}")
        if np.shape(v) != xt.shape:
            raise ValueError(f"hvp: v has shape {np.shape(v)} but x has shape {xt.shape}")
        (g,) = _grads(out, [xt], None, True)
        if not g.requires_grad:
            return _unwrap(out, nested), np.zeros_like(xt.data)
        (hv,) = _grads((g * v).sum(), [xt], None, nested)
    return _unwrap(out, nested), _unwrap(hv, nested)
