"""nn.plot: figures are written off-screen, every kind of model is accepted, and a missing
matplotlib names the extra to install."""

import sys
import warnings

import numpy as np
import pytest

import nn

pytest.importorskip("matplotlib")
from nn import plot  # noqa: E402


@pytest.fixture(scope="module")
def blobs():
    return nn.data.blobs(n_per_blob=40, seed=0)


def _png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000
    return data


@pytest.mark.parametrize(
    "make",
    [
        lambda X, y: nn.LogisticRegression().fit(X, y),
        lambda X, y: nn.Perceptron().fit(X, y),
        lambda X, y: nn.MLP(2, [4], 1, seed=0),  # logits from an nn.Module
        lambda X, y: nn.MLP(2, [4], 3, seed=0),  # class scores
        lambda X, y: lambda pts: 1 / (1 + np.exp(-(pts[:, 0] - pts[:, 1]))),  # probabilities
    ],
)
def test_decision_boundary_accepts_every_model_kind(make, blobs, tmp_path):
    X, y = blobs
    ax = plot.decision_boundary(make(X, y), X, y, path=tmp_path / "b.png", resolution=30, title="t")
    _png(tmp_path / "b.png")
    assert ax.get_title() == "t"


def test_decision_boundary_draws_the_dashed_half_contour(blobs):
    X, y = blobs
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    plot.decision_boundary(nn.LogisticRegression().fit(X, y), X, y, ax=ax, xlim=(-4, 7), ylim=(-4, 7))
    assert ax.get_xlim() == (-4, 7)
    assert len(ax.collections) >= 3  # filled surface, the 50% line, the two classes' points
    plt.close(fig)


def test_decision_boundary_rejects_bad_shapes(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        plot.decision_boundary(lambda p: p[:, 0], np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"y must have shape \(80,\)"):
        plot.decision_boundary(lambda p: p[:, 0], X, y[:5])
    with pytest.raises(TypeError, match=r"expected an estimator"):
        plot.decision_boundary(42, X, y)


def test_loss_curve_and_activation_table(tmp_path):
    ax = plot.loss_curve([10.0, 1.0, 0.01], path=tmp_path / "loss.png")
    assert ax.get_yscale() == "log"
    _png(tmp_path / "loss.png")
    fig = plot.activation_table(tmp_path / "act.png")
    titles = [a.get_title() for a in fig.axes]
    assert len(titles) == 9 and titles[0].startswith("binary step") and "swish" in titles[5]
    _png(tmp_path / "act.png")
    with pytest.raises(ValueError, match="loss_curve: losses is empty"):
        plot.loss_curve([])


def test_unwritable_path_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="loss_curve: could not write"):
        plot.loss_curve([1.0, 2.0], path=tmp_path / "missing_dir" / "x.png")


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'autograd-core\[plot\]'"):
        plot.loss_curve([1.0])


def _colorbar_labels(ax):
    return [other.get_ylabel() for other in ax.figure.axes if other is not ax]


def test_decision_boundary_labels_titles_and_colorbar(blobs, tmp_path):
    X, y = blobs
    model = nn.MLP(2, [8], 1, activation="relu", seed=0)
    ax = plot.decision_boundary(model, X, y, path=tmp_path / "b.png", resolution=30)
    assert ax.get_title() == "MLP 8 hidden, relu"  # not "MLP (8,)"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("feature 0", "feature 1")
    assert _colorbar_labels(ax) == ["score (> 0: class 1)"]  # one logit per point
    ax = plot.decision_boundary(
        nn.LogisticRegression().fit(X, y), X, y, resolution=30, feature_names=["sepal length", "sepal width"]
    )
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("sepal length", "sepal width")
    assert ax.get_title() == "LogisticRegression" and _colorbar_labels(ax) == ["P(class 1)"]
    ax = plot.decision_boundary(nn.MLP(2, [4], 3, seed=0), X, y, resolution=20, colorbar=False, title="")
    assert _colorbar_labels(ax) == [] and ax.get_title() == ""
    with pytest.raises(ValueError, match="feature_names must name the 2 features"):
        plot.decision_boundary(model, X, y, feature_names=["a"])


def test_decision_boundary_reads_dataframe_columns(blobs):
    pd = pytest.importorskip("pandas")
    X, y = blobs
    frame = pd.DataFrame(X, columns=["height", "weight"])
    clf = nn.MLPRegressor(hidden_layer_sizes=(5,), activation="logistic", max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 5 epochs do not converge
        clf.fit(X, y)
    ax = plot.decision_boundary(clf, frame, y, resolution=20)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("height", "weight")
    assert ax.get_title() == "MLPRegressor 5 hidden, logistic"


def test_loss_curve_in_one_call_from_estimators(blobs, tmp_path):
    X, y = blobs
    fits = [nn.MLPClassifier(hidden_layer_sizes=(h,), tol=0.05, random_state=0).fit(X, y) for h in (2, 6)]
    ax = plot.loss_curve(fits[0], path=tmp_path / "one.png")
    _png(tmp_path / "one.png")
    (line,) = ax.get_lines()
    assert np.array_equal(line.get_ydata(), fits[0].loss_curve_)
    assert line.get_label() == "MLPClassifier 2 hidden, relu"
    ax = plot.loss_curve(fits)
    assert [li.get_label() for li in ax.get_lines()] == [
        "MLPClassifier 2 hidden, relu",
        "MLPClassifier 6 hidden, relu",
    ]
    ax = plot.loss_curve({"a": fits[0], "b": [3.0, 2.0]})
    assert [li.get_label() for li in ax.get_lines()] == ["a", "b"]
    with pytest.raises(ValueError, match="has no loss_curve_: fit it first"):
        plot.loss_curve(nn.MLPClassifier())


def test_describe_names_every_activation_spec():
    assert plot.describe(nn.MLP(2, [8], 1, activation=nn.LeakyReLU(0.2))) == "MLP 8 hidden, leaky_relu"
    assert plot.describe(nn.MLP(2, [3, 4], 1, activation=nn.Swish)) in (
        "MLP 3,4 hidden, silu",
        "MLP 3,4 hidden, swish",
    )
    assert plot.describe(nn.MLP(2, [], 1)) == "MLP (no hidden layer)"
    assert plot.describe(lambda p: p) is None
