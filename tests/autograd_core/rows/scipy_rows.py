"""Rows for autograd_core.scipy: special, linalg, signal, stats (empty when scipy is not installed). Domains keep away from
the poles of the gamma family (x > 0), from erfinv's ±1 and logit's 0 and 1, and from x = 0 for
the Bessel functions of the second kind."""

from __future__ import annotations

import importlib.util

import numpy as np

from tests.autograd_core.numpy_recipes import recipe
from tests.autograd_core.op_table_kit import dom, each, fixed, one, row
from tests.autograd_core.rows.linalg_rows import mats, spd, wellcond

ROWS: list = []
NO_GRAD: dict = {}
NUMPY_RECIPES: list = []
NUMPY_NO_RECIPE: dict = {}

if importlib.util.find_spec("scipy") is not None:
    import scipy.linalg as sl
    import scipy.signal as ss
    import scipy.special as sc

    from autograd_core.scipy import linalg as L
    from autograd_core.scipy import signal as G
    from autograd_core.scipy import special as S
    from autograd_core.scipy import stats as T
    from autograd_core.scipy.integrate import odeint

    POS = dom(0.3, 3.0)
    UNIT = dom(-0.9, 0.9)
    PROB = dom(0.05, 0.95)
    ANY8 = dom(-4.0, 4.0)
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
    ROWS += [
        row(
            "solve_triangular_lower",
            lambda a, b: L.solve_triangular(a, b, lower=True),
            mats((3, 3), (3, 2), domains=(wellcond, dom(-1.0, 1.0))),
            "scipy.linalg.solve_triangular",
        ),
        row(
            "solve_triangular_trans_unit",
            lambda a, b: L.solve_triangular(a, b, trans="T", unit_diagonal=True),
            mats((3, 3), (3,), domains=(wellcond, dom(-1.0, 1.0))),
            "scipy.linalg.solve_triangular",
        ),
        row(
            "solve_sylvester",
            L.solve_sylvester,
            mats((3, 3), (2, 2), (3, 2), domains=(wellcond, wellcond, dom(-1.0, 1.0))),
            "scipy.linalg.solve_sylvester",
        ),
        row("sqrtm", L.sqrtm, mats((3, 3), domains=(spd,)), "scipy.linalg.sqrtm"),
        row("convolve_full", G.convolve, fixed((4,), (3,)), "scipy.signal.convolve"),
        row(
            "convolve_same_2d",
            lambda a, b: G.convolve(a, b, mode="same"),
            fixed((3, 4), (2, 2)),
            "scipy.signal.convolve",
        ),
        row(
            "convolve_valid_swapped",
            lambda a, b: G.convolve(a, b, mode="valid"),
            fixed((2, 2), (3, 3)),
            "scipy.signal.convolve",
        ),
        row("norm_logcdf", lambda x, m: T.norm.logcdf(x, m, 1.5), each(ANY8, ANY8)),
        row("t_logpdf", lambda x, df: T.t.logpdf(x, df + 1.0, 0.2, 1.3), each(dom(), POS)),
        row("gamma_logpdf", lambda x, a: T.gamma.logpdf(x, a, 0.0, 2.0), each(POS, POS)),
        row("beta_pdf", lambda x, a: T.beta.pdf(x, a, 2.0), each(PROB, POS)),
        row(
            "poisson_logpmf",
            lambda mu: T.poisson.logpmf(np.array([0.0, 2.0, 5.0]), mu),
            one(POS, max_dims=0),
            keeps_dtype=False,
        ),
        row(
            "dirichlet_logpdf",
            lambda a: T.dirichlet.logpdf(np.array([0.2, 0.3, 0.5]), a),
            fixed((3,), domains=(POS,)),
            keeps_dtype=False,
        ),
        row(
            "mvn_logpdf",
            lambda x, m, c: T.multivariate_normal.logpdf(x, m, c),
            mats((4, 2), (2,), (2, 2), domains=(dom(), dom(), spd)),
        ),
    ]
    ROWS.append(
        row(
            "odeint_decay",
            lambda y0, k: odeint(
                lambda y, t, kk: -kk * y, y0, np.array([0.0, 0.5, 1.0]), (k,), rtol=1e-11, atol=1e-11
            ),
            fixed((2,), (), domains=(dom(), POS)),
            "scipy.integrate.odeint",
            smooth=False,  # the adjoint solve is not recorded: no second derivatives
            keeps_dtype=False,  # scipy integrates in float64
        )
    )
    NO_GRAD = {"scipy.special.gammasgn": (S.gammasgn, sc.gammasgn, 1)}
    # scipy.special's ufuncs called on Tensors (Tensor.__array_ufunc__), as in the rows above
    NUMPY_RECIPES = [
        recipe(sc.gammaln, lambda x: sc.gammaln(x), one(POS)),
        recipe(sc.digamma, lambda x: sc.psi(x), one(POS)),
        recipe(sc.gamma, lambda x: sc.gamma(x), one(POS)),
        recipe(sc.rgamma, lambda x: sc.rgamma(x), one(POS)),
        recipe(sc.gammasgn, lambda x: sc.gammasgn(x), one(POS), grad=False),
        recipe(sc.beta, lambda a, b: sc.beta(a, b), each(POS, POS)),
        recipe(sc.betaln, lambda a, b: sc.betaln(a, b), each(POS, POS)),
        recipe(sc.gammainc, lambda x: sc.gammainc(1.5, x), one(POS)),
        recipe(sc.gammaincc, lambda x: sc.gammaincc(0.7, x), one(POS)),
        recipe(sc.betainc, lambda x: sc.betainc(1.5, 2.5, x), one(PROB)),
        recipe(sc.erf, lambda x: sc.erf(x)),
        recipe(sc.erfc, lambda x: sc.erfc(x)),
        recipe(sc.erfinv, lambda x: sc.erfinv(x), one(UNIT)),
        recipe(sc.erfcinv, lambda x: sc.erfcinv(x), one(dom(0.1, 1.9))),
        recipe(sc.ndtr, lambda x: sc.ndtr(x)),
        recipe(sc.log_ndtr, lambda x: sc.log_ndtr(x), one(dom(-8.0, 3.0))),
        recipe(sc.ndtri, lambda x: sc.ndtri(x), one(PROB)),
        recipe(sc.expit, lambda x: sc.expit(x), torch=lambda t, x: t.sigmoid(x)),
        recipe(sc.logit, lambda x: sc.logit(x), one(PROB), torch=lambda t, x: t.logit(x)),
        recipe(sc.iv, lambda x: sc.iv(1.5, x), one(POS)),
        recipe(sc.ive, lambda x: sc.ive(2, x), one(dom(exclude=(-0.05, 0.05)))),
        recipe(sc.jv, lambda x: sc.jn(3, x)),
        recipe(sc.yv, lambda x: sc.yv(0.5, x), one(POS)),
        recipe(sc.i0, lambda x: sc.i0(x)),
        recipe(sc.i1, lambda x: sc.i1(x)),
        recipe(sc.j0, lambda x: sc.j0(x)),
        recipe(sc.j1, lambda x: sc.j1(x)),
        recipe(sc.y0, lambda x: sc.y0(x), one(POS)),
        recipe(sc.y1, lambda x: sc.y1(x), one(POS)),
        recipe(sc.yn, lambda x: sc.yn(2, x), one(dom(0.5, 3.0))),
    ]
    # scipy.linalg / scipy.signal functions are not numpy functions: no protocol hands them a Tensor
    # (they call np.asarray, which refuses one that requires grad; test_scipy_functions_refuse).
    _UNREACHABLE = "scipy does not dispatch to Tensor (np.asarray refuses it): call autograd_core.scipy's"
    NUMPY_NO_RECIPE = {
        f: _UNREACHABLE for f in (sl.solve_triangular, sl.solve_sylvester, sl.sqrtm, ss.convolve)
    }
