"""Every script in examples/ runs (quick settings, into tmp_path), prints the lecture's key
numbers and writes a non-empty PNG."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(script, tmp_path, *flags):
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--out", str(tmp_path), *flags],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    png = tmp_path / script.replace(".py", ".png")
    assert png.exists() and png.stat().st_size > 5000, f"{png} missing or empty"
    assert png.read_bytes()[:4] == b"\x89PNG"
    return proc.stdout


def number(pattern, text):
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in output:\n{text}"
    return [float(g) for g in match.groups()]


def test_every_example_is_tested():
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    tested = {
        "perceptron_and_logistic_blobs.py",
        "logistic_fails_on_xor.py",
        "mlp_solves_xor.py",
        "activation_table.py",
        "iris_neuron.py",
        "backprop_worked_example.py",
        "spirals_deep.py",
    }
    assert scripts == tested


def test_perceptron_and_logistic_blobs(tmp_path):
    out = run("perceptron_and_logistic_blobs.py", tmp_path)
    assert "best_fit.predict([[0, 3]]) = [0.0]" in out
    assert "best_fit.predict([[3, 0]]) = [1.0]" in out
    p0, p1 = number(r"predict_proba\(\[\[0, 3\]\]\) = \[\[([\d.]+), ([\d.]+)\]\]", out)
    assert p0 > 0.999 and p1 < 0.001
    p0, p1 = number(r"predict_proba\(\[\[3, 0\]\]\) = \[\[([\d.]+), ([\d.]+)\]\]", out)
    assert p0 < 0.001 and p1 > 0.999
    p0, p1 = number(r"predict_proba\(\[\[2, 2\]\]\) = \[\[([\d.]+), ([\d.]+)\]\]", out)
    assert 0.2 < p0 < 0.8 and abs(p0 + p1 - 1) < 1e-5
    (acc,) = number(r"Perceptron: accuracy ([\d.]+)", out)
    assert acc > 0.95


def test_logistic_fails_on_xor(tmp_path):
    out = run("logistic_fails_on_xor.py", tmp_path)
    (acc,) = number(r"accuracy ([\d.]+)", out)
    assert acc < 0.7


def test_mlp_solves_xor(tmp_path):
    out = run("mlp_solves_xor.py", tmp_path)
    for activation in ("logistic", "relu"):
        acc, epochs = number(rf"activation='{activation}'\): accuracy ([\d.]+), epochs (\d+)", out)
        assert acc > 0.85 and epochs < 10000


def test_activation_table(tmp_path):
    out = run("activation_table.py", tmp_path)
    assert number(r"sigmoid, logistic, soft step\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", out) == [
        0.1192,
        0.5,
        0.8808,
    ]
    assert number(r"binary step\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", out) == [0.0, 1.0, 1.0]
    for name in ("hyperbolic tangent", "ReLU", "leaky ReLU", "swish"):
        assert name in out


def test_iris_neuron_capped(tmp_path):
    out = run("iris_neuron.py", tmp_path, "--max-iter", "2000")
    assert "Iteration 0." in out
    assert number(r"after (\d+) iterations", out) == [2000.0]
    (acc,) = number(r"accuracy \(setosa vs rest\): ([\d.]+)", out)
    assert acc > 0.9


def test_backprop_worked_example(tmp_path):
    out = run("backprop_worked_example.py", tmp_path)
    assert number(r"y = ([\d.]+)", out) == [0.590378]  # the notes' value
    assert number(r"dJ/dy = ([-\d.]+)", out) == [-1.69383]  # the notes' value
    assert number(r"loss: ([\d.]+)", out) == [0.526992]  # -log(0.590378)
    (diff,) = number(r"max \|autograd - formulas\| = ([-\d.e]+)", out)
    assert diff < 1e-12
    # h2's weights get the largest gradient, as the notes point out.
    assert "-2.01341e-01" in out and "-1.20805e-01" in out
    loss, y = number(r"after 100 steps \(lr 0.1\): loss ([\d.]+), y ([\d.]+)", out)
    assert loss < 0.05 and y > 0.95


def test_spirals_deep_quick(tmp_path):
    out = run("spirals_deep.py", tmp_path, "--quick")
    (acc,) = number(r"accuracy: ([\d.]+)", out)
    assert acc > 0.9
