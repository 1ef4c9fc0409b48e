"""Data: mini-batching (``batches``, ``DataLoader``) and small built-in datasets.

>>> from nn import data
>>> X, y = data.xor_blobs(n_per_blob=8, seed=0)
>>> [xb.shape for xb, yb in data.batches(X, y, batch_size=16)]
[(16, 2), (16, 2)]
"""

from .batching import DataLoader, batches
from .datasets import IRIS_CLASSES, IRIS_FEATURES, blobs, iris, spirals, xor_blobs

__all__ = ["DataLoader", "IRIS_CLASSES", "IRIS_FEATURES", "batches", "blobs", "iris", "spirals", "xor_blobs"]
