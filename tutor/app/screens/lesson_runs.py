"""The lesson screen's runs: one at a time, at most one waiting, cancellable, always said.

``Runs`` belongs to one ``LessonScreen`` (composed, not inherited: it reads the
screen's lesson, status and editor, and hands a finished run to the screen's
``_finished``). While a run goes on, ctrl+r on the same code does nothing and
ctrl+r on newer code cancels the running one and runs the newest (``RunQueue``);
ctrl+c cancels. The status says "running…" for every run, and after one that
failed what failed and where (``run_outcome``), until the next run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.run.queue import Ask, RunQueue
from ...core.view.notes import RECORDING, RUNNING, run_outcome

if TYPE_CHECKING:
    from ...core.run.result import RunResult
    from ...core.view.moment import Run
    from .lesson import LessonScreen


class Runs:
    """Runs of the learner's code for one lesson screen."""

    def __init__(self, screen: LessonScreen) -> None:
        self.screen = screen
        self.queue = RunQueue()
        self.note = ""  # about the last run: running, what failed, solved ("": nothing to say)
        self.then = ""  # what to say once the next run has ended cleanly (after t: your turn)
        self._cancelling = False  # a cancel of the run going on was asked for
        self._left = False  # the learner left the lesson: nothing more goes on its screen

    @property
    def _app(self) -> Any:
        return self.screen.app  # (on the UI thread only: a run's thread is handed the app)

    def with_note(self, here: str) -> str:
        """The moment's note (playing, where the code stopped), and what the last run did."""
        if here.startswith("▶") or not self.note:
            return here
        return f"{here} · {self.note}" if here else self.note

    def _say(self) -> None:
        self.screen.status.show(self.screen._where(), self.note, force=True)

    def start(self, source: str) -> None:
        """Run ``source`` now, or next (cancelling a run of older code), or not (it is running)."""
        asked = self.queue.ask(source)
        if asked is Ask.START:
            self.note = RUNNING
            self._cancelling = False
            self._run(source)
        elif asked is Ask.QUEUED:
            self._cancel()  # the running code is older than the learner's: stop it
            self.note = "running your newest code next… ctrl+c cancels"
        self._say()

    def cancel(self) -> None:
        self.queue.waiting = None
        self._cancel()
        self.screen.status.show(self.screen._where(), "cancelling the run…", force=True)

    def leave(self) -> None:
        """Leaving the lesson stops its run: the next lesson's run would wait behind it.
        Called as the screen starts to go (its widgets are being removed after that)."""
        self._left = True
        self.queue.waiting = None
        if self.queue.busy:
            self._cancel()

    def _cancel(self) -> None:
        """Cancel the run going on; until the runner has it (its thread may not have
        reached the runner yet), ask again on the next tick."""
        self._cancelling = True
        if not self._app.runner.cancel() and self.queue.busy:
            self._app.set_timer(0.02, self._cancel_again)  # (the screen may be going)

    def _cancel_again(self) -> None:
        if self._cancelling and self.queue.busy:
            self._cancel()

    def _run(self, source: str) -> None:
        app = self._app
        self.screen.run_worker(
            lambda: self._run_in_thread(source, app),
            thread=True,
            exit_on_error=False,
            group="run",
            description="run the learner's code",
        )

    def _run_in_thread(self, source: str, app: Any) -> None:
        """Run in the worker process (exercises verified there), prepare the Run, hand it over.

        While the run goes on, its events so far are handed over too (``Live``), at most
        every ``Live.EVERY`` s. A syntax error or a cancel keeps the last run on screen (when
        there is one, and none of this run's events are shown yet)."""
        from ...core.exercises import steps_to_verify
        from ...core.run.result import RunError, RunResult
        from ...core.view.moment import prepare

        lesson = self.screen.lesson
        assert lesson is not None  # (runs start once the lesson has loaded)
        run = None
        live = Live(self, app, lesson, source)
        try:
            verify = steps_to_verify(lesson) or None
            result = app.runner.run(
                lesson.py_path, source, lesson.iteration, verify=verify, on_chunk=live
            )
            if self._cancelling and result.error is None:  # it ended before the cancel got in
                result = RunResult(result.timeline, RunError("cancelled", "cancelled", 1))
            kind = result.error.kind if result.error is not None else None
            if kind not in ("syntax", "cancelled") or self.screen.run is None or live.shown:
                run = prepare(lesson, source, result, before=live.last)
        except Exception as exc:  # noqa: BLE001 - the queue must hear the run ended, always
            result = RunResult(error=RunError("crash", f"the tutor failed to run it: {exc!r}", 1))
        app.call_from_thread(self._ran, result, run)

    def live(self, run: Run) -> bool:
        """Show a run's events so far (on the UI thread); False when a finished run stays."""
        screen = self.screen
        if self._left or not screen.is_attached:
            return False
        if run.recording is not None:
            screen.status.show_progress((run.recording.fraction(), run.recording.words()))
        if not self.live_allowed():  # a rerun: its run is shown once it has finished
            self._say()
            return False
        self.note = RECORDING
        screen._finished(run)
        return True

    def _ran(self, result: RunResult, run: Run | None) -> None:
        following = self.queue.done()
        self._cancelling = False
        error = result.error
        screen = self.screen
        if self._left or not screen.is_attached:
            return
        screen.status.show_progress(None)
        if run is None and error is not None:  # the last run stays on screen
            if error.kind == "syntax":
                screen.editor.show_syntax_error(screen.lesson.py_path, error)  # type: ignore[union-attr]
            self.note = run_outcome(error, kept=True)
        elif run is not None:
            self.note = run_outcome(error) or self.then
            self.then = ""
            screen._finished(run)
        if following is not None:
            self.note = RUNNING
            self._run(following)
        self._say()

    def live_allowed(self) -> bool:
        """A run's events so far go on screen only when no finished run is shown: on a
        lesson's first run (or after a run that showed nothing). A rerun replaces the run
        on screen once it has finished, as before, so the learner keeps their place."""
        run = self.screen.run
        return run is None or not run.finished

    def unrun_edit(self) -> bool:
        """The code in the editor differs from the last code run (or running)."""
        text = self.screen.editor.text
        if text in (self.queue.running, self.queue.waiting):
            return False
        last = (
            self.queue.last
            if self.queue.last is not None
            else getattr(self.screen.run, "source", None)
        )
        return bool(text != last)


