"""Saving and loading weights as ``.npz`` archives: no pickle, atomic writes, a format version.

A file holds one ``.npy`` entry per state-dict key, plus ``__format__`` (the format version),
``__entries__`` (the names of all entries, so a file that lost some is refused) and optionally
``__metadata__`` (a JSON string stored as a numpy unicode scalar). It is a
plain ``.npz``: ``numpy.load(path, allow_pickle=False)`` reads it too.

Loading parses the archive with ``zipfile`` and each entry's ``.npy`` header before reading
any data: object (pickle-bearing) dtypes are refused from the header alone, and an entry whose
declared shape does not fit its size is refused before anything is allocated. Nothing in a
file is ever executed.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any, Dict, Tuple, Union

import numpy as np

from autograd_core import Tensor

FORMAT_VERSION = 1
_FORMAT_KEY = "__format__"
_METADATA_KEY = "__metadata__"
# The names of every other entry, so a file that lost entries (a damaged zip directory
# still parses, with fewer entries) is refused instead of loading a partial state.
_MANIFEST_KEY = "__entries__"
_NUMERIC_KINDS = "biufc"

PathLike = Union[str, "os.PathLike[str]"]


class PersistenceError(ValueError):
    """A weight file is corrupt, truncated, foreign, pickle-bearing or of an unknown version."""


def _state_of(obj: Any) -> Dict[str, np.ndarray]:
    if isinstance(obj, Mapping):
        state = obj
    elif callable(getattr(obj, "state_dict", None)):
        state = obj.state_dict()
    else:
        raise TypeError(f"save: expected a Module or a state dict (name -> array), got {type(obj).__name__}")
    arrays = {}
    for key, value in state.items():
        if not isinstance(key, str) or not key or key.startswith("__") or "\x00" in key:
            raise ValueError(f"save: invalid key {key!r}: keys are non-empty strings not starting with '__'")
        array = np.asarray(value.data if isinstance(value, Tensor) else value)
        if array.dtype.kind not in _NUMERIC_KINDS:
            raise TypeError(f"save: {key!r} has dtype {array.dtype}; only numeric arrays can be saved")
        arrays[key] = array
    return arrays


def _metadata_array(metadata: Mapping | None) -> Dict[str, np.ndarray]:
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        raise TypeError(f"save: metadata must be a dict, got {type(metadata).__name__}")
    try:
        text = json.dumps(dict(metadata), allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"save: metadata must be JSON-serialisable (str keys, finite numbers): {err}"
        ) from None
    return {_METADATA_KEY: np.array(text)}  # a unicode scalar, never an object array


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # platforms (Windows) that cannot open a directory: the rename is all we get
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(module_or_state_dict: Any, path: PathLike, metadata: Mapping | None = None) -> None:
    """Write a Module's ``state_dict()`` (or a dict name -> array) to ``path`` as ``.npz``.

    The write is atomic: a temporary file in the same directory is written, flushed, fsynced
    and renamed over ``path``; on any failure it is removed and an existing ``path`` is left
    as it was. ``metadata`` is an optional JSON-serialisable dict (e.g. hyper-parameters).

    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "weights.npz")
    >>> save({"w": np.eye(2, dtype=np.float32)}, path, metadata={"epochs": 3})
    >>> state, meta = load(path, with_metadata=True)
    >>> state["w"].dtype, meta
    (dtype('float32'), {'epochs': 3})
    """
    arrays = {_FORMAT_KEY: np.array(FORMAT_VERSION, dtype=np.int64), **_metadata_array(metadata)}
    arrays.update(_state_of(module_or_state_dict))
    arrays[_MANIFEST_KEY] = np.array(sorted(arrays), dtype=np.str_)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            # zipfile + write_array is what np.savez does, minus its keyword arguments
            # (a key named "file" or "allow_pickle" would collide with them).
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
                for key, array in arrays.items():
                    with zf.open(key + ".npy", "w", force_zip64=True) as entry:
                        np.lib.format.write_array(entry, np.asanyarray(array), allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        mode = stat.S_IMODE(os.stat(path).st_mode) if os.path.exists(path) else 0o644
        os.chmod(tmp, mode)  # mkstemp creates 0600; keep the old file's mode, or the usual one
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(directory)


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> np.ndarray:
    key = info.filename[:-4]
    with zf.open(info) as entry:
        version = np.lib.format.read_magic(entry)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(entry)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(entry)
        else:
            raise PersistenceError(f"load: {path}: entry {key!r} has unsupported .npy version {version}")
        if dtype.hasobject:
            raise PersistenceError(
                f"load: {path}: entry {key!r} holds Python objects (dtype {dtype}); it would need "
                "pickle, which is never loaded"
            )
        allowed = "U" if key in (_METADATA_KEY, _MANIFEST_KEY) else _NUMERIC_KINDS
        if dtype.kind not in allowed:
            raise PersistenceError(f"load: {path}: entry {key!r} has non-numeric dtype {dtype}")
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if info.file_size - entry.tell() != nbytes:
            raise PersistenceError(
                f"load: {path}: entry {key!r} declares shape {shape} dtype {dtype} ({nbytes} bytes) but "
                f"holds {info.file_size - entry.tell()} bytes: the file is truncated or corrupt"
            )
        data = bytearray(entry.read(nbytes))  # reaching the end makes zipfile check the CRC
    if len(data) != nbytes:
        raise PersistenceError(f"load: {path}: entry {key!r} is truncated")
    array = np.frombuffer(data, dtype=dtype)
    return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)


def load(
    path: PathLike, with_metadata: bool = False
) -> Union[Dict[str, np.ndarray], Tuple[Dict[str, np.ndarray], dict]]:
    """Read a file written by ``save``: the state dict (name -> array), and the metadata if asked.

    Raises ``PersistenceError`` (a ValueError) for a truncated, corrupt, foreign (no format
    key), pickle-bearing or newer-version file; a missing file raises ``FileNotFoundError``.
    ``with_metadata=True`` returns ``(state, metadata)`` (``{}`` when none was saved).

    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "w.npz")
    >>> save({"layer.weight": np.ones((2, 3))}, path)
    >>> {k: v.shape for k, v in load(path).items()}
    {'layer.weight': (2, 3)}
    """
    path = os.fspath(path)
    arrays: Dict[str, np.ndarray] = {}
    with open(path, "rb") as f:
        try:
            with zipfile.ZipFile(f) as zf:
                infos = zf.infolist()
                for info in infos:
                    if not info.filename.endswith(".npy"):
                        raise PersistenceError(f"load: {path}: unexpected entry {info.filename!r} (not .npy)")
                    key = info.filename[:-4]
                    if key in arrays:
                        raise PersistenceError(f"load: {path}: entry {key!r} appears twice")
                    arrays[key] = _read_entry(zf, info, path)
        except PersistenceError:
            raise
        # RuntimeError: zipfile's "encrypted, password required" (a flipped flag bit).
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            ValueError,
            OSError,
            NotImplementedError,
            RuntimeError,
        ) as err:
            raise PersistenceError(
                f"load: {path} is not a readable nn weight file (truncated, corrupt or not an .npz): {err}"
            ) from None
    if _FORMAT_KEY not in arrays:
        raise PersistenceError(
            f"load: {path} has no {_FORMAT_KEY!r} entry: a foreign .npz, not written by nn.save"
        )
    version = arrays.pop(_FORMAT_KEY)
    if version.shape != () or version.dtype.kind not in "iu" or int(version) != FORMAT_VERSION:
        raise PersistenceError(
            f"load: {path} has format version {version.tolist()!r}; this nn reads version {FORMAT_VERSION}"
        )
    meta_array = arrays.pop(_METADATA_KEY, None)
    manifest = arrays.pop(_MANIFEST_KEY, None)
    for key in arrays:
        if key.startswith("__"):
            raise PersistenceError(f"load: {path}: unknown reserved entry {key!r}")
    metadata: dict = {}
    if meta_array is not None:
        try:
            metadata = json.loads(str(meta_array[()])) if meta_array.shape == () else None
        except ValueError:
            metadata = None
        if not isinstance(metadata, dict):
            raise PersistenceError(f"load: {path}: {_METADATA_KEY!r} is not a JSON object")
    _check_manifest(path, manifest, [*arrays, _FORMAT_KEY] + ([] if meta_array is None else [_METADATA_KEY]))
    return (arrays, metadata) if with_metadata else arrays


def _check_manifest(path: str, manifest: np.ndarray | None, found: list) -> None:
    if manifest is None or manifest.ndim != 1 or manifest.dtype.kind != "U":
        raise PersistenceError(
            f"load: {path} has no valid {_MANIFEST_KEY!r} entry: damaged, or not written by nn.save"
        )
    expected = set(manifest.tolist())
    if expected != set(found):
        raise PersistenceError(
            f"load: {path} is damaged: entries missing {sorted(expected - set(found))}, "
            f"unexpected {sorted(set(found) - expected)}"
        )
