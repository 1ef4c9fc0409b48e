"""scikit-learn interoperability without importing scikit-learn: its tags, and its exception and
warning classes when it is in use.

``import nn`` never imports scikit-learn. ``__sklearn_tags__`` imports ``sklearn.utils`` when
scikit-learn itself asks for the tags. Errors and warnings are raised with :func:`raised_class`:
our own class (``nn.estimators.NotFittedError``, ...) and, once ``sklearn.exceptions`` has been
imported (anyone who writes ``except sklearn.exceptions.NotFittedError`` or filters its
``ConvergenceWarning`` has imported it), a subclass of both ours and scikit-learn's, so every
``except`` clause, ``pytest.warns`` and ``warnings.filterwarnings`` written for either one matches.

>>> from nn.estimators import NotFittedError
>>> issubclass(raised_class(NotFittedError), NotFittedError)
True
"""

from __future__ import annotations

import sys
from typing import Any, Dict


class NotFittedError(ValueError, AttributeError):
    """Raised when ``predict`` (or any method needing a fit) is called before ``fit``,
    as ``sklearn.exceptions.NotFittedError`` (a ValueError and an AttributeError)."""


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at ``max_iter`` before converging (scikit-learn's warning)."""


class DataConversionWarning(UserWarning):
    """The input was converted as scikit-learn does, e.g. a column-vector ``y`` raveled to 1-D."""


_HYBRIDS: Dict[type, type] = {}


def raised_class(ours: type) -> type:
    """``ours``, or a subclass of ``ours`` and scikit-learn's class of the same name when
    ``sklearn.exceptions`` is imported."""
    theirs_module = sys.modules.get("sklearn.exceptions")
    if theirs_module is None:
        return ours
    hybrid = _HYBRIDS.get(ours)
    if hybrid is None:
        theirs = getattr(theirs_module, ours.__name__)
        hybrid = type(
            ours.__name__,
            (ours, theirs),
            {"__module__": __name__, "__qualname__": f"_sklearn_{ours.__name__}", "__doc__": ours.__doc__},
        )
        _HYBRIDS[ours] = hybrid
    return hybrid


def __getattr__(name: str) -> Any:
    # pickle finds a hybrid class by its qualified name (an exception sent back by a Dask worker)
    if name.startswith("_sklearn_") and name[9:] in _BY_NAME:
        import sklearn.exceptions  # noqa: F401  (the unpickling side needs the other base)

        return raised_class(_BY_NAME[name[9:]])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_BY_NAME = {cls.__name__: cls for cls in (NotFittedError, ConvergenceWarning, DataConversionWarning)}


class TagsMixin:
    """``__sklearn_tags__`` (scikit-learn >= 1.6) and ``_more_tags`` (older) from class attributes:
    ``_estimator_type`` ("classifier"/"regressor"), ``_multi_output`` and ``_poor_score``."""

    _estimator_type: Any = None
    _multi_output = False
    _poor_score = False

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import ClassifierTags, InputTags, RegressorTags, Tags, TargetTags

        kind = self._estimator_type
        return Tags(
            estimator_type=kind,
            target_tags=TargetTags(required=True, multi_output=self._multi_output, single_output=True),
            transformer_tags=None,
            classifier_tags=ClassifierTags(poor_score=self._poor_score, multi_class=True, multi_label=False)
            if kind == "classifier"
            else None,
            regressor_tags=RegressorTags(poor_score=self._poor_score) if kind == "regressor" else None,
            input_tags=InputTags(two_d_array=True, sparse=False, allow_nan=False),
            requires_fit=True,
        )

    def _more_tags(self) -> Dict[str, Any]:
        return {
            "requires_y": True,
            "multioutput": self._multi_output,
            "multilabel": False,
            "poor_score": self._poor_score,
            "allow_nan": False,
            "X_types": ["2darray"],
        }
