"""The README's table of the differentiable surface is the one the registry generates."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import autograd_core as ag
from autograd_core import surface

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.skipif(
    importlib.util.find_spec("scipy") is None, reason="the README's table includes the scipy rows"
)
def test_readme_table_is_the_generated_one():
    # A fresh interpreter: other tests register primitives of their own in this one's REGISTRY.
    fresh = subprocess.run(
        [sys.executable, "-m", "autograd_core.surface"], capture_output=True, text=True, check=True
    ).stdout.strip()
    text = README.read_text(encoding="utf-8")
    assert f"{surface.BEGIN}\n{fresh}\n{surface.END}" in text, (
        "run: python -m autograd_core.surface --write README.md"
    )


def test_every_differentiable_primitive_in_a_namespace_is_listed():
    listed = {name for _, diff, _ in surface.surface() for name in diff}
    public = {n for n in dir(ag) if isinstance(getattr(ag, n), ag.Primitive)}
    assert {n for n in public if getattr(ag, n).differentiable} <= listed
    assert "det" in listed and "fft" in listed


def test_refresh_needs_the_markers():
    with pytest.raises(ValueError, match="markers"):
        surface.refresh("no table here")
