"""Hot reload for authors: the lesson screen reloads its lesson when lesson.md or lesson.py
changes on disk, reruns it and keeps the place (the same step of the same iteration).

Polling, not a file-watching library: two ``stat`` calls a second cost nothing, work the
same on every platform and file system (network mounts, editors that replace the file),
and add no dependency. A lesson that no longer loads keeps the last one on screen and says
its problems (PATH:LINE). The learner's own saved code is theirs: then only lesson.md's
side (text, equations, exercises) is taken, and the status line says so.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lesson import LessonScreen

EVERY = 1.0  # seconds between two looks at the lesson's files
SHOWN_PROBLEMS = 5  # problems listed in the toast of a lesson that no longer loads

Stamp = tuple[tuple[int, int] | None, ...]


def stamp(folder: Path) -> Stamp:
    """What changes when lesson.md or lesson.py is written: each file's mtime and size."""
    marks: list[tuple[int, int] | None] = []
    for name in ("lesson.md", "lesson.py"):
        try:
            st = os.stat(folder / name)
        except OSError:
            marks.append(None)
        else:
            marks.append((st.st_mtime_ns, st.st_size))
    return tuple(marks)


class Watcher:
    """Looks at one lesson screen's files every ``EVERY`` s; reloads when they change."""

    def __init__(self, screen: LessonScreen) -> None:
        self.screen = screen
        self.seen = stamp(screen.folder)
        self.waiting = False  # a change came while the learner edits: said once, done later
        self.busy = False

    def start(self) -> None:
        self.screen.set_interval(EVERY, self.poll, name="hot reload")

    def poll(self) -> None:
        screen = self.screen
        if self.busy or not screen.is_mounted:
            return
        now = stamp(screen.folder)
        if now == self.seen:
            return
        if screen.editor.editing:  # (the editor's text must not change under the learner)
            if not self.waiting:
                self.waiting = True
                screen.runs.note = "the lesson files changed: they reload when you leave the editor"
                screen.runs._say()
            return
        self.seen, self.waiting, self.busy = now, False, True
        # A worker (not the timer's own task): leaving or quitting cancels it cleanly.
        screen.run_worker(self._reload(), group="reload", exit_on_error=False)

    async def _reload(self) -> None:
        try:
            await reload(self.screen)
        except Exception as exc:  # noqa: BLE001 - an author's change never ends the tutor
            self.screen.notify(
                f"the lesson could not be reloaded: {exc!r}", severity="error", markup=False
            )
        finally:
            self.busy = False


async def reload(screen: LessonScreen) -> None:
    """Load the lesson again from disk; if it loads, show it and rerun, keeping the place."""
    from ...core.lesson.load import load_lesson

    old = screen.lesson
    lesson = load_lesson(screen.folder)
    if lesson.problems:  # keep the last good lesson on screen; say what to fix
        count = len(lesson.problems)
        lines = [str(p) for p in lesson.problems[:SHOWN_PROBLEMS]]
        if count > SHOWN_PROBLEMS:
            lines.append(f"(and {count - SHOWN_PROBLEMS} more: nn-tutor check shows them all)")
        screen.notify(
            "\n".join(lines),
            title=f"the changed lesson has {count} problem{'s' * (count != 1)}",
            severity="error",
            timeout=30,
            markup=False,
        )
        screen.runs.note = (
            f"reload: {count} problem{'s' * (count != 1)} (first: {lines[0]}); "
            "showing the lesson as it last loaded"
        )
        screen.runs._say()
        return
    editor = screen.editor
    theirs = old is not None and editor.edited
    if theirs:
        editor.save_now()
    screen.lesson = lesson
    source = await screen.show_lesson(lesson)
    code_changed = old is not None and old.source != lesson.source
    if theirs:
        note = "lesson reloaded; the code is yours, so lesson.py's changes are not in it"
        note += " (d compares, R resets)" if code_changed else ""
    else:
        note = "lesson reloaded"
    screen.runs.start(source)
    screen.runs.then = note  # (said once the rerun has ended cleanly)
    screen.runs.note = f"{note}; running it…"
    screen.runs._say()
