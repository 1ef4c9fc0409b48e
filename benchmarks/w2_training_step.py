"""W2, training step: MLP 784-256-256-10, ReLU, softmax cross-entropy, batch 128, plain SGD.

Every implementation starts from the same weights and batch; the losses of two steps and the
weights after them are compared. Reported: ms per step (forward, backward, update) in float32 and
float64, plus peak memory two ways:

- ``peak traced``: tracemalloc's peak during one warmed-up step — exact for numpy-based code (numpy
  reports its buffers to tracemalloc) and blind to torch's and jax's C++ allocators (shown as n/a);
- ``peak RSS``: growth of the resident-set high-water mark during the first step in a fresh
  subprocess (``python -m benchmarks.w2_training_step --memory IMPL``), which sees every allocator
  but also counts one-time costs such as BLAS buffers and lazy initialisation.

>>> rows = run(size=8, repeats=1, quick=True)
>>> all(r.agrees is not False for r in rows)
True
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Callable, Dict, List, Sequence, Tuple

import numpy as np

from .harness import (
    Impl,
    Measurement,
    UnavailableError,
    compare,
    peak_rss_delta,
    require,
    require_ours,
    run_json_subprocess,
    tracemalloc_peak,
)

TITLE = "W2 training step: MLP 784-256-256-10, ReLU, softmax CE, SGD, ms per step"
LAYERS = (784, 256, 256, 10)
BATCH = 128
LR = 0.01
CHECK_STEPS = 2
DTYPES = {"float32": np.float32, "float64": np.float64}

Problem = Tuple[np.ndarray, np.ndarray, List[np.ndarray]]
Step = Callable[[], float]
Params = Callable[[], List[np.ndarray]]  # the current weights, for the cross-check


def problem(dtype: Any, batch: int = BATCH, layers: Sequence[int] = LAYERS, seed: int = 0) -> Problem:
    """A batch ``(X, labels)`` and torch-layout weights ``[W1, b1, W2, b2, W3, b3]`` in ``dtype``.

    Weights are U(-1/sqrt(fan_in), 1/sqrt(fan_in)), torch's default for Linear.

    >>> X, y, weights = problem(np.float32, batch=4)
    >>> X.shape, y.shape, [w.shape for w in weights][:2], weights[0].dtype
    ((4, 784), (4,), [(256, 784), (256,)], dtype('float32'))
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, layers[0])).astype(dtype)
    y = rng.integers(0, layers[-1], batch)
    weights = []
    for fan_in, fan_out in zip(layers[:-1], layers[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        weights.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(dtype))
        weights.append(rng.uniform(-bound, bound, fan_out).astype(dtype))
    return X, y, weights


def _layers(weights: List[np.ndarray]) -> List[int]:
    return [weights[0].shape[1]] + [w.shape[0] for w in weights[::2]]


def _sgd(param: np.ndarray, grad: np.ndarray) -> None:
    grad *= LR
    param -= grad


def _numpy(X: np.ndarray, y: np.ndarray, weights: List[np.ndarray]) -> Tuple[Step, Params]:
    params = [w.copy() for w in weights]
    W1, b1, W2, b2, W3, b3 = params
    rows = np.arange(len(y))
    inv_batch = X.dtype.type(1.0 / len(y))

    def step() -> float:
        h1 = X @ W1.T
        h1 += b1
        np.maximum(h1, 0, out=h1)
        h2 = h1 @ W2.T
        h2 += b2
        np.maximum(h2, 0, out=h2)
        z = h2 @ W3.T
        z += b3
        # stable softmax cross-entropy; dz = (softmax - onehot) / batch
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.log(s).mean() - z[rows, y].mean())
        e /= s
        e[rows, y] -= 1
        e *= inv_batch
        # backward, updating each layer as soon as its gradient exists (and after its weight has
        # been used to propagate further), so at most one layer's gradient is alive at a time
        dh2 = e @ W3
        _sgd(W3, e.T @ h2)
        _sgd(b3, e.sum(0))
        dh2 *= h2 > 0
        dh1 = dh2 @ W2
        _sgd(W2, dh2.T @ h1)
        _sgd(b2, dh2.sum(0))
        dh1 *= h1 > 0
        _sgd(W1, dh1.T @ X)
        _sgd(b1, dh1.sum(0))
        return loss

    return step, lambda: params


