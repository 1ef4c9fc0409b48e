"""The estimators' compiled training steps give, to the last bit, what eager training gives."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.estimators import eager_training

X, Y = nn.data.xor_blobs(n_per_blob=30, seed=0)
RNG = np.random.default_rng(0)
Y_REG = X[:, 0] * X[:, 1] + 0.1 * RNG.standard_normal(len(X))
X_MULTI = RNG.standard_normal((90, 4))
Y_MULTI = RNG.integers(0, 3, 90)
W = RNG.uniform(0.5, 2.0, len(X))

CASES = {
    "classifier_logistic_full_batch": (
        lambda: nn.MLPClassifier((5,), activation="logistic", max_iter=60),
        X,
        Y,
    ),
    "classifier_relu_minibatches": (lambda: nn.MLPClassifier((5,), batch_size=16, max_iter=30), X, Y),
    "regressor_alpha": (lambda: nn.MLPRegressor((5,), alpha=0.01, max_iter=60), X, Y_REG),
    "regressor_early_stopping": (
        lambda: nn.MLPRegressor((5,), early_stopping=True, batch_size=25, max_iter=30),
        X,
        Y_REG,
    ),
    "regressor_sgd_invscaling": (
        lambda: nn.MLPRegressor((4, 3), solver="sgd", learning_rate="invscaling", max_iter=50),
        X,
        Y_REG,
    ),
    "classifier_lbfgs": (lambda: nn.MLPClassifier((5,), solver="lbfgs", max_iter=40), X, Y),
    "multiclass_lbfgs": (lambda: nn.MLPClassifier((6,), solver="lbfgs", max_iter=30), X_MULTI, Y_MULTI),
    "multiclass_adam": (lambda: nn.MLPClassifier((6,), max_iter=20), X_MULTI, Y_MULTI),
}


def fitted(make, A, b, **fit):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings (scikit-learn's class when installed)
        warnings.simplefilter("error", ag.CompileWarning)  # a compiled step must not fall back
        return make().set_params(random_state=0).fit(A, b, **fit)


def assert_identical(a, b, A):
    for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        assert p.dtype == q.dtype
        np.testing.assert_array_equal(p, q)
    assert a.loss_curve_ == b.loss_curve_ and a.n_iter_ == b.n_iter_
    np.testing.assert_array_equal(a.predict(A), b.predict(A))


@pytest.mark.parametrize("case", list(CASES))
def test_compiled_fit_equals_eager_fit_bit_for_bit(case):
    make, A, b = CASES[case]
    compiled = fitted(make, A, b)
    with eager_training():
        eager = fitted(make, A, b)
    assert_identical(compiled, eager, A)


def compiled_and_eager(run):
    """``run()`` with compiled training, then eagerly; a CompileWarning (an eager fallback) fails."""
    results = []
    for mode in (contextlib.nullcontext, eager_training):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", ag.CompileWarning)
            with mode():
                results.append(run())
    return results


def test_sample_weights_and_partial_fit_match_eager():
    def run():
        est = nn.MLPRegressor((5,), batch_size=20, random_state=0).fit(X, Y_REG, sample_weight=W)
        for _ in range(3):
            est.partial_fit(X, Y_REG)
        return est

    compiled, eager = compiled_and_eager(run)
    assert_identical(compiled, eager, X)


def test_the_switch_restores_itself():
    assert nn.estimators.compiled_training_enabled()
    with eager_training():
        assert not nn.estimators.compiled_training_enabled()
    assert nn.estimators.COMPILED_TRAINING is True


@pytest.mark.parametrize("params", [{}, {"C": 0.5}, {"penalty": None}], ids=["l2", "C", "no_penalty"])
def test_logistic_regression_newton_cg_with_a_compiled_hvp_equals_eager(params):
    fits = compiled_and_eager(
        lambda: nn.LogisticRegression(**params).fit(X_MULTI, Y_MULTI, sample_weight=W[:90])
    )
    a, b = fits
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    assert a.loss_curve_ == b.loss_curve_
    np.testing.assert_array_equal(a.predict_proba(X_MULTI), b.predict_proba(X_MULTI))


MULTICLASS_STOCHASTIC = {  # (estimator, fit arguments, batches per epoch)
    # 90 rows in batches of 16: five full batches and a short one of 10
    "adam_short_last_batch": (lambda: nn.MLPClassifier((6,), batch_size=16, max_iter=15), {}, 6),
    "adam_sample_weight": (
        lambda: nn.MLPClassifier((6,), batch_size=16, max_iter=15),
        {"sample_weight": W[:90]},
        6,
    ),
    "sgd_nesterov_alpha": (
        lambda: nn.MLPClassifier((6, 4), solver="sgd", alpha=0.01, batch_size=32, max_iter=30),
        {},
        3,
    ),
    # 81 training rows after the stratified validation split of 9
    "early_stopping": (
        lambda: nn.MLPClassifier((6,), early_stopping=True, batch_size=16, max_iter=15),
        {},
        6,
    ),
}


def spying_fit(monkeypatch, make, A, b, **fit):
    """A fit, and the training steps it built (compiled ones have ``stats``)."""
    from nn.estimators import mlp

    made = []
    original = mlp.backward_step
    monkeypatch.setattr(mlp, "backward_step", lambda *a: made.append(original(*a)) or made[-1])
    return fitted(make, A, b, **fit), made


@pytest.mark.parametrize("case", list(MULTICLASS_STOCHASTIC))
def test_multiclass_stochastic_fit_replays_and_equals_eager(monkeypatch, case):
    make, fit, batches = MULTICLASS_STOCHASTIC[case]
    compiled, (step,) = spying_fit(monkeypatch, make, X_MULTI, Y_MULTI, **fit)
    # traced once per batch shape (a full and a short batch), replayed for every other batch
    traces, replays = step.stats["traces"], step.stats["replays"]
    assert traces <= 2 and traces + replays == batches * compiled.n_iter_ and step.stats["eager"] == 0
    with eager_training():
        eager, (eager_step,) = spying_fit(monkeypatch, make, X_MULTI, Y_MULTI, **fit)
    assert not hasattr(eager_step, "stats")
    assert_identical(compiled, eager, X_MULTI)
    np.testing.assert_array_equal(compiled.predict_proba(X_MULTI), eager.predict_proba(X_MULTI))
    if compiled.early_stopping:
        assert compiled.validation_scores_ == eager.validation_scores_


def test_multiclass_partial_fit_with_classes_equals_eager():
    labels = np.array(["a", "b", "c", "d"])  # "d" never appears: only classes= names it

    def run():
        est = nn.MLPClassifier((6,), batch_size=20, random_state=0)
        est.partial_fit(X_MULTI, labels[Y_MULTI], classes=labels)
        for _ in range(3):
            est.partial_fit(X_MULTI, labels[Y_MULTI], sample_weight=W[:90])
        return est

    runs = compiled_and_eager(run)
    assert runs[0].predict_proba(X_MULTI).shape == (90, 4)
    assert_identical(*runs, X_MULTI)


@pytest.mark.parametrize("weighted", [False, True])
def test_one_hot_targets_give_the_label_loss_and_gradient_to_rounding(weighted):
    clf = nn.MLPClassifier((6,), random_state=0, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X_MULTI, Y_MULTI)
    weight = W[:90] if weighted else None
    results = []
    for target in (Y_MULTI, clf._batch_targets(Y_MULTI, clf.model_)):
        for p in clf.model_.parameters():
            p.grad = None
        loss = clf._loss(clf.model_(X_MULTI), target, weight)
        loss.backward()
        results.append((float(loss.data), [p.grad.data.copy() for p in clf.model_.parameters()]))
    (label_loss, label_grads), (one_hot_loss, one_hot_grads) = results
    assert one_hot_loss == pytest.approx(label_loss, rel=1e-13)
    for a, b in zip(label_grads, one_hot_grads):
        np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-15)


def test_targets_too_large_for_one_hot_keep_labels_and_train_eagerly(monkeypatch):
    from nn.estimators import _compiled

    monkeypatch.setattr(_compiled, "ONE_HOT_LIMIT", 100)  # 90 rows x 6 classes > 100, and 6 > 4 features
    y6 = np.arange(90) % 6
    make = lambda: nn.MLPClassifier((6,), batch_size=16, max_iter=5)  # noqa: E731
    compiled, (step,) = spying_fit(monkeypatch, make, X_MULTI, y6)
    assert not hasattr(step, "stats")  # integer labels would re-trace per batch: the step stays eager
    with eager_training():
        eager = fitted(make, X_MULTI, y6)
    assert_identical(compiled, eager, X_MULTI)
    assert _compiled.class_targets(y6, 6, 4) is y6
    assert _compiled.class_targets(y6, 6, 6).shape == (90, 6)  # no larger than the data: one-hot


def test_a_partial_fit_on_few_batches_stays_eager_and_a_long_one_compiles(monkeypatch):
    from nn.estimators import _compiled

    est, (step,) = spying_fit(monkeypatch, lambda: nn.MLPClassifier((6,), batch_size=20), X_MULTI, Y_MULTI)
    assert hasattr(step, "stats")  # 200 epochs of 4 full batches
    made = []
    monkeypatch.setattr(
        nn.estimators.mlp, "backward_step", lambda *a: made.append(_compiled.backward_step(*a)) or made[-1]
    )
    est.partial_fit(X_MULTI, Y_MULTI)  # one epoch, 4 full batches: fewer than MIN_COMPILED_STEPS
    est.partial_fit(np.repeat(X_MULTI, 15, axis=0), np.repeat(Y_MULTI, 15), sample_weight=np.ones(1350))
    assert not hasattr(made[0], "stats") and made[1].stats["traces"] == 2 and made[1].stats["eager"] == 0
