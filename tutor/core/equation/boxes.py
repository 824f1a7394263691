"""Lay an equation out as a block of terminal text: stacked fractions, raised exponents, Σ with limits.

Pure Python over the AST of ``latex.py``. The author's order is kept exactly.
``substitute`` swaps variables for their current values (formatted text, or an
array drawn as a bracketed grid), which gives the "numbers plugged in" line.
``ascii=True`` draws with plain ASCII for terminals without Unicode.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..numbers import format_number
from . import latex as L

SUPERSCRIPT = dict(zip("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ", strict=True))
# Unicode has no subscript b d f g q w y z, no capitals, and of the Greek only β γ ρ φ χ:
# an index with any other character is drawn a row lower, one word (``_sub``).
SUBSCRIPT = dict(
    zip(
        "0123456789+-=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
COMBINING = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}
PRECOMPOSED = {("hat", "y"): "ŷ", ("bar", "y"): "ȳ", ("bar", "x"): "x̄", ("hat", "w"): "ŵ"}
OPS = {"": "", "cdot": " · ", "times": " × ", "odot": " ⊙ ", "/": "/"}
ASCII_OPS = {"": "", "cdot": " * ", "times": " x ", "odot": " (.) ", "/": "/"}
RELS = {"=": "=", "leftarrow": "←", "approx": "≈"}
ASCII_RELS = {"=": "=", "leftarrow": "<-", "approx": "~="}
FUNCTION_NAMES = {
    "sigma": "σ",
    "exp": "exp",
    "ln": "ln",
    "log": "log",
    "tanh": "tanh",
    "max": "max",
    "min": "min",
    "relu": "ReLU",
}


def width(text: str) -> int:
    """Terminal cells: combining marks take none."""
    return sum(1 for c in text if not unicodedata.combining(c))


@dataclass
class Box:
    """Rows of text of equal width, and which row is the baseline."""

    rows: list[str]
    base: int = 0

    @property
    def width(self) -> int:
        return max((width(r) for r in self.rows), default=0)

    @property
    def height(self) -> int:
        return len(self.rows)

    def padded(self) -> Box:
        w = self.width
        return Box([r + " " * (w - width(r)) for r in self.rows], self.base)

    def text(self) -> str:
        return "\n".join(r.rstrip() for r in self.rows)


def text_box(text: str) -> Box:
    return Box([text], 0)


def hcat(*boxes: Box) -> Box:
    boxes = tuple(b.padded() for b in boxes if b.rows)
    if not boxes:
        return Box([""], 0)
    above = max(b.base for b in boxes)
    below = max(b.height - b.base - 1 for b in boxes)
    rows = []
    for r in range(above + below + 1):
        row = ""
        for b in boxes:
            k = r - (above - b.base)
            row += b.rows[k] if 0 <= k < b.height else " " * b.width
        rows.append(row)
    return Box(rows, above)


def center(text: str, w: int) -> str:
    gap = w - width(text)
    return " " * (gap // 2) + text + " " * (gap - gap // 2)


def vstack(top: Box | None, middle: Box, bottom: Box | None) -> Box:
    """``middle`` with ``top`` above and ``bottom`` below, all centred; baseline stays middle's."""
    parts = [b for b in (top, middle, bottom) if b is not None]
    w = max(b.width for b in parts)
    rows = []
    for b in parts:
        rows += [center(r, w) for r in b.padded().rows]
    base = (top.height if top else 0) + middle.base
    return Box(rows, base)


def brackets(body: Box, open_: str, close: str, ascii: bool) -> Box:
    if body.height == 1:
        return hcat(text_box(open_), body, text_box(close))
    h = body.height
    if ascii:
        left = ["/"] + ["|"] * (h - 2) + ["\\"] if open_ == "(" else ["["] * h
        right = ["\\"] + ["|"] * (h - 2) + ["/"] if close == ")" else ["]"] * h
    elif open_ == "(":
        left, right = ["⎛"] + ["⎜"] * (h - 2) + ["⎝"], ["⎞"] + ["⎟"] * (h - 2) + ["⎠"]
    else:
        left, right = ["⎡"] + ["⎢"] * (h - 2) + ["⎣"], ["⎤"] + ["⎥"] * (h - 2) + ["⎦"]
    return hcat(Box(left, body.base), body, Box(right, body.base))


