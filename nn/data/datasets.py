"""Small classification datasets needing no network: blobs, XOR of blobs, spirals, iris.

Generated ones draw from ``numpy.random.default_rng(seed)`` (or the Generator passed as
``seed``), never numpy's global state, and return ``(X float64 (n, d), y int64 (n,))``.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from importlib import resources
from typing import Any, Sequence, Tuple

import numpy as np

from .._rng import Seed, as_generator

IRIS_FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")
IRIS_CLASSES = ("setosa", "versicolor", "virginica")

Dataset = Tuple[np.ndarray, np.ndarray]


def _positive_int(where: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{where}: {name} must be > 0, got {value}")
    return int(value)


def _non_negative(where: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a real number, got {type(value).__name__} {value!r}")
    if not 0 <= value < math.inf:
        raise ValueError(f"{where}: {name} must be finite and >= 0, got {value}")
    return float(value)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator, shuffle: bool) -> Dataset:
    if not shuffle:
        return X, y
    order = rng.permutation(len(X))
    return X[order], y[order]


def blobs(
    n_per_blob: int = 1000,
    centers: Sequence[Sequence[float]] = ((0, 3), (3, 0)),
    std: float = 1.0,
    seed: Seed = None,
    shuffle: bool = True,
) -> Dataset:
    """Gaussian blobs of ``n_per_blob`` points around each centre; ``y`` is the centre's index.

    The lecture's two blobs are the default. Rows are shuffled unless ``shuffle=False``
    (then blob 0 comes first).

    >>> X, y = blobs(n_per_blob=50, seed=0)
    >>> X.shape, X.dtype, np.bincount(y).tolist()
    ((100, 2), dtype('float64'), [50, 50])
    """
    n = _positive_int("blobs", "n_per_blob", n_per_blob)
    c = np.asarray(centers, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] == 0 or c.shape[1] == 0 or not np.isfinite(c).all():
        raise ValueError(f"blobs: centers must be a non-empty finite (k, d) array, got shape {c.shape}")
    std = _non_negative("blobs", "std", std)
    rng = as_generator(seed, "blobs")
    y = np.repeat(np.arange(len(c), dtype=np.int64), n)
    X = rng.normal(0.0, std, size=(len(y), c.shape[1])) + c[y]
    return _shuffled(X, y, rng, shuffle)


_XOR_CENTERS = ((0, 0), (3, 3), (0, 3), (3, 0))  # class 0, 0, 1, 1


def xor_blobs(n_per_blob: int = 1000, std: float = 1.0, seed: Seed = None, shuffle: bool = True) -> Dataset:
    """The lecture's XOR of four blobs: class 0 at (0, 0) and (3, 3), class 1 at (0, 3) and (3, 0).

    No straight line separates the classes; the blobs overlap, so about 0.875 accuracy is the
    ceiling of any classifier at ``std=1``.

    >>> X, y = xor_blobs(n_per_blob=25, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((100, 2), [50, 50])
    """
    n = _positive_int("xor_blobs", "n_per_blob", n_per_blob)
    X, blob = blobs(n, _XOR_CENTERS, _non_negative("xor_blobs", "std", std), seed=seed, shuffle=shuffle)
    return X, blob // 2


def spirals(
    n_per_arm: int = 100, n_arms: int = 3, noise: float = 0.2, seed: Seed = None, shuffle: bool = True
) -> Dataset:
    """Points on ``n_arms`` interleaved spiral arms (the classic 'galaxy' demo); ``y`` is the arm.

    Arm ``j`` has radius ``r`` from 0 to 1 at angle ``2 pi j / n_arms + 4 r``, plus Gaussian
    angular noise of scale ``noise``.

    >>> X, y = spirals(n_per_arm=10, n_arms=3, seed=0)
    >>> X.shape, sorted(set(y.tolist())), bool(np.abs(X).max() <= 1.0)
    ((30, 2), [0, 1, 2], True)
    """
    n = _positive_int("spirals", "n_per_arm", n_per_arm)
    k = _positive_int("spirals", "n_arms", n_arms)
    noise = _non_negative("spirals", "noise", noise)
    rng = as_generator(seed, "spirals")
    y = np.repeat(np.arange(k, dtype=np.int64), n)
    r = np.tile(np.linspace(0.0, 1.0, n), k)
    theta = 2 * np.pi * y / k + 4.0 * r + rng.normal(0.0, noise, size=len(y))
    X = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)
    return _shuffled(X, y, rng, shuffle)


def iris(as_frame: bool = False) -> Any:
    """Fisher's iris table (150 flowers, 4 features in cm, 3 species), shipped with the package.

    Columns are ``IRIS_FEATURES``; ``y`` indexes ``IRIS_CLASSES`` (50 of each, in order).
    ``as_frame=True`` returns a pandas ``DataFrame`` and a ``Series`` named ``"target"``
    instead (pandas is optional and imported only then), as scikit-learn's
    ``load_iris(return_X_y=True, as_frame=True)``, so the lecture's
    ``iris_X.iloc[:, [0, 1, -1]].to_numpy()`` cells run as written.

    >>> X, y = iris()
    >>> X.shape, X.dtype, np.bincount(y).tolist()
    ((150, 4), dtype('float64'), [50, 50, 50])
    >>> IRIS_CLASSES[y[-1]]
    'virginica'
    """
    text = resources.files("nn").joinpath("datasets/iris.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = (*IRIS_FEATURES, "species")
    if tuple(rows[0]) != header or len(rows) != 151 or any(len(r) != 5 for r in rows[1:]):
        raise ValueError(
            "iris: the packaged nn/datasets/iris.csv is damaged (expected a header and 150 rows of 5)"
        )
    X = np.array([r[:4] for r in rows[1:]], dtype=np.float64)
    y = np.array([r[4] for r in rows[1:]], dtype=np.int64)
    if not isinstance(as_frame, bool):
        raise TypeError(f"iris: as_frame must be a bool, got {type(as_frame).__name__} {as_frame!r}")
    if as_frame:
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "iris(as_frame=True) needs pandas, which is optional: pip install pandas "
                "(or call iris() for numpy arrays)"
            ) from None
        return pd.DataFrame(X, columns=list(IRIS_FEATURES)), pd.Series(y, name="target")
    return X, y
