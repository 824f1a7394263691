"""Problems found in a lesson, reported as ``PATH:LINE: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson, pointing at the file and line to fix."""

    path: Path
    line: int
    message: str
    column: int | None = None

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
        }


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
