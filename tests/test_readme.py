"""Every code block of README.md runs as written, in order, in a fresh directory, and the numbers it
quotes are the numbers it prints.

- ```python blocks run in one shared namespace (later blocks use earlier names), statement by
  statement. A statement whose trailing comment is a number (``ag.grad(f)(2.0)  # 12.0``) must
  evaluate to it, to the quoted precision; a comment ``# <expr> == <number>`` is checked after
  the statement (``Cube.apply(x).backward()  # x.grad == 12``). Functions named ``test_*`` that a
  block defines are called (a pytest file shown in the README is exercised too).
- ```bash blocks: only their ``python -m nn ...`` commands run (``pip install`` and the like are
  skipped), each must exit 0, and every "double-quoted" text in the line's comment must appear in
  what the command prints (``... # progress bar, then "accuracy: 0.876"``).
- A block that needs an optional package is marked on a line of its own before it:
  ``<!-- requires: pandas -->`` (module names, or the extras plot, cli, test, scipy, sklearn,
  dask); it is skipped, with a note, only when one of them is not installed.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import os
import re
import shlex
import subprocess
import sys
import tokenize
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

EXTRAS = {
    "plot": ["matplotlib"],
    "cli": ["tqdm"],
    "test": ["pytest", "hypothesis"],
    "scipy": ["scipy"],
    "sklearn": ["sklearn"],
    "dask": ["dask", "distributed", "dask_ml"],
}
MARKER = re.compile(r"^\s*<!--\s*requires:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^```\s*([\w+-]*)\s*$")
NUMBER = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"


@dataclass
class Block:
    lang: str
    code: str
    line: int  # README line of the first code line
    requires: List[str] = field(default_factory=list)

    def missing(self) -> List[str]:
        modules = [m for name in self.requires for m in EXTRAS.get(name, [name])]
        return [m for m in modules if importlib.util.find_spec(m) is None]


def extract_blocks(text: str) -> List[Block]:
    """The fenced code blocks of a Markdown text, with the ``requires`` marker preceding each."""
    blocks, pending = [], []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
            assert end is not None, f"README line {i + 1}: code block never closed"
            blocks.append(Block(fence.group(1).lower(), "\n".join(lines[i + 1 : end]), i + 2, pending))
            pending, i = [], end + 1
            continue
        marker = MARKER.match(lines[i])
        if marker:
            pending = [name for name in re.split(r"[\s,]+", marker.group(1)) if name]
        elif lines[i].strip():
            pending = []  # a marker applies to the block right after it (blank lines allowed)
        i += 1
    return blocks


# -- bash ---------------------------------------------------------------------------------------------
def _split_comment(line: str) -> Tuple[str, str]:
    """(command, comment) of one shell line: the comment starts at a ``#`` outside quotes that
    begins a word."""
    quote = None
    for k, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (k == 0 or line[k - 1].isspace()):
            return line[:k], line[k + 1 :]
    return line, ""


def nn_commands(code: str) -> List[Tuple[List[str], List[str], str]]:
    """``(argv after 'python -m nn', expected texts, source line)`` for every ``python -m nn``
    command of a bash block; other commands (pip, pytest) are left out."""
    out = []
    logical, comments = "", []
    for raw in code.splitlines() + [""]:
        command, comment = _split_comment(raw)
        comments.append(comment)
        if command.rstrip().endswith("\\"):
            logical += command.rstrip()[:-1] + " "
            continue
        logical += command
        expected = [text for c in comments for text in re.findall(r'"([^"]+)"', c)]
        lexer = shlex.shlex(logical, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        segment: List[str] = []
        for token in [*lexer, ";"]:
            if token in (";", "&&", "||", "&", "|"):
                if segment[:3] in (["python", "-m", "nn"], ["python3", "-m", "nn"]):
                    out.append((segment[3:], expected, logical.strip()))
                segment = []
            else:
                segment.append(token)
        logical, comments = "", []
    return out


def run_bash(block: Block, cwd: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env["MPLBACKEND"] = "Agg"
    for argv, expected, source in nn_commands(block.code):
        proc = subprocess.run(
            [sys.executable, "-m", "nn", *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )
        where = f"README.md line {block.line}: {source}"
        assert proc.returncode == 0, f"{where}\nexit {proc.returncode}\n{proc.stderr}"
        for text in expected:
            assert text in proc.stdout, (
                f"{where}\nthe README quotes {text!r}, the command printed:\n{proc.stdout}"
            )


# -- python -------------------------------------------------------------------------------------------
def check_quoted(value: Any, quoted: str, where: str) -> None:
    """``value`` equals the number ``quoted`` to the precision it is written with."""
    from autograd_core import Tensor

    if isinstance(value, Tensor):
        value = value.data
    array = np.asarray(value, dtype=np.float64)
    assert array.size == 1, f"{where}: the README quotes {quoted} but the value has shape {array.shape}"
    mantissa = quoted.lower().split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(quoted.lower().split("e")[1]) if "e" in quoted.lower() else 0
    q = float(quoted)
    tol = 0.5 * 10.0 ** (exponent - decimals) if decimals or exponent else 1e-9 * max(1.0, abs(q))
    assert abs(array.item() - q) <= tol, (
        f"{where}: the README quotes {quoted}, the code gives {array.item()!r}"
    )


def check_imports(block: Block, tree: ast.Module, namespace: Dict[str, Any]) -> None:
    """A block that imports anything reads as a script a user copies on its own: it must import
    every module it uses, not lean on an earlier block's import (``nn.data`` without ``import nn``)."""
    imported = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    if not imported:
        return
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    leaning = sorted(n for n in used - imported if isinstance(namespace.get(n), types.ModuleType))
    assert not leaning, (
        f"README.md line {block.line}: this block imports some names but uses {leaning} from an earlier "
        "block; a reader copying it gets a NameError. Import them in the block."
    )


