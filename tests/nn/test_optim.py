"""Optimizers: torch parity, in-place updates, state dicts, and bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_core import Tensor
from nn import optim

SHAPES = [(3, 4), (5,), ()]

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.02)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.02, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.02, weight_decay=0.05, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.03, betas=(0.5, 0.9), weight_decay=0.2, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.005, alpha=0.95, eps=1e-5, momentum=0.5, centered=True, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6)),
]


def _params(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [Tensor(rng.normal(size=s).astype(dtype), requires_grad=True) for s in SHAPES]


def _set_grads(params, rng):
    for p in params:
        p.grad = Tensor(rng.normal(size=p.shape).astype(p.dtype))


@pytest.mark.torch
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_matches_torch_over_20_steps(name, kwargs):
    torch = pytest.importorskip("torch")
    ours = _params(0)
    theirs = [torch.tensor(p.data.copy(), requires_grad=True) for p in ours]
    opt = getattr(optim, name)(ours, **kwargs)
    topt = getattr(torch.optim, name)(theirs, **kwargs)
    rng = np.random.default_rng(1)
    for step in range(20):
        grads = [rng.normal(size=p.shape) for p in ours]
        for p, t, g in zip(ours, theirs, grads):
            p.grad = Tensor(g.copy())
            t.grad = torch.tensor(g.copy())
        opt.step()
        topt.step()
        for p, t in zip(ours, theirs):
            np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=0, atol=1e-10, err_msg=f"step {step}")


@pytest.mark.torch
def test_param_groups_with_own_options_match_torch():
    torch = pytest.importorskip("torch")
    ours = _params(2)
    theirs = [torch.tensor(p.data.copy(), requires_grad=True) for p in ours]
    opt = optim.SGD([{"params": ours[:2], "momentum": 0.9}, {"params": ours[2:], "lr": 0.3}], lr=0.1)
    topt = torch.optim.SGD(
        [{"params": theirs[:2], "momentum": 0.9}, {"params": theirs[2:], "lr": 0.3}], lr=0.1
    )
    rng = np.random.default_rng(3)
    for _ in range(5):
        for p, t in zip(ours, theirs):
            g = rng.normal(size=p.shape)
            p.grad, t.grad = Tensor(g), torch.tensor(g)
        opt.step()
        topt.step()
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_updates_in_place_with_stable_buffers_and_float32_kept(name, kwargs):
    params = _params(0, np.float32)
    datas = [p.data for p in params]
    opt = getattr(optim, name)(params, **kwargs)
    rng = np.random.default_rng(0)
    _set_grads(params, rng)
    opt.step()
    buffers = {
        (i, k): v for i, p in enumerate(params) for k, v in opt.state[p].items() if isinstance(v, np.ndarray)
    }
    scratch = _scratch_ids(opt, params)
    for _ in range(3):
        _set_grads(params, rng)
        opt.step()
    for p, d in zip(params, datas):
        assert p.data is d and p.data.dtype == np.float32
    for (i, k), v in buffers.items():
        assert opt.state[params[i]][k] is v and v.dtype == np.float32
    assert _scratch_ids(opt, params) == scratch


def _scratch_ids(opt, params):
    """Every work array the optimizer holds: per parameter, and Adam's flat buffers of small groups."""
    ids = {id(a) for p in params for a in opt._scratch.get(p, [])}
    return ids | {
        id(b) for flat in getattr(opt, "_flats", {}).values() for b in (flat.m, flat.v, flat.g, flat.work)
    }


def _adam_run(groups, steps, skip=None):
    """Train ``groups`` (lists of fresh copies of the same parameters) with Adam; grads from seed 5."""
    params = [p for g in groups for p in g]
    opt = optim.Adam([{"params": g} for g in groups], lr=0.01)
    rng = np.random.default_rng(5)
    for step in range(steps):
        for i, p in enumerate(params):
            g = rng.normal(size=p.shape)
            p.grad = None if (skip and skip(step, i)) else Tensor(g)
        opt.step()
    return [p.data for p in params], opt


def test_adam_small_group_fused_matches_per_parameter_updates_bit_for_bit():
    fused, opt = _adam_run([_params(0)], 12)
    assert opt._flats, "three small parameters in one group take the fused path"
    alone, opt_alone = _adam_run([[p] for p in _params(0)], 12)  # one parameter per group: never fused
    assert not opt_alone._flats
    for a, b in zip(fused, alone):
        assert a.tobytes() == b.tobytes()


def test_adam_fused_falls_back_when_a_parameter_skips_a_step():
    def skip(step, i):
        return step == 3 and i == 1

    fused, _ = _adam_run([_params(0)], 8, skip)
    alone, _ = _adam_run([[p] for p in _params(0)], 8, skip)
    for a, b in zip(fused, alone):
        assert a.tobytes() == b.tobytes()


