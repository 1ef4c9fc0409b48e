"""Lecture 000, "Why deep learning?": three interleaved spiral arms separated by a deeper
network, nn.MLP(2, [32, 32], 3) trained with CrossEntropyLoss and Adam on mini-batches.

Shows a progress bar (with tqdm), prints the loss every few epochs and the final accuracy; saves the decision regions to
spirals_deep.png.

    python examples/spirals_deep.py [--out DIR] [--epochs N] [--quick] [--seed N]
"""

import argparse
import os

import numpy as np

import nn
from autograd_core import no_grad
from nn.progress import progress


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=".", help="directory for the PNG (default: current directory)")
    parser.add_argument("--epochs", type=int, default=300, help="training epochs (default 300)")
    parser.add_argument("--quick", action="store_true", help="100 epochs, for a smoke test")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the data, weights and shuffling (default 0)"
    )
    args = parser.parse_args()
    epochs = 100 if args.quick else args.epochs

    X, y = nn.data.spirals(n_per_arm=100, n_arms=3, noise=0.2, seed=args.seed)
    model = nn.MLP(2, [32, 32], 3, activation="relu", dtype=np.float64, seed=args.seed)
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    loader = nn.data.DataLoader(X, y, batch_size=32, shuffle=True, seed=args.seed)
    losses = []
    for epoch in progress(range(1, epochs + 1), desc="train", unit="epoch"):  # a tqdm bar if installed
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        losses.append(total / len(X))
        if epoch % 50 == 0 or epoch == epochs:
            print(f"epoch {epoch}: loss {losses[-1]:.4f}")
    with no_grad():
        accuracy = (model(X).data.argmax(axis=1) == y).mean()
    print(f"accuracy: {accuracy:.4f}")
    path = os.path.join(args.out, "spirals_deep.png")
    nn.plot.decision_boundary(
        model,
        X,
        y,
        path=path,
        resolution=200,
        title=f"MLP(2, [32, 32], 3), {epochs} epochs: accuracy {accuracy:.3f}",
    )
    print(f"saved {path}")


if __name__ == "__main__":
    main()
