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

from ..core.lesson.collection import load_collection, next_lesson_dir
from ..core.saving import CODE, PROGRESS, SaveTrouble
from ..core.workspace import Workspace
from .keys import key_label
from .screens import rescue
from .screens.lesson import LessonScreen
from .widgets.editor import EditorPane

if TYPE_CHECKING:
    from rich.text import Text
    from textual.timer import Timer

    from ..core.lesson.model import Lesson
    from ..core.navigator import Navigator
    from ..core.progress import Progress, Snapshot
    from ..core.run.result import RunResult
    from ..core.run.runner import Runner
    from ..core.view.moment import Run


class TutorApp(App):
    """nn-tutor. Build it with ``make_app``, as the command line does."""

    CSS_PATH = "app.tcss"
    TITLE = "nn-tutor"
    ask_predicts = True  # stepping onto a predict's event asks first (--no-predict: never)

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
        self._progress_timer: Timer | None = None
        self._workspace: Workspace | None = None
        self._runner = runner
        self.preloaded = preloaded
        self.preloaded_lesson = preloaded_lesson
        self.saving = SaveTrouble()  # what cannot be saved right now: said once, then noted
        self._rescue_asked = False  # quitting offered to write unsaved code elsewhere

    @property
    def workspace(self) -> Workspace:
        """The learner's edited code, read on first use."""
        if self._workspace is None:
            self._workspace = Workspace()
        return self._workspace

    def save_progress(self, wait: bool = False) -> None:
        """Write progress (atomically) in a thread, or now with ``wait``; a failure is a message."""
        self._progress_dirty = False
        snapshot = self.progress.snapshot()
        if wait:
            self._write_progress(snapshot)
        else:
            self.run_worker(partial(self._write_progress, snapshot), thread=True, group="progress")

    def _write_progress(self, snapshot: Snapshot) -> None:
        here = threading.current_thread() is threading.main_thread()
        try:
            self.progress.write(snapshot)
        except OSError as exc:
            folder = self.progress.path.parent
            call = partial(self.save_failed, PROGRESS, folder, exc)
        else:
            if PROGRESS not in self.saving.failing:
                return
            call = partial(self.save_worked, PROGRESS)
        if here:
            call()
        else:
            self.call_from_thread(call)

    def save_failed(self, what: str, folder: Path, exc: OSError) -> None:
        """Saving failed: a toast the first time, then the status line's alert until it works."""
        message = self.saving.failed(what, folder, exc)
        if message:
            self.notify(message, severity="warning", timeout=20, markup=False)
        self._show_save_alert()

    def save_worked(self, what: str) -> None:
        if self.saving.worked(what):
            self._show_save_alert()
            self._rescue_asked = self._rescue_asked and what != CODE  # (a new failure: ask again)

    def _show_save_alert(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, LessonScreen) and screen.is_mounted:
                screen.status.show_alert(self.saving.note)

    def on_editor_pane_save_failed(self, message: EditorPane.SaveFailed) -> None:
        self.save_failed(CODE, message.folder, message.error)

    def on_editor_pane_saved(self, _message: EditorPane.Saved) -> None:
        self.save_worked(CODE)

    def save_progress_soon(self) -> None:
        """Mark progress as changed; a timer writes it within a couple of seconds."""
        self._progress_dirty = True
        if self._progress_timer is None:
            self._progress_timer = self.set_interval(2.0, self._flush_progress)

    def _flush_progress(self) -> None:
        if self._progress_dirty:
            self.save_progress()

    def visit(self, lesson: Lesson, run: Run, navigator: Navigator) -> None:
        """The learner is at the navigator's position: record it (the rules are the core's)."""
        event, events = navigator.event, len(navigator)
        step = run.timeline.step(event) if events else None
        if self.progress.visit(lesson, step, event, events, run.error is None and run.finished):
            self.save_progress()
        else:
            self.save_progress_soon()

    def record_solved(self, lesson: Lesson, solved: frozenset[str]) -> list[str]:
        """A run solved these exercises: record them; the titles of the new ones (the screen
        congratulates in its status line and equation pane, not in a toast over the panes)."""
        newly = self.progress.add_solved(lesson.id, solved)
        if newly:
            self.save_progress()
        return [(step.title if (step := lesson.step(s)) else s) for s in sorted(newly)]

    @property
    def runner(self) -> Runner:
        """The one lesson runner (its worker process starts on the first run or ``start``)."""
        if self._runner is None:
            from ..core.run.runner import Runner  # (not needed for the first frame)

            self._runner = Runner()
        return self._runner

    @property
    def progress(self) -> Progress:
        """The learner's saved state, read on first use (not before the first frame)."""
        if self._progress is None:
            from ..core.progress import Progress

            self._progress = Progress()
            for warning in self._progress.warnings:
                self.notify(warning, severity="warning", timeout=15, markup=False)
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
            # And load what a lesson screen needs once the picker is up, so the first lesson
            # opened shows its first events as soon as a later one does.
            self.call_after_refresh(
                threading.Thread(target=_warm_up, name="warm up", daemon=True).start
            )
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

    def next_lesson_offer(self, lesson: Lesson) -> str:
        """The line under a lesson's closing words: the lesson after it and the key to open it."""
        from ..core.lesson.load import load_lesson

        folder = next_lesson_dir(lesson.path)
        if folder is None:
            return "That was the last lesson. esc: all the lessons"
        title = load_lesson(folder).title or folder.name
        return f"Next: {folder.name.split('-')[0]} · {title} — press N"

    def open_next_lesson(self, screen: LessonScreen) -> None:
        """Leave this lesson (its place and code saved) for the one after it."""
        folder = next_lesson_dir(screen.folder)
        if folder is None:
            self.notify("This is the last lesson.")
            return
        self._leave(screen)
        self.switch_screen(LessonScreen(folder))

    def close_lesson(self, screen: LessonScreen) -> None:
        """Back to the picker (built now if the tutor was opened on a lesson directly)."""
        from .screens.picker import PickerScreen

        self._leave(screen)
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        left = screen.lesson.id if screen.lesson is not None else screen.folder.name
        if isinstance(below, PickerScreen):
            self.pop_screen()
            below.left = left  # the cursor goes back to the lesson just left
            below.refresh(recompose=True)  # progress may have changed
            below.call_after_refresh(below.focus_list)
        else:
            picker = PickerScreen(load_collection(self.lessons_dir), self.progress)
            picker.left = left
            self.switch_screen(picker)

    def _leave(self, screen: LessonScreen) -> None:
        """The lesson screen is about to go: its place and code saved, its run stopped and
        kept off it (its widgets are removed before it unmounts)."""
        self._remember(screen)
        screen.runs.leave()

    def _remember(self, screen: Screen, wait: bool = False) -> None:
        if isinstance(screen, LessonScreen):
            screen.editor.save_now()  # the learner's code, now
            nav = screen.navigator
            if screen.lesson is not None and nav is not None and len(nav):
                self.progress.set_position(screen.lesson.id, nav.event)
            self.save_progress(wait)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in getattr(screen, "BINDINGS", []):
            yield SystemCommand(
                binding.description,
                f"{binding.description} (key: {key_label(binding.key)})",
                partial(screen.run_action, binding.action),
            )

    def on_unmount(self) -> None:
        if self._runner is not None:
            self._runner.close()

    def exit(self, *args, **kwargs) -> None:
        # Whatever is on top (help, a confirmation), every open lesson saves its place and code.
        for screen in self.screen_stack:
            if isinstance(screen, LessonScreen):
                self._remember(screen, wait=True)
        self.save_progress(wait=True)
        unsaved = rescue.unsaved_code(self)
        if unsaved and not self._rescue_asked:  # saving failed: offer another place first
            self._rescue_asked = True
            rescue.offer(self, unsaved, self._quit)
            return
        if unsaved:  # (the learner said no, then quit)
            kwargs["message"] = rescue.lost(unsaved)
        super().exit(*args, **kwargs)

    def _quit(self, message: Text | None) -> None:
        """Quit now, with a line for the terminal (where the unsaved code went)."""
        super().exit(message=message)


def _warm_up() -> None:
    """Import the lesson screen's modules (Markdown, syntax highlighting, the views) while
    the learner picks: on the first opening they cost more than the run's first events."""
    import contextlib
    import importlib

    for name in (
        "markdown_it",
        "textual.widgets._markdown",
        "textual.highlight",
        "pygments.lexers.python",
        "tutor.core.navigator",
        "tutor.core.run.chunk",
        "tutor.core.run.runner",
        "tutor.core.view.moment",
        "tutor.core.equation.verify",
        "tutor.app.widgets.viz",
    ):
        with contextlib.suppress(ImportError):  # (missing: it loads, or fails, when used)
            importlib.import_module(name)
