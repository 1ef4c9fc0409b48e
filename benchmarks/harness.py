"""Timing harness shared by the workloads: build, check, time interleaved, tabulate, save.

Every workload compares several *implementations* of the same math (this project, a hand-written
numpy floor, and each installed peer). An implementation is built by a zero-argument *builder*
returning an :class:`Impl`; a builder raises :class:`UnavailableError` when a peer is not installed or
does not apply, and any other exception becomes a "failed" row rather than a crash.

>>> import numpy as np
>>> rows = compare("W0", "demo", "µs/call", 1e6,
...                {"numpy": lambda: Impl(lambda: np.ones(3)), "ours": lambda: Impl(lambda: np.ones(3))},
...                repeats=2, min_sample=0.0)
>>> [(r.impl, r.status, r.agrees) for r in rows]
[('numpy', 'ok', True), ('ours', 'ok', True)]
"""

from __future__ import annotations

import gc
import importlib
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, List, Sequence

import numpy as np

# Display order of implementations in every table: the floor first, then ours, then the peers.
IMPL_ORDER = (
    "numpy",
    "ours",
    "compiled",
    "ours-vectorized",
    "compiled-vectorized",
    "ours-np",
    "torch",
    "torch-vectorized",
    "autograd",
    "mygrad",
    "micrograd",
    "jax",
    "sklearn",
)

# Label used in tables for each implementation key.
IMPL_LABELS = {
    "numpy": "hand numpy",
    "ours": "ours",
    "compiled": "ours, compiled",
    "ours-vectorized": "ours vectorize=True",
    "compiled-vectorized": "ours, compiled vectorize=True",
    "ours-np": "ours via numpy",
    "torch": "torch",
    "torch-vectorized": "torch vectorize=True",
    "autograd": "HIPS autograd",
    "mygrad": "mygrad",
    "micrograd": "micrograd",
    "jax": "jax (jit)",
    "sklearn": "scikit-learn",
}


class UnavailableError(Exception):
    """Raised by a builder when its implementation cannot run here; the message is the row's status.

    >>> str(UnavailableError("not installed"))
    'not installed'
    """


@dataclass
class Impl:
    """One ready-to-time implementation.

    ``run`` performs one unit of work and returns a result; ``check`` is the value compared across
    implementations (when None, the result of the first warm-up call of ``run`` is used);
    ``comparable=False`` times an implementation whose result cannot match (e.g. its own random
    initialisation) without comparing it.

    >>> Impl(lambda: 1).run()
    1
    """

    run: Callable[[], Any]
    check: Any = None
    comparable: bool = True
    note: str = ""


@dataclass
class Measurement:
    """One row of a result table: a workload case timed (or not) for one implementation.

    ``value`` is the median of ``samples``, both in ``unit``; ``status`` is "ok" or why there is no
    time ("not installed", "n/a: ...", "failed: ...", "not available yet: ..."); ``agrees`` says
    whether the result matched the reference implementation (None when not compared).

    >>> Measurement("W1", "n=16", "ours", "µs/step", 8.0).status
    'ok'
    """

    workload: str
    case: str
    impl: str
    unit: str
    value: float | None = None
    samples: List[float] = field(default_factory=list)
    status: str = "ok"
    agrees: bool | None = None
    extra: Dict[str, Any] = field(default_factory=dict)
    note: str = ""