def grid_box(cells: list[list[str]], ascii: bool = False) -> Box:
    """Rows of formatted cells as a bracketed grid: columns right-aligned, two spaces apart."""
    widths = [max(width(row[c]) for row in cells) for c in range(len(cells[0]))]
    lines = [
        "  ".join(" " * (widths[c] - width(v)) + v for c, v in enumerate(row)) for row in cells
    ]
    return brackets(Box(lines, (len(lines) - 1) // 2), "[", "]", ascii)


def _script(box: Box, table: dict[str, str]) -> str | None:
    """One-row text all of whose characters have Unicode super/subscripts."""
    if box.height != 1:
        return None
    text = box.rows[0].strip()
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return None


class Layout:
    """Draws AST nodes; ``substitute(node)`` may return a value to draw instead of the node."""

    def __init__(
        self,
        ascii: bool = False,
        substitute: Callable[[L.Node], Any] | None = None,
        digits: int = 4,
        grid_width: int | None = None,
    ) -> None:
        self.ascii = ascii
        self.substitute = substitute
        self.digits = digits
        self.grid_width = grid_width  # a matrix drawn wider than this: its shape instead

    # -- entry points --------------------------------------------------------------------
    def equation(self, equation: L.Equation) -> Box:
        rels = ASCII_RELS if self.ascii else RELS
        parts: list[Box] = []
        for k, side in enumerate(equation.sides):
            if k:
                parts.append(text_box(f" {rels[equation.rels[k - 1]]} "))
            if side is not None:
                parts.append(self.node(side, top=True))
        if equation.sides[0] is None:
            parts[0] = text_box(parts[0].rows[0].lstrip())
        return hcat(*parts)

    def node(self, node: L.Node, top: bool = False) -> Box:
        if self.substitute is not None:
            value = self.substitute(node)
            if value is not None:
                return self.value(value, wrap_negative=not top)
        method: Callable[[L.Node], Box] = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

    # -- values ---------------------------------------------------------------------------
    def value(self, value: Any, wrap_negative: bool = True) -> Box:
        if hasattr(value, "shape") and getattr(value, "ndim", 0) > 0:
            return self.grid(value)
        text = format_number(value, self.digits, self.ascii)
        if wrap_negative and text.startswith(("−", "-")):
            text = f"({text})"
        return text_box(text)

    def grid(self, array: Any) -> Box:
        shape = tuple(array.shape)
        if len(shape) > 2 or max(shape) > 6:
            return self._shape(shape)
        rows = [[v] for v in array.tolist()] if len(shape) == 1 else array.tolist()
        cells = [[format_number(v, self.digits, self.ascii) for v in row] for row in rows]
        box = grid_box(cells, self.ascii)
        if self.grid_width is not None and box.width > self.grid_width:
            return self._shape(shape)
        return box

    def _shape(self, shape: tuple[int, ...]) -> Box:
        return text_box(
            f"⟨{'×'.join(map(str, shape))} array⟩" if not self.ascii else f"<{shape} array>"
        )

    # -- nodes ----------------------------------------------------------------------------
    def _num(self, node: L.Num) -> Box:
        return text_box(node.text)

    def _sym(self, node: L.Sym) -> Box:
        if len(node.name) == 1:
            return text_box(node.name)
        return text_box(node.name if self.ascii else L.GREEK.get(node.name, node.name))

    def _text(self, node: L.Text) -> Box:
        return text_box(node.text)

    def _accent(self, node: L.Accent) -> Box:
        body = self.node(node.body)
        if body.height == 1 and width(body.rows[0]) == 1:
            char = body.rows[0]
            if self.ascii:  # y^ reads better inline than a caret on a row of its own
                return text_box(char + {"hat": "^", "bar": "_bar", "tilde": "~"}.get(node.kind, ""))
            return text_box(PRECOMPOSED.get((node.kind, char), char + COMBINING[node.kind]))
        mark = {"hat": "^", "bar": "_" if self.ascii else "‾", "tilde": "~", "vec": "→", "dot": "."}
        return vstack(text_box(center(mark[node.kind], body.width)), body, None)

    def _prime(self, node: L.Prime) -> Box:
        return hcat(
            self.node(node.body), text_box("'" * node.count if self.ascii else "′" * node.count)
        )

    def _percent(self, node: L.Percent) -> Box:
        return hcat(self.node(node.body), text_box("%"))

    def _sub(self, node: L.Sub) -> Box:
        base = self.node(node.base)
        # An index of letters and digits reads as one word: z_{h1} is zₕ₁, not z with "h 1".
        word = _word(node.index)
        index = text_box(word) if word is not None else self.node(node.index)
        small = None if self.ascii else _script(index, SUBSCRIPT)
        if small is not None:
            return hcat(base, text_box(small))
        if self.ascii and index.height == 1:
            return hcat(base, text_box("_"), _tight(index, node.index))
        lowered = [" " * base.width + r for r in index.padded().rows]
        return Box(base.padded().rows + lowered, base.base)

    def _sup(self, node: L.Sup) -> Box:
        base, exponent = self.node(node.base), self.node(node.exponent)
        small = None if self.ascii else _script(exponent, SUPERSCRIPT)
        if small is not None and base.height == 1:
            return hcat(base, text_box(small))
        if self.ascii and exponent.height == 1:
            return hcat(base, text_box("^"), _tight(exponent, node.exponent))
        raised = [" " * base.width + r for r in exponent.padded().rows]
        body = [r + " " * exponent.width for r in base.padded().rows]
        return Box(raised + body, len(raised) + base.base)

    def _frac(self, node: L.Frac) -> Box:
        num, den = self.node(node.num), self.node(node.den)
        w = max(num.width, den.width)
        if isinstance(_unwrapped(node.num), L.Frac) or isinstance(_unwrapped(node.den), L.Frac):
            w += 2  # a fraction of fractions: the main rule reaches past the inner one
        rule = ("-" if self.ascii else "─") * w
        rows = (
            [center(r, w) for r in num.padded().rows]
            + [rule]
            + [center(r, w) for r in den.padded().rows]
        )
        return Box(rows, num.height)

    def _sqrt(self, node: L.Sqrt) -> Box:
        body = self.node(node.body)
        return hcat(text_box("sqrt" if self.ascii else "√"), brackets(body, "(", ")", self.ascii))

    def _partial(self, node: L.Partial) -> Box:
        return hcat(text_box("d" if self.ascii else "∂"), self.node(node.body))

    def _group(self, node: L.Group) -> Box:
        return brackets(self.node(node.body), node.open, node.close, self.ascii)

    def _neg(self, node: L.Neg) -> Box:
        return hcat(text_box("-" if self.ascii else "−"), self.node(node.body))

    def _sum(self, node: L.Sum) -> Box:
        parts = [self.node(node.terms[0], top=True)]
        minus = "-" if self.ascii else "−"
        for sign, term in zip(node.signs[1:], node.terms[1:], strict=True):
            parts.append(text_box(f" {minus if sign == '-' else '+'} "))
            parts.append(self.node(term))
        return hcat(*parts)

    def _product(self, node: L.Product) -> Box:
        ops = ASCII_OPS if self.ascii else OPS
        parts = [self.node(node.factors[0])]
        previous = node.factors[0]
        for op, factor in zip(node.ops, node.factors[1:], strict=True):
            drawn = self.node(factor)
            if op == "" and (self._plugged(previous, factor) or _digits_meet(parts[-1], drawn)):
                op = "cdot"  # 0.8 · 1.0 and 2 · 3.0², never 0.81.0 or 23.0²
            named = any(isinstance(_leftmost(n), L.Text) for n in (previous, factor))
            previous = factor
            if op == "":
                end = parts[-1].rows[parts[-1].base].rstrip()[-1:]
                tight = isinstance(factor, L.Group) or (end.isdigit() and not named)
                if not tight:  # 2x, w₁x₁, 2(a + b); but w x, and a name stands apart: w₅ outₕ₁
                    parts.append(text_box(" "))
            else:
                parts.append(text_box(ops[op]))
            parts.append(drawn)
        return hcat(*parts)

    def _plugged(self, *nodes: L.Node) -> bool:
        """Is any of these drawn as a number in place of a variable?"""
        return self.substitute is not None and any(self.substitute(n) is not None for n in nodes)

    def _call(self, node: L.Call) -> Box:
        name = node.name if self.ascii else FUNCTION_NAMES.get(node.name, node.name)
        args: list[Box] = []
        for k, arg in enumerate(node.args):
            if k:
                args.append(text_box(", "))
            args.append(self.node(arg, top=True))
        return hcat(text_box(name), brackets(hcat(*args), "(", ")", self.ascii))

    def _bigsum(self, node: L.BigSum) -> Box:
        lower = hcat(text_box(f"{node.var}="), self.node(node.lo))
        sigma = text_box("sum" if self.ascii else "Σ")
        column = vstack(self.node(node.hi), sigma, lower)
        return hcat(column, text_box(" "), self.node(node.body))


def _word(node: L.Node) -> str | None:
    """The text of an implicit product of one-letter symbols, names of several letters and
    numbers (``h1``, ``total``, ``\\text{out}1``), else None."""
    if isinstance(node, L.Product) and all(op == "" for op in node.ops):
        parts = [_word(f) for f in node.factors]
        return "".join(parts) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
    if isinstance(node, L.Num):
        return node.text
    if isinstance(node, L.Sym) and len(node.name) == 1:
        return node.name
    if isinstance(node, L.Text) and node.text.isalnum():
        return node.text
    return None


def _leftmost(node: L.Node) -> L.Node:
    """The node drawn first: ``out`` of ``out_{h1}`` or of ``\\text{out}_{h1} x``."""
    while True:
        match node:
            case L.Sub(base=inner) | L.Sup(base=inner) | L.Prime(body=inner):
                node = inner
            case L.Percent(body=inner):
                node = inner
            case L.Product(factors=factors):
                node = factors[0]
            case _:
                return node


def _unwrapped(node: L.Node) -> L.Node:
    while isinstance(node, L.Group):
        node = node.body
    return node


def _digits_meet(left: Box, right: Box) -> bool:
    """Would writing these side by side run two numbers together (2 and 3.0 as 23.0)?"""
    end = left.rows[left.base].rstrip()[-1:] if left.rows else ""
    start = right.rows[right.base].lstrip()[:1] if right.rows else ""
    return end.isdigit() and (start.isdigit() or start in "−-.")


def _tight(box: Box, node: L.Node) -> Box:
    """A one-row script in ASCII, bracketed unless it is one word (a number, a symbol, a
    name, or letters and digits: E_total, w_12, z_h1): x^(n + 1)."""
    if isinstance(node, L.Num | L.Sym) or _word(node) is not None:
        return box
    return hcat(text_box("("), box, text_box(")"))


class InlineLayout(Layout):
    """Math on one line, for running text: scripts in Unicode where every character has one
    (Eₜₒₜₐₗ, x²), else written after ``_`` or ``^`` (E_bd, L_ε, x_(i + 1), e^(−z));
    fractions with ``/`` (1/2, ∂L/∂w, (a + b)/c)."""

    def _script_inline(self, base: Box, script: L.Node, mark: str, table: dict[str, str]) -> Box:
        word = _word(script)
        drawn = text_box(word) if word is not None else self.node(script)
        small = _script(drawn, table)
        if small is not None:
            return hcat(base, text_box(small))
        return hcat(base, text_box(mark), _tight(drawn, script))

    def _sub(self, node: L.Sub) -> Box:
        return self._script_inline(self.node(node.base), node.index, "_", SUBSCRIPT)

    def _sup(self, node: L.Sup) -> Box:
        return self._script_inline(self.node(node.base), node.exponent, "^", SUPERSCRIPT)

    def _frac(self, node: L.Frac) -> Box:
        parts = []
        for part in (node.num, node.den):
            drawn = self.node(part)
            simple = isinstance(_unwrapped(part), L.Num | L.Sym | L.Text | L.Sub | L.Partial)
            parts.append(drawn if simple else hcat(text_box("("), drawn, text_box(")")))
        return hcat(parts[0], text_box("/"), parts[1])

    def _bigsum(self, node: L.BigSum) -> Box:
        low = hcat(text_box(f"{node.var}="), self.node(node.lo))
        high = self.node(node.hi)
        small_low, small_high = _script(low, SUBSCRIPT), _script(high, SUPERSCRIPT)
        if small_low is not None and small_high is not None:
            sigma = text_box("Σ" + small_low + small_high)
        else:
            sigma = hcat(text_box("Σ_("), low, text_box(")^"), _tight(high, node.hi))
        return hcat(sigma, text_box(" "), self.node(node.body))


def render(equation: L.Equation, ascii: bool = False) -> str:
    return Layout(ascii=ascii).equation(equation).text()


def render_latex(latex: str, ascii: bool = False, words: frozenset[str] = frozenset()) -> str:
    """An equation of lesson LaTeX drawn in 2-D; the LaTeX itself when it does not parse.
    ``words``: the lesson's names of several letters (``names.symbol_words``)."""
    try:
        return render(L.parse_equation(latex, words), ascii)
    except L.LatexError:
        return latex


def inline_latex(latex: str, words: frozenset[str] = frozenset()) -> str | None:
    """Math of running text (``$E_{total}$``) on one line of Unicode (``InlineLayout``); None
    when it does not parse or needs more than one line."""
    try:
        box = InlineLayout().equation(L.parse_equation(latex, words))
    except L.LatexError:
        return None
    return box.rows[0].strip() if box.height == 1 else None
