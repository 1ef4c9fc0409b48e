"""scipy with gradients, for HIPS autograd users (``import autograd_core.scipy.special``).

Needs scipy (the ``scipy`` extra); ``import autograd_core`` alone never imports scipy.
"""

from . import linalg, signal, special, stats

__all__ = ["linalg", "signal", "special", "stats"]
