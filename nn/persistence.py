"""Saving and loading weights (and fitted estimators) as ``.npz`` archives: no pickle, atomic
writes, a format version, and a loader that validates the whole file before trusting any of it.

A file holds one ``.npy`` entry per state-dict key, plus ``__format__`` (the format version),
``__entries__`` (the names of all entries, so a file that lost some is refused) and optionally
``__metadata__`` (a JSON string stored as a numpy unicode scalar) and ``__estimator__`` (the
JSON description of a fitted estimator, see ``nn._estimator_io``). It is a plain ``.npz``:
``numpy.load(path, allow_pickle=False)`` reads it too.

Loading is in two passes. The first reads only the archive's structure (``nn._zipread``: stored
entries tiling the file, every size checked against the file's real size), each entry's
``.npy`` header and the small JSON entries (at most ``MAX_TEXT_BYTES`` each, nesting at most
``MAX_JSON_DEPTH``), and checks all of it, shapes included, against each other and the caps.
Only then are the arrays read, each straight into its final buffer, so memory is the size of
the data returned. Nothing in a file is ever executed; object dtypes are refused from the header.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple, Union

import numpy as np

from autograd_core import Tensor

from . import _zipread

FORMAT_VERSION = 1
_FORMAT_KEY = "__format__"
_METADATA_KEY = "__metadata__"
_ESTIMATOR_KEY = "__estimator__"
# The names of every other entry, so a file that lost entries (a damaged zip directory
# still parses, with fewer entries) is refused instead of loading a partial state.
_MANIFEST_KEY = "__entries__"
_TEXT_KEYS = (_METADATA_KEY, _MANIFEST_KEY, _ESTIMATOR_KEY)
_NUMERIC_KINDS = "biufc"

#: Default cap on the bytes of array data ``load`` reads (``max_bytes=`` raises or lowers it).
DEFAULT_MAX_BYTES = 4 * 2**30
#: Cap on each JSON/text entry (metadata, manifest, estimator description).
MAX_TEXT_BYTES = 16 * 2**20
#: Cap on the nesting depth of JSON metadata, checked before it is parsed.
MAX_JSON_DEPTH = 64
MAX_ENTRIES = _zipread.MAX_ENTRIES
_MAX_NPY_HEADER = 10_000  # numpy's own default cap on a .npy header (characters)

PathLike = Union[str, "os.PathLike[str]"]


class PersistenceError(ValueError):
    """A weight file is corrupt, truncated, foreign, pickle-bearing, over a cap, of an unknown
    version, or holds non-finite parameters."""


# -- keys and JSON ------------------------------------------------------------------------------
def unsafe_key_reason(key: Any) -> Optional[str]:
    """Why ``key`` cannot name an entry (``None`` if it can).

    Keys become member names in the archive; a name that reads as a path (absolute, ``..``,
    backslashes, drive letters) or holds control characters could be misused by any tool that
    extracts the archive, so neither ``save`` writes nor ``load`` accepts one.

    >>> unsafe_key_reason("layers.0.weight") is None, unsafe_key_reason("../../x")
    (True, "a path component is '..'")
    """
    if not isinstance(key, str) or not key:
        return "keys are non-empty strings"
    if key.startswith("__"):
        return "keys starting with '__' are reserved"
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in key):
        return "it holds a control character or a lone surrogate"
    if "\\" in key or ":" in key:
        return "it holds a backslash or a colon (path separators on some systems)"
    if key.startswith("/"):
        return "it is an absolute path"
    if any(part in ("", ".", "..") for part in key.split("/")):
        bad = next(part for part in key.split("/") if part in ("", ".", ".."))
        return f"a path component is {bad!r}"
    if len((key + ".npy").encode("utf-8")) > _zipread.MAX_NAME_BYTES:
        return f"it is longer than {_zipread.MAX_NAME_BYTES - 4} bytes"
    return None


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)


def json_depth(text: str) -> int:
    """Nesting depth of the JSON ``text``, counted without parsing (brackets inside strings are
    skipped), so that a hostile document cannot exhaust the parser's recursion.

    >>> json_depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    skeleton = _JSON_STRING.sub("", text).encode("utf-8", "replace")
    codes = np.frombuffer(skeleton, dtype=np.uint8)
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int64) - np.isin(codes, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


def _reject_constant(token: str) -> float:
    raise ValueError(f"{token} is not JSON (only finite numbers are)")


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(f"the number {token[:20]} overflows a float")
    return value


def parse_json(text: str, where: str) -> Any:
    """``json.loads`` for untrusted text: depth-limited, finite numbers only; ``PersistenceError``."""
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise PersistenceError(
            f"{where}: JSON nested {depth} levels deep (at most {MAX_JSON_DEPTH} are read)"
        )
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as err:
        raise PersistenceError(f"{where}: not valid JSON: {err}") from None


def _json_text(value: Any, where: str) -> str:
    try:
        text = json.dumps(value, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError, RecursionError) as err:
        raise TypeError(f"{where} must be JSON-serialisable (str keys, finite numbers): {err}") from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise TypeError(f"{where} is nested deeper than {MAX_JSON_DEPTH} levels, which load refuses")
    if len(text) * 4 > MAX_TEXT_BYTES:
        raise TypeError(f"{where} is larger than load's cap of {MAX_TEXT_BYTES // 4} characters")
    return text


# -- save ------------------------------------------------------------------------------------------
def _state_arrays(state: Mapping, where: str = "save") -> Dict[str, np.ndarray]:
    arrays = {}
    for key, value in state.items():
        reason = unsafe_key_reason(key)
        if reason is not None:
            raise ValueError(f"{where}: invalid key {key!r}: {reason}")
        array = np.asarray(value.data if isinstance(value, Tensor) else value)
        if array.dtype.kind not in _NUMERIC_KINDS:
            raise TypeError(f"{where}: {key!r} has dtype {array.dtype}; only numeric arrays can be saved")
        arrays[key] = array
    return arrays


def _contents(obj: Any) -> Tuple[Dict[str, np.ndarray], Dict[str, np.ndarray]]:
    """(state arrays, reserved text entries) for a Module, a state dict or a fitted estimator."""
    from . import _estimator_io

    if isinstance(obj, Mapping):
        return _state_arrays(obj), {}
    if _estimator_io.is_estimator(obj):
        description, arrays = _estimator_io.describe(obj)
        text = _json_text(description, f"save: the description of {type(obj).__name__}")
        return _state_arrays(arrays), {_ESTIMATOR_KEY: np.array(text)}
    if callable(getattr(obj, "state_dict", None)):
        return _state_arrays(obj.state_dict()), {}
    raise TypeError(
        f"save: expected a Module or a state dict (name -> array), or a fitted nn estimator; "
        f"got {type(obj).__name__}"
    )


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


_TEMP_SUFFIX = ".tmp"
_STALE_AGE = 3600.0  # seconds; where a writer's pid cannot be checked (Windows)
_unnamed_ok: Dict[int, bool] = {}  # st_dev -> whether O_TMPFILE + link works there


def _temp_prefix(base: str) -> str:
    return f".{base}."


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's live process
        return True
    return True


def _remove_stale_temps(directory: str, base: str) -> None:
    """Delete temp files a killed save of ``base`` left (ours: ``.BASE.PID.XXXX.tmp``, whose
    writer is gone), never a live writer's."""
    prefix = _temp_prefix(base)
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
            continue
        pid_text = name[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit():
            continue
        full = os.path.join(directory, name)
        try:
            if os.name == "nt":  # os.kill(pid, 0) would signal there: go by age
                stale = time.time() - os.stat(full).st_mtime > _STALE_AGE
            else:
                stale = int(pid_text) != os.getpid() and not _pid_alive(int(pid_text))
            if stale:
                os.unlink(full)
        except OSError:
            pass


def _link_fd(fd: int, path: str) -> None:
    """Give the unnamed file ``fd`` the name ``path``: ``linkat`` through ``/proc/self/fd``, or
    with ``AT_EMPTY_PATH`` where that fails (some kernels' mount setups; needs privilege)."""
    try:
        os.link(f"/proc/self/fd/{fd}", path)
        return
    except OSError as err:
        first = err
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_empty_path = -100, 0x1000
    if libc.linkat(fd, b"", at_fdcwd, os.fsencode(path), at_empty_path) != 0:
        raise first


def _open_unnamed(directory: str, base: str) -> Optional[int]:
    """A file with no name in ``directory`` (Linux ``O_TMPFILE``): a save killed before its link
    leaves nothing behind. None where the OS or filesystem has none, or cannot link it."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        device = os.stat(directory).st_dev
    except OSError:
        return None
    if _unnamed_ok.get(device) is False:
        return None
    try:
        fd = os.open(directory, flag | os.O_WRONLY, 0o600)
    except OSError:
        _unnamed_ok[device] = False
        return None
    if device not in _unnamed_ok:  # probe once per filesystem that a link works (not always so)
        probe_fd = os.open(directory, flag | os.O_WRONLY, 0o600)
        probe = os.path.join(directory, f"{_temp_prefix(base)}{os.getpid()}.probe{_TEMP_SUFFIX}")
        try:
            _link_fd(probe_fd, probe)
            os.unlink(probe)
            _unnamed_ok[device] = True
        except OSError:
            _unnamed_ok[device] = False
            os.close(fd)
            return None
        finally:
            os.close(probe_fd)
    return fd


def _write_archive(f: Any, arrays: Dict[str, np.ndarray]) -> None:
    import zipfile

    # zipfile + write_array is what np.savez does, minus its keyword arguments
    # (a key named "file" or "allow_pickle" would collide with them).
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for key, array in arrays.items():
            with zf.open(key + ".npy", "w", force_zip64=True) as entry:
                np.lib.format.write_array(entry, np.asanyarray(array), allow_pickle=False)


def save(obj: Any, path: PathLike, metadata: Mapping | None = None) -> None:
    """Write a Module's ``state_dict()``, a dict name -> array, or a fitted estimator to ``path``.

    The write is atomic: the data goes to a temporary file in the same directory (unnamed
    where Linux allows, ``O_TMPFILE``), is flushed, fsynced, linked and renamed over ``path``;
    on any failure the temporary file is removed and an existing ``path`` is left as it was.
    Temporary files a killed save left behind are removed by the next save to the same path.
    ``metadata`` is an optional JSON-serialisable dict (e.g. hyper-parameters). Keys must be
    safe member names (no ``..``, absolute paths, backslashes or control characters).

    A fitted ``LogisticRegression``, ``Perceptron``, ``MLPClassifier`` or ``MLPRegressor`` is
    saved with its parameters, fitted attributes and network; ``load`` returns it, predicting
    exactly as before. An unfitted estimator is refused.

    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "weights.npz")
    >>> save({"w": np.eye(2, dtype=np.float32)}, path, metadata={"epochs": 3})
    >>> state, meta = load(path, with_metadata=True)
    >>> state["w"].dtype, meta
    (dtype('float32'), {'epochs': 3})
    """
    arrays: Dict[str, np.ndarray] = {_FORMAT_KEY: np.array(FORMAT_VERSION, dtype=np.int64)}
    if metadata is not None:
        if not isinstance(metadata, Mapping):
            raise TypeError(f"save: metadata must be a dict, got {type(metadata).__name__}")
        arrays[_METADATA_KEY] = np.array(_json_text(dict(metadata), "save: metadata"))
    state, reserved = _contents(obj)
    arrays.update(reserved)
    arrays.update(state)
    arrays[_MANIFEST_KEY] = np.array(sorted(arrays), dtype=np.str_)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    _remove_stale_temps(directory, base)
    mode = stat.S_IMODE(os.stat(path).st_mode) if os.path.exists(path) else 0o644
    tmp: Optional[str] = None
    try:
        fd = _open_unnamed(directory, base)
        if fd is None:
            fd, tmp = tempfile.mkstemp(
                prefix=f"{_temp_prefix(base)}{os.getpid()}.", suffix=_TEMP_SUFFIX, dir=directory
            )
        with os.fdopen(fd, "wb") as f:
            _write_archive(f, arrays)
            f.flush()
            os.fsync(f.fileno())
            if hasattr(os, "fchmod"):  # mkstemp and O_TMPFILE create 0600: keep the old mode
                os.fchmod(f.fileno(), mode)
            if tmp is None:  # give the unnamed file a name of ours, then rename it into place
                tmp = os.path.join(
                    directory, f"{_temp_prefix(base)}{os.getpid()}.{os.urandom(6).hex()}{_TEMP_SUFFIX}"
                )
                _link_fd(f.fileno(), tmp)
        if not hasattr(os, "fchmod"):
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise
    _fsync_dir(directory)


# -- load ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    """One entry after the first pass: its key, shape, dtype and where its data starts."""

    key: str
    entry: _zipread.Entry
    shape: tuple
    fortran: bool
    dtype: np.dtype
    data_offset: int
    header_crc: int  # the running CRC-32 of the entry up to data_offset


def _fail(path: str, message: str) -> PersistenceError:
    return PersistenceError(f"load: {path}: {message}")


def _plan_entry(f: Any, entry: _zipread.Entry, key: str, path: str) -> _Plan:
    import zlib

    peek = _zipread.read_bytes(f, entry.offset, min(entry.size, 12 + 4 * _MAX_NPY_HEADER))
    buf = io.BytesIO(peek)
    try:
        version = np.lib.format.read_magic(buf)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(buf, max_header_size=_MAX_NPY_HEADER)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(buf, max_header_size=_MAX_NPY_HEADER)
        else:
            raise _fail(path, f"entry {key!r} has unsupported .npy version {version}")
    except PersistenceError:
        raise
    except Exception as err:  # numpy's header parser raises many kinds (TokenError...) on junk
        raise _fail(
            path, f"entry {key!r} has a malformed .npy header: {' '.join(str(err).split())[:200]}"
        ) from None
    header_len = buf.tell()
    if dtype.hasobject:
        raise _fail(
            path,
            f"entry {key!r} holds Python objects (dtype {dtype}); it would need pickle, which is never loaded",
        )
    allowed = "U" if key in _TEXT_KEYS else _NUMERIC_KINDS
    if dtype.kind not in allowed or dtype.subdtype is not None or dtype.itemsize == 0:
        raise _fail(path, f"entry {key!r} has non-numeric dtype {dtype}")
    if any(d < 0 for d in shape):
        raise _fail(path, f"entry {key!r} declares the negative shape {shape}")
    nbytes = math.prod(shape) * dtype.itemsize
    held = entry.size - header_len
    if nbytes != held:
        raise _fail(
            path,
            f"entry {key!r} declares shape {shape} dtype {dtype} ({nbytes} bytes) but holds {held} bytes: "
            "the file is truncated or corrupt",
        )
    if key in _TEXT_KEYS and nbytes > MAX_TEXT_BYTES:
        raise _fail(path, f"entry {key!r} is {nbytes} bytes of text (at most {MAX_TEXT_BYTES} are read)")
    return _Plan(
        key, entry, tuple(shape), fortran, dtype, entry.offset + header_len, zlib.crc32(peek[:header_len])
    )


def _read_plan(f: Any, plan: _Plan, path: str) -> np.ndarray:
    """The entry's array, read straight into its buffer; the entry's CRC is checked."""
    nbytes = math.prod(plan.shape) * plan.dtype.itemsize
    try:
        flat = np.empty(nbytes, dtype=np.uint8)
    except MemoryError:
        raise _fail(path, f"not enough memory for entry {plan.key!r} of shape {plan.shape}") from None
    crc = _zipread.read_into(f, plan.data_offset, memoryview(flat), plan.header_crc)
    values = flat.view(plan.dtype)
    array = values.reshape(plan.shape[::-1]).T if plan.fortran else values.reshape(plan.shape)
    if crc != plan.entry.crc:
        raise PersistenceError(
            f"load: {path} is not a readable nn weight file (truncated, corrupt or not an .npz): "
            f"entry {plan.key!r} fails its CRC check"
        )
    return array


def _text(f: Any, plan: Optional[_Plan], path: str) -> Optional[np.ndarray]:
    return None if plan is None else _read_plan(f, plan, path)


def load(
    path: PathLike,
    with_metadata: bool = False,
    *,
    allow_nonfinite: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Any:
    """Read a file written by ``save``: the state dict (name -> array) or the fitted estimator,
    and the metadata if asked (``with_metadata=True`` returns ``(obj, metadata)``, ``{}`` when
    none was saved).

    Raises ``PersistenceError`` (a ValueError) for a truncated, corrupt, foreign (no format key),
    pickle-bearing, compressed or newer-version file, one whose JSON or sizes break a cap
    (``max_bytes`` of array data, ``MAX_TEXT_BYTES`` per text entry, ``MAX_JSON_DEPTH``,
    ``MAX_ENTRIES``), or one holding NaN or infinite values (``allow_nonfinite=True`` accepts
    those); a missing file raises ``FileNotFoundError``. Everything is checked before any array
    is allocated, and the arrays are read with no intermediate copy.

    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "w.npz")
    >>> save({"layer.weight": np.ones((2, 3))}, path)
    >>> {k: v.shape for k, v in load(path).items()}
    {'layer.weight': (2, 3)}
    """
    path = os.fspath(path)
    kind = os.stat(path).st_mode  # FileNotFoundError as documented
    if stat.S_ISDIR(kind):
        raise IsADirectoryError(f"load: {path} is a directory, not a weight file")
    if not stat.S_ISREG(kind):  # a FIFO or device would block or never end
        raise _fail(path, "not a regular file")
    with open(path, "rb", buffering=0) as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _fail(path, "not a regular file")
        try:
            entries = _zipread.read_directory(f, info.st_size)
        except _zipread.ZipFormatError as err:
            raise PersistenceError(
                f"load: {path} is not a readable nn weight file (truncated, corrupt or not an .npz): {err}"
            ) from None
        total = sum(e.size for e in entries)
        if total > max_bytes:
            raise _fail(path, f"holds {total} bytes of data, over the cap max_bytes={max_bytes}")
        try:
            return _load_entries(f, entries, path, with_metadata, allow_nonfinite)
        except _zipread.ZipFormatError as err:  # the file changed or shrank while being read
            raise _fail(path, str(err)) from None


def _load_entries(f: Any, entries: list, path: str, with_metadata: bool, allow_nonfinite: bool) -> Any:
    from . import _estimator_io

    plans: Dict[str, _Plan] = {}
    for entry in entries:
        if not entry.name.endswith(".npy"):
            raise _fail(path, f"unexpected entry {entry.name!r} (not .npy)")
        key = entry.name[:-4]
        if key in plans:
            raise _fail(path, f"entry {key!r} appears twice")
        if key not in (_FORMAT_KEY, *_TEXT_KEYS):
            reason = unsafe_key_reason(key)
            if reason is not None and not key.startswith("__"):
                raise _fail(path, f"entry name {key!r} is unsafe: {reason}")
        plans[key] = _plan_entry(f, entry, key, path)
    fmt = plans.pop(_FORMAT_KEY, None)
    if fmt is None:
        raise PersistenceError(
            f"load: {path} has no {_FORMAT_KEY!r} entry: a foreign .npz, not written by nn.save"
        )
    if fmt.entry.size > 4096:
        raise _fail(path, f"the {_FORMAT_KEY!r} entry is {fmt.entry.size} bytes")
    version = _read_plan(f, fmt, path)
    if version.shape != () or version.dtype.kind not in "iu" or int(version) != FORMAT_VERSION:
        raise PersistenceError(
            f"load: {path} has format version {version.tolist()!r}; this nn reads version {FORMAT_VERSION}"
        )
    texts = {key: plans.pop(key, None) for key in _TEXT_KEYS}
    for key in plans:
        if key.startswith("__"):
            raise _fail(path, f"unknown reserved entry {key!r}")
    metadata: Any = {}
    meta_array = _text(f, texts[_METADATA_KEY], path)
    if meta_array is not None:
        metadata = (
            parse_json(str(meta_array[()]), f"load: {path}: {_METADATA_KEY!r} is not a JSON object")
            if meta_array.shape == ()
            else None
        )
        if not isinstance(metadata, dict):
            raise _fail(path, f"{_METADATA_KEY!r} is not a JSON object")
    found = [*plans, _FORMAT_KEY] + [k for k in _TEXT_KEYS if k != _MANIFEST_KEY and texts[k] is not None]
    _check_manifest(path, _text(f, texts[_MANIFEST_KEY], path), found)
    description = None
    estimator_array = _text(f, texts[_ESTIMATOR_KEY], path)
    if estimator_array is not None:
        if estimator_array.shape != ():
            raise _fail(path, f"{_ESTIMATOR_KEY!r} is not a JSON string")
        description = parse_json(str(estimator_array[()]), f"load: {path}: {_ESTIMATOR_KEY!r}")
        shapes = {key: (plan.shape, plan.dtype) for key, plan in plans.items()}
        try:
            _estimator_io.check(description, shapes)  # before any array is allocated
        except ValueError as err:
            raise _fail(path, f"the estimator description is invalid: {err}") from None
    arrays = {key: _read_plan(f, plan, path) for key, plan in plans.items()}
    if not allow_nonfinite:
        for key, array in arrays.items():
            if array.dtype.kind in "fc" and not np.isfinite(array).all():
                bad = int(array.size - np.count_nonzero(np.isfinite(array)))
                raise _fail(
                    path,
                    f"entry {key!r} holds {bad} NaN or infinite value(s) of {array.size}: a diverged or "
                    "damaged model (pass allow_nonfinite=True to load it anyway)",
                )
    result: Any = arrays
    if description is not None:
        try:
            result = _estimator_io.build(description, arrays)
        except ValueError as err:
            raise _fail(path, f"the estimator cannot be rebuilt: {err}") from None
    return (result, metadata) if with_metadata else result


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
