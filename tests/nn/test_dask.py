"""Scale-out on Dask: scikit-learn's joblib parallelism on a ``dask.distributed`` cluster, dask-ml's
``Incremental`` training block by block through ``partial_fit``, and ``nn.data`` streaming
minibatches from chunked arrays. Skipped only when dask (or dask-ml) is not importable."""

import logging
import warnings

import numpy as np
import pytest

import nn

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("dask.distributed")
pytest.importorskip("sklearn")
pytestmark = pytest.mark.filterwarnings("ignore:.*(Maximum iterations|Port 8787|does not inherit)")


@pytest.fixture(scope="module")
def client():
    """A 2-worker, process-based LocalCluster, closed at the end (workers inherit PYTHONPATH, so
    they import this ``nn``)."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster, timeout="60s")
    try:
        yield client
    finally:
        client.close(timeout=30)
        cluster.close(timeout=30)


@pytest.fixture(scope="module")
def data():
    X, y = nn.data.xor_blobs(n_per_blob=100, seed=0)
    return (X - X.mean(0)) / X.std(0), y


def test_grid_search_and_cross_val_on_the_cluster(client, data):
    import joblib
    from sklearn.model_selection import GridSearchCV, cross_val_score

    X, y = data
    grid = {"hidden_layer_sizes": [(4,), (8,)], "alpha": [1e-4, 1e-2]}
    make = lambda: nn.MLPClassifier(max_iter=40, learning_rate_init=0.05, random_state=0)  # noqa: E731
    local = GridSearchCV(make(), grid, cv=2, n_jobs=1).fit(X, y)
    with joblib.parallel_backend("dask"):
        remote = GridSearchCV(make(), grid, cv=2, n_jobs=-1).fit(X, y)
        scores = cross_val_score(make(), X, y, cv=2, n_jobs=-1)
    # the same fits, run in the workers' processes and pickled back: identical results
    np.testing.assert_allclose(remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"])
    assert remote.best_params_ == local.best_params_
    np.testing.assert_allclose(scores, cross_val_score(make(), X, y, cv=2))
    worker_pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(worker_pids) == 2


def test_incremental_trains_block_by_block_and_predicts_lazily(client, data):
    from dask_ml.wrappers import Incremental

    X, y = data
    dX, dy = da.from_array(X, chunks=(100, 2)), da.from_array(y.astype(np.int64), chunks=100)
    assert dX.numblocks[0] == 4
    inc = Incremental(nn.MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.1, random_state=0))
    for _ in range(5):  # each call: one partial_fit per block, in order
        inc.partial_fit(dX, dy, classes=[0, 1])
    trained = inc.estimator_
    assert trained.t_ == 5 * len(X) and trained.n_features_in_ == 2
    pred = inc.predict(dX)
    assert isinstance(pred, da.Array)  # lazy until computed
    assert np.mean(pred.compute() == y) > 0.85  # the four overlapping blobs allow about 0.9
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = Incremental(nn.MLPClassifier(hidden_layer_sizes=(8,), random_state=0)).fit(
            dX, dy, classes=[0, 1]
        )
    assert fitted.estimator_.t_ == len(X)  # fit = one pass of partial_fit over the blocks


def test_batches_stream_a_dask_array(data):
    X, y = data
    dX, dy = da.from_array(X, chunks=(70, 2)), da.from_array(y, chunks=70)
    got = list(nn.data.batches(dX, dy, batch_size=32))
    assert all(isinstance(xb, np.ndarray) for xb, _ in got)
    assert [len(xb) for xb, _ in got] == [32] * 12 + [16]
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in got]), X)
    shuffled = np.concatenate(
        [yb for _, yb in nn.data.DataLoader(dX, dy, batch_size=32, shuffle=True, seed=0)]
    )
    assert sorted(shuffled.tolist()) == sorted(y.tolist()) and not np.array_equal(shuffled, y)


class CountingChunks:
    """A chunked array that records every read, to show that batches never load more than a chunk."""

    def __init__(self, data, rows):
        self.data, self.shape, self.dtype, self.chunks, self.reads = (
            data,
            data.shape,
            data.dtype,
            (rows, 2),
            [],
        )

    def __getitem__(self, index):
        self.reads.append(index.stop - index.start)
        return self.data[index]


def test_batches_stream_any_chunked_array_one_chunk_at_a_time(data):
    X, y = data
    source = CountingChunks(X, 50)
    got = np.concatenate([xb for xb, _ in nn.data.batches(source, y, batch_size=16, shuffle=True, seed=1)])
    assert max(source.reads) == 50 and sum(source.reads) == len(X)
    np.testing.assert_array_equal(np.sort(got, axis=0), np.sort(X, axis=0))
