"""Thread-local gradient recording mode: ``no_grad`` and ``enable_grad``."""

from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


GRAD = 1  # bit of ``_GradState.flags``: operations are recorded
ANOMALY = 2  # bit of ``_GradState.flags``: detect_anomaly() is active
TRACE = 4  # bit of ``_GradState.flags``: ``compile`` is tracing (see _compile)
SLOW = ANOMALY | TRACE  # flags that send every op down the general recording path


class _GradState(threading.local):
    # One int read per op on the hot path. The class attribute is the per-thread
    # default: every new thread records, without anomaly checks.
    flags = GRAD
    trace: Any = None  # the active compile trace (see _compile.Trace), or None
    # How many functional transforms (grad, jvp, ...) are running on this thread: an inner
    # transform records its own backward whenever an outer one may be tracing through it.
    depth = 0

    @property
    def enabled(self) -> bool:
        return bool(self.flags & GRAD)

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self.flags = (self.flags | GRAD) if on else (self.flags & ~GRAD)

    @property
    def anomaly(self) -> bool:
        return bool(self.flags & ANOMALY)

    @anomaly.setter
    def anomaly(self, on: bool) -> None:
        self.flags = (self.flags | ANOMALY) if on else (self.flags & ~ANOMALY)


STATE = _GradState()


def is_grad_enabled() -> bool:
    """Return whether operations on this thread are recorded on the tape.

    >>> from autograd_core import is_grad_enabled, no_grad
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return bool(STATE.flags & GRAD)


class _GradModeSwitch:
    """Context manager (and decorator) that sets grad mode, restoring it on exit."""

    _mode = True

    def __enter__(self) -> None:
        self._previous = STATE.enabled
        STATE.enabled = self._mode

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self._previous

    def __call__(self, fn: F) -> F:
        mode = self._mode

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            previous = STATE.enabled
            STATE.enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                STATE.enabled = previous

        wrapper.__name__ = getattr(fn, "__name__", "wrapper")
        wrapper.__doc__ = getattr(fn, "__doc__", None)
        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeSwitch):  # noqa: N801 - lowercase like torch.no_grad
    """Stop recording operations on this thread (context manager or decorator).

    >>> from autograd_core import tensor, no_grad
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    _mode = False


class enable_grad(_GradModeSwitch):  # noqa: N801
    """Record operations again inside a ``no_grad`` block (context manager or decorator).

    >>> from autograd_core import tensor, no_grad, enable_grad
    >>> x = tensor(1.0, requires_grad=True)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = x * 2
    >>> y.requires_grad
    True
    """

    _mode = True
