"""Progress bars: tqdm's when installed (estimators with verbose, the CLI, the examples), none without."""

import builtins
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from nn.progress import progress

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_tqdm(monkeypatch):
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "tqdm" or name.startswith("tqdm."):
            raise ImportError("No module named 'tqdm'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)


def test_a_tqdm_bar_when_installed(capsys):
    tqdm = pytest.importorskip("tqdm")
    bar = progress(range(4), desc="demo", unit="epoch")
    assert isinstance(bar, tqdm.tqdm)
    assert list(bar) == [0, 1, 2, 3]
    assert "demo" in capsys.readouterr().err
    with progress(total=5, desc="steps") as manual:
        manual.update(5)
    assert "steps" in capsys.readouterr().err


def test_nothing_shown_without_tqdm_or_when_disabled(no_tqdm, capsys):
    for bar in (progress(range(3), desc="demo"), progress(range(3), desc="demo", enabled=False)):
        assert list(bar) == [0, 1, 2]
        bar.update(2)
        bar.set_postfix(loss=1.0)
        bar.close()
    assert capsys.readouterr() == ("", "")
    with pytest.raises(TypeError, match="nothing to iterate"):
        iter(progress(total=3))


def test_estimator_bar_only_with_verbose(capsys):
    pytest.importorskip("tqdm")
    X, y = nn.data.xor_blobs(n_per_blob=20, seed=0)
    nn.MLPClassifier(hidden_layer_sizes=(3,), max_iter=3, random_state=0).fit(X, y)
    assert capsys.readouterr().err == ""
    nn.MLPClassifier(hidden_layer_sizes=(3,), max_iter=3, random_state=0, verbose=True).fit(X, y)
    err = capsys.readouterr().err
    assert "MLPClassifier" in err and "/3 [" in err


def test_estimator_verbose_without_tqdm_still_fits(no_tqdm, capsys):
    X, y = nn.data.xor_blobs(n_per_blob=20, seed=0)
    clf = nn.MLPRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0, verbose=True).fit(X, y)
    assert clf.n_iter_ == 2 and np.isfinite(clf.loss_)
    assert capsys.readouterr().err == ""


def test_cli_and_examples_show_a_bar(tmp_path):
    pytest.importorskip("tqdm")
    pytest.importorskip("matplotlib")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    cli = subprocess.run(
        [sys.executable, "-m", "nn", "train", "--epochs", "3", "--n-samples", "40"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert "train:" in cli.stderr and "epoch" in cli.stderr
    for script, flags, bar in (
        ("iris_neuron.py", ["--max-iter", "200"], "gradient ascent:"),
        ("spirals_deep.py", ["--epochs", "2"], "train:"),
    ):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "examples" / script), "--out", str(tmp_path), *flags],
            capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert bar in proc.stderr and "%|" in proc.stderr, (script, proc.stderr)
