"""The differentiable surface, read off the registry and the public namespaces (never written by hand).

``python -m autograd_core.surface`` prints the Markdown table the README carries between its
``<!-- surface:begin -->`` and ``<!-- surface:end -->`` markers; ``--write README.md`` refreshes it
there, and a test fails when the two differ.

>>> "| `autograd_core.linalg` |" in surface_table()
True
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import re
from types import SimpleNamespace
from typing import List, Optional, Sequence, Tuple

from ._primitive import REGISTRY, Primitive

# The public namespaces, in the order a reader meets them; the scipy ones need scipy.
NAMESPACES = (
    "autograd_core",
    "autograd_core.linalg",
    "autograd_core.fft",
    "autograd_core.scipy.special",
    "autograd_core.scipy.stats",
    "autograd_core.scipy.linalg",
    "autograd_core.scipy.signal",
    "autograd_core.scipy.integrate",
)
BEGIN, END = "<!-- surface:begin -->", "<!-- surface:end -->"


def _ours(module: str, name: str, obj: object) -> Optional[bool]:
    """True for a differentiable op of ours, False for one with no gradient, None if not an op."""
    if isinstance(obj, Primitive):
        return obj.differentiable
    if (
        inspect.isfunction(obj)
        and (obj.__module__ or "").startswith("autograd_core.")
        and not name.startswith("_")
    ):
        if obj.__module__.startswith(("autograd_core._", "autograd_core.testing", "autograd_core.surface")):
            return None  # the engine's own API (grad, gradcheck, ...), not an op
        return True  # a composition of primitives: differentiable through them
    return None


def surface() -> List[Tuple[str, List[str], List[str]]]:
    """``(namespace, differentiable names, names with no gradient)`` for every importable namespace."""
    rows = []
    for module in NAMESPACES:
        if module.startswith("autograd_core.scipy") and importlib.util.find_spec("scipy") is None:
            continue
        ns = importlib.import_module(module)
        names = getattr(ns, "__all__", None) or [n for n in dir(ns) if not n.startswith("_")]
        diff, flat = [], []
        for name in sorted(set(names)):
            obj = getattr(ns, name, None)
            if isinstance(obj, SimpleNamespace):  # a distribution of scipy.stats: its methods
                diff += [
                    f"{name}.{m}" for m in sorted(vars(obj)) if _ours(module, m, getattr(obj, m)) is True
                ]
                continue
            kind = _ours(module, name, obj)
            if kind is not None:
                (diff if kind else flat).append(name)
        rows.append((module, diff, flat))
    return rows


def surface_table() -> str:
    """The Markdown table of :func:`surface`, with the registry's primitive counts under it."""
    lines = ["| namespace | differentiable | no gradient (by design) |", "| --- | --- | --- |"]
    for module, diff, flat in surface():
        lines.append(
            f"| `{module}` | {len(diff)}: {', '.join(diff)} | {len(flat)}: {', '.join(flat) or '-'} |"
        )
    prims = [p for name, p in REGISTRY.items() if not name.startswith("Function:")]
    n_diff = sum(p.differentiable for p in prims)
    lines.append("")
    lines.append(
        f"{len(prims)} primitives are registered ({n_diff} with derivative rules, {len(prims) - n_diff} "
        "piecewise constant); every other name is a composition of them."
    )
    return "\n".join(lines)


def refresh(text: str) -> str:
    """``text`` with the part between the surface markers replaced by a fresh table."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"surface: no {BEGIN} ... {END} markers in the text")
    return pattern.sub(lambda _: f"{BEGIN}\n{surface_table()}\n{END}", text)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Print the table, or with ``--write FILE`` refresh it between the markers in FILE."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd_core.surface", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--write", metavar="FILE", help="refresh the table between the markers in FILE")
    args = parser.parse_args(argv)
    if args.write is None:
        print(surface_table())
        return
    with open(args.write, encoding="utf-8") as f:
        text = f.read()
    with open(args.write, "w", encoding="utf-8") as f:
        f.write(refresh(text))


if __name__ == "__main__":
    main()
