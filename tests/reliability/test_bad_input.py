"""Bad input, everywhere: one table of misuses of autograd_core and nn.

Every row must raise TypeError or ValueError (or a subclass such as GradientError or
PersistenceError) whose message names the function and the offending value. Objects
that rejected an input must be unchanged afterwards.
"""

import copy

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor, tensor

nn = pytest.importorskip("nn")

F32 = np.float32


def _x(*shape):
    return tensor(np.ones(shape), requires_grad=True)


def _params():
    return [tensor(np.ones((2, 3)), requires_grad=True), tensor(np.zeros(3), requires_grad=True)]


def _backward_of_non_scalar():
    (_x(2) * 2).backward()


def _backward_wrong_grad_shape():
    (_x(2) * 2).backward(np.ones(3))


def _backward_int_grad():
    (_x(2) * 2).backward(np.ones(2, dtype=np.int64))


def _backward_without_grad():
    tensor([1.0, 2.0]).sum().backward()


def _requires_grad_off_non_leaf():
    (_x(2) * 2).requires_grad_(False)


def _grad_of_vector_function():
    ag.grad(lambda t: t * 2)(np.ones(3))


# (id, call, function name the message must contain, offending value it must contain)
ENGINE = [
    ("tensor-str", lambda: tensor("abc"), "tensor", "<U3"),
    ("tensor-object", lambda: tensor([object(), 1]), "tensor", "object"),
    ("tensor-str-array", lambda: Tensor(np.array(["a", "b"])), "tensor", "<U1"),
    ("requires-grad-int", lambda: tensor([1, 2], requires_grad=True), "requires_grad", "int64"),
    ("requires-grad-bool", lambda: tensor([True], requires_grad=True), "requires_grad", "bool"),
    ("requires-grad-off-non-leaf", _requires_grad_off_non_leaf, "requires_grad_", "non-leaf"),
    ("matmul-shapes", lambda: _x(2, 3) @ _x(2, 3), "matmul", "(2, 3)"),
    ("matmul-0d", lambda: ag.matmul(_x(), _x(3)), "matmul", "()"),
    ("add-shapes", lambda: _x(2) + np.ones(3), "add", "(3,)"),
    ("pow-shapes", lambda: _x(2) ** np.ones(3), "pow", "(3,)"),
    ("reshape-size", lambda: ag.reshape(_x(2, 3), (7,)), "reshape", "(7,)"),
    ("broadcast-to", lambda: ag.broadcast_to(_x(3), (2, 4)), "broadcast_to", "(2, 4)"),
    ("backward-non-scalar", _backward_of_non_scalar, "backward", "(2,)"),
    ("backward-grad-shape", _backward_wrong_grad_shape, "backward", "(3,)"),
    ("backward-grad-int", _backward_int_grad, "backward", "int64"),
    ("backward-no-grad", _backward_without_grad, "backward", "does not require grad"),
    ("sum-axis", lambda: ag.sum(_x(2, 3), axis=5), "sum", "5"),
    ("softmax-axis", lambda: ag.softmax(_x(2, 3), axis=3), "softmax", "3"),
    ("log-softmax-axis", lambda: ag.log_softmax(_x(2), axis=-4), "log_softmax", "-4"),
    ("logsumexp-axis", lambda: ag.logsumexp(_x(2), axis=2), "logsumexp", "2"),
    ("mean-empty", lambda: ag.mean(tensor(np.ones((0, 2)), requires_grad=True), axis=0), "mean", "(0, 2)"),
    ("max-empty", lambda: ag.max(tensor(np.ones(0), requires_grad=True)), "max", "(0,)"),
    ("var-ddof", lambda: ag.var(_x(3), ddof=5), "var", "ddof=5"),
    ("norm-ord", lambda: ag.norm(_x(3), ord="nuc"), "norm", "'nuc'"),
    ("gelu-approximate", lambda: ag.gelu(_x(3), approximate="fast"), "gelu", "'fast'"),
    ("one-hot-range", lambda: ag.one_hot(np.array([0, 3]), 3), "one_hot", "3"),
    ("one-hot-float", lambda: ag.one_hot(np.array([0.5]), 3), "one_hot", "float64"),
    ("one-hot-nan", lambda: ag.one_hot(np.array([np.nan]), 3), "one_hot", "float64"),
    ("where-cond", lambda: ag.where(np.ones(2), _x(2), 0.0), "where", "float64"),
    ("clip-no-bounds", lambda: ag.clip(_x(2)), "clip", "a_min"),
    ("einsum-subscripts", lambda: ag.einsum(3, _x(2)), "einsum", "int"),
    ("einsum-operands", lambda: ag.einsum("ij,jk->ik", _x(2, 3)), "einsum", "'ij,jk->ik'"),
    ("concatenate-empty", lambda: ag.concatenate([]), "concatenate", "empty"),
    ("concatenate-shapes", lambda: ag.concatenate([_x(2, 3), _x(2, 4)], axis=0), "concatenate", "(2, 4)"),
    ("stack-shapes", lambda: ag.stack([_x(2), _x(3)]), "stack", "(3,)"),
    ("split-uneven", lambda: ag.split(_x(5), 2), "split", "2"),
    ("split-zero", lambda: ag.split(_x(4), 0), "split", "0"),
    ("gather-float-index", lambda: ag.gather(_x(2, 3), np.ones((2, 1)), 1), "gather", "float64"),
    ("item-many", lambda: _x(2).item(), "item", "(2,)"),
    ("bool-many", lambda: bool(_x(2)), "bool", "(2,)"),
    ("gradcheck-str", lambda: ag.gradcheck(lambda t: t, np.array(["a"])), "gradcheck", "<U1"),
    ("grad-non-scalar", _grad_of_vector_function, "grad", "(3,)"),
]


