"""Functional transforms in the style of HIPS autograd and JAX: arrays in, arrays out.

Each transform wraps its inputs as tensors on the tape, runs ``f`` and replays the tape.
Transforms nest exactly: one that runs inside another (a thread-local depth counts them)
or that is given a Tensor requiring grad records its own backward (``create_graph``) and
returns Tensors, so the outer transform also differentiates through the inner one's
closures and non-differentiated arguments, at any depth. A differentiated input that an
outer transform is tracing enters through a fresh identity node, so the inner derivative
never confuses it with the same value closed over (``grad(lambda x: grad(lambda y: x * y)(x))``
is ``1``). Top-level calls take and return arrays. Inputs and outputs may be nested
tuples, lists and dicts of arrays (a model's parameters as a dict). Forward-mode products
(``jvp``, ``hvp``) use the double-VJP identity, so no op needs a second set of rules.

>>> import autograd_core as ag
>>> float(ag.grad(lambda x: x * ag.grad(lambda y: x * y)(2.0))(1.0))  # d/dx x**2
2.0
>>> ag.grad(lambda p: (p["w"] * 3.0 + p["b"]).sum())({"w": 1.0, "b": 2.0})
{'w': array(3.), 'b': array(1.)}
"""

from __future__ import annotations

import warnings
import weakref
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

import numpy as np

from ._backward import walk
from ._batched import batched_grads
from ._grad_mode import ANOMALY, GRAD, STATE, enable_grad
from ._primitive import Primitive
from ._tensor import Tensor
from ._tree import _LEAF, tree_flatten, tree_map, tree_str, tree_unflatten

Argnums = Union[int, Sequence[int]]


class NoGradientWarning(UserWarning):
    """Warned by grad, value_and_grad, elementwise_grad, vjp, jacobian and hessian when the
    output does not depend on a differentiated input; that input's gradient is zeros.

    Filter it like any warning: ``warnings.simplefilter("ignore", ag.NoGradientWarning)``.

    >>> import warnings, autograd_core as ag
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     g = ag.grad(lambda x: 3.0)(1.0)
    >>> float(g), seen[0].category.__name__
    (0.0, 'NoGradientWarning')
    """


# The identity, as a node of its own: an inner transform's input is distinct from the outer
# tensor it came from, so closures over the outer tensor are not mistaken for the input.
_fresh = Primitive(
    "fresh_input", lambda x: x, lambda g, ans, x: g, register=False, elementwise=True, batchable=True
)


def _tracked(tree: Any) -> bool:
    """Whether any leaf of ``tree`` is a Tensor that requires grad."""
    if isinstance(tree, Tensor):
        return tree.requires_grad
    if isinstance(tree, dict):
        tree = tree.values()
    elif not isinstance(tree, (tuple, list)):
        return False
    for leaf in tree:  # a loop, not any(<genexpr>): no generator frame per call
        if _tracked(leaf):
            return True
    return False


# The leaves _watch makes for plain-array inputs. An outer transform that reaches one (an inner
# transform's input, e.g. a constant the outer passed it) has not closed over a tensor of the
# user's, so its result need not stay on the tape.
_WATCHED: dict = {}  # id -> weakref (a Tensor's == is elementwise, so no WeakSet)


def _was_watched(t: Tensor) -> bool:
    ref = _WATCHED.get(id(t))
    return ref is not None and ref() is t


def _watch(x: Any, who: str) -> Tensor:
    """A tensor on the tape standing for the input ``x``."""
    if isinstance(x, Tensor) and x.requires_grad:
        with enable_grad():
            return _fresh(x)
    data = x.data if isinstance(x, Tensor) else np.asarray(x)
    if data.dtype.kind not in "fc":
        raise TypeError(
            f"{who}: can only differentiate with respect to floating-point inputs, got dtype {data.dtype} "
            f"with shape {data.shape}"
        )
    leaf = Tensor._make(data)
    leaf.requires_grad = True  # requires_grad_() without its dtype check, done above
    key = id(leaf)
    _WATCHED[key] = weakref.ref(leaf, lambda _, key=key: _WATCHED.pop(key, None))
    return leaf


def _unwrap(value: Any, nested: bool) -> Any:
    if nested:
        return value
    return value.data if isinstance(value, Tensor) else value


def _unwrap_tree(value: Any, nested: bool) -> Any:
    if nested:
        return value
    return tree_map(lambda v: v.data if isinstance(v, Tensor) else v, value)


