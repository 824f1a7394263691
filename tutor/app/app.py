"""The Textual app: the picker and the lesson screens over one warm lesson runner."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.screen import Screen

from ..core.lesson.collection import load_collection
from ..core.progress import Progress
from ..core.run.runner import Runner
from ..core.workspace import Workspace
from .screens.lesson import LessonScreen

if TYPE_CHECKING:
    from ..core.lesson.model import Lesson
    from ..core.run.result import RunResult


class TutorApp(App):
    """nn-tutor. Build it with ``make_app``, as the command line does."""

    CSS_PATH = "app.tcss"
    TITLE = "nn-tutor"

    def __init__(
        self,
        lessons_dir: Path,
        lesson: Path | None = None,
        progress: Progress | None = None,
        runner: Runner | None = None,
        preloaded: RunResult | None = None,
        preloaded_lesson: Lesson | None = None,
    ) -> None:
        super().__init__()
        self.lessons_dir = lessons_dir
        self.start_lesson = lesson
        self._progress = progress
        self._progress_dirty = False
        self._progress_timer = None
        self._workspace: Workspace | None = None
        self.runner = runner or Runner()
        self.preloaded = preloaded
        self.preloaded_lesson = preloaded_lesson

    @property
    def workspace(self) -> Workspace:
        """The learner's edited code, read on first use."""
        if self._workspace is None:
            self._workspace = Workspace()
        return self._workspace

    def save_progress(self) -> None:
        """Write progress now (atomically); a failure is a message, never a crash."""
        self._progress_dirty = False
        try:
            self.progress.save()
        except OSError as exc:
            self.notify(f"could not save progress: {exc}", severity="warning")

    def save_progress_soon(self) -> None:
        """Mark progress as changed; a timer writes it within a couple of seconds."""
        self._progress_dirty = True
        if self._progress_timer is None:
            self._progress_timer = self.set_interval(2.0, self._flush_progress)

    def _flush_progress(self) -> None:
        if self._progress_dirty:
            self.save_progress()

    @property
    def progress(self) -> Progress:
        """The learner's saved state, read on first use (not before the first frame)."""
        if self._progress is None:
            self._progress = Progress()
            for warning in self._progress.warnings:
                self.notify(warning, severity="warning", timeout=10)
        return self._progress

    def on_mount(self) -> None:
        if self.start_lesson is not None:
            # The lesson loads after the first frame; a preloaded run brings its lesson along.
            self.open_lesson(self.preloaded_lesson or self.start_lesson, result=self.preloaded)
        else:
            from .screens.picker import PickerScreen

            lessons = load_collection(self.lessons_dir)
            self.push_screen(PickerScreen(lessons, self.progress))
            # Start the worker process while the learner picks, so the first run finds it warm.
            threading.Thread(target=self.runner.start, daemon=True).start()
            last = next((x for x in lessons if x.id == self.progress.last_lesson and x.ok), None)
            if last is not None:
                self.open_lesson(last, self.progress.position(last.id))
        # Once the first frame is out: everything alive now lives as long as the app, so
        # move it out of the collector's way (full passes cost tens of ms a keypress).
        self.call_after_refresh(self.call_after_refresh, self._freeze)

    def _freeze(self) -> None:
        gc.enable()
        gc.collect()
        gc.freeze()

    def open_lesson(
        self, lesson: Lesson | Path, resume: int | None = None, result: RunResult | None = None
    ) -> None:
        self.push_screen(LessonScreen(lesson, resume=resume, result=result))

    def close_lesson(self, screen: LessonScreen) -> None:
        """Back to the picker (built now if the tutor was opened on a lesson directly)."""
        from .screens.picker import PickerScreen

        self._remember(screen)
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, PickerScreen):
            self.pop_screen()
            below.refresh(recompose=True)  # progress may have changed
            below.call_after_refresh(below.focus_list)
        else:
            self.switch_screen(PickerScreen(load_collection(self.lessons_dir), self.progress))

    def _remember(self, screen: Screen) -> None:
        if isinstance(screen, LessonScreen):
            screen.leave()
            if screen.position() is not None:
                self.progress.set_position(screen.shipped.id, screen.position())
            self.save_progress()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in getattr(screen, "BINDINGS", []):
            yield SystemCommand(
                binding.description,
                f"{binding.description} (key: {binding.key.split(',')[0]})",
                partial(screen.run_action, binding.action),
            )

    def on_unmount(self) -> None:
        self.runner.close()

    def exit(self, *args, **kwargs) -> None:
        # Whatever is on top (help, a confirmation), every open lesson saves its place and code.
        for screen in self.screen_stack:
            if isinstance(screen, LessonScreen):
                self._remember(screen)
        self.save_progress()
        super().exit(*args, **kwargs)
