"""Problem sizes for the reliability suite: small by default, the issue's sizes on demand.

``RELIABILITY_SCALE=full python -m pytest tests/reliability -m slow`` runs the heavy checks
at the sizes the issue names (a 1,000,000-op chain, 5,000 training steps, 10,000 no_grad
calls); CI runs the same tests at the small sizes so the suite stays fast.
"""

import os

FULL = os.environ.get("RELIABILITY_SCALE", "ci").lower() == "full"


def scaled(small: int, full: int) -> int:
    """``full`` when RELIABILITY_SCALE=full, else ``small``."""
    return full if FULL else small
