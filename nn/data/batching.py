"""Mini-batches of numpy arrays: the ``batches`` generator and the re-iterable ``DataLoader``.

Both also stream from a chunked array (a Dask array, a zarr or h5py dataset: anything with
``shape``, ``dtype``, ``chunks`` and slicing) without materialising it: one chunk of rows is
read at a time, and with ``shuffle`` the chunks are visited in a random order and the rows
within each chunk permuted (a shuffle within chunks, not a global permutation).
"""

from __future__ import annotations

import numbers
from typing import Any, Iterator, List, Optional, Tuple

import numpy as np

from .._rng import Seed, as_generator

Batch = Tuple[np.ndarray, Optional[np.ndarray]]


def is_chunked(X: Any) -> bool:
    """True for a lazily read array split into row chunks (Dask, zarr, h5py), which the batching
    functions stream instead of converting.

    >>> is_chunked(np.zeros(3))
    False
    """
    return not isinstance(X, np.ndarray) and all(
        hasattr(X, a) for a in ("shape", "dtype", "chunks", "__getitem__")
    )


def _row_blocks(X: Any) -> List[Tuple[int, int]]:
    """(start, stop) of each chunk of rows: Dask lists the sizes (``chunks[0]`` a tuple), zarr and
    h5py give one size for all (``chunks[0]`` an int)."""
    n, first = X.shape[0], X.chunks[0]
    sizes = list(first) if isinstance(first, tuple) else [int(first)] * -(-n // max(int(first), 1))
    bounds = np.cumsum([0] + sizes)
    return [(int(a), min(int(b), n)) for a, b in zip(bounds[:-1], bounds[1:]) if a < n]


def _read(X: Any, start: int, stop: int) -> np.ndarray:
    part = X[start:stop]
    return np.asarray(part.compute() if hasattr(part, "compute") else part)


def _check(where: str, X: Any, y: Any, batch_size: Any) -> Tuple[Any, Any, int]:
    if not is_chunked(X):
        X = np.asarray(X)
    if np.dtype(X.dtype).kind not in "biuf":
        raise TypeError(f"{where}: X must hold numbers, got dtype {X.dtype}")
    if len(X.shape) == 0 or X.shape[0] == 0:
        raise ValueError(f"{where}: X must have at least one row, got shape {X.shape}")
    if y is not None:
        if not is_chunked(y):
            y = np.asarray(y)
        if len(y.shape) == 0 or y.shape[0] != X.shape[0]:
            raise ValueError(f"{where}: y must have one entry per row of X, got X {X.shape} and y {y.shape}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"{where}: batch_size must be an int, got {type(batch_size).__name__} {batch_size!r}")
    if batch_size <= 0:
        raise ValueError(f"{where}: batch_size must be > 0, got {batch_size}")
    return X, y, int(batch_size)


def _stream(X: Any, y: Any, batch_size: int, rng: np.random.Generator | None, drop_last: bool):
    """Batches from a chunked ``X`` (and ``y``), reading one chunk of rows at a time; rows left
    over at the end of a chunk start the next batch."""
    blocks = _row_blocks(X)
    if rng is not None:
        blocks = [blocks[i] for i in rng.permutation(len(blocks))]
    carry_x: List[np.ndarray] = []
    carry_y: List[np.ndarray] = []
    held = 0
    for start, stop in blocks:
        xb = _read(X, start, stop)
        yb = None if y is None else (_read(y, start, stop) if is_chunked(y) else np.asarray(y[start:stop]))
        if rng is not None:
            order = rng.permutation(len(xb))
            xb, yb = xb[order], (None if yb is None else yb[order])
        carry_x.append(xb)
        if yb is not None:
            carry_y.append(yb)
        held += len(xb)
        if held < batch_size:
            continue
        xs = np.concatenate(carry_x)
        ys = np.concatenate(carry_y) if carry_y else None
        full = held - held % batch_size
        for a in range(0, full, batch_size):
            yield xs[a : a + batch_size], (None if ys is None else ys[a : a + batch_size])
        carry_x, carry_y = [xs[full:]], ([] if ys is None else [ys[full:]])
        held -= full
    if held and not drop_last:
        yield np.concatenate(carry_x), (np.concatenate(carry_y) if carry_y else None)


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
    if is_chunked(X) or is_chunked(y):
        if not is_chunked(X):  # a chunked y with an in-memory X: stream both along y's chunks
            X, y = _Rows(X, y.chunks), y
        return _stream(X, y, batch_size, as_generator(seed, "batches") if shuffle else None, drop_last)
    order = as_generator(seed, "batches").permutation(len(X)) if shuffle else None
    return _iterate(X, y, batch_size, order, drop_last)


class _Rows:
    """An in-memory array seen through another array's row chunks (so X and y stream together)."""

    def __init__(self, X: np.ndarray, chunks: Any) -> None:
        self.X, self.chunks, self.shape, self.dtype = X, chunks, X.shape, X.dtype

    def __getitem__(self, index: Any) -> np.ndarray:
        return self.X[index]


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
        n, b = self.X.shape[0], self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[Batch]:
        if is_chunked(self.X) or is_chunked(self.y):
            X = self.X if is_chunked(self.X) else _Rows(self.X, self.y.chunks)
            return _stream(X, self.y, self.batch_size, self._rng, self.drop_last)
        order = self._rng.permutation(len(self.X)) if self._rng is not None else None
        return _iterate(self.X, self.y, self.batch_size, order, self.drop_last)

    def __repr__(self) -> str:
        return (
            f"DataLoader(n={self.X.shape[0]}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
            f"drop_last={self.drop_last}, batches={len(self)})"
        )
