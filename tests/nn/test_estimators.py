"""The scikit-learn-style estimators: API conformance, validation, the lecture's cells, and
agreement with scikit-learn itself when it is installed."""

import copy
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from nn.estimators import ConvergenceWarning, InvalidParameterError, NotFittedError

ESTIMATORS = [
    lambda: nn.LogisticRegression(),
    lambda: nn.Perceptron(),
    lambda: nn.MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0),
    lambda: nn.MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0),
]
CLASSIFIERS = ESTIMATORS[:3]


@pytest.fixture(scope="module")
def blobs():
    return nn.data.blobs(n_per_blob=1000, seed=0)


@pytest.fixture(scope="module")
def xor():
    return nn.data.xor_blobs(n_per_blob=1000, seed=0)


def quiet_fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


# -- parameter protocol -------------------------------------------------------------------------
@pytest.mark.parametrize("make", ESTIMATORS)
def test_get_set_params_roundtrip(make):
    est = make()
    params = est.get_params()
    assert set(params) == set(type(est)._get_param_names())
    clone = type(est)(**params)
    assert clone.get_params() == params
    assert est.set_params(**params) is est


def test_get_params_reports_constructor_values_and_repr_shows_changes():
    est = nn.MLPRegressor(activation="logistic", hidden_layer_sizes=(5,), max_iter=10000, alpha=0)
    assert est.get_params()["hidden_layer_sizes"] == (5,)
    assert est.get_params()["solver"] == "adam"
    assert (
        repr(est) == "MLPRegressor(activation='logistic', alpha=0, hidden_layer_sizes=(5,), max_iter=10000)"
    )
    assert repr(nn.LogisticRegression(penalty=None)) == "LogisticRegression(penalty=None)"
    assert repr(nn.Perceptron()) == "Perceptron()"


def test_set_params_changes_the_fit_and_rejects_unknown_names():
    est = nn.LogisticRegression().set_params(C=0.5, penalty=None)
    assert (est.C, est.penalty) == (0.5, None)
    with pytest.raises(ValueError, match=r"Invalid parameter 'gamma' for estimator LogisticRegression"):
        est.set_params(gamma=1)


def test_sklearn_defaults_of_the_mlp():
    p = nn.MLPClassifier().get_params()
    assert p["hidden_layer_sizes"] == (100,)
    assert (p["activation"], p["solver"], p["batch_size"]) == ("relu", "adam", "auto")
    assert (p["alpha"], p["learning_rate_init"], p["max_iter"], p["tol"]) == (1e-4, 1e-3, 200, 1e-4)
    assert (p["n_iter_no_change"], p["shuffle"], p["random_state"]) == (10, True, None)


@pytest.mark.parametrize("make", ESTIMATORS)
def test_sklearn_clone_and_deepcopy(make, blobs):
    X, y = blobs
    est = make()
    copied = copy.deepcopy(quiet_fit(est, X[:100], y[:100]))
    np.testing.assert_array_equal(copied.predict(X[:10]), est.predict(X[:10]))
    base = pytest.importorskip("sklearn.base")
    cloned = base.clone(est)
    assert cloned.get_params() == est.get_params()
    assert not hasattr(cloned, "n_features_in_")


# -- validation --------------------------------------------------------------------------------
BAD_INPUTS = [
    (np.array([[0.0, np.nan], [1.0, 1.0]]), [0, 1], r"Input X contains NaN"),
    (np.array([[0.0, np.inf], [1.0, 1.0]]), [0, 1], r"Input X contains infinity"),
    (np.array([0.0, 1.0]), [0, 1], r"Expected 2D array, got 1D array"),
    (np.zeros((2, 2, 2)), [0, 1], r"dim 3"),
    (np.zeros((3, 2)), [0, 1], r"inconsistent numbers of samples: \[3, 2\]"),
    (np.array([["a", "b"], ["c", "d"]]), [0, 1], r"X must be numeric"),
    (np.zeros((0, 2)), [], r"0 sample\(s\)"),
    (np.zeros((2, 0)), [0, 1], r"0 feature\(s\)"),
]


