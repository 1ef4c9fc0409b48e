"""W3, the lecture's XOR-of-blobs (seed 000): four Gaussian blobs of 1,000 points each, class 0 at
(0, 0) and (3, 3), class 1 at (0, 3) and (3, 0).

Two parts:

- **estimators**: the lecture's ``MLPRegressor(activation=..., hidden_layer_sizes=(5,),
  max_iter=10000, alpha=0)`` with ``logistic`` and ``relu``, and ``MLPClassifier`` with the same
  settings, ours (``nn``) against scikit-learn's, one fit per ``random_state`` in 0..repeats-1:
  median seconds to fit, ``n_iter_`` and training accuracy (a regressor's prediction is thresholded
  at 0.5), and milliseconds per iteration over all fits. Different random initialisations, so the
  check is that ours reaches scikit-learn's accuracy (within 0.02), not equal weights.
- **2-5-1 Adam**: a 2-5-1 network (sigmoid hidden layer, one logit, mean BCE-with-logits loss)
  trained 2,000 full-batch Adam epochs (lr 0.01) from the same initial weights in every framework;
  the final loss and weights are compared. scikit-learn's row is its ``MLPClassifier`` configured
  for the same schedule (full batch, no early stopping) from its own initialisation: accuracy only.
- **digits**: ``MLPClassifier()`` with all defaults on scikit-learn's 8x8 digits, held-out accuracy.
- **lbfgs**: ``MLPClassifier(solver="lbfgs", hidden_layer_sizes=(5,))`` on XOR-of-blobs.
- **Dask**: ``GridSearchCV`` over 8 candidates, ``n_jobs=1`` against a 2-worker ``LocalCluster``.

>>> rows = run(size=50, repeats=1, quick=True, dask=False)
>>> all(r.agrees is not False for r in rows)
True
"""

from __future__ import annotations

import contextlib
import statistics
import time
import warnings
from typing import Any, Callable, Dict, List, Tuple

import numpy as np

from .harness import (
    Impl,
    Measurement,
    UnavailableError,
    compare,
    require,
    require_ours,
)

TITLE = "W3 lecture XOR-of-blobs: estimators (s per fit) and a 2-5-1 net, 2,000 full-batch Adam epochs"
N_PER_BLOB = 1000
EPOCHS = 2000
LR = 0.01
ACCURACY_SLACK = 0.02
SETTINGS = ({"activation": "logistic"}, {"activation": "relu"})

Data = Tuple[np.ndarray, np.ndarray]


def xor_blobs(n_per_blob: int = N_PER_BLOB, seed: int = 0) -> Data:
    """The lecture's four blobs (std 1), shuffled: ``X`` float64 (4n, 2) and ``y`` float64 in {0, 1}.

    >>> X, y = xor_blobs(5)
    >>> X.shape, sorted(set(y.tolist()))
    ((20, 2), [0.0, 1.0])
    """
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [3, 3], [0, 3], [3, 0]], dtype=np.float64)
    X = np.concatenate([rng.normal(0, 1, (n_per_blob, 2)) + c for c in centres])
    y = np.repeat([0.0, 0.0, 1.0, 1.0], n_per_blob)
    order = rng.permutation(len(y))
    return X[order], y[order]


# --- estimators ---------------------------------------------------------------------------------


def _estimator(source: str, kind: str, params: Dict[str, Any]) -> Callable[[int], Any]:
    if source.startswith("ours"):
        module = require_ours("nn", kind)
    else:
        module = require("sklearn.linear_model" if kind == "LogisticRegression" else "sklearn.neural_network")
    cls = getattr(module, kind)

    def make(seed: int) -> Any:
        return cls(**params, random_state=seed)

    make(0)  # fail at build time, not in the timing loop, if the constructor rejects the settings
    return make


def _quiet_fit(est: Any, X: np.ndarray, y: np.ndarray) -> Any:
    # hitting max_iter is what the short and fixed-epoch runs ask for; n_iter_ shows it in the table
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(Maximum iterations|max_iter|failed to converge).*")
        return est.fit(X, y)


def _accuracy(est: Any, X: np.ndarray, y: np.ndarray) -> float:
    pred = np.asarray(est.predict(X), dtype=np.float64).reshape(-1)
    if y.dtype.kind == "f" and set(np.unique(y).tolist()) <= {0.0, 1.0}:
        return float(np.mean((pred > 0.5) == (y > 0.5)))  # a regressor's output, thresholded
    return float(np.mean(pred == y))


def _n_iter(est: Any) -> int:
    return int(np.max(getattr(est, "n_iter_", -1)))


