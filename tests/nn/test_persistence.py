"""nn.save / nn.load: round trips, atomic writes, and hostile or broken files."""

import io
import os
import pathlib
import pickle
import warnings
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn.persistence import FORMAT_VERSION, PersistenceError, load, save


def _state():
    rng = np.random.default_rng(0)
    return {
        "layers.0.weight": rng.normal(size=(4, 3)).astype(np.float32),
        "layers.0.bias": np.zeros(4, dtype=np.float32),
        "count": np.array(7, dtype=np.int64),
        "fortran": np.asfortranarray(rng.normal(size=(3, 5))),
        "mask": np.array([True, False]),
        "empty": np.zeros((0, 2)),
    }


def _assert_same(a, b):
    assert list(a) == list(b)
    for k in a:
        assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape, k
        np.testing.assert_array_equal(a[k], b[k])


def test_round_trip_keeps_keys_dtypes_shapes_values(tmp_path):
    path = tmp_path / "w.npz"
    save(_state(), path)
    loaded = load(path)
    _assert_same(loaded, _state())
    assert all(v.flags.writeable for v in loaded.values())
    # a plain numpy reader sees a normal archive
    with np.load(path, allow_pickle=False) as npz:
        assert int(npz["__format__"]) == FORMAT_VERSION


def test_metadata_round_trip_and_default(tmp_path):
    path = tmp_path / "w.npz"
    meta = {"hidden": [16, 8], "activation": "relu", "lr": 0.01, "note": "ünïcode"}
    save(_state(), path, metadata=meta)
    state, got = load(path, with_metadata=True)
    assert got == meta
    _assert_same(state, _state())
    save(_state(), path)
    assert load(path, with_metadata=True)[1] == {}
    with zipfile.ZipFile(path) as zf:
        assert "__metadata__.npy" not in zf.namelist()


def test_module_round_trip_gives_identical_predictions(tmp_path):
    import nn

    model = nn.MLP(2, [8], 1, activation="tanh", seed=0)
    X = np.random.default_rng(1).normal(size=(10, 2))
    save(model, tmp_path / "m.npz")
    other = nn.MLP(2, [8], 1, activation="tanh", seed=1)
    other.load_state_dict(load(tmp_path / "m.npz"))
    np.testing.assert_array_equal(model(X).data, other(X).data)


def test_keys_named_like_numpy_keywords_are_fine(tmp_path):
    state = {"file": np.ones(2), "allow_pickle": np.zeros(3)}
    save(state, tmp_path / "w.npz")
    _assert_same(load(tmp_path / "w.npz"), state)


def _safe(key):
    # The rule, written independently of nn.persistence: member names never read as paths.
    return (
        not key.startswith("__")
        and "\\" not in key
        and ":" not in key
        and not any(ord(c) < 32 or ord(c) == 127 or 0x80 <= ord(c) < 0xA0 for c in key)
        and all(part not in ("", ".", "..") for part in key.split("/"))
    )


@given(
    st.dictionaries(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8),
        st.sampled_from([np.float32, np.float64, np.int32, np.uint8, np.complex128]),
        max_size=4,
    )
)
def test_round_trip_any_safe_keys_and_refuse_unsafe_ones(tmp_path_factory, spec):
    path = tmp_path_factory.mktemp("h") / "w.npz"
    state = {k: np.arange(6, dtype=dt).reshape(2, 3) for k, dt in spec.items()}
    if all(_safe(k) for k in state):
        save(state, path)
        _assert_same(load(path), state)
    else:
        with pytest.raises(ValueError, match="invalid key"):
            save(state, path)
        assert not path.exists()


# -- atomicity --------------------------------------------------------------------------------
def _only(path):
    return sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("target", ["replace", "write_array", "fsync"])
def test_failure_mid_save_leaves_previous_file_and_no_temp(tmp_path, monkeypatch, target):
    path = tmp_path / "w.npz"
    save({"a": np.ones(3)}, path)
    calls = []

    def boom(*args, **kwargs):
        calls.append(1)
        if target != "write_array" or len(calls) == 2:  # let the first entry be written
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)

    owner = {"replace": os, "fsync": os, "write_array": np.lib.format}[target]
    real = getattr(owner, target)
    monkeypatch.setattr(owner, target, boom)
    with pytest.raises(OSError, match="simulated"):
        save({"a": np.zeros(3), "b": np.zeros(5)}, path)
    monkeypatch.undo()
    assert _only(path) == ["w.npz"]
    _assert_same(load(path), {"a": np.ones(3)})


