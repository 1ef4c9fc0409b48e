"""Fitted estimators as data: a JSON description plus named arrays, for ``nn.save``/``nn.load``.

Generic over the estimators, so attributes they gain later are saved too: the parameters are
``get_params(deep=False)``; the fitted attributes are every instance attribute that is not a
parameter (``classes_``, ``coef_``, ``loss_curve_``, ``model_``, private flags ...). Values are
encoded as JSON (None, bools, ints, finite floats, strings, lists) or tagged objects:

==================  ==========================================================================
``{"tuple": []}``   a tuple                     ``{"float": "nan"}``   a non-finite float
``{"dict": {}}``    a dict with string keys     ``{"scalar": [dtype, v]}``  a numpy scalar
``{"array": key}``  a numeric array, stored as the entry ``key`` of the archive
``{"strings": {}}`` an array of strings (``U`` or object dtype), stored in the JSON
``{"generator": {}}`` a ``numpy.random.Generator`` (its bit generator's name and state)
``{"module": {}}``  an ``nn.MLP``: its constructor's arguments, its repr and its state entries
==================  ==========================================================================

A public attribute of any other type makes ``save`` raise ``TypeError``; a private one (an
optimizer kept for ``partial_fit``, say) is left out and listed under ``"not_saved"``. Loading
knows only nn's own estimator classes and ``nn.MLP``, sets no attribute that would shadow a
method or property, and checks every shape against the description before anything is built.

>>> import numpy as np, nn
>>> X, y = nn.data.blobs(n_per_blob=20, seed=0)
>>> description, arrays = describe(nn.LogisticRegression().fit(X, y))
>>> description["class"], sorted(arrays)
('LogisticRegression', ['classes_', 'coef_', 'intercept_', 'n_iter_'])
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
_TAGS = ("tuple", "dict", "float", "scalar", "array", "strings", "generator", "module")
_SCALAR_DTYPE = re.compile(r"^[<>|=]?[biuf]\d{1,2}$")
_STRING_DTYPE = re.compile(r"^[<>|=]?U\d{1,6}$")
DESCRIPTION_VERSION = 1


class _UnsupportedError(TypeError):
    """A value the format has no encoding for (the message names its type)."""


def _classes() -> Dict[str, type]:
    from .estimators import LogisticRegression, MLPClassifier, MLPRegressor, Perceptron

    return {c.__name__: c for c in (LogisticRegression, Perceptron, MLPClassifier, MLPRegressor)}


def is_estimator(obj: Any) -> bool:
    """Whether ``obj`` is one of nn's estimators (fitted or not)."""
    from .estimators.base import BaseEstimator

    return isinstance(obj, BaseEstimator)


