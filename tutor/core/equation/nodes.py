"""The AST of lesson LaTeX (what ``latex.py`` parses into) and its canonical text form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}
FUNCTIONS = {"sigma", "exp", "ln", "log", "tanh", "max", "min", "relu"}
ACCENTS = {"hat", "bar", "tilde", "vec", "dot"}
RELATIONS = {"=": "=", "leftarrow": "←", "approx": "≈", "gets": "←"}
PRODUCTS = {"cdot": "·", "times": "×", "odot": "⊙"}
SPACING = {",", ";", ":", "!", "quad", "qquad", " ", "displaystyle"}


class LatexError(ValueError):
    """An equation outside the subset; ``column`` is 1-based within the equation text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


# -- the AST ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    pos: int = field(default=0, compare=False, kw_only=True)  # 0-based column of its start


@dataclass(frozen=True)
class Num(Node):
    text: str


@dataclass(frozen=True)
class Sym(Node):
    name: str  # a letter, or a Greek letter's name ("eta")


@dataclass(frozen=True)
class Accent(Node):
    kind: str  # hat, bar, tilde, vec, dot
    body: Node


@dataclass(frozen=True)
class Prime(Node):
    body: Node
    count: int = 1


@dataclass(frozen=True)
class Percent(Node):
    """``50\\%``: a hundredth of its body."""

    body: Node


@dataclass(frozen=True)
class Sub(Node):
    base: Node
    index: Node


@dataclass(frozen=True)
class Sup(Node):
    base: Node
    exponent: Node


@dataclass(frozen=True)
class Frac(Node):
    num: Node
    den: Node


@dataclass(frozen=True)
class Sqrt(Node):
    body: Node


@dataclass(frozen=True)
class Partial(Node):
    body: Node


@dataclass(frozen=True)
class Group(Node):
    """Brackets the author wrote: ``(…)``, ``[…]``, ``\\left(…\\right)``."""

    body: Node
    open: str = "("
    close: str = ")"


@dataclass(frozen=True)
class Neg(Node):
    body: Node


@dataclass(frozen=True)
class Sum(Node):
    """A sum of terms, in the author's order; ``signs[k]`` is "+" or "-" before term k (k > 0)."""

    terms: tuple[Node, ...]
    signs: tuple[str, ...]


@dataclass(frozen=True)
class Product(Node):
    """Factors in order; ``ops[k]`` joins factor k-1 and k: "" (implicit), "cdot", "times", "odot", "/"."""

    factors: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class Call(Node):
    name: str  # sigma, exp, ln, log, tanh, max, min
    args: tuple[Node, ...]


@dataclass(frozen=True)
class BigSum(Node):
    """``\\sum_{var=lo}^{hi} body``."""

    var: str
    lo: Node
    hi: Node
    body: Node


@dataclass(frozen=True)
class Text(Node):
    text: str


@dataclass(frozen=True)
class Equation:
    """``sides[0] rel[0] sides[1] rel[1] …``; ``sides[0]`` is None for a line starting with ``=``."""

    sides: tuple[Node | None, ...]
    rels: tuple[str, ...]

    @property
    def lhs(self) -> Node | None:
        return self.sides[0]

    @property
    def rhs(self) -> Node:
        return cast(Node, self.sides[-1])  # only the first side may be None


def canonical(node: Node) -> str:
    """A normal form of a subtree, the same for ``\\hat y`` and ``\\hat{y}``: symbol-table keys."""
    match node:
        case Num(text=text):
            return text
        case Sym(name=name):
            return f"\\{name}" if len(name) > 1 else name
        case Accent(kind=kind, body=body):
            return f"\\{kind}{{{canonical(body)}}}"
        case Prime(body=body, count=count):
            return canonical(body) + "'" * count
        case Percent(body=body):
            return f"{canonical(body)}\\%"
        case Sub(base=base, index=index):
            return f"{canonical(base)}_{{{canonical(index)}}}"
        case Sup(base=base, exponent=exponent):
            return f"{canonical(base)}^{{{canonical(exponent)}}}"
        case Frac(num=num, den=den):
            return f"\\frac{{{canonical(num)}}}{{{canonical(den)}}}"
        case Sqrt(body=body):
            return f"\\sqrt{{{canonical(body)}}}"
        case Partial(body=body):
            return f"\\partial {canonical(body)}"
        case Group(body=body, open=o, close=c):
            return f"{o}{canonical(body)}{c}"
        case Neg(body=body):
            return f"-{canonical(body)}"
        case Sum(terms=terms, signs=signs):
            out = canonical(terms[0])
            for sign, term in zip(signs[1:], terms[1:], strict=True):
                out += f"{sign}{canonical(term)}"
            return out
        case Product(factors=factors, ops=ops):
            out = canonical(factors[0])
            for op, factor in zip(ops, factors[1:], strict=True):
                out += (f"\\{op} " if op not in ("", "/") else op or " ") + canonical(factor)
            return out
        case Call(name=name, args=args):
            return f"\\{name}(" + ",".join(canonical(a) for a in args) + ")"
        case BigSum(var=var, lo=lo, hi=hi, body=body):
            return f"\\sum_{{{var}={canonical(lo)}}}^{{{canonical(hi)}}} {canonical(body)}"
        case Text(text=text):
            return f"\\text{{{text}}}"
    raise TypeError(node)
