"""The lesson screen: routes keys to the navigator and runs to the worker, then shows the Moment.

It decides nothing about what a pane shows: after every move it computes one ``Moment``
(``tutor.core.view.moment``) and hands each pane its part. Panes post messages up (the code
pane: ``RunRequested``); the rules (solved, completed, landing after a rerun) are the core's.
"""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget

from ..autoplay import Autoplay
from ..widgets.editor import EditorPane
from ..widgets.equation import EquationView
from ..widgets.key_bar import KeyBar
from ..widgets.lesson_text import LessonView
from ..widgets.status import StatusLine
from ..widgets.values import ValuesView
from . import exercise_kinds, panes, reload, workshop
from .help import HelpScreen
from .lesson_keys import EDGES, EDITOR_KEEPS, LESSON_KEYS, SHORT, SPARE
from .lesson_runs import Runs

if TYPE_CHECKING:
    from ...core.lesson.model import Lesson
    from ...core.navigator import Navigator
    from ...core.run.result import RunResult
    from ...core.view.moment import Moment, Run

P = TypeVar("P", bound=Widget)


class LessonScreen(Screen):
    """One lesson. Data flows down from the Moment into the panes after every move."""

    BINDINGS = LESSON_KEYS  # type: ignore[assignment]
    ALLOW_IN_MAXIMIZED_VIEW = "#status, KeyBar"

    def __init__(self, lesson: Lesson | Path, resume: int | None = None, result: Any = None):
        """``lesson`` is a loaded lesson, or its folder: then it loads after the first frame."""
        super().__init__()
        self.lesson: Lesson | None = None if isinstance(lesson, Path) else lesson  # as shipped
        self.folder = lesson if isinstance(lesson, Path) else lesson.path
        self.resume = resume
        self._preloaded: RunResult | None = result
        self.run: Run | None = None
        self.navigator: Navigator | None = None
        self.player = Autoplay(self.set_interval, self._tick)
        self._panes: dict[Any, Any] = {}
        self.hints: dict[str, int] = {}  # exercise id -> hints shown
        self.asked: set[str] = set()  # predicts asked on this visit (skipped ones too)
        self.breaking = ""  # the break-it exercise the learner is trying (its id)
        self.slopes = False  # M: the slope a nudge measures, under each derivative line
        self._redraw_due = False
        self.runs = Runs(self)  # one run at a time, cancellable, always said
        self.checks_explained: str | None = None  # the step whose ✓ came with what it means
        self._landed: Any = None  # where a run still recording put the learner (not moved since)
        self._early: str | None = None  # the code whose run started before the first frame
        self._ready = False  # the panes have their lesson: runs can be shown
        self._waiting: Run | None = None  # a run that came before that

    def compose(self) -> ComposeResult:
        name = self.folder.name
        title = f"{name} · {self.lesson.title}" if self.lesson else name
        yield StatusLine(title, name.split("-")[0], id="status")
        with Vertical(id="left"):
            with Vertical(id="lesson-pane", classes="pane") as pane:
                pane.border_title = "Lesson"
                yield LessonView(id="lesson")
            with Vertical(id="equation-pane", classes="pane") as pane:
                pane.border_title = "Equation"
                yield EquationView(id="equation")
        with Vertical(id="right"):
            yield EditorPane.first_frame(self.lesson or self.folder, id="code-pane")
            with Horizontal(id="bottom"):
                with Vertical(id="values-pane", classes="pane") as pane:
                    pane.border_title = "Values"
                    yield ValuesView(id="values")
                yield Vertical(id="viz-slot")  # the network and plots, after the first frame
        yield KeyBar(SHORT, SPARE)

    def pane(self, kind: type[P]) -> P:
        """A pane by its type, looked up once (a query walks every Markdown block: ~1 ms)."""
        if kind not in self._panes:
            self._panes[kind] = self.query_one(kind)
        return cast(P, self._panes[kind])

    @property
    def editor(self) -> EditorPane:
        return self.pane(EditorPane)

    @property
    def status(self) -> StatusLine:
        return self.pane(StatusLine)

    # -- start: first frame now, everything slow after it --------------------------------
    def on_mount(self) -> None:
        panes.layout_for(self, self.app.size.width, self.app.size.height)
        self.set_class(self.has_class("-narrow"), "-show-lesson")  # small screens open on the text
        self.watch(self, "maximized", partial(panes.maximized_changed, self), init=False)
        self.status.show(self._where(), "running lesson.py…")
        self.status.show_alert(self.app.saving.note)  # type: ignore[attr-defined]
        lesson = self.lesson
        if lesson is not None and lesson.source and self._preloaded is None:
            # Loaded already (the picker's): the run starts now, beside the first frame.
            saved = self.app.workspace.load(lesson.id)  # type: ignore[attr-defined]
            self._early = saved[0] if saved else lesson.source
            self.runs.start(self._early)
        # Textual paints on its next ~16 ms update tick after the refresh: wait just past it.
        self.call_after_refresh(self.set_timer, 0.02, self._after_first_frame)

    def _after_first_frame(self) -> None:
        from ...core.lesson.load import load_lesson
        from ...core.view.moment import prepare
        from ..widgets.viz import VizPane

        if self.lesson is None:
            self.lesson = load_lesson(self.folder)
        lesson = self.lesson
        source = self._show_panes(lesson)
        if not lesson.source:
            self.pane(ValuesView).show_message("this lesson has no code to run")
            self.status.show(self._where(), "the lesson cannot run: see its problems")
            return
        self._panes["viz"] = viz = VizPane(lesson, self.app.runner, id="viz")  # type: ignore[attr-defined]
        self.query_one("#viz-slot").mount(viz)
        self._ready = True
        reload.Watcher(self).start()  # for authors: lesson files changed on disk reload
        if self._preloaded is not None:
            self._finished(prepare(lesson, source, self._preloaded))
        elif source != self._early:  # (else it runs already, or has: its run is waiting)
            self.runs.start(source)
        if self._waiting is not None:
            self._finished(self._waiting)
        self.call_after_refresh(self.redraw)

    def _show_panes(self, lesson: Lesson) -> str:
        """The title, the code (the learner's, if saved) and the lesson text of ``lesson``;
        returns the code to run."""
        self.status.title_text = f"{lesson.id} · {lesson.title or '(no title)'}"
        source = self.editor.load(lesson, self.app.workspace)  # type: ignore[attr-defined]
        panes.share_rows(self, source.count("\n") + 1)
        if not lesson.source:
            return source
        from ...core.exercises import hidden_row

        solved = set(self.app.progress.solved(lesson.id))  # type: ignore[attr-defined]
        hidden = {
            e.step: hidden_row(lesson, e)
            for e in lesson.exercises_of("derive")
            if e.id not in solved
        }
        self.pane(LessonView).load(lesson, lambda: self.app.next_lesson_offer(lesson), hidden)  # type: ignore[attr-defined]
        return source

    async def show_lesson(self, lesson: Lesson) -> str:
        """A reloaded ``lesson`` (its files changed on disk) in place of the one shown: its
        text, code and diagram; returns the code to run (the learner's, if saved)."""
        from ..widgets.viz import VizPane

        await self.pane(LessonView).clear()
        source = self._show_panes(lesson)
        old = self._panes.pop("viz", None)
        if old is not None:
            await old.remove()
        self._panes["viz"] = viz = VizPane(lesson, self.app.runner, id="viz")  # type: ignore[attr-defined]
        await self.query_one("#viz-slot").mount(viz)
        return source

    # -- runs ---------------------------------------------------------------------------------
    def on_editor_pane_run_requested(self, message: EditorPane.RunRequested) -> None:
        self.player.stop()
        self.runs.start(message.source)

    def _finished(self, run: Run) -> None:
        """Show ``run``: a finished run, or the events so far of one still recording (then
        again, as more arrive, the learner's position kept)."""
        from ...core.navigator import Navigator

        assert self.lesson is not None
        if not self._ready:  # the panes are not loaded yet: shown when they are
            self._waiting = run
            return
        self._waiting = None
        if self.navigator is None and self.resume is None:
            self.resume = self.app.progress.position(self.lesson.id)  # type: ignore[attr-defined]
        going_on = self.run is not None and not self.run.finished
        self.run, old = run, self.navigator
        self.navigator = Navigator(run.lesson, run.timeline)
        self._landed = self.navigator.follow(
            old, going_on, self._landed, self.resume, run.recording is not None
        )
        if run.finished:
            self.set_timer(0.5, gc.freeze)  # the GC's full passes over the run were 30 ms keys
            tried = frozenset(self.app.progress.tried(self.lesson.id))  # type: ignore[attr-defined]
            if newly := self.app.record_solved(self.lesson, run.solved & tried):  # type: ignore[attr-defined]
                self.runs.note = f"✓ exercise solved: {', '.join(newly)}. Well done!"
            elif note := exercise_kinds.claim_note(self):
                self.runs.note = note
        self.redraw()

    # -- data down: one Moment, each pane its part -----------------------------------------
    def moment(self) -> Moment | None:
        from ...core.view.equation_rows import ascii_wanted
        from ...core.view.moment import State, moment

        if self.run is None or self.navigator is None or self.lesson is None:
            return None
        state = State(
            playing=self.player.rate if self.player.playing else None,
            solved=frozenset(self.app.progress.solved(self.lesson.id)),  # type: ignore[attr-defined]
            tried=frozenset(self.app.progress.tried(self.lesson.id)),  # type: ignore[attr-defined]
            network=self._panes.get("viz") is not None and not self.has_class("-hide-viz"),
            equation_width=self.pane(EquationView).scrollable_content_region.width or 1000,
            values_width=self.pane(ValuesView).grid_width,
            ascii=ascii_wanted(),
            slopes=self.slopes,
        )
        return moment(self.run, self.navigator.position, state)

    def redraw_soon(self) -> None:
        """Redraw once the keys already queued are handled: a flood of keys moves the
        navigator at each key but draws only the position it ends on."""
        if not self._redraw_due:
            self._redraw_due = True
            self.call_later(self.redraw)

    def redraw(self) -> None:
        self._redraw_due = False
        m = self.moment()
        if m is None or self.run is None:
            return
        self.editor.show(m.current_line, m.error_line, m.messages, m.output)
        self.pane(ValuesView).show(m.values, m.values_message, m.values_focus)
        rows, at_end = workshop.equation_rows(self, m)
        self.pane(EquationView).show(rows, at_end=at_end or m.equations_at_end)
        if (title := workshop.code_title(m)) != self.editor.border_title:
            self.editor.border_title = title
        self.pane(LessonView).show_step(m.section)
        viz = self._panes.get("viz")
        if viz is not None and not self.has_class("-hide-viz"):
            viz.show(self.run, m)
        self.status.show(m.status.where, self.runs.with_note(m.status.note))
        self.app.visit(self.lesson, self.run, self.navigator)  # type: ignore[attr-defined]

    def on_values_view_inspect(self, message: ValuesView.Inspect) -> None:
        from .inspector import InspectorScreen

        if self.run is not None and self.navigator is not None:
            self.app.push_screen(
                InspectorScreen(self.run.timeline, message.name, self.navigator.event)
            )

    def _where(self) -> str:
        from ...core.view.where import where_in  # (light: the first frame shows it)

        t = self.run.timeline if self.run is not None else None
        return where_in(t, self.navigator.event if self.navigator else -1)

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_run":  # ctrl+c: else it copies (editor) or says how to quit
            return self.runs.queue.busy
        # While editing, stepping keys return False here, so they reach the editor instead.
        return not (self.editor.editing and action in EDITOR_KEEPS)

    def action_step(self, move: str) -> None:
        """A Navigator move: next, previous, next_iteration, previous_iteration, first, last."""
        if self.navigator is None:
            self.status.show(self._where(), "the lesson's code is still running…", force=True)
            return
        before = self.navigator.position
        if getattr(self.navigator, move)():
            if move == "next" and exercise_kinds.predict_due(self, before):
                return  # the learner guesses first; the answer steps on
            self.redraw_soon()
        elif move in EDGES and len(self.navigator):
            self.status.show(self._where(), EDGES[move], force=True)

    def action_play(self) -> None:
        if self.player.playing or (self.navigator and len(self.navigator)):
            self.player.toggle()
        self.redraw()

    def _tick(self, events: int) -> bool:
        moved = False
        for _ in range(events):
            before = self.navigator.position if self.navigator is not None else None
            if not (self.navigator is not None and self.navigator.next()):
                self.player.stop()
                break
            moved = True
            if before is not None and exercise_kinds.predict_due(self, before):
                self.player.stop()  # playing reached a predict: the learner guesses first
                return True
        self.redraw()
        return moved

    def action_speed(self, delta: int) -> None:
        self.player.change(delta)
        self.status.show(self._where(), f"speed {self.player.rate} events/s")

    def action_goto(self) -> None:
        from .goto import ask_iteration

        ask_iteration(self)

    def on_descendant_focus(self, event: Any) -> None:
        panes.mark_focused(self, event.widget)

    def action_panes(self, name: str) -> None:
        """maximize, toggle_lesson, toggle_viz, toggle_log, toggle_boundary (``panes``)."""
        getattr(panes, name)(self)

    def action_edit(self) -> None:
        if self.lesson is not None:
            self.player.stop()
            self.remove_class("-show-lesson")
            self.editor.start_editing()
            self.status.show(self._where(), "editing: ctrl+r runs your code, esc goes back")

    def action_stop_editing(self) -> None:
        self.editor.stop_editing()
        unrun = self.runs.unrun_edit()
        self.status.show(
            self._where(), "your edit has not run yet: ctrl+r" if unrun else self.runs.note
        )

    def action_cancel_run(self) -> None:
        self.runs.cancel()

    def on_unmount(self) -> None:
        self.runs.leave()  # the next lesson's run would wait behind this one
        gc.unfreeze()

    def action_rerun(self) -> None:
        if self.lesson is not None and self.lesson.source:
            self.editor.request_run()

    def action_exercise(self, name: str) -> None:
        """predict_again, derive, break_it: the exercises that are not code."""
        getattr(exercise_kinds, name)(self)

    def action_workshop(self, name: str) -> None:
        """reset, diff, hint, solution, restore_tags: the learner's code and the exercise."""
        getattr(workshop, name)(self)

    def action_back(self) -> None:
        if self.editor.editing:
            self.action_stop_editing()
        else:
            self.app.close_lesson(self)  # type: ignore[attr-defined]

    def action_next_lesson(self) -> None:
        self.app.open_next_lesson(self)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

    async def action_quit(self) -> None:
        self.app.exit()

    def on_resize(self, event: Any) -> None:
        panes.layout_for(self, event.size.width, event.size.height)
