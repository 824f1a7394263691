"""The learner's progress: the last lesson, and per lesson the position, the steps seen,
the exercises solved and whether it is completed; and the rules that change it.

Whatever the data folder holds, the tutor starts: ``progress_file`` reads the file back,
checks it against its schema, and moves aside what it cannot use (the learner is told).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .datafiles import atomic_write_text, data_dir
from .progress_file import merge, read_progress, read_quietly

Snapshot = tuple[int, str, frozenset[str]]  # number, the file's text, the lessons moved in

if TYPE_CHECKING:
    from .lesson.model import Lesson


class Progress:
    """Where the learner is: the last lesson, and per lesson the position, the steps seen,
    the exercises solved, and whether it is completed."""

    FILE = "progress.json"

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or data_dir()) / self.FILE
        self._lock = threading.Lock()
        self._taken = self._written = 0  # snapshot numbers: the last taken, the last written
        self._touched: set[str] = set()  # the lessons whose position this tutor set
        self.data: dict[str, Any]
        self.data, self.warnings = read_progress(self.path)  # checked against its schema

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
        self._touched.add(lesson_id)

    def entry(self, lesson_id: str) -> dict[str, Any]:
        entry = self.data["lessons"].get(lesson_id)
        if not isinstance(entry, dict):
            entry = self.data["lessons"][lesson_id] = {}
        return cast(dict[str, Any], entry)

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

    def mark_tried(self, lesson_id: str, exercise_id: str) -> bool:
        """The learner blanked a code exercise to write it (its solving counts from now)."""
        return self._add(lesson_id, "tried", exercise_id)

    def unsolve(self, lesson_id: str, exercise_id: str) -> bool:
        """An exercise the learner does again (a derivation line hidden once more)."""
        solved = self.solved(lesson_id)
        if exercise_id not in solved:
            return False
        self.entry(lesson_id)["solved"] = [item for item in solved if item != exercise_id]
        return True

    def untry(self, lesson_id: str) -> bool:
        """Back to the complete code (reset): the code exercises tried and not solved are
        no longer tried, so the complete code does not count as the learner's answer."""
        tried, solved = self.tried(lesson_id), set(self.solved(lesson_id))
        kept = [item for item in tried if item in solved]
        if kept == tried:
            return False
        self.entry(lesson_id)["tried"] = kept
        return True

    def tried(self, lesson_id: str) -> list[str]:
        items = self.entry(lesson_id).get("tried") if lesson_id in self.data["lessons"] else None
        return list(items) if isinstance(items, list) else []

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

    def snapshot(self) -> Snapshot:
        """The file's new text, numbered (cheap: the UI thread takes it, a thread writes it)."""
        with self._lock:
            self._taken += 1
            text = json.dumps(self.data, indent=2, sort_keys=True)
            return self._taken, text, frozenset(self._touched)

    def write(self, snapshot: Snapshot) -> None:
        """Write a snapshot, unless a newer one is on disk already (writers may race).

        What another nn-tutor wrote there since is merged in, not lost (``merge``)."""
        number, text, touched = snapshot
        with self._lock:
            if number <= self._written:
                return
            theirs = read_quietly(self.path)
            if theirs["lessons"] or theirs["last"] is not None:
                text = json.dumps(
                    merge(theirs, json.loads(text), touched), indent=2, sort_keys=True
                )
            atomic_write_text(self.path, text)
            self._written = number

    def save(self) -> None:
        self.write(self.snapshot())

    def visit(
        self, lesson: Lesson, step_id: str | None, event: int, events: int, run_ok: bool
    ) -> bool:
        """The learner is at ``event`` of ``events`` (in step ``step_id``) of a run; True when
        something worth saving at once changed (a step seen first, the lesson completed)."""
        changed = self.mark_seen(lesson.id, step_id) if step_id else False
        if is_completed(lesson, self.solved(lesson.id), event, events, run_ok):
            changed = self.mark_completed(lesson.id) or changed
        self.set_position(lesson.id, event)
        return changed

    def add_solved(self, lesson_id: str, steps: Collection[str]) -> list[str]:
        """Record the exercises a run solved; returns the ones solved for the first time."""
        return [step for step in sorted(steps) if self.mark_solved(lesson_id, step)]


def is_completed(
    lesson: Lesson, solved: Collection[str], event: int, events: int, run_ok: bool
) -> bool:
    """A lesson is completed when its code ran clean, the learner reached its last event,
    and every exercise of it is solved."""
    return run_ok and events > 0 and event == events - 1 and set(lesson.exercises) <= set(solved)


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