def test_step_does_not_touch_the_gradient_or_skip_rules():
    a, b = _params(0)[:2]
    g = np.ones(a.shape)
    a.grad = Tensor(g.copy())
    before_b = b.data.copy()
    opt = optim.SGD([a, b], lr=0.1, weight_decay=0.5, momentum=0.9, nesterov=True)
    opt.step()
    np.testing.assert_array_equal(a.grad.data, g)
    np.testing.assert_array_equal(b.data, before_b)  # grad None: skipped, no state
    assert b not in opt.state or not opt.state[b]


def test_step_bumps_the_version_so_a_stale_graph_refuses_backward():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (w * w).sum()
    w.grad = Tensor(np.ones(2))
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(Exception, match="(?i)modified|version|in place|inplace"):
        loss.backward()


def test_zero_grad_sets_none():
    params = _params(0)
    _set_grads(params, np.random.default_rng(0))
    opt = optim.Adam(params)
    opt.zero_grad()
    assert all(p.grad is None for p in params)


def test_closure_is_evaluated_and_returned():
    w = Tensor(np.array([3.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert float(loss.data) == 9.0
    np.testing.assert_allclose(w.data, [3.0 - 0.25 * 6.0])


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_state_dict_round_trip_continues_identically(name, kwargs):
    rng = np.random.default_rng(5)
    a, b = _params(4), _params(4)
    opt_a = getattr(optim, name)(a, **kwargs)
    for _ in range(3):
        _set_grads(a, rng)
        opt_a.step()
    for p, q in zip(a, b):
        q.data[...] = p.data
    opt_b = getattr(optim, name)(b, lr=0.5)  # different options: load must restore them
    sd = opt_a.state_dict()
    opt_b.load_state_dict(sd)
    assert opt_b.param_groups[0]["lr"] == kwargs["lr"]
    for _ in range(3):
        grads = [rng.normal(size=p.shape) for p in a]
        for p, q, g in zip(a, b, grads):
            p.grad, q.grad = Tensor(g), Tensor(g.copy())
        opt_a.step()
        opt_b.step()
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.data, q.data)
    # the snapshot is a copy: later steps did not change it
    assert all(isinstance(v, (np.ndarray, int)) for s in sd["state"].values() for v in s.values())


def _stepped_adam():
    params = _params(0)
    opt = optim.Adam(params, lr=0.1)
    _set_grads(params, np.random.default_rng(0))
    opt.step()
    return params, opt


def _bad_state_dicts():
    params, opt = _stepped_adam()
    good = opt.state_dict()

    def edit(fn):
        sd = opt.state_dict()
        fn(sd)
        return sd

    return [
        ("not a dict", [1, 2]),
        ("extra key", {**good, "x": 1}),
        ("too many groups", edit(lambda sd: sd["param_groups"].append(dict(sd["param_groups"][0])))),
        ("too few params", edit(lambda sd: sd["param_groups"][0]["params"].pop())),
        ("negative lr", edit(lambda sd: sd["param_groups"][0].update(lr=-1.0))),
        ("bad betas", edit(lambda sd: sd["param_groups"][0].update(betas=(0.9, 1.5)))),
        ("unknown option", edit(lambda sd: sd["param_groups"][0].update(momentum=0.9))),
        ("missing option", edit(lambda sd: sd["param_groups"][0].pop("eps"))),
        ("unknown index", edit(lambda sd: sd["state"].update({99: sd["state"][0]}))),
        ("missing buffer", edit(lambda sd: sd["state"][0].pop("exp_avg"))),
        ("wrong shape", edit(lambda sd: sd["state"][0].update(exp_avg=np.zeros(7)))),
        ("object array", edit(lambda sd: sd["state"][0].update(exp_avg=np.empty((3, 4), dtype=object)))),
        ("negative step", edit(lambda sd: sd["state"][0].update(step=-1))),
        ("float step", edit(lambda sd: sd["state"][0].update(step=1.5))),
    ]


@pytest.mark.parametrize("label,sd", _bad_state_dicts(), ids=[c[0] for c in _bad_state_dicts()])
def test_bad_state_dict_raises_and_leaves_optimizer_unchanged(label, sd):
    params, opt = _stepped_adam()
    before = opt.state_dict()
    with pytest.raises((ValueError, TypeError), match="Adam.load_state_dict"):
        opt.load_state_dict(sd)
    after = opt.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for i, s in before["state"].items():
        for k, v in s.items():
            np.testing.assert_array_equal(after["state"][i][k], v)


@pytest.mark.parametrize(
    "name,kwargs,word",
    [
        ("SGD", dict(lr=-0.1), "lr"),
        ("SGD", dict(lr=0.1, momentum=-0.5), "momentum"),
        ("SGD", dict(lr=0.1, weight_decay=float("nan")), "weight_decay"),
        ("SGD", dict(lr=0.1, nesterov=True), "Nesterov"),
        ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov"),
        ("Adam", dict(lr=-1e-3), "lr"),
        ("Adam", dict(betas=(1.0, 0.999)), "betas"),
        ("Adam", dict(betas=(0.9, -0.1)), "betas"),
        ("Adam", dict(betas=(0.9,)), "betas"),
        ("Adam", dict(eps=-1e-8), "eps"),
        ("AdamW", dict(weight_decay=-1.0), "weight_decay"),
        ("RMSprop", dict(alpha=-0.1), "alpha"),
        ("RMSprop", dict(momentum=-1), "momentum"),
        ("RMSprop", dict(eps=-1.0), "eps"),
        ("Adagrad", dict(lr_decay=-1.0), "lr_decay"),
        ("Adagrad", dict(initial_accumulator_value=-1.0), "initial_accumulator_value"),
        ("Adagrad", dict(eps=-1.0), "eps"),
    ],
)
def test_invalid_options_raise_value_error_naming_optimizer_and_value(name, kwargs, word):
    with pytest.raises(ValueError, match=f"{name}.*{word}"):
        getattr(optim, name)(_params(0), **kwargs)


@pytest.mark.parametrize(
    "params,exc",
    [
        ([], ValueError),
        (Tensor(np.zeros(2), requires_grad=True), TypeError),
        ([np.zeros(2)], TypeError),
        ([Tensor(np.zeros(2, dtype=np.int64))], TypeError),
        ("abc", TypeError),
    ],
)
def test_bad_params_raise(params, exc):
    with pytest.raises(exc, match="SGD"):
        optim.SGD(params, lr=0.1)


def test_duplicate_and_non_leaf_params_raise():
    w = Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(ValueError, match="more than once"):
        optim.SGD([w, w], lr=0.1)
    with pytest.raises(ValueError, match="leaf"):
        optim.SGD([w * 2], lr=0.1)
    opt = optim.SGD([w], lr=0.1)
    with pytest.raises(ValueError, match="more than once"):
        opt.add_param_group({"params": [w]})
    with pytest.raises(ValueError, match="unknown option"):
        opt.add_param_group({"params": [Tensor(np.zeros(1), requires_grad=True)], "learning_rate": 1.0})
    with pytest.raises(TypeError, match="lr must be a real number"):
        opt.add_param_group({"params": [Tensor(np.zeros(1), requires_grad=True)], "lr": "fast"})
    assert len(opt.param_groups) == 1


def test_bad_gradient_raises_before_any_parameter_changes():
    params = _params(0)
    opt = optim.Adam(params, lr=0.1)
    _set_grads(params, np.random.default_rng(0))
    # Assigning .grad checks shape and dtype; the optimizer checks again for a gradient
    # that bypassed the setter (written into the backing slot, as here).
    with pytest.raises(ValueError, match=r"grad: cannot assign a gradient of shape \(7,\)"):
        params[2].grad = Tensor(np.ones(7))
    params[2]._grad = Tensor(np.ones(7))
    before = [p.data.copy() for p in params]
    with pytest.raises(ValueError, match=r"Adam.step.*shape \(7,\)"):
        opt.step()
    params[2]._grad = Tensor(np.ones(params[2].shape, dtype=np.float32))
    with pytest.raises(ValueError, match="float32"):
        opt.step()
    for p, b in zip(params, before):
        np.testing.assert_array_equal(p.data, b)
    assert not any(opt.state.get(p) for p in params)


@given(
    lr=st.floats(1e-4, 1.0),
    momentum=st.floats(0.0, 0.99),
    wd=st.floats(0.0, 0.5),
    g=st.lists(st.floats(-10, 10), min_size=1, max_size=5),
)
def test_sgd_first_step_formula(lr, momentum, wd, g):
    g = np.array(g)
    w = Tensor(np.ones_like(g), requires_grad=True)
    w.grad = Tensor(g)
    optim.SGD([w], lr=lr, momentum=momentum, weight_decay=wd).step()
    np.testing.assert_allclose(w.data, 1.0 - lr * (g + wd), rtol=1e-12, atol=1e-12)


def test_repr_lists_groups():
    opt = optim.SGD(_params(0), lr=0.1)
    assert "SGD" in repr(opt) and "lr: 0.1" in repr(opt)
