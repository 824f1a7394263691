"""The functions compiled equations call: scalars through ``math``, arrays through numpy
(imported only when an array comes by), and the tolerance test of a verdict."""

from __future__ import annotations

import math
from typing import Any


def _np():
    import numpy

    return numpy


def _is_scalar(x: Any) -> bool:
    return isinstance(x, int | float)


def _exp(x):
    if _is_scalar(x):
        try:
            return math.exp(x)
        except OverflowError:
            return math.inf
    return _np().exp(x)


def _ln(x):
    if _is_scalar(x):
        return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
    return _np().log(x)


def _tanh(x):
    return math.tanh(x) if _is_scalar(x) else _np().tanh(x)


def _sigmoid(x):
    return 1.0 / (1.0 + _exp(-x))


def _max(*xs):
    if all(_is_scalar(x) for x in xs):
        return max(xs)
    out = xs[0]
    for x in xs[1:]:
        out = _np().maximum(out, x)
    return out


def _min(*xs):
    if all(_is_scalar(x) for x in xs):
        return min(xs)
    out = xs[0]
    for x in xs[1:]:
        out = _np().minimum(out, x)
    return out


def _relu(x):
    return _max(0.0, x)


def _sqrt(x):
    return math.sqrt(x) if _is_scalar(x) and x >= 0 else _np().sqrt(x)


def _T(x):
    return x.T if hasattr(x, "T") else x


def _matmul(a, b):
    return a @ b


MAX_TERMS = 100_000  # terms of the Σ in one evaluation (nested ones count together)
_depth = 0
_terms = 0


def _sum(body, lo, hi):
    """Σ body(i) for i from lo to hi; at most MAX_TERMS terms in all, so an equation like
    Σ_{i=1}^{10^7} can never freeze the screen that shows it (its check says why instead)."""
    global _depth, _terms
    lo, hi = int(lo), int(hi)
    if _depth == 0:
        _terms = 0
    _terms += max(0, hi - lo + 1)
    if _terms > MAX_TERMS:
        raise ValueError(
            f"the sums have {_terms:,}+ terms: the tutor evaluates at most {MAX_TERMS:,}"
        )
    _depth += 1
    try:
        return sum(body(i) for i in range(lo, hi + 1))
    finally:
        _depth -= 1


HELPERS = {
    "_exp": _exp,
    "_ln": _ln,
    "_tanh": _tanh,
    "_sigmoid": _sigmoid,
    "_max": _max,
    "_min": _min,
    "_relu": _relu,
    "_sqrt": _sqrt,
    "_T": _T,
    "_matmul": _matmul,
    "_sum": _sum,
    "_math": math,
}


def _index(env, base_key, i, candidates, whole):
    key = f"{base_key}_{{{int(i)}}}"
    if key in candidates:
        return env[candidates[key]]
    if whole is not None:
        return env[whole][int(i) - 1]
    raise KeyError(key)


HELPERS["_index"] = _index


def close(a: Any, b: Any, tolerance: float) -> bool:
    """Equal within a relative tolerance (and 1e-12 absolute, for zeros); NaN equals NaN."""
    if _is_scalar(a) and _is_scalar(b):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=1e-12)
    np = _np()
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.size == b.size == 1 and (a.ndim == 0 or b.ndim == 0):  # a number, a 1-element array
        a, b = a.reshape(()), b.reshape(())
    return a.shape == b.shape and bool(
        np.allclose(a, b, rtol=tolerance, atol=1e-12, equal_nan=True)
    )
