"""nn: modules, MLPs, losses and optimizers on top of autograd_core.

>>> import numpy as np
>>> import nn
>>> model = nn.MLP(2, [5], 1, activation="relu", seed=0)
>>> loss = nn.BCEWithLogitsLoss()(model(np.zeros((4, 2))), np.ones(4))
>>> loss.backward()
>>> model.layers[0].weight.grad.shape
(5, 2)
"""

from . import data, functional, init, optim, plot
from .activations import (
    ACTIVATIONS,
    ELU,
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Step,
    Swish,
    Tanh,
    get_activation,
)
from .clip import clip_grad_norm_, clip_grad_value_
from .estimators import LogisticRegression, MLPClassifier, MLPRegressor, Perceptron
from .layers import MLP, Dropout, Linear
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss
from .module import Identity, Module, ModuleDict, ModuleList, Sequential, StateDictKeyError
from .parameter import Parameter
from .persistence import PersistenceError, load, save

__all__ = [
    "ACTIVATIONS",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Dropout",
    "ELU",
    "GELU",
    "HuberLoss",
    "Identity",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "LogisticRegression",
    "MLP",
    "MLPClassifier",
    "MLPRegressor",
    "MSELoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "Perceptron",
    "PersistenceError",
    "ReLU",
    "Sequential",
    "StateDictKeyError",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Step",
    "Swish",
    "Tanh",
    "clip_grad_norm_",
    "clip_grad_value_",
    "data",
    "functional",
    "get_activation",
    "init",
    "load",
    "optim",
    "plot",
    "save",
]
