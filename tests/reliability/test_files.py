"""Weight files: malformed, foreign or hostile files raise clearly and execute nothing;
an interrupted save leaves the previous file intact."""

import io
import os
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

nn = pytest.importorskip("nn")
if not hasattr(nn, "save"):
    pytest.skip("nn.save/nn.load not available yet", allow_module_level=True)

PersistenceError = nn.PersistenceError


def _model(seed=0):
    return nn.MLP(3, [5], 2, seed=seed)


def _saved(tmp_path, seed=0):
    path = tmp_path / "weights.npz"
    nn.save(_model(seed), path)
    return path, path.read_bytes()


def _write_npz(path, entries):
    """An .npz written by numpy itself (np.savez), entries name -> array."""
    with open(path, "wb") as f:
        np.savez(f, **entries)


def _assert_same_state(a, b):
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


class _Payload:
    """Unpickling this runs ``open(marker, "w")``, creating the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_round_trip_is_exact(tmp_path):
    model = _model()
    nn.save(model, tmp_path / "w.npz", metadata={"epochs": 3})
    state, meta = nn.load(tmp_path / "w.npz", with_metadata=True)
    _assert_same_state(state, model.state_dict())
    assert meta == {"epochs": 3}


def test_pickled_object_in_npz_is_refused_and_never_run(tmp_path):
    live_marker = tmp_path / "payload_works"
    # The payload is real: numpy with allow_pickle=True would execute it.
    _write_npz(tmp_path / "probe.npz", {"w": np.array([_Payload(live_marker)], dtype=object)})
    with np.load(tmp_path / "probe.npz", allow_pickle=True) as probe:
        probe["w"]
    assert live_marker.exists()

    marker = tmp_path / "pwned"
    hostile = tmp_path / "hostile.npz"
    state = _model().state_dict()
    _write_npz(hostile, {"__format__": np.array(1), **state, "layers.0.weight": np.array([_Payload(marker)])})
    with pytest.raises(PersistenceError, match="pickle") as err:
        nn.load(hostile)
    assert "layers.0.weight" in str(err.value)
    assert not marker.exists()


def test_pickle_stream_instead_of_npz_is_refused(tmp_path):
    import pickle

    marker = tmp_path / "pwned"
    path = tmp_path / "weights.npz"
    path.write_bytes(pickle.dumps({"w": _Payload(marker)}))
    with pytest.raises(PersistenceError, match="weights.npz"):
        nn.load(path)
    assert not marker.exists()


def test_pickled_metadata_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "meta.npz"
    _write_npz(path, {"__format__": np.array(1), "__metadata__": np.array(_Payload(marker), dtype=object)})
    with pytest.raises(PersistenceError):
        nn.load(path, with_metadata=True)
    assert not marker.exists()


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_file_raises(tmp_path, fraction):
    path, blob = _saved(tmp_path)
    path.write_bytes(blob[: int(len(blob) * fraction)])
    with pytest.raises(PersistenceError, match="weights.npz"):
        nn.load(path)


def test_every_truncation_point_raises(tmp_path):
    path, blob = _saved(tmp_path)
    for cut in range(0, len(blob), max(1, len(blob) // 200)):
        path.write_bytes(blob[:cut])
        with pytest.raises(PersistenceError):
            nn.load(path)


@pytest.mark.parametrize("seed", range(8))
def test_random_bytes_raise(tmp_path, seed):
    rng = np.random.default_rng(seed)
    path = tmp_path / "noise.npz"
    size = int(rng.integers(0, 5000))
    blob = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
    if seed == 0:
        blob = b"PK\x03\x04" + blob  # looks like a zip at first glance
    path.write_bytes(blob)
    with pytest.raises(PersistenceError):
        nn.load(path)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7))
def test_a_flipped_bit_raises_or_loads_the_original(tmp_path, position, bit):
    path, blob = _saved(tmp_path)
    original = nn.load(path)
    corrupt = bytearray(blob)
    corrupt[int(position * len(blob))] ^= 1 << bit
    path.write_bytes(bytes(corrupt))
    try:
        state = nn.load(path)
    except PersistenceError:
        return
    # Only bits outside the data (timestamps, attributes) can go unnoticed: the CRC guards the rest.
    _assert_same_state(state, original)


@pytest.mark.parametrize("version", [0, 2, 99, -1])
def test_wrong_format_version_raises_naming_it(tmp_path, version):
    path = tmp_path / "v.npz"
    _write_npz(path, {"__format__": np.array(version), "w": np.ones(3)})
    with pytest.raises(PersistenceError, match=f"version {version}"):
        nn.load(path)


@pytest.mark.parametrize(
    "format_entry", [np.array(1.0), np.array([1]), np.array("1")], ids=["float", "array", "string"]
)
def test_malformed_format_entry_raises(tmp_path, format_entry):
    path = tmp_path / "v.npz"
    _write_npz(path, {"__format__": format_entry, "w": np.ones(3)})
    with pytest.raises(PersistenceError):
        nn.load(path)


def test_foreign_npz_without_format_key_raises(tmp_path):
    path = tmp_path / "foreign.npz"
    _write_npz(path, {"w": np.ones(3)})
    with pytest.raises(PersistenceError, match="foreign"):
        nn.load(path)


def test_huge_declared_shape_is_refused_before_allocating(tmp_path):
    path = tmp_path / "huge.npz"
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12, 10**6)}
    )
    with zipfile.ZipFile(path, "w") as zf:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.array(1))
        zf.writestr("__format__.npy", buf.getvalue())
        zf.writestr("w.npy", header.getvalue() + b"\x00" * 64)
    with pytest.raises(PersistenceError, match="'w'"):
        nn.load(path)


def test_non_npy_entry_raises(tmp_path):
    path = tmp_path / "odd.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(PersistenceError, match="readme.txt"):
        nn.load(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "nope.npz")


def _load_into(model, path):
    before = {k: v.copy() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError) as err:
        model.load_state_dict(nn.load(path))
    _assert_same_state(model.state_dict(), before)  # a rejected load writes nothing
    return str(err.value)


def test_missing_key_raises_naming_it_and_leaves_the_model_unchanged(tmp_path):
    state = _model(1).state_dict()
    del state["layers.2.bias"]
    nn.save(state, tmp_path / "w.npz")
    assert "layers.2.bias" in _load_into(_model(), tmp_path / "w.npz")


def test_extra_key_raises_naming_it(tmp_path):
    state = _model(1).state_dict()
    state["layers.9.weight"] = np.ones(3, dtype=np.float32)
    nn.save(state, tmp_path / "w.npz")
    assert "layers.9.weight" in _load_into(_model(), tmp_path / "w.npz")


def test_wrong_shape_raises_naming_the_key_and_both_shapes(tmp_path):
    state = _model(1).state_dict()
    state["layers.2.weight"] = np.ones((2, 4), dtype=np.float32)  # the model has (2, 5)
    nn.save(state, tmp_path / "w.npz")
    message = _load_into(_model(), tmp_path / "w.npz")
    assert "layers.2.weight" in message and "(2, 4)" in message and "(2, 5)" in message


def test_model_from_a_different_architecture_raises(tmp_path):
    nn.save(nn.MLP(3, [7, 7], 2, seed=0), tmp_path / "w.npz")
    _load_into(_model(), tmp_path / "w.npz")


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name != "weights.npz")


@pytest.mark.parametrize("where", ["write_array", "fsync", "replace"])
def test_failure_in_the_middle_of_save_keeps_the_previous_file(tmp_path, monkeypatch, where):
    path, blob = _saved(tmp_path, seed=0)
    calls = {"n": 0}

    def broken(*args, **kwargs):
        calls["n"] += 1
        if where != "write_array" or calls["n"] == 3:  # write_array: fail mid-archive
            raise OSError(f"simulated failure in {where}")
        return real(*args, **kwargs)

    target = np.lib.format if where == "write_array" else os
    real = getattr(target, where)
    monkeypatch.setattr(target, where, broken)
    with pytest.raises(OSError, match="simulated"):
        nn.save(_model(seed=1), path)
    monkeypatch.undo()
    assert path.read_bytes() == blob
    _assert_same_state(nn.load(path), _model(seed=0).state_dict())
    assert _leftovers(tmp_path) == []  # the temporary file was removed


def test_keyboard_interrupt_during_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path, blob = _saved(tmp_path)

    def interrupted(fp, array, *args, **kwargs):
        fp.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", interrupted)
    with pytest.raises(KeyboardInterrupt):
        nn.save(_model(seed=2), path)
    monkeypatch.undo()
    assert path.read_bytes() == blob
    assert _leftovers(tmp_path) == []


def test_unsaveable_state_fails_before_touching_the_file(tmp_path):
    path, blob = _saved(tmp_path)
    state = _model().state_dict()
    state["layers.0.weight"] = np.array(["a", "b"])
    with pytest.raises(TypeError, match="layers.0.weight"):
        nn.save(state, path)
    assert path.read_bytes() == blob
    assert _leftovers(tmp_path) == []


# -- save hygiene (issue 12) ---------------------------------------------------------------------
KILL_ROUNDS = int(os.environ.get("NN_KILL_ROUNDS", "25"))


def _temps(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed-temp", "named-temp"])
def test_kill_9_during_saves_keeps_the_previous_file_and_no_temp_remains(tmp_path, monkeypatch, unnamed):
    import signal
    import time

    from nn import persistence

    if not unnamed:
        monkeypatch.setattr(persistence, "_open_unnamed", lambda directory, base: None)
    elif persistence._open_unnamed(str(tmp_path), "probe") is None:
        pytest.skip("no O_TMPFILE + link on this filesystem")
    path = tmp_path / "w.npz"
    states = [{"w": np.full(300_000, float(i))} for i in range(2)]  # 2.4 MB: a save takes a while
    nn.save(states[0], path)
    rng = np.random.default_rng(0)
    left_temps = 0
    for _ in range(KILL_ROUNDS):
        pid = os.fork()
        if pid == 0:  # the child saves in a loop until it is killed
            try:
                i = 1
                while True:
                    nn.save(states[i % 2], path)
                    i += 1
            finally:
                os._exit(1)
        time.sleep(float(rng.uniform(0.001, 0.03)))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        w = nn.load(path)["w"]  # the previous file, or the new one: never a partial one
        assert w.shape == (300_000,) and w[0] in (0.0, 1.0) and (w == w[0]).all()
        left_temps += bool(_temps(tmp_path))
    if unnamed:
        assert left_temps <= 2  # only a kill between link and rename can leave a name behind
    else:
        assert left_temps > 0  # the kills did land mid-save (a named temp file was left)
    nn.save(states[0], path)  # the next save removes what killed saves left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]


def test_the_next_save_removes_dead_writers_temps_but_not_live_ones(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "w.npz"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        for pid in (live.pid, dead.pid):
            (tmp_path / f".w.npz.{pid}.abcd.tmp").write_bytes(b"partial")
        (tmp_path / ".other.npz.1.abcd.tmp").write_bytes(b"not ours to judge")
        (tmp_path / ".w.npz.notapid.tmp").write_bytes(b"not ours")
        nn.save({"a": np.ones(2)}, path)
        assert _temps(tmp_path) == sorted(
            [f".w.npz.{live.pid}.abcd.tmp", ".other.npz.1.abcd.tmp", ".w.npz.notapid.tmp"]
        )
    finally:
        live.kill()
        live.wait()
    nn.save({"a": np.ones(2)}, path)
    assert f".w.npz.{live.pid}.abcd.tmp" not in _temps(tmp_path)


def test_an_unnamed_temp_file_has_no_name_while_it_is_written(tmp_path, monkeypatch):
    from nn import persistence

    if persistence._open_unnamed(str(tmp_path), "probe") is None:
        pytest.skip("no O_TMPFILE + link on this filesystem")
    seen = []
    real = persistence._write_archive

    def spy(f, arrays):
        real(f, arrays)
        seen.append(sorted(p.name for p in tmp_path.iterdir()))

    monkeypatch.setattr(persistence, "_write_archive", spy)
    nn.save({"a": np.ones(2)}, tmp_path / "w.npz")
    assert seen == [[]]  # written in full with no directory entry at all
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]


@pytest.mark.parametrize(
    "key", ["../../x", "/abs", "a/../b", "a//b", "a\\b", "C:x", "a\x00b", "a\nb", "./a", "a/", "__x"]
)
def test_unsafe_keys_are_refused_at_save(tmp_path, key):
    with pytest.raises(ValueError, match="invalid key"):
        nn.save({key: np.ones(2)}, tmp_path / "w.npz")
    assert list(tmp_path.iterdir()) == []


def test_nested_keys_with_slashes_are_fine(tmp_path):
    state = {"encoder/layer.0.weight": np.ones(2), "decoder/x": np.zeros(1)}
    nn.save(state, tmp_path / "w.npz")
    _assert_same_state(nn.load(tmp_path / "w.npz"), state)


# -- caps and non-finite values -------------------------------------------------------------------
def test_non_finite_parameters_are_refused_unless_asked(tmp_path):
    state = _model().state_dict()
    state["layers.0.weight"][0, 0] = np.nan
    nn.save(state, tmp_path / "w.npz")
    with pytest.raises(
        PersistenceError, match=r"'layers.0.weight' holds 1 NaN or infinite.*allow_nonfinite=True"
    ):
        nn.load(tmp_path / "w.npz")
    assert np.isnan(nn.load(tmp_path / "w.npz", allow_nonfinite=True)["layers.0.weight"][0, 0])
    nn.save({"count": np.array([1, 2])}, tmp_path / "ints.npz")  # integers are always finite
    assert nn.load(tmp_path / "ints.npz")["count"].tolist() == [1, 2]


def test_max_bytes_caps_the_data_read(tmp_path):
    nn.save({"w": np.zeros(1000)}, tmp_path / "w.npz")
    with pytest.raises(PersistenceError, match="over the cap max_bytes=4096"):
        nn.load(tmp_path / "w.npz", max_bytes=4096)
    assert nn.load(tmp_path / "w.npz", max_bytes=20_000)["w"].shape == (1000,)


def test_text_and_json_caps(tmp_path, monkeypatch):
    from nn import persistence

    with pytest.raises(TypeError, match="deeper than"):
        nn.save({"w": np.ones(1)}, tmp_path / "w.npz", metadata=_deep(80))
    nn.save({"w": np.ones(1)}, tmp_path / "w.npz", metadata={"note": "x" * 5000})
    monkeypatch.setattr(persistence, "MAX_TEXT_BYTES", 4096)
    with pytest.raises(PersistenceError, match="'__metadata__' is .* bytes of text"):
        nn.load(tmp_path / "w.npz")
    with pytest.raises(TypeError, match="larger than load's cap"):
        nn.save({"w": np.ones(1)}, tmp_path / "w.npz", metadata={"note": "x" * 5000})


def _deep(n):
    value = []
    for _ in range(n):
        value = [value]
    return {"deep": value}


def test_loading_reads_each_array_once_into_its_buffer(tmp_path):
    import tracemalloc

    nn.save({"w": np.zeros(2_000_000)}, tmp_path / "w.npz")  # 16 MB
    tracemalloc.start()
    state = nn.load(tmp_path / "w.npz")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert state["w"].nbytes == 16_000_000
    assert peak < 1.2 * state["w"].nbytes  # no second copy of the data (the old loader held three)