def _ours(X: np.ndarray, y: np.ndarray, weights: List[np.ndarray]) -> Tuple[Step, Params]:
    nn = require_ours("nn", "MLP", "CrossEntropyLoss", "optim.SGD")
    layers = _layers(weights)
    model = nn.MLP(layers[0], layers[1:-1], layers[-1], activation="relu", dtype=X.dtype.type, seed=0)
    params = list(model.parameters())
    if [p.shape for p in params] != [w.shape for w in weights]:
        raise ValueError(f"nn.MLP parameter shapes {[p.shape for p in params]} are not torch's layout")
    for p, w in zip(params, weights):
        p.data[...] = w
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.optim.SGD(model.parameters(), lr=LR)

    def step() -> float:
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        return float(loss.item())

    return step, lambda: [p.data for p in params]


def _compiled(X: np.ndarray, y: np.ndarray, weights: List[np.ndarray]) -> Tuple[Step, Params]:
    ag = require_ours("autograd_core", "compile")
    nn = require_ours("nn", "functional.cross_entropy", "functional.linear")
    params = [w.copy() for w in weights]
    linear = nn.functional.linear  # the fused op nn.Linear records, as the eager row does

    def loss(W1, b1, W2, b2, W3, b3, X, y):  # type: ignore[no-untyped-def]
        h1 = ag.relu(linear(X, W1, b1))
        h2 = ag.relu(linear(h1, W2, b2))
        return nn.functional.cross_entropy(linear(h2, W3, b3), y)

    value_and_grad = ag.compile(ag.value_and_grad(loss, argnums=tuple(range(len(params)))))

    def step() -> float:
        value, grads = value_and_grad(*params, X, y)
        for p, g in zip(params, grads):
            _sgd(p, g)
        return float(value)

    return step, lambda: params


