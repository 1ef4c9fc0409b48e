"""Command line: ``python -m benchmarks [--workload W1..W6|all] [--size N] [--repeats R] [--quick]``.

Prints one ratio table per workload, then writes every measurement as JSON and a bar chart PNG
(by default ``benchmarks/results/latest.json`` and ``latest.png`` under the current directory) and
the tables as markdown next to the JSON (``latest.md``), ready to paste into the README.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import time
from typing import List, Sequence

from . import WORKLOADS
from .harness import Measurement, describe_environment, format_table, write_json, write_png

DEFAULT_JSON = os.path.join("benchmarks", "results", "latest.json")
DEFAULT_PNG = os.path.join("benchmarks", "results", "latest.png")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (see ``python -m benchmarks --help``).

    >>> parse_args(["--workload", "w1", "--quick"]).workload
    'W1'
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time this project against a hand-written numpy floor and each installed peer "
        "(torch, HIPS autograd, mygrad, micrograd, jax, scikit-learn), interleaved in one process, "
        "medians over repeats; print ratio tables and save JSON + PNG.",
    )
    parser.add_argument(
        "--workload",
        type=str.upper,
        choices=[*WORKLOADS, "ALL"],
        default="ALL",
        help="W1 per-op overhead, W2 MLP training step, W3 lecture XOR-of-blobs, W4 deep chain, "
        "W5 Hessian/HVP, W6 iris neuron loop (many small grad calls), or all (default)",
    )
    parser.add_argument(
        "--size",
        type=int,
        default=None,
        help="one size instead of the defaults: W1 vector length, W2 batch size, W3 points per blob, "
        "W4 chain length N, W5 dimension of x, W6 iterations",
    )
    parser.add_argument("--repeats", type=int, default=None, help="timed samples per implementation (median)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and 1-2 repeats: a smoke test")
    parser.add_argument("--json", default=DEFAULT_JSON, help=f"results JSON path (default {DEFAULT_JSON})")
    parser.add_argument("--png", default=DEFAULT_PNG, help=f"bar chart path (default {DEFAULT_PNG})")
    parser.add_argument("--no-save", action="store_true", help="print the tables only")
    parser.add_argument("--markdown", action="store_true", help="print markdown tables instead of text")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="limit BLAS/OpenMP and torch to this many threads in every implementation and subprocess "
        "(default: each library's own default)",
    )
    args = parser.parse_args(argv)
    if args.size is not None and args.size < 1:
        parser.error(f"--size must be a positive integer, got {args.size}")
    for flag in ("repeats", "threads"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            parser.error(f"--{flag} must be a positive integer, got {value}")
    return args


def limit_threads(n: int) -> None:
    """Cap every thread pool at ``n``: environment variables for subprocesses, live pools here.

    Fewer threads than cores keeps OpenMP/BLAS spin-waiting from distorting timings on a busy machine.
    """
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(n)
    except ImportError:
        print("threadpoolctl not installed: BLAS thread limit applies to subprocesses only", file=sys.stderr)
    if importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(n)


def main(argv: Sequence[str] | None = None) -> List[Measurement]:
    """Run the selected workloads, print their tables, save the results; return every row.

    >>> rows = main(["--workload", "W5", "--quick", "--size", "3", "--no-save"])  # doctest: +ELLIPSIS
    W5 ...
    """
    args = parse_args(argv)
    if args.threads:
        limit_threads(args.threads)
    selected = list(WORKLOADS) if args.workload == "ALL" else [args.workload]
    rows: List[Measurement] = []
    titles = {}
    markdown = []
    for name in selected:
        module = importlib.import_module(WORKLOADS[name])
        start = time.perf_counter()
        found = module.run(size=args.size, repeats=args.repeats, quick=args.quick)
        titles[name] = module.TITLE
        rows += found
        fmt = "markdown" if args.markdown else "text"
        print(format_table(module.TITLE, found, fmt))
        print(f"({time.perf_counter() - start:.1f} s)\n", flush=True)
        markdown.append(format_table(module.TITLE, found, "markdown"))
    env_line = describe_environment()
    print(f"environment: {env_line}")
    if not args.no_save:
        write_json(args.json, titles, rows, sys.argv if argv is None else list(argv))
        with open(os.path.splitext(args.json)[0] + ".md", "w") as out:
            out.write("\n\n".join(markdown) + f"\n\nMeasured with {env_line}.\n")
        try:
            write_png(args.png, titles, rows)
        except ImportError as exc:
            print(f"no PNG: {exc}", file=sys.stderr)
        print(f"wrote {args.json}, {os.path.splitext(args.json)[0]}.md and {args.png}")
    return rows


if __name__ == "__main__":
    main()