@pytest.mark.parametrize("make", ESTIMATORS)
@pytest.mark.parametrize("X, y, message", BAD_INPUTS)
def test_bad_inputs_raise_valueerror_naming_the_problem(make, X, y, message):
    est = make()
    with pytest.raises(ValueError, match=message) as info:
        est.fit(X, y)
    assert f"{type(est).__name__}.fit" in str(info.value)


@pytest.mark.parametrize("make", CLASSIFIERS)
def test_classifier_target_errors(make):
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"at least 2 classes.*only one class: 1"):
        make().fit(X, [1, 1, 1, 1])
    with pytest.raises(ValueError, match=r"Unknown label type: continuous"):
        make().fit(X, [0.5, 1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"Input y contains NaN"):
        make().fit(X, [np.nan, 1.0, 0.0, 1.0])


def test_regressor_target_nan():
    with pytest.raises(ValueError, match=r"Input y contains NaN"):
        nn.MLPRegressor(max_iter=1).fit(np.zeros((2, 1)), [0.0, np.nan])


@pytest.mark.parametrize("make", ESTIMATORS)
def test_predict_before_fit_and_wrong_feature_count(make, blobs):
    X, y = blobs
    est = make()
    with pytest.raises(NotFittedError, match=r"is not fitted yet"):
        est.predict(X)
    quiet_fit(est, X[:50], y[:50])
    with pytest.raises(
        ValueError, match=rf"X has 3 features, but {type(est).__name__} is expecting 2 features"
    ):
        est.predict(np.zeros((1, 3)))


@pytest.mark.parametrize(
    "est, message",
    [
        (nn.LogisticRegression(C=-1.0), r"'C' parameter must be a float in the range \(0, inf\]. Got -1.0"),
        (nn.LogisticRegression(penalty="l1"), r"'penalty' parameter must be one of \['l2', None\]"),
        (nn.LogisticRegression(max_iter=2.5), r"'max_iter' parameter must be an int"),
        (nn.Perceptron(eta0=0), r"'eta0' parameter"),
        (nn.MLPRegressor(solver="newton"), r"'solver' parameter must be one of \['adam', 'sgd', 'lbfgs'\]"),
        (
            nn.MLPRegressor(learning_rate_init=float("inf")),
            r"'learning_rate_init' parameter must be a finite",
        ),
        (nn.Perceptron(eta0=float("inf")), r"'eta0' parameter must be a finite"),
        (nn.MLPRegressor(activation="rleu"), r"unknown activation 'rleu'; valid names"),
        (nn.MLPRegressor(hidden_layer_sizes=(0,)), r"hidden_layer_sizes must be > 0"),
        (nn.MLPRegressor(batch_size=0), r"'batch_size' parameter"),
        (nn.MLPRegressor(learning_rate_init=-1.0), r"'learning_rate_init' parameter"),
        (nn.MLPClassifier(random_state=-3), r"'random_state' parameter"),
    ],
)
def test_bad_parameters_raise_at_fit(est, message):
    with pytest.raises(InvalidParameterError, match=message):
        est.fit(np.array([[0.0], [1.0]]), [0, 1])


# -- shapes and labels -------------------------------------------------------------------------
@pytest.mark.parametrize("make", [ESTIMATORS[0], ESTIMATORS[2]])
def test_predict_proba_shapes_binary_and_multiclass(make):
    X, y = nn.data.iris()
    est = quiet_fit(make(), X, y)
    proba = est.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(est.predict(X), est.classes_[proba.argmax(axis=1)])
    np.testing.assert_allclose(np.exp(est.predict_log_proba(X)), proba, atol=1e-12)
    binary = quiet_fit(make(), X[:100], y[:100])
    assert binary.predict_proba(X).shape == (150, 2)
    assert binary.predict(X).shape == (150,)


def test_string_labels_come_back_as_given():
    X, y = nn.data.blobs(n_per_blob=30, seed=1)
    names = np.array(["blue", "orange"])[y]
    for est in (nn.LogisticRegression(), nn.Perceptron()):
        est.fit(X, names)
        assert est.classes_.tolist() == ["blue", "orange"]
        assert est.predict([[0, 3]]).tolist() == ["blue"]
        assert est.score(X, names) > 0.9


def test_decision_function_shapes(blobs):
    X, y = blobs
    lr = nn.LogisticRegression().fit(X, y)
    assert lr.decision_function(X[:5]).shape == (5,)
    np.testing.assert_allclose(lr.predict_proba(X[:5])[:, 1], 1 / (1 + np.exp(-lr.decision_function(X[:5]))))
    Xi, yi = nn.data.iris()
    assert nn.Perceptron().fit(Xi, yi).decision_function(Xi).shape == (150, 3)


def test_regressor_output_shapes_and_r2():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Y = np.column_stack([X @ [1.0, -2.0, 0.5], X[:, 0] - X[:, 1]])
    reg = nn.MLPRegressor(
        hidden_layer_sizes=(16,), activation="identity", learning_rate_init=0.01, max_iter=500, random_state=0
    ).fit(X, Y)
    assert reg.predict(X).shape == (200, 2)
    assert reg.score(X, Y) > 0.99
    assert (reg.n_outputs_, reg.out_activation_, reg.n_layers_) == (2, "identity", 3)
    assert [c.shape for c in reg.coefs_] == [(3, 16), (16, 2)]
    assert [b.shape for b in reg.intercepts_] == [(16,), (2,)]


# -- the lecture's cells (only the import line changed) -----------------------------------------
def test_seed_cell_logistic_on_two_blobs(blobs):
    all_data, targets = blobs
    best_fit = nn.LogisticRegression(penalty=None).fit(all_data, targets.astype(float))
    assert best_fit.predict([[0, 3]]).tolist() == [0.0]
    assert best_fit.predict([[3, 0]]).tolist() == [1.0]
    p03, p30, p22 = (best_fit.predict_proba([pt]).tolist()[0] for pt in ([0, 3], [3, 0], [2, 2]))
    assert p03[0] > 0.999 and p30[1] > 0.999
    assert 0.2 < p22[0] < 0.8  # near the boundary, as in the notes


def test_seed_cell_logistic_fails_on_xor(xor):
    all_data, targets = xor
    best_fit = nn.LogisticRegression(penalty=None).fit(all_data, targets)
    assert best_fit.score(all_data, targets) < 0.7
    corners_0 = best_fit.predict([[0, 0], [3, 3]]).tolist()
    corners_1 = best_fit.predict([[0, 3], [3, 0]]).tolist()
    assert corners_0 != [0, 0] or corners_1 != [1, 1]


@pytest.mark.parametrize("activation", ["logistic", "relu"])
def test_seed_cell_mlp_regressor_solves_xor(activation, xor):
    all_data, targets = xor
    best_fit = nn.MLPRegressor(
        activation=activation, hidden_layer_sizes=(5,), max_iter=10000, alpha=0, random_state=0
    ).fit(all_data, targets)
    accuracy = ((best_fit.predict(all_data) > 0.5) == targets).mean()
    assert accuracy > 0.85
    assert best_fit.n_iter_ < 10000  # stopped by tol / n_iter_no_change, not by max_iter
    probabilities = best_fit.predict(np.array([[0, 0], [3, 3], [0, 3], [3, 0]]))
    assert probabilities.shape == (4,)
    np.testing.assert_array_equal(probabilities > 0.5, [False, False, True, True])


def test_seed_cell_exactly_as_written_runs(xor):
    # The notes' cell is unseeded, so its accuracy is a draw: about 1 fit in 30 lands in a poor
    # local optimum (scikit-learn's: 2 in 40 on this data). Only what holds for every draw is
    # asserted here; accuracy is pinned by the seeded tests around it.
    all_data, targets = xor
    best_fit = nn.MLPRegressor(activation="logistic", hidden_layer_sizes=(5,), max_iter=10000, alpha=0).fit(
        all_data, targets
    )
    predictions = best_fit.predict(all_data)
    assert predictions.shape == targets.shape and np.isfinite(predictions).all()
    assert 1 <= best_fit.n_iter_ == len(best_fit.loss_curve_) < 10000
    assert best_fit.loss_curve_[-1] < best_fit.loss_curve_[0]


def test_seed_cell_succeeds_for_most_seeds(xor):
    all_data, targets = xor
    accuracies = [
        ((est.predict(all_data) > 0.5) == targets).mean()
        for est in (
            nn.MLPRegressor(
                activation="logistic", hidden_layer_sizes=(5,), max_iter=10000, alpha=0, random_state=seed
            ).fit(all_data, targets)
            for seed in range(1, 7)
        )
    ]
    assert min(accuracies) > 0.8, accuracies


# -- training behaviour ------------------------------------------------------------------------
def test_mlp_stops_by_sklearn_rule(xor):
    X, y = xor
    est = nn.MLPClassifier(hidden_layer_sizes=(5,), learning_rate_init=0.01, random_state=0, max_iter=500)
    est.fit(X[:400], y[:400])
    # Replay scikit-learn's _update_no_improvement_count over the recorded losses.
    best, count, stop = np.inf, 0, None
    for epoch, loss in enumerate(est.loss_curve_, start=1):
        count = count + 1 if loss > best - est.tol else 0
        best = min(best, loss)
        if count > est.n_iter_no_change:
            stop = epoch
            break
    assert stop == est.n_iter_ == len(est.loss_curve_)
    assert est.best_loss_ == min(est.loss_curve_)
    assert est.t_ == 400 * est.n_iter_


def test_max_iter_reached_warns(blobs):
    X, y = blobs
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(2\) reached"):
        nn.MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0).fit(X, y)