def test_keyboard_interrupt_mid_save_also_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "w.npz"

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save({"a": np.ones(3)}, path)
    assert _only(path) == []


def test_overwrite_keeps_file_mode(tmp_path):
    path = tmp_path / "w.npz"
    save({"a": np.ones(1)}, path)
    os.chmod(path, 0o640)
    save({"a": np.zeros(1)}, path)
    assert (os.stat(path).st_mode & 0o777) == 0o640
    np.testing.assert_array_equal(load(path)["a"], [0.0])


# -- bad input to save -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "obj,metadata,exc,match",
    [
        ({"w": np.array(["a", "b"])}, None, TypeError, "'w' has dtype <U1"),
        ({"w": np.array([object()])}, None, TypeError, "dtype object"),
        ({"__format__": np.ones(1)}, None, ValueError, "invalid key"),
        ({1: np.ones(1)}, None, ValueError, "invalid key"),
        ({"": np.ones(1)}, None, ValueError, "invalid key"),
        (42, None, TypeError, "Module or a state dict"),
        ({"w": np.ones(1)}, {"x": object()}, TypeError, "JSON"),
        ({"w": np.ones(1)}, {"x": float("nan")}, TypeError, "JSON"),
        ({"w": np.ones(1)}, ["not", "a", "dict"], TypeError, "metadata must be a dict"),
    ],
)
def test_save_rejects_bad_input_without_touching_disk(tmp_path, obj, metadata, exc, match):
    path = tmp_path / "w.npz"
    save({"old": np.ones(2)}, path)
    with pytest.raises(exc, match=match):
        save(obj, path, metadata=metadata)
    assert _only(path) == ["w.npz"]
    _assert_same(load(path), {"old": np.ones(2)})