def _training_mode(source: str) -> Any:
    """The ``ours, eager`` source trains with compiled steps off (the same fits, bit for bit)."""
    if source != "ours, eager":
        return contextlib.nullcontext()
    return require_ours("nn", "estimators.eager_training").estimators.eager_training()


def _compare_fits(
    case: str,
    kind: str,
    params: Dict[str, Any],
    train: Data,
    test: Data,
    seeds: int,
    compare_accuracy: bool,
    sources: Tuple[str, ...] = ("ours", "sklearn"),
) -> List[Measurement]:
    """Ours against scikit-learn's estimator of the same name: one fit per random_state in
    ``range(seeds)`` for each library, interleaved (``sources`` may add ``"ours, eager"``: ours
    with compiled training off).

    Two libraries cannot start from the same random weights, and one seed's iteration count is
    luck, so each row reports medians over the seeds (time per fit, iterations, accuracy on
    ``test``) and the time per iteration over all fits.
    """
    found: Dict[str, Measurement] = {}
    makers: Dict[str, Callable[[int], Any]] = {}
    for source in sources:
        found[source] = Measurement("W3", case, source, "s/fit")
        try:
            makers[source] = _estimator(source, kind, params)
        except Exception as exc:  # reported as the row's status
            status = str(exc) if isinstance(exc, UnavailableError) else f"failed: {exc!r}"[:140]
            found[source].status = status
    fits: Dict[str, List[Tuple[float, int, float]]] = {source: [] for source in makers}
    for seed in range(seeds):
        for source in list(makers):
            est = makers[source](seed)
            try:
                with _training_mode(source):
                    start = time.perf_counter()
                    _quiet_fit(est, *train)
                    secs = time.perf_counter() - start
            except Exception as exc:  # a failing fit is a result, not a crash
                found[source].status = f"failed: {type(exc).__name__}: {exc}"[:140]
                del makers[source], fits[source]
                continue
            fits[source].append((secs, _n_iter(est), _accuracy(est, *test)))
    for source, results in fits.items():
        secs, iters, accuracies = zip(*results)
        row = found[source]
        row.samples = list(secs)
        row.value = statistics.median(secs)
        row.extra["n_iter_"] = int(statistics.median(iters))
        row.extra["ms/iter"] = 1e3 * sum(secs) / max(sum(iters), 1)
        row.extra["accuracy"] = statistics.median(accuracies)
    if compare_accuracy and "ours" in fits and "sklearn" in fits:
        gap = found["sklearn"].extra["accuracy"] - found["ours"].extra["accuracy"]
        found["ours"].agrees = gap <= ACCURACY_SLACK
        found["sklearn"].agrees = True
    if "ours, eager" in fits and "ours" in fits:  # the same fits: every seed's accuracy equal
        found["ours, eager"].agrees = [r[2] for r in fits["ours, eager"]] == [r[2] for r in fits["ours"]]
    return [found[source] for source in sources]


def _estimator_rows(data: Data, seeds: int, max_iter: int, quick: bool) -> List[Measurement]:
    """The lecture's estimators on XOR-of-blobs (training accuracy, as the lecture reports), and an
    L-BFGS row: ``MLPClassifier(solver="lbfgs")`` with the same network."""
    rows: List[Measurement] = []
    for kind in ("MLPRegressor", "MLPClassifier"):
        for settings in SETTINGS:
            params = dict(settings, hidden_layer_sizes=(5,), max_iter=max_iter, alpha=0)
            rows += _compare_fits(
                f"{kind}({settings['activation']})", kind, params, data, data, seeds, not quick
            )
    lbfgs = dict(solver="lbfgs", activation="tanh", hidden_layer_sizes=(5,), max_iter=20 if quick else 1000)
    rows += _compare_fits("MLPClassifier(lbfgs)", "MLPClassifier", lbfgs, data, data, seeds, not quick)
    return rows


def digits(test_fraction: float = 0.25, seed: int = 0) -> Tuple[Data, Data]:
    """scikit-learn's 8x8 digits (1,797 images shipped with it, 64 features 0..16), split into a
    training and a held-out part by one seeded permutation."""
    datasets = require("sklearn.datasets")
    X, y = datasets.load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = order[:n_test], order[n_test:]
    return (X[train].astype(np.float64), y[train]), (X[test].astype(np.float64), y[test])