def run_python(block: Block, namespace: Dict[str, Any]) -> None:
    tree = ast.parse(block.code)
    comments = {
        tok.start[0]: tok.string.lstrip("#").strip()
        for tok in tokenize.generate_tokens(io.StringIO(block.code).readline)
        if tok.type == tokenize.COMMENT
    }
    check_imports(block, tree, namespace)
    offset = block.line - 1
    ast.increment_lineno(tree, offset)
    before = set(namespace)
    for stmt in tree.body:
        comment = comments.get(stmt.end_lineno - offset, "")
        where = f"README.md line {stmt.end_lineno}"
        quoted = re.match(rf"({NUMBER})(?:$|[:;,]\s|\s+\()", comment)
        if isinstance(stmt, ast.Expr) and quoted:
            value = eval(compile(ast.Expression(stmt.value), "README.md", "eval"), namespace)
            check_quoted(value, quoted.group(1), where)
            continue
        exec(compile(ast.Module([stmt], []), "README.md", "exec"), namespace)
        claim = re.fullmatch(rf"(.+?)\s*==\s*({NUMBER})", comment)
        if claim:
            check_quoted(eval(claim.group(1), namespace), claim.group(2), where)
    for name in sorted(set(namespace) - before):
        if name.startswith("test_") and callable(namespace[name]):
            namespace[name]()


# -- the tests ------------------------------------------------------------------------------------------
def run_readme(path: Path, workdir: Path) -> List[str]:
    """Run every python/bash block of ``path`` in order in ``workdir``; returns the skipped blocks."""
    blocks = [b for b in extract_blocks(path.read_text(encoding="utf-8")) if b.lang in ("python", "bash")]
    assert sum(b.lang == "python" for b in blocks) >= 5 and sum(b.lang == "bash" for b in blocks) >= 2
    os.chdir(workdir)
    namespace: Dict[str, Any] = {"__name__": "__readme__"}
    skipped = []
    for block in blocks:
        missing = block.missing()
        if missing:
            skipped.append(f"line {block.line} (needs {', '.join(missing)})")
        elif block.lang == "python":
            run_python(block, namespace)
        else:
            run_bash(block, workdir)
    return skipped


def main() -> None:
    """``python -m tests.test_readme README.md``: what the test runs, in a fresh interpreter so
    that the README's own registrations (a custom Primitive, hypothesis tests) stay out of the
    test session."""
    os.environ["MPLBACKEND"] = "Agg"
    try:
        from hypothesis import settings

        settings.register_profile("readme", max_examples=25, derandomize=True, database=None, deadline=None)
        settings.load_profile("readme")
    except ImportError:
        pass
    skipped = run_readme(Path(sys.argv[1]).resolve(), Path.cwd())
    for note in skipped:
        print(f"skipped README block at {note}")


def test_every_readme_block_runs_and_its_quoted_numbers_hold(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.test_readme", str(README)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    notes = [line for line in proc.stdout.splitlines() if line.startswith("skipped README block")]
    if notes:
        warnings.warn("; ".join(notes))


def test_the_extractor_on_a_sample(tmp_path):
    import math

    sample = """Intro.

<!-- requires: no_such_module_xyz -->

```python
x = 1
```

```python
import math
math.sqrt(2.0)  # 1.414
y = 3  # y == 3
def test_inner():
    assert y == 3
```
text between
```bash
pip install -e '.[cli]' && python -m nn train --epochs 2 \\
    --hidden 4  # then "accuracy: 0.5"
python -m pytest -q  # not ours
```
"""
    blocks = extract_blocks(sample)
    assert [(b.lang, b.line, b.requires) for b in blocks] == [
        ("python", 6, ["no_such_module_xyz"]),
        ("python", 10, []),
        ("bash", 18, []),
    ]
    assert blocks[0].missing() == ["no_such_module_xyz"] and blocks[1].missing() == []
    assert Block("python", "", 1, ["plot"]).missing() == [
        m for m in ["matplotlib"] if importlib.util.find_spec(m) is None
    ]
    ((argv, expected, _),) = nn_commands(blocks[2].code)
    assert argv == ["train", "--epochs", "2", "--hidden", "4"] and expected == ["accuracy: 0.5"]
    namespace: Dict[str, Any] = {}
    run_python(blocks[1], namespace)
    assert namespace["y"] == 3
    with pytest.raises(AssertionError, match="quotes 1.5, the code gives 1.41"):
        run_python(Block("python", "import math\nmath.sqrt(2.0)  # 1.5", 1), {})
    with pytest.raises(AssertionError, match="quotes 4"):
        run_python(Block("python", "z = 2  # z == 4", 1), {})
    run_python(Block("python", "import math\nmath.sqrt(2.0)  # 1.414: the quoted text may go on", 1), {})
    with pytest.raises(AssertionError, match=r"uses \['math'\] from an earlier block"):
        run_python(Block("python", "import os\nmath.sqrt(os.cpu_count())", 1), {"math": math})
    with pytest.raises(ValueError, match="called"):
        run_python(Block("python", "def test_x():\n    raise ValueError('called')", 7), {})


if __name__ == "__main__":
    main()