def test_random_state_makes_fits_repeat(xor):
    X, y = xor
    make = lambda: nn.MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=3)
    a, b = quiet_fit(make(), X[:300], y[:300]), quiet_fit(make(), X[:300], y[:300])
    assert a.loss_curve_ == b.loss_curve_
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])


def test_alpha_shrinks_the_weights(xor):
    X, y = xor
    norms = []
    for alpha in (0.0, 1.0):
        est = quiet_fit(
            nn.MLPRegressor(
                hidden_layer_sizes=(8,), alpha=alpha, learning_rate_init=0.01, max_iter=60, random_state=0
            ),
            X[:500],
            y[:500],
        )
        norms.append(sum(float((c**2).sum()) for c in est.coefs_))
    assert norms[1] < norms[0]


@pytest.mark.parametrize("schedule", ["constant", "invscaling", "adaptive"])
def test_sgd_solver_and_schedules(schedule, blobs):
    X, y = blobs
    est = quiet_fit(
        nn.MLPClassifier(
            hidden_layer_sizes=(4,),
            solver="sgd",
            learning_rate=schedule,
            learning_rate_init=0.1,
            max_iter=20,
            random_state=0,
        ),
        X,
        y,
    )
    assert est.score(X, y) > 0.95
    assert est.loss_curve_[-1] < est.loss_curve_[0]


