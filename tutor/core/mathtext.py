"""A one-line Unicode reading of lesson LaTeX, for plain displays (``∂L/∂w = 2(ŷ − y)·x``).

Deliberately small: it rewrites the constructs lessons use into Unicode and
keeps the author's order of everything. The equation pane's 2D layout builds
on a real parser; this is the readable fallback and the trace's form.
"""

from __future__ import annotations

import re

SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "Delta": "Δ",
    "epsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "lambda": "λ",
    "mu": "μ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "Sigma": "Σ",
    "tau": "τ",
    "phi": "φ",
    "omega": "ω",
    "partial": "∂",
    "cdot": "·",
    "times": "×",
    "leftarrow": "←",
    "rightarrow": "→",
    "to": "→",
    "approx": "≈",
    "neq": "≠",
    "leq": "≤",
    "geq": "≥",
    "sum": "Σ",
    "sqrt": "√",
    "infty": "∞",
    "in": "∈",
    "quad": "  ",
    "qquad": "    ",
    "exp": "exp",
    "ln": "ln",
    "log": "log",
    "tanh": "tanh",
    "max": "max",
    "min": "min",
}
SUPERSCRIPT = str.maketrans("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ")
SUBSCRIPT = str.maketrans("0123456789+-=()aeijkmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₚᵣₛₜᵤᵥₓ")
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}

_GROUP = r"\{((?:[^{}]|\{[^{}]*\})*)\}"  # one level of nested braces is enough for lessons


def to_unicode(latex: str) -> str:
    text = latex
    text = re.sub(r"\\(left|right)\s*([()\[\]|.])", lambda m: "" if m[2] == "." else m[2], text)
    text = re.sub(r"\\text\{([^{}]*)\}", r"\1", text)
    for _ in range(4):  # nested constructs, innermost first
        text = re.sub(rf"\\(hat|bar|tilde|vec|dot){_GROUP}", _accent, text)
        text = re.sub(rf"\\frac{_GROUP}{_GROUP}", _fraction, text)
        text = re.sub(rf"\\sqrt{_GROUP}", lambda m: f"√({m[1]})", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: SYMBOLS.get(m[1], m[1]), text)
    text = re.sub(rf"\^{_GROUP}", lambda m: _script(m[1], SUPERSCRIPT, "^"), text)
    text = re.sub(r"\^(\w)", lambda m: _script(m[1], SUPERSCRIPT, "^"), text)
    text = re.sub(rf"_{_GROUP}", lambda m: _script(m[1], SUBSCRIPT, "_"), text)
    text = re.sub(r"_(\w)", lambda m: _script(m[1], SUBSCRIPT, "_"), text)
    text = text.replace("{", "").replace("}", "").replace("\\,", " ").replace("\\ ", " ")
    text = re.sub(r"(?<=[\s(])-(?=\s)", "−", text)
    text = re.sub(r"\s+", " ", text).replace("∂ ", "∂").replace("( ", "(").replace(" )", ")")
    return text.strip()


def _accent(match: re.Match[str]) -> str:
    body = match[2].strip()
    return body + ACCENTS[match[1]] if len(body) == 1 else f"{body}{ACCENTS[match[1]]}"


def _fraction(match: re.Match[str]) -> str:
    top, bottom = (_wrap(part.strip()) for part in (match[1], match[2]))
    return f"{top}/{bottom}"


def _wrap(part: str) -> str:
    simple = re.fullmatch(
        r"\\?[\w]+|\\partial\s*\\?[\w]+(\{[^{}]*\})?|\\partial\s*[^\s{}]+|[^\s+\-]+", part
    )
    return part if simple else f"({part})"


def _script(body: str, table: dict[int, int], mark: str) -> str:
    """Unicode super/subscript when every character has one, else ``^(…)`` / ``_(…)``."""
    body = body.strip()
    if body and all(ord(c) in table for c in body):
        return body.translate(table)
    return f"{mark}({body})" if len(body) > 1 else f"{mark}{body}"
