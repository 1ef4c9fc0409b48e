"""Nothing leaves the tape silently: numpy's whole public namespace, called on a Tensor that requires grad.

Every public callable of ``numpy``, ``numpy.linalg`` and ``numpy.fft`` is called with a Tensor that
requires grad (the other arguments from a small table by parameter name, or per function). Each
must return a Tensor (or a list/tuple of them) or raise; a function that returns anything else
must be one of the few that answer from the type alone (``np.shape``, ``np.isscalar``, ...), and
a function that raises something other than a TypeError must be listed with its reason. Run this
module as a script to print the counts:
``PYTHONPATH=$PWD python -m tests.autograd_core.test_escape``.
"""

from __future__ import annotations

import collections
import functools
import inspect
import warnings
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._dispatch import HANDLED_FUNCTIONS, HANDLED_UFUNCS

NAMESPACES = (("numpy", np), ("numpy.linalg", np.linalg), ("numpy.fft", np.fft))

# Not called: they touch files, global state or the test runner.
SKIP = {
    "test", "show_config", "show_runtime", "info", "get_include", "setbufsize", "getbufsize",
    "seterr", "geterr", "seterrcall", "geterrcall", "set_printoptions", "get_printoptions",
    "printoptions", "save", "savez", "savez_compressed", "savetxt", "load", "loadtxt",
    "genfromtxt", "fromfile", "fromregex", "from_dlpack", "add_newdoc", "add_docstring",
    "add_newdoc_ufunc",
}  # fmt: skip

# Required arguments after the first, by parameter name (the Tensor fills any other).
ARGS: Dict[str, Any] = {
    "shape": (2, 2), "newshape": (4,), "indices": [0], "indices_or_sections": 2, "repeats": 2,
    "reps": 2, "n": 2, "k": 1, "q": 50.0, "deg": 1, "pad_width": 1, "source": 0, "destination": 0,
    "axis": 0, "axis1": 0, "axis2": 1, "dtype": np.float64, "func1d": np.sum, "func": np.sum,
    "pyfunc": np.sum, "funclist": [1.0, 0.0], "obj": 0, "decimals": 1, "N": 2, "M": 2, "bins": 2,
    "fill_value": 0.0, "kth": 0, "vals": 1.0, "ind": [0], "mode": "constant", "val": 1.0,
    "shift": 1, "start": 0, "stop": 2, "num": 2, "offset": 0, "nin": 1, "nout": 1,
    "condlist": [np.array([[True, False], [False, True]])],
    "mask": np.array([[True, False], [False, True]]),
}  # fmt: skip

# Whole argument lists where the first parameter is not the array, or the table's guess is off.
CALLS: Dict[str, Any] = {
    "einsum": lambda t: ("ij->ji", t),
    "broadcast_to": lambda t: (t, (3, 2, 2)),
    "clip": lambda t: (t, 0.0, 1.0),
    "take_along_axis": lambda t: (t, np.array([[0], [1]]), 1),
    "where": lambda t: (t > 1.0, t, 0.0),
    "dsplit": lambda t: (ag.reshape(t, (1, 2, 2)), 2),
    "searchsorted": lambda t: (ag.ravel(t), t),
    "select": lambda t: ([t > 1.0], [t]),
}

# Answers from the type, shape or dtype alone, never from the values.
METADATA = {
    "shape", "ndim", "size", "result_type", "promote_types", "iscomplexobj", "isrealobj",
    "isscalar", "iterable", "issubdtype", "bmat", "min_scalar_type",
}  # fmt: skip

# Raise something other than TypeError on this Tensor, and why that is no escape either.
OTHER_ERRORS = {
    "base_repr": "int(t) of a non-scalar Tensor: ValueError from item()",
    "binary_repr": "int(t) of a non-scalar Tensor",
    "format_float_positional": "float(t) of a non-scalar Tensor: ValueError from item()",
    "format_float_scientific": "float(t) of a non-scalar Tensor: ValueError from item()",
    "tri": "bool(t) of a non-scalar Tensor is ambiguous",
    "tril_indices": "bool(t) of a non-scalar Tensor is ambiguous",
    "triu_indices": "bool(t) of a non-scalar Tensor is ambiguous",
    "fromiter": "numpy wraps the TypeError of writing a tracked element into an array",
    "nested_iters": "wants axis lists",
    "fftfreq": "wants an integer n",
    "rfftfreq": "wants an integer n",
    "isfortran": "reads ndarray.flags",
    "typename": "wants a type character",
}


