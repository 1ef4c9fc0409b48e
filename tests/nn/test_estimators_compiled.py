"""The estimators' compiled training steps give, to the last bit, what eager training gives."""

from __future__ import annotations

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
        lambda: nn.MLPRegressor((4, 3), solver="sgd", learning_rate="invscaling", max_iter=40),
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


def test_sample_weights_and_partial_fit_match_eager():
    make = lambda: nn.MLPRegressor((5,), batch_size=20, random_state=0)  # noqa: E731
    runs = []
    for eager in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", ag.CompileWarning)
            if eager:
                with eager_training():
                    est = make().fit(X, Y_REG, sample_weight=W)
                    for _ in range(3):
                        est.partial_fit(X, Y_REG)
            else:
                est = make().fit(X, Y_REG, sample_weight=W)
                for _ in range(3):
                    est.partial_fit(X, Y_REG)
        runs.append(est)
    assert_identical(runs[0], runs[1], X)


def test_the_switch_restores_itself():
    assert nn.estimators.compiled_training_enabled()
    with eager_training():
        assert not nn.estimators.compiled_training_enabled()
    assert nn.estimators.COMPILED_TRAINING is True


@pytest.mark.parametrize("params", [{}, {"C": 0.5}, {"penalty": None}], ids=["l2", "C", "no_penalty"])
def test_logistic_regression_newton_cg_with_a_compiled_hvp_equals_eager(params):
    fits = []
    for eager in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", ag.CompileWarning)
            if eager:
                with eager_training():
                    fits.append(nn.LogisticRegression(**params).fit(X_MULTI, Y_MULTI, sample_weight=W[:90]))
            else:
                fits.append(nn.LogisticRegression(**params).fit(X_MULTI, Y_MULTI, sample_weight=W[:90]))
    a, b = fits
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    assert a.loss_curve_ == b.loss_curve_
    np.testing.assert_array_equal(a.predict_proba(X_MULTI), b.predict_proba(X_MULTI))
