"""The malloc top pad applied at import (autograd_core._allocator)."""

import platform
import sys

import pytest

from autograd_core import _allocator

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


def test_default_pad_without_the_variable(monkeypatch):
    monkeypatch.delenv(_allocator.ENV_VAR, raising=False)
    assert _allocator.top_pad_setting() == _allocator.DEFAULT_TOP_PAD == 16 << 20


@pytest.mark.parametrize("raw, pad", [("0", 0), ("1048576", 1 << 20)])
def test_variable_chooses_the_pad(monkeypatch, raw, pad):
    monkeypatch.setenv(_allocator.ENV_VAR, raw)
    assert _allocator.top_pad_setting() == pad


@pytest.mark.parametrize("raw", ["abc", "-5", "1.5"])
def test_bad_variable_warns_and_leaves_the_allocator_alone(monkeypatch, raw):
    monkeypatch.setenv(_allocator.ENV_VAR, raw)
    with pytest.warns(RuntimeWarning, match=rf"{_allocator.ENV_VAR}='{raw}' is not a number of bytes"):
        assert _allocator.top_pad_setting() == 0


def test_zero_pad_is_not_applied():
    assert _allocator.tune_malloc(0) is False


@pytest.mark.skipif(not GLIBC, reason="mallopt's top pad is a glibc setting")
def test_pad_is_applied_on_glibc():
    assert _allocator.tune_malloc(_allocator.DEFAULT_TOP_PAD) is True
