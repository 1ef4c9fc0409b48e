"""Rows for autograd_core.scipy.special (empty when scipy is not installed). Domains keep away from
the poles of the gamma family (x > 0), from erfinv's ±1 and logit's 0 and 1, and from x = 0 for
the Bessel functions of the second kind."""

from __future__ import annotations

import importlib.util

import numpy as np

from tests.autograd_core.op_table_kit import dom, each, one, row

ROWS: list = []
NO_GRAD: dict = {}

if importlib.util.find_spec("scipy") is not None:
    import scipy.special as sc

    from autograd_core.scipy import special as S

    POS = dom(0.3, 3.0)
    UNIT = dom(-0.9, 0.9)
    PROB = dom(0.05, 0.95)
    ROWS = [
        row("gammaln", S.gammaln, one(POS), "scipy.special.gammaln"),
        row("digamma", S.digamma, one(POS), "scipy.special.digamma"),
        row("polygamma_2", lambda x: S.polygamma(2, x), one(POS), "scipy.special.polygamma"),
        row("gamma", S.gamma, one(POS), "scipy.special.gamma"),
        row("rgamma", S.rgamma, one(POS), "scipy.special.rgamma"),
        row("beta", S.beta, each(POS, POS), "scipy.special.beta"),
        row("betaln", S.betaln, each(POS, POS), "scipy.special.betaln"),
        row("multigammaln", lambda x: S.multigammaln(x + 1.5, 3), one(POS)),
        row("gammainc", lambda x: S.gammainc(1.5, x), one(POS), "scipy.special.gammainc"),
        row("gammaincc", lambda x: S.gammaincc(0.7, x), one(POS), "scipy.special.gammaincc"),
        row("betainc", lambda x: S.betainc(1.5, 2.5, x), one(PROB), "scipy.special.betainc"),
        row("erfc", S.erfc, one(), "scipy.special.erfc"),
        row("erfinv", S.erfinv, one(UNIT), "scipy.special.erfinv"),
        row("erfcinv", S.erfcinv, one(dom(0.1, 1.9)), "scipy.special.erfcinv"),
        row("ndtr", S.ndtr, one(), "scipy.special.ndtr"),
        row("log_ndtr", S.log_ndtr, one(dom(-8.0, 3.0)), "scipy.special.log_ndtr"),
        row("ndtri", S.ndtri, one(PROB), "scipy.special.ndtri"),
        row("logit", S.logit, one(PROB), "scipy.special.logit"),
        row("expit", S.expit, one(), "sigmoid"),
        row("i0", S.i0, one(), "scipy.special.iv"),
        row("i1", S.i1, one(), "scipy.special.iv"),
        row("iv_half", lambda x: S.iv(1.5, x), one(POS), "scipy.special.iv"),
        row("ive", lambda x: S.ive(2, x), one(dom(exclude=(-0.05, 0.05))), "scipy.special.ive"),
        row("j0", S.j0, one(), "scipy.special.jv"),
        row("j1", S.j1, one(), "scipy.special.jv"),
        row("jn", lambda x: S.jn(3, x), one(), "scipy.special.jv"),
        row("y0", S.y0, one(POS), "scipy.special.yv"),
        row("y1", S.y1, one(POS), "scipy.special.yv"),
        row("yn", lambda x: S.yn(2, x), one(dom(0.5, 3.0)), "scipy.special.yv"),
        row(
            "logsumexp_b",
            lambda x: S.logsumexp(x, axis=-1, b=np.arange(1.0, x.shape[-1] + 1)),
            one(min_dims=1),
            keeps_dtype=False,  # a float64 b promotes, as in numpy
        ),
    ]
    NO_GRAD = {"scipy.special.gammasgn": (S.gammasgn, sc.gammasgn, 1)}