def _digits_rows(seeds: int, quick: bool) -> List[Measurement]:
    """``MLPClassifier()`` with every default (100 hidden relu units, adam, batch 200, at most 200
    epochs) on digits, held-out accuracy; ours with compiled training steps (the default) and
    eager ones."""
    try:
        train, test = digits()
    except UnavailableError as exc:
        rows = [
            Measurement("W3", "digits MLPClassifier()", impl, "s/fit")
            for impl in ("ours", "ours, eager", "sklearn")
        ]
        for row in rows:
            row.status = str(exc)
        return rows
    params: Dict[str, Any] = {"max_iter": 5} if quick else {}
    sources = ("ours", "ours, eager", "sklearn")
    return _compare_fits(
        "digits MLPClassifier()", "MLPClassifier", params, train, test, seeds, not quick, sources
    )


def _dask_rows(data: Data, quick: bool) -> List[Measurement]:
    """``GridSearchCV`` over 8 candidates (3-fold) of our MLPClassifier: ``n_jobs=1`` in this process
    against ``n_jobs=-1`` under ``joblib.parallel_backend("dask")`` on a 2-worker process
    LocalCluster (started before the clock, closed after). On a machine whose cores are busy the
    ratio shows that, not the cluster's overhead alone."""
    case = "GridSearchCV ×8 (3-fold)"
    local = Measurement("W3", case, "ours", "s/fit", note="n_jobs=1")
    remote = Measurement("W3", case, "dask", "s/fit", note="2-worker LocalCluster")
    try:
        nn = require_ours("nn", "MLPClassifier")
        model_selection = require("sklearn.model_selection")
        distributed = require("dask.distributed")
        joblib = require("joblib")
    except UnavailableError as exc:
        local.status = remote.status = str(exc)
        return [local, remote]
    X, y = data
    grid = {"hidden_layer_sizes": [(5,), (10,)], "alpha": [1e-4, 1e-2], "learning_rate_init": [0.01, 0.02]}
    make = lambda: nn.MLPClassifier(max_iter=20 if quick else 200, random_state=0)  # noqa: E731
    import logging

    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    client = distributed.Client(cluster)
    try:
        with joblib.parallel_backend("dask"):  # warm the workers: imports, not timed
            _quiet_fit(model_selection.GridSearchCV(make(), {"alpha": [1e-4, 1e-2]}, cv=2, n_jobs=-1), X, y)
        for row, backend, n_jobs in ((local, None, 1), (remote, "dask", -1)):
            search = model_selection.GridSearchCV(make(), grid, cv=3, n_jobs=n_jobs)
            start = time.perf_counter()
            if backend:
                with joblib.parallel_backend(backend):
                    _quiet_fit(search, X, y)
            else:
                _quiet_fit(search, X, y)
            row.value = time.perf_counter() - start
            row.samples = [row.value]
            row.extra["accuracy"] = float(search.best_score_)
        remote.agrees = local.agrees = bool(np.isclose(remote.extra["accuracy"], local.extra["accuracy"]))
        remote.extra["speedup"] = local.value / remote.value
    except Exception as exc:  # a failing cluster is a result, not a crash
        local.status = remote.status = f"failed: {type(exc).__name__}: {exc}"[:140]
    finally:
        client.close()
        cluster.close()
    return [local, remote]


# --- 2-5-1 full-batch Adam ----------------------------------------------------------------------


def initial_weights(seed: int = 1) -> List[np.ndarray]:
    """Torch-layout weights ``[W1 (5, 2), b1 (5,), W2 (1, 5), b2 (1,)]``, U(±1/sqrt(fan_in)).

    >>> [w.shape for w in initial_weights()]
    [(5, 2), (5,), (1, 5), (1,)]
    """
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in ((2, 5), (5, 1)):
        bound = 1.0 / np.sqrt(fan_in)
        weights += [rng.uniform(-bound, bound, (fan_out, fan_in)), rng.uniform(-bound, bound, fan_out)]
    return weights


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow for large |x|


class _Adam:
    """Adam as torch.optim.Adam computes it, for frameworks that ship no optimizer."""

    def __init__(self, params: List[np.ndarray]) -> None:
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, params: List[np.ndarray], grads: List[np.ndarray]) -> None:
        self.t += 1
        c1, c2 = 1.0 - 0.9**self.t, 1.0 - 0.999**self.t
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= LR * (m / c1) / (np.sqrt(v / c2) + 1e-8)


Result = Tuple[float, List[np.ndarray]]  # loss of the last epoch, final torch-layout weights


def _adam_numpy(X: np.ndarray, y: np.ndarray, epochs: int) -> Result:
    params = [w.copy() for w in initial_weights()]
    W1, b1, W2, b2 = params
    adam = _Adam(params)
    n = len(y)
    for _ in range(epochs):
        h = _sigmoid(X @ W1.T + b1)
        z = (h @ W2.T + b2)[:, 0]
        loss = np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z))))
        dz = (_sigmoid(z) - y) / n
        dpre = dz[:, None] * W2 * h * (1.0 - h)
        adam.step(params, [dpre.T @ X, dpre.sum(0), (dz @ h)[None, :], np.array([dz.sum()])])
    return float(loss), params


