"""The lesson screen's runs: one at a time, at most one waiting, cancellable, always said.

A mixin of ``LessonScreen`` (it uses the screen's lesson, status, editor and
``_finished``). While a run goes on, ctrl+r on the same code does nothing and
ctrl+r on newer code cancels the running one and runs the newest (``RunQueue``);
ctrl+c cancels. The status says "running…" for every run, and after one that
failed what failed and where (``run_outcome``), until the next run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from ...core.run.queue import Ask, RunQueue
from ...core.view.notes import RUNNING, run_outcome

if TYPE_CHECKING:
    from ...core.run.result import RunResult
    from ...core.view.moment import Run


class LessonRuns:
    """Runs of the learner's code for the lesson screen."""

    queue: RunQueue
    run_note: str  # about the last run: running, what failed, solved ("": nothing to say)
    _cancelling = False  # a cancel of the run going on was asked for
    lesson: Any
    run: Run | None
    status: Any
    editor: Any

    @property
    def _app(self) -> Any:
        return self.app  # type: ignore[attr-defined]

    def start_run(self, source: str) -> None:
        """Run ``source`` now, or next (cancelling a run of older code), or not (it is running)."""
        asked = self.queue.ask(source)
        if asked is Ask.START:
            self.run_note = RUNNING
            self._cancelling = False
            self.run_code(source)
        elif asked is Ask.QUEUED:
            self._cancel()  # the running code is older than the learner's: stop it
            self.run_note = "running your newest code next… ctrl+c cancels"
        self.status.show(self._where(), self.run_note, force=True)

    def action_cancel_run(self) -> None:
        self.queue.waiting = None
        self._cancel()
        self.status.show(self._where(), "cancelling the run…", force=True)

    def on_unmount(self) -> None:
        """Leaving the lesson stops its run: the next lesson's run would wait behind it."""
        self.queue.waiting = None
        if self.queue.busy:
            self._app.runner.cancel()

    def _cancel(self) -> None:
        """Cancel the run going on; until the runner has it (its thread may not have
        reached the runner yet), ask again on the next tick."""
        self._cancelling = True
        if not self._app.runner.cancel() and self.queue.busy:
            self.set_timer(0.02, self._cancel_again)  # type: ignore[attr-defined]

    def _cancel_again(self) -> None:
        if self._cancelling and self.queue.busy:
            self._cancel()

    @work(thread=True, exit_on_error=False, group="run")
    def run_code(self, source: str) -> None:
        """Run in the worker process (exercises verified there), prepare the Run, hand it over.

        A syntax error or a cancel keeps the last run on screen (when there is one)."""
        from ...core.exercises import steps_to_verify
        from ...core.run.result import RunError, RunResult
        from ...core.view.moment import prepare

        lesson = self.lesson
        run = None
        try:
            verify = steps_to_verify(lesson) or None
            result = self._app.runner.run(lesson.py_path, source, lesson.iteration, verify=verify)
            if self._cancelling and result.error is None:  # it ended before the cancel got in
                result = RunResult(error=RunError("cancelled", "cancelled", 1))
            kind = result.error.kind if result.error is not None else None
            if kind not in ("syntax", "cancelled") or self.run is None:
                run = prepare(lesson, source, result)
        except Exception as exc:  # noqa: BLE001 - the queue must hear the run ended, always
            result = RunResult(error=RunError("crash", f"the tutor failed to run it: {exc!r}", 1))
        self._app.call_from_thread(self._ran, result, run)

    def _ran(self, result: RunResult, run: Run | None) -> None:
        following = self.queue.done()
        self._cancelling = False
        error = result.error
        if not self.is_attached:  # type: ignore[attr-defined]
            return
        if run is None and error is not None:  # the last run stays on screen
            if error.kind == "syntax":
                self.editor.show_syntax_error(self.lesson.py_path, error)
            self.run_note = run_outcome(error, kept=True)
        elif run is not None:
            self.run_note = run_outcome(error)
            self._finished(run)
        if following is not None:
            self.run_note = RUNNING
            self.run_code(following)
        self.status.show(self._where(), self.run_note, force=True)

    def unrun_edit(self) -> bool:
        """The code in the editor differs from the last code run (or running)."""
        text = self.editor.text
        if text in (self.queue.running, self.queue.waiting):
            return False
        last = self.queue.last if self.queue.last is not None else getattr(self.run, "source", None)
        return bool(text != last)

    # (from the screen)
    def _where(self) -> str:  # pragma: no cover - the screen's
        raise NotImplementedError

    def _finished(self, run: Run) -> None:  # pragma: no cover - the screen's
        raise NotImplementedError
