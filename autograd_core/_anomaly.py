"""``detect_anomaly``: find the first op that produces a NaN or inf."""

from __future__ import annotations

from ._grad_mode import STATE


class detect_anomaly:  # noqa: N801 - lowercase like torch.autograd.detect_anomaly
    """Raise ``AnomalyError`` at the first forward op or backward rule producing NaN/inf.

    Each recorded op also remembers the file and line of the user code that created it,
    and the error names both. Checks cost time, so this is a debugging aid; outside it
    NaN propagates silently, as in numpy. Per thread.

    >>> import autograd_core as ag
    >>> x = ag.tensor([-1.0], requires_grad=True)
    >>> with ag.detect_anomaly():
    ...     ag.log(x)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    AnomalyError: detect_anomaly: forward of op 'log' produced NaN ...
    """

    def __enter__(self) -> detect_anomaly:
        self._previous = STATE.anomaly
        STATE.anomaly = True
        return self

    def __exit__(self, *exc: object) -> None:
        STATE.anomaly = self._previous