def require(module: str) -> Any:
    """Import ``module`` or raise :class:`UnavailableError` ("not installed").

    >>> require("math").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UnavailableError("not installed") from exc


def require_ours(module: str, *attrs: str) -> Any:
    """Import a module of this project that may still be in progress, with the (dotted) attributes
    a workload needs; raise :class:`UnavailableError` naming what is missing.

    >>> require_ours("autograd_core", "hessian", "hvp").__name__
    'autograd_core'
    >>> require_ours("autograd_core", "no_such_thing")
    Traceback (most recent call last):
    ...
    benchmarks.harness.UnavailableError: not available yet: autograd_core.no_such_thing
    """
    try:
        found = importlib.import_module(module)
    except ImportError as exc:
        raise UnavailableError(f"not available yet: {exc}") from exc
    for attr in attrs:
        obj = found
        for part in attr.split("."):
            if not hasattr(obj, part):
                raise UnavailableError(f"not available yet: {module}.{attr}")
            obj = getattr(obj, part)
    return found


def _status_of(exc: BaseException) -> str:
    if isinstance(exc, UnavailableError):
        return str(exc)
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"failed: {type(exc).__name__}: {message[:120]}"


def _flatten(value: Any) -> List[np.ndarray]:
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _flatten(v)]
    return [np.asarray(value, dtype=np.float64)]


def allclose(a: Any, b: Any, rtol: float = 1e-7, atol: float = 1e-9) -> bool:
    """Whether two results (arrays, scalars, or nested tuples of them) agree element-wise.

    >>> allclose((1.0, [2.0, 3.0]), (1.0, [2.0, 3.0 + 1e-12]))
    True
    >>> allclose([1.0], [1.0, 2.0])
    False
    """
    fa, fb = _flatten(a), _flatten(b)
    if len(fa) != len(fb):
        return False
    return all(x.shape == y.shape and np.allclose(x, y, rtol=rtol, atol=atol) for x, y in zip(fa, fb))


def time_interleaved(
    fns: Dict[str, Callable[[], Any]], repeats: int, min_sample: float = 0.05
) -> Dict[str, List[float]]:
    """Seconds per call of each function, ``repeats`` samples each, taken round-robin in one process.

    Each sample runs a function enough times to last about ``min_sample`` seconds (calibrated once),
    so fast calls are not dominated by timer resolution. The start of the rotation changes on every
    repeat so no implementation always runs right after the same neighbour. ``gc.collect()`` runs
    before each sample so garbage left by one implementation is not charged to the next; the
    collector stays enabled during a sample because reclaiming cycles is part of a framework's cost.

    >>> times = time_interleaved({"a": lambda: None}, repeats=3, min_sample=0.0)
    >>> len(times["a"])
    3
    """
    # Objects alive now (imported frameworks, models) are frozen out of the collector's scans, so
    # the per-sample collection is cheap and costs every implementation the same.
    gc.collect()
    gc.freeze()
    try:
        return _interleave(fns, repeats, min_sample)
    finally:
        gc.unfreeze()


def _interleave(fns: Dict[str, Callable[[], Any]], repeats: int, min_sample: float) -> Dict[str, List[float]]:
    numbers = {}
    for name, fn in fns.items():
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        numbers[name] = max(1, math.ceil(min_sample / elapsed)) if elapsed > 0 else 1
    samples: Dict[str, List[float]] = {name: [] for name in fns}
    names = list(fns)
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            fn, number = fns[name], numbers[name]
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - start) / number)
    return samples


def compare(
    workload: str,
    case: str,
    unit: str,
    scale: float,
    builders: Dict[str, Callable[[], Impl]],
    *,
    repeats: int,
    reference: Sequence[str] = ("numpy", "ours"),
    rtol: float = 1e-7,
    atol: float = 1e-9,
    min_sample: float = 0.05,
    warmup: int = 1,
) -> List[Measurement]:
    """Build, warm up, cross-check and time a set of implementations of one case.

    ``scale`` converts seconds per ``run()`` call into ``unit`` (e.g. ``1e6 / 1000`` for µs per step
    of a 1,000-step chain). Results are compared with the first available implementation named in
    ``reference``. Returns one :class:`Measurement` per builder, in :data:`IMPL_ORDER`.

    >>> rows = compare("W0", "c", "s", 1.0, {"numpy": lambda: Impl(lambda: 1.0),
    ...                "torch": lambda: (_ for _ in ()).throw(UnavailableError("not installed"))}, repeats=1)
    >>> [(r.impl, r.status) for r in rows]
    [('numpy', 'ok'), ('torch', 'not installed')]
    """
    rows: Dict[str, Measurement] = {}
    ready: Dict[str, Impl] = {}
    checks: Dict[str, Any] = {}
    for name, build in builders.items():
        row = rows[name] = Measurement(workload, case, name, unit)
        try:
            impl = build()
            first = impl.run()
            for _ in range(warmup - 1):
                impl.run()
        except Exception as exc:  # a peer's failure is a result to report, not a crash
            row.status = _status_of(exc)
            continue
        row.note = impl.note
        if impl.comparable:
            checks[name] = first if impl.check is None else impl.check
        ready[name] = impl
    ref = next((name for name in reference if name in checks), None)
    for name in checks:
        if ref is not None and name != ref:
            rows[name].agrees = allclose(checks[name], checks[ref], rtol=rtol, atol=atol)
        elif name == ref:
            rows[name].agrees = True
    if ready:
        samples = time_interleaved({n: i.run for n, i in ready.items()}, repeats, min_sample)
        for name, secs in samples.items():
            rows[name].samples = [s * scale for s in secs]
            rows[name].value = statistics.median(rows[name].samples)
    return sorted(rows.values(), key=lambda m: _order(m.impl))


def _order(impl: str) -> int:
    return IMPL_ORDER.index(impl) if impl in IMPL_ORDER else len(IMPL_ORDER)


def tracemalloc_peak(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated (and visible to tracemalloc, which numpy reports to) while ``fn`` runs.

    Memory held before the call is not counted; memory allocated by C++ frameworks (torch, jax)
    outside numpy and Python is invisible here, so use :func:`peak_rss_delta` for those.

    >>> tracemalloc_peak(lambda: np.ones(1000)) >= 8000
    True
    """
    gc.collect()
    gc.freeze()  # later collections skip the long-lived objects (cheap when torch is loaded)
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        gc.unfreeze()
        if not was_tracing:
            tracemalloc.stop()


