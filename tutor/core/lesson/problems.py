"""Problems found in a lesson, reported as ``PATH:LINE: message``."""

from __future__ import annotations

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

    def __str__(self) -> str:
        where = f"{display_path(self.path)}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": display_path(self.path),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "kind": self.kind,
        }


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
