"""Built-in datasets: shapes, dtypes, reproducibility, geometry, iris contents, bad sizes."""

import numpy as np
import pytest

from nn.data import IRIS_CLASSES, IRIS_FEATURES, blobs, iris, spirals, xor_blobs

GENERATORS = [
    (blobs, dict(n_per_blob=30)),
    (xor_blobs, dict(n_per_blob=30)),
    (spirals, dict(n_per_arm=30)),
]


@pytest.mark.parametrize("fn,kwargs", GENERATORS)
def test_seeded_reproducible_float64_int64_and_global_rng_untouched(fn, kwargs):
    state = np.random.get_state()[1].copy()
    X1, y1 = fn(**kwargs, seed=7)
    X2, y2 = fn(**kwargs, seed=np.random.default_rng(7))
    X3, _ = fn(**kwargs, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.dtype == np.float64 and y1.dtype == np.int64 and X1.ndim == 2 and len(X1) == len(y1)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_blobs_centres_and_labels():
    X, y = blobs(n_per_blob=2000, centers=((0, 3), (3, 0), (-5, -5)), std=0.5, seed=0, shuffle=False)
    assert X.shape == (6000, 2) and np.bincount(y).tolist() == [2000] * 3
    np.testing.assert_array_equal(y[:2000], 0)
    for k, c in enumerate([(0, 3), (3, 0), (-5, -5)]):
        np.testing.assert_allclose(X[y == k].mean(axis=0), c, atol=0.05)
        np.testing.assert_allclose(X[y == k].std(axis=0), 0.5, atol=0.05)


def test_blobs_are_shuffled_by_default():
    _, y = blobs(n_per_blob=100, seed=0)
    assert not (np.all(y[:100] == 0) and np.all(y[100:] == 1))


def test_xor_blobs_classes_follow_the_lecture():
    X, y = xor_blobs(n_per_blob=2000, seed=0, shuffle=False)
    assert X.shape == (8000, 2) and np.bincount(y).tolist() == [4000, 4000]
    for k, (c, label) in enumerate([((0, 0), 0), ((3, 3), 0), ((0, 3), 1), ((3, 0), 1)]):
        block = slice(2000 * k, 2000 * (k + 1))
        np.testing.assert_array_equal(y[block], label)
        np.testing.assert_allclose(X[block].mean(axis=0), c, atol=0.1)


def test_spirals_arms_and_radius():
    X, y = spirals(n_per_arm=50, n_arms=4, noise=0.0, seed=0, shuffle=False)
    assert X.shape == (200, 2) and np.bincount(y).tolist() == [50] * 4
    r = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(r[:50], np.linspace(0, 1, 50), atol=1e-12)
    # noise-free arms are rotations of each other by 2 pi / n_arms
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(X[50:100], X[:50] @ rot.T, atol=1e-12)


def test_iris_table():
    X, y = iris()
    assert X.shape == (150, 4) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(X[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_array_equal(X[-1], [5.9, 3.0, 5.1, 1.8])
    np.testing.assert_allclose(X.mean(axis=0), [5.843333, 3.057333, 3.758, 1.199333], atol=1e-6)
    assert IRIS_FEATURES == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert IRIS_CLASSES == ("setosa", "versicolor", "virginica")
    X[0, 0] = 99.0  # callers get a fresh copy each time
    assert iris()[0][0, 0] == 5.1


def test_iris_matches_scikit_learn_when_available():
    datasets = pytest.importorskip("sklearn.datasets")
    ref = datasets.load_iris()
    X, y = iris()
    np.testing.assert_array_equal(X, ref.data)
    np.testing.assert_array_equal(y, ref.target)


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda: blobs(n_per_blob=0), ValueError, "blobs: n_per_blob must be > 0"),
        (lambda: blobs(n_per_blob=-5), ValueError, "n_per_blob"),
        (lambda: blobs(n_per_blob=2.5), TypeError, "n_per_blob"),
        (lambda: blobs(centers=()), ValueError, "centers"),
        (lambda: blobs(centers=(1, 2)), ValueError, "centers"),
        (lambda: blobs(centers=((0, np.nan),)), ValueError, "centers"),
        (lambda: blobs(std=-1.0), ValueError, "std"),
        (lambda: xor_blobs(n_per_blob=0), ValueError, "xor_blobs"),
        (lambda: xor_blobs(std=float("inf")), ValueError, "std"),
        (lambda: spirals(n_per_arm=0), ValueError, "spirals: n_per_arm"),
        (lambda: spirals(n_arms=0), ValueError, "n_arms"),
        (lambda: spirals(noise=-0.1), ValueError, "noise"),
        (lambda: spirals(seed=-1), ValueError, "seed"),
    ],
)
def test_bad_sizes_raise(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_iris_as_frame_runs_the_lecture_cells():
    pd = pytest.importorskip("pandas")
    iris_X, iris_y = iris(as_frame=True)
    assert isinstance(iris_X, pd.DataFrame) and isinstance(iris_y, pd.Series)
    assert list(iris_X.columns) == list(IRIS_FEATURES) and iris_y.name == "target"
    X, y = iris()
    assert np.array_equal(iris_X.to_numpy(), X) and np.array_equal(iris_y.to_numpy(), y)
    # The lecture's cells, as written.
    iris_y2 = iris_y.copy()
    iris_y2[iris_y2 == 2] = 1
    iris_X["one"] = 1
    X_train = iris_X.iloc[:, [0, 1, -1]].to_numpy()
    assert X_train.shape == (150, 3) and set(iris_y2.to_numpy().tolist()) == {0, 1}
    assert iris()[0].shape == (150, 4)  # the frame was a copy


def test_iris_as_frame_without_pandas_names_the_fix(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"needs pandas.*pip install pandas"):
        iris(as_frame=True)
    assert iris()[0].shape == (150, 4)
    with pytest.raises(TypeError, match="as_frame must be a bool"):
        iris(as_frame="yes")
