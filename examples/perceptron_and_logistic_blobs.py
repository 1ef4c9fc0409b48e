"""Lecture 000, "Perceptrons": a perceptron and logistic regression on two separable blobs.

Prints the hard predictions and the class probabilities at [0, 3], [3, 0] and [2, 2], and
saves both decision boundaries (the 50% line dashed) to perceptron_and_logistic_blobs.png.

    python examples/perceptron_and_logistic_blobs.py [--out DIR] [--seed N]
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
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated blobs (default 0)")
    args = parser.parse_args()

    # Blob 0 (blue) around (0, 3), blob 1 (orange) around (3, 0), 1000 points each.
    all_data, targets = nn.data.blobs(n_per_blob=1000, centers=((0, 3), (3, 0)), seed=args.seed)
    targets = targets.astype(float)  # the lecture's targets are 0.0 / 1.0

    perceptron = nn.Perceptron(random_state=args.seed).fit(all_data, targets)
    best_fit = nn.LogisticRegression(penalty=None).fit(all_data, targets)
    np.set_printoptions(precision=6, suppress=False)
    for name, model in (("Perceptron", perceptron), ("LogisticRegression(penalty=None)", best_fit)):
        print(
            f"{name}: accuracy {model.score(all_data, targets):.4f}, iterations {np.ravel(model.n_iter_)[0]}"
        )
    for point in ([0, 3], [3, 0], [2, 2]):
        print(f"perceptron.predict([{point}]) = {perceptron.predict([point]).tolist()}")
    for point in ([0, 3], [3, 0], [2, 2]):
        print(f"best_fit.predict([{point}]) = {best_fit.predict([point]).tolist()}")
    for point in ([0, 3], [3, 0], [2, 2]):
        proba = best_fit.predict_proba([point])[0]
        print(f"best_fit.predict_proba([{point}]) = [[{proba[0]:.6f}, {proba[1]:.6f}]]")

    fig, axes = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
    nn.plot.decision_boundary(
        perceptron,
        all_data,
        targets,
        ax=axes[0],
        xlim=(-4, 7),
        ylim=(-4, 7),
        title="Perceptron (Rosenblatt's rule)",
    )
    nn.plot.decision_boundary(
        best_fit,
        all_data,
        targets,
        ax=axes[1],
        xlim=(-4, 7),
        ylim=(-4, 7),
        title="LogisticRegression: P(orange), 50% dashed",
    )
    path = os.path.join(args.out, "perceptron_and_logistic_blobs.png")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
