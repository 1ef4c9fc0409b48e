"""``python -m nn``: train an MLP classifier on a built-in dataset or a CSV file, plot it, save
it, and predict with a saved model.

    python -m nn train --dataset xor --hidden 8,8 --activation relu --epochs 100 --plot xor.png --save xor.npz
    python -m nn predict --model xor.npz --csv points.csv

Every misuse (a bad flag, a missing or corrupt file, non-numeric data) prints one line on
stderr and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

DATASETS = ("xor", "blobs", "spirals", "iris", "csv")
OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop", "adagrad")
MODEL_KIND = "nn.cli.mlp-classifier"


class CLIError(Exception):
    """A user error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (plus the --help hint), exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _hidden_sizes(text: str) -> List[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip() != ""]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive ints such as 8,8, got {text!r}"
        ) from None
    if not sizes or any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError(f"expected comma-separated positive ints such as 8,8, got {text!r}")
    return sizes


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}") from None
        if not value > 0 or not np.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}")
        return value

    return parse


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative int, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative int, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m nn`` argument parser (subcommands ``train`` and ``predict``)."""
    from . import ACTIVATIONS

    parser = _Parser(
        prog="python -m nn",
        description="Train and use small MLP classifiers built on autograd_core.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="{train,predict}", parser_class=_Parser)
    sub.required = True

    train = sub.add_parser(
        "train",
        help="train an MLP classifier, print its accuracy, optionally plot and save it",
        description="Train an MLP classifier with cross-entropy on a dataset and report its training accuracy.",
    )
    train.add_argument(
        "--dataset",
        choices=DATASETS,
        default=None,
        help="xor: the lecture's XOR of four blobs; blobs: two blobs at (0,3),(3,0); spirals: three "
        "spiral arms; iris: Fisher's iris (4 features, 3 classes); csv: your file given by --csv "
        "(default: csv when --csv is given, else xor)",
    )
    train.add_argument(
        "--csv", metavar="PATH", help="CSV file to train on (implies --dataset csv; a header row is optional)"
    )
    train.add_argument(
        "--target-column",
        metavar="NAME_OR_INDEX",
        default=None,
        help="the CSV column holding the class labels: a header name or a 0-based index (default: the last column)",
    )
    train.add_argument(
        "--n-samples",
        type=_positive(int),
        default=None,
        metavar="N",
        help="points to generate for xor/blobs/spirals (default: 1000 for xor, blobs and 300 for spirals); "
        "refused with iris and csv, whose size is fixed",
    )
    train.add_argument(
        "--hidden",
        type=_hidden_sizes,
        default=[8, 8],
        metavar="SIZES",
        help="hidden layer sizes (default: 8,8)",
    )
    train.add_argument(
        "--activation",
        default="relu",
        choices=[a for a in ACTIVATIONS if a not in ("softmax", "log_softmax")],
        metavar="NAME",
        help=f"hidden activation, one of: {', '.join(a for a in ACTIVATIONS if a not in ('softmax', 'log_softmax'))} "
        "(default: relu; step has zero gradient, so with it only the output layer learns)",
    )
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="adam", help="optimizer (default: adam)")
    train.add_argument("--lr", type=_positive(float), default=0.01, help="learning rate (default: 0.01)")
    train.add_argument(
        "--epochs", type=_positive(int), default=100, help="passes over the data (default: 100)"
    )
    train.add_argument("--batch-size", type=_positive(int), default=32, help="mini-batch size (default: 32)")
    train.add_argument(
        "--seed", type=_non_negative_int, default=0, help="seed of data, weights, shuffling (default: 0)"
    )
    train.add_argument(
        "--plot",
        metavar="PNG",
        help="write a figure: the decision boundary for 2-feature data, else the loss curve (needs matplotlib)",
    )
    train.add_argument(
        "--save", metavar="NPZ", help="save the trained model (weights + architecture) to this .npz"
    )
    train.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines")
    train.add_argument(
        "--eager",
        action="store_true",
        help="train with eager steps instead of compiled ones (the same weights to the last bit, only slower; "
        "also when nn.estimators.COMPILED_TRAINING is False)",
    )

    predict = sub.add_parser(
        "predict",
        help="print a saved model's prediction for every row of a CSV file",
        description="Load a model saved by 'train --save' and print one predicted label per CSV row.",
    )
    predict.add_argument(
        "--model", required=True, metavar="NPZ", help="a model file written by 'train --save'"
    )
    predict.add_argument(
        "--csv",
        required=True,
        metavar="PATH",
        help="rows to classify: the model's feature columns (a header row is optional; a column named "
        "like the training target is ignored)",
    )
    predict.add_argument("--proba", action="store_true", help="also print each class's probability")
    # The top-level --help lists every flag of both commands, not only their names.
    parser.epilog = "\n".join(
        f"{'=' * 8} python -m nn {name} {'=' * 8}\n{command.format_help()}"
        for name, command in (("train", train), ("predict", predict))
    )
    return parser


# -- data ------------------------------------------------------------------------------------
def _read_csv(path: str) -> Tuple[Optional[List[str]], List[List[str]]]:
    """(header or None, rows of strings); a first row with any non-number is a header."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = [row for row in csv.reader(f) if row and any(cell.strip() for cell in row)]
    except FileNotFoundError:
        raise CLIError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise CLIError(f"cannot read CSV {path}: {err}") from None
    if not rows:
        raise CLIError(f"CSV {path} has no rows")
    header = None
    if any(not _is_number(cell) for cell in rows[0]):
        header, rows = [cell.strip() for cell in rows[0]], rows[1:]
    if not rows:
        raise CLIError(f"CSV {path} has a header but no data rows")
    width = len(header) if header else len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise CLIError(f"CSV {path}: row {i + 1} has {len(row)} columns, expected {width}")
    return header, rows


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _numeric(rows: List[List[str]], columns: Sequence[int], path: str) -> np.ndarray:
    out = np.empty((len(rows), len(columns)))
    for i, row in enumerate(rows):
        for j, c in enumerate(columns):
            try:
                out[i, j] = float(row[c])
            except ValueError:
                raise CLIError(f"CSV {path}: row {i + 1}, column {c}: {row[c]!r} is not a number") from None
    if not np.isfinite(out).all():
        raise CLIError(f"CSV {path}: features contain NaN or infinity")
    return out


