"""Progress bars for long training loops: tqdm's when it is installed (the optional ``cli``
extra, imported only when a bar is asked for), otherwise nothing at all.

Every loop that can run for more than a couple of seconds uses it: the estimators' epochs
with ``verbose=True``, ``python -m nn train`` and the examples. ``TQDM_DISABLE=1`` in the
environment turns tqdm's bars off.

>>> total = 0
>>> for i in progress(range(3), desc="demo", enabled=False):
...     total += i
>>> total
3
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional


class _NoBar:
    """What ``progress`` returns without tqdm (or when disabled): the iterable, and no-op
    versions of the bar methods the callers use."""

    def __init__(self, iterable: Optional[Iterable[Any]]) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        if self._iterable is None:
            raise TypeError("progress: nothing to iterate over (pass an iterable, or call update())")
        return iter(self._iterable)

    def update(self, n: int = 1) -> None:
        """Nothing to advance."""

    def set_postfix(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def progress(
    iterable: Optional[Iterable[Any]] = None,
    *,
    total: Optional[int] = None,
    desc: Optional[str] = None,
    unit: str = "it",
    enabled: bool = True,
    leave: bool = False,
) -> Any:
    """A tqdm bar over ``iterable`` (or one advanced by ``update(n)``, of ``total`` steps) when
    tqdm is installed and ``enabled``; otherwise an object with the same ``__iter__``,
    ``update``, ``set_postfix`` and ``close`` that shows nothing. Breaking out of the loop
    closes the bar; ``leave=False`` erases it when done.
    """
    if not enabled:
        return _NoBar(iterable)
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar(iterable)
    return tqdm(iterable, total=total, desc=desc, unit=unit, leave=leave, dynamic_ncols=True)
