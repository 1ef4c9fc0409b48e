"""Estimators with scikit-learn's interface (``fit``, ``predict``, ``predict_proba``, ``score``,
``get_params``/``set_params``), built on ``autograd_core`` and ``nn``.

>>> import nn
>>> X, y = nn.data.xor_blobs(n_per_blob=50, seed=0)
>>> nn.LogisticRegression().fit(X, y).predict_proba(X).shape
(200, 2)
"""

from ._compiled import compiled_training_enabled, eager_training
from .base import (
    BaseEstimator,
    ConvergenceWarning,
    DataConversionWarning,
    InvalidParameterError,
    NotFittedError,
)
from .logistic import LogisticRegression
from .mlp import MLPClassifier, MLPRegressor
from .perceptron import Perceptron

COMPILED_TRAINING = True  # train with compiled steps (see _compiled); False: eagerly, identical results

__all__ = [
    "COMPILED_TRAINING",
    "BaseEstimator",
    "ConvergenceWarning",
    "DataConversionWarning",
    "InvalidParameterError",
    "LogisticRegression",
    "MLPClassifier",
    "MLPRegressor",
    "NotFittedError",
    "Perceptron",
    "compiled_training_enabled",
    "eager_training",
]
