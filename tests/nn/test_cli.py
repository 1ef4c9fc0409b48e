"""``python -m nn`` as a user runs it: a subprocess per command."""

import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")


def nn_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "nn", *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    proc = nn_cli(
        "train", "--dataset", "xor", "--hidden", "8,8", "--activation", "relu", "--optimizer", "adam",
        "--lr", "0.01", "--epochs", "15", "--batch-size", "64", "--seed", "0",
        "--plot", tmp / "xor.png", "--save", tmp / "xor.npz",
    )  # fmt: skip
    return tmp, proc


def test_train_prints_accuracy_and_writes_plot_and_model(trained):
    tmp, proc = trained
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    accuracy = [line for line in lines if line.startswith("accuracy: ")]
    assert len(accuracy) == 1 and float(accuracy[0].split()[1]) > 0.8
    png = (tmp / "xor.png").read_bytes()
    assert png[:4] == b"\x89PNG" and len(png) > 5000
    assert (tmp / "xor.npz").stat().st_size > 0


def test_predict_from_saved_model(trained):
    tmp, _ = trained
    (tmp / "points.csv").write_text("x0,x1\n0,0\n3,0\n0,3\n3,3\n")
    proc = nn_cli("predict", "--model", tmp / "xor.npz", "--csv", tmp / "points.csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "1", "1", "0"]
    proc = nn_cli("predict", "--model", tmp / "xor.npz", "--csv", tmp / "points.csv", "--proba")
    rows = proc.stdout.splitlines()
    assert rows[0] == "prediction,p(0),p(1)" and len(rows) == 5
    assert abs(sum(float(v) for v in rows[1].split(",")[1:]) - 1) < 1e-3


def test_train_and_predict_on_a_csv_with_text_labels(tmp_path):
    lines = ["a,b,kind"] + [f"{i % 7},{(i * 3) % 5},{'big' if i % 7 > 3 else 'small'}" for i in range(60)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n")
    proc = nn_cli(
        "train", "--dataset", "csv", "--csv", tmp_path / "d.csv", "--target-column", "kind",
        "--epochs", "40", "--no-progress", "--save", tmp_path / "m.npz",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout.split("accuracy: ")[1].split()[0]) > 0.9
    # The training file itself: its target column is recognised and skipped.
    proc = nn_cli("predict", "--model", tmp_path / "m.npz", "--csv", tmp_path / "d.csv")
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.split()) <= {"big", "small"} and len(proc.stdout.split()) == 60


def test_help_documents_every_flag():
    top = nn_cli("--help")
    assert top.returncode == 0 and "train" in top.stdout and "predict" in top.stdout
    train = nn_cli("train", "--help").stdout
    for flag in (
        "--dataset", "--csv", "--target-column", "--hidden", "--activation", "--optimizer", "--lr",
        "--epochs", "--batch-size", "--seed", "--plot", "--save", "--n-samples", "--no-progress", "--eager",
    ):  # fmt: skip
        assert flag in train, flag
    predict = nn_cli("predict", "--help").stdout
    for flag in ("--model", "--csv", "--proba"):
        assert flag in predict


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--bogus"], "unrecognized arguments: --bogus"),
        (["train", "--dataset", "mnist"], "invalid choice: 'mnist'"),
        (["train", "--hidden", "8,x"], "expected comma-separated positive ints"),
        (["train", "--lr", "-1"], "expected a positive float"),
        (["train", "--activation", "rleu"], "invalid choice: 'rleu'"),
        (["train", "--dataset", "csv"], "--dataset csv needs --csv PATH"),
        (["train", "--dataset", "csv", "--csv", "/no/such.csv"], "no such file: /no/such.csv"),
        (["train", "--plot", "/no/such/dir/x.png", "--epochs", "1"], "directory /no/such/dir does not exist"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["predict", "--csv", "x.csv"], "the following arguments are required: --model"),
    ],
)
def test_bad_flags_and_files_give_one_line_and_status_2(args, message):
    proc = nn_cli(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert message in proc.stderr


@pytest.mark.parametrize("content", [b"", b"not a zip file at all", b"PK\x03\x04" + b"\x00" * 40])
def test_missing_or_corrupt_model_file(tmp_path, content):
    (tmp_path / "p.csv").write_text("1,2\n")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    for model in (bad, tmp_path / "missing.npz", tmp_path):
        proc = nn_cli("predict", "--model", model, "--csv", tmp_path / "p.csv")
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_foreign_weight_file_and_non_numeric_csv(tmp_path, trained):
    import numpy as np

    import nn

    nn.save({"w": np.ones(2)}, tmp_path / "foreign.npz")
    (tmp_path / "p.csv").write_text("1,2\n")
    proc = nn_cli("predict", "--model", tmp_path / "foreign.npz", "--csv", tmp_path / "p.csv")
    assert proc.returncode == 2 and "not written by 'python -m nn train --save'" in proc.stderr
    (tmp_path / "text.csv").write_text("a,b\n1,x\n")
    proc = nn_cli("predict", "--model", trained[0] / "xor.npz", "--csv", tmp_path / "text.csv")
    assert proc.returncode == 2 and "'x' is not a number" in proc.stderr and "Traceback" not in proc.stderr


def test_top_level_help_lists_every_flag_of_both_commands():
    top = nn_cli("--help").stdout
    for flag in (
        "--dataset", "--csv", "--target-column", "--hidden", "--activation", "--optimizer", "--lr",
        "--epochs", "--batch-size", "--seed", "--plot", "--save", "--n-samples", "--no-progress", "--eager",
        "--model", "--proba",
    ):  # fmt: skip
        assert flag in top, flag
    assert "python -m nn train" in top and "python -m nn predict" in top


def test_csv_alone_implies_dataset_csv(tmp_path):
    lines = ["a,b,label"] + [f"{i % 5},{i % 3},{int(i % 5 > 2)}" for i in range(40)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n")
    proc = nn_cli("train", "--csv", tmp_path / "d.csv", "--epochs", "30", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout.split("accuracy: ")[1].split()[0]) > 0.9
    proc = nn_cli("train", "--dataset", "xor", "--csv", tmp_path / "d.csv")
    assert (
        proc.returncode == 2 and "--csv is only used with --dataset csv (drop --dataset xor)" in proc.stderr
    )


@pytest.mark.parametrize("dataset", ["iris", "csv"])
def test_n_samples_with_a_fixed_size_dataset_is_refused(dataset, tmp_path):
    (tmp_path / "d.csv").write_text("1,2,0\n2,1,1\n")
    proc = nn_cli("train", "--dataset", dataset, "--csv", tmp_path / "d.csv", "--n-samples", "50")
    if dataset == "iris":
        proc = nn_cli("train", "--dataset", "iris", "--n-samples", "50")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"--dataset {dataset} has a fixed size, drop --n-samples" in proc.stderr


def test_step_activation_warns_that_hidden_layers_cannot_learn():
    proc = nn_cli("train", "--activation", "step", "--epochs", "2", "--n-samples", "40", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "warning: --activation step has a zero gradient" in proc.stderr
    assert "hidden layers cannot learn" in proc.stderr
    proc = nn_cli("train", "--activation", "relu", "--epochs", "2", "--n-samples", "40", "--no-progress")
    assert "warning" not in proc.stderr


def test_plot_title_and_axis_names(monkeypatch, tmp_path, capsys):
    from nn import cli, plot

    seen = {}
    monkeypatch.setattr(plot, "decision_boundary", lambda *a, **kw: seen.update(kw))
    status = cli.main(
        [
            "train",
            "--hidden",
            "8",
            "--epochs",
            "1",
            "--n-samples",
            "40",
            "--no-progress",
            "--plot",
            str(tmp_path / "p.png"),
        ]
    )
    assert status == 0
    assert seen["title"] == "MLP 8 hidden, relu" and seen["feature_names"] == ["x0", "x1"]


def _train_in_process(monkeypatch, path, *flags):
    """``python -m nn train`` in this process on three spiral arms (a short last batch); returns
    the compiled step it made, if any, and what it printed."""
    import contextlib
    import io

    from nn import cli
    from nn.estimators import _compiled

    made = []
    original = _compiled.backward_step
    monkeypatch.setattr(_compiled, "backward_step", lambda *a: made.append(original(*a)) or made[-1])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        args = ["train", "--dataset", "spirals", "--n-samples", "50", "--epochs", "60", "--batch-size", "32"]
        assert cli.main([*args, "--seed", "3", "--no-progress", "--save", str(path), *flags]) == 0
    return made[0], out.getvalue().replace(str(path), "MODEL")


def test_compiled_and_eager_training_save_bit_identical_weights(monkeypatch, tmp_path):
    import numpy as np

    import nn

    step, printed = _train_in_process(monkeypatch, tmp_path / "compiled.npz")
    # one trace per batch shape (32 rows and the last 18), then replays: the one-hot targets are
    # float inputs, not values to re-trace on
    assert step.stats["traces"] == 2 and step.stats["replays"] == 60 * 2 - 2
    eager_step, eager_printed = _train_in_process(monkeypatch, tmp_path / "eager.npz", "--eager")
    assert not hasattr(eager_step, "stats") and eager_printed == printed
    with nn.estimators.eager_training():
        _, switched_printed = _train_in_process(monkeypatch, tmp_path / "switched.npz")
    assert switched_printed == printed and "accuracy: " in printed and "saved: " in printed
    short_step, _ = _train_in_process(monkeypatch, tmp_path / "short.npz", "--epochs", "2")
    assert not hasattr(short_step, "stats")  # two full batches would not repay the traces: eager
    saved = [np.load(tmp_path / f"{name}.npz") for name in ("compiled", "eager", "switched")]
    assert sorted(saved[0].files) == sorted(saved[1].files) == sorted(saved[2].files)
    for key in saved[0].files:
        for other in saved[1:]:
            assert saved[0][key].dtype == other[key].dtype
            np.testing.assert_array_equal(saved[0][key], other[key])
