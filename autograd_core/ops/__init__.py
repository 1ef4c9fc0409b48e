"""Every op, as a function on Tensors or plain arrays (``ag.exp``, ``ag.matmul``, ...).

Primitives (a numpy forward plus one derivative rule per argument) live in the modules of
this package, grouped as a derivative sheet; other ops are compositions of primitives.
"""

from types import ModuleType as _ModuleType

from . import _numpy_api  # noqa: F401  (numpy's names for the ops: the dispatch table)
from .activations import elu, gelu, leaky_relu, relu, selu, sigmoid, silu, softplus, step
from .arithmetic import (
    add,
    clip,
    div,
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    mul,
    neg,
    not_equal,
    sub,
    where,
)
from .arrays import (
    amax,
    amin,
    append,
    arange,
    argpartition,
    argsort,
    array_split,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    c_,
    column_stack,
    diag,
    diagonal,
    diff,
    dsplit,
    dstack,
    empty,
    empty_like,
    eye,
    flip,
    fliplr,
    flipud,
    full,
    full_like,
    gradient,
    hsplit,
    hstack,
    identity,
    linspace,
    moveaxis,
    nonzero,
    ones,
    ones_like,
    partition,
    r_,
    ravel,
    repeat,
    roll,
    rollaxis,
    rot90,
    row_stack,
    searchsorted,
    select,
    sort,
    tile,
    trace,
    tril,
    triu,
    unique,
    vsplit,
    vstack,
    zeros,
    zeros_like,
)
from .complex import abs2, conj, conjugate, imag, real
from .decompositions import (
    cholesky,
    det,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    inv,
    matrix_power,
    multi_dot,
    pinv,
    qr,
    slogdet,
    solve,
    svd,
    svdvals,
)
from .elementwise import (
    abs_,
    ceil,
    cos,
    erf,
    exp,
    expm1,
    floor,
    isfinite,
    isnan,
    log,
    log1p,
    power,
    round_,
    sign,
    sin,
    sqrt,
    tan,
    tanh,
)
from .linalg import dot, einsum, matmul, outer
from .math import (
    absolute,
    angle,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cosh,
    deg2rad,
    degrees,
    exp2,
    fabs,
    floor_divide,
    fmax,
    fmin,
    hypot,
    isclose,
    log2,
    log10,
    logaddexp,
    logaddexp2,
    mod,
    nan_to_num,
    rad2deg,
    radians,
    real_if_close,
    reciprocal,
    remainder,
    sinc,
    sinh,
    square,
)
from .products import cross, cumprod, inner, kron, tensordot
from .reductions import (
    argmax,
    argmin,
    cumsum,
    log_softmax,
    logsumexp,
    max_,
    mean,
    min_,
    norm,
    one_hot,
    prod,
    softmax,
    std,
    sum_,
    var,
)
from .shape import (
    astype,
    broadcast_to,
    concatenate,
    copy,
    expand_dims,
    flatten,
    gather,
    getitem,
    pad,
    permute,
    reshape,
    scatter,
    setitem,
    split,
    squeeze,
    stack,
    sum_to,
    swapaxes,
    take,
    transpose,
    ungather,
    untake,
)

# numpy-style public names for the ops whose Python names would shadow builtins.
abs = abs_  # noqa: A001
sum = sum_  # noqa: A001
max = max_  # noqa: A001
min = min_  # noqa: A001
round = round_  # noqa: A001
pow = power  # noqa: A001
multiply, subtract, divide, true_divide, negative = mul, sub, div, div, neg

# Functions only: the submodules (linalg, fft, ...) are not part of ``ag``'s namespace, where
# ``ag.linalg`` and ``ag.fft`` are the numpy.linalg and numpy.fft look-alikes.
__all__ = [
    name
    for name, value in dict(globals()).items()
    if not name.startswith("_") and not isinstance(value, _ModuleType)
]
