"""The symbol table by canonical LaTeX, and how a symbol is named in a message: as the
author wrote it, with a suggestion from the table when a key is close."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from . import latex as L

if TYPE_CHECKING:
    from ..lesson.model import Symbol

# The canonical form writes an implicit product with a space (``h 3``); a letter and the
# digits after it read as one index (``\delta_{h3}``), as the author wrote them.
_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z]) (?=\d)")


def written(node: L.Node) -> str:
    """A subtree as LaTeX an author would write: ``\\delta_{h3}``, not ``\\delta_{h 3}``."""
    return _LETTER_DIGIT.sub("", L.canonical(node))


def unknown_symbol(node: L.Node, table: dict[str, Symbol]) -> str:
    """The message for a symbol the table does not have, with the closest known one."""
    name = written(node)
    known = {_LETTER_DIGIT.sub("", key): key for key in table}
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (
        f"'{name}' is not in the symbol table{hint}: add it to 'symbols' with the Python "
        "name that holds its value"
    )


_NAME = re.compile(r"\\text\{([A-Za-z]{2,})\}")


def table_words(table: dict[str, Symbol] | None) -> frozenset[str]:
    """The names of several letters of a symbol table (``out`` of ``out_{h1}`` or
    ``\\mathrm{out}_{h1}``): equations are parsed with them (``latex.parse_equation``)."""
    return frozenset(word for key in table or () for word in _NAME.findall(key))


def symbol_words(symbols: list[Symbol]) -> frozenset[str]:
    """The names of several letters the symbol-table keys write (``latex.words_in``)."""
    return frozenset(word for symbol in symbols for word in L.words_in(symbol.latex))


def symbol_table(symbols: list[Symbol]) -> tuple[dict[str, Symbol], list[tuple[Symbol, str]]]:
    """Canonical LaTeX -> symbol, and the entries whose LaTeX is outside the subset.

    A run of letters in a key is one name (``out_{h1}`` is ``\\mathrm{out}_{h1}``), in
    every key and every equation alike (``table_words``)."""
    table: dict[str, Symbol] = {}
    bad: list[tuple[Symbol, str]] = []
    words = symbol_words(symbols)
    for symbol in symbols:
        try:
            node = L.parse_expression(symbol.latex, words)
        except L.LatexError as exc:
            bad.append(
                (
                    symbol,
                    f"symbol '{symbol.latex}' is not in the supported LaTeX subset: {exc.message}",
                )
            )
            continue
        table[L.canonical(node)] = symbol
    return table, bad
