"""The LaTeX subset lessons write their equations in, parsed into a small AST.

Pure Python, no dependencies. The parser keeps the author's structure and
order exactly (layout and substitution depend on it); meaning (which subtree
is which Python variable, what a product of matrices is) is added later by
``equations.py``. Errors carry the column, so the loader can report
``lesson.md:LINE:COLUMN``.

The subset: numbers; letters and Greek letters; ``\\hat``, ``\\bar``,
``\\tilde``, ``\\vec`` accents; primes; ``_`` and ``^`` (``x_1``, ``w_{12}``,
``x^2``, ``W^T``); ``+ - \\cdot \\times / \\odot``, implicit multiplication;
``\\frac``, ``\\sqrt``, ``\\sum_{i=1}^{n}``; ``( )``, ``[ ]`` and
``\\left( … \\right)``; functions ``\\sigma \\exp \\ln \\log \\tanh \\max \\min``
applied with parentheses (``\\sigma(z)``), ``e^{…}``; ``\\partial``;
relations ``= \\leftarrow \\approx``; ``\\text{…}``, ``\\mathrm{…}``, ``\\operatorname{…}``
and, given the symbol table's ``words``, runs of letters as names of several letters
(``out_{h1}``); spacing commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from . import limits
from .nodes import (  # noqa: F401 - the AST is part of this module's interface
    ACCENTS,
    FUNCTIONS,
    GREEK,
    PRODUCTS,
    RELATIONS,
    SPACING,
    Accent,
    BigSum,
    Call,
    Equation,
    Frac,
    Group,
    LatexError,
    Neg,
    Node,
    Num,
    Partial,
    Percent,
    Prime,
    Product,
    Sqrt,
    Sub,
    Sum,
    Sup,
    Sym,
    Text,
    canonical,
)

# -- tokens -------------------------------------------------------------------------------
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<num>\d+(?:\.\d+)?|\.\d+)|(?P<cmd>\\(?:[A-Za-z]+|[,;:! {}|\\%]))"
    r"|(?P<char>[A-Za-z])|(?P<sym>[-+*/=^_'(){}\[\],|<>!])"
)


@dataclass(frozen=True)
class Token:
    kind: str  # num, cmd, char, sym, end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens = []
    i = 0
    while i < len(text):
        match = _TOKEN.match(text, i)
        if not match:
            raise LatexError(f"unexpected character {text[i]!r}", i + 1)
        kind = cast(str, match.lastgroup)  # every alternative of _TOKEN is a named group
        if kind != "space":
            value = match.group()
            if kind == "cmd" and value[1:] in SPACING:
                pass
            else:
                tokens.append(Token(kind, value, i))
        i = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# -- the parser ---------------------------------------------------------------------------
def words_in(text: str) -> set[str]:
    """The names of several letters a symbol-table key writes: runs of two or more letters
    side by side (``out`` in ``out_{h1}``, ``total`` in ``E_{total}``, ``net`` in
    ``\\operatorname{net}_{h1}``). Equations read such a run as one name (see ``_Parser``)."""
    try:
        tokens = tokenize(text)
    except LatexError:
        return set()
    words: set[str] = set()
    run = ""
    for k, t in enumerate(tokens):
        joined = run and t.kind == "char" and t.pos == tokens[k - 1].pos + 1
        if joined:
            run += t.text
            continue
        if len(run) > 1:
            words.add(run)
        after_script = k > 0 and tokens[k - 1].text in ("_", "^")  # x_ih is x_i h, as in TeX
        run = t.text if t.kind == "char" and not after_script else ""
    return words


class _Parser:
    def __init__(self, text: str, words: frozenset[str] | set[str] = frozenset()) -> None:
        self.text = text
        self.words = words  # names of several letters: a run of letters that spells one is one name
        self.tokens = tokenize(text)
        limits.check_tokens(text, self.tokens)
        self.i = 0
        self.depth = 0  # atoms being parsed inside one another

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def error(self, message: str, token: Token | None = None) -> LatexError:
        return LatexError(message, (token or self.tok).pos + 1)

    def expect(self, text: str) -> Token:
        if self.tok.text != text:
            found = repr(self.tok.text) if self.tok.kind != "end" else "the end"
            raise self.error(f"expected {text!r}, found {found}")
        return self.take()

    def is_rel(self) -> bool:
        t = self.tok
        return t.text == "=" or (t.kind == "cmd" and t.text[1:] in RELATIONS)

    # equation := [expr] (REL expr)+ | expr
    def equation(self) -> Equation:
        sides: list[Node | None] = []
        rels: list[str] = []
        sides.append(None if self.is_rel() else self.expr())
        while self.is_rel():
            rel = self.take().text.lstrip("\\")
            rels.append("leftarrow" if rel == "gets" else rel)
            sides.append(self.expr())
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.tok.text!r}")
        if sides[0] is None and not rels:
            raise self.error("empty equation")
        return Equation(tuple(sides), tuple(rels))

    def expr(self) -> Node:
        start = self.tok
        terms: list[Node] = []
        signs: list[str] = []
        sign = "+"
        if self.tok.text in "+-" and self.tok.kind == "sym":
            sign = self.take().text
        first = self.term()
        terms.append(Neg(first, pos=start.pos) if sign == "-" else first)
        signs.append("+")
        while self.tok.kind == "sym" and self.tok.text in ("+", "-"):
            signs.append(self.take().text)
            terms.append(self.term())
        if len(terms) == 1:
            return terms[0]
        return Sum(tuple(terms), tuple(signs), pos=start.pos)

    def starts_factor(self) -> bool:
        t = self.tok
        if t.kind in ("num", "char"):
            return True
        if t.kind == "sym":
            return t.text in ("(", "[", "{")
        if t.kind == "cmd":
            name = t.text[1:]
            return name not in RELATIONS and name not in PRODUCTS and name not in ("right",)
        return False

    def term(self) -> Node:
        start = self.tok
        factors = [self.postfix()]
        ops: list[str] = []
        while True:
            t = self.tok
            if t.kind == "cmd" and t.text[1:] in PRODUCTS:
                ops.append(self.take().text[1:])
            elif t.kind == "sym" and t.text in ("/", "*"):
                ops.append("/" if self.take().text == "/" else "cdot")
            elif self.starts_factor():
                ops.append("")
            else:
                break
            factors.append(self.postfix())
        if len(factors) == 1:
            return factors[0]
        return Product(tuple(factors), tuple(ops), pos=start.pos)

    def postfix(self) -> Node:
        node = self.atom()
        while True:
            t = self.tok
            if t.text == "\\%":
                self.take()
                node = Percent(node, pos=node.pos)
            elif t.text == "'":
                count = 0
                while self.tok.text == "'":
                    self.take()
                    count += 1
                node = Prime(node, count, pos=node.pos)
            elif t.text == "_":
                self.take()
                node = Sub(node, self.group_or_atom(), pos=node.pos)
            elif t.text == "^":
                self.take()
                node = Sup(node, self.group_or_atom(), pos=node.pos)
            else:
                return node

    def group_or_atom(self) -> Node:
        if self.tok.text == "{":
            return self.braced()
        t = self.tok
        if t.kind == "num":  # x^2 takes one digit, as in TeX: x^23 is x²3
            self.take()
            if len(t.text) > 1:
                self.tokens.insert(self.i, Token("num", t.text[1:], t.pos + 1))
            return Num(t.text[0], pos=t.pos)
        if t.kind == "cmd" and t.text in ("\\top",):
            self.take()
            return Sym("T", pos=t.pos)
        if t.kind == "char":  # one letter, as in TeX: x_ih is x_i h
            self.take()
            return Sym(t.text, pos=t.pos)
        return self.atom()

    def braced(self) -> Node:
        opener = self.expect("{")
        if self.tok.text == "}":
            raise self.error("empty braces")
        node = self.expr()
        self.close("}", opener)
        return node

    def close(self, text: str, opener: Token) -> Token:
        """The closing bracket of ``opener``; never closed: the error points at the opener."""
        if self.tok.kind == "end":
            raise self.error(f"'{opener.text}' is never closed: add '{text}'", opener)
        return self.expect(text)

    def atom(self) -> Node:
        self.depth += 1
        try:
            if self.depth > limits.PARSE_DEPTH:  # nesting without brackets: \hat\hat\hat…
                raise limits.too_deep(None, self.tok.pos + 1)
            return self._atom()
        finally:
            self.depth -= 1

    def _atom(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.take()
            return Num(t.text, pos=t.pos)
        if t.kind == "char":
            word = self.word()
            if word:
                return Text(word, pos=t.pos)
            self.take()
            return Sym(t.text, pos=t.pos)
        if t.kind == "sym":
            if t.text in ("(", "["):
                self.take()
                body = self.expr()
                close = ")" if t.text == "(" else "]"
                self.close(close, t)
                return Group(body, t.text, close, pos=t.pos)
            if t.text == "{":
                return self.braced()
            raise self.error(
                f"unexpected {t.text!r}" if t.kind != "end" else "the equation ends too early"
            )
        if t.kind == "cmd":
            return self.command()
        raise self.error("the equation ends too early")

    def word(self) -> str:
        """The longest name of ``words`` the letters from here spell (taken), else ""."""
        if not self.words:
            return ""
        run, k = "", self.i
        while self.tokens[k].kind == "char" and self.tokens[k].pos == self.tok.pos + len(run):
            run += self.tokens[k].text
            k += 1
        for end in range(len(run), 1, -1):
            if run[:end] in self.words:
                self.i += end
                return run[:end]
        return ""

    def command(self) -> Node:
        t = self.take()
        name = t.text[1:]
        if name in GREEK:
            if name in FUNCTIONS and self.tok.text in ("(", "\\left"):
                return self.call(name, t)
            return Sym(name, pos=t.pos)
        if name in FUNCTIONS:
            if self.tok.text not in ("(", "\\left"):
                raise self.error(f"write \\{name}(…) with parentheses", t)
            return self.call(name, t)
        if name in ACCENTS:
            return Accent(name, self.group_or_atom(), pos=t.pos)
        if name == "frac":
            return Frac(self.braced(), self.braced(), pos=t.pos)
        if name == "sqrt":
            return Sqrt(self.braced(), pos=t.pos)
        if name == "partial":
            return Partial(self.postfix(), pos=t.pos)
        if name == "left":
            opener = self.take()
            if opener.text not in ("(", "[", "|", "\\{"):
                raise self.error("\\left must be followed by ( or [", opener)
            body = self.expr()
            self.close("\\right", t)
            if self.tok.text not in (")", "]", "|", "\\}", "."):
                raise self.error("\\right must be followed by ) or ]")
            closer = self.take()
            return Group(body, opener.text.lstrip("\\"), closer.text.lstrip("\\"), pos=t.pos)
        if name == "sum":
            return self.big_sum(t)
        if name in ("text", "mathrm", "operatorname"):
            self.expect("{")
            start = self.tok.pos
            depth = 1
            while depth:
                if self.tok.kind == "end":
                    raise self.error("\\text{ is never closed", t)
                depth += {"{": 1, "}": -1}.get(self.tok.text, 0)
                end = self.take()
            return Text(self.text[start : end.pos].strip(), pos=t.pos)
        if name in ("top",):
            return Sym("T", pos=t.pos)
        raise LatexError(f"\\{name} is not part of the supported LaTeX subset", t.pos + 1)

    def call(self, name: str, t: Token) -> Node:
        if self.tok.text == "\\left":
            opener = self.take()
            self.expect("(")
            args = self.args()
            self.close("\\right", opener)
            self.expect(")")
        else:
            opener = self.expect("(")
            args = self.args()
            self.close(")", opener)
        return Call(name, tuple(args), pos=t.pos)

    def args(self) -> list[Node]:
        args = [self.expr()]
        while self.tok.text == ",":
            self.take()
            args.append(self.expr())
        return args

    def big_sum(self, t: Token) -> Node:
        if self.tok.text != "_":
            raise self.error("write a sum with its index: \\sum_{i=1}^{n}", t)
        self.take()
        opener = self.expect("{")
        var = self.take()
        if var.kind != "char":
            raise self.error("the sum's index must be one letter, e.g. \\sum_{i=1}^{n}", var)
        self.expect("=")
        lo = self.expr()
        self.close("}", opener)
        self.expect("^")
        hi = self.group_or_atom()
        body = self.term()
        return BigSum(var.text, lo, hi, body, pos=t.pos)


def parse_equation(text: str, words: frozenset[str] | set[str] = frozenset()) -> Equation:
    """Parse one equation line; raises ``LatexError`` with the column of the problem.

    ``words``: names of several letters (from the symbol table, ``words_in``): a run of
    letters that spells one is that name (``Text``, as ``\\mathrm{out}``), the longest
    first; other letters are one-letter symbols, as in TeX (``wx`` is w times x).

    An equation beyond the limits of ``limits.py`` (too long, too deep, too many parts) is
    an error too, so nothing after the parser meets one."""
    equation = _Parser(text, words).equation()
    limits.check_tree(equation)
    return equation


def parse_expression(text: str, words: frozenset[str] | set[str] = frozenset()) -> Node:
    """Parse an expression (a symbol-table key, say); relations are not allowed. ``words``:
    as for ``parse_equation``."""
    parser = _Parser(text, words)
    if parser.tok.kind == "end":
        raise LatexError("empty", 1)
    node = parser.expr()
    if parser.tok.kind != "end":
        raise parser.error(f"unexpected {parser.tok.text!r}")
    limits.check_tree(node)
    return node