def _torch(X: np.ndarray, y: np.ndarray, weights: List[np.ndarray]) -> Tuple[Step, Params]:
    torch = require("torch")
    dtype = {np.float32: torch.float32, np.float64: torch.float64}[X.dtype.type]
    tnn = torch.nn
    a, b, c, d = _layers(weights)
    model = tnn.Sequential(tnn.Linear(a, b), tnn.ReLU(), tnn.Linear(b, c), tnn.ReLU(), tnn.Linear(c, d)).to(
        dtype
    )
    with torch.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(torch.from_numpy(w))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    cross_entropy = torch.nn.functional.cross_entropy

    def step() -> float:
        opt.zero_grad()
        loss = cross_entropy(model(Xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    return step, lambda: [p.detach().numpy() for p in model.parameters()]


def _autograd(X: np.ndarray, y: np.ndarray, weights: List[np.ndarray]) -> Tuple[Step, Params]:
    hips = require("autograd")
    anp = require("autograd.numpy")
    params = [w.copy() for w in weights]
    rows = np.arange(len(y))

    def loss_fn(params: List[Any]) -> Any:
        W1, b1, W2, b2, W3, b3 = params
        h1 = anp.maximum(anp.dot(X, W1.T) + b1, 0.0)
        h2 = anp.maximum(anp.dot(h1, W2.T) + b2, 0.0)
        z = anp.dot(h2, W3.T) + b3
        z = z - anp.max(z, axis=1, keepdims=True)
        log_p = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
        return -anp.mean(log_p[rows, y])

    value_and_grad = hips.value_and_grad(loss_fn)

    def step() -> float:
        loss, grads = value_and_grad(params)
        for p, g in zip(params, grads):
            p -= LR * g
        return float(loss)

    return step, lambda: params


def _mygrad(X: np.ndarray, y: np.ndarray, weights: List[np.ndarray]) -> Tuple[Step, Params]:
    mg = require("mygrad")
    relu = require("mygrad.nnet.activations").relu
    softmax_crossentropy = require("mygrad.nnet.losses").softmax_crossentropy
    params = [mg.tensor(w.copy()) for w in weights]

    def step() -> float:
        W1, b1, W2, b2, W3, b3 = params
        h1 = relu(mg.matmul(X, W1.T) + b1)
        h2 = relu(mg.matmul(h1, W2.T) + b2)
        loss = softmax_crossentropy(mg.matmul(h2, W3.T) + b3, y)
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        return float(loss.item())

    return step, lambda: [p.data for p in params]


def _jax(X: np.ndarray, y: np.ndarray, weights: List[np.ndarray]) -> Tuple[Step, Params]:
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)  # keep float64 float64; float32 inputs stay float32
    jnp = jax.numpy

    def loss_fn(params: Any) -> Any:
        W1, b1, W2, b2, W3, b3 = params
        h1 = jax.nn.relu(jnp.dot(X, W1.T) + b1)
        h2 = jax.nn.relu(h1 @ W2.T + b2)
        log_p = jax.nn.log_softmax(h2 @ W3.T + b3)
        return -jnp.mean(jnp.take_along_axis(log_p, y[:, None], axis=1))

    @jax.jit
    def update(params: Any) -> Any:
        loss, grads = jax.value_and_grad(loss_fn)(params)
        return loss, tuple(p - LR * g for p, g in zip(params, grads))

    state = [tuple(jnp.asarray(w) for w in weights)]

    def step() -> float:
        loss, state[0] = update(state[0])
        return float(loss)

    return step, lambda: [np.asarray(p) for p in state[0]]


IMPLS: Dict[str, Callable[..., Tuple[Step, Params]]] = {
    "numpy": _numpy,
    "ours": _ours,
    "compiled": _compiled,
    "torch": _torch,
    "autograd": _autograd,
    "mygrad": _mygrad,
    "jax": _jax,
}
TRACEABLE = (
    "numpy",
    "ours",
    "compiled",
    "autograd",
    "mygrad",
)  # allocate through numpy, so tracemalloc sees them


def _builder(name: str, prob: Problem) -> Callable[[], Impl]:
    def build() -> Impl:
        step, params = IMPLS[name](*prob)
        losses = [step() for _ in range(CHECK_STEPS)]
        check = (losses, [np.array(p, copy=True) for p in params()])
        note = f"{require('torch').get_num_threads()} threads" if name == "torch" else ""
        return Impl(step, check=check, note=note)

    return build


def _micrograd() -> Impl:
    require("micrograd")
    raise UnavailableError("n/a: scalar-only")


def memory_in_subprocess(name: str, dtype: str, batch: int) -> Dict[str, Any]:
    """Peak RSS growth of the first step of ``name`` in a fresh interpreter (see module docstring).

    >>> memory_in_subprocess("numpy", "float64", 4)["status"]
    'ok'
    """
    return run_json_subprocess(
        ["benchmarks.w2_training_step", "--memory", name, "--dtype", dtype, "--batch", str(batch)],
        timeout=300,
    )


def run(size: int | None = None, repeats: int | None = None, quick: bool = False) -> List[Measurement]:
    """Time one SGD step of every implementation, float32 then float64, with batch ``size`` (128).

    Quick mode shrinks the network to 64-32-32-10 and skips the fresh-subprocess RSS measurement.
    """
    batch = size or (16 if quick else BATCH)
    layers = (64, 32, 32, 10) if quick else LAYERS
    repeats = repeats or (1 if quick else 15)
    rows: List[Measurement] = []
    for dtype_name, dtype in DTYPES.items():
        prob = problem(dtype, batch, layers)
        builders: Dict[str, Callable[[], Impl]] = {name: _builder(name, prob) for name in IMPLS}
        builders["micrograd"] = _micrograd
        tol = {"rtol": 1e-4, "atol": 1e-5} if dtype is np.float32 else {"rtol": 1e-9, "atol": 1e-12}
        case_rows = compare(
            "W2",
            f"{dtype_name} batch {batch}" + ("" if layers == LAYERS else f" layers {layers}"),
            "ms/step",
            1e3,
            builders,
            repeats=repeats,
            min_sample=0.01 if quick else 0.1,
            **tol,
        )
        for row in case_rows:
            if row.status != "ok":
                continue
            if row.impl in TRACEABLE:
                step, _ = IMPLS[row.impl](*prob)
                step()
                row.extra["peak traced (MB)"] = tracemalloc_peak(step) / 1e6
            else:
                row.extra["peak traced (MB)"] = "n/a"
            if not quick:
                found = memory_in_subprocess(row.impl, dtype_name, batch)
                rss = found.get("peak_rss_bytes")
                row.extra["peak RSS 1st step (MB)"] = rss / 1e6 if rss is not None else found["status"]
        rows += case_rows
    return rows


def _memory_main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.w2_training_step")
    parser.add_argument("--memory", choices=list(IMPLS), required=True)
    parser.add_argument("--dtype", choices=list(DTYPES), default="float32")
    parser.add_argument("--batch", type=int, default=BATCH)
    args = parser.parse_args(argv)
    try:
        step, _ = IMPLS[args.memory](*problem(DTYPES[args.dtype], args.batch))
        rss = peak_rss_delta(step)
        result = {"status": "ok", "peak_rss_bytes": rss}
    except Exception as exc:  # reported to the parent process as a row status
        result = {"status": f"failed: {type(exc).__name__}: {exc}"}
    print(json.dumps(result))


if __name__ == "__main__":
    _memory_main()
