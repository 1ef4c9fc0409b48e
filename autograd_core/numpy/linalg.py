"""``autograd_core.numpy.linalg``: the same module as ``autograd_core.linalg`` (numpy.linalg with gradients)."""

from ..linalg import *  # noqa: F401,F403
from ..linalg import __all__  # noqa: F401
