"""Lecture 000, "Adding a layer": one hidden layer of 5 units separates the XOR of blobs.

Runs the lecture's cells with only the import changed, once with logistic units and once
with ReLU units: ``MLPRegressor(activation=..., hidden_layer_sizes=(5,), max_iter=10000,
alpha=0)``. Prints each fit's accuracy, epochs and predictions at the blob centres; saves
both decision boundaries (smooth vs piecewise straight) to mlp_solves_xor.png.

    python examples/mlp_solves_xor.py [--out DIR] [--seed N] [--max-iter N]
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import nn  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=".", help="directory for the PNG (default: current directory)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and the weights (default 0)")
    parser.add_argument(
        "--max-iter", type=int, default=10000, help="epoch cap, as the lecture (default 10000)"
    )
    args = parser.parse_args()

    all_data, targets = nn.data.xor_blobs(n_per_blob=1000, seed=args.seed)
    centres = np.array([[0, 0], [3, 3], [0, 3], [3, 0]])
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
    for ax, activation in zip(axes, ("logistic", "relu")):
        best_fit = nn.MLPRegressor(
            activation=activation,
            hidden_layer_sizes=(5,),
            max_iter=args.max_iter,
            alpha=0,
            random_state=args.seed,
        ).fit(all_data, targets)
        accuracy = ((best_fit.predict(all_data) > 0.5) == targets).mean()
        print(
            f"MLPRegressor(activation={activation!r}): accuracy {accuracy:.4f}, "
            f"epochs {best_fit.n_iter_}, final loss {best_fit.loss_:.5f}"
        )
        print(
            "  predict at (0,0) (3,3) (0,3) (3,0): "
            + ", ".join(f"{p:.3f}" for p in best_fit.predict(centres))
        )
        nn.plot.decision_boundary(
            best_fit,
            all_data,
            targets,
            ax=ax,
            xlim=(-4, 7),
            ylim=(-4, 7),
            title=f"MLPRegressor, {activation}, 5 hidden units",
        )
    path = os.path.join(args.out, "mlp_solves_xor.png")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
