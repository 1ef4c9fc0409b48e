"""Figures from the lecture: decision boundaries with the 50% contour, loss curves, and the
activation-function table.

matplotlib is an optional extra (``pip install 'autograd-core[plot]'``), imported only when a
function here is called. Given ``path`` and no ``ax``, a figure is drawn off-screen with the
Agg canvas and written to ``path`` (no display needed, the global backend is left alone);
every function returns the matplotlib Axes (or Figure) it drew on.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Mapping, Optional, Sequence, Tuple

import numpy as np

import autograd_core as ag

# Colours of the lecture's figures: class 0 blue, class 1 orange, then matplotlib's cycle.
CLASS_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")

# (name as in the lecture's table, formula in mathtext, nn activation name, keyword arguments)
ACTIVATION_TABLE: Tuple[Tuple[str, str, str, dict], ...] = (
    ("binary step", r"$f(x) = 0$ if $x < 0$, $1$ if $x \geq 0$", "step", {}),
    ("sigmoid, logistic, soft step", r"$f(x) = \frac{1}{1 + e^{-x}}$", "sigmoid", {}),
    ("hyperbolic tangent", r"$f(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}$", "tanh", {}),
    ("rectified linear unit (ReLU)", r"$f(x) = 0$ if $x < 0$, $x$ if $x \geq 0$", "relu", {}),
    (
        "leaky ReLU ($\\alpha = 0.1$)",
        r"$f(x) = \alpha x$ if $x < 0$, $x$ if $x \geq 0$",
        "leaky_relu",
        {"negative_slope": 0.1},
    ),
    ("sigmoid linear unit, swish", r"$f(x) = \frac{x}{1 + e^{-x}}$", "silu", {}),
    ("softplus", r"$f(x) = \ln(1 + e^x)$", "softplus", {}),
    ("GELU", r"$f(x) = x\,\Phi(x)$", "gelu", {}),
    ("ELU ($\\alpha = 1$)", r"$f(x) = \alpha(e^x - 1)$ if $x < 0$, $x$ if $x \geq 0$", "elu", {}),
)


def _require_matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            "nn.plot needs matplotlib, an optional extra: pip install 'autograd-core[plot]'"
        ) from None
    return matplotlib


def _new_axes(ax: Any, path: Any, figsize: Tuple[float, float]) -> Tuple[Any, Any]:
    """The Axes to draw on and the Figure we created for it (None if the caller gave ``ax``)."""
    _require_matplotlib()
    if ax is not None:
        return ax, None
    if path is not None:
        # An object-oriented figure on the Agg canvas: works without a display, touches no global state.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize)
        FigureCanvasAgg(fig)
        return fig.add_subplot(), fig
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    return ax, fig


def _save(fig: Any, ax: Any, path: Any, where: str) -> None:
    if path is None:
        return
    figure = fig if fig is not None else ax.figure
    try:
        figure.savefig(os.fspath(path), dpi=100, bbox_inches="tight")
    except (OSError, ValueError) as err:
        raise ValueError(f"{where}: could not write {os.fspath(path)!r}: {err}") from None


def _scores(model_or_fn: Any, points: np.ndarray) -> Tuple[np.ndarray, str]:
    """Evaluate a model on grid points: (values, kind) with kind "proba1" (probability of the
    second class), "score" (0 is the boundary) or "classes" (an (n, k) array of class scores)."""
    if hasattr(model_or_fn, "predict_proba"):
        proba = np.asarray(model_or_fn.predict_proba(points))
        return (proba[:, 1], "proba1") if proba.shape[1] == 2 else (proba, "classes")
    if hasattr(model_or_fn, "decision_function") and hasattr(model_or_fn, "classes_"):
        return np.asarray(model_or_fn.decision_function(points)), "score"
    if hasattr(model_or_fn, "predict") and hasattr(model_or_fn, "fit"):
        # A regressor fitted to 0/1 targets (the lecture's MLPRegressor): its output is read
        # as the probability of class 1.
        out = np.asarray(model_or_fn.predict(points), dtype=np.float64)
        return (out.reshape(len(points)), "proba1") if out.size == len(points) else (out, "classes")
    if not callable(model_or_fn):
        raise TypeError(
            f"decision_boundary: expected an estimator, an nn.Module or a function of (n, 2) points, "
            f"got {type(model_or_fn).__name__}"
        )
    with ag.no_grad():
        out = model_or_fn(points)
    out = np.asarray(out.data if isinstance(out, ag.Tensor) else out, dtype=np.float64)
    if out.ndim == 2 and out.shape[1] == 2:
        # Two class scores: shade by P(class 1), from logits unless rows are already probabilities.
        is_proba = np.all((out >= 0) & (out <= 1)) and np.allclose(out.sum(axis=1), 1.0)
        return (out if is_proba else ag.softmax(out, axis=1))[:, 1], "proba1"
    if out.ndim == 2 and out.shape[1] > 1:
        return out, "classes"
    out = out.reshape(len(points))
    if np.all((out >= 0) & (out <= 1)):
        return out, "proba1"
    return out, "score"  # logits: the boundary is where they cross 0


def _label(c: Any) -> str:
    """A class label for the legend: 1.0 shows as 1."""
    if isinstance(c, (float, np.floating)) and float(c).is_integer():
        return str(int(c))
    return str(c)


def describe(model: Any) -> Optional[str]:
    """A short title for a model: ``"MLP 8 hidden, relu"``, ``"MLPClassifier 5,5 hidden, logistic"``,
    ``"LogisticRegression"``; None for a plain function.

    >>> import nn
    >>> describe(nn.MLP(2, [8, 8], 1, activation="tanh"))
    'MLP 8,8 hidden, tanh'
    >>> describe(nn.MLPRegressor(hidden_layer_sizes=(5,), activation="logistic"))
    'MLPRegressor 5 hidden, logistic'
    """
    from .activations import _BY_NAME
    from .layers import MLP, Linear

    if isinstance(model, MLP):
        if not model.hidden_sizes:
            return "MLP (no hidden layer)"
        first = next(type(m) for m in model.layers if not isinstance(m, Linear))
        act = next((name for name, cls in _BY_NAME.items() if cls is first), first.__name__.lower())
        return f"MLP {','.join(str(h) for h in model.hidden_sizes)} hidden, {act}"
    sizes = getattr(model, "hidden_layer_sizes", None)
    if sizes is not None:
        sizes = [sizes] if isinstance(sizes, (int, np.integer)) else list(sizes)
        act = getattr(model, "activation", None)
        return f"{type(model).__name__} {','.join(str(h) for h in sizes)} hidden" + (
            f", {act}" if act else ""
        )
    if hasattr(model, "fit") or hasattr(model, "parameters"):
        return type(model).__name__
    return None


def _feature_names(columns: Any, model: Any, feature_names: Optional[Sequence[str]]) -> Tuple[str, str]:
    """Axis labels: the names given, else a DataFrame's ``columns``, else the estimator's
    ``feature_names_in_``, else ``feature 0`` / ``feature 1``."""
    names = feature_names if feature_names is not None else columns
    if names is None:
        names = getattr(model, "feature_names_in_", None)
    if names is None:
        return "feature 0", "feature 1"
    names = [str(n) for n in names]
    if len(names) != 2:
        raise ValueError(f"decision_boundary: feature_names must name the 2 features, got {names!r}")
    return names[0], names[1]


def decision_boundary(
    model_or_fn: Any,
    X: Any,
    y: Any,
    ax: Any = None,
    path: Any = None,
    resolution: int = 100,
    xlim: Optional[Sequence[float]] = None,
    ylim: Optional[Sequence[float]] = None,
    title: Optional[str] = None,
    figsize: Tuple[float, float] = (5.0, 5.0),
    feature_names: Optional[Sequence[str]] = None,
    colorbar: bool = True,
) -> Any:
    """Colour the plane by the model's prediction, draw the 50% boundary dashed and the
    training points (class 0 blue, class 1 orange, as in the lecture); returns the Axes.

    ``model_or_fn`` is an estimator (``predict_proba``, ``decision_function`` or a 0/1
    regressor's ``predict``), an ``nn.Module`` or any function of an (n, 2) array. One output
    per point in [0, 1] is read as the probability of class 1; outside [0, 1] as a logit
    (boundary at 0); k outputs per point as class scores (regions of the arg-max class).

    The axes are labelled with ``feature_names`` (else a DataFrame's columns or the
    estimator's ``feature_names_in_``, else ``feature 0``/``feature 1``); the title defaults
    to ``describe(model_or_fn)`` (e.g. ``MLP 8 hidden, relu``); a colorbar shows P(class 1)
    (or the score) unless ``colorbar=False``.

    >>> import os, tempfile
    >>> import nn
    >>> X, y = nn.data.blobs(n_per_blob=50, seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "boundary.png")
    >>> ax = decision_boundary(nn.LogisticRegression().fit(X, y), X, y, path=path)
    >>> os.path.getsize(path) > 0
    True
    """
    columns = list(X.columns) if hasattr(X, "columns") else None  # a DataFrame's, lost by asarray
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary: X must have shape (n, 2) to draw on the plane, got {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"decision_boundary: y must have shape ({len(X)},), got {y.shape}")
    if len(X) == 0 or not np.isfinite(X).all():
        raise ValueError("decision_boundary: X must be non-empty and finite")
    xlabel, ylabel = _feature_names(columns, model_or_fn, feature_names)
    ax, fig = _new_axes(ax, path, figsize)
    from matplotlib.colors import LinearSegmentedColormap, ListedColormap

    pad = 0.1 * np.ptp(X, axis=0) + 0.5
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xlim = tuple(xlim) if xlim is not None else (lo[0], hi[0])
    ylim = tuple(ylim) if ylim is not None else (lo[1], hi[1])
    gx, gy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    values, kind = _scores(model_or_fn, grid)
    classes = np.unique(y)
    shading = None
    if kind == "classes":
        region = values.argmax(axis=1).reshape(gx.shape)
        k = values.shape[1]
        cmap = ListedColormap([CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(k)])
        ax.contourf(gx, gy, region, levels=np.arange(k + 1) - 0.5, cmap=cmap, alpha=0.2)
        ax.contour(gx, gy, region, levels=np.arange(k) + 0.5, colors="k", linestyles="--", linewidths=1)
    else:
        surface = values.reshape(gx.shape)
        level = 0.5 if kind == "proba1" else 0.0
        cmap = LinearSegmentedColormap.from_list("blue_orange", [CLASS_COLORS[0], "white", CLASS_COLORS[1]])
        if kind == "proba1":
            shading = ax.contourf(gx, gy, surface, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.35)
        else:
            span = max(float(np.abs(surface).max()), 1e-12)
            shading = ax.contourf(gx, gy, surface, levels=np.linspace(-span, span, 11), cmap=cmap, alpha=0.35)
        if surface.min() < level < surface.max():
            ax.contour(gx, gy, surface, levels=[level], colors="k", linestyles="--", linewidths=1.5)
    for i, c in enumerate(classes):
        pts = X[y == c]
        ax.scatter(
            pts[:, 0], pts[:, 1], marker=".", s=12, color=CLASS_COLORS[i % len(CLASS_COLORS)], label=_label(c)
        )
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    if len(classes) <= len(CLASS_COLORS):
        ax.legend(loc="upper right", fontsize="small", markerscale=2, title="class")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if colorbar and shading is not None:
        positive = _label(classes[1]) if len(classes) == 2 else "1"
        label = f"P(class {positive})" if kind == "proba1" else f"score (> 0: class {positive})"
        bar = ax.figure.colorbar(shading, ax=ax, fraction=0.046, pad=0.04)
        bar.set_label(label)
        if kind == "proba1":
            bar.set_ticks(np.linspace(0, 1, 6))
    title = describe(model_or_fn) if title is None else title
    if title:
        ax.set_title(title)
    _save(fig, ax, path, "decision_boundary")
    return ax


def _curve(source: Any, where: str) -> np.ndarray:
    if hasattr(source, "loss_curve_"):
        source = source.loss_curve_
    elif hasattr(source, "fit"):
        raise ValueError(f"{where}: {type(source).__name__} has no loss_curve_: fit it first")
    values = np.asarray(source, dtype=np.float64).reshape(-1)
    if values.size == 0:
        raise ValueError(f"{where}: losses is empty")
    return values


def _curves(losses: Any, label: Optional[str], where: str) -> list:
    """``[(label, values), ...]`` from one curve, an estimator, or a list/dict of them."""
    if isinstance(losses, Mapping):
        return [(str(k), _curve(v, where)) for k, v in losses.items()]
    many = isinstance(losses, (list, tuple)) and any(
        hasattr(item, "loss_curve_") or hasattr(item, "fit") or np.ndim(item) >= 1 for item in losses
    )
    if many:
        return [(describe(item) if hasattr(item, "fit") else None, _curve(item, where)) for item in losses]
    return [(label if label is not None else describe(losses), _curve(losses, where))]


def loss_curve(
    losses: Any,
    ax: Any = None,
    path: Any = None,
    label: Optional[str] = None,
    title: str = "training loss",
    xlabel: str = "epoch",
    log: Optional[bool] = None,
    figsize: Tuple[float, float] = (6.0, 4.0),
) -> Any:
    """Plot a loss per step/epoch in one call; returns the Axes.

    ``losses`` is a sequence of numbers, a fitted estimator (its ``loss_curve_``), or a list
    or dict of those for several curves on one Axes (labelled by the dict's keys, else by
    ``describe(estimator)``). ``log=None`` uses a log y-axis when the losses are positive and
    span over two decades.

    >>> import os, tempfile
    >>> import nn
    >>> X, y = nn.data.xor_blobs(n_per_blob=20, seed=0)
    >>> clf = nn.MLPClassifier(hidden_layer_sizes=(4,), tol=0.1, random_state=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "loss.png")
    >>> ax = loss_curve(clf.fit(X, y), path=path)
    >>> ax = loss_curve({"sgd": [1.0, 0.5], "adam": [1.0, 0.2, 0.1]})
    >>> [line.get_label() for line in ax.get_lines()], os.path.getsize(path) > 0
    (['sgd', 'adam'], True)
    """
    curves = _curves(losses, label, "loss_curve")
    ax, fig = _new_axes(ax, path, figsize)
    finite_parts = []
    for name, values in curves:
        ax.plot(np.arange(1, values.size + 1), values, "-", label=name)
        finite_parts.append(values[np.isfinite(values)])
    finite = np.concatenate(finite_parts)
    if log is None:
        log = bool(finite.size and finite.min() > 0 and finite.max() / finite.min() > 100)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if any(name for name, _ in curves):
        ax.legend()
    _save(fig, ax, path, "loss_curve")
    return ax


def activation_table(path: Any = None, x_range: Tuple[float, float] = (-4.0, 4.0), ncols: int = 3) -> Any:
    """Every activation of the lecture's table (binary step, sigmoid, tanh, ReLU, leaky ReLU,
    swish) plus softplus, GELU and ELU, each in its own panel titled with its name and formula;
    returns the Figure.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "activations.png")
    >>> fig = activation_table(path)
    >>> len(fig.axes), os.path.getsize(path) > 0
    (9, True)
    """
    from .activations import get_activation

    _require_matplotlib()
    n = len(ACTIVATION_TABLE)
    nrows = -(-n // ncols)
    figsize = (4.2 * ncols, 3.4 * nrows)
    if path is not None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize)
        FigureCanvasAgg(fig)
    else:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize)
    x = np.linspace(*x_range, 401)
    for i, (name, formula, key, kwargs) in enumerate(ACTIVATION_TABLE):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        f: Callable[[np.ndarray], Any] = get_activation(key, **kwargs)
        y = np.asarray(f(x), dtype=np.float64)
        if key == "step":  # draw the jump as a jump, not a steep line
            y = np.where(x < 0, 0.0, 1.0)
            ax.plot(x[x < 0], y[x < 0], color="tab:blue", lw=2)
            ax.plot(x[x >= 0], y[x >= 0], color="tab:blue", lw=2)
        else:
            ax.plot(x, y, color="tab:blue", lw=2)
        ax.axhline(0, color="grey", lw=0.6)
        ax.axvline(0, color="grey", lw=0.6)
        ax.set_title(f"{name}\n{formula}", fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.set_xlim(*x_range)
    fig.tight_layout()
    if path is not None:
        try:
            fig.savefig(os.fspath(path), dpi=100)
        except (OSError, ValueError) as err:
            raise ValueError(f"activation_table: could not write {os.fspath(path)!r}: {err}") from None
    return fig
