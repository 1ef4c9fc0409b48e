"""Side-by-side benchmarks: this project vs a hand-written numpy floor vs each installed peer.

Run ``python -m benchmarks`` (``--help`` for the flags). Each workload lives in its own module
(``w1_per_op`` ... ``w6_iris_neuron``) and returns rows of :class:`benchmarks.harness.Measurement`;
``benchmarks.harness`` times them interleaved in one process and prints the ratio tables.

>>> from benchmarks import WORKLOADS
>>> sorted(WORKLOADS)
['W1', 'W2', 'W3', 'W4', 'W5', 'W6']
"""

WORKLOADS = {
    "W1": "benchmarks.w1_per_op",
    "W2": "benchmarks.w2_training_step",
    "W3": "benchmarks.w3_lecture_xor",
    "W4": "benchmarks.w4_deep_chain",
    "W5": "benchmarks.w5_second_order",
    "W6": "benchmarks.w6_iris_neuron",
}

__all__ = ["WORKLOADS"]
