"""W6, many small gradient calls: lecture 002's iris neuron, gradient ascent on a 150 × 3 logistic
log-likelihood, ``theta <- theta + 0.1 * grad(theta)`` from ``theta = 1``.

The hand-written floor is the notes' own gradient, ``mean((y - sigmoid(X theta)) * X.T, axis=1)``;
ours runs eagerly (``ag.grad``) and compiled (``ag.compile(ag.grad(...))``). Reported in µs per
iteration of a 2,000-iteration loop; every implementation must end at the same theta.

>>> rows = run(repeats=1, quick=True)
>>> all(r.agrees is not False for r in rows)
True
"""

from __future__ import annotations

from typing import Callable, Dict, List, Tuple

import numpy as np

from .harness import Impl, Measurement, compare, require, require_ours

TITLE = "W6 iris neuron: gradient ascent on a 150 x 3 logistic log-likelihood, µs per iteration"
ITERATIONS = 2000
STEP = 0.1


def problem() -> Tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: sepal length and width plus a constant 1, and setosa (0) against the rest (1).

    >>> [a.shape for a in problem()]
    [(150, 3), (150,)]
    """
    nn = require_ours("nn", "data.iris")
    iris_X, iris_y = nn.data.iris()
    return np.column_stack([iris_X[:, :2], np.ones(len(iris_X))]), (iris_y != 0).astype(np.float64)


def _loop(gradient: Callable[[np.ndarray], np.ndarray], iterations: int) -> Callable[[], np.ndarray]:
    def run() -> np.ndarray:
        theta = np.ones(3)
        for _ in range(iterations):
            theta = theta + STEP * gradient(theta)
        return theta

    return run


def _numpy(X: np.ndarray, y: np.ndarray, n: int) -> Impl:
    def gradient(theta: np.ndarray) -> np.ndarray:
        s = 1.0 / (1.0 + np.exp(-(X @ theta)))
        return np.mean((y - s) * X.T, axis=1)

    return Impl(_loop(gradient, n))


def _ours_grad(X: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    ag = require_ours("autograd_core", "grad")

    def log_likelihood(theta):  # type: ignore[no-untyped-def]
        z = X @ theta
        return ag.mean(y * z - ag.softplus(z))

    return ag.grad(log_likelihood)


def _ours(X: np.ndarray, y: np.ndarray, n: int) -> Impl:
    return Impl(_loop(_ours_grad(X, y), n))


def _compiled(X: np.ndarray, y: np.ndarray, n: int) -> Impl:
    ag = require_ours("autograd_core", "compile")
    return Impl(_loop(ag.compile(_ours_grad(X, y)), n), note="compile time excluded")


def _torch(X: np.ndarray, y: np.ndarray, n: int) -> Impl:
    torch = require("torch")
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def gradient(theta: np.ndarray) -> np.ndarray:
        t = torch.from_numpy(theta).requires_grad_(True)
        z = Xt @ t
        (g,) = torch.autograd.grad(torch.mean(yt * z - torch.nn.functional.softplus(z)), t)
        return g.numpy()

    return Impl(_loop(gradient, n))


def _autograd(X: np.ndarray, y: np.ndarray, n: int) -> Impl:
    hips = require("autograd")
    anp = require("autograd.numpy")

    def log_likelihood(theta):  # type: ignore[no-untyped-def]
        z = anp.dot(X, theta)
        return anp.mean(y * z - anp.logaddexp(0.0, z))

    return Impl(_loop(hips.grad(log_likelihood), n))


def _mygrad(X: np.ndarray, y: np.ndarray, n: int) -> Impl:
    mg = require("mygrad")

    def gradient(theta: np.ndarray) -> np.ndarray:
        t = mg.tensor(theta)
        z = mg.matmul(X, t)
        loss = mg.mean(y * z - mg.logaddexp(0.0, z))
        loss.backward()
        return np.asarray(t.grad)

    return Impl(_loop(gradient, n))


def _jax(X: np.ndarray, y: np.ndarray, n: int) -> Impl:
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    def log_likelihood(theta):  # type: ignore[no-untyped-def]
        z = X @ theta
        return jnp.mean(y * z - jax.nn.softplus(z))

    gradient = jax.jit(jax.grad(log_likelihood))
    return Impl(_loop(lambda t: np.asarray(gradient(t)), n), note="compiled; compile time excluded")


BUILDERS: Dict[str, Callable[..., Impl]] = {
    "numpy": _numpy,
    "ours": _ours,
    "compiled": _compiled,
    "torch": _torch,
    "autograd": _autograd,
    "mygrad": _mygrad,
    "jax": _jax,
}


def run(size: int | None = None, repeats: int | None = None, quick: bool = False) -> List[Measurement]:
    """Time ``size`` (2,000) iterations of the loop per implementation.

    >>> [r.impl for r in run(size=3, repeats=1, quick=True)][:3]
    ['numpy', 'ours', 'compiled']
    """
    n = size or (20 if quick else ITERATIONS)
    X, y = problem()
    builders = {name: (lambda b=b: b(X, y, n)) for name, b in BUILDERS.items()}
    return compare(
        "W6",
        f"{n} iterations",
        "µs/iter",
        1e6 / n,
        builders,
        repeats=repeats or (1 if quick else 7),
        rtol=1e-9,
        atol=1e-12,
        min_sample=0.0 if quick else 0.2,
    )