class Live:
    """Hands the screen a run's events so far while it records (called by the runner after
    each chunk, in the run's thread): a copy of the timeline (the runner goes on extending
    its own), prepared off the UI thread, at most every ``EVERY`` seconds."""

    EVERY = 0.25

    def __init__(self, runs: Runs, app: Any, lesson: Any, source: str) -> None:
        self.runs, self.app, self.lesson, self.source = runs, app, lesson, source
        self.last: Run | None = None  # the last Run handed over
        self.shown = False  # some of this run's events are on screen
        self._due = 0.0
        self._chunk: Any = None  # the last chunk received
        self._pending = False  # events received and not yet handed over

    def __call__(self, timeline: Any, chunk: Any) -> None:
        """After each chunk (``chunk``), and every few ms while none comes (None)."""
        import time

        from ...core.run.chunk import copy
        from ...core.run.result import RunResult
        from ...core.view.moment import prepare
        from ...core.view.notes import Recording

        if chunk is not None:  # (the last chunk: the finished run is shown next, not this)
            self._chunk, self._pending = chunk, not chunk.last
        now = time.perf_counter()
        runs = self.runs
        if not self._pending or now < self._due or not len(timeline) or runs._cancelling:
            return
        if runs._left:
            return
        self._pending = False
        limits = self.app.runner.limits
        last = self._chunk
        recording = Recording(
            last.events_seen,
            timeline.iterations,
            last.iterations_expected,
            last.elapsed,
            limits.time if limits is not None else 10.0,
        )
        run = prepare(self.lesson, self.source, RunResult(copy(timeline)), recording, self.last)
        self.last = run
        if self.app.call_from_thread(runs.live, run):
            self.shown = True
        self._due = time.perf_counter() + max(self.EVERY, 4 * (time.perf_counter() - now))
