"""Lecture 000's table of activation functions, drawn from nn's own activations.

Prints each function's name and its values at -2, 0 and 2; saves activation_table.png.

    python examples/activation_table.py [--out DIR]
"""

import argparse
import os

import numpy as np

import nn
from nn.plot import ACTIVATION_TABLE


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=".", help="directory for the PNG (default: current directory)")
    args = parser.parse_args()

    x = np.array([-2.0, 0.0, 2.0])
    print(f"{'name':34s} {'f(-2)':>9s} {'f(0)':>9s} {'f(2)':>9s}")
    for name, _formula, key, kwargs in ACTIVATION_TABLE:
        values = nn.get_activation(key, **kwargs)(x)
        print(f"{name.replace('$', '').replace(chr(92), ''):34s} " + " ".join(f"{v:9.5f}" for v in values))
    path = os.path.join(args.out, "activation_table.png")
    nn.plot.activation_table(path)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
