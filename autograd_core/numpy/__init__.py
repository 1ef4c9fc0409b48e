"""A drop-in ``numpy`` namespace for HIPS autograd users (``import autograd_core.numpy as np``)."""
