"""Custom differentiable functions, PyTorch-style, on the same Primitive mechanism."""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ._errors import GradientError
from ._primitive import REGISTRY, Primitive
from ._tensor import Tensor


class FunctionCtx:
    """Per-call context: what ``forward`` saves for ``backward``.

    ``saved_tensors`` returns what was saved; during a ``create_graph=True`` backward,
    saved inputs and the output come back as the Tensors on the tape, so a backward
    written with ``autograd_core`` ops is itself differentiable.
    """

    def __init__(self) -> None:
        self._saved: Tuple[Any, ...] = ()
        self._swap: dict = {}
        self.needs_input_grad: Tuple[bool, ...] = ()

    def save_for_backward(self, *values: Any) -> None:
        """Keep values (inputs, the output, or intermediates) for ``backward``."""
        self._saved = values

    @property
    def saved_tensors(self) -> Tuple[Any, ...]:
        """The values passed to ``save_for_backward``."""
        swap = self._swap
        return tuple(swap.get(id(v), v) for v in self._saved)


class Function:
    """Base class for ops with a hand-written derivative.

    Subclass with static ``forward(ctx, *args)`` (numpy arrays in, one array out) and
    ``backward(ctx, grad_output)`` returning one gradient per argument (None where there
    is none). Call it with ``MyOp.apply(*args)``.

    >>> import numpy as np
    >>> from autograd_core import Function, tensor
    >>> class Cube(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, g):
    ...         (x,) = ctx.saved_tensors
    ...         return g * 3 * x ** 2
    >>> x = tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> x.grad.item()
    12.0
    """

    _primitive: Primitive

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = f"{cls.__module__}.{cls.__qualname__}"
        prim = Primitive(name, _make_forward(cls), joint=_make_joint(cls), register=False)
        REGISTRY[f"Function:{name}"] = prim  # same registry as the built-ins; redefinition replaces
        cls._primitive = prim

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any) -> Any:
        """Compute the output from plain arrays; save what backward needs on ``ctx``."""
        raise NotImplementedError("Function subclasses must define a static forward(ctx, *args)")

    @staticmethod
    def backward(ctx: FunctionCtx, grad_output: Any) -> Any:
        """Return the gradient for each argument of forward (None where there is none)."""
        raise NotImplementedError("Function subclasses must define a static backward(ctx, grad_output)")

    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run ``forward`` and, when an argument requires grad, record it on the tape."""
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        out = cls._primitive(*args, ctx=ctx)
        if not isinstance(out, Tensor):
            out = Tensor._make(np.asarray(out))
        return out


def _make_forward(cls: type):
    def forward(*args: Any, ctx: FunctionCtx) -> Any:
        out = cls.forward(ctx, *args)
        if isinstance(out, (tuple, list)):
            raise TypeError(
                f"{cls.__qualname__}.forward must return a single array, got a {type(out).__name__}"
            )
        if isinstance(out, Tensor):
            out = out.data
        return np.asarray(out)

    return forward


def _make_joint(cls: type):
    name = cls.__qualname__

    def joint(g: Any, ans: Any, *args: Any, ctx: FunctionCtx) -> Tuple[Any, ...]:
        taped = isinstance(ans, Tensor)
        if taped:  # create_graph: hand back the Tensors on the tape for saved arrays
            ctx._swap = {id(a.data): a for a in (*args, ans) if isinstance(a, Tensor)}
        # backward sees PyTorch's convention: conjugate the inner cotangent (ops/complex.py).
        complex_g = g.dtype.kind == "c"
        if complex_g:
            from .ops import conj

            g = conj(g)
        try:
            grads = cls.backward(ctx, g)
        finally:
            ctx._swap = {}
        if not isinstance(grads, (tuple, list)):
            grads = (grads,)
        if len(grads) != len(args):
            raise GradientError(
                f"{name}.backward returned {len(grads)} gradient(s) but forward took {len(args)} argument(s)"
            )
        checked = []
        for i, (gi, a) in enumerate(zip(grads, args)):
            if gi is None:
                checked.append(None)
                continue
            if not taped and isinstance(gi, Tensor):
                gi = gi.data
            if not taped:
                gi = np.asarray(gi)
            a_shape, a_dtype = np.shape(a), (a.dtype if hasattr(a, "dtype") else None)
            if gi.shape != a_shape:
                raise GradientError(
                    f"{name}.backward returned a gradient of shape {gi.shape} for argument {i}, "
                    f"which has shape {a_shape}"
                )
            if a_dtype is not None and gi.dtype != a_dtype:
                raise GradientError(
                    f"{name}.backward returned a gradient of dtype {gi.dtype} for argument {i}, "
                    f"which has dtype {a_dtype}"
                )
            if gi.dtype.kind == "c":
                from .ops import conj

                gi = conj(gi)
            checked.append(gi)
        return checked

    return joint