def _proc_status_kib(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise OSError(f"{key} not in /proc/self/status")


def peak_rss_delta(fn: Callable[[], Any]) -> int | None:
    """Growth of the resident-set high-water mark while ``fn`` runs, in bytes; None where unsupported.

    Resets the high-water mark first (Linux ``/proc/self/clear_refs``), so it sees every allocator,
    including torch's C++ one. Pages an allocator already holds are not counted again, so call it in
    a fresh process, before any warm-up, to see a workload's full footprint.

    >>> delta = peak_rss_delta(lambda: np.ones(10**6))
    >>> delta is None or delta >= 0
    True
    """
    try:
        gc.collect()
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        base = _proc_status_kib("VmRSS")
    except OSError:
        return None
    fn()
    return max(0, _proc_status_kib("VmHWM") - base) * 1024


def run_json_subprocess(args: Sequence[str], timeout: float) -> Dict[str, Any]:
    """Run ``python -m <args>`` in a fresh interpreter and parse the JSON object on its last stdout line.

    A crash, a timeout or unparsable output becomes ``{"status": "failed: ..."}``.

    >>> run_json_subprocess(["json.tool", "--help"], timeout=30)["status"].startswith("failed")
    True
    """
    try:
        proc = subprocess.run(
            [sys.executable, "-m", *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"status": f"failed: timeout after {timeout:.0f} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode == 0 and lines:
        try:
            return json.loads(lines[-1])
        except json.JSONDecodeError:
            pass
    if proc.returncode < 0:
        return {"status": f"failed: killed by signal {-proc.returncode}"}
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"status": f"failed: exit {proc.returncode}: {tail[:120]}"}


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value == 0 or math.isnan(value):
            return f"{value:g}"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3g}"
    return str(value)


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return ""
    return f"{a / b:.2f}×"


def table_rows(measurements: Sequence[Measurement]) -> tuple:
    """Header and string cells of one workload's table (the same cells feed text and markdown).

    >>> header, cells = table_rows([Measurement("W0", "c", "ours", "s", 2.0)])
    >>> header[:4], cells[0][:4]
    (['case', 'implementation', 'time (s)', '× hand numpy'], ['c', 'ours', '2.00', ''])
    """
    extras: List[str] = []
    for m in measurements:
        extras += [k for k in m.extra if k not in extras]
    units = {m.unit for m in measurements}
    unit = units.pop() if len(units) == 1 else None
    header = [
        "case",
        "implementation",
        f"time ({unit})" if unit else "time",
        "× hand numpy",
        "÷ ours",
        "agrees",
        *extras,
        "status",
    ]
    cells = []
    last_case = None
    for m in measurements:
        same_case = [o for o in measurements if o.case == m.case]
        floor = next((o.value for o in same_case if o.impl == "numpy"), None)
        ours = next((o.value for o in same_case if o.impl == "ours"), None)
        cells.append(
            [
                m.case if m.case != last_case else "",
                IMPL_LABELS.get(m.impl, m.impl),
                _fmt(m.value) + ("" if unit or m.value is None else f" {m.unit}"),
                _ratio(m.value, floor) if m.impl != "numpy" else ("1.00×" if m.value else ""),
                _ratio(m.value, ours) if m.impl != "ours" else "",
                {True: "yes", False: "MISMATCH", None: ""}[m.agrees],
                *[_fmt(m.extra.get(k)) if k in m.extra else "" for k in extras],
                m.status + (f" ({m.note})" if m.note else ""),
            ]
        )
        last_case = m.case
    return header, cells


def format_table(title: str, measurements: Sequence[Measurement], fmt: str = "text") -> str:
    """Render one workload's rows as an aligned text table or a GitHub markdown table.

    Time is the median in the row's unit; "× hand numpy" is time over the hand-written numpy floor
    in the same case; "÷ ours" is time over ours (above 1: ours is faster).

    >>> print(format_table("T", [Measurement("W0", "c", "ours", "s", 2.0)], fmt="markdown"))
    ### T
    <BLANKLINE>
    | case | implementation | time (s) | × hand numpy | ÷ ours | agrees | status |
    |---|---|---|---|---|---|---|
    | c | ours | 2.00 |  |  |  | ok |
    """
    header, cells = table_rows(measurements)
    if fmt == "markdown":
        lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    line = "  ".join
    out = [title, "=" * len(title), line(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    out.append(line("-" * w for w in widths))
    out += [line(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(out)


def environment() -> Dict[str, Any]:
    """Versions and thread settings that the numbers depend on.

    >>> "numpy" in environment()["versions"]
    True
    """
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    distributions = {"autograd_core": "autograd-core", "sklearn": "scikit-learn"}
    for name in ("autograd_core", "torch", "autograd", "mygrad", "micrograd", "jax", "sklearn"):
        if name in sys.modules or importlib.util.find_spec(name) is not None:
            try:
                versions[name] = importlib.metadata.version(distributions.get(name, name))
            except importlib.metadata.PackageNotFoundError:
                versions[name] = "installed"
    threads: Dict[str, Any] = {"cpu_count": os.cpu_count()}
    if "torch" in sys.modules:
        threads["torch"] = sys.modules["torch"].get_num_threads()
    try:
        from threadpoolctl import threadpool_info

        threads["numpy_blas"] = [(i["internal_api"], i["num_threads"]) for i in threadpool_info()]
    except ImportError:
        pass
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "versions": versions,
        "threads": threads,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def describe_environment(env: Dict[str, Any] | None = None) -> str:
    """One line naming the versions, thread counts and load the numbers were measured with.

    >>> describe_environment().startswith("python ")
    True
    """
    env = env or environment()
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    threads = env["threads"]
    parts = [versions, f"{threads['cpu_count']} CPUs"]
    if "torch" in threads:
        parts.append(f"torch threads {threads['torch']}")
    if threads.get("numpy_blas"):
        parts.append("BLAS threads " + ", ".join(f"{api} {n}" for api, n in threads["numpy_blas"]))
    if env.get("load_average"):
        parts.append("load average {:.2f}".format(env["load_average"][0]))
    return "; ".join(parts)


def write_json(
    path: str, titles: Dict[str, str], measurements: Sequence[Measurement], argv: Sequence[str]
) -> None:
    """Write every measurement plus the environment as JSON (directories are created).

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "r", "x.json")
    >>> write_json(p, {"W0": "t"}, [Measurement("W0", "c", "ours", "s", 1.0)], [])
    >>> json.load(open(p))["results"][0]["impl"]
    'ours'
    """
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    payload = {
        "environment": environment(),
        "argv": list(argv),
        "workloads": titles,
        "results": [asdict(m) for m in measurements],
    }
    with open(path, "w") as out:
        json.dump(payload, out, indent=1, default=str)
        out.write("\n")


def write_png(path: str, titles: Dict[str, str], measurements: Sequence[Measurement]) -> None:
    """Bar chart: one panel per workload, cases on the x axis, one bar per implementation (log time).

    Needs matplotlib (``pip install 'autograd-core[plot]'``).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch
    except ImportError as exc:
        raise ImportError("write_png needs matplotlib: pip install 'autograd-core[plot]'") from exc
    workloads = [w for w in titles if any(m.workload == w and m.value for m in measurements)]
    if not workloads:
        return
    fig, axes = plt.subplots(len(workloads), 1, figsize=(11, 3.6 * len(workloads)), squeeze=False)
    colors = dict(zip(IMPL_ORDER, plt.get_cmap("tab10").colors))
    for ax, workload in zip(axes[:, 0], workloads):
        rows = [m for m in measurements if m.workload == workload and m.value]
        cases = list(dict.fromkeys(m.case for m in rows))
        impls = sorted({m.impl for m in rows}, key=_order)
        width = 0.8 / max(len([m for m in rows if m.case == case]) for case in cases)
        for i, case in enumerate(cases):
            present = sorted((m for m in rows if m.case == case), key=lambda m: _order(m.impl))
            for j, m in enumerate(present):  # centre each case's bars on its tick
                ax.bar(i + (j - (len(present) - 1) / 2) * width, m.value, width, color=colors.get(m.impl))
        handles = [Patch(color=colors.get(impl), label=IMPL_LABELS.get(impl, impl)) for impl in impls]
        ax.set_yscale("log")
        ax.set_xticks(range(len(cases)))
        ax.set_xticklabels(cases, fontsize=7)
        ax.set_ylabel(rows[0].unit)
        ax.set_title(titles[workload], fontsize=9)
        ax.legend(handles=handles, fontsize=7, ncol=4)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