def test_mlp_classifier_spirals_with_extra_activation():
    X, y = nn.data.spirals(n_per_arm=60, seed=0)
    est = quiet_fit(
        nn.MLPClassifier(
            hidden_layer_sizes=(32, 32),
            activation="gelu",
            learning_rate_init=0.01,
            max_iter=300,
            random_state=0,
        ),
        X,
        y,
    )
    assert est.score(X, y) > 0.9


def test_logistic_regression_reaches_the_optimum(blobs):
    X, y = blobs
    est = nn.LogisticRegression(penalty="l2", C=0.1, tol=1e-10).fit(X, y)
    # Stationarity of mean log-loss + ||w||^2 / (2 C n): the gradient vanishes at the fit.
    p = est.predict_proba(X)[:, 1]
    grad_w = X.T @ (p - y) / len(y) + est.coef_[0] / (est.C * len(y))
    grad_b = (p - y).mean()
    np.testing.assert_allclose(grad_w, 0, atol=1e-9)
    assert abs(grad_b) < 1e-9
    assert est.loss_curve_ == sorted(est.loss_curve_, reverse=True)
    assert est.n_iter_.shape == (1,) and 0 < est.n_iter_[0] < 30


def test_perceptron_follows_rosenblatts_rule():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    est = nn.Perceptron(shuffle=False, max_iter=1, tol=None, eta0=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.fit(X, [0, 1])
    # Sample 0: w = 0 fires (0 >= 0) but the target is 0 -> w -= 0.5 x0, b -= 0.5.
    # Sample 1: w.x1 + b = -0.5 < 0, target 1 -> w += 0.5 x1, b += 0.5.
    np.testing.assert_allclose(est.coef_, [[-0.5, 0.5]])
    np.testing.assert_allclose(est.intercept_, [0.0])
    assert est.loss_curve_ == [1.0]


def test_perceptron_separates_separable_data_and_stops():
    X, y = nn.data.blobs(n_per_blob=100, centers=((0, 4), (4, 0)), std=0.5, seed=0)
    est = nn.Perceptron(random_state=0).fit(X, y)
    assert est.score(X, y) == 1.0
    assert est.loss_curve_[-1] == 0.0 and est.n_iter_ == len(est.loss_curve_) < 1000


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=2))
def test_probabilities_are_valid_anywhere(point):
    est = _fitted_logistic()
    p = est.predict_proba([point])
    assert p.shape == (1, 2) and np.all((p >= 0) & (p <= 1))
    assert abs(p.sum() - 1) < 1e-12


