"""Mini-batching: ``batches`` and ``DataLoader``."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn.data import DataLoader, batches


@given(n=st.integers(1, 50), batch_size=st.integers(1, 20), shuffle=st.booleans(), drop_last=st.booleans())
def test_batches_cover_rows_once_in_order_or_permuted(n, batch_size, shuffle, drop_last):
    X = np.arange(n * 2).reshape(n, 2)
    y = np.arange(n)
    out = list(batches(X, y, batch_size=batch_size, shuffle=shuffle, seed=0, drop_last=drop_last))
    sizes = [len(xb) for xb, _ in out]
    full, rest = divmod(n, batch_size)
    assert sizes == [batch_size] * full + ([rest] if rest and not drop_last else [])
    ys = np.concatenate([yb for _, yb in out]) if out else np.array([], dtype=int)
    for xb, yb in out:
        np.testing.assert_array_equal(xb, X[yb])  # rows stay paired with their labels
    if not drop_last:
        assert sorted(ys.tolist()) == list(range(n))
        if not shuffle:
            np.testing.assert_array_equal(ys, y)


def test_batches_without_y_yield_none_labels_and_views():
    X = np.zeros((5, 3))
    out = list(batches(X, batch_size=2))
    assert [yb for _, yb in out] == [None, None, None]
    assert all(np.shares_memory(xb, X) for xb, _ in out)


def test_shuffle_is_reproducible_and_leaves_global_rng_alone():
    X = np.arange(100)
    state = np.random.get_state()[1].copy()
    a = np.concatenate([xb for xb, _ in batches(X, batch_size=7, shuffle=True, seed=3)])
    b = np.concatenate([xb for xb, _ in batches(X, batch_size=7, shuffle=True, seed=3)])
    c = np.concatenate(
        [xb for xb, _ in batches(X, batch_size=7, shuffle=True, seed=np.random.default_rng(3))]
    )
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, X)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_dataloader_reiterable_reshuffles_each_epoch_and_repeats_per_seed():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)

    def run(seed):
        loader = DataLoader(X, y, batch_size=3, shuffle=True, seed=seed)
        return [np.concatenate([yb for _, yb in loader]) for _ in range(3)]

    epochs = run(0)
    assert all(sorted(e.tolist()) == list(range(10)) for e in epochs)
    assert not np.array_equal(epochs[0], epochs[1])
    for e1, e2 in zip(epochs, run(0)):
        np.testing.assert_array_equal(e1, e2)


@pytest.mark.parametrize(
    "n,b,drop,expected", [(10, 3, False, 4), (10, 3, True, 3), (9, 3, True, 3), (2, 5, True, 0)]
)
def test_dataloader_len(n, b, drop, expected):
    loader = DataLoader(np.zeros((n, 1)), batch_size=b, drop_last=drop)
    assert len(loader) == expected == len(list(loader))
    assert "DataLoader(" in repr(loader)


def test_dataloader_unshuffled_is_ordered():
    loader = DataLoader(np.arange(5), np.arange(5) * 10, batch_size=2)
    assert [yb.tolist() for _, yb in loader] == [[0, 10], [20, 30], [40]]


@pytest.mark.parametrize(
    "kwargs,exc,match",
    [
        (dict(X=np.zeros((0, 2))), ValueError, "at least one row"),
        (dict(X=np.float64(3.0)), ValueError, "at least one row"),
        (dict(X=np.zeros((4, 2)), y=np.zeros(3)), ValueError, r"X \(4, 2\) and y \(3,\)"),
        (dict(X=np.zeros((4, 2)), batch_size=0), ValueError, "batch_size must be > 0"),
        (dict(X=np.zeros((4, 2)), batch_size=2.5), TypeError, "batch_size"),
        (dict(X=np.zeros((4, 2)), batch_size=True), TypeError, "batch_size"),
        (dict(X=np.zeros((4, 2)), shuffle=True, seed="x"), TypeError, "seed"),
    ],
)
@pytest.mark.parametrize("fn", [batches, DataLoader])
def test_bad_input(fn, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        fn(**kwargs)