def _tracked() -> Tensor:
    return ag.tensor(np.array([[2.0, 0.5], [1.0, 3.0]]), requires_grad=True)


def _arguments(name: str, fn: Any, t: Tensor) -> tuple:
    if name in CALLS:
        return CALLS[name](t)
    if isinstance(fn, np.ufunc):
        return (t,) * fn.nin
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # no signature (some C functions): the Tensor alone
        return (t,)
    args: List[Any] = []
    for p in params:
        if p.kind is p.VAR_POSITIONAL and not args:
            args.append(t)
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.KEYWORD_ONLY):
            continue
        if p.default is not p.empty:
            break
        args.append(ARGS.get(p.name, t) if args else t)
    return tuple(args)


def _all_tensors(out: Any) -> bool:
    if isinstance(out, (list, tuple)):
        return len(out) > 0 and all(_all_tensors(o) for o in out)
    return isinstance(out, Tensor)


def public_callables() -> List[Tuple[str, str, Any]]:
    found = []
    for module_name, module in NAMESPACES:
        for name in sorted(getattr(module, "__all__", dir(module))):
            fn = getattr(module, name, None)
            if name.startswith("_") or name in SKIP or fn is None:
                continue
            if inspect.ismodule(fn) or isinstance(fn, type) or not callable(fn):
                continue
            found.append((module_name, name, fn))
    return found


@functools.cache
def walk_numpy() -> Dict[str, List[Tuple[str, str]]]:
    """Call every public numpy callable on a tracked Tensor; sort the outcomes into buckets."""
    outcome: Dict[str, List[Tuple[str, str]]] = collections.defaultdict(list)
    for module_name, name, fn in public_callables():
        full = f"{module_name}.{name}"
        t = _tracked()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                out = fn(*_arguments(name, fn, t))
            except TypeError as err:
                ours = "requires grad" in str(err)
                outcome["refused" if ours else "TypeError from numpy"].append((full, str(err)[:100]))
                continue
            except Exception as err:  # noqa: BLE001 (sorted below)
                bucket = "other error" if name in OTHER_ERRORS else "UNEXPECTED error"
                outcome[bucket].append((full, f"{type(err).__name__}: {str(err)[:100]}"))
                continue
        if _all_tensors(out):
            outcome["dispatched"].append((full, type(out).__name__))
        elif name in METADATA:
            outcome["metadata"].append((full, repr(out)[:40]))
        else:
            outcome["ESCAPED"].append((full, f"{type(out).__name__}: {repr(out)[:60]}"))
    return outcome


def summary(outcome: Dict[str, List[Tuple[str, str]]]) -> str:
    counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(outcome.items()))
    return (
        f"numpy namespace walk ({sum(len(v) for v in outcome.values())} callables): {counts}; "
        f"dispatch table: {len(HANDLED_FUNCTIONS)} functions, {len(HANDLED_UFUNCS)} ufuncs"
    )


def _in_table(fn: Any) -> bool:
    return fn in HANDLED_FUNCTIONS or fn in HANDLED_UFUNCS


def test_no_numpy_function_lets_a_tracked_tensor_escape() -> None:
    outcome = walk_numpy()
    print(summary(outcome))
    assert not outcome["ESCAPED"], f"returned something off the tape: {outcome['ESCAPED']}"
    assert not outcome["UNEXPECTED error"], f"neither a Tensor nor a TypeError: {outcome['UNEXPECTED error']}"
    dispatched = {full for full, _ in outcome["dispatched"]}
    off_table = [
        f"{m}.{n}" for m, n, fn in public_callables() if f"{m}.{n}" in dispatched and not _in_table(fn)
    ]
    assert not off_table, f"returned Tensors without a table entry: {off_table}"
    # every callable either dispatches or says it cannot (the bulk of the rest of numpy has no rule)
    assert len(outcome["dispatched"]) + len(outcome["refused"]) > 350


