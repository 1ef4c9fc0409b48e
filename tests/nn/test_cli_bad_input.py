"""``python -m nn``'s promise for bad input (issue 12): one line on stderr, exit status 2, no
traceback, nothing written; checks run before training, and resource errors are user errors."""

import subprocess
import sys
import time

import numpy as np
import pytest

import nn
import nn.cli

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    model = d / "model.npz"
    assert (
        nn.cli.main(["train", "--epochs", "1", "--no-progress", "--hidden", "4", "--save", str(model)]) == 0
    )
    state, meta = nn.load(model, with_metadata=True)
    nan_state = {k: v.copy() for k, v in state.items()}
    nan_state["layers.0.weight"][0, 0] = np.nan
    nn.save(nan_state, d / "nan.npz", metadata=meta)
    nn.save(state, d / "huge.npz", metadata={**meta, "hidden": [100000, 100000]})
    nn.save(state, d / "deep.npz", metadata={**meta})
    blob = (d / "deep.npz").read_bytes()
    (d / "garbage.npz").write_bytes(blob[: len(blob) // 2])
    (d / "points.csv").write_text("x0,x1\n0,0\n3,0\n")
    (d / "three.csv").write_text("1,2,3\n")
    (d / "text.csv").write_text("a,b\n1,x\n")
    (d / "nan.csv").write_text("a,b,c\n1,nan,0\n2,3,1\n")
    (d / "one_class.csv").write_text("a,b,c\n1,2,0\n2,3,0\n")
    (d / "adir").mkdir()
    est = nn.LogisticRegression().fit(*nn.data.blobs(n_per_blob=10, seed=0))
    nn.save(est, d / "estimator.npz")
    return d


def _predict(model, csv="points.csv"):
    return ["predict", "--model", model, "--csv", csv]


CASES = [
    (["train", "--plot", "out.xyz"], "matplotlib cannot write .xyz files"),
    (["train", "--plot", "no/such/dir/x.png"], "does not exist"),
    (["train", "--plot", "adir"], "adir is a directory"),
    (["train", "--save", "adir"], "adir is a directory"),
    (["train", "--hidden", "100000,100000"], "parameters need about"),
    (["train", "--dataset", "iris", "--hidden", "100000000"], "parameters need about"),
    (["train", "--dataset", "csv", "--csv", "missing.csv"], "no such file"),
    (["train", "--dataset", "csv", "--csv", "nan.csv"], "NaN or infinity"),
    (["train", "--dataset", "csv", "--csv", "one_class.csv"], "single class"),
    (_predict("missing.npz"), "no such model file"),
    (_predict("adir"), "is a directory"),
    (_predict("garbage.npz"), "not a valid model file"),
    (_predict("points.csv"), "not a valid model file"),
    (_predict("nan.npz"), "NaN or infinite"),
    (_predict("huge.npz"), "do not match the saved architecture"),
    (_predict("estimator.npz"), "not written by 'python -m nn train --save'"),
    (_predict("model.npz", "three.csv"), "3 feature columns, but the model expects 2"),
    (_predict("model.npz", "text.csv"), "'x' is not a number"),
    (_predict("model.npz", "missing.csv"), "no such file"),
]


@pytest.mark.parametrize("args,message", CASES, ids=[" ".join(a) for a, _ in CASES])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(files, monkeypatch, capsys, args, message):
    monkeypatch.chdir(files)
    before = sorted(p.name for p in files.rglob("*"))
    start = time.perf_counter()
    status = nn.cli.main([*args, "--no-progress"] if args[0] == "train" else args)
    seconds = time.perf_counter() - start
    err = capsys.readouterr().err
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert sorted(p.name for p in files.rglob("*")) == before  # nothing written
    assert seconds < 5  # refused before training, not after


def test_a_memory_error_is_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(nn.cli, "_check_size", lambda *a: None)  # as if the estimate were too low
    monkeypatch.setattr(nn.layers.MLP, "__init__", exhausted)
    assert nn.cli.main(["train", "--epochs", "1", "--no-progress", "--save", "m.npz"]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "python -m nn train: error: out of memory; use a smaller model or data"
    )
    assert list(tmp_path.iterdir()) == []


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "nn", *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_plot_format_is_checked_before_training_and_the_real_path_printed(tmp_path):
    proc = _cli("train", "--epochs", "100000", "--plot", "out.xyz", cwd=tmp_path)  # would train for minutes
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "cannot write .xyz" in proc.stderr
    assert proc.stdout == "" and list(tmp_path.iterdir()) == []
    proc = _cli("train", "--epochs", "2", "--no-progress", "--plot", "noext", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "plot: noext.png" in proc.stdout.splitlines()
    assert (tmp_path / "noext.png").read_bytes()[:4] == b"\x89PNG"


def test_huge_hidden_layers_from_the_shell(tmp_path):
    proc = _cli("train", "--hidden", "100000,100000", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "parameters need about" in proc.stderr
    assert list(tmp_path.iterdir()) == []
