"""W1, per-op overhead: 1,000 × ``y = tanh(y * 0.9 + 0.1)`` on a float64 vector, then ``y.sum()``.

Forward + backward (the gradient with respect to the starting vector is compared across
implementations) and forward only under each framework's no-grad mode. Reported in µs per step
(one step is a multiply, an add and a tanh). A last case times numpy's dispatch: ``np.tanh(t)``
on a Tensor that requires grad ("ours via numpy") against ``ag.tanh(t)`` ("ours") and
``np.tanh`` on the ndarray, µs per call (recording included, no backward).

>>> rows = run(size=4, steps=10, repeats=1, quick=True)
>>> all(r.agrees is not False for r in rows)
True
"""

from __future__ import annotations

from typing import Callable, Dict, List

import numpy as np

from .harness import Impl, Measurement, UnavailableError, compare, require, require_ours

TITLE = "W1 per-op overhead: 1,000 × y = tanh(y*0.9 + 0.1), float64, µs per step"
SIZES = (1, 16, 1000)
STEPS = 1000

Builder = Callable[[np.ndarray, int, bool], Impl]


def _numpy(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    def forward_backward() -> np.ndarray:
        ys = []
        y = x0
        for _ in range(steps):
            y = np.tanh(y * 0.9 + 0.1)
            ys.append(y)
        g = np.ones_like(x0)
        for y in reversed(ys):
            g = g * (1.0 - y * y) * 0.9
        return g

    def forward() -> np.ndarray:
        y = x0
        for _ in range(steps):
            y = np.tanh(y * 0.9 + 0.1)
        return y

    return Impl(forward_backward if backward else forward)


def _ours(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    ag = require_ours("autograd_core")

    def forward_backward() -> np.ndarray:
        x = ag.Tensor(x0, requires_grad=True)
        y = x
        for _ in range(steps):
            y = (y * 0.9 + 0.1).tanh()
        y.sum().backward()
        return x.grad.data

    def forward() -> np.ndarray:
        with ag.no_grad():
            y = ag.Tensor(x0, requires_grad=True)
            for _ in range(steps):
                y = (y * 0.9 + 0.1).tanh()
        return y.data

    return Impl(forward_backward if backward else forward)


def _compiled(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    ag = require_ours("autograd_core", "compile")

    def chain(x):  # type: ignore[no-untyped-def]
        y = x
        for _ in range(steps):
            y = (y * 0.9 + 0.1).tanh()
        return y

    run = ag.compile(ag.grad(lambda x: chain(x).sum()) if backward else chain)
    return Impl(lambda: run(x0), note="compile time excluded")


def _torch(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    torch = require("torch")

    def forward_backward() -> np.ndarray:
        x = torch.tensor(x0, requires_grad=True)
        y = x
        for _ in range(steps):
            y = torch.tanh(y * 0.9 + 0.1)
        y.sum().backward()
        return x.grad.numpy()

    def forward() -> np.ndarray:
        with torch.no_grad():
            y = torch.tensor(x0, requires_grad=True)
            for _ in range(steps):
                y = torch.tanh(y * 0.9 + 0.1)
        return y.numpy()

    return Impl(forward_backward if backward else forward, note=f"{torch.get_num_threads()} threads")


def _autograd(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    hips = require("autograd")
    anp = require("autograd.numpy")

    def chain(x):
        y = x
        for _ in range(steps):
            y = anp.tanh(y * 0.9 + 0.1)
        return y

    if backward:
        grad = hips.grad(lambda x: anp.sum(chain(x)))
        return Impl(lambda: grad(x0))
    # HIPS autograd has no no-grad mode: outside grad() its functions run on plain arrays.
    return Impl(lambda: chain(x0), note="autograd.numpy on plain arrays")


def _mygrad(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    mg = require("mygrad")

    def forward_backward() -> np.ndarray:
        x = mg.tensor(x0)
        y = x
        for _ in range(steps):
            y = mg.tanh(y * 0.9 + 0.1)
        y.sum().backward()
        return np.asarray(x.grad)

    def forward() -> np.ndarray:
        with mg.no_autodiff:
            y = mg.tensor(x0)
            for _ in range(steps):
                y = mg.tanh(y * 0.9 + 0.1)
        return np.asarray(y)

    return Impl(forward_backward if backward else forward)


def micrograd_tanh(v):  # type: ignore[no-untyped-def]
    """tanh for a micrograd ``Value``, written the way micrograd writes its own ops (a closure).

    The micrograd package on PyPI ships only +, *, ** and relu; this adds tanh in its own style so
    the chain can run on micrograd's engine.

    >>> from micrograd.engine import Value  # doctest: +SKIP
    >>> x = Value(0.5); y = micrograd_tanh(x); y.backward(); round(x.grad, 6)  # doctest: +SKIP
    0.786448
    """
    from micrograd.engine import Value

    t = float(np.tanh(v.data))
    out = Value(t, (v,), "tanh")

    def _backward() -> None:
        v.grad += (1.0 - t * t) * out.grad

    out._backward = _backward
    return out


def _micrograd(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    engine = require("micrograd.engine")
    if x0.size != 1:
        raise UnavailableError("n/a: scalar-only")
    if not backward:
        raise UnavailableError("n/a: no no-grad mode")

    def forward_backward() -> np.ndarray:
        x = engine.Value(float(x0[0]))
        y = x
        for _ in range(steps):
            y = micrograd_tanh(y * 0.9 + 0.1)
        y.backward()
        return np.array([x.grad])

    return Impl(forward_backward, note="tanh added in micrograd's closure style")


def _jax(x0: np.ndarray, steps: int, backward: bool) -> Impl:
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)  # jax computes in float32 unless told otherwise
    jnp = jax.numpy

    def chain(x):
        return jax.lax.fori_loop(0, steps, lambda _, y: jnp.tanh(y * 0.9 + 0.1), x)

    fn = jax.jit(jax.grad(lambda x: chain(x).sum())) if backward else jax.jit(chain)
    return Impl(lambda: np.asarray(fn(x0)), note="compiled; compile time excluded")


BUILDERS: Dict[str, Builder] = {
    "numpy": _numpy,
    "ours": _ours,
    "compiled": _compiled,
    "torch": _torch,
    "autograd": _autograd,
    "mygrad": _mygrad,
    "micrograd": _micrograd,
    "jax": _jax,
}


def _tanh_calls(x0: np.ndarray, steps: int, how: str) -> Impl:
    """``steps`` calls of tanh on one input: np.tanh on the array, ag.tanh or np.tanh on a Tensor."""
    if how == "numpy":
        tensor, fn = x0, np.tanh
    else:
        ag = require_ours("autograd_core")
        tensor, fn = ag.Tensor(x0, requires_grad=True), (ag.tanh if how == "ours" else np.tanh)

    def calls() -> np.ndarray:
        for _ in range(steps):
            y = fn(tensor)
        return y if how == "numpy" else y.data

    return Impl(calls)


def run(
    size: int | None = None, repeats: int | None = None, quick: bool = False, steps: int = STEPS
) -> List[Measurement]:
    """Time every implementation for a vector of ``size`` elements (default 1, 16 and 1,000).

    >>> [r.impl for r in run(size=1, steps=5, repeats=1, quick=True)][:2]
    ['numpy', 'ours']
    """
    sizes = (size,) if size else ((1, 16) if quick else SIZES)
    repeats = repeats or (1 if quick else 7)
    steps = min(steps, 100) if quick else steps
    rows: List[Measurement] = []
    rng = np.random.default_rng(0)
    for n in sizes:
        x0 = rng.uniform(-1.0, 1.0, n)
        for backward, label in ((True, "fwd+bwd"), (False, "fwd no_grad")):
            builders = {
                name: (lambda b=b, backward=backward, x0=x0: b(x0, steps, backward))
                for name, b in BUILDERS.items()
            }
            rows += compare(
                "W1",
                f"n={n} {label}",
                "µs/step",
                1e6 / steps,
                builders,
                repeats=repeats,
                rtol=1e-9,
                atol=1e-12,
                min_sample=0.005 if quick else 0.05,
            )
    x0 = rng.uniform(-1.0, 1.0, 16)
    rows += compare(
        "W1",
        "n=16 tanh call",
        "µs/call",
        1e6 / steps,
        {how: (lambda how=how: _tanh_calls(x0, steps, how)) for how in ("numpy", "ours", "ours-np")},
        repeats=repeats,
        rtol=1e-12,
        min_sample=0.005 if quick else 0.05,
    )
    return rows
