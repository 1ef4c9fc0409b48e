"""Our estimators inside scikit-learn's tools (clone, Pipeline, cross-validation, grid search,
pickle, pandas), and the fitting features the issue lists: sample_weight, partial_fit,
warm_start, early_stopping, lbfgs, class_weight, and that a failed or interrupted refit
leaves the previous model whole."""

import pickle
import warnings

import numpy as np
import pytest

import nn

pytest.importorskip("sklearn")
pytestmark = pytest.mark.filterwarnings("ignore:.*(Maximum iterations|failed to converge)")

from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

SMALL = dict(hidden_layer_sizes=(8,), max_iter=200, learning_rate_init=0.02, batch_size=50, random_state=0)
MAKERS = {
    "LogisticRegression": lambda: nn.LogisticRegression(),
    "Perceptron": lambda: nn.Perceptron(),
    "MLPClassifier": lambda: nn.MLPClassifier(**SMALL),
    "MLPRegressor": lambda: nn.MLPRegressor(**SMALL),
}
ALL = pytest.mark.parametrize("name", list(MAKERS))


@pytest.fixture(scope="module")
def blobs():
    X, y = nn.data.blobs(n_per_blob=100, seed=0)
    return X * 10 + 5, y  # badly scaled, so the scaler matters


@pytest.fixture(scope="module")
def iris():
    return nn.data.iris()


@ALL
def test_clone_pipeline_cross_val_and_pickle(name, blobs):
    X, y = blobs
    est = MAKERS[name]()
    cloned = clone(est)
    assert cloned.get_params() == est.get_params() and cloned is not est
    pipe = make_pipeline(StandardScaler(), est).fit(X, y)
    score = pipe.score(X, y)
    assert score > (0.9 if name != "MLPRegressor" else 0.6)
    scores = cross_val_score(make_pipeline(StandardScaler(), MAKERS[name]()), X, y, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.5)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict(X), pipe.predict(X))


def test_grid_search_with_two_jobs(blobs):
    X, y = blobs
    search = GridSearchCV(
        make_pipeline(StandardScaler(), nn.MLPClassifier(**SMALL)),
        {"mlpclassifier__alpha": [1e-4, 1e-1], "mlpclassifier__hidden_layer_sizes": [(4,), (8,)]},
        cv=3,
        n_jobs=2,
    ).fit(X, y)
    assert search.best_score_ > 0.9 and len(search.cv_results_["params"]) == 4
    assert search.predict(X[:5]).shape == (5,)


@pytest.mark.parametrize("name", ["LogisticRegression", "Perceptron", "MLPClassifier"])
def test_string_labels_and_multiclass(name, iris):
    X, y = iris
    labels = np.array(nn.data.IRIS_CLASSES)[y]
    est = make_pipeline(StandardScaler(), MAKERS[name]()).fit(X, labels)
    pred = est.predict(X)
    assert pred.dtype == labels.dtype and set(pred) <= set(labels)
    assert np.mean(pred == labels) > 0.8
    assert list(est[-1].classes_) == sorted(nn.data.IRIS_CLASSES)


def test_multi_output_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    Y = np.column_stack([X[:, 0] + X[:, 1], X[:, 2] - X[:, 0]])
    reg = nn.MLPRegressor(hidden_layer_sizes=(16,), max_iter=300, learning_rate_init=0.01, random_state=0)
    reg.fit(X, Y)
    assert reg.predict(X).shape == (300, 2) and reg.n_outputs_ == 2 and reg.score(X, Y) > 0.9


