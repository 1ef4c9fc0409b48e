"""nn.save / nn.load of fitted estimators: same safe .npz + JSON format, identical predictions."""

import json
import warnings

import numpy as np
import pytest

import nn
import nn.cli
from nn.estimators.base import NotFittedError
from nn.persistence import PersistenceError


def _fit(est, y_kind="int"):
    X, y = nn.data.spirals(n_per_arm=20, seed=0)
    if y_kind == "str":
        y = np.array(["left", "mid", "right"])[y]
    elif y_kind == "binary":
        y = (y > 0).astype(np.int64)
    elif y_kind == "real":
        y = X[:, 0] - 2 * X[:, 1]
    elif y_kind == "2d":
        y = np.column_stack([X[:, 0], X[:, 1] ** 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning of the short fits
        est.fit(X, y)
    return est, X


CASES = [
    ("logistic-3", lambda: nn.LogisticRegression(C=0.5), "int"),
    ("logistic-str", lambda: nn.LogisticRegression(penalty=None, fit_intercept=False), "str"),
    ("perceptron-2", lambda: nn.Perceptron(eta0=0.5, tol=None, max_iter=5), "binary"),
    ("perceptron-3", lambda: nn.Perceptron(random_state=3), "int"),
    ("mlp-clf-str", lambda: nn.MLPClassifier(hidden_layer_sizes=(6, 5), max_iter=8, random_state=0), "str"),
    (
        "mlp-clf-binary-generator",
        lambda: nn.MLPClassifier((4,), activation="tanh", max_iter=5, random_state=np.random.default_rng(7)),
        "binary",
    ),
    (
        "mlp-reg",
        lambda: nn.MLPRegressor(hidden_layer_sizes=(7,), solver="sgd", max_iter=6, random_state=1),
        "real",
    ),
    ("mlp-reg-2d", lambda: nn.MLPRegressor(hidden_layer_sizes=(), max_iter=4, random_state=2), "2d"),
]


def _same(a, b):
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
        )
    if isinstance(a, np.random.Generator):
        return isinstance(b, np.random.Generator) and a.bit_generator.state == b.bit_generator.state
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, nn.Module):
        sa, sb = a.state_dict(), b.state_dict()
        return repr(a) == repr(b) and sa.keys() == sb.keys() and all(_same(sa[k], sb[k]) for k in sa)
    return type(a) is type(b) and (a == b or (a != a and b != b))


@pytest.mark.parametrize("name,make,y_kind", CASES, ids=[c[0] for c in CASES])
def test_fitted_estimator_round_trip_predicts_identically(tmp_path, name, make, y_kind):
    est, X = _fit(make(), y_kind)
    path = tmp_path / "est.npz"
    nn.save(est, path, metadata={"note": name})
    loaded, meta = nn.load(path, with_metadata=True)
    assert type(loaded) is type(est) and meta == {"note": name}
    if not isinstance(est.random_state, np.random.Generator):  # its repr shows an address
        assert repr(loaded) == repr(est)
    assert all(_same(v, loaded.get_params()[k]) for k, v in est.get_params().items())
    assert vars(loaded).keys() == vars(est).keys()
    for key, value in vars(est).items():
        assert _same(value, vars(loaded)[key]), key
    for method in ("predict", "predict_proba", "decision_function", "predict_log_proba"):
        if hasattr(est, method):
            np.testing.assert_array_equal(getattr(loaded, method)(X), getattr(est, method)(X))
    assert loaded.score(X, est.predict(X)) == est.score(X, est.predict(X))
    with np.load(path, allow_pickle=False) as plain:  # still a plain numpy archive, no pickle
        description = json.loads(str(plain["__estimator__"]))
    assert description["class"] == type(est).__name__


def test_an_unfitted_estimator_is_refused(tmp_path):
    with pytest.raises(NotFittedError, match="MLPClassifier is not fitted yet: call fit first"):
        nn.save(nn.MLPClassifier(), tmp_path / "e.npz")
    assert list(tmp_path.iterdir()) == []


def test_a_loaded_estimator_can_be_refitted(tmp_path):
    est, X = _fit(nn.MLPClassifier((5,), max_iter=5, random_state=0))
    nn.save(est, tmp_path / "e.npz")
    again, _ = _fit(nn.load(tmp_path / "e.npz"))
    np.testing.assert_array_equal(again.predict(X), est.predict(X))  # same seed, same data, same fit