X = np.random.default_rng(0).standard_normal((20, 2))
Y = (X[:, 0] > 0).astype(int)


def _with(bad):
    """X with one bad value planted."""
    out = X.copy()
    out[3, 1] = bad
    return out


def _linear_forward_wrong_width():
    nn.Linear(3, 2, seed=0)(np.ones((4, 5)))


def _model_forward(x):
    return lambda: nn.MLP(3, [4], 2, seed=0)(x)


def _loss(name, *args, **kwargs):
    return lambda: getattr(nn, name)(**kwargs)(*args)


def _batches(*args, **kwargs):
    return lambda: list(nn.data.batches(*args, **kwargs))


def _optimizer(name, **kwargs):
    return lambda: getattr(nn.optim, name)(_params(), **kwargs)


def _scheduler(name, **kwargs):
    return lambda: getattr(nn.optim.lr_scheduler, name)(nn.optim.SGD(_params(), lr=0.1), **kwargs)


NN = [
    ("linear-negative", lambda: nn.Linear(-1, 2), "Linear", "-1"),
    ("linear-float-size", lambda: nn.Linear(2.5, 3), "Linear", "2.5"),
    ("linear-str-size", lambda: nn.Linear("2", 3), "Linear", "'2'"),
    ("linear-int-dtype", lambda: nn.Linear(2, 3, dtype=np.int32), "Linear", "int32"),
    ("linear-bad-dtype", lambda: nn.Linear(2, 3, dtype="floatish"), "Linear", "'floatish'"),
    ("linear-seed-negative", lambda: nn.Linear(2, 3, seed=-1), "Linear", "-1"),
    ("linear-seed-str", lambda: nn.Linear(2, 3, seed="0"), "Linear", "str"),
    ("linear-input-width", _linear_forward_wrong_width, "Linear", "(4, 5)"),
    ("model-input-str", _model_forward(np.array([["a", "b", "c"]])), "input", "<U1"),
    ("model-input-complex", _model_forward(np.ones((2, 3), dtype=complex)), "input", "complex128"),
    ("model-input-object", _model_forward(np.array([[None, 1, 2]], dtype=object)), "input", "object"),
    ("model-input-empty-width", _model_forward(np.ones((2, 0))), "Linear", "(2, 0)"),
    ("model-input-scalar", _model_forward(np.float32(1.0)), "Linear", "()"),
    ("mlp-hidden-int", lambda: nn.MLP(2, 5, 1), "MLP", "5"),
    ("mlp-hidden-zero", lambda: nn.MLP(2, [0], 1), "MLP", "hidden_sizes[0]"),
    ("mlp-hidden-str", lambda: nn.MLP(2, "ab", 1), "MLP", "'a'"),
    ("mlp-out-zero", lambda: nn.MLP(2, [3], 0), "MLP", "0"),
    ("mlp-activation-name", lambda: nn.MLP(2, [3], 1, activation="relux"), "relux", "relu"),
    ("mlp-activation-type", lambda: nn.MLP(2, [3], 1, activation=42), "MLP", "int"),
    ("get-activation", lambda: nn.get_activation("swishy"), "get_activation", "'swishy'"),
    ("dropout-p", lambda: nn.Dropout(1.5), "Dropout", "1.5"),
    ("dropout-nan", lambda: nn.Dropout(float("nan")), "Dropout", "nan"),
    pytest.param(
        "leaky-relu-slope-str",
        lambda: nn.LeakyReLU("a"),
        "LeakyReLU",
        "'a'",
    ),
    ("gelu-approximate", lambda: nn.GELU("fast"), "GELU", "'fast'"),
    ("loss-reduction", lambda: nn.MSELoss(reduction="avg"), "MSELoss", "'avg'"),
    ("loss-shapes", _loss("MSELoss", np.ones(3), np.ones(4)), "mse_loss", "(4,)"),
    ("loss-int-prediction", _loss("MSELoss", np.ones(3, dtype=int), np.ones(3)), "mse_loss", "int64"),
    ("loss-str-target", _loss("L1Loss", np.ones(2), np.array(["a", "b"])), "l1_loss", "<U1"),
    ("huber-delta", lambda: nn.HuberLoss(delta=-1.0), "HuberLoss", "-1"),
    ("huber-delta-nan", lambda: nn.HuberLoss(delta=float("nan")), "HuberLoss", "nan"),
    ("bce-out-of-range", _loss("BCELoss", np.array([0.5, 1.5]), np.ones(2)), "binary_cross_entropy", "1.5"),
    ("ce-label-range", _loss("CrossEntropyLoss", np.zeros((2, 3)), np.array([0, 5])), "cross_entropy", "5"),
    (
        "ce-label-negative",
        _loss("CrossEntropyLoss", np.zeros((2, 3)), np.array([-1, 0])),
        "cross_entropy",
        "-1",
    ),
    (
        "ce-label-fraction",
        _loss("CrossEntropyLoss", np.zeros((2, 3)), np.array([0.5, 1.0])),
        "cross_entropy",
        "0.5",
    ),
    ("ce-rows", _loss("CrossEntropyLoss", np.zeros((2, 3)), np.array([0, 1, 2])), "cross_entropy", "(3,)"),
    ("nll-label-range", _loss("NLLLoss", np.zeros((2, 3)), np.array([0, 3])), "nll_loss", "3"),
    ("sgd-lr-negative", _optimizer("SGD", lr=-0.1), "SGD", "-0.1"),
    ("sgd-lr-nan", _optimizer("SGD", lr=float("nan")), "SGD", "nan"),
    ("sgd-lr-str", _optimizer("SGD", lr="fast"), "SGD", "'fast'"),
    ("sgd-momentum", _optimizer("SGD", lr=0.1, momentum=-0.5), "SGD", "-0.5"),
    ("sgd-nesterov", _optimizer("SGD", lr=0.1, nesterov=True), "SGD", "momentum=0.0"),
    ("sgd-empty", lambda: nn.optim.SGD([], lr=0.1), "SGD", "empty"),
    ("sgd-module", lambda: nn.optim.SGD(nn.Linear(2, 2), lr=0.1), "SGD", "Linear"),
    ("sgd-int-param", lambda: nn.optim.SGD([tensor([1, 2])], lr=0.1), "SGD", "int64"),
    ("sgd-ndarray-param", lambda: nn.optim.SGD([np.ones(2)], lr=0.1), "SGD", "ndarray"),
    ("sgd-unknown-option", lambda: nn.optim.SGD([{"params": _params(), "lrr": 1}], lr=0.1), "SGD", "lrr"),
    ("adam-betas", _optimizer("Adam", betas=(1.5, 0.9)), "Adam", "1.5"),
    ("adam-eps", _optimizer("Adam", eps=-1.0), "Adam", "-1"),
    ("adamw-decay", _optimizer("AdamW", weight_decay=-0.1), "AdamW", "-0.1"),
    ("rmsprop-alpha", _optimizer("RMSprop", alpha=-0.5), "RMSprop", "-0.5"),
    ("adagrad-lr-decay", _optimizer("Adagrad", lr_decay=-1.0), "Adagrad", "-1"),
    ("steplr-step", _scheduler("StepLR", step_size=0), "StepLR", "0"),
    ("exponentiallr-gamma", _scheduler("ExponentialLR", gamma="a"), "ExponentialLR", "'a'"),
    ("cosine-tmax", _scheduler("CosineAnnealingLR", T_max=-3), "CosineAnnealingLR", "-3"),
    ("clip-norm-negative", lambda: nn.clip_grad_norm_(_params(), max_norm=-1.0), "clip_grad_norm_", "-1"),
    ("clip-value-nan", lambda: nn.clip_grad_value_(_params(), float("nan")), "clip_grad_value_", "nan"),
    ("init-fan-1d", lambda: nn.init.xavier_uniform_(nn.Parameter(np.ones(3))), "xavier_uniform_", "(3,)"),
    (
        "init-mode",
        lambda: nn.init.kaiming_uniform_(nn.Parameter(np.ones((2, 2))), mode="fan_x"),
        "kaiming_uniform_",
        "'fan_x'",
    ),
    pytest.param(
        "init-nonlinearity",
        lambda: nn.init.kaiming_normal_(nn.Parameter(np.ones((2, 2))), nonlinearity="sigmoidal"),
        "kaiming_normal_",
        "'sigmoidal'",
    ),
    ("init-std-negative", lambda: nn.init.normal_(nn.Parameter(np.ones(2)), std=-1.0), "normal_", "-1"),
    ("batches-size-zero", _batches(np.ones((4, 2)), batch_size=0), "batches", "0"),
    ("batches-size-float", _batches(np.ones((4, 2)), batch_size=2.5), "batches", "2.5"),
    ("batches-lengths", _batches(np.ones((4, 2)), np.ones(3)), "batches", "3"),
    pytest.param(
        "batches-str",
        _batches(np.array([["a"]])),
        "batches",
        "<U1",
    ),
    ("dataloader-size", lambda: nn.data.DataLoader(np.ones((4, 2)), batch_size=-2), "DataLoader", "-2"),
    ("blobs-negative", lambda: nn.data.blobs(n_per_blob=-1), "blobs", "-1"),
    ("blobs-std-nan", lambda: nn.data.blobs(std=float("nan")), "blobs", "nan"),
    ("spirals-arms", lambda: nn.data.spirals(n_arms=0), "spirals", "0"),
    ("save-int", lambda: nn.save(42, "unused.npz"), "save", "int"),
    (
        "save-metadata",
        lambda: nn.save({"w": np.ones(2)}, "unused.npz", metadata={"a": object()}),
        "save",
        "metadata",
    ),
    ("save-object-array", lambda: nn.save({"w": np.array([None])}, "unused.npz"), "save", "object"),
    ("logreg-nan", lambda: nn.LogisticRegression().fit(_with(np.nan), Y), "LogisticRegression.fit", "NaN"),
    (
        "logreg-inf",
        lambda: nn.LogisticRegression().fit(_with(np.inf), Y),
        "LogisticRegression.fit",
        "infinity",
    ),
    ("logreg-lengths", lambda: nn.LogisticRegression().fit(X, Y[:5]), "LogisticRegression.fit", "[20, 5]"),
    ("logreg-C", lambda: nn.LogisticRegression(C=-1).fit(X, Y), "LogisticRegression", "-1"),
    (
        "logreg-str",
        lambda: nn.LogisticRegression().fit(np.full((20, 2), "a"), Y),
        "LogisticRegression.fit",
        "<U1",
    ),
    (
        "logreg-empty",
        lambda: nn.LogisticRegression().fit(np.ones((0, 2)), np.ones(0)),
        "LogisticRegression.fit",
        "(0, 2)",
    ),
    ("logreg-unfitted", lambda: nn.LogisticRegression().predict(X), "LogisticRegression", "not fitted"),
    ("perceptron-nan", lambda: nn.Perceptron().fit(_with(np.nan), Y), "Perceptron.fit", "NaN"),
    ("mlpc-hidden", lambda: nn.MLPClassifier(hidden_layer_sizes=(0,)).fit(X, Y), "MLPClassifier", "(0,)"),
    ("mlpc-activation", lambda: nn.MLPClassifier(activation="relux").fit(X, Y), "MLPClassifier", "'relux'"),
    ("mlpc-one-class", lambda: nn.MLPClassifier().fit(X, np.zeros(20)), "MLPClassifier.fit", "one class"),
    (
        "mlpr-nan-target",
        lambda: nn.MLPRegressor().fit(X, np.where(Y, np.nan, 1.0)),
        "MLPRegressor.fit",
        "NaN",
    ),
    ("mlpr-lr", lambda: nn.MLPRegressor(learning_rate_init=-1).fit(X, Y), "MLPRegressor", "-1"),
    ("load-state-non-mapping", lambda: nn.Linear(2, 2).load_state_dict([1, 2]), "load_state_dict", "list"),
]


