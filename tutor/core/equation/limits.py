"""How big an equation the tutor reads: its length, how deep it nests, how many parts it has.

Every step after parsing (the compiler, the 2-D layout, the check) walks the
tree recursively, and Python compiles each side into a function: an equation
nested hundreds deep or thousands of terms wide would end in RecursionError or
take unbounded time. The parser refuses such an equation up front with a
message saying the limit, at the column where it is crossed. The bundled
lessons stay far below: their longest equation is 112 characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .nodes import Equation, LatexError, Node, Product, Sum

if TYPE_CHECKING:
    from .latex import Token

MAX_LENGTH = 5_000  # characters of one equation (or one symbol-table key)
MAX_DEPTH = 50  # brackets and constructs (\frac, \sqrt, x^{…}, \hat …) inside one another
MAX_PARTS = 500  # numbers, symbols and operations
PARSE_DEPTH = MAX_DEPTH + 10  # the parser's own guard, for nesting without brackets (\hat\hat…)

_OPEN = {"(", "[", "{", "\\{"}
_CLOSE = {")", "]", "}", "\\}"}
_NOT_PARTS = _OPEN | _CLOSE | {"_", "^", ",", "\\left", "\\right"}


def check_length(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise LatexError(
            f"this equation is {len(text):,} characters long: the tutor reads equations up to "
            f"{MAX_LENGTH:,} characters; split it into a derivation of several lines",
            1,
        )


def check_tokens(text: str, tokens: list[Token]) -> None:
    """Before parsing: not nested too deep, not too many parts, not too long (in that order:
    the most telling message first)."""
    check_brackets(tokens)
    parts = sum(1 for token in tokens if token.kind != "end" and token.text not in _NOT_PARTS)
    if parts > MAX_PARTS:
        raise too_many(parts)
    check_length(text)


def too_many(parts: int) -> LatexError:
    return LatexError(
        f"this equation has {parts:,} parts (numbers, symbols, operations): the tutor "
        f"reads equations of up to {MAX_PARTS:,}; split it into a derivation of several lines",
        1,
    )


def check_brackets(tokens: list[Token]) -> None:
    """Brackets nested deeper than ``MAX_DEPTH``: the error names the deepest nesting and
    points at the bracket that crosses the limit."""
    depth = deepest = 0
    crossing = None
    for token in tokens:
        if token.kind not in ("sym", "cmd"):
            continue
        if token.text in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth == MAX_DEPTH + 1:
                    crossing = token
        elif token.text in _CLOSE:
            depth = max(0, depth - 1)
    if crossing is not None:
        raise too_deep(deepest, crossing.pos + 1)


def too_deep(depth: int | None, column: int) -> LatexError:
    nests = f"nests {depth} deep" if depth is not None else f"nests more than {MAX_DEPTH} deep"
    return LatexError(
        f"this equation {nests}: the tutor reads equations up to {MAX_DEPTH} deep", column
    )


def check_tree(tree: Equation | Node) -> None:
    """After parsing: constructs nested too deep without brackets (``x_1_1_1…``)."""
    parts = 0
    deepest, where = 0, 0
    roots = tree.sides if isinstance(tree, Equation) else (tree,)
    stack: list[tuple[Node, int]] = [(node, 0) for node in roots if node is not None]
    while stack:
        node, depth = stack.pop()
        parts += 1
        if not isinstance(node, Sum | Product):  # a flat list of terms is not nesting
            depth += 1
        if depth > deepest:
            deepest, where = depth, node.pos
        stack.extend((child, depth) for child in children(node))
    if parts > 2 * MAX_PARTS:  # (the tokens were counted already: this is a backstop)
        raise too_many(parts)
    if deepest - 1 > MAX_DEPTH:  # (the innermost symbol or number is not a level)
        raise too_deep(deepest - 1, where + 1)


def children(node: Node) -> Iterator[Node]:
    for value in vars(node).values():
        if isinstance(value, Node):
            yield value
        elif isinstance(value, tuple):
            yield from (item for item in value if isinstance(item, Node))
