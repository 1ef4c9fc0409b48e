"""Let the C heap keep freed memory, so training loops do not page-fault on every step.

A training step allocates and frees the same large temporaries each time. glibc's malloc
serves blocks of 128 KiB and more with a fresh mmap, and hands memory freed at the top of
the heap back to the operating system; either way the next step faults it back in page by
page. It adapts its threshold after a while, but only while nobody tunes it, and on the
lecture's problem (4,000 × 5 float64 activations) the faults doubled the time of a backward
pass, depending only on where earlier arrays happened to lie. So, once at import and on glibc
only, blocks below 32 MiB (the ceiling of glibc's own adaptation) come from the heap, and a
16 MiB top pad stays mapped: the pad holds at most 16 MiB more resident memory. Set
``AUTOGRAD_CORE_MALLOC_TOP_PAD`` to a number of bytes to choose the pad, or to 0 to leave the
allocator alone.
"""

from __future__ import annotations

import ctypes
import os
import sys
import warnings

ENV_VAR = "AUTOGRAD_CORE_MALLOC_TOP_PAD"
DEFAULT_TOP_PAD = 16 << 20
MMAP_THRESHOLD = 32 << 20
# glibc's mallopt parameter numbers, from <malloc.h>
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3


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
    """Set glibc's malloc top pad to ``pad`` bytes and its mmap threshold to ``MMAP_THRESHOLD``.

    Both go together: setting either turns off glibc's own threshold adaptation. True if applied.

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
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TOP_PAD, min(pad, 2**31 - 1)))