def _cases(table):
    """pytest params from rows (id, call, where, value); a row may be a pytest.param with marks."""
    cases = []
    for row in table:
        values, marks = (row.values, row.marks) if hasattr(row, "marks") else (row, ())
        cases.append(pytest.param(*values[1:], id=values[0], marks=marks))
    return cases


def _check(call, where, value):
    with pytest.raises((TypeError, ValueError)) as err:
        call()
    message = str(err.value)
    assert where in message, f"message does not name {where!r}: {message}"
    assert value in message, f"message does not show {value!r}: {message}"


@pytest.mark.parametrize("call, where, value", _cases(ENGINE))
def test_engine_misuse_raises_naming_function_and_value(call, where, value):
    _check(call, where, value)


@pytest.mark.parametrize("call, where, value", _cases(NN))
def test_nn_misuse_raises_naming_function_and_value(call, where, value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the save rows must not leave files behind, even on failure
    _check(call, where, value)
    assert list(tmp_path.iterdir()) == []


def test_indexing_out_of_range_raises_index_error_naming_getitem():
    # IndexError, as numpy and Python lists raise: the documented exception for indexing.
    with pytest.raises(IndexError, match=r"getitem.*\(2, 3\)"):
        _x(2, 3)[5]


# -- rejected input leaves objects unchanged ---------------------------------------------------
def _snapshot(model, opt):
    return (
        {k: v.copy() for k, v in model.state_dict().items()},
        copy.deepcopy(opt.state_dict()),
        [dict((k, v) for k, v in g.items() if k != "params") for g in opt.param_groups],
        [len(g["params"]) for g in opt.param_groups],
    )


def _assert_unchanged(before, after):
    assert before[0].keys() == after[0].keys()
    for k in before[0]:
        np.testing.assert_array_equal(before[0][k], after[0][k])
    assert repr(before[1]) == repr(after[1])
    assert before[2:] == after[2:]


def _trained(optimizer):
    model = nn.MLP(3, [4], 2, seed=0)
    opt = getattr(nn.optim, optimizer)(model.parameters(), lr=0.01)
    x = np.ones((5, 3), dtype=F32)
    for _ in range(2):  # some optimizer state exists
        opt.zero_grad()
        model(x).sum().backward()
        opt.step()
    opt.zero_grad()
    model(x).sum().backward()
    return model, opt


def _bad_grad_shape(model, opt):
    params = list(model.parameters())
    params[-1].grad = Tensor(np.ones(7, dtype=F32))  # the others still hold good grads
    opt.step()


def _bad_grad_dtype(model, opt):
    params = list(model.parameters())
    params[1].grad = Tensor(np.ones(params[1].shape, dtype=np.float64))
    opt.step()


def _bad_state_dict_shape(model, opt):
    # Every entry but the last is valid and different from the current state, so a load
    # that wrote anything before failing would show.
    state = opt.state_dict()
    state["param_groups"][0]["lr"] = 0.5
    for entry in state["state"].values():
        for key, value in entry.items():
            if isinstance(value, np.ndarray):
                entry[key] = value * 2 + 1
    last = len(list(model.parameters())) - 1
    template = state["state"].get(0, {"momentum_buffer": None})
    state["state"][last] = {key: np.ones(99) for key in template}
    opt.load_state_dict(state)


def _bad_state_dict_lr(model, opt):
    state = opt.state_dict()
    for entry in state["state"].values():
        for key, value in entry.items():
            if isinstance(value, np.ndarray):
                entry[key] = value * 2 + 1
    state["param_groups"][0]["lr"] = -1.0
    opt.load_state_dict(state)


def _bad_param_group(model, opt):
    opt.add_param_group({"params": [tensor(np.ones(2), requires_grad=True)], "lr": -5.0})


def _duplicate_param_group(model, opt):
    opt.add_param_group({"params": [next(iter(model.parameters()))]})


def _module_wrong_shape(model, opt):
    state = model.state_dict()
    state["layers.0.bias"] = np.zeros(4, dtype=F32) + 5
    state["layers.2.weight"] = np.zeros((3, 3))
    model.load_state_dict(state)


def _module_str_values(model, opt):
    state = {k: np.full(v.shape, "x") for k, v in model.state_dict().items()}
    model.load_state_dict(state)


def _module_bad_input(model, opt):
    model(np.ones((5, 4)))


REJECTIONS = {
    "step-grad-shape": _bad_grad_shape,
    "step-grad-dtype": _bad_grad_dtype,
    "load-state-shape": _bad_state_dict_shape,
    "load-state-lr": _bad_state_dict_lr,
    "add-group-lr": _bad_param_group,
    "add-group-duplicate": _duplicate_param_group,
    "module-load-shape": _module_wrong_shape,
    "module-load-str": _module_str_values,
    "module-bad-input": _module_bad_input,
}


@pytest.mark.parametrize("optimizer", ["SGD", "Adam", "RMSprop", "Adagrad"])
@pytest.mark.parametrize("misuse", sorted(REJECTIONS))
def test_a_rejected_input_leaves_model_and_optimizer_unchanged(optimizer, misuse):
    model, opt = _trained(optimizer)
    before = _snapshot(model, opt)
    with pytest.raises((TypeError, ValueError)):
        REJECTIONS[misuse](model, opt)
    _assert_unchanged(before, _snapshot(model, opt))


@pytest.mark.filterwarnings("ignore:.*Maximum iterations")  # a short fit is all this needs
@pytest.mark.parametrize("estimator", ["LogisticRegression", "Perceptron", "MLPClassifier"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_an_estimator_refitted_on_bad_data_keeps_its_fit(estimator, bad):
    model = (
        getattr(nn, estimator)(random_state=0)
        if estimator != "LogisticRegression"
        else nn.LogisticRegression()
    )
    if estimator == "MLPClassifier":
        model.set_params(max_iter=300, hidden_layer_sizes=(4,))
    model.fit(X, Y)
    before = model.predict_proba(X) if hasattr(model, "predict_proba") else model.decision_function(X)
    with pytest.raises(ValueError, match=f"{estimator}.fit"):
        model.fit(_with(bad), Y)
    after = model.predict_proba(X) if hasattr(model, "predict_proba") else model.decision_function(X)
    np.testing.assert_array_equal(before, after)
