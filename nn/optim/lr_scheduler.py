"""Learning-rate schedules: ``StepLR``, ``ExponentialLR``, ``CosineAnnealingLR``.

Each rewrites ``group["lr"]`` of its optimizer on ``step()`` (call it once per epoch, after
``optimizer.step()``), using torch's recursive formulas so the values match torch.optim's.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Dict, List

from .optimizer import Optimizer, _check_number


class LRScheduler:
    """Base class: remembers each group's initial lr and sets ``group["lr"]`` on every ``step``.

    Construction performs step 0 (the lr stays at the optimizer's), as in torch.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: optimizer must be an nn.optim Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs: List[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = -1
        self.step()

    def _next_lrs(self) -> List[float]:
        """The lrs for epoch ``last_epoch`` (already advanced), from the groups' current lrs."""
        raise NotImplementedError

    def step(self) -> None:
        """Advance one epoch and write the new learning rate into every param group."""
        self.last_epoch += 1
        lrs = self._next_lrs()
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = lrs

    def get_last_lr(self) -> List[float]:
        """The learning rates set by the last ``step`` (one per param group)."""
        return list(self._last_lr)

    def state_dict(self) -> Dict[str, Any]:
        """The schedule's position and options (everything but the optimizer)."""
        return {
            k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items() if k != "optimizer"
        }

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Restore a ``state_dict``; it must come from the same kind of scheduler (checked first)."""
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict) or set(state_dict) != set(self.state_dict()):
            got = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
            raise ValueError(f"{where}: expected keys {sorted(self.state_dict())}, got {got}")
        n = len(self.optimizer.param_groups)
        for key in ("base_lrs", "_last_lr"):
            v = state_dict[key]
            if not isinstance(v, (list, tuple)) or len(v) != n:
                raise ValueError(f"{where}: {key} must be a list of {n} learning rates, got {v!r}")
            for lr in v:
                _check_number(where, key, lr)
        epoch = state_dict["last_epoch"]
        if not isinstance(epoch, numbers.Integral) or isinstance(epoch, bool) or epoch < 0:
            raise ValueError(f"{where}: last_epoch must be an int >= 0, got {epoch!r}")
        fresh = type(self).__new__(type(self))
        fresh.__dict__.update(state_dict)
        fresh._check()  # validates the options through the subclass' own rules
        for key, value in state_dict.items():
            setattr(self, key, list(value) if isinstance(value, (list, tuple)) else value)

    def _check(self) -> None:
        """Validate the subclass' options (raises ValueError/TypeError)."""
        raise NotImplementedError


def _check_positive_int(where: str, name: str, value: Any) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{where}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{where}: {name} must be > 0, got {value}")
    return int(value)


class StepLR(LRScheduler):
    """Multiply the lr by ``gamma`` every ``step_size`` epochs.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for _ in range(5):
    ...     sched.step(); lrs.append(sched.get_last_lr()[0])
    >>> lrs
    [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size, self.gamma = step_size, gamma
        self._check()
        super().__init__(optimizer)

    def _check(self) -> None:
        self.step_size = _check_positive_int("StepLR", "step_size", self.step_size)
        self.gamma = _check_number("StepLR", "gamma", self.gamma)

    def _next_lrs(self) -> List[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [g["lr"] for g in groups]
        return [g["lr"] * self.gamma for g in groups]


class ExponentialLR(LRScheduler):
    """Multiply the lr by ``gamma`` every epoch.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> sched.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = gamma
        self._check()
        super().__init__(optimizer)

    def _check(self) -> None:
        self.gamma = _check_number("ExponentialLR", "gamma", self.gamma)

    def _next_lrs(self) -> List[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [g["lr"] for g in groups]
        return [g["lr"] * self.gamma for g in groups]


class CosineAnnealingLR(LRScheduler):
    """Cosine from the initial lr down to ``eta_min`` over ``T_max`` epochs (then back up, periodically).

    ``lr_t = eta_min + (lr_0 - eta_min) (1 + cos(pi t / T_max)) / 2``, computed recursively as
    torch does so that lrs changed by hand in between are respected.

    >>> import numpy as np
    >>> from autograd_core import Tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0)
    >>> sched = CosineAnnealingLR(opt, T_max=2, eta_min=0.0)
    >>> lrs = []
    >>> for _ in range(2):
    ...     sched.step(); lrs.append(round(sched.get_last_lr()[0], 12))
    >>> lrs
    [0.5, 0.0]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max, self.eta_min = T_max, eta_min
        self._check()
        super().__init__(optimizer)

    def _check(self) -> None:
        self.T_max = _check_positive_int("CosineAnnealingLR", "T_max", self.T_max)
        self.eta_min = _check_number("CosineAnnealingLR", "eta_min", self.eta_min)

    def _next_lrs(self) -> List[float]:
        groups, t, T, eta = self.optimizer.param_groups, self.last_epoch, self.T_max, self.eta_min
        if t == 0:
            return [g["lr"] for g in groups]
        if (t - 1 - T) % (2 * T) == 0:
            # The recursive ratio below is 0/0 here (at the bottom of the cosine); step up directly.
            return [
                g["lr"] + (base - eta) * (1 - math.cos(math.pi / T)) / 2
                for base, g in zip(self.base_lrs, groups)
            ]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (g["lr"] - eta) + eta for g in groups]
