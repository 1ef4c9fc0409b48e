"""scipy with gradients, for HIPS autograd users (``import autograd_core.scipy.special``).

Needs scipy (the ``scipy`` extra); ``import autograd_core`` alone never imports scipy.
"""

from . import integrate, linalg, signal, special, stats

__all__ = ["integrate", "linalg", "signal", "special", "stats"]
