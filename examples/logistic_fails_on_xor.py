"""Lecture 000: logistic regression cannot separate the XOR of four blobs.

Class 0 (blue) around (0, 0) and (3, 3), class 1 (orange) around (0, 3) and (3, 0): no
straight line puts them on opposite sides. Prints the accuracy (about 0.5) and the
predictions at the four blob centres; saves logistic_fails_on_xor.png.

    python examples/logistic_fails_on_xor.py [--out DIR] [--seed N]
"""

import argparse
import os

import nn


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=".", help="directory for the PNG (default: current directory)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated blobs (default 0)")
    args = parser.parse_args()

    all_data, targets = nn.data.xor_blobs(n_per_blob=1000, seed=args.seed)
    best_fit = nn.LogisticRegression(penalty=None).fit(all_data, targets)
    print(
        f"LogisticRegression(penalty=None) on XOR of blobs: accuracy {best_fit.score(all_data, targets):.4f}"
    )
    print(f"predict([[0, 0], [3, 3]]) = {best_fit.predict([[0, 0], [3, 3]]).tolist()}  # should be the same")
    print(f"predict([[0, 3], [3, 0]]) = {best_fit.predict([[0, 3], [3, 0]]).tolist()}  # should be the same")
    proba = best_fit.predict_proba([[0, 0], [3, 3], [0, 3], [3, 0]])[:, 0]
    print("P(class 0) at the four centres: " + ", ".join(f"{p:.3f}" for p in proba))

    path = os.path.join(args.out, "logistic_fails_on_xor.png")
    nn.plot.decision_boundary(
        best_fit,
        all_data,
        targets,
        path=path,
        xlim=(-4, 7),
        ylim=(-4, 7),
        title="LogisticRegression on XOR: no line separates",
    )
    print(f"saved {path}")


if __name__ == "__main__":
    main()
