"""Hostile weight files (issue 12): zip bombs, forged sizes, methods and headers, forged ``.npy``
headers, hostile JSON, inconsistent CLI metadata, non-finite weights, and fuzzed variants of a
valid file. Every one must give ``PersistenceError`` (or, from the CLI, one line and status 2)
in bounded time and memory, and execute nothing. They are loaded in one subprocess whose
address space is capped (``RLIMIT_AS``) a little above what it uses before the first load, so
an allocation of the size a file *declares* would fail there."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import nn
import nn.cli
from nn.persistence import MAX_JSON_DEPTH

from . import _zipkit as zk

resource = pytest.importorskip("resource")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc and RLIMIT_AS")

ROOT = pathlib.Path(__file__).resolve().parents[2]
HEADROOM = 160 * 2**20  # bytes of address space the subprocess may add while loading everything
N_FLIPS = int(os.environ.get("NN_FUZZ_FLIPS", "400"))


class _Payload:
    """Unpickling this creates a marker file: proof that the file's code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.marker),))


def _npy(array):
    import io

    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=True)
    return buf.getvalue()


def _replace(entries, name, data):
    return [(n, data if n == name else d) for n, d in entries]


def _members(entries, **by_name):
    """Members of ``entries``, with field overrides for the members named in ``by_name``."""
    return [zk.member(n, d, **by_name.get(n, {})) for n, d in entries]


def _cli_model(tmp_path):
    """A model file as ``python -m nn train --save`` writes it, its state and metadata."""
    path = tmp_path / "cli.npz"
    assert nn.cli.main(["train", "--epochs", "1", "--no-progress", "--hidden", "4", "--save", str(path)]) == 0
    state, meta = nn.load(path, with_metadata=True)
    return path, state, meta


