"""Nested containers of arrays (tuples, lists, dicts; "pytrees" in JAX's words), flattened for the transforms.

A structure flattens to its leaves (anything that is not a tuple, list or dict) in a fixed
order, dicts in their insertion order, and a description that rebuilds the same structure
around new leaves: ``grad`` of a function of a parameter dict returns a dict of gradients.

>>> leaves, tree = tree_flatten({"w": 1.0, "b": (2.0, [3.0])})
>>> leaves
[1.0, 2.0, 3.0]
>>> tree_unflatten(tree, [10, 20, 30])
{'w': 10, 'b': (20, [30])}
"""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

_LEAF = None  # the description of a leaf


def _describe(x: Any, leaves: List[Any]) -> Any:
    kind = type(x)
    if kind is dict:
        return (dict, tuple(x), tuple(_describe(v, leaves) for v in x.values()))
    if kind is list or isinstance(x, tuple):  # tuple subclasses too: namedtuples
        return (kind, None, tuple(_describe(v, leaves) for v in x))
    leaves.append(x)
    return _LEAF


def tree_flatten(x: Any) -> Tuple[List[Any], Any]:
    """Return ``(leaves, tree)``: the leaves of ``x`` in order and its structure."""
    leaves: List[Any] = []
    return leaves, _describe(x, leaves)


def _build(tree: Any, it: Any) -> Any:
    if tree is _LEAF:
        return next(it)
    kind, keys, children = tree
    items = [_build(c, it) for c in children]
    if kind is dict:
        return dict(zip(keys, items))
    if kind is list or kind is tuple:
        return kind(items)
    return kind(*items)  # a namedtuple


def tree_unflatten(tree: Any, leaves: List[Any]) -> Any:
    """Rebuild the structure ``tree`` (from ``tree_flatten``) around ``leaves``."""
    return _build(tree, iter(leaves))


def tree_map(fn: Callable[[Any], Any], x: Any) -> Any:
    """Apply ``fn`` to every leaf of ``x``, keeping the structure.

    >>> tree_map(lambda v: v * 2, [1, {"a": 2}])
    [2, {'a': 4}]
    """
    leaves, tree = tree_flatten(x)
    return tree_unflatten(tree, [fn(v) for v in leaves])


def tree_str(tree: Any) -> str:
    """A short rendering of a structure for error messages (leaves as ``*``).

    >>> tree_str(tree_flatten({"w": 1.0, "b": (2.0,)})[1])
    "{'w': *, 'b': (*,)}"
    """
    if tree is _LEAF:
        return "*"
    kind, keys, children = tree
    parts = [tree_str(c) for c in children]
    if kind is dict:
        return "{" + ", ".join(f"{k!r}: {p}" for k, p in zip(keys, parts)) + "}"
    if kind is list:
        return "[" + ", ".join(parts) + "]"
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