def _adam_ours(X: np.ndarray, y: np.ndarray, epochs: int, compiled: bool = False) -> Result:
    """Our MLP and Adam; ``compiled``: the forward and ``loss.backward()`` in ``ag.compile``, traced
    once, then replayed as straight-line numpy writing the parameters' ``.grad`` (Adam stays eager)."""
    ag = require_ours("autograd_core", "compile")
    nn = require_ours("nn", "MLP", "BCEWithLogitsLoss", "optim.Adam")
    model = nn.MLP(2, [5], 1, activation="sigmoid", dtype=np.float64)
    params = list(model.parameters())
    for p, w in zip(params, initial_weights()):
        p.data[...] = w
    loss_fn = nn.BCEWithLogitsLoss()
    opt = nn.optim.Adam(params, lr=LR)
    target = y[:, None]

    def forward_backward(X: Any, target: Any) -> Any:
        loss = loss_fn(model(X), target)
        loss.backward()
        return loss

    step = ag.compile(forward_backward) if compiled else forward_backward
    for _ in range(epochs):
        opt.zero_grad()
        loss = step(X, target)
        opt.step()
    return float(loss), [p.data for p in params]


def _adam_ours_compiled(X: np.ndarray, y: np.ndarray, epochs: int) -> Result:
    return _adam_ours(X, y, epochs, compiled=True)


def _adam_torch(X: np.ndarray, y: np.ndarray, epochs: int) -> Result:
    torch = require("torch")
    tnn = torch.nn
    model = tnn.Sequential(tnn.Linear(2, 5), tnn.Sigmoid(), tnn.Linear(5, 1)).double()
    with torch.no_grad():
        for p, w in zip(model.parameters(), initial_weights()):
            p.copy_(torch.from_numpy(w))
    loss_fn = tnn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    Xt, target = torch.from_numpy(X), torch.from_numpy(y[:, None])
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(Xt), target)
        loss.backward()
        opt.step()
    return loss.item(), [p.detach().numpy() for p in model.parameters()]


def _adam_autograd(X: np.ndarray, y: np.ndarray, epochs: int) -> Result:
    hips = require("autograd")
    anp = require("autograd.numpy")
    params = [w.copy() for w in initial_weights()]
    adam = _Adam(params)

    def loss_fn(params: List[Any]) -> Any:
        W1, b1, W2, b2 = params
        h = 0.5 * (1.0 + anp.tanh(0.5 * (anp.dot(X, W1.T) + b1)))
        z = (anp.dot(h, W2.T) + b2)[:, 0]
        return anp.mean(anp.maximum(z, 0.0) - z * y + anp.log1p(anp.exp(-anp.abs(z))))

    value_and_grad = hips.value_and_grad(loss_fn)
    for _ in range(epochs):
        loss, grads = value_and_grad(params)
        adam.step(params, grads)
    return float(loss), params


def _adam_mygrad(X: np.ndarray, y: np.ndarray, epochs: int) -> Result:
    mg = require("mygrad")
    params = [mg.tensor(w.copy()) for w in initial_weights()]
    adam = _Adam([p.data for p in params])
    for _ in range(epochs):
        W1, b1, W2, b2 = params
        h = 0.5 * (1.0 + mg.tanh(0.5 * (mg.matmul(X, W1.T) + b1)))
        z = (mg.matmul(h, W2.T) + b2)[:, 0]
        loss = mg.mean(mg.maximum(z, 0.0) - z * y + mg.log1p(mg.exp(-mg.abs(z))))
        loss.backward()
        adam.step([p.data for p in params], [p.grad for p in params])
    return float(loss.item()), [p.data for p in params]