def _load_dataset(args: argparse.Namespace) -> Tuple[np.ndarray, np.ndarray, List[str], str]:
    """(X, y as strings, feature names, target name)."""
    from . import data

    n = args.n_samples
    if args.dataset is None:  # --csv alone means the CSV dataset
        args.dataset = "csv" if args.csv else "xor"
    if args.dataset != "csv" and args.csv:
        raise CLIError(f"--csv is only used with --dataset csv (drop --dataset {args.dataset})")
    if n is not None and args.dataset in ("iris", "csv"):
        raise CLIError(
            f"--n-samples only sizes the generated datasets (xor, blobs, spirals); "
            f"--dataset {args.dataset} has a fixed size, drop --n-samples"
        )
    if args.dataset == "xor":
        X, y = data.xor_blobs(n_per_blob=max(1, (n or 1000) // 4), seed=args.seed)
    elif args.dataset == "blobs":
        X, y = data.blobs(n_per_blob=max(1, (n or 1000) // 2), seed=args.seed)
    elif args.dataset == "spirals":
        X, y = data.spirals(n_per_arm=max(1, (n or 300) // 3), seed=args.seed)
    elif args.dataset == "iris":
        X, y = data.iris()
        names = list(data.IRIS_CLASSES)
        return X, np.array([names[i] for i in y]), list(data.IRIS_FEATURES), "species"
    else:
        if not args.csv:
            raise CLIError("--dataset csv needs --csv PATH")
        header, rows = _read_csv(args.csv)
        width = len(rows[0])
        if width < 2:
            raise CLIError(f"CSV {args.csv} needs at least one feature column and a target column")
        target = _target_index(args.target_column, header, width, args.csv)
        features = [c for c in range(width) if c != target]
        X = _numeric(rows, features, args.csv)
        y = np.array([row[target].strip() for row in rows])
        names = [header[c] for c in features] if header else [f"x{c}" for c in features]
        return X, y, names, header[target] if header else f"column {target}"
    return X, np.array([str(v) for v in y]), [f"x{i}" for i in range(X.shape[1])], "class"


def _target_index(spec: Optional[str], header: Optional[List[str]], width: int, path: str) -> int:
    if spec is None:
        return width - 1
    if header and spec in header:
        return header.index(spec)
    try:
        index = int(spec)
    except ValueError:
        known = f"; columns are {header}" if header else " (the file has no header row)"
        raise CLIError(f"--target-column {spec!r} is not a column of {path}{known}") from None
    if not -width <= index < width:
        raise CLIError(f"--target-column {index} is out of range for {path} with {width} columns")
    return index % width


# -- train ---------------------------------------------------------------------------------------
def _optimizer(name: str, params: Any, lr: float) -> Any:
    from . import optim

    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=0.9)
    return {"adam": optim.Adam, "adamw": optim.AdamW, "rmsprop": optim.RMSprop, "adagrad": optim.Adagrad}[
        name
    ](params, lr=lr)


def _progress(epochs: int, enabled: bool) -> Tuple[Any, Any]:
    """An iterator over epochs and a function reporting the loss: tqdm's bar if installed (the
    optional ``cli`` extra), else a plain line every tenth of the run."""
    if not enabled:
        return range(epochs), lambda epoch, loss: None
    try:
        from tqdm import tqdm
    except ImportError:
        every = max(1, epochs // 10)

        def report(epoch: int, loss: float) -> None:
            if (epoch + 1) % every == 0 or epoch + 1 == epochs:
                print(f"epoch {epoch + 1}/{epochs}: loss {loss:.4f}", flush=True)

        return range(epochs), report
    bar = tqdm(range(epochs), desc="train", unit="epoch", leave=False, dynamic_ncols=True)
    return bar, lambda epoch, loss: bar.set_postfix(loss=f"{loss:.4f}", refresh=False)


def train(args: argparse.Namespace) -> int:
    """Train, report accuracy, then plot and save as asked."""
    from autograd_core import no_grad

    from . import data
    from .estimators._compiled import backward_step, class_targets, worth_compiling
    from .layers import MLP
    from .losses import CrossEntropyLoss
    from .persistence import save

    X, labels, feature_names, target_name = _load_dataset(args)
    if args.activation in ("step", "binary_step"):
        print(
            "python -m nn train: warning: --activation step has a zero gradient everywhere (by design), so "
            "the hidden layers cannot learn and keep their random weights; only the output layer trains. "
            "Use sigmoid, tanh or relu for hidden layers that learn.",
            file=sys.stderr,
        )
    classes, y = np.unique(labels, return_inverse=True)
    if len(classes) < 2:
        raise CLIError(f"the target has a single class ({classes[0]!r}); a classifier needs at least 2")
    plot_path = _plot_path(args.plot) if args.plot else None
    if args.save:
        _check_writable(args.save, "--save")
    _check_size(X.shape[1], args.hidden, len(classes))
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0  # constant columns: centre them only
    Xs = (X - mean) / scale
    model = MLP(
        X.shape[1], args.hidden, len(classes), activation=args.activation, dtype=np.float64, seed=args.seed
    )
    opt = _optimizer(args.optimizer, model.parameters(), args.lr)
    loss_fn = CrossEntropyLoss()
    # One-hot float targets where their size allows: a compiled step takes them as inputs, where
    # integer labels would be compared by value and re-trace on every shuffled batch.
    targets = class_targets(y, len(classes), X.shape[1])
    loader = data.DataLoader(Xs, targets, batch_size=args.batch_size, shuffle=True, seed=args.seed)
    full_batches = args.epochs * (len(Xs) // args.batch_size)
    compiled = not args.eager and targets.dtype.kind == "f" and worth_compiling(full_batches)
    step = backward_step(lambda xb, tb: loss_fn(model(xb), tb), compiled)
    epochs, report = _progress(args.epochs, not args.no_progress)
    losses = []
    for epoch in epochs:
        total = 0.0
        for xb, tb in loader:
            opt.zero_grad()
            value = float(step(xb, tb))  # forward and backward: the parameters' .grad are set
            opt.step()
            total += value * len(xb)
        losses.append(total / len(Xs))
        if not np.isfinite(losses[-1]):
            raise CLIError(f"training diverged at epoch {epoch + 1} (loss {losses[-1]}); try a smaller --lr")
        report(epoch, losses[-1])
    if hasattr(epochs, "close"):
        epochs.close()
    with no_grad():
        predicted = model(Xs).data.argmax(axis=1)
    print(f"final loss: {losses[-1]:.4f}")
    print(f"accuracy: {(predicted == y).mean():.3f}")
    if plot_path:
        _plot(plot_path, model, X, y, mean, scale, losses, classes, feature_names)
        print(f"plot: {plot_path}")
    if args.save:
        metadata = {
            "kind": MODEL_KIND,
            "in_features": int(X.shape[1]),
            "hidden": [int(h) for h in args.hidden],
            "out_features": len(classes),
            "activation": args.activation,
            "classes": [str(c) for c in classes],
            "feature_names": feature_names,
            "target_name": target_name,
            "mean": mean.tolist(),
            "scale": scale.tolist(),
        }
        try:
            save(model, args.save, metadata=metadata)
        except OSError as err:
            raise CLIError(f"cannot write --save {args.save}: {err}") from None
        print(f"saved: {args.save}")
    return 0


def _check_writable(path: str, flag: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise CLIError(f"{flag} {path}: directory {directory} does not exist")
    if os.path.isdir(path):
        raise CLIError(f"{flag} {path} is a directory")


def _plot_path(path: str) -> str:
    """The file ``--plot`` will write (matplotlib adds ``.png`` to a name without a suffix),
    checked before training: the directory exists and matplotlib can write the format."""
    _check_writable(path, "--plot")
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise CLIError(
            "--plot needs matplotlib, an optional extra: pip install 'autograd-core[plot]'"
        ) from None
    suffix = os.path.splitext(path)[1][1:].lower()
    if not suffix:
        return path + ".png"
    formats = FigureCanvasAgg(Figure()).get_supported_filetypes()
    if suffix not in formats:
        raise CLIError(
            f"--plot {path}: matplotlib cannot write .{suffix} files; use one of: {', '.join(sorted(formats))}"
        )
    return path


# Training holds each parameter about six times (value, gradient, optimizer moments, copies).
_BYTES_PER_PARAMETER = 6 * 8


def _check_size(n_in: int, hidden: Sequence[int], n_out: int) -> None:
    """Refuse, before allocating, a network that cannot fit in this machine's memory."""
    sizes = [n_in, *hidden, n_out]
    n_params = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not POSIX: a MemoryError is caught in main
        return
    if n_params * _BYTES_PER_PARAMETER > memory:
        raise CLIError(
            f"--hidden {','.join(map(str, hidden))}: {n_params:,} parameters need about "
            f"{n_params * _BYTES_PER_PARAMETER / 2**30:.0f} GiB to train, more than this machine's "
            f"{memory / 2**30:.0f} GiB; use smaller layers"
        )


def _plot(
    path: str,
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    mean: Any,
    scale: Any,
    losses: List[float],
    classes: Any,
    feature_names: List[str],
) -> None:
    try:
        from . import plot
    except ImportError as err:  # pragma: no cover - plot itself imports nothing optional
        raise CLIError(str(err)) from None
    try:
        if X.shape[1] == 2:
            labels = np.asarray(classes)[y]

            def scores(points: np.ndarray) -> Any:
                return model((points - mean) / scale)

            plot.decision_boundary(
                scores, X, labels, path=path, title=plot.describe(model), feature_names=feature_names
            )
        else:
            plot.loss_curve(
                losses,
                path=path,
                title=f"{plot.describe(model)}: training loss ({X.shape[1]} features, no 2-D boundary)",
            )
    except (ImportError, ValueError) as err:  # ValueError: nn.plot could not write the file
        raise CLIError(str(err)) from None


# -- predict ---------------------------------------------------------------------------------------
def predict(args: argparse.Namespace) -> int:
    """Print one predicted label per CSV row (and probabilities with --proba)."""
    import autograd_core as ag

    from .layers import MLP
    from .persistence import PersistenceError, load

    try:
        state, meta = load(args.model, with_metadata=True)
    except FileNotFoundError:
        raise CLIError(f"no such model file: {args.model}") from None
    except IsADirectoryError:
        raise CLIError(f"--model {args.model} is a directory, not a model file") from None
    except PersistenceError as err:
        raise CLIError(f"not a valid model file: {err}") from None
    except OSError as err:
        raise CLIError(f"cannot read model file {args.model}: {err}") from None
    spec = _model_spec(args.model, state, meta)
    n_in, n_out = spec["in_features"], len(spec["classes"])
    model = MLP(n_in, spec["hidden"], n_out, activation=spec["activation"], dtype=np.float64)
    model.load_state_dict(state)
    mean, scale = spec["mean"], spec["scale"]
    header, rows = _read_csv(args.csv)
    width, d = len(rows[0]), spec["in_features"]
    columns = list(range(width))
    if header is not None and spec["target_name"] in header and width == d + 1:
        columns.remove(header.index(spec["target_name"]))
    if len(columns) != d:
        raise CLIError(f"CSV {args.csv} has {len(columns)} feature columns, but the model expects {d}")
    X = _numeric(rows, columns, args.csv)
    with ag.no_grad():
        logits = model((X - mean) / scale).data
    proba = ag.softmax(logits, axis=1)
    classes = spec["classes"]
    if args.proba:
        print("prediction," + ",".join(f"p({c})" for c in classes))
    for label_index, p in zip(logits.argmax(axis=1), proba):
        label = classes[label_index]
        print(label + ("," + ",".join(f"{v:.4f}" for v in p) if args.proba else ""))
    return 0


def _model_spec(path: str, state: Any, meta: dict) -> dict:
    """The architecture in a model file's metadata, every field checked, and checked against
    the weights' shapes, before anything is built from it."""
    from . import ACTIVATIONS

    if not isinstance(state, dict) or meta.get("kind") != MODEL_KIND:
        raise CLIError(f"{path} was not written by 'python -m nn train --save' (no architecture metadata)")

    def bad(field: str, why: str) -> CLIError:
        return CLIError(f"{path}: invalid model file: {field!r} {why}")

    def count(field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad(field, f"must be a positive int, got {str(value)[:60]}")
        return value

    required = ("in_features", "hidden", "out_features", "activation", "classes", "mean", "scale")
    missing = [k for k in required if k not in meta]
    if missing:
        raise bad(missing[0], "is missing")
    d = count("in_features", meta["in_features"])
    hidden = meta["hidden"]
    if not isinstance(hidden, list):
        raise bad("hidden", f"must be a list of positive ints, got {str(hidden)[:60]}")
    hidden = [count("hidden", h) for h in hidden]
    classes = meta["classes"]
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
        raise bad("classes", f"must be a list of strings, got {str(classes)[:60]}")
    if len(classes) < 2 or len(set(classes)) != len(classes):
        raise bad("classes", f"must name at least 2 distinct classes, got {classes[:5]}")
    if count("out_features", meta["out_features"]) != len(classes):
        raise bad("out_features", f"is {meta['out_features']} but there are {len(classes)} classes")
    activation = meta["activation"]
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise bad("activation", f"is not one of nn.ACTIVATIONS: {str(activation)[:60]}")
    vectors = {}
    for field in ("mean", "scale"):
        value = meta[field]
        if (
            not isinstance(value, list)
            or len(value) != d
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        ):
            raise bad(field, f"must be a list of {d} numbers, got {str(value)[:60]}")
        vectors[field] = np.array(value, dtype=np.float64)
    if not (vectors["scale"] > 0).all():  # JSON holds only finite numbers (nn.load checks)
        raise bad("scale", "must be positive")
    sizes = [d, *hidden, len(classes)]
    expected = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        expected[f"layers.{2 * i}.weight"] = (n_out, n_in)
        expected[f"layers.{2 * i}.bias"] = (n_out,)
    got = {k: getattr(v, "shape", None) for k, v in state.items()}
    if got != expected:
        key = sorted(k for k in set(got) | set(expected) if got.get(k) != expected.get(k))[0]
        raise CLIError(
            f"{path}: the weights do not match the saved architecture {sizes}: {key!r} is "
            f"{got.get(key, 'missing')}, expected {expected.get(key, 'no such weight')}"
        )
    target = meta.get("target_name")
    return {
        "in_features": d,
        "hidden": hidden,
        "classes": classes,
        "activation": activation,
        "mean": vectors["mean"],
        "scale": vectors["scale"],
        "target_name": target if isinstance(target, str) else None,
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of ``python -m nn``; returns the exit status.

    >>> main(["predict", "--model", "no-such-file.npz", "--csv", "x.csv"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return train(args) if args.command == "train" else predict(args)
    except CLIError as err:
        one_line = " ".join(str(err).splitlines())  # a message quoting a file may hold newlines
        print(f"python -m nn {args.command}: error: {one_line}", file=sys.stderr)
        return 2
    except MemoryError:
        print(
            f"python -m nn {args.command}: error: out of memory; use a smaller model or data", file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        print(f"python -m nn {args.command}: interrupted", file=sys.stderr)
        return 130
