"""W4, deep chain: ``y = y * 1.0001`` N times on a 1-element float64 tensor, then backward.

Each (implementation, N) runs in a fresh interpreter (``python -m benchmarks.w4_deep_chain --impl
IMPL --n N``, which prints one JSON line), so a peer that overflows the stack or the recursion limit
fails alone and every memory figure starts from a clean process. Reported per recorded op: forward,
backward and total time, the growth of the resident-set high-water mark over the first
forward+backward (sees every allocator, torch's included) and, for implementations that allocate
through numpy and Python, tracemalloc's peak (N ≤ 100,000). The gradient, ``1.0001 ** N``, is
compared across implementations.

>>> rows = run(size=10, repeats=1, quick=True)
>>> all(r.agrees is not False for r in rows)
True
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Sequence, Tuple

import numpy as np

from .harness import (
    IMPL_ORDER,
    Measurement,
    UnavailableError,
    allclose,
    peak_rss_delta,
    require,
    require_ours,
    run_json_subprocess,
    tracemalloc_peak,
)

TITLE = "W4 deep chain: N × y = y*1.0001 on one float64 element, µs per op (fwd+bwd), bytes per op"
SIZES = (1_000, 10_000, 100_000, 1_000_000)
FACTOR = 1.0001
TRACE_LIMIT = 100_000  # tracemalloc slows allocation-heavy code a lot; its bytes/op are stable by here
BUDGET_S = (
    120.0  # a size whose run is projected, from the previous size's µs per op, to take longer is skipped
)

Backward = Callable[[], np.ndarray]
Forward = Callable[[], Backward]


def _numpy(n: int) -> Forward:
    # the floor: multiplying by a constant needs nothing saved, so there is no tape at all
    def forward() -> Backward:
        y = np.ones(1)
        for _ in range(n):
            y = y * FACTOR

        def backward() -> np.ndarray:
            g = np.ones(1)
            for _ in range(n):
                g = g * FACTOR
            return g

        return backward

    return forward


def _ours(n: int) -> Forward:
    ag = require_ours("autograd_core")

    def forward() -> Backward:
        x = ag.Tensor(np.ones(1), requires_grad=True)
        y = x
        for _ in range(n):
            y = y * FACTOR
        out = y.sum()

        def backward() -> np.ndarray:
            out.backward()
            return x.grad.data

        return backward

    return forward


def _torch(n: int) -> Forward:
    torch = require("torch")

    def forward() -> Backward:
        x = torch.ones(1, dtype=torch.float64, requires_grad=True)
        y = x
        for _ in range(n):
            y = y * FACTOR
        out = y.sum()

        def backward() -> np.ndarray:
            out.backward()
            return x.grad.numpy()

        return backward

    return forward


def _autograd(n: int) -> Forward:
    hips = require("autograd")
    anp = require("autograd.numpy")

    def f(x):  # type: ignore[no-untyped-def]
        y = x
        for _ in range(n):
            y = y * FACTOR
        return anp.sum(y)

    def forward() -> Backward:
        vjp, _ = hips.make_vjp(f)(np.ones(1))  # runs f and records its tape
        return lambda: vjp(1.0)

    return forward


def _mygrad(n: int) -> Forward:
    mg = require("mygrad")

    def forward() -> Backward:
        x = mg.tensor(np.ones(1))
        y = x
        for _ in range(n):
            y = y * FACTOR
        out = y.sum()

        def backward() -> np.ndarray:
            out.backward()
            return np.asarray(x.grad)

        return backward

    return forward


def _micrograd(n: int) -> Forward:
    engine = require("micrograd.engine")

    def forward() -> Backward:
        x = engine.Value(1.0)
        y = x
        for _ in range(n):
            y = y * FACTOR

        def backward() -> np.ndarray:
            y.backward()
            return np.array([x.grad])

        return backward

    return forward


def _jax(n: int) -> Forward:
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)

    def f(x):  # type: ignore[no-untyped-def]
        y = x
        for _ in range(n):
            y = y * FACTOR
        return y.sum()

    def forward() -> Backward:
        _, vjp = jax.vjp(f, np.ones(1))  # eager: records every op, as the other tapes do
        return lambda: np.asarray(vjp(np.float64(1.0))[0])

    return forward


IMPLS: Dict[str, Callable[[int], Forward]] = {
    "numpy": _numpy,
    "ours": _ours,
    "torch": _torch,
    "autograd": _autograd,
    "mygrad": _mygrad,
    "micrograd": _micrograd,
    "jax": _jax,
}
TRACEABLE = ("numpy", "ours", "autograd", "mygrad", "micrograd")


def _timed(forward: Forward) -> Tuple[float, float, np.ndarray]:
    start = time.perf_counter()
    backward = forward()
    middle = time.perf_counter()
    grad = backward()
    return middle - start, time.perf_counter() - middle, grad


def measure(impl: str, n: int, repeats: int) -> Dict[str, Any]:
    """Run the chain for one implementation in this process (meant to be a fresh one).

    The first run is measured for peak RSS and timed; ``repeats - 1`` more timed runs follow; then,
    for numpy-based implementations and N ≤ 100,000, one run under tracemalloc.

    >>> found = measure("numpy", 10, 1)
    >>> found["status"], round(found["grad"][0], 6)
    ('ok', 1.001)
    """
    try:
        forward = IMPLS[impl](n)
        timings: List[Tuple[float, float, np.ndarray]] = []
        rss = peak_rss_delta(lambda: timings.append(_timed(forward)))
        for _ in range(repeats - 1):
            timings.append(_timed(forward))
        traced = None
        if impl in TRACEABLE and n <= TRACE_LIMIT:
            traced = tracemalloc_peak(lambda: forward()())
    except UnavailableError as exc:
        return {"status": str(exc)}
    except BaseException as exc:  # RecursionError, MemoryError...: the peer's result, reported
        return {
            "status": f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}"
        }
    return {
        "status": "ok",
        "forward_s": statistics.median(t[0] for t in timings),
        "backward_s": statistics.median(t[1] for t in timings),
        "total_s": statistics.median(t[0] + t[1] for t in timings),
        "peak_rss_bytes": rss,
        "peak_traced_bytes": traced,
        "grad": [float(g) for g in np.ravel(timings[0][2])],
    }


def run(size: int | None = None, repeats: int | None = None, quick: bool = False) -> List[Measurement]:
    """Run every implementation for each chain length N (10³ … 10⁶), each in a fresh subprocess.

    ``repeats`` timed runs per subprocess (default 3; up to 50 for short chains, so that each size
    times about 10⁵ ops; a single run from N = 10⁶ on). A peer whose
    previous size projects this one past ``BUDGET_S`` seconds is reported as skipped (eager jax
    at ~150 µs per op would spend minutes and gigabytes on N = 10⁶).
    """
    sizes = (size,) if size else ((100,) if quick else SIZES)
    repeats = repeats or (1 if quick else 3)
    rows: List[Measurement] = []
    per_op: Dict[str, float] = {}  # seconds per op at the previous size, for the projection
    for n in sizes:
        case = f"N={n:,}"
        reference = None
        for impl in IMPL_ORDER:
            if impl not in IMPLS:
                continue
            projected = per_op.get(impl, 0.0) * n
            if projected > BUDGET_S:
                status = f"skipped: projected {projected:,.0f} s at {per_op[impl] * 1e6:,.0f} µs/op"
                rows.append(Measurement("W4", case, impl, "µs/op", status=status))
                continue
            timeout = 120 + n * 4e-4
            # short chains take a millisecond: more runs, so their median is not one noisy sample
            runs = 1 if n >= 10**6 else max(repeats, min(50, 100_000 // n))
            found = run_json_subprocess(
                [__name__, "--impl", impl, "--n", str(n), "--repeats", str(runs)], timeout=timeout
            )
            row = Measurement("W4", case, impl, "µs/op", status=found["status"])
            if found["status"] == "ok":
                per_op[impl] = found["total_s"] / n
                row.value = found["total_s"] / n * 1e6
                row.extra["fwd µs/op"] = found["forward_s"] / n * 1e6
                row.extra["bwd µs/op"] = found["backward_s"] / n * 1e6
                rss, traced = found["peak_rss_bytes"], found["peak_traced_bytes"]
                row.extra["RSS B/op"] = rss / n if rss is not None else "n/a"
                row.extra["traced B/op"] = traced / n if traced is not None else "n/a"
                reference = reference or found["grad"]
                row.agrees = allclose(found["grad"], reference, rtol=1e-8, atol=0.0)
            rows.append(row)
    return rows


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.w4_deep_chain")
    parser.add_argument("--impl", choices=list(IMPLS), required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.impl, args.n, args.repeats)))
    sys.stdout.flush()
    # skip interpreter teardown: freeing a peer's million-node graph is not part of the benchmark
    os._exit(0)


if __name__ == "__main__":
    _main()
