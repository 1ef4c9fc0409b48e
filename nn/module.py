"""``Module``: a tree of layers owning Parameters; plus the ``Sequential`` and ``Identity`` containers."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, Iterator, Mapping, Tuple, Union, overload

import numpy as np

from autograd_core import Tensor, no_grad

from .parameter import Parameter


class StateDictKeyError(KeyError, ValueError):
    """``load_state_dict`` got keys that do not match the module's (a KeyError, as torch's
    mismatch, and a ValueError like every other misuse)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Module:
    """Base class of every layer and model, as in PyTorch.

    Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, so
    ``parameters()``, ``state_dict()``, ``train()``/``eval()`` and ``repr`` see the whole tree.
    Subclasses call ``super().__init__()`` first and define ``forward``.

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


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. ``output_activation``).

    >>> import nn
    >>> nn.Identity()(3.0)
    3.0
    """

    def forward(self, x: Any) -> Any:
        """Return ``x``."""
        return x
