"""The learner's saved state, kept outside the shipped lessons and written atomically.

Everything lives in the user's data directory (``platformdirs``), or in
``NN_TUTOR_HOME`` when set (tests use it). A write goes to a temporary file in
the same folder, is flushed to disk, then renamed over the old file: a crash at
any moment leaves the old content or the new, never a torn file. A file that
cannot be read is moved aside, the learner is told, and the tutor starts fresh.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Lesson


def data_dir() -> Path:
    home = os.environ.get("NN_TUTOR_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir("nn-tutor", appauthor=False))


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Progress:
    """Where the learner is: the last lesson, and per lesson the position, the steps seen,
    the exercises solved, and whether it is completed."""

    FILE = "progress.json"

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or data_dir()) / self.FILE
        self.data: dict[str, Any] = {"last": None, "lessons": {}}
        self.warnings: list[str] = []
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.warnings.append(
                f"could not read {self.path}: {exc.strerror or exc}; starting fresh"
            )
            return
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("lessons", {}), dict):
                raise ValueError("not a progress file")
        except ValueError:
            backup = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            with contextlib.suppress(OSError):
                os.replace(self.path, backup)
            self.warnings.append(
                f"{self.path} was damaged; it was moved to {backup.name} and progress starts fresh"
            )
            return
        self.data = {"last": data.get("last"), "lessons": data.get("lessons", {})}

    @property
    def last_lesson(self) -> str | None:
        last = self.data.get("last")
        return last if isinstance(last, str) else None

    def position(self, lesson_id: str) -> int | None:
        entry = self.data["lessons"].get(lesson_id)
        event = entry.get("event") if isinstance(entry, dict) else None
        return event if isinstance(event, int) and event >= 0 else None

    def set_position(self, lesson_id: str, event: int) -> None:
        self.data["last"] = lesson_id
        self.entry(lesson_id)["event"] = event

    def entry(self, lesson_id: str) -> dict[str, Any]:
        entry = self.data["lessons"].get(lesson_id)
        if not isinstance(entry, dict):
            entry = self.data["lessons"][lesson_id] = {}
        return entry

    def _add(self, lesson_id: str, key: str, item: str) -> bool:
        entry = self.entry(lesson_id)
        items = entry.get(key)
        if not isinstance(items, list):
            items = entry[key] = []
        if item in items:
            return False
        items.append(item)
        return True

    def mark_seen(self, lesson_id: str, step_id: str) -> bool:
        return self._add(lesson_id, "steps_seen", step_id)

    def mark_solved(self, lesson_id: str, step_id: str) -> bool:
        return self._add(lesson_id, "solved", step_id)

    def solved(self, lesson_id: str) -> list[str]:
        items = self.entry(lesson_id).get("solved") if lesson_id in self.data["lessons"] else None
        return list(items) if isinstance(items, list) else []

    def mark_completed(self, lesson_id: str) -> bool:
        entry = self.entry(lesson_id)
        if entry.get("completed") is True:
            return False
        entry["completed"] = True
        return True

    def summary(self, lesson_id: str) -> dict[str, Any] | None:
        """What ``nn-tutor list --json`` reports: None for a lesson never opened."""
        entry = self.data["lessons"].get(lesson_id)
        if not isinstance(entry, dict):
            return None
        return {
            "event": entry.get("event"),
            "steps_seen": list(entry.get("steps_seen") or []),
            "solved": list(entry.get("solved") or []),
            "completed": bool(entry.get("completed")),
        }

    def save(self) -> None:
        atomic_write_text(self.path, json.dumps(self.data, indent=2, sort_keys=True))


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


def describe_progress(lesson: Lesson, summary: dict[str, Any] | None) -> str:
    """One line of progress for people: completed, exercises solved, where to resume."""
    if summary is None:
        return ""
    parts = []
    if summary["completed"]:
        parts.append("✓ completed")
    if lesson.exercises:
        solved = len(set(summary["solved"]) & set(lesson.exercises))
        parts.append(f"{solved}/{len(lesson.exercises)} exercises")
    if not summary["completed"] and summary["event"] is not None:
        parts.append(f"resume at event {summary['event'] + 1}")
    return ", ".join(parts)
