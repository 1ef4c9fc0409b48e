"""Turning a ``seed`` argument into a ``numpy.random.Generator`` (never the global RNG)."""

from __future__ import annotations

from typing import Optional, Union

import numpy as np

Seed = Optional[Union[int, np.integer, np.random.Generator]]


def as_generator(seed: Seed, where: str) -> np.random.Generator:
    """A Generator from an int seed, an existing Generator (used as is) or None (fresh entropy).

    >>> bool(as_generator(0, "demo").integers(10) == as_generator(0, "demo").integers(10))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"{where}: seed must be a non-negative int, got {seed}")
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"{where}: seed must be None, an int or a numpy.random.Generator, got {type(seed).__name__}"
    )
