"""``Parameter``: a Tensor that a Module owns and an optimizer updates."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Tensor


class Parameter(Tensor):
    """A floating-point leaf Tensor that requires grad, registered by the Module it is assigned to.

    The data is used as given (no copy); ``dtype`` casts it (default: keep a float dtype,
    turn Python numbers and integers into float32, the nn default).

    >>> import numpy as np
    >>> from nn import Parameter
    >>> p = Parameter(np.zeros((2, 3)))
    >>> p.requires_grad, p.dtype, p.shape
    (True, dtype('float64'), (2, 3))
    >>> Parameter([1, 2]).dtype
    dtype('float32')
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None) -> None:
        if isinstance(data, Tensor):
            data = data.data
        array = np.asarray(data)
        if dtype is None and array.dtype.kind not in "f":
            if array.dtype.kind not in "iub":
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
