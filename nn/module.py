"""``Module``: a tree of layers owning Parameters; plus the ``Sequential``, ``ModuleList``,
``ModuleDict`` and ``Identity`` containers."""

from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Any, Callable, Dict, Iterable, Iterator, Mapping, Tuple, Union, overload

import numpy as np

from autograd_core import Tensor, no_grad

from .parameter import Parameter


class StateDictKeyError(KeyError, ValueError):
    """``load_state_dict`` got keys that do not match the module's (a KeyError, as torch's
    mismatch, and a ValueError like every other misuse)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# (class, attribute) pairs already warned about as unregistered containers of Modules.
_WARNED_CONTAINERS: set = set()


def _warn_unregistered(module: Module, name: str, value: Any, stacklevel: int) -> None:
    """Warn once per (class, attribute) when ``value`` is a plain list/tuple/dict holding
    Modules: PyTorch does not register those either, and the fix is the same."""
    if type(value) not in (list, tuple, dict):
        return
    items = value.values() if isinstance(value, dict) else value
    if not any(isinstance(item, Module) for item in items):
        return
    key = (type(module), name)
    if key in _WARNED_CONTAINERS:
        return
    _WARNED_CONTAINERS.add(key)
    fix = "nn.ModuleDict({...})" if isinstance(value, dict) else "nn.ModuleList([...])"
    warnings.warn(
        f"{type(module).__name__}.{name} is a plain {type(value).__name__} of Modules, so they are not "
        f"registered: parameters(), state_dict(), train()/eval() and to() do not see them. "
        f"Wrap it as in PyTorch: self.{name} = {fix}",
        UserWarning,
        stacklevel=stacklevel,
    )


class Module:
    """Base class of every layer and model, as in PyTorch.

    Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, so
    ``parameters()``, ``state_dict()``, ``train()``/``eval()`` and ``repr`` see the whole tree.
    Subclasses call ``super().__init__()`` first and define ``forward``. As in PyTorch, a
    plain list or dict of Modules is *not* registered (a UserWarning says so): use
    ``nn.ModuleList`` / ``nn.ModuleDict``.

    >>> import numpy as np
    >>> import nn
    >>> class Affine(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = nn.Parameter(np.ones(3))
    ...     def forward(self, x):
    ...         return x * self.scale
    >>> m = Affine()
    >>> [name for name, _ in m.named_parameters()]
    ['scale']
    >>> m(np.arange(3.0)).numpy()
    array([0., 1., 2.])
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    # -- registration ---------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        registry = self.__dict__.get("_parameters")
        if registry is None:
            raise TypeError(
                f"{type(self).__name__}: cannot assign attribute {name!r} before Module.__init__(); "
                "call super().__init__() first in your __init__"
            )
        # Reassigning a name drops its old registration, whatever it was.
        registry.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            registry[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            _warn_unregistered(self, name, value, stacklevel=3)
        # Attributes also live in __dict__ so the forward pass reads them at plain speed.
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` under ``name`` (None leaves the slot empty, like ``bias=False``).

        >>> import nn
        >>> m = nn.Module()
        >>> m.register_parameter("w", nn.Parameter([1.0]))
        >>> m.num_parameters()
        1
        """
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter: {name!r} must be an nn.Parameter or None, got {type(param).__name__}"
            )
        setattr(self, name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register a child module under ``name``.

        >>> import nn
        >>> m = nn.Module()
        >>> m.add_module("act", nn.ReLU())
        >>> [name for name, _ in m.named_children()]
        ['act']
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be an nn.Module, got {type(module).__name__}")
        setattr(self, name, module)

    # -- calling --------------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__}: subclasses of nn.Module must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # -- traversal --------------------------------------------------------------------------
    def named_children(self) -> Iterator[Tuple[str, Module]]:
        """Direct submodules as ``(name, module)`` pairs."""
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self) -> Iterator[Module]:
        """Direct submodules."""
        for _, module in self.named_children():
            yield module

    def named_modules(self, prefix: str = "") -> Iterator[Tuple[str, Module]]:
        """This module and every descendant (each once), with dotted names; ``self`` is ``""``.

        >>> import nn
        >>> [name for name, _ in nn.MLP(2, [3], 1).named_modules()]
        ['', 'layers', 'layers.0', 'layers.1', 'layers.2']
        """
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            kids = [(f"{name}.{n}" if name else n, m) for n, m in module.named_children()]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        """This module and every descendant, depth first."""
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[Tuple[str, Parameter]]:
        """Parameters with dotted names such as ``"layers.0.weight"``; shared ones appear once.

        >>> import nn
        >>> [name for name, _ in nn.Linear(2, 3).named_parameters()]
        ['weight', 'bias']
        """
        seen = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for module_name, module in modules:
            # A list filled after assignment (self.layers = []; self.layers.append(...)) is
            # caught here, where an optimizer or state_dict first asks for the parameters.
            for attr, value in vars(module).items():
                if type(value) in (list, tuple, dict):
                    _warn_unregistered(module, attr, value, stacklevel=4)
            for name, param in module._parameters.items():
                if param is None or id(param) in seen:
                    continue
                seen.add(id(param))
                yield (f"{module_name}.{name}" if module_name else name), param

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every Parameter of the tree (what an optimizer takes).

        >>> import nn
        >>> [p.shape for p in nn.Linear(2, 3).parameters()]
        [(3, 2), (3,)]
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def num_parameters(self, trainable_only: bool = False) -> int:
        """The number of scalar parameters (only those requiring grad if ``trainable_only``).

        >>> import nn
        >>> nn.Linear(2, 3).num_parameters()
        9
        """
        return sum(p.size for p in self.parameters() if p.requires_grad or not trainable_only)

    # -- modes and gradients -----------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout active) on the whole tree; returns ``self``.

        >>> import nn
        >>> nn.MLP(2, [3], 1).eval().training
        False
        """
        if not isinstance(mode, bool):
            raise TypeError(f"train: mode must be a bool, got {type(mode).__name__}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode on the whole tree (same as ``train(False)``); returns ``self``."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to None.

        >>> import numpy as np
        >>> import nn
        >>> m = nn.Linear(2, 1)
        >>> m(np.ones((1, 2))).sum().backward()
        >>> m.zero_grad(); m.weight.grad is None
        True
        """
        for param in self.parameters():
            param.grad = None

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter (``False`` freezes them); returns ``self``.

        >>> import nn
        >>> frozen = nn.Linear(2, 3).requires_grad_(False)
        >>> frozen.num_parameters(trainable_only=True)
        0
        """
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every submodule (children first) and then on ``self``, as PyTorch's
        ``Module.apply`` (typically to initialise weights); returns ``self``.

        >>> import nn
        >>> def init_weights(m):
        ...     if isinstance(m, nn.Linear):
        ...         nn.init.zeros_(m.weight)
        >>> model = nn.MLP(2, [3], 1).apply(init_weights)
        >>> float(abs(model.layers[0].weight.numpy()).sum())
        0.0
        """
        if not callable(fn):
            raise TypeError(f"apply: fn must be callable with a Module, got {type(fn).__name__}")
        for module in reversed(list(self.modules())):
            fn(module)
        return self

    def to(self, dtype: Any) -> Module:
        """Cast every parameter (and its gradient) to the floating ``dtype``, in place; returns ``self``.

        The Parameter objects stay the same, so an optimizer built earlier still holds them
        (but build it after ``to`` if it already has state, as PyTorch advises). Modules that
        cast their inputs (``Linear``, ``MLP``) cast to the new dtype from now on. There are
        no devices: ``to`` takes a dtype only.

        >>> import numpy as np
        >>> import nn
        >>> model = nn.MLP(2, [3], 1).to(np.float64)
        >>> model(np.ones((1, 2))).dtype
        dtype('float64')
        """
        try:
            dt = np.dtype(dtype)
        except TypeError:
            raise TypeError(
                f"{type(self).__name__}.to: expected a floating dtype such as np.float64 or 'float32' "
                f"(there are no devices), got {dtype!r}"
            ) from None
        if dt.kind != "f":
            raise TypeError(f"{type(self).__name__}.to: dtype must be a floating dtype, got {dt}")
        for module in self.modules():
            for param in module._parameters.values():
                if param is None or param.dtype == dt:
                    continue
                param.data = param.data.astype(dt)
                param._version += 1
                if param.grad is not None:
                    param.grad = Tensor(param.grad.data.astype(dt))
            # Linear and MLP keep the dtype they cast inputs to in ``self.dtype``.
            if isinstance(module.__dict__.get("dtype"), np.dtype):
                object.__setattr__(module, "dtype", dt)
        return self

    def double(self) -> Module:
        """``to(np.float64)``: e.g. to gradcheck a float32 model in float64; returns ``self``."""
        return self.to(np.float64)

    def float(self) -> Module:
        """``to(np.float32)``, the nn default; returns ``self``."""
        return self.to(np.float32)

    # -- persistence ---------------------------------------------------------------------------
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Every parameter by dotted name, as an ndarray copy (later training does not change it).

        >>> import nn
        >>> list(nn.Linear(2, 3).state_dict())
        ['weight', 'bias']
        """
        return OrderedDict((name, param.data.copy()) for name, param in self.named_parameters())

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> Dict[str, list]:
        """Copy values into the parameters, in place, cast to each parameter's dtype.

        Shapes must always match (the error names the key and both shapes). With ``strict``
        the keys must match exactly too; otherwise missing and unexpected keys are skipped.
        Returns ``{"missing_keys": [...], "unexpected_keys": [...]}``. Nothing is written unless
        every check passes.

        >>> import nn
        >>> a, b = nn.Linear(2, 3, seed=0), nn.Linear(2, 3, seed=1)
        >>> _ = b.load_state_dict(a.state_dict())
        >>> bool((a.weight.numpy() == b.weight.numpy()).all())
        True
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                f"load_state_dict: expected a mapping of name -> array, got {type(state).__name__}"
            )
        own = OrderedDict(self.named_parameters())
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        if strict and (missing or unexpected):
            raise StateDictKeyError(
                f"load_state_dict: keys do not match for {type(self).__name__}: "
                f"missing {missing}, unexpected {unexpected}"
            )
        values = {}
        for name, param in own.items():
            if name not in state:
                continue
            value = state[name]
            array = value.data if isinstance(value, Tensor) else np.asarray(value)
            if array.shape != param.shape:
                raise ValueError(
                    f"load_state_dict: shape mismatch for {name!r}: the checkpoint has {array.shape}, "
                    f"the model has {param.shape}"
                )
            if array.dtype.kind not in "fiub":
                raise TypeError(f"load_state_dict: {name!r} must hold real numbers, got dtype {array.dtype}")
            values[name] = array
        with no_grad():
            for name, array in values.items():
                own[name][...] = array.astype(own[name].dtype, copy=False)
        return {"missing_keys": missing, "unexpected_keys": unexpected}

    # -- repr -------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside the parentheses of a leaf module's repr (subclasses override)."""
        return ""

    def __repr__(self) -> str:
        return "\n".join(self._repr_lines())

    def _repr_lines(self) -> list:
        own = sum(p.size for p in self._parameters.values() if p is not None)
        kids = list(self.named_children())
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not kids:
            return [head + ")" + (f"  # {own:,} params" if own else "")]
        lines = [head]
        for name, module in kids:
            sub = module._repr_lines()
            lines.append(f"  ({name}): {sub[0]}")
            lines.extend("  " + line for line in sub[1:])
        total = self.num_parameters()
        lines.append(")" + (f"  # {total:,} params" if total else ""))
        return lines


class Sequential(Module):
    """Modules applied one after another; children are named ``"0"``, ``"1"``, ...

    >>> import numpy as np
    >>> import nn
    >>> model = nn.Sequential(nn.Linear(2, 4, seed=0), nn.ReLU(), nn.Linear(4, 1, seed=1))
    >>> model(np.ones((5, 2))).shape
    (5, 1)
    >>> len(model), type(model[1]).__name__
    (3, 'ReLU')
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end; returns ``self``."""
        if not isinstance(module, Module):
            raise TypeError(
                f"Sequential: every item must be an nn.Module, got {type(module).__name__} at index {len(self)}"
            )
        self.add_module(str(len(self._modules)), module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Module, Sequential]:
        items = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*items[index])
        try:
            return items[index]
        except IndexError:
            raise IndexError(f"Sequential: index {index} is out of range for {len(items)} modules") from None

    def forward(self, x: Any) -> Any:
        """Apply each module in order."""
        for module in self._modules.values():
            x = module(x)
        return x


class ModuleList(Module):
    """A list of Modules that is registered, as PyTorch's ``nn.ModuleList``: children are
    named ``"0"``, ``"1"``, ..., so parameters read ``layers.0.weight``. It has no
    ``forward``; iterate over it in yours.

    >>> import numpy as np
    >>> import nn
    >>> class Tower(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.layers = nn.ModuleList([nn.Linear(2, 2, seed=i) for i in range(3)])
    ...     def forward(self, x):
    ...         for layer in self.layers:
    ...             x = layer(x)
    ...         return x
    >>> list(Tower().state_dict())[:2]
    ['layers.0.weight', 'layers.0.bias']
    >>> Tower()(np.ones((4, 2))).shape
    (4, 2)
    """

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        self.extend(modules)

    def _check(self, module: Any, index: int) -> Module:
        if not isinstance(module, Module):
            raise TypeError(
                f"ModuleList: every item must be an nn.Module, got {type(module).__name__} at index {index}"
            )
        return module

    def _index(self, index: Any) -> int:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"ModuleList: indices must be ints or slices, got {type(index).__name__}")
        n = len(self._modules)
        if not -n <= index < n:
            raise IndexError(f"ModuleList: index {index} is out of range for {n} modules")
        return int(index) % n

    def _renumber(self, items: list) -> None:
        self._modules.clear()
        for i, module in enumerate(items):
            self._modules[str(i)] = module

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns ``self``."""
        self._modules[str(len(self._modules))] = self._check(module, len(self._modules))
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append every module of ``modules``; returns ``self``."""
        if isinstance(modules, Module) and not isinstance(modules, (ModuleList, Sequential)):
            raise TypeError(
                "ModuleList.extend: expected an iterable of Modules, got a single Module; use append"
            )
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index``."""
        items = list(self._modules.values())
        items.insert(index, self._check(module, index))
        self._renumber(items)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> ModuleList: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Module, ModuleList]:
        items = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(items[index])
        return items[self._index(index)]

    def __setitem__(self, index: int, module: Module) -> None:
        i = self._index(index)
        self._modules[str(i)] = self._check(module, i)

    def __delitem__(self, index: Union[int, slice]) -> None:
        items = list(self._modules.values())
        if isinstance(index, slice):
            del items[index]
        else:
            del items[self._index(index)]
        self._renumber(items)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """A ModuleList is a container, not a layer (as in PyTorch)."""
        raise NotImplementedError(
            "ModuleList has no forward(): iterate over it in your module's forward, or use nn.Sequential"
        )


class ModuleDict(Module):
    """A dict of Modules that is registered, as PyTorch's ``nn.ModuleDict``: keys are the
    children's names (``heads.cls.weight``), kept in insertion order.

    >>> import nn
    >>> heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "reg": nn.Linear(4, 1)})
    >>> list(heads), [name for name, _ in heads.named_parameters()][:2]
    (['cls', 'reg'], ['cls.weight', 'cls.bias'])
    """

    def __init__(
        self, modules: Union[Mapping[str, Module], Iterable[Tuple[str, Module]], None] = None
    ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str) or not key or "." in key:
            raise KeyError(f"ModuleDict: keys must be non-empty strings without '.', got {key!r}")
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict: {key!r} must be an nn.Module, got {type(module).__name__}")
        self._modules[key] = module

    def __getitem__(self, key: str) -> Module:
        try:
            return self._modules[key]
        except KeyError:
            raise KeyError(f"ModuleDict: no module {key!r}; keys are {list(self._modules)}") from None

    def __delitem__(self, key: str) -> None:
        self[key]  # the error lists the keys
        del self._modules[key]

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._modules))

    def keys(self) -> Iterable[str]:
        """The keys, in insertion order."""
        return list(self._modules.keys())

    def values(self) -> Iterable[Module]:
        """The modules, in insertion order."""
        return list(self._modules.values())

    def items(self) -> Iterable[Tuple[str, Module]]:
        """``(key, module)`` pairs, in insertion order."""
        return list(self._modules.items())

    def update(self, modules: Union[Mapping[str, Module], Iterable[Tuple[str, Module]]]) -> None:
        """Add or replace modules from a mapping or ``(key, module)`` pairs."""
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self[key] = module

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """A ModuleDict is a container, not a layer (as in PyTorch)."""
        raise NotImplementedError("ModuleDict has no forward(): index it in your module's forward")


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. ``output_activation``).

    >>> import nn
    >>> nn.Identity()(3.0)
    3.0
    """

    def forward(self, x: Any) -> Any:
        """Return ``x``."""
        return x
