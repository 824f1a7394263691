"""When saving fails (a read-only or full data folder): say it once, keep it in view, and at
quit offer to write the learner's unsaved code somewhere else.

The rules only; the app shows the toast, the status line's note and the question.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .datafiles import free_name, reason

CODE, PROGRESS = "your code", "your progress"


class SaveTrouble:
    """What cannot be saved right now, and why. The first failure of each (your code, your
    progress) since saving it worked is news (``failed`` returns a message for a toast);
    later ones only keep the note."""

    def __init__(self) -> None:
        self.failing: dict[str, str] = {}  # what ("your code", "your progress") -> why

    def failed(self, what: str, folder: Path, exc: BaseException) -> str | None:
        """Saving ``what`` in ``folder`` failed: the message to show now (None: said already)."""
        news = what not in self.failing
        self.failing[what] = reason(exc)
        if not news:
            return None
        if what == CODE:
            then = "It stays in the editor; q offers to write it elsewhere."
        else:
            then = "The status line says so until saving works again."
        return f"Could not save {what} in {folder}: {self.failing[what]}. {then}"

    def worked(self, what: str) -> bool:
        """Saving ``what`` worked: True when that ends a failure (the note changes)."""
        return self.failing.pop(what, None) is not None

    @property
    def note(self) -> str:
        """The status line's warning while saving fails ("": none)."""
        if not self.failing:
            return ""
        what = CODE if CODE in self.failing else PROGRESS
        words = "code" if what == CODE else "progress"
        return f"⚠ {words} not saved: {self.failing[what].lower()}"


def rescue_folders() -> list[Path]:
    """Where unsaved code may go at quit: the current folder, then the temporary folder."""
    folders = []
    with contextlib.suppress(OSError):  # (the current folder may have been deleted)
        folders.append(Path.cwd())
    folders.append(Path(tempfile.gettempdir()))
    return folders


def rescue_target(lesson_id: str, folders: Sequence[Path]) -> Path | None:
    """The file the learner's unsaved code of ``lesson_id`` would go to: a new file in the
    first folder that looks writable; None when none does."""
    for folder in folders:
        if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK):
            return free_name(folder, f"nn-tutor-{lesson_id}", ".py")
    return None


def rescue(text: str, target: Path, lesson_id: str, folders: Sequence[Path]) -> Path:
    """Write ``text`` to ``target``, a new file (else to a new file in one of ``folders``);
    the file written. Raises OSError when nowhere can be written."""
    error: OSError | None = None
    for path in [target, *(free_name(f, f"nn-tutor-{lesson_id}", ".py") for f in folders)]:
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except OSError as exc:
            error = error or exc
    raise error or OSError("nowhere to write")
