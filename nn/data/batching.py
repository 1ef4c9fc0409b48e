"""Mini-batches of numpy arrays: the ``batches`` generator and the re-iterable ``DataLoader``."""

from __future__ import annotations

import numbers
from typing import Any, Iterator, Optional, Tuple

import numpy as np

from .._rng import Seed, as_generator

Batch = Tuple[np.ndarray, Optional[np.ndarray]]


def _check(where: str, X: Any, y: Any, batch_size: Any) -> Tuple[np.ndarray, np.ndarray | None, int]:
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{where}: X must hold numbers, got dtype {X.dtype}")
    if X.ndim == 0 or len(X) == 0:
        raise ValueError(f"{where}: X must have at least one row, got shape {X.shape}")
    if y is not None:
        y = np.asarray(y)
        if y.ndim == 0 or len(y) != len(X):
            raise ValueError(f"{where}: y must have one entry per row of X, got X {X.shape} and y {y.shape}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"{where}: batch_size must be an int, got {type(batch_size).__name__} {batch_size!r}")
    if batch_size <= 0:
        raise ValueError(f"{where}: batch_size must be > 0, got {batch_size}")
    return X, y, int(batch_size)


def _iterate(X: np.ndarray, y: np.ndarray | None, batch_size: int, order: np.ndarray | None, drop_last: bool):
    n = len(X)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        if order is None:  # contiguous slices: views, no copy
            idx: Any = slice(start, start + batch_size)
        else:
            idx = order[start : start + batch_size]
        yield X[idx], (None if y is None else y[idx])


def batches(
    X: Any,
    y: Any = None,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: Seed = None,
    drop_last: bool = False,
) -> Iterator[Batch]:
    """Yield ``(xb, yb)`` mini-batches along the first axis (``yb`` is None when ``y`` is None).

    The last batch is smaller when ``batch_size`` does not divide the row count, unless
    ``drop_last``. With ``shuffle``, rows are permuted by a Generator from ``seed``; without,
    batches are views of ``X`` and ``y``.

    >>> import numpy as np
    >>> X, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in batches(X, y, batch_size=2)]
    [[0, 1], [2, 3], [4]]
    >>> sorted(int(v) for _, yb in batches(X, y, batch_size=2, shuffle=True, seed=0) for v in yb)
    [0, 1, 2, 3, 4]
    """
    X, y, batch_size = _check("batches", X, y, batch_size)
    order = as_generator(seed, "batches").permutation(len(X)) if shuffle else None
    return _iterate(X, y, batch_size, order, drop_last)


class DataLoader:
    """A re-iterable source of ``(xb, yb)`` mini-batches; ``len()`` is the number per epoch.

    With ``shuffle``, every pass draws a new permutation from one Generator made from ``seed``
    at construction, so epochs differ from each other but the whole run repeats for a seed.

    >>> import numpy as np
    >>> loader = DataLoader(np.zeros((10, 3)), np.arange(10), batch_size=4, shuffle=True, seed=0)
    >>> len(loader), [xb.shape[0] for xb, _ in loader]
    (3, [4, 4, 2])
    >>> first, second = [np.concatenate([yb for _, yb in loader]) for _ in range(2)]
    >>> bool((first != second).any()), sorted(first.tolist()) == list(range(10))
    (True, True)
    """

    def __init__(
        self,
        X: Any,
        y: Any = None,
        batch_size: int = 32,
        shuffle: bool = False,
        seed: Seed = None,
        drop_last: bool = False,
    ) -> None:
        self.X, self.y, self.batch_size = _check("DataLoader", X, y, batch_size)
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        self._rng = as_generator(seed, "DataLoader") if shuffle else None

    def __len__(self) -> int:
        n, b = len(self.X), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[Batch]:
        order = self._rng.permutation(len(self.X)) if self._rng is not None else None
        return _iterate(self.X, self.y, self.batch_size, order, self.drop_last)

    def __repr__(self) -> str:
        return (
            f"DataLoader(n={len(self.X)}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
            f"drop_last={self.drop_last}, batches={len(self)})"
        )
