"""The learner's edited lesson code, kept outside the shipped lessons and written atomically."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from .datafiles import atomic_write_text, data_dir


class Workspace:
    """The learner's edited lesson code: ``edits/<lesson id>.py``, never the shipped files.

    Beside each edit, ``<lesson id>.base.py`` keeps the shipped code the edit started
    from, so a new version of the lesson can be noticed instead of silently lost.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.root = (folder or data_dir()) / "edits"
        self.warnings: list[str] = []

    def _paths(self, lesson_id: str) -> tuple[Path, Path]:
        return self.root / f"{lesson_id}.py", self.root / f"{lesson_id}.base.py"

    def load(self, lesson_id: str) -> tuple[str, str] | None:
        """The saved (code, base), or None when the learner has not edited this lesson."""
        code_path, base_path = self._paths(lesson_id)
        try:
            code = code_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            backup = code_path.with_name(f"{code_path.name}.unreadable-{int(time.time())}")
            with contextlib.suppress(OSError):
                os.replace(code_path, backup)
            self.warnings.append(
                f"your saved code for {lesson_id} could not be read ({exc}); "
                f"it was moved to {backup}"
            )
            return None
        try:
            base = base_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            base = ""
        return code, base

    def save(self, lesson_id: str, code: str, base: str) -> None:
        code_path, base_path = self._paths(lesson_id)
        if (
            not base_path.exists()
            or base_path.read_text(encoding="utf-8", errors="replace") != base
        ):
            atomic_write_text(base_path, base)
        atomic_write_text(code_path, code)

    def reset(self, lesson_id: str) -> Path | None:
        """Forget the edit; the old code stays as a backup file (returned)."""
        code_path, base_path = self._paths(lesson_id)
        if not code_path.exists():
            return None
        stamp = int(time.time())
        backup = code_path.with_name(f"{lesson_id}.before-reset-{stamp}.py")
        n = 1
        while backup.exists():  # two resets in one second keep both versions
            n += 1
            backup = code_path.with_name(f"{lesson_id}.before-reset-{stamp}-{n}.py")
        os.replace(code_path, backup)
        with contextlib.suppress(OSError):
            base_path.unlink()
        return backup
