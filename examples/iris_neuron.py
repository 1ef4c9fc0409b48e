"""Lecture 002: one sigmoid neuron separating setosa from the other irises, trained by plain
gradient descent on sepal length and width (plus a constant 1 for the bias).

The loop is the lecture's (theta starts at ones, step 0.1, stop when theta moves less than
5e-5), but the gradient of the mean log-likelihood comes from autograd_core instead of the
hand-written formula, and ``ag.compile`` records that gradient once and replays it as plain numpy
(the ~240,000 calls are the whole run: compiled, each costs about as much as the notes' numpy).
Shows a progress bar (when tqdm is installed), prints progress every 50000 iterations, the
iteration count, how often the compiled gradient was traced and replayed, theta and the
accuracy; saves iris_neuron.png (decision regions and the flowers).

    python examples/iris_neuron.py [--out DIR] [--max-iter N]
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import autograd_core as ag  # noqa: E402
import nn  # noqa: E402
from nn.progress import progress  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=".", help="directory for the PNG (default: current directory)")
    parser.add_argument(
        "--max-iter",
        type=int,
        default=1_000_000,
        help="stop after this many steps even if not converged (default 1000000)",
    )
    args = parser.parse_args()

    iris_X, iris_y = nn.data.iris()
    X_train = np.column_stack([iris_X[:, :2], np.ones(len(iris_X))])  # sepal length, width, bias
    y_train = (iris_y != 0).astype(np.float64)  # setosa = 0, versicolor and virginica = 1

    def neuron(X, theta):
        return ag.sigmoid(X @ theta)

    def log_likelihood(theta):
        z = X_train @ theta
        return ag.mean(y_train * z - ag.softplus(z))  # log sigma(z) for y=1, log(1 - sigma(z)) for y=0

    # = mean((y - neuron(X, theta)) * X.T, axis=1), the lecture's formula; compile: traced once, then replayed
    gradient = ag.compile(ag.grad(log_likelihood))
    threshold, step_size = 5e-5, 1e-1
    it, theta, theta_prev = 0, np.ones(3), np.zeros(3)
    bar = progress(total=args.max_iter, desc="gradient ascent", unit="step")  # a tqdm bar if installed
    while np.linalg.norm(theta - theta_prev) > threshold and it < args.max_iter:
        if it % 50000 == 0:
            print(f"Iteration {it}.")
        theta_prev = theta
        theta = theta_prev + step_size * gradient(theta)  # ascent on the likelihood
        it += 1
        bar.update()
    bar.close()
    converged = np.linalg.norm(theta - theta_prev) <= threshold
    print(f"{'converged' if converged else 'stopped (--max-iter)'} after {it} iterations")
    stats = gradient.stats
    print(f"gradient: ag.compile(ag.grad(...)), {stats['traces']} trace(s), {stats['replays']} replays")
    print(f"theta = {np.array2string(theta, precision=5)}")
    accuracy = ((neuron(X_train, theta) >= 0.5) == y_train).mean()
    print(f"accuracy (setosa vs rest): {accuracy:.4f}")

    xx, yy = np.meshgrid(np.arange(3.3, 8.9, 0.02), np.arange(1.0, 5.4, 0.02))
    Z = neuron(np.c_[xx.ravel(), yy.ravel(), np.ones(xx.size)], theta) >= 0.5
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.pcolormesh(xx, yy, Z.reshape(xx.shape).astype(float), cmap=plt.cm.Paired, shading="auto")
    points = ax.scatter(iris_X[:, 0], iris_X[:, 1], c=y_train, edgecolors="k", cmap=plt.cm.Paired)
    ax.legend(handles=points.legend_elements()[0], labels=["Setosa", "Non-Setosa"], loc="lower right")
    ax.set_xlabel("Sepal length (cm)")
    ax.set_ylabel("Sepal width (cm)")
    ax.set_title(f"Sigmoid neuron after {it} gradient steps")
    path = os.path.join(args.out, "iris_neuron.png")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
