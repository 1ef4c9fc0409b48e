"""autograd_core: exact gradients of numpy-style math, on a tape.

>>> from autograd_core import tensor
>>> x = tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad.numpy()
array([2., 4.])
"""

from . import (  # numpy.fft / numpy.linalg look-alikes: ag.fft.rfft, ag.linalg.det
    _tensor_methods,  # noqa: F401  (attaches operators to Tensor)
    fft,
    linalg,
)
from ._allocator import top_pad_setting, tune_malloc
from ._anomaly import detect_anomaly
from ._compile import CompileWarning, compile
from ._errors import AnomalyError, GradcheckError, GradientError, OpIndexError
from ._function import Function
from ._grad_mode import enable_grad, is_grad_enabled, no_grad
from ._gradcheck import gradcheck, gradgradcheck
from ._primitive import REGISTRY, Primitive, mark_modified
from ._tensor import Tensor, tensor
from ._transforms import (
    NoGradientWarning,
    elementwise_grad,
    grad,
    hessian,
    holomorphic_grad,
    hvp,
    jacobian,
    jvp,
    value_and_grad,
    vjp,
)
from ._tree import tree_flatten, tree_map, tree_unflatten
from .ops import *  # noqa: F401,F403
from .ops import __all__ as _ops_all

__version__ = "0.1.0"

tune_malloc(top_pad_setting())  # see _allocator: large temporaries stay mapped between steps

__all__ = [
    "AnomalyError",
    "CompileWarning",
    "Function",
    "GradcheckError",
    "GradientError",
    "NoGradientWarning",
    "OpIndexError",
    "Primitive",
    "REGISTRY",
    "Tensor",
    "compile",
    "detect_anomaly",
    "elementwise_grad",
    "enable_grad",
    "fft",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "holomorphic_grad",
    "hvp",
    "is_grad_enabled",
    "jacobian",
    "jvp",
    "linalg",
    "mark_modified",
    "no_grad",
    "tensor",
    "tree_flatten",
    "tree_map",
    "tree_unflatten",
    "value_and_grad",
    "vjp",
    *_ops_all,
]