# -- encoding ---------------------------------------------------------------------------------
class _Encoder:
    def __init__(self) -> None:
        self.arrays: Dict[str, np.ndarray] = {}

    def value(self, v: Any, key: str) -> Any:
        from .layers import MLP

        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, np.generic):
            if v.dtype.kind not in "biuf":
                raise _UnsupportedError(f"a numpy scalar of dtype {v.dtype}")
            return {"scalar": [v.dtype.str, self.value(v.item(), key)]}
        if isinstance(v, numbers.Integral):
            return int(v)
        if isinstance(v, float):
            return v if math.isfinite(v) else {"float": repr(v)}
        if isinstance(v, list):
            return [self.value(item, f"{key}/{i}") for i, item in enumerate(v)]
        if isinstance(v, tuple):
            return {"tuple": [self.value(item, f"{key}/{i}") for i, item in enumerate(v)]}
        if isinstance(v, dict):
            if not all(isinstance(k, str) for k in v):
                raise _UnsupportedError("a dict with non-string keys")
            return {"dict": {k: self.value(item, f"{key}/{k}") for k, item in v.items()}}
        if isinstance(v, np.ndarray):
            if v.dtype.kind in "biufc":
                self.arrays[key] = v
                return {"array": key}
            if v.dtype.kind in "UO" and all(isinstance(s, str) for s in v.ravel().tolist()):
                dtype = "O" if v.dtype.kind == "O" else v.dtype.str
                return {"strings": {"dtype": dtype, "shape": list(v.shape), "items": v.ravel().tolist()}}
            raise _UnsupportedError(f"an array of dtype {v.dtype}")
        if isinstance(v, np.random.Generator):
            name = type(v.bit_generator).__name__
            if name not in _BIT_GENERATORS:
                raise _UnsupportedError(f"a Generator on {name}")
            return {"generator": {"bit_generator": name, "state": self.value(v.bit_generator.state, key)}}
        if type(v) is MLP:
            return {"module": self._mlp(v, key)}
        raise _UnsupportedError(f"a {type(v).__name__}")

    def _mlp(self, model: Any, key: str) -> Dict[str, Any]:
        from .activations import ACTIVATIONS, get_activation

        layers = list(model.layers)
        n_linear = len(model.hidden_sizes) + 1

        def name_of(layer: Any) -> str:
            for name in ACTIVATIONS:
                candidate = get_activation(name)
                if type(candidate) is type(layer) and repr(candidate) == repr(layer):
                    return name
            raise _UnsupportedError(
                f"an MLP whose activation {layer!r} is not one of nn.ACTIVATIONS' defaults"
            )

        activation = name_of(layers[1]) if n_linear > 1 else "relu"
        output = name_of(layers[-1]) if len(layers) == 2 * n_linear else None
        for name, array in model.state_dict().items():
            self.arrays[f"{key}/{name}"] = array
        config = {
            "in_features": model.in_features,
            "hidden_sizes": list(model.hidden_sizes),
            "out_features": model.out_features,
            "activation": activation,
            "output_activation": output,
            "dtype": model.dtype.name,
        }
        return {"config": config, "state": f"{key}/", "training": model.training, "repr": repr(model)}


def describe(est: Any) -> Tuple[Dict[str, Any], Dict[str, np.ndarray]]:
    """(JSON-able description, arrays by entry name) of a fitted estimator; raises
    ``NotFittedError`` for an unfitted one and ``TypeError`` for what cannot be saved."""
    from .estimators.base import NotFittedError

    name = type(est).__name__
    if _classes().get(name) is not type(est):
        raise TypeError(
            f"save: {name} is not one of nn's estimators ({', '.join(_classes())}); save its parts"
        )
    if not hasattr(est, "n_features_in_"):
        raise NotFittedError(
            f"save: this {name} is not fitted yet: call fit first (nn.save stores fitted estimators; "
            "to keep only the settings, save est.get_params() as metadata)"
        )
    encoder = _Encoder()
    params = est.get_params(deep=False)
    encoded_params = {}
    for key, value in params.items():
        try:
            encoded_params[key] = encoder.value(value, key)
        except _UnsupportedError as err:
            raise TypeError(f"save: {name} parameter {key!r} is {err}, which nn.save cannot store") from None
    attributes, not_saved = {}, []
    for key, value in vars(est).items():
        if key in params or key.startswith("__"):
            continue
        try:
            attributes[key] = encoder.value(value, key)
        except _UnsupportedError as err:
            if key.startswith("_"):
                not_saved.append(key)
                continue
            raise TypeError(f"save: {name} attribute {key!r} is {err}, which nn.save cannot store") from None
    description = {
        "version": DESCRIPTION_VERSION,
        "class": name,
        "params": encoded_params,
        "attributes": attributes,
        "not_saved": sorted(not_saved),
    }
    return description, encoder.arrays


