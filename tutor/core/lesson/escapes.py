"""Double-quoted YAML text whose backslashes YAML read as escapes.

Inside double quotes YAML turns ``\\e`` into the escape character, ``\\t`` into
a tab, ``\\f`` into a form feed: ``"\\eta"`` arrives as ESC followed by ``ta``.
The author meant LaTeX. Each such string is one problem that quotes what the
author wrote and says how to write it; for a symbol-table key the loader then
uses what the author meant, so its equations do not each report the symbol
as unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from ..equation.nodes import ACCENTS, FUNCTIONS, GREEK, PRODUCTS, RELATIONS, SPACING

_SINGLE = {"0": 0, "a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, "e": 27}
_SINGLE.update({"N": 0x85, "L": 0x2028, "P": 0x2029})
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_COMMANDS = (set(GREEK) | FUNCTIONS | ACCENTS | set(PRODUCTS) | set(RELATIONS) | SPACING) | {
    "frac",
    "sqrt",
    "sum",
    "text",
    "partial",
    "left",
    "right",
    "top",
    "mathrm",
    "nabla",
    "times",
}


@dataclass(frozen=True)
class Escaped:
    """A double-quoted string with an escape the author did not mean."""

    value: str  # what YAML made of it
    meant: str  # what the author wrote between the quotes
    line: int  # its line in lesson.md
    message: str


def escaped_strings(root: Any, text: str, first_line: int) -> list[Escaped]:
    """Every double-quoted scalar of the front matter whose escapes made control characters
    (for symbol-table keys, which are LaTeX, also ``\\t`` and ``\\n``: ``"\\theta"``)."""
    strict: set[int] = set()  # the symbol-table keys
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "symbols" and isinstance(value, yaml.MappingNode):
                strict.update(id(k) for k, _ in value.value)
    found: list[Escaped] = []
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:  # (not recursive: YAML can nest deep, and aliases share nodes)
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.ScalarNode) and node.style == '"':
            item = _escaped(node, text, first_line, id(node) in strict)
            if item is not None:
                found.append(item)
    return found


def _escaped(node: Any, text: str, first_line: int, strict: bool) -> Escaped | None:
    raw = text[node.start_mark.index : node.end_mark.index]
    if len(raw) < 2 or not raw.startswith('"') or not raw.endswith('"'):
        return None
    meant = raw[1:-1]
    for match in _ESCAPE.finditer(meant):
        code = match.group(1)
        char = chr(int(code[1:], 16)) if len(code) > 1 else chr(_SINGLE.get(code, 32))
        if not _control(char):
            continue
        if char in "\t\n" and not strict:
            word = re.match(r"[A-Za-z]+", meant[match.start() + 1 :])
            if word is None or word.group() not in _COMMANDS:
                continue  # "one\ntwo": a line break meant as one
        single = meant.replace("'", "''")
        return Escaped(
            node.value,
            meant,
            first_line + node.start_mark.line,
            f"\"{meant}\": \\{code} in double quotes is an escape; use single quotes: '{single}'",
        )
    return None


def _control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")
