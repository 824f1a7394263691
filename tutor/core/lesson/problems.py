"""Problems found in a lesson, reported as ``PATH:LINE: message``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

KINDS = {
    "lesson": "something in lesson.md or lesson.py to fix",
    "syntax": "lesson.py does not parse",
    "anchor": "a '# step:' anchor that is malformed or names no step",
    "loop": "the 'iteration:' loop is missing or never ran",
    "equation": "an equation disagrees with the code, or cannot be evaluated",
    "run": "the code stopped with an error, or a step never ran",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson, pointing at the file and line to fix."""

    path: Path
    line: int
    message: str
    column: int | None = None
    kind: str = "lesson"  # one of KINDS: what sort of fix it asks for

    def __post_init__(self) -> None:
        # A message quotes the author's text, which may hold an escape character (from a
        # YAML "\e", say): it must reach the terminal as visible text, never as a control.
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        where = f"{printable(display_path(self.path))}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": printable(display_path(self.path)),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "kind": self.kind,
        }


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it.

    The last part is kept as named: lesson.md stays lesson.md even when it is a link (to
    /dev/zero, or round in a loop, which ``resolve`` refuses)."""
    given = Path(path)
    try:
        full = given.resolve() if given.name in ("", "..") else given.parent.resolve() / given.name
        return str(full.relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` with every control character written out visibly (ESC as ``\\x1b``, a tab
    as ``\\t``): what the tutor prints of an author's text never moves the cursor, rings,
    clears the screen or reorders the line."""
    if text.isprintable():
        return text
    return "".join(_visible(c) for c in text)


def _visible(char: str) -> str:
    if char == " " or not (unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI):
        return char
    special = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char)
    if special:
        return special
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
