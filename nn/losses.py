"""Loss modules: ``loss_fn(prediction, target)``, each a thin holder of options for the
matching function in ``nn.functional`` (``reduction`` = "mean", "sum" or "none")."""

from __future__ import annotations

from typing import Any

from . import functional
from .module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        functional._check_reduction(type(self).__name__, reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """Mean squared error.

    >>> import numpy as np
    >>> import nn
    >>> float(nn.MSELoss()(np.array([1.0, 3.0]), np.array([0.0, 0.0])))
    5.0
    """

    def forward(self, prediction: Any, target: Any) -> Any:
        """The loss of ``prediction`` against ``target``."""
        return functional.mse_loss(prediction, target, self.reduction)


class L1Loss(_Loss):
    """Mean absolute error.

    >>> import numpy as np
    >>> import nn
    >>> float(nn.L1Loss()(np.array([1.0, -3.0]), np.array([0.0, 0.0])))
    2.0
    """

    def forward(self, prediction: Any, target: Any) -> Any:
        """The loss of ``prediction`` against ``target``."""
        return functional.l1_loss(prediction, target, self.reduction)


class HuberLoss(_Loss):
    """Quadratic within ``delta`` of the target, linear beyond (torch's HuberLoss).

    >>> import numpy as np
    >>> import nn
    >>> float(nn.HuberLoss(delta=1.0)(np.array([3.0]), np.array([0.0])))
    2.5
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        if not delta > 0:
            raise ValueError(f"HuberLoss: delta must be positive, got {delta}")
        self.delta = float(delta)

    def forward(self, prediction: Any, target: Any) -> Any:
        """The loss of ``prediction`` against ``target``."""
        return functional.huber_loss(prediction, target, self.reduction, self.delta)

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [f"delta={self.delta}", super().extra_repr()]))


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities (logs clamped at -100, as torch); ``weight``
    rescales each element.

    >>> import numpy as np
    >>> import nn
    >>> round(float(nn.BCELoss()(np.array([0.5]), np.array([1.0]))), 4)
    0.6931
    """

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight = weight

    def forward(self, prediction: Any, target: Any) -> Any:
        """The loss of probabilities ``prediction`` against 0/1 (or soft) ``target``."""
        return functional.binary_cross_entropy(prediction, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of sigmoid(logits), computed stably from the logits.

    >>> import numpy as np
    >>> import nn
    >>> round(float(nn.BCEWithLogitsLoss()(np.array([0.0]), np.array([1.0]))), 4)
    0.6931
    """

    def __init__(self, weight: Any = None, reduction: str = "mean", pos_weight: Any = None) -> None:
        super().__init__(reduction)
        self.weight = weight
        self.pos_weight = pos_weight

    def forward(self, prediction: Any, target: Any) -> Any:
        """The loss of logits ``prediction`` against 0/1 (or soft) ``target``."""
        return functional.binary_cross_entropy_with_logits(
            prediction, target, self.weight, self.reduction, self.pos_weight
        )


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy from logits (n, C) against integer labels (n,) or probabilities (n, C).

    >>> import numpy as np
    >>> import nn
    >>> round(float(nn.CrossEntropyLoss()(np.zeros((2, 4)), np.array([0, 3]))), 4)
    1.3863
    """

    def forward(self, prediction: Any, target: Any) -> Any:
        """The loss of logits ``prediction`` against ``target``."""
        return functional.cross_entropy(prediction, target, self.reduction)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (n, C) (e.g. from ``LogSoftmax``) at labels (n,).

    >>> import numpy as np
    >>> import nn
    >>> round(float(nn.NLLLoss()(np.log(np.full((1, 4), 0.25)), np.array([2]))), 4)
    1.3863
    """

    def forward(self, prediction: Any, target: Any) -> Any:
        """The loss of log-probabilities ``prediction`` against labels ``target``."""
        return functional.nll_loss(prediction, target, self.reduction)