def test_attributes_the_format_cannot_hold(tmp_path):
    est, _ = _fit(nn.LogisticRegression())
    est._optimizer_state = object()  # private caches are left out, and listed
    nn.save(est, tmp_path / "e.npz")
    with np.load(tmp_path / "e.npz") as plain:
        assert json.loads(str(plain["__estimator__"]))["not_saved"] == ["_optimizer_state"]
    assert not hasattr(nn.load(tmp_path / "e.npz"), "_optimizer_state")
    est.history_ = object()  # a public fitted attribute must not be dropped silently
    with pytest.raises(TypeError, match="attribute 'history_' is a object"):
        nn.save(est, tmp_path / "e2.npz")
    assert not (tmp_path / "e2.npz").exists()


def test_new_fitted_attributes_are_saved_generically(tmp_path):
    est, _ = _fit(nn.MLPClassifier((3,), max_iter=3, random_state=0))
    est.feature_names_in_ = np.array(["a", "b"], dtype=object)
    est.validation_scores_ = [0.5, float("nan")]
    est.best_params_ = {"alpha": (1e-4, None), "ok": True}
    est.n_seen_ = np.int64(40)
    nn.save(est, tmp_path / "e.npz")
    loaded = nn.load(tmp_path / "e.npz")
    for key in ("feature_names_in_", "validation_scores_", "best_params_", "n_seen_"):
        got, want = getattr(loaded, key), getattr(est, key)
        if isinstance(want, dict):
            assert got == want
        else:
            assert _same(want, got), key


def _tamper(tmp_path, change):
    """A saved estimator whose JSON description is edited by ``change`` (entries kept)."""
    import zipfile

    est, _ = _fit(nn.MLPClassifier((4,), max_iter=3, random_state=0))
    nn.save(est, tmp_path / "e.npz")
    with np.load(tmp_path / "e.npz") as plain:
        arrays = {k: plain[k] for k in plain.files}
    description = json.loads(str(arrays["__estimator__"]))
    change(description, arrays)
    arrays["__estimator__"] = np.array(json.dumps(description))
    with zipfile.ZipFile(tmp_path / "bad.npz", "w") as zf:
        for key, value in arrays.items():
            with zf.open(key + ".npy", "w") as f:
                np.lib.format.write_array(f, value)
    return tmp_path / "bad.npz"


def _set(path, value):
    def change(description, arrays):
        target = description
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    "change,match",
    [
        (_set(["class"], "os.system"), "unknown estimator class"),
        (_set(["params", "no_such_param"], 1), "unknown parameters"),
        (_set(["attributes", "predict"], 1), "attribute name 'predict' is not allowed"),
        (_set(["attributes", "coefs_"], 1), "attribute name 'coefs_' is not allowed"),
        (_set(["attributes", "__class__"], 1), "not allowed"),
        (_set(["attributes", "classes_"], {"array": "missing"}), "no entry 'missing'"),
        (_set(["attributes", "classes_"], {"eval": "1"}), "unknown encoded value"),
        (
            _set(["attributes", "model_", "module", "config", "hidden_sizes"], [100000, 100000]),
            "the network needs",
        ),
        (_set(["attributes", "model_", "module", "config", "activation"], "evil"), "unknown activation"),
        (_set(["attributes", "model_", "module", "repr"], "MLP()"), "differs from the saved one"),
        (_set(["attributes", "n_iter_"], {"scalar": ["|O", 1]}), "bad scalar dtype"),
        (
            _set(["params", "random_state"], {"generator": {"bit_generator": "Evil", "state": {}}}),
            "bit generator",
        ),
        (_set(["version"], 99), "version"),
        (lambda d, a: d["attributes"].pop("n_features_in_"), "not of a fitted estimator"),
        (lambda d, a: a.update({"stray": np.ones(2)}), "belong to nothing"),
    ],
)
def test_tampered_estimator_files_are_refused(tmp_path, change, match):
    def change_and_manifest(description, arrays):
        change(description, arrays)
        arrays["__entries__"] = np.array(sorted(set(arrays) - {"__entries__"}))

    with pytest.raises(PersistenceError, match=match):
        nn.load(_tamper(tmp_path, change_and_manifest))


def test_an_estimator_file_is_not_a_cli_model(tmp_path):
    est, _ = _fit(nn.LogisticRegression())
    nn.save(est, tmp_path / "e.npz")
    (tmp_path / "p.csv").write_text("1,2\n")
    assert nn.cli.main(["predict", "--model", str(tmp_path / "e.npz"), "--csv", str(tmp_path / "p.csv")]) == 2
