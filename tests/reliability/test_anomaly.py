"""NaN hunting: detect_anomaly() stops at the first op making NaN/inf, naming it and the
user's file:line; outside it, NaN flows through silently, as in numpy."""

import inspect
import os
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import AnomalyError, detect_anomaly, tensor
from autograd_core._grad_mode import STATE

THIS_FILE = os.path.basename(__file__)


def _line():
    """The caller's current line number."""
    return inspect.currentframe().f_back.f_lineno


def _assert_site(err, op, line):
    message = str(err.value)
    assert f"'{op}'" in message, message
    assert f"{THIS_FILE}:{line}" in message, message


@pytest.fixture(autouse=True)
def quiet_numpy():
    # numpy's own RuntimeWarnings for log(-1) etc. are not what these tests look at.
    with np.errstate(all="ignore"):
        yield


def test_forward_nan_names_the_first_op_and_the_user_line():
    x = tensor([1.0, 2.0], requires_grad=True)
    with detect_anomaly():
        a = x * 2.0
        with pytest.raises(AnomalyError) as err:
            line = _line() + 1
            b = ag.log(a - 3.0)  # log(-1): the first NaN; exp(b) below would be the second
            ag.exp(b)
    _assert_site(err, "log", line)
    assert "NaN" in str(err.value)


@pytest.mark.parametrize(
    "op, make",
    [
        ("div", lambda x: x / 0.0),
        ("exp", lambda x: ag.exp(x * 1000.0)),
        ("log", lambda x: (x - 5.0).log()),
        ("sqrt", lambda x: ag.sqrt(-x)),
        ("pow", lambda x: (-x) ** 0.5),
        ("matmul", lambda x: x @ np.array([np.inf, 1.0])),
    ],
)
def test_forward_inf_or_nan_in_operators_methods_and_functions(op, make):
    x = tensor([1.0, 2.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        make(x)
    assert f"'{op}'" in str(err.value)
    assert THIS_FILE in str(err.value)  # the lambda in the table above is the user code


def test_backward_nan_names_the_first_rule_and_where_its_op_was_created():
    x = tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly():
        line = _line() + 1
        root = ag.sqrt(x)  # finite forward; its derivative at 0 is inf
        y = (root * 3.0).sum()
        with pytest.raises(AnomalyError) as err:
            y.backward()
    _assert_site(err, "sqrt", line)
    assert "inf" in str(err.value) and "backward" in str(err.value)


def test_backward_inf_of_a_two_input_op_names_it():
    base = tensor([0.0, 4.0], requires_grad=True)
    exponent = tensor([0.5, 0.5], requires_grad=True)
    with detect_anomaly():
        line = _line() + 1
        y = (base**exponent).sum()  # finite forward; d/dbase = 0.5 * 0 ** -0.5 = inf
        with pytest.raises(AnomalyError) as err:
            y.backward()
    _assert_site(err, "pow", line)
    assert "input 0" in str(err.value)


def test_backward_nan_from_zero_times_inf_is_caught():
    x = tensor([0.0], requires_grad=True)
    with detect_anomaly():
        line = _line() + 1
        root = ag.sqrt(x)
        y = ag.sum(root * 0.0)  # upstream 0 reaches sqrt's rule: 0 / (2 * 0) = NaN
        with pytest.raises(AnomalyError) as err:
            y.backward()
    _assert_site(err, "sqrt", line)


def test_backward_reports_the_op_nearest_the_output_first():
    # Two rules produce NaN; backward meets the later op first (reverse tape order).
    x = tensor([0.0], requires_grad=True)
    with detect_anomaly():
        a = ag.sqrt(x)
        line = _line() + 1
        b = ag.sqrt(a)
        with pytest.raises(AnomalyError) as err:
            b.sum().backward()
    _assert_site(err, "sqrt", line)


def test_anomaly_state_is_restored_after_an_error_and_when_nested():
    with pytest.raises(AnomalyError):
        with detect_anomaly():
            ag.log(tensor([-1.0], requires_grad=True))
    assert not STATE.anomaly
    with detect_anomaly():
        with detect_anomaly():
            pass
        assert STATE.anomaly
    assert not STATE.anomaly


def test_anomaly_checks_inputs_that_do_not_require_grad_too():
    with detect_anomaly(), pytest.raises(AnomalyError, match="'log'"):
        ag.log(tensor([-1.0]))


def test_outside_detect_anomaly_nan_propagates_silently_like_numpy():
    x = tensor([-1.0, 0.0, 4.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy may warn; nothing may raise
        y = ag.sqrt(x)
        expected = np.sqrt(x.data)
        y.sum().backward()
    np.testing.assert_array_equal(y.data, expected)
    assert np.isnan(x.grad.data[0]) and np.isinf(x.grad.data[1]) and x.grad.data[2] == 0.25


def test_model_forward_anomaly_names_the_user_line():
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [4], 1, seed=0)
    bad = np.array([[np.inf, 1.0]], dtype=np.float32)
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        model(bad)
    assert "'linear'" in str(err.value)


def test_model_anomaly_site_is_the_users_code_not_nn_internals():
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [4], 1, seed=0)
    bad = np.array([[np.inf, 1.0]], dtype=np.float32)
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        line = _line() + 1
        model(bad)
    _assert_site(err, "linear", line)
