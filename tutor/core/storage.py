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
from typing import Any


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
    """Where the learner is: the last lesson opened, and the position in each lesson."""

    FILE = "progress.json"

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or data_dir()) / self.FILE
        self.data: dict[str, Any] = {"last": None, "lessons": {}}
        self.warnings: list[str] = []
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.warnings.append(
                f"could not read {self.path}: {exc.strerror or exc}; starting fresh"
            )
            return
        try:
            data = json.loads(text)
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
        self.data["lessons"].setdefault(lesson_id, {})["event"] = event

    def save(self) -> None:
        atomic_write_text(self.path, json.dumps(self.data, indent=2, sort_keys=True))
