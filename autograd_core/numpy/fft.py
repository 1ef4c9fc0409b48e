"""``autograd_core.numpy.fft``: the same module as ``autograd_core.fft`` (numpy.fft with gradients)."""

from ..fft import *  # noqa: F401,F403
from ..fft import __all__  # noqa: F401
