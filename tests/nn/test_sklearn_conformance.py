"""scikit-learn's own estimator checks (``parametrize_with_checks``) on our four estimators, and the
pieces of the protocol they rely on: tags, scikit-learn's exception classes, the lazy import.

Expected failures are only the checks scikit-learn's estimator of the same name also fails
(measured with ``check_estimator(sklearn.linear_model.Perceptron())`` on the installed version).
"""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest

import nn

sklearn = pytest.importorskip("sklearn")
pytestmark = pytest.mark.filterwarnings("ignore:.*Maximum iterations")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

# Small networks and few iterations keep the ~250 checks at a few seconds; the accuracy checks
# (check_classifiers_train, check_regressors_train) still pass at these sizes.
CHECKED = [
    nn.LogisticRegression(),
    nn.Perceptron(),
    nn.MLPClassifier(hidden_layer_sizes=(16,), max_iter=60, learning_rate_init=0.01),
    nn.MLPRegressor(hidden_layer_sizes=(16,), max_iter=60, learning_rate_init=0.01),
]

EXPECTED_FAILURES = {
    "Perceptron": {
        "check_sample_weight_equivalence_on_dense_data": (
            "an online rule: a sample seen twice is two updates from different weights, not one update of "
            "twice the size; scikit-learn's own Perceptron fails this check too"
        )
    }
}


def expected_failures(estimator):
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


with warnings.catch_warnings():
    # scikit-learn warns that our estimators do not inherit its BaseEstimator: by design (numpy only).
    warnings.filterwarnings("ignore", message=".*does not inherit from")
    checks = parametrize_with_checks(CHECKED, expected_failed_checks=expected_failures)


@checks
def test_sklearn_estimator_check(estimator, check):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*does not inherit from")
        check(estimator)


@pytest.mark.parametrize("est", CHECKED, ids=lambda e: type(e).__name__)
def test_tags_new_and_old_protocol(est):
    from sklearn.base import is_classifier, is_regressor
    from sklearn.utils import get_tags

    tags = get_tags(est)
    classifier = type(est).__name__ != "MLPRegressor"
    assert tags.estimator_type == ("classifier" if classifier else "regressor")
    assert is_classifier(est) == classifier and is_regressor(est) == (not classifier)
    assert tags.input_tags.sparse is False and tags.input_tags.allow_nan is False
    assert tags.target_tags.required and tags.target_tags.multi_output == (not classifier)
    old = est._more_tags()  # scikit-learn < 1.6 reads this dict
    assert old["requires_y"] and old["multioutput"] == (not classifier) and old["X_types"] == ["2darray"]


def test_import_nn_does_not_import_sklearn():
    code = "import sys, nn; nn.LogisticRegression(); assert not any(m.startswith('sklearn') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_exceptions_and_warnings_are_sklearns_when_it_is_in_use():
    from sklearn.exceptions import ConvergenceWarning, DataConversionWarning, NotFittedError

    X, y = nn.data.blobs(n_per_blob=20, seed=0)
    with pytest.raises(NotFittedError) as info:
        nn.MLPClassifier().predict(X)
    assert isinstance(info.value, nn.estimators.NotFittedError)  # ours too, so either except clause works
    sent_back = pickle.loads(pickle.dumps(info.value))  # as a Dask worker returns it
    assert isinstance(sent_back, NotFittedError) and isinstance(sent_back, nn.estimators.NotFittedError)
    with pytest.warns(ConvergenceWarning):
        nn.MLPClassifier(hidden_layer_sizes=(2,), max_iter=1).fit(X, y)
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        nn.LogisticRegression().fit(X, y[:, None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=ConvergenceWarning)  # scikit-learn's filter silences ours
        nn.MLPClassifier(hidden_layer_sizes=(2,), max_iter=1).fit(X, y)


def test_sparse_input_refused_naming_sparse():
    sparse = pytest.importorskip("scipy.sparse")
    X, y = nn.data.blobs(n_per_blob=10, seed=0)
    for est in (nn.LogisticRegression(), nn.Perceptron(), nn.MLPRegressor(max_iter=2)):
        with pytest.raises(TypeError, match="Sparse data was passed"):
            est.fit(sparse.csr_matrix(X), y)


def test_inputs_worded_as_the_checks_match():
    X, y = nn.data.blobs(n_per_blob=10, seed=0)
    with pytest.raises(ValueError, match="Complex data not supported"):
        nn.LogisticRegression().fit(X + 1j, y)
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        nn.MLPRegressor().fit(X, None)
    bad = X.astype(object)
    bad[0, 0] = {"a": 1}
    with pytest.raises(TypeError, match="argument must be a string.* number"):
        nn.Perceptron().fit(bad, y)
    reg = nn.MLPRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
    with pytest.warns(UserWarning, match="column-vector y"):
        reg.fit(X, y[:, None].astype(float))
    assert reg.predict(X).shape == (len(X),)  # raveled, as scikit-learn's MLPRegressor does


def test_sample_weight_errors():
    X, y = nn.data.blobs(n_per_blob=10, seed=0)
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\), expected \(20,\)"):
        nn.LogisticRegression().fit(X, y, sample_weight=[1, 2, 3])
    with pytest.raises(ValueError, match="Negative values"):
        nn.LogisticRegression().fit(X, y, sample_weight=-np.ones(20))
    with pytest.raises(ValueError, match="at least one non-zero"):
        nn.MLPClassifier().fit(X, y, sample_weight=np.zeros(20))