def _shape(v: Any) -> tuple:
    return v.shape if isinstance(v, Tensor) else np.shape(v)


def _output(out: Any) -> Tensor:
    if not isinstance(out, Tensor):
        out = Tensor._make(np.asarray(out))
    return out


class _Inputs:
    """The differentiated arguments of one transform call: their leaves on the tape and structures."""

    def __init__(self, args: Sequence[Any], nums: Sequence[int], who: str) -> None:
        self.args = list(args)
        self.nested = STATE.depth > 0 or _tracked(self.args)
        self.leaves: List[Tensor] = []
        self.trees: List[Tuple[int, Any, int]] = []  # (argnum, structure, number of leaves)
        for n in nums:
            if not -len(self.args) <= n < len(self.args):
                raise ValueError(
                    f"{who}: argnums {n} is out of range for {len(self.args)} positional argument(s)"
                )
            x = self.args[n]
            if type(x) is np.ndarray:  # one array, the common case: no structure to flatten
                leaf = _watch(x, who)
                self.args[n] = leaf
                self.trees.append((n, _LEAF, 1))
                self.leaves.append(leaf)
                continue
            leaves, tree = tree_flatten(x)
            watched = [_watch(leaf, who) for leaf in leaves]
            self.args[n] = tree_unflatten(tree, watched)
            self.trees.append((n, tree, len(watched)))
            self.leaves.extend(watched)

    def call(self, f: Callable[..., Any], kwargs: dict) -> Any:
        """``f`` on the watched arguments, recorded, one transform deeper."""
        state = STATE
        state.depth += 1
        recording = state.flags & GRAD  # enable_grad(), inlined: this runs once per grad call
        state.flags |= GRAD
        try:
            return f(*self.args, **kwargs)
        finally:
            if not recording:
                state.flags &= ~GRAD
            state.depth -= 1

    def regroup(self, grads: List[Any]) -> List[Any]:
        """The flat gradients rebuilt into each differentiated argument's structure."""
        out, start = [], 0
        nested = self.nested
        for _, tree, count in self.trees:
            if tree is _LEAF:  # a single array
                out.append(_unwrap(grads[start], nested))
            else:
                out.append(tree_unflatten(tree, [_unwrap(g, nested) for g in grads[start : start + count]]))
            start += count
        return out

    def describe(self, index: int) -> str:
        start = 0
        for n, tree, count in self.trees:
            if index < start + count:
                return f"argument {n}" + (f" (leaf {index - start} of {tree_str(tree)})" if tree else "")
            start += count
        return f"input {index}"


def _grads(
    out: Tensor,
    inputs: Sequence[Tensor],
    seed: Any,
    nested: bool,
    who: str,
    describe: Optional[Callable] = None,
) -> Tuple[list, bool]:
    """d(out)/d(inputs) contracted with ``seed``; zeros, with a warning, for inputs out does not reach.

    Also returns whether the result is on the tape: it is when ``nested``, and when ``out``
    turns out to depend on another tensor that requires grad (``f`` closes over one), so
    that a later backward through the result still reaches that tensor.
    """
    if not out.requires_grad:
        grads = [None] * len(inputs)
    elif nested:
        with enable_grad():
            grads = walk(out, seed, True, True, inputs)
    else:
        others: List[Tensor] = []
        grads = walk(out, seed, True, False, inputs, others)
        if not all(map(_was_watched, others)):  # closed over a tracked tensor: record this backward too
            nested = True
            seed = None if seed is None else Tensor._make(np.asarray(seed))
            with enable_grad():
                grads = walk(out, seed, True, True, inputs)
    result = []
    for i, (g, x) in enumerate(zip(grads, inputs)):
        if isinstance(g, np.generic):  # numpy's 0-d arithmetic returns scalars
            g = np.asarray(g)
        if g is None:
            if describe is not None:
                warnings.warn(
                    f"{who}: the output does not depend on {describe(i)}; its gradient is zeros",
                    NoGradientWarning,
                    stacklevel=4,
                )
            g = np.zeros_like(x.data)
            if nested:
                g = Tensor._make(g)
        result.append(g)
    return result, nested


def _split_argnums(argnums: Argnums) -> Tuple[Tuple[int, ...], bool]:
    if isinstance(argnums, int):
        return (argnums,), True
    return tuple(argnums), False