def _adam_jax(X: np.ndarray, y: np.ndarray, epochs: int) -> Result:
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    def loss_fn(params: Any) -> Any:
        W1, b1, W2, b2 = params
        z = (jax.nn.sigmoid(jnp.dot(X, W1.T) + b1) @ W2.T + b2)[:, 0]
        return jnp.mean(jnp.maximum(z, 0.0) - z * y + jnp.log1p(jnp.exp(-jnp.abs(z))))

    @jax.jit
    def epoch(state: Any) -> Any:
        params, m, v, t = state
        loss, grads = jax.value_and_grad(loss_fn)(params)
        t = t + 1
        m = [0.9 * mi + 0.1 * g for mi, g in zip(m, grads)]
        v = [0.999 * vi + 0.001 * g * g for vi, g in zip(v, grads)]
        c1, c2 = 1.0 - 0.9**t, 1.0 - 0.999**t
        params = [p - LR * (mi / c1) / (jnp.sqrt(vi / c2) + 1e-8) for p, mi, vi in zip(params, m, v)]
        return (params, m, v, t), loss

    params = [jnp.asarray(w) for w in initial_weights()]
    state = (params, [jnp.zeros_like(p) for p in params], [jnp.zeros_like(p) for p in params], 0.0)
    for _ in range(epochs):
        state, loss = epoch(state)
    return float(loss), [np.asarray(p) for p in state[0]]


def _adam_sklearn(X: np.ndarray, y: np.ndarray, epochs: int) -> Result:
    neural_network = require("sklearn.neural_network")
    est = neural_network.MLPClassifier(
        hidden_layer_sizes=(5,),
        activation="logistic",
        solver="adam",
        alpha=0,
        batch_size=len(y),
        learning_rate_init=LR,
        max_iter=epochs,
        shuffle=False,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=0,
    )
    _quiet_fit(est, X, y)
    # sklearn stores (fan_in, fan_out) matrices: transpose to torch's layout
    return float(est.loss_), [est.coefs_[0].T, est.intercepts_[0], est.coefs_[1].T, est.intercepts_[1]]


ADAM_IMPLS: Dict[str, Callable[[np.ndarray, np.ndarray, int], Result]] = {
    "numpy": _adam_numpy,
    "ours": _adam_ours,
    "ours, compiled": _adam_ours_compiled,
    "torch": _adam_torch,
    "autograd": _adam_autograd,
    "mygrad": _adam_mygrad,
    "jax": _adam_jax,
    "sklearn": _adam_sklearn,
}


def accuracy_of(weights: List[np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    """Training accuracy of a 2-5-1 sigmoid network given torch-layout weights (logit > 0 → class 1).

    >>> X, y = xor_blobs(10)
    >>> 0.0 <= accuracy_of(initial_weights(), X, y) <= 1.0
    True
    """
    W1, b1, W2, b2 = weights
    z = _sigmoid(X @ W1.T + b1) @ W2[0] + b2[0]
    return float(np.mean((z > 0) == (y > 0.5)))


def _adam_rows(data: Data, epochs: int, repeats: int) -> List[Measurement]:
    X, y = data
    final: Dict[str, List[np.ndarray]] = {}

    def builder(name: str) -> Callable[[], Impl]:
        fit = ADAM_IMPLS[name]

        def build() -> Impl:
            def train() -> Tuple[float, List[np.ndarray]]:
                loss, weights = fit(X, y, epochs)
                final[name] = [np.array(w, copy=True) for w in weights]
                return loss, weights

            # scikit-learn starts from its own initialisation: time and accuracy only
            return Impl(train, comparable=name != "sklearn", note="own init" if name == "sklearn" else "")

        return build

    builders = {name: builder(name) for name in ADAM_IMPLS}
    builders["micrograd"] = _micrograd_na
    case = f"2-5-1 Adam ×{epochs:,}"
    rows = compare("W3", case, "s/fit", 1.0, builders, repeats=repeats, rtol=1e-6, atol=1e-8, min_sample=0.0)
    for row in rows:
        if row.impl in final:
            row.extra["accuracy"] = accuracy_of(final[row.impl], X, y)
    return rows


def _micrograd_na() -> Impl:
    require("micrograd")
    raise UnavailableError("n/a: scalar-only")


def run(
    size: int | None = None, repeats: int | None = None, quick: bool = False, dask: bool = True
) -> List[Measurement]:
    """Both parts on ``size`` points per blob (1,000); quick mode uses 100 points and short fits.

    Quick mode caps the estimators at 50 iterations (digits at 5, L-BFGS at 20) and the network at 50 epochs, so
    there the estimators' accuracies are not compared. ``dask=False`` (and quick mode) leave out the cluster row.
    """
    data = xor_blobs(size or (100 if quick else N_PER_BLOB))
    repeats = repeats or (1 if quick else 5)  # the estimators: one fit per seed, this many seeds
    rows = _estimator_rows(data, repeats, max_iter=50 if quick else 10000, quick=quick)
    rows += _digits_rows(repeats, quick)
    # starting a cluster is most of a smoke test's time (tests/nn/test_dask.py covers it): not in quick mode
    rows += _dask_rows(data, quick) if dask and not quick else []
    return rows + _adam_rows(data, epochs=50 if quick else EPOCHS, repeats=repeats)
