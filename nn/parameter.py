"""``Parameter``: a Tensor that a Module owns and an optimizer updates."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Tensor


class Parameter(Tensor):
    """A floating-point leaf Tensor that requires grad, registered by the Module it is assigned to.

    The dtype rule is PyTorch's: data that carries a floating dtype (an ndarray, a numpy
    scalar or a Tensor, float32 or float64) keeps it, as ``torch.nn.Parameter`` keeps its
    tensor's dtype, because that dtype is the caller's choice. Data that carries none of its
    own (Python lists, tuples and numbers) and integer or bool arrays become float32, the nn
    default (``nn.Linear``'s weights; ``torch.tensor([1.0, 2.0])`` is float32 too). So
    ``Parameter([1.0, 2.0])`` and ``Parameter([1, 2])`` are both float32 while
    ``Parameter(np.ones(2))`` is float64. ``dtype=`` overrides the rule. An ndarray of the
    chosen dtype is used as given (no copy).

    >>> import numpy as np
    >>> from nn import Parameter
    >>> p = Parameter(np.zeros((2, 3)))
    >>> p.requires_grad, p.dtype, p.shape
    (True, dtype('float64'), (2, 3))
    >>> Parameter([1, 2]).dtype, Parameter([1.0, 2.0]).dtype, Parameter([1.0], dtype=np.float64).dtype
    (dtype('float32'), dtype('float32'), dtype('float64'))
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None) -> None:
        if isinstance(data, Tensor):
            data = data.data
        has_own_dtype = isinstance(data, (np.ndarray, np.generic))
        array = np.asarray(data)
        if dtype is None and not (has_own_dtype and array.dtype.kind == "f"):
            if array.dtype.kind not in "iubf":
                raise TypeError(
                    f"Parameter: data must be real numbers, got dtype {array.dtype} with shape {array.shape}"
                )
            dtype = np.float32
        if dtype is not None:
            dtype = np.dtype(dtype)
            if dtype.kind != "f":
                raise TypeError(f"Parameter: dtype must be a floating-point dtype, got {dtype}")
            array = array.astype(dtype, copy=False)
        super().__init__(array, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
