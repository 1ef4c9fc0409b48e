"""Let the C heap keep its freed top, so training loops do not page-fault on every step.

A training step allocates and frees the same large temporaries each time. With glibc's
defaults, once more than 128 KiB is free at the top of the heap it goes back to the
operating system, and the next step faults it back in page by page: on the lecture's
problem (4,000 × 5 float64 activations) that doubled the time of a backward pass, depending
only on where earlier arrays happened to lie. A 16 MiB top pad keeps that memory mapped, at
a cost of at most 16 MiB of resident memory. It is applied once, at import, on glibc only;
set ``AUTOGRAD_CORE_MALLOC_TOP_PAD`` to a number of bytes to choose the pad, or to 0 to
leave the allocator alone.
"""

from __future__ import annotations

import ctypes
import os
import sys
import warnings

ENV_VAR = "AUTOGRAD_CORE_MALLOC_TOP_PAD"
DEFAULT_TOP_PAD = 16 << 20
_M_TOP_PAD = -2  # glibc's mallopt parameter number, from <malloc.h>


def top_pad_setting() -> int:
    """The top pad to apply in bytes: ``DEFAULT_TOP_PAD``, or what the environment asks.

    >>> import os
    >>> top_pad_setting() == (int(os.environ[ENV_VAR]) if ENV_VAR in os.environ else DEFAULT_TOP_PAD)
    True
    """
    raw = os.environ.get(ENV_VAR)
    if raw is None:
        return DEFAULT_TOP_PAD
    try:
        pad = int(raw)
    except ValueError:
        pad = -1
    if pad < 0:
        warnings.warn(
            f"{ENV_VAR}={raw!r} is not a number of bytes >= 0; the allocator is left alone",
            RuntimeWarning,
            stacklevel=2,
        )
        return 0
    return pad


def tune_malloc(pad: int) -> bool:
    """Set glibc's malloc top pad to ``pad`` bytes; True if it was applied.

    Does nothing (and returns False) for ``pad == 0`` or when the C library is not glibc.

    >>> tune_malloc(0)
    False
    """
    if pad <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # the C library this process already runs on
        libc.gnu_get_libc_version  # noqa: B018  (only glibc has it: mallopt numbers differ elsewhere)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_TOP_PAD, min(pad, 2**31 - 1)))
