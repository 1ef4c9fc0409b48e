"""Exceptions raised by the engine; each subclasses a builtin so ``except ValueError`` works."""


class GradientError(RuntimeError, ValueError):
    """Backward cannot proceed: a freed graph, a tensor modified in place, a bad custom gradient."""


class AnomalyError(FloatingPointError, ValueError):
    """Raised inside ``detect_anomaly()`` at the first op producing a NaN or inf."""


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with central finite differences."""


class OpIndexError(IndexError, ValueError):
    """An index that does not fit the array (an ``IndexError``, and a ``ValueError`` for misuse)."""
