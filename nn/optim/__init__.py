"""Optimizers (SGD, Adam, AdamW, RMSprop, Adagrad) and learning-rate schedules, matching torch.optim.

>>> import numpy as np
>>> from autograd_core import Tensor
>>> from nn import optim
>>> w = Tensor(np.array([1.0]), requires_grad=True)
>>> opt = optim.SGD([w], lr=0.1)
>>> w.grad = Tensor(np.array([2.0])); opt.step(); w.data
array([0.8])
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "SGD", "lr_scheduler"]