def _scalar_output(result: Any, has_aux: bool, who: str) -> Tuple[Tensor, Any]:
    aux = None
    if has_aux:
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise TypeError(
                f"{who}: with has_aux=True, f must return a pair (output, aux), got {type(result).__name__}"
            )
        result, aux = result
    out = _output(result)
    if out.data.size != 1:
        raise ValueError(
            f"{who}: f must return a single number to be differentiated, got shape {out.shape}; "
            "use jacobian or vjp for vector outputs"
        )
    return out, aux


def value_and_grad(
    f: Callable[..., Any], argnums: Argnums = 0, has_aux: bool = False
) -> Callable[..., Tuple[Any, Any]]:
    """Return a function computing ``(f(*args), gradient of f)`` for a scalar-valued ``f``.

    Arguments may be nested tuples/lists/dicts of arrays; each gradient has its argument's
    structure. With ``has_aux=True``, ``f`` returns ``(output, aux)`` and the result is
    ``((output, aux), gradient)``, as in JAX.

    >>> import numpy as np
    >>> from autograd_core import value_and_grad
    >>> value_and_grad(lambda x: (x ** 2).sum())(np.array([1.0, 2.0]))
    (array(5.), array([2., 4.]))
    """
    nums, single = _split_argnums(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> Tuple[Any, Any]:
        inputs = _Inputs(args, nums, "grad")
        out, aux = _scalar_output(inputs.call(f, kwargs), has_aux, "grad")
        if out.dtype.kind == "c":
            raise TypeError(
                f"grad: f returned a complex number (dtype {out.dtype}); grad needs a real-valued f "
                "(take ag.real, ag.abs or ag.abs2 of it), or use holomorphic_grad for f'(z)"
            )
        flat, inputs.nested = _grads(out, inputs.leaves, None, inputs.nested, "grad", inputs.describe)
        grads = inputs.regroup(flat)
        value = _unwrap(out, inputs.nested)
        result = grads[0] if single else tuple(grads)
        if has_aux:
            return (value, _unwrap_tree(aux, inputs.nested)), result
        return value, result

    wrapped.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return wrapped


def grad(f: Callable[..., Any], argnums: Argnums = 0, has_aux: bool = False) -> Callable[..., Any]:
    """Return the gradient function of a scalar-valued ``f`` (nestable).

    With ``has_aux=True``, ``f`` returns ``(output, aux)`` and the result is ``(gradient, aux)``.

    >>> import numpy as np
    >>> from autograd_core import grad, tanh
    >>> grad(lambda x: tanh(x).sum())(np.array([0.0]))
    array([1.])
    >>> float(grad(grad(lambda x: x ** 3))(2.0))
    12.0
    """
    vg = value_and_grad(f, argnums, has_aux)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if has_aux:
            (_, aux), g = vg(*args, **kwargs)
            return g, aux
        return vg(*args, **kwargs)[1]

    wrapped.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return wrapped


def elementwise_grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The gradient of ``sum(f(x))``: for an elementwise ``f``, its derivative at every element.

    >>> import numpy as np
    >>> from autograd_core import elementwise_grad
    >>> elementwise_grad(lambda x: x ** 2)(np.array([1.0, 2.0, 3.0]))
    array([2., 4., 6.])
    """
    nums, single = _split_argnums(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        inputs = _Inputs(args, nums, "elementwise_grad")
        out = _output(inputs.call(f, kwargs))
        seed = np.ones(out.shape, dtype=out.dtype)
        flat, inputs.nested = _grads(
            out, inputs.leaves, seed, inputs.nested, "elementwise_grad", inputs.describe
        )
        grads = inputs.regroup(flat)
        return grads[0] if single else tuple(grads)

    wrapped.__name__ = f"elementwise_grad({getattr(f, '__name__', 'f')})"
    return wrapped


def _seeds(v: Any, outs: List[Tensor], out_tree: Any, who: str, nested: bool) -> List[Any]:
    leaves, tree = tree_flatten(v)
    if tree != out_tree:
        raise ValueError(f"{who}: v has structure {tree_str(tree)} but f's output has {tree_str(out_tree)}")
    seeds = []
    for s, o in zip(leaves, outs):
        if not (nested and isinstance(s, Tensor)):
            s = np.asarray(_unwrap(s, False), dtype=o.dtype)
        if _shape(s) != o.shape:
            raise ValueError(f"{who}: v has shape {_shape(s)} but f's output has shape {o.shape}")
        seeds.append(s)
    return seeds


def _contract(outs: List[Tensor], seeds: List[Any]) -> Tuple[Tensor, Any]:
    """One root and seed whose backward is the sum of each output's backward with its seed."""
    if len(outs) == 1:
        return outs[0], seeds[0]
    total: Any = None
    with enable_grad():
        for o, s in zip(outs, seeds):
            if o.requires_grad:
                term = (o * s).sum()
                total = term if total is None else total + term
    if total is None:
        return outs[0], seeds[0]  # nothing is tracked: every gradient is zeros
    return total, None


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
        inputs = _Inputs(args, nums, "holomorphic_grad")
        out = _output(inputs.call(f, kwargs))
        if out.data.size != 1:
            raise ValueError(f"holomorphic_grad: f must return a single number, got shape {out.shape}")
        flat, inputs.nested = _grads(
            out, inputs.leaves, None, inputs.nested, "holomorphic_grad", inputs.describe
        )
        # Seeded with 1, the gradient of Re f is conj(f'(z)) by the Cauchy-Riemann equations.
        from .ops import conj

        grads = inputs.regroup([conj(g) for g in flat])
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

    ``xs`` and ``f``'s output may be nested tuples/lists/dicts; ``v`` has the output's structure.

    >>> import numpy as np
    >>> from autograd_core import vjp
    >>> out, back = vjp(lambda x: x * 3, np.array([1.0, 2.0]))
    >>> back(np.array([1.0, 10.0]))
    array([ 3., 30.])
    """
    inputs = _Inputs(xs, tuple(range(len(xs))), "vjp")
    result = inputs.call(f, {})
    out_leaves, out_tree = tree_flatten(result)
    outs = [_output(o) for o in out_leaves]

    def vjp_fn(v: Any) -> Any:
        nested = inputs.nested or _tracked(v)
        root, seed = _contract(outs, _seeds(v, outs, out_tree, "vjp", nested))
        if nested and seed is not None and not isinstance(seed, Tensor):
            seed = Tensor._make(seed)
        flat, inputs.nested = _grads(root, inputs.leaves, seed, nested, "vjp", inputs.describe)
        grads = inputs.regroup(flat)
        return grads[0] if len(grads) == 1 else tuple(grads)

    return _unwrap_tree(tree_unflatten(out_tree, outs), inputs.nested), vjp_fn


def jacobian(f: Callable[..., Any], argnums: int = 0, vectorize: bool = False) -> Callable[..., Any]:
    """Return a function computing the Jacobian, of shape ``out.shape + x.shape``.

    Row by row, one backward pass per output element, by default. With ``vectorize=True`` (torch's
    name) every row goes through one backward pass whose gradients carry a leading batch axis
    (see ``_batched``): the same numbers, far fewer Python steps for a large output.

    >>> import numpy as np
    >>> from autograd_core import jacobian
    >>> jacobian(lambda x: x * x)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    >>> jacobian(lambda x: x * x, vectorize=True)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    if not isinstance(argnums, int):
        raise TypeError(f"jacobian: argnums must be an int, got {argnums!r}")

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        inputs = _Inputs(args, (argnums,), "jacobian")
        if len(inputs.leaves) != 1 or inputs.trees[0][1] is not None:
            raise TypeError("jacobian: the differentiated argument must be one array, not a structure")
        (x,), nested = inputs.leaves, inputs.nested
        out = _output(inputs.call(f, kwargs))
        _refuse_complex("jacobian", x, out)
        # Under detect_anomaly the rows run one by one, so a NaN is reported by the walk that names its op.
        if vectorize and out.requires_grad and out.data.size and not STATE.flags & ANOMALY:
            return _vectorized_jacobian(out, x, nested)
        rows = []
        for i in range(out.data.size):
            seed = np.zeros(out.data.size, dtype=out.dtype)
            seed[i] = 1
            seed = seed.reshape(out.shape)
            if nested:
                seed = Tensor._make(seed)
            (row,), nested = _grads(out, [x], seed, nested, "jacobian")
            rows.append(row)
        if not out.requires_grad:
            warnings.warn(
                f"jacobian: the output does not depend on argument {argnums}; its Jacobian is zeros",
                NoGradientWarning,
                stacklevel=2,
            )
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


def _vectorized_jacobian(out: Tensor, x: Tensor, nested: bool) -> Any:
    """The Jacobian of ``out`` for ``x`` in one batched backward: recorded (a Tensor) when nested or
    when ``f`` closed over a tensor that requires grad (as ``_grads`` decides), else an array."""
    from .ops import reshape

    seeds = np.eye(out.data.size, dtype=out.dtype).reshape((out.data.size,) + out.shape)
    if not nested:
        (jac,), others = batched_grads(out, seeds, [x], False)
        nested = not all(_was_watched(o) for o in others)
    if nested:
        (jac,), _ = batched_grads(out, Tensor._make(seeds), [x], True)
    if jac is None:  # out depends on other tracked tensors only
        jac = np.zeros((out.data.size,) + x.shape, dtype=x.dtype)
        jac = Tensor._make(jac) if nested else jac
    return reshape(jac, out.shape + x.shape)


def hessian(f: Callable[..., Any], argnums: int = 0, vectorize: bool = False) -> Callable[..., Any]:
    """Return a function computing the Hessian of a scalar-valued ``f``: jacobian(grad(f)).

    ``vectorize=True`` computes it in one batched backward pass (see ``jacobian``).

    >>> import numpy as np
    >>> from autograd_core import hessian
    >>> hessian(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacobian(grad(f, argnums), argnums, vectorize=vectorize)


def jvp(f: Callable[..., Any], xs: Any, vs: Any) -> Tuple[Any, Any]:
    """Forward-mode product: return ``(f(*xs), J·v)``; ``xs``, ``vs`` a tuple of arguments or one argument.

    Each argument (and ``f``'s output) may be a nested tuple/list/dict of arrays; tangents
    have the primals' structure. Computed as the derivative of the linear map u ↦ Jᵀu
    (double VJP).

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
    inputs = _Inputs(xs, tuple(range(len(xs))), "jvp")
    tangents: List[Any] = []
    for x, v in zip(xs, vs):
        leaves, tree = tree_flatten(v)
        if tree != tree_flatten(x)[1]:
            raise ValueError(
                f"jvp: tangent structure {tree_str(tree)} does not match {tree_str(tree_flatten(x)[1])}"
            )
        tangents.extend(leaves)
    for x, v in zip(inputs.leaves, tangents):
        if _shape(v) != x.shape:
            raise ValueError(f"jvp: tangent shape {_shape(v)} does not match input shape {x.shape}")
    nested = inputs.nested or _tracked(vs)
    result = inputs.call(f, {})
    out_leaves, out_tree = tree_flatten(result)
    outs = [_output(o) for o in out_leaves]
    with enable_grad():
        us = [Tensor._make(np.zeros(o.shape, dtype=o.dtype)).requires_grad_(True) for o in outs]
        total = None
        root, seed = _contract(outs, us)
        if root.requires_grad:
            pulled = walk(root, seed, True, True, inputs.leaves)
            for g, v in zip(pulled, tangents):
                if g is not None:
                    # Re(sum conj(Jᵀu)·v) has u-gradient J·v, also for complex maps (conj is free on reals).
                    from .ops import conj

                    term = (conj(g) * v).sum()
                    total = term if total is None else total + term
        if total is None or not total.requires_grad:
            found: List[Any] = [None] * len(us)
        else:
            found = walk(total, None, nested, nested, us)
    tangent_out = [
        _unwrap(t, nested) if t is not None else np.zeros(o.shape, dtype=o.dtype) for t, o in zip(found, outs)
    ]
    primal = _unwrap_tree(tree_unflatten(out_tree, outs), inputs.nested)
    return primal, tree_unflatten(out_tree, tangent_out)


def hvp(f: Callable[..., Any], x: Any, v: Any) -> Tuple[Any, Any]:
    """Hessian-vector product of a scalar ``f``: return ``(f(x), H·v)`` without forming H.

    >>> import numpy as np
    >>> from autograd_core import hvp
    >>> hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    (array(9.), array([6., 0.]))
    """
    inputs = _Inputs([x], (0,), "hvp")
    if len(inputs.leaves) != 1 or inputs.trees[0][1] is not None:
        raise TypeError("hvp: x must be one array, not a structure")
    (xt,), nested = inputs.leaves, inputs.nested or _tracked(v)
    out = _output(inputs.call(f, {}))
    if out.data.size != 1:
        raise ValueError(f"hvp: f must return a single number, got shape {out.shape}")
    if _shape(v) != xt.shape:
        raise ValueError(f"hvp: v has shape {_shape(v)} but x has shape {xt.shape}")
    _refuse_complex("hvp", xt, v)
    with enable_grad():
        (g,), _ = _grads(out, [xt], None, True, "hvp")
        if not g.requires_grad:
            return _unwrap(out, nested), np.zeros_like(xt.data)
        (hv,), nested = _grads((g * v).sum(), [xt], None, nested, "hvp")
    return _unwrap(out, nested), _unwrap(hv, nested)