def _hostile_files(d, marker):
    """name -> (what the loader must say, how the CLI must fail); files written into ``d``."""
    base = d / "base.npz"
    nn.save(nn.MLP(3, [4], 2, seed=0), base, metadata={"epochs": 3})
    blob = base.read_bytes()
    entries = zk.entries_of(blob)
    w = "layers.0.weight.npy"
    cases = {}

    def add(name, data, match):
        (d / f"{name}.npz").write_bytes(data)
        cases[name] = match

    # -- zip bombs and forged sizes, methods, flags and layout ---------------------------------
    gib = 2**30
    header = zk.npy_header(shape=(gib // 8,))
    bomb = zk.deflated(w, header, bytes(2**24), gib // 2**24)
    plain = [zk.member(n, data) for n, data in entries if n != w]
    add("bomb_deflate_1GiB", zk.build([bomb] + plain), "compressed")
    bomb2 = dict(bomb, usize=2 * gib, l_usize=2 * gib)  # a 1 MiB file declaring 2 GiB
    add("bomb_declared_2GiB", zk.build([bomb2] + plain), "compressed")
    for label, size in (("1TiB", 2**40), ("1GiB", gib), ("4GiB", 2**32 - 1)):
        forged = {w: {"usize": size, "csize": size, "l_usize": size, "l_csize": size}}
        add(
            f"stored_forged_{label}",
            zk.build(_members(entries, **forged)),
            "more than the file holds|overlap",
        )
        cd_only = {w: {"usize": size, "csize": size}}
        add(f"cd_size_forged_{label}", zk.build(_members(entries, **cd_only)), "disagrees")
    add("local_method_deflate", zk.build(_members(entries, **{w: {"l_method": 8}})), "disagrees")
    add("cd_method_bzip2", zk.build(_members(entries, **{w: {"method": 12}})), "compressed")
    add("local_crc_differs", zk.build(_members(entries, **{w: {"l_crc": 1}})), "disagrees")
    add(
        "local_name_differs",
        zk.build(_members(entries, **{w: {"local_name": b"layers.0.weigh.npy"}})),
        "disagrees",
    )
    add("crc_wrong_both", zk.build(_members(entries, **{w: {"crc": 1, "l_crc": 1}})), "CRC")
    add("encrypted_flag", zk.build(_members(entries, **{w: {"flags": 1, "l_flags": 1}})), "flags")
    add("local_flags_differ", zk.build(_members(entries, **{w: {"l_flags": 1}})), "disagrees")
    add("data_descriptor_flag", zk.build(_members(entries, **{w: {"flags": 8, "l_flags": 8}})), "flags")
    add("count_65535", zk.build(_members(entries), count=65535), "entries")
    add("count_short", zk.build(_members(entries), count=2), "beyond|does not end")
    add("cd_offset_beyond", zk.build(_members(entries), cd_offset=2**31), "does not end")
    add("cd_size_huge", zk.build(_members(entries), cd_size=2**31), "does not end")
    add("gap_between_entries", zk.build(_members(entries), gap=b"\0" * 64), "gaps")
    add("archive_comment", zk.build(_members(entries), comment=b"hi"), "comment|no end-of-archive")
    add("empty_archive", zk.build([]), "0 entries")
    add("duplicate_entry", zk.build(_members(entries + entries[:1])), "twice")
    add(
        "unsafe_name_dotdot",
        zk.build(_members(_replace(entries, w, b"") + [("../../x.npy", _npy(np.ones(2)))])),
        "unsafe",
    )
    add("unsafe_name_absolute", zk.build(_members(entries + [("/abs.npy", _npy(np.ones(2)))])), "unsafe")
    # -- forged .npy headers ------------------------------------------------------------------
    data = bytes(4 * 3 * 4)
    npys = {
        "npy_shape_1e18": zk.npy_header("<f4", (10**12, 10**6)) + data,
        "npy_shape_negative": zk.npy_header("<f4", (-4, -3)) + data,
        "npy_shape_not_ints": zk.npy_header(raw="{'descr': '<f4', 'fortran_order': False, 'shape': (4.0, 3)}")
        + data,
        "npy_header_len_2GiB": b"\x93NUMPY\x02\x00" + (2**31).to_bytes(4, "little") + data,
        "npy_deep_parens": zk.npy_header(raw="(" * 5000 + ")" * 5000) + data,
        "npy_object_dtype": zk.npy_header("|O", (4, 3)) + data,
        "npy_huge_unicode_dtype": zk.npy_header("<U99999999", (4, 3)) + data,
        "npy_subarray_dtype": zk.npy_header(("<f4", (10**5, 10**5)), (1,)) + data,
        "npy_version_9": b"\x93NUMPY\x09\x09" + data,
        "npy_junk": b"\x93NUMPY\x01\x00\xff\xff" + b"\x80" * 40,
    }
    for name, npy in npys.items():
        add(name, zk.build(_members(_replace(entries, w, npy))), "layers.0.weight")
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload(marker)
    add("pickle_payload", zk.build(_members(_replace(entries, w, _npy(payload)))), "pickle")
    # -- hostile JSON -------------------------------------------------------------------------
    for name, text in {
        "json_100k_lists": "[" * 100_000 + "]" * 100_000,
        "json_100k_objects": '{"a":' * 100_000 + "1" + "}" * 100_000,
        "json_just_too_deep": "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
        "json_nan": '{"a": NaN}',
        "json_overflow": '{"a": 1e999}',
        "json_huge_int": '{"a": 1' + "0" * 10_000 + "}",
        "json_brackets_in_strings_then_deep": '{"s": "]]]]]]]]", "a": ' + "[" * 5000 + "]" * 5000 + "}",
    }.items():
        add(name, zk.build(_members(_replace(entries, "__metadata__.npy", _npy(np.array(text)))))
            , "nested|not valid JSON")  # fmt: skip
    # -- non-finite weights -------------------------------------------------------------------
    for name, value in (("weights_nan", np.nan), ("weights_inf", np.inf)):
        state = nn.MLP(3, [4], 2, seed=0).state_dict()
        state["layers.0.weight"][1, 2] = value
        nn.save(state, d / f"{name}.npz")
        cases[name] = "NaN or infinite"
    return base, cases


def _cli_files(d, tmp_path):
    """Model files whose metadata disagrees with itself or the weights: name -> message."""
    _, state, meta = _cli_model(tmp_path)
    cases = {}

    def add(name, match, state=state, **changes):
        nn.save(state, d / f"{name}.npz", metadata={**meta, **changes})
        cases[name] = match

    add("hidden_100000x2", "do not match", hidden=[100000, 100000])
    add("hidden_12000x2", "do not match", hidden=[12000, 12000])
    add("hidden_not_ints", "'hidden'", hidden=["4"])
    add("hidden_bool", "'hidden'", hidden=[True])
    add("classes_ints", "'classes'", classes=[0, 1])
    add("single_class", "'classes'", classes=["a"], out_features=1)
    add("classes_repeated", "'classes'", classes=["a", "a"])
    add("out_features_disagrees", "'out_features'", out_features=3)
    add("mean_too_short", "'mean'", mean=[0.0])
    add("mean_matrix", "'mean'", mean=[[0.0, 0.0], [0.0, 0.0]])
    add("scale_zero", "'scale'", scale=[0.0, 1.0])
    add("scale_text", "'scale'", scale=["1", "1"])
    add("in_features_text", "'in_features'", in_features="2")
    add("activation_unknown", "'activation'", activation="os.system")
    add("kind_missing", "not written by", kind="something else")
    bad = dict(state)
    bad["layers.2.bias"] = np.full(2, np.nan)
    nn.save(bad, d / "bias_nan.npz", metadata=meta)
    cases["bias_nan"] = "NaN or infinite"
    return cases


_RUNNER = textwrap.dedent(
    """
    import contextlib, io, json, os, resource, sys, time
    import numpy as np
    import nn, nn.cli

    d, headroom, n_flips = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    base = os.path.join(d, "base.npz")
    original = nn.load(base)
    csv = os.path.join(d, "points.csv")
    pages = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (pages + headroom, pages + headroom))
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def attempt(fn):
        t = time.perf_counter()
        try:
            fn()
            out = ["ok", ""]
        except Exception as err:
            out = [type(err).__name__, str(err)[-300:]]
        return out + [time.perf_counter() - t]

    results = {}
    for name in sorted(os.listdir(d)):
        if name.endswith(".npz") and name != "base.npz":
            path = os.path.join(d, name)
            results[name[:-4]] = attempt(lambda: nn.load(path, with_metadata=True))
    cli = {}
    for name in sorted(os.listdir(d)):
        if name.endswith(".npz") and name != "base.npz":
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                try:
                    status = nn.cli.main(["predict", "--model", os.path.join(d, name), "--csv", csv])
                except BaseException as exc:  # anything escaping main is a failure of the promise
                    status = repr(exc)
            cli[name[:-4]] = [status, err.getvalue()]
    blob = open(base, "rb").read()
    fuzz = {"cuts": 0, "flips": 0, "flips_loaded": 0, "bad": [], "slowest": 0.0}
    probe = os.path.join(d, "fuzz.bin")

    def fuzz_one(data, label):
        with open(probe, "wb") as f:
            f.write(data)
        t = time.perf_counter()
        try:
            state = nn.load(probe)
        except nn.PersistenceError:
            state = None
        except Exception as err:
            fuzz["bad"].append([label, repr(err)[:200]])
            return
        finally:
            fuzz["slowest"] = max(fuzz["slowest"], time.perf_counter() - t)
        if state is not None:
            same = state.keys() == original.keys() and all(
                np.array_equal(state[k], original[k]) for k in state
            )
            fuzz["flips_loaded"] += 1
            if not same:
                fuzz["bad"].append([label, "loaded a different state"])

    for cut in range(len(blob)):
        fuzz["cuts"] += 1
        fuzz_one(blob[:cut], f"cut {cut}")
    fuzz["flips_loaded"] = 0
    rng = np.random.default_rng(0)
    for pos, bit in zip(rng.integers(0, len(blob), n_flips), rng.integers(0, 8, n_flips)):
        data = bytearray(blob)
        data[pos] ^= 1 << int(bit)
        fuzz["flips"] += 1
        fuzz_one(bytes(data), f"flip {pos}:{bit}")
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0
    print(json.dumps({"load": results, "cli": cli, "fuzz": fuzz, "rss_growth_kib": grown}))
    """
)


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    marker = d.parent / "pwned"
    base, load_cases = _hostile_files(d, marker)
    cli_cases = _cli_files(d, tmp_path_factory.mktemp("cli"))
    (d / "points.csv").write_text("x0,x1\n0,0\n3,0\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(d), str(HEADROOM), str(N_FLIPS)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout), load_cases, cli_cases, marker


def test_every_hostile_file_is_refused_clearly_in_bounded_time_and_memory(outcome):
    results, load_cases, _, marker = outcome
    import re

    for name, match in load_cases.items():
        kind, message, seconds = results["load"][name]
        assert kind == "PersistenceError", (name, kind, message)
        assert re.search(match, message), (name, message)
        assert seconds < 5, (name, seconds)
    assert not marker.exists()  # the pickle payload never ran
    # A loader that allocated what the bombs declare would have hit the address-space cap.
    assert results["rss_growth_kib"] * 1024 < HEADROOM


def test_cli_metadata_checked_against_the_weights_before_building(outcome):
    results, load_cases, cli_cases, _ = outcome
    for name, match in cli_cases.items():
        assert results["load"][name][0] == ("PersistenceError" if name == "bias_nan" else "ok"), name
        status, stderr = results["cli"][name]
        assert status == 2, (name, status, stderr)
        assert len(stderr.strip().splitlines()) == 1 and match in stderr, (name, stderr)
    for name in load_cases:  # every hostile file, through the CLI: one line, status 2
        status, stderr = results["cli"][name]
        assert status == 2 and len(stderr.strip().splitlines()) == 1, (name, status, stderr)
        assert "Traceback" not in stderr


def test_fuzzed_variants_of_a_valid_file(outcome):
    fuzz = outcome[0]["fuzz"]
    assert fuzz["bad"] == []  # every truncation and flip: PersistenceError, or the original state
    assert fuzz["cuts"] > 1000 and fuzz["flips"] == N_FLIPS
    assert fuzz["flips_loaded"] < fuzz["flips"] // 4  # the CRC and the header checks catch most
    assert fuzz["slowest"] < 2