_CACHE = {}


def _fitted_logistic():
    if "lr" not in _CACHE:
        _CACHE["lr"] = nn.LogisticRegression().fit(*nn.data.blobs(n_per_blob=50, seed=2))
    return _CACHE["lr"]


# -- agreement with scikit-learn ------------------------------------------------------------------
@pytest.mark.parametrize("penalty", [None, "l2"])
def test_logistic_matches_sklearn(penalty, blobs):
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y = blobs
    ours = nn.LogisticRegression(penalty=penalty, tol=1e-8).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn >= 1.8 deprecates `penalty`
        theirs = linear_model.LogisticRegression(penalty=penalty, tol=1e-8, solver="newton-cg").fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-5)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)


def test_logistic_multiclass_matches_sklearn():
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y = nn.data.iris()
    ours = nn.LogisticRegression(tol=1e-8).fit(X, y)
    theirs = linear_model.LogisticRegression(tol=1e-10, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-4)


@pytest.mark.parametrize("activation", ["logistic", "relu"])
def test_mlp_regressor_accuracy_comparable_to_sklearn(activation, xor):
    neural_network = pytest.importorskip("sklearn.neural_network")
    X, y = xor
    kwargs = dict(activation=activation, hidden_layer_sizes=(5,), max_iter=10000, alpha=0, random_state=0)
    ours = nn.MLPRegressor(**kwargs).fit(X, y)
    theirs = neural_network.MLPRegressor(**kwargs).fit(X, y)
    acc = lambda m: ((m.predict(X) > 0.5) == y).mean()
    assert acc(ours) > acc(theirs) - 0.03
    assert ours.loss_ < theirs.loss_ * 1.2