# -- hostile and broken files ------------------------------------------------------------------
class _Payload:
    """Unpickling this creates a marker file: proof that the file's code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.marker),))


def _npz_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, array in entries.items():
            with zf.open(name, "w") as f:
                np.lib.format.write_array(f, array, allow_pickle=True)
    return buf.getvalue()


def test_planted_pickle_in_npz_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload(marker)
    path = tmp_path / "evil.npz"
    path.write_bytes(_npz_bytes({"__format__.npy": np.array(1), "w.npy": payload}))
    with pytest.raises(PersistenceError, match="'w'.*pickle"):
        load(path)
    assert not marker.exists()
    # sanity: the payload really works when unpickled
    pickle.loads(pickle.dumps(_Payload(marker)))
    assert marker.exists()


def test_raw_pickle_file_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    path.write_bytes(pickle.dumps({"w": _Payload(marker)}))
    with pytest.raises(PersistenceError, match="not a readable nn weight file"):
        load(path)
    assert not marker.exists()


def test_truncated_files_raise(tmp_path):
    path = tmp_path / "w.npz"
    save(_state(), path)
    data = path.read_bytes()
    for cut in [0, 10, len(data) // 3, len(data) // 2, len(data) - 30, len(data) - 1]:
        path.write_bytes(data[:cut])
        with pytest.raises(PersistenceError):
            load(path)


def test_flipped_bytes_raise_or_load_consistently(tmp_path):
    path = tmp_path / "w.npz"
    save({"w": np.arange(64, dtype=np.float64)}, path)
    data = path.read_bytes()
    rng = np.random.default_rng(0)
    for pos in rng.integers(0, len(data), size=60):
        corrupt = bytearray(data)
        corrupt[pos] ^= 0xFF
        path.write_bytes(bytes(corrupt))
        try:
            state = load(path)
        except PersistenceError:
            continue
        # a flip in zip bookkeeping that zipfile tolerates must still give the right array
        np.testing.assert_array_equal(state["w"], np.arange(64, dtype=np.float64))


@given(st.binary(max_size=300))
def test_random_bytes_raise_persistence_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("r") / "w.npz"
    path.write_bytes(blob)
    with pytest.raises(PersistenceError):
        load(path)


def test_foreign_npz_and_npy_and_wrong_version(tmp_path):
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, w=np.ones(2))
    with pytest.raises(PersistenceError, match="foreign"):
        load(foreign)
    npy = tmp_path / "a.npy"
    np.save(npy, np.ones(2))
    with pytest.raises(PersistenceError, match="not a readable"):
        load(npy)
    for version in [np.array(2), np.array(1.0), np.array([1]), np.array(0)]:
        path = tmp_path / "v.npz"
        path.write_bytes(_npz_bytes({"__format__.npy": version, "w.npy": np.ones(2)}))
        with pytest.raises(PersistenceError, match="format version"):
            load(path)


@pytest.mark.parametrize(
    "entries,match",
    [
        ({"__format__.npy": np.array(1), "w.txt": np.ones(1)}, "not .npy"),
        ({"__format__.npy": np.array(1), "w.npy": np.array(["text"])}, "non-numeric"),
        ({"__format__.npy": np.array(1), "__other__.npy": np.ones(1)}, "reserved"),
        ({"__format__.npy": np.array(1), "__metadata__.npy": np.array("[1, 2]")}, "JSON object"),
        ({"__format__.npy": np.array(1), "__metadata__.npy": np.array("{oops")}, "JSON object"),
    ],
)
def test_malformed_archives(tmp_path, entries, match):
    path = tmp_path / "w.npz"
    path.write_bytes(_npz_bytes(entries))
    with pytest.raises(PersistenceError, match=match):
        load(path, with_metadata=True)


def test_declared_shape_larger_than_data_is_refused_before_allocating(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        with zf.open("__format__.npy", "w") as f:
            np.lib.format.write_array(f, np.array(1))
        zf.writestr("w.npy", header.getvalue() + b"\0" * 16)
    path = tmp_path / "bomb.npz"
    path.write_bytes(buf.getvalue())
    with pytest.raises(PersistenceError, match="truncated or corrupt"):
        load(path)


def test_duplicate_entries_are_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we write on purpose
        for name in ["__format__.npy", "w.npy", "w.npy"]:
            with zf.open(name, "w") as f:
                np.lib.format.write_array(f, np.array(1))
    path = tmp_path / "w.npz"
    path.write_bytes(buf.getvalue())
    with pytest.raises(PersistenceError, match="twice"):
        load(path)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.npz")


def test_a_file_that_lost_an_entry_is_refused(tmp_path):
    # A damaged zip directory can still parse, listing fewer entries: that must not load a
    # partial state silently.
    path = tmp_path / "w.npz"
    save({"a": np.ones(2), "b": np.zeros(3)}, path)
    damaged = tmp_path / "damaged.npz"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            if info.filename != "b.npy":
                dst.writestr(info, src.read(info))
    with pytest.raises(PersistenceError, match=r"damaged: entries missing \['b'\]"):
        load(damaged)


def test_an_entry_flagged_encrypted_is_refused(tmp_path):
    # Bit 0 of an entry's flags in the zip directory means "encrypted": zipfile then raises
    # RuntimeError, which must surface as PersistenceError like any other damage.
    path = tmp_path / "w.npz"
    save({"a": np.ones(2)}, path)
    blob = bytearray(path.read_bytes())
    blob[blob.index(b"PK\x01\x02") + 8] ^= 1
    path.write_bytes(bytes(blob))
    with pytest.raises(PersistenceError, match="not a readable nn weight file"):
        load(path)


def test_zip64_records_are_read(tmp_path, monkeypatch):
    # Archives past 4 GiB carry zip64 end records and zip64 sizes and offsets in the directory;
    # lowering zipfile's limit makes it write them for a small file.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 64)
    path = tmp_path / "w.npz"
    save(_state(), path, metadata={"a": 1})
    blob = path.read_bytes()
    assert b"PK\x06\x06" in blob and b"PK\x06\x07" in blob
    monkeypatch.undo()
    state, meta = load(path, with_metadata=True)
    _assert_same(state, _state())
    assert meta == {"a": 1}
