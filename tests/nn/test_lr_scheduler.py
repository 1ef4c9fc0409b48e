"""Learning-rate schedules against torch.optim.lr_scheduler, plus state dicts and bad input."""

import numpy as np
import pytest

from autograd_core import Tensor
from nn import optim
from nn.optim import lr_scheduler

SCHEDULES = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("StepLR", dict(step_size=1, gamma=0.9)),
    ("ExponentialLR", dict(gamma=0.93)),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.001)),
    ("CosineAnnealingLR", dict(T_max=4)),
]


def _opt(lrs=(0.1, 0.03)):
    groups = [{"params": [Tensor(np.zeros(2), requires_grad=True)], "lr": lr} for lr in lrs]
    return optim.SGD(groups, lr=1.0, momentum=0.9)


@pytest.mark.torch
@pytest.mark.parametrize("name,kwargs", SCHEDULES)
def test_matches_torch_over_30_epochs(name, kwargs):
    torch = pytest.importorskip("torch")
    opt = _opt()
    sched = getattr(lr_scheduler, name)(opt, **kwargs)
    topt = torch.optim.SGD(
        [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in (0.1, 0.03)],
        lr=1.0,
        momentum=0.9,
    )
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    np.testing.assert_allclose(sched.get_last_lr(), tsched.get_last_lr(), rtol=0, atol=1e-15)
    for epoch in range(30):
        topt.step()  # torch warns if its scheduler steps before its optimizer
        sched.step()
        tsched.step()
        np.testing.assert_allclose(
            sched.get_last_lr(), tsched.get_last_lr(), rtol=0, atol=1e-12, err_msg=str(epoch)
        )
        assert [g["lr"] for g in opt.param_groups] == sched.get_last_lr()


def test_cosine_hits_eta_min_at_t_max_and_closed_form():
    opt = _opt((1.0,))
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.1)
    for t in range(1, 21):
        sched.step()
        expected = 0.1 + 0.9 * (1 + np.cos(np.pi * t / 10)) / 2
        np.testing.assert_allclose(sched.get_last_lr()[0], expected, rtol=1e-12)


def test_state_dict_round_trip():
    opt_a, opt_b = _opt(), _opt()
    a = lr_scheduler.StepLR(opt_a, step_size=2, gamma=0.5)
    for _ in range(5):
        a.step()
    opt_b.load_state_dict(opt_a.state_dict())
    b = lr_scheduler.StepLR(opt_b, step_size=9, gamma=0.9)
    b.load_state_dict(a.state_dict())
    assert b.step_size == 2 and b.last_epoch == a.last_epoch
    for _ in range(4):
        a.step()
        b.step()
        assert a.get_last_lr() == b.get_last_lr()


@pytest.mark.parametrize(
    "make,exc,match",
    [
        (lambda o: lr_scheduler.StepLR(o, step_size=0), ValueError, "StepLR.*step_size"),
        (lambda o: lr_scheduler.StepLR(o, step_size=1.5), TypeError, "StepLR.*step_size"),
        (lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=-1), ValueError, "StepLR.*gamma"),
        (lambda o: lr_scheduler.ExponentialLR(o, gamma=float("nan")), ValueError, "ExponentialLR.*gamma"),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=-3), ValueError, "CosineAnnealingLR.*T_max"),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=3, eta_min=-1), ValueError, "eta_min"),
        (lambda o: lr_scheduler.StepLR("opt", step_size=1), TypeError, "optimizer"),
    ],
)
def test_bad_arguments(make, exc, match):
    opt = _opt()
    with pytest.raises(exc, match=match):
        make(opt)
    assert all("initial_lr" not in g for g in opt.param_groups)


def test_bad_state_dict_leaves_scheduler_unchanged():
    sched = lr_scheduler.StepLR(_opt(), step_size=2)
    before = sched.state_dict()
    bad = [
        {"last_epoch": 3},
        {**before, "step_size": 0},
        {**before, "last_epoch": -2},
        {**before, "base_lrs": [0.1]},
        {**before, "extra": 1},
    ]
    for sd in bad:
        with pytest.raises((ValueError, TypeError), match="StepLR"):
            sched.load_state_dict(sd)
        assert sched.state_dict() == before
