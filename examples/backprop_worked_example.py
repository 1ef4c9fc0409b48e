"""Lecture 002's worked backpropagation example, by autograd_core and by the notes' formulas.

A two-layer sigmoid network h = sigmoid(x W), y = sigmoid(h V) with x = [5, 3],
W = [[1, -1, 3], [2, 2, -1]], V = [0.1, 0.5, -0.1] and label 1; loss J = -log y.
Prints y, the loss, dJ/dy, and the gradients of W and V computed both ways; then runs 100
gradient-descent steps (lr 0.1) on this one sample and saves the loss curve (and y) to
backprop_worked_example.png.

    python examples/backprop_worked_example.py [--out DIR] [--steps N]
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import autograd_core as ag  # noqa: E402
from autograd_core import Tensor  # noqa: E402


def by_hand(x, W, V, label):
    """The notes' LinearSigmoidLayer.forward/backward, written out."""
    h = 1 / (1 + np.exp(-(x @ W)))
    y = 1 / (1 + np.exp(-(h @ V)))
    dJ = -1 / y if label == 1 else 1 / (1 - y)
    V_grad = h.T @ (y * (1 - y) * dJ)  # output layer
    dJdh = (y * (1 - y) * dJ) @ V.T
    W_grad = x.T @ (h * (1 - h) * dJdh)  # hidden layer
    return W_grad, V_grad


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=".", help="directory for the PNG (default: current directory)")
    parser.add_argument("--steps", type=int, default=100, help="gradient-descent steps (default 100)")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate (default 0.1)")
    args = parser.parse_args()

    x = np.array([[5.0, 3.0]])
    label = 1
    W = Tensor(np.array([[1.0, -1.0, 3.0], [2.0, 2.0, -1.0]]), requires_grad=True)
    V = Tensor(np.array([[0.1], [0.5], [-0.1]]), requires_grad=True)

    h = ag.sigmoid(x @ W)
    y = ag.sigmoid(h @ V)
    loss = -ag.log(y) if label == 1 else -ag.log(1 - y)
    dJdy = ag.grad(lambda out: -ag.log(out).sum())(y.data)
    loss.sum().backward()
    np.set_printoptions(precision=5)
    print(f"h = {h.data[0]}")
    print(f"y = {y.item():.6f}")
    print(f"loss: {loss.item():.6f}")
    print(f"dJ/dy = {dJdy.item():.5f}")
    print(f"W grad (autograd):\n{W.grad.data}")
    print(f"V grad (autograd):\n{V.grad.data}")
    W_hand, V_hand = by_hand(x, W.data, V.data, label)
    print(f"W grad (notes' formulas):\n{W_hand}")
    print(f"V grad (notes' formulas):\n{V_hand}")
    diff = max(np.abs(W.grad.data - W_hand).max(), np.abs(V.grad.data - V_hand).max())
    print(f"max |autograd - formulas| = {diff:.3g}")

    losses, scores = [], []
    for _ in range(args.steps):
        W.grad = V.grad = None
        out = ag.sigmoid(ag.sigmoid(x @ W) @ V)
        step_loss = (-ag.log(out)).sum()
        step_loss.backward()
        with ag.no_grad():
            W -= args.lr * W.grad
            V -= args.lr * V.grad
        losses.append(step_loss.item())
        scores.append(out.item())
    print(f"after {args.steps} steps (lr {args.lr}): loss {losses[-1]:.6f}, y {scores[-1]:.6f}")

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(losses, "-", label="loss  -log y")
    ax.plot(scores, ".", label="y (prediction)")
    ax.set_xlabel("gradient-descent step")
    ax.set_title("One sample, label 1: the loss goes to zero")
    ax.grid(True, alpha=0.3)
    ax.legend()
    path = os.path.join(args.out, "backprop_worked_example.png")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
