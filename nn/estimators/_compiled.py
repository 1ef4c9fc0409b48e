"""Compiled training steps for the estimators, and the switch that turns them off.

A training step's forward and ``loss.backward()`` run through ``autograd_core.compile``: traced
once per batch shape, then replayed as straight-line numpy that writes the parameters' ``.grad``
exactly as the eager step does (bit for bit; tested). The optimizer update stays outside, eager.
Set ``nn.estimators.COMPILED_TRAINING = False`` (or use ``eager_training()``) to train eagerly.

>>> import nn
>>> with nn.estimators.eager_training():
...     nn.estimators.compiled_training_enabled()
False
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, Iterator

import numpy as np

import autograd_core as ag


def compiled_training_enabled() -> bool:
    """Whether the estimators train with compiled steps (``nn.estimators.COMPILED_TRAINING``).

    >>> import nn
    >>> nn.estimators.compiled_training_enabled()
    True
    """
    return bool(getattr(sys.modules["nn.estimators"], "COMPILED_TRAINING", True))


@contextlib.contextmanager
def eager_training() -> Iterator[None]:
    """Train eagerly inside the block (the reference path; results are identical, only slower).

    >>> import nn
    >>> with nn.estimators.eager_training():
    ...     nn.estimators.COMPILED_TRAINING
    False
    """
    package = sys.modules["nn.estimators"]
    previous = package.COMPILED_TRAINING
    package.COMPILED_TRAINING = False
    try:
        yield
    finally:
        package.COMPILED_TRAINING = previous


def backward_step(loss_of: Callable[..., Any], compiled: bool) -> Callable[..., np.ndarray]:
    """``step(*arrays)``: ``loss_of(*arrays).backward()``, returning the loss as an array.

    Compiled, the parameters ``loss_of`` closes over get their ``.grad`` from the replay.

    >>> import numpy as np, autograd_core as ag
    >>> w = ag.tensor(np.ones(2), requires_grad=True)
    >>> step = backward_step(lambda x: ag.sum(w * x), compiled=True)
    >>> float(step(np.array([1.0, 2.0]))), w.grad.data.tolist()
    (3.0, [1.0, 2.0])
    """

    def step(*arrays: Any) -> np.ndarray:
        loss = loss_of(*arrays)
        loss.backward()
        return loss if compiled else loss.data

    return ag.compile(step, max_signatures=8) if compiled else step


# A step replays at most this much faster than eager, and tracing a signature costs a few eager
# steps (measured on the estimators' nets, 2-256 units: compiling repays itself after 10 to 70
# steps), so a run of fewer full-size batches than this stays eager (a partial_fit on little data).
MIN_COMPILED_STEPS = 50


def worth_compiling(full_batches: int) -> bool:
    """Whether a training step that will run on ``full_batches`` batches of one shape repays its
    traces (``MIN_COMPILED_STEPS``), with compiled training on.

    >>> worth_compiling(1000), worth_compiling(3)
    (True, False)
    """
    return compiled_training_enabled() and full_batches >= MIN_COMPILED_STEPS


# One-hot targets up to this many elements (32 MB of float64) even when they outgrow the features.
ONE_HOT_LIMIT = 1 << 22


def class_targets(labels: np.ndarray, n_classes: int, n_features: int) -> np.ndarray:
    """Integer class labels (n,) as one-hot float64 rows (n, n_classes), unless those would be
    larger than both the data (n, n_features) and ``ONE_HOT_LIMIT`` elements; then the labels.

    One-hot rows are probability targets of the same cross-entropy (equal to the labels' to
    rounding), and a compiled step takes float rows as inputs, where integer labels are compared
    by value and would re-trace on every shuffled batch. The choice does not depend on the
    compiled-training switch, so compiled and eager training stay bit-identical.

    >>> class_targets(np.array([2, 0]), 3, 4).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    if n_classes > n_features and len(labels) * n_classes > ONE_HOT_LIMIT:
        return labels
    return np.eye(n_classes, dtype=np.float64)[labels]


def maybe_compiled(f: Callable[..., Any]) -> Callable[..., Any]:
    """``ag.compile(f)`` while compiled training is on, else ``f`` itself (same results either way).

    >>> import numpy as np, autograd_core as ag
    >>> g = maybe_compiled(ag.grad(lambda x: ag.sum(x * x)))
    >>> g(np.array([1.0, 2.0])).tolist()
    [2.0, 4.0]
    """
    return ag.compile(f, max_signatures=8) if compiled_training_enabled() else f