def test_every_table_entry_dispatches_from_numpy() -> None:
    outcome = walk_numpy()
    dispatched = {full for full, _ in outcome["dispatched"]} | {full for full, _ in outcome["metadata"]}
    named = {f"{m}.{n}" for m, n, fn in public_callables() if _in_table(fn)}
    assert named - dispatched == set(), sorted(named - dispatched)


if __name__ == "__main__":
    result = walk_numpy()
    print(summary(result))
    for bucket in ("TypeError from numpy", "other error", "metadata", "UNEXPECTED error", "ESCAPED"):
        for entry in result.get(bucket, []):
            print(f"  {bucket}: {entry[0]}: {entry[1]}")


# -- implicit conversions and lists of tracked Tensors ------------------------------------------
def test_implicit_conversions_refuse_and_name_the_fix() -> None:
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    for convert in (np.asarray, np.array, lambda t: np.asarray(t, dtype=np.float32)):
        with pytest.raises(TypeError, match=r"t\.detach\(\) or t\.numpy\(\)"):
            convert(x)
    with pytest.raises(TypeError, match=r"write X @ t or np\.dot\(X, t\)"):
        np.ones((3, 2)).dot(x)
    np.testing.assert_array_equal(np.asarray(x.detach()), [1.0, 2.0])  # leaving deliberately
    np.testing.assert_array_equal(np.asarray(ag.tensor([1.0, 2.0])), [1.0, 2.0])  # nothing to lose


def test_writing_a_tracked_tensor_into_an_ndarray_raises() -> None:
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = np.zeros(2)
    with pytest.raises((TypeError, ValueError)) as info:
        out[0] = x[0] * x[1]  # numpy reports its own ValueError, caused by ours
    err = info.value if isinstance(info.value, TypeError) else info.value.__cause__
    assert isinstance(err, TypeError) and "ag.tensor(list)" in str(err)
    with pytest.raises(TypeError):
        out[:] = x
    np.testing.assert_array_equal(out, [0.0, 0.0])


def test_explicit_scalar_reads_stay_allowed() -> None:
    x = ag.tensor([1.5, 2.0], requires_grad=True)
    assert float(x[0]) == 1.5 and x[1].item() == 2.0 and np.float64(x[0]) == 1.5
    parts = list(x)  # iteration indexes: each element stays on the tape
    assert all(p.requires_grad for p in parts)


def test_lists_of_tracked_tensors_stack_on_the_tape() -> None:
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.tensor([x[0] * x[1], x[0]])
    (y * np.array([1.0, 10.0])).sum().backward()
    np.testing.assert_allclose(x.grad.data, [2.0 + 10.0, 1.0])  # d/dx0 = x1 + 10, d/dx1 = x0
    z = Tensor([[x[0], 3.0], [x[1], x[0] * 2]], dtype=np.float32)
    assert z.shape == (2, 2) and z.dtype == np.float32 and z.grad_fn is not None
    assert ag.grad(lambda v: ag.tensor([v[0] ** 2, v[1]]).sum())(np.array([3.0, 1.0])).tolist() == [6.0, 1.0]


def test_a_tracked_tensor_given_to_tensor_stays_on_the_tape() -> None:
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    copy = ag.tensor(x)
    assert copy.data is not x.data and copy.grad_fn is not None
    (copy * 3).sum().backward()
    np.testing.assert_allclose(x.grad.data, [3.0, 3.0])
    with pytest.raises(TypeError, match=r"t\.detach\(\)"):
        ag.tensor([x[0], 1.0], requires_grad=True)  # a new leaf would drop x's gradient
    assert ag.tensor(x.detach(), requires_grad=True).is_leaf
    assert Tensor(x).grad_fn is not None and Tensor(x).data is x.data  # Tensor() shares, as before
