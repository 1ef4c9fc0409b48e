"""W5, second order: full Hessian and Hessian-vector product of ``f(x) = sum(tanh(A @ x) ** 2)``.

``x`` in R^100 and ``A`` a fixed random 100 × 100 matrix, float64. The hand-written floor uses the
closed form: with ``t = tanh(A x)``, ``H = Aᵀ diag((2 - 6 t²)(1 - t²)) A`` and ``H v = Aᵀ (h ⊙ A v)``.
Reported in ms per Hessian and ms per HVP. The Hessian rows include ours and torch with
``vectorize=True`` (all seed rows in one batched backward) beside the row-by-row defaults.

>>> rows = run(size=5, repeats=1, quick=True)
>>> all(r.agrees is not False for r in rows)
True
"""

from __future__ import annotations

from typing import Callable, Dict, List, Tuple

import numpy as np

from .harness import Impl, Measurement, UnavailableError, compare, require, require_ours

TITLE = "W5 second order: Hessian and HVP of sum(tanh(A @ x)**2), float64, ms per call"
DIM = 100

Problem = Tuple[np.ndarray, np.ndarray, np.ndarray]  # A, x, v


def problem(dim: int = DIM, seed: int = 0) -> Problem:
    """``(A, x, v)``: a fixed random matrix, a point and a direction, float64.

    >>> [a.shape for a in problem(3)]
    [(3, 3), (3,), (3,)]
    """
    rng = np.random.default_rng(seed)
    return rng.standard_normal((dim, dim)) / np.sqrt(dim), rng.standard_normal(dim), rng.standard_normal(dim)


def _numpy(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str) -> Impl:
    def curvature() -> np.ndarray:
        t = np.tanh(A @ x)
        t2 = t * t
        return (2.0 - 6.0 * t2) * (1.0 - t2)

    if what == "hessian":
        return Impl(lambda: (A.T * curvature()) @ A)
    return Impl(lambda: A.T @ (curvature() * (A @ v)))


def _ours(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str, vectorize: bool = False) -> Impl:
    ag = require_ours("autograd_core", "hessian", "hvp")

    def f(x):  # type: ignore[no-untyped-def]
        return (ag.tanh(ag.matmul(A, x)) ** 2).sum()

    if what == "hessian":
        hessian = ag.hessian(f, vectorize=vectorize)
        return Impl(lambda: hessian(x))
    return Impl(lambda: ag.hvp(f, x, v)[1])


def _ours_vectorized(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str) -> Impl:
    return _ours(A, x, v, what, vectorize=True)


def _compiled(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str, vectorize: bool = False) -> Impl:
    ag = require_ours("autograd_core", "compile", "hessian", "hvp")

    def f(x):  # type: ignore[no-untyped-def]
        return (ag.tanh(ag.matmul(A, x)) ** 2).sum()

    if what == "hessian":
        hessian = ag.compile(ag.hessian(f, vectorize=vectorize))
        return Impl(lambda: hessian(x), note="compile time excluded")
    hvp = ag.compile(lambda x, v: ag.hvp(f, x, v)[1])
    return Impl(lambda: hvp(x, v), note="compile time excluded")


def _compiled_vectorized(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str) -> Impl:
    return _compiled(A, x, v, what, vectorize=True)


def _torch(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str, vectorize: bool = False) -> Impl:
    torch = require("torch")
    functional = torch.autograd.functional
    At, xt, vt = (torch.from_numpy(a) for a in (A, x, v))

    def f(x):  # type: ignore[no-untyped-def]
        return (torch.tanh(At @ x) ** 2).sum()

    if what == "hessian":
        return Impl(lambda: functional.hessian(f, xt, vectorize=vectorize).numpy())
    return Impl(lambda: functional.hvp(f, xt, vt)[1].numpy())


def _torch_vectorized(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str) -> Impl:
    return _torch(A, x, v, what, vectorize=True)


def _autograd(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str) -> Impl:
    hips = require("autograd")
    anp = require("autograd.numpy")

    def f(x):  # type: ignore[no-untyped-def]
        return anp.sum(anp.tanh(anp.dot(A, x)) ** 2)

    if what == "hessian":
        hessian = hips.hessian(f)
        return Impl(lambda: hessian(x))
    hvp = hips.hessian_vector_product(f)
    return Impl(lambda: hvp(x, v))


def _jax(A: np.ndarray, x: np.ndarray, v: np.ndarray, what: str) -> Impl:
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)  # jax computes in float32 unless told otherwise
    jnp = jax.numpy

    def f(x):  # type: ignore[no-untyped-def]
        return jnp.sum(jnp.tanh(jnp.dot(A, x)) ** 2)

    if what == "hessian":
        hessian = jax.jit(jax.hessian(f))
        return Impl(lambda: np.asarray(hessian(x)), note="compiled; compile time excluded")
    hvp = jax.jit(lambda x, v: jax.jvp(jax.grad(f), (x,), (v,))[1])
    return Impl(lambda: np.asarray(hvp(x, v)), note="compiled; compile time excluded")


def _no_higher_order(module: str) -> Callable[..., Impl]:
    def build(*_: object) -> Impl:
        require(module)
        raise UnavailableError("n/a: no higher-order derivatives")

    return build


BUILDERS: Dict[str, Callable[..., Impl]] = {
    "numpy": _numpy,
    "ours": _ours,
    "compiled": _compiled,
    "ours-vectorized": _ours_vectorized,
    "compiled-vectorized": _compiled_vectorized,
    "torch": _torch,
    "torch-vectorized": _torch_vectorized,
    "autograd": _autograd,
    "mygrad": _no_higher_order("mygrad"),
    "micrograd": _no_higher_order("micrograd"),
    "jax": _jax,
}


def run(size: int | None = None, repeats: int | None = None, quick: bool = False) -> List[Measurement]:
    """Time the full Hessian and one HVP for x of dimension ``size`` (100).

    >>> sorted({r.case for r in run(size=3, repeats=1, quick=True)})
    ['HVP d=3', 'Hessian d=3']
    """
    dim = size or (10 if quick else DIM)
    repeats = repeats or (1 if quick else 15)
    A, x, v = problem(dim)
    rows: List[Measurement] = []
    for what, label in (("hessian", "Hessian"), ("hvp", "HVP")):
        builders = {
            name: (lambda b=b, what=what: b(A, x, v, what))
            for name, b in BUILDERS.items()
            if not (what == "hvp" and "vectorize" in name)
        }
        rows += compare(
            "W5",
            f"{label} d={dim}",
            "ms/call",
            1e3,
            builders,
            repeats=repeats,
            rtol=1e-9,
            atol=1e-12,
            min_sample=0.005 if quick else 0.1,
        )
    return rows