# -- decoding ---------------------------------------------------------------------------------
class _Decoder:
    """Decodes a description. Without ``arrays`` it only validates (against the entries'
    shapes and dtypes) and builds nothing large; with them it returns the real objects."""

    def __init__(self, shapes: Dict[str, Tuple[tuple, np.dtype]], arrays: Optional[Dict[str, np.ndarray]]):
        self.shapes, self.arrays = shapes, arrays
        self.used: set = set()

    def value(self, v: Any, where: str) -> Any:
        if v is None or isinstance(v, (bool, str, int, float)):
            return v
        if isinstance(v, list):
            return [self.value(item, f"{where}[{i}]") for i, item in enumerate(v)]
        if not isinstance(v, dict) or len(v) != 1 or next(iter(v)) not in _TAGS:
            raise ValueError(f"{where}: unknown encoded value {str(v)[:80]}")
        tag, body = next(iter(v.items()))
        return getattr(self, "_" + tag)(body, where)

    def _tuple(self, body: Any, where: str) -> tuple:
        _expect(isinstance(body, list), where, "a tuple must be a list")
        return tuple(self.value(item, f"{where}[{i}]") for i, item in enumerate(body))

    def _dict(self, body: Any, where: str) -> dict:
        _expect(isinstance(body, dict), where, "a dict must be an object")
        return {k: self.value(item, f"{where}[{k!r}]") for k, item in body.items()}

    def _float(self, body: Any, where: str) -> float:
        _expect(body in ("inf", "-inf", "nan"), where, f"{body!r} is not a non-finite float")
        return float(body)

    def _scalar(self, body: Any, where: str) -> Any:
        _expect(isinstance(body, list) and len(body) == 2 and isinstance(body[0], str), where, "bad scalar")
        _expect(bool(_SCALAR_DTYPE.match(body[0])), where, f"bad scalar dtype {body[0]!r}")
        item = self.value(body[1], where)
        _expect(isinstance(item, (bool, int, float)), where, "a scalar must hold a number")
        try:
            return np.array(item, dtype=np.dtype(body[0]))[()]
        except (TypeError, ValueError, OverflowError) as err:
            raise ValueError(f"{where}: {err}") from None

    def _array(self, body: Any, where: str) -> Any:
        _expect(isinstance(body, str) and body in self.shapes, where, f"no entry {body!r} in the file")
        _expect(body not in self.used, where, f"entry {body!r} is used twice")
        self.used.add(body)
        return None if self.arrays is None else self.arrays[body]

    def _strings(self, body: Any, where: str) -> np.ndarray:
        _expect(
            isinstance(body, dict) and set(body) == {"dtype", "shape", "items"}, where, "bad string array"
        )
        dtype, shape, items = body["dtype"], body["shape"], body["items"]
        _expect(
            dtype == "O" or (isinstance(dtype, str) and bool(_STRING_DTYPE.match(dtype))), where, "bad dtype"
        )
        _expect(isinstance(shape, list) and all(_is_count(d) for d in shape), where, f"bad shape {shape!r}")
        _expect(
            isinstance(items, list) and all(isinstance(s, str) for s in items), where, "items must be str"
        )
        _expect(math.prod(shape) == len(items), where, f"{len(items)} items for shape {shape}")
        if dtype == "O":
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(shape)
        _expect(
            all(len(s) <= np.dtype(dtype).itemsize // 4 for s in items), where, f"items longer than {dtype}"
        )
        return np.array(items, dtype=dtype).reshape(shape)

    def _generator(self, body: Any, where: str) -> np.random.Generator:
        _expect(isinstance(body, dict) and set(body) == {"bit_generator", "state"}, where, "bad generator")
        name = body["bit_generator"]
        _expect(name in _BIT_GENERATORS, where, f"unknown bit generator {name!r}")
        state = self.value(body["state"], where)
        if self.arrays is None:  # the state may hold an array entry (MT19937's key)
            return None  # type: ignore[return-value]
        bit_generator = getattr(np.random, name)()
        try:
            bit_generator.state = state
        except (TypeError, ValueError, KeyError) as err:
            raise ValueError(f"{where}: invalid {name} state: {err}") from None
        return np.random.Generator(bit_generator)

    def _module(self, body: Any, where: str) -> Any:
        from .activations import ACTIVATIONS
        from .layers import MLP

        _expect(
            isinstance(body, dict) and set(body) == {"config", "state", "training", "repr"},
            where,
            "bad module",
        )
        config, prefix = body["config"], body["state"]
        keys = {"in_features", "hidden_sizes", "out_features", "activation", "output_activation", "dtype"}
        _expect(isinstance(config, dict) and set(config) == keys, where, "bad MLP config")
        sizes = [config["in_features"], *_as_list(config["hidden_sizes"], where), config["out_features"]]
        _expect(all(_is_count(s) and s >= 1 for s in sizes), where, f"bad layer sizes {sizes}")
        _expect(config["activation"] in ACTIVATIONS, where, f"unknown activation {config['activation']!r}")
        out = config["output_activation"]
        _expect(out is None or out in ACTIVATIONS, where, f"unknown output activation {out!r}")
        _expect(config["dtype"] in ("float32", "float64"), where, f"bad dtype {config['dtype']!r}")
        _expect(isinstance(prefix, str) and isinstance(body["training"], bool), where, "bad module")
        _expect(isinstance(body["repr"], str), where, "bad module repr")
        dtype = np.dtype(config["dtype"])
        expected = {}
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            expected[f"layers.{2 * i}.weight"] = (n_out, n_in)
            expected[f"layers.{2 * i}.bias"] = (n_out,)
        for name, shape in expected.items():
            entry = prefix + name
            _expect(entry in self.shapes, where, f"the network's entry {entry!r} is missing")
            got_shape, got_dtype = self.shapes[entry]
            _expect(
                got_shape == shape and got_dtype == dtype,
                where,
                f"entry {entry!r} is {got_dtype}{list(got_shape)}, the network needs {dtype}{list(shape)}",
            )
            _expect(entry not in self.used, where, f"entry {entry!r} is used twice")
            self.used.add(entry)
        if self.arrays is None:
            return None
        model = MLP(sizes[0], sizes[1:-1], sizes[-1], activation=config["activation"],
                    output_activation=out, dtype=dtype, seed=0)  # fmt: skip
        model.load_state_dict({name: self.arrays[prefix + name] for name in expected})
        model.train(body["training"])
        _expect(repr(model) == body["repr"], where, "the rebuilt network differs from the saved one")
        return model


def _expect(ok: bool, where: str, message: str) -> None:
    if not ok:
        raise ValueError(f"{where}: {message}")


def _is_count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _as_list(v: Any, where: str) -> List[Any]:
    _expect(isinstance(v, list), where, "hidden_sizes must be a list")
    return v


def _decode(description: Any, shapes: Dict[str, Tuple[tuple, np.dtype]], arrays: Optional[dict]) -> Any:
    keys = {"version", "class", "params", "attributes", "not_saved"}
    _expect(isinstance(description, dict) and set(description) == keys, "description", "wrong keys")
    _expect(
        description["version"] == DESCRIPTION_VERSION, "description", f"version {description['version']!r}"
    )
    cls = _classes().get(description["class"]) if isinstance(description["class"], str) else None
    _expect(cls is not None, "description", f"unknown estimator class {str(description['class'])[:80]!r}")
    params, attributes = description["params"], description["attributes"]
    _expect(isinstance(params, dict) and isinstance(attributes, dict), "description", "bad params/attributes")
    names = set(cls._get_param_names())
    unknown = sorted(set(params) - names)
    _expect(not unknown, cls.__name__, f"unknown parameters {unknown} (saved by a different nn?)")
    for key in attributes:
        _expect(
            key.isidentifier() and not key.startswith("__") and key not in names and not hasattr(cls, key),
            cls.__name__,
            f"attribute name {key[:80]!r} is not allowed",
        )
    _expect("n_features_in_" in attributes, cls.__name__, "the description is not of a fitted estimator")
    decoder = _Decoder(shapes, arrays)
    values = {key: decoder.value(v, f"{cls.__name__}.{key}") for key, v in params.items()}
    fitted = {key: decoder.value(v, f"{cls.__name__}.{key}") for key, v in attributes.items()}
    extra = sorted(set(shapes) - decoder.used)
    _expect(not extra, cls.__name__, f"entries {extra[:5]} belong to nothing in the description")
    if arrays is None:
        return None
    est = cls(**values)
    for key, value in fitted.items():
        setattr(est, key, value)
    return est


def check(description: Any, shapes: Dict[str, Tuple[tuple, np.dtype]]) -> None:
    """Validate a description against the file's entries (name -> (shape, dtype)); ValueError."""
    _decode(description, shapes, None)


def build(description: Any, arrays: Dict[str, np.ndarray]) -> Any:
    """The estimator a validated description and its arrays describe."""
    shapes = {k: (a.shape, a.dtype) for k, a in arrays.items()}
    return _decode(description, shapes, arrays)