@ALL
def test_pandas_feature_names_and_reordered_columns(name, blobs):
    pd = pytest.importorskip("pandas")
    X, y = blobs
    frame = pd.DataFrame(X, columns=["height", "width"])
    est = MAKERS[name]().fit(frame, y)
    assert est.feature_names_in_.tolist() == ["height", "width"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "X does not have valid feature names", tested below
        np.testing.assert_array_equal(est.predict(frame), est.predict(X))
    with pytest.raises(ValueError, match="Feature names must be in the same order"):
        est.predict(frame[["width", "height"]])
    with pytest.raises(ValueError, match="Feature names unseen at fit time:\n- depth"):
        est.predict(frame.rename(columns={"width": "depth"}))
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        est.predict(X)
    est.fit(X, y)  # refit without names: the attribute goes, as in scikit-learn
    assert not hasattr(est, "feature_names_in_")


@pytest.mark.filterwarnings("ignore:.*batch_size")
@pytest.mark.parametrize("name", ["LogisticRegression", "MLPClassifier", "MLPRegressor"])
def test_sample_weight_two_is_the_sample_twice(name, blobs):
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    w = np.random.default_rng(1).integers(0, 3, len(X))
    # Full-batch training (the whole set is one batch) is order-free, so the fits must agree.
    params = {} if name == "LogisticRegression" else dict(SMALL, batch_size=1000, max_iter=50)
    make = {"LogisticRegression": nn.LogisticRegression, "MLPClassifier": nn.MLPClassifier}.get(
        name, nn.MLPRegressor
    )
    weighted = make(**params).fit(X, y, sample_weight=w)
    repeated = make(**params).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    method = "predict" if name == "MLPRegressor" else "predict_proba"
    np.testing.assert_allclose(
        getattr(weighted, method)(X), getattr(repeated, method)(X), rtol=1e-6, atol=1e-9
    )


def test_class_weight_moves_the_boundary(blobs):
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    for make in (nn.LogisticRegression, nn.Perceptron):
        plain = make().fit(X, y)
        heavy = make(class_weight={1: 50.0}).fit(X, y)
        assert (heavy.predict(X) == 1).sum() >= (plain.predict(X) == 1).sum()
        balanced = make(class_weight="balanced").fit(X[:120], y[:120])
        assert balanced.score(X, y) > 0.8


@pytest.mark.parametrize("name", ["Perceptron", "MLPClassifier", "MLPRegressor"])
def test_partial_fit_over_chunks_reaches_one_fit(name, blobs):
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    once = MAKERS[name]().fit(X, y)
    est = MAKERS[name]()
    for epoch in range(30 if name != "Perceptron" else 5):
        for chunk in np.array_split(np.arange(len(X)), 4):
            kwargs = {"classes": [0, 1]} if name != "MLPRegressor" and epoch == 0 else {}
            est.partial_fit(X[chunk], y[chunk], **kwargs)
    assert est.score(X, y) >= once.score(X, y) - 0.03


def test_partial_fit_needs_classes_first_and_refuses_new_labels(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="classes must be passed on the first call to partial_fit"):
        nn.MLPClassifier().partial_fit(X, y)
    est = nn.Perceptron().partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        est.partial_fit(X, y + 1)
    with pytest.raises(AttributeError, match="only available for stochastic optimizers"):
        nn.MLPClassifier(solver="lbfgs").partial_fit(X, y, classes=[0, 1])


def test_warm_start_continues(blobs):
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    est = nn.MLPClassifier(**dict(SMALL, max_iter=5, warm_start=True))
    est.fit(X, y)
    first_weights = est.coefs_[0].copy()
    first_curve = list(est.loss_curve_)
    est.fit(X, y)
    assert len(est.loss_curve_) == 10 and est.loss_curve_[:5] == first_curve
    assert est.loss_curve_[5] < first_curve[0]  # continued from the trained weights, not a new start
    cold = nn.MLPClassifier(**dict(SMALL, max_iter=5)).fit(X, y).fit(X, y)
    assert len(cold.loss_curve_) == 5
    np.testing.assert_array_equal(
        cold.coefs_[0], nn.MLPClassifier(**dict(SMALL, max_iter=5)).fit(X, y).coefs_[0]
    )
    assert not np.array_equal(first_weights, est.coefs_[0])
    lr = nn.LogisticRegression(warm_start=True).fit(X, y)
    again = lr.fit(X, y)
    assert again.n_iter_[0] <= 1  # started at the optimum


def test_early_stopping_stops_and_keeps_the_best(blobs):
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    est = nn.MLPClassifier(**dict(SMALL, max_iter=500, early_stopping=True, n_iter_no_change=5)).fit(X, y)
    assert est.n_iter_ < 500 and len(est.validation_scores_) == est.n_iter_
    assert est.best_validation_score_ == max(est.validation_scores_) and est.best_loss_ is None
    reg = nn.MLPRegressor(**dict(SMALL, max_iter=500, early_stopping=True)).fit(X, y)
    assert reg.n_iter_ < 500 and -1 <= reg.best_validation_score_ <= 1
    per = nn.Perceptron(early_stopping=True, tol=1e-3).fit(X, y)
    assert per.n_iter_ < 1000
    with pytest.raises(ValueError, match="validation set is too small"):
        nn.MLPClassifier(early_stopping=True).fit(X[:8], y[:8])


@pytest.mark.parametrize("make", [nn.MLPClassifier, nn.MLPRegressor, nn.LogisticRegression])
def test_lbfgs_solver(make, blobs):
    pytest.importorskip("scipy")
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    params = {} if make is nn.LogisticRegression else dict(hidden_layer_sizes=(8,), random_state=0)
    est = make(solver="lbfgs", **params).fit(X, y)
    assert est.score(X, y) > (0.95 if make is not nn.MLPRegressor else 0.7)
    if make is nn.LogisticRegression:  # the same optimum as Newton-CG
        newton = nn.LogisticRegression().fit(X, y)
        np.testing.assert_allclose(est.coef_, newton.coef_, rtol=1e-3, atol=1e-4)


def test_lbfgs_without_scipy_names_the_extra(blobs, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_scipy(name, *args, **kwargs):
        if name.startswith("scipy"):
            raise ImportError("no scipy here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_scipy)
    X, y = blobs
    with pytest.raises(ImportError, match=r"scipy.*autograd-core\[scipy\]"):
        nn.MLPClassifier(solver="lbfgs").fit(X, y)


def test_perceptron_penalties_and_initial_weights(blobs):
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    plain = nn.Perceptron(max_iter=20, tol=None).fit(X, y)
    for penalty in ("l2", "l1", "elasticnet"):
        shrunk = nn.Perceptron(penalty=penalty, alpha=0.01, max_iter=20, tol=None).fit(X, y)
        assert np.abs(shrunk.coef_).sum() < np.abs(plain.coef_).sum()
    start = nn.Perceptron(max_iter=1, shuffle=False).fit(X, y, coef_init=[[5.0, -5.0]], intercept_init=[2.0])
    zero = nn.Perceptron(max_iter=1, shuffle=False).fit(X, y)
    assert not np.allclose(start.coef_, zero.coef_)
    with pytest.raises(ValueError, match="coef_init does not match"):
        nn.Perceptron().fit(X, y, coef_init=np.zeros((1, 3)))


def test_verbose_prints_iterations(blobs, capsys):
    X, y = blobs
    nn.MLPClassifier(**dict(SMALL, max_iter=3, verbose=True)).fit(X, y)
    out = capsys.readouterr().out
    assert "Iteration 1, loss = " in out and "Iteration 3, loss = " in out


def test_non_finite_weights_raise_and_keep_the_old_model(blobs):
    X, y = blobs
    reg = nn.MLPRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, y)
    before = reg.predict(X)
    reg.set_params(solver="sgd", learning_rate_init=1e6, momentum=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match="Solver produced non-finite parameter weights"):
            reg.fit(X * 1e3, y * 1e3)
    np.testing.assert_array_equal(reg.predict(X), before)


# A step every training loop takes many times: Ctrl-C (KeyboardInterrupt) arrives in one of them.
TRAINING_STEP = {
    "LogisticRegression": (nn.estimators.logistic, "_conjugate_gradient"),
    "Perceptron": (nn.Perceptron, "_shrink"),
    "MLPClassifier": (nn.estimators.mlp._BaseMLP, "_loss_value"),
    "MLPRegressor": (nn.estimators.mlp._BaseMLP, "_loss_value"),
}


@ALL
@pytest.mark.parametrize("warm_start", [False, True])
def test_interrupted_refit_leaves_the_old_model_predicting_as_before(name, warm_start, blobs, monkeypatch):
    X, y = blobs
    est = MAKERS[name]().fit(X, y)
    before = {
        m: getattr(est, m)(X) for m in ("predict", "predict_proba", "decision_function") if hasattr(est, m)
    }
    fitted = {k: pickle.dumps(v) for k, v in vars(est).items() if k.endswith("_")}
    owner, attribute = TRAINING_STEP[name]
    step = getattr(owner, attribute)
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return step(*args, **kwargs)

    monkeypatch.setattr(owner, attribute, interrupted)
    est.set_params(warm_start=warm_start)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X[::-1] * 2 + 1, 1 - y[::-1])
    monkeypatch.undo()
    assert len(calls) == 3
    for method, value in before.items():
        np.testing.assert_array_equal(getattr(est, method)(X), value)
    assert {k: pickle.dumps(v) for k, v in vars(est).items() if k.endswith("_")} == fitted


def test_partial_fit_epochs_equal_fit_epochs_even_through_pickle():
    X, y = nn.data.xor_blobs(n_per_blob=50, seed=0)
    kw = dict(
        hidden_layer_sizes=(8,), shuffle=False, tol=0, n_iter_no_change=100, random_state=0, batch_size=50
    )
    fitted = nn.MLPClassifier(max_iter=3, **kw).fit(X, y)
    stepped = nn.MLPClassifier(**kw)
    for _ in range(3):  # as a Dask worker sees it: the model and its optimizer pickled between calls
        stepped = pickle.loads(pickle.dumps(stepped.partial_fit(X, y, classes=[0, 1])))
    assert stepped.loss_curve_ == fitted.loss_curve_
    for a, b in zip(stepped.coefs_ + stepped.intercepts_, fitted.coefs_ + fitted.intercepts_):
        np.testing.assert_array_equal(a, b)
