"""The lesson screen: narrative, equation, code and values of one moment, stepped by keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..widgets.code_view import CodeView
from ..widgets.equation_view import EquationView
from ..widgets.lesson_view import LessonView
from ..widgets.status_line import StatusLine
from ..widgets.values_view import ValuesView

if TYPE_CHECKING:
    from ...core.model import Lesson
    from ...core.navigator import Navigator
    from ...core.recorder import RunResult

SPEEDS = (1, 2, 4, 8, 16, 32)  # events per second when playing
NARROW = (100, 30)  # below this width or height, panes become toggles


class LessonScreen(Screen):
    """One lesson. Data flows down from the navigator into the panes after every move."""

    BINDINGS = [
        Binding("right", "next", "Next", priority=True, id="next"),
        Binding("left", "previous", "Back", priority=True, id="previous"),
        Binding(
            "right_square_bracket",
            "next_iteration",
            "Next iter",
            priority=True,
            id="next-iteration",
        ),
        Binding(
            "left_square_bracket", "previous_iteration", "Prev iter", priority=True, show=False
        ),
        Binding("home", "first", "First event", priority=True, show=False),
        Binding("end", "last", "Last event", priority=True, show=False),
        Binding("space", "play", "Play/pause", priority=True, id="play"),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus", "slower", "Slower", show=False),
        Binding("g", "goto", "Go to iteration", show=False),
        Binding("l", "toggle_lesson", "Lesson text", show=False),
        Binding("escape", "back", "All lessons", show=False),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self, lesson: Lesson | Path, resume: int | None = None, result: RunResult | None = None
    ):
        """``lesson`` is a loaded lesson, or its folder: then it loads after the first frame."""
        super().__init__()
        self.lesson: Lesson | None = None if isinstance(lesson, Path) else lesson
        self.folder = lesson if isinstance(lesson, Path) else lesson.path
        self.resume = resume
        self.result = result
        self.navigator: Navigator | None = None
        self.speed = 2  # index into SPEEDS
        self.playing = None

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
            with Vertical(id="code-pane", classes="pane") as pane:
                pane.border_title = "Code · lesson.py"
                yield CodeView(self._source(), id="code")
                yield Static("", id="error")
            with Vertical(id="values-pane", classes="pane") as pane:
                pane.border_title = "Values"
                yield ValuesView(id="values")
        yield Footer()

    def _source(self) -> str:
        if self.lesson is not None:
            return self.lesson.source
        try:  # just the text for the first frame; the loader reads it properly right after
            return (self.folder / "lesson.py").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    # -- typed access to the panes --------------------------------------------------------
    @property
    def code(self) -> CodeView:
        return self.query_one(CodeView)

    @property
    def values(self) -> ValuesView:
        return self.query_one(ValuesView)

    @property
    def equation(self) -> EquationView:
        return self.query_one(EquationView)

    @property
    def lesson_view(self) -> LessonView:
        return self.query_one(LessonView)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    # -- start: first frame now, everything slow after it --------------------------------
    def on_mount(self) -> None:
        self._layout_for(self.app.size.width, self.app.size.height)
        self.status.show(self._where(), "running lesson.py…")
        if self.result is not None:
            self.show_result(self.result)
        # The code runs, and the slow panes fill in, just after the first frame is drawn.
        self.call_after_refresh(self.call_after_refresh, self._after_first_frame)

    def _after_first_frame(self) -> None:
        if self.lesson is None:
            from ...core.loader import load_lesson

            self.lesson = load_lesson(self.folder)
            self.status.title_text = f"{self.lesson.id} · {self.lesson.title or '(no title)'}"
            self.code.set_source(self.lesson.source)
        if self.lesson.problems:
            self._show_error("\n".join(str(p) for p in self.lesson.problems[:3]))
        if not self.lesson.source:
            self.values.show_message("this lesson has no code to run")
            self.status.show(self._where(), "the lesson cannot run: see its problems")
            return
        if self.result is None:
            self.run_code()
        self.code.highlight(self.lesson.source)
        self.lesson_view.load(self.lesson)

    def _show_error(self, text: str) -> None:
        error = self.query_one("#error", Static)
        error.update(text)
        error.add_class("-shown")

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_code(self) -> None:
        lesson = self.lesson
        result = self.app.runner.run(lesson.py_path, lesson.source, lesson.iteration)
        self.app.call_from_thread(self.show_result, result)

    def show_result(self, result: RunResult) -> None:
        from ...core.navigator import Navigator
        from ...core.runner import error_problem

        self.result = result
        timeline = result.timeline
        if result.error is not None:
            self._show_error(str(error_problem(self.lesson.py_path, result.error)))
            self.code.error_line = result.error.line
        self.navigator = Navigator(self.lesson, timeline)
        if self.resume is None:
            self.resume = self.app.progress.position(self.lesson.id)
        if self.resume is not None:
            self.navigator.goto_event(self.resume)
        if len(timeline):
            self.refresh_view()
        else:
            self.values.show_message("no line ran: see the error below the code")
            self.status.show(self._where(), "the code stopped before its first line")

    # -- data down: one place that draws a position ---------------------------------------
    def refresh_view(self) -> None:
        nav = self.navigator
        event = nav.event
        timeline = nav.timeline
        step_id = timeline.step(event)
        self.code.current_line = timeline.line(event)
        self.values.show_event(timeline, event)
        self._show_equations(step_id, event, nav.position.revealed)
        self.lesson_view.show_step(step_id)
        self.status.show(self._where(), self._note())

    def _show_equations(self, step_id: str | None, event: int, revealed: int) -> None:
        """The step's equations with this event's numbers and verdicts (``tutor.core.present``)."""
        from ...core.present import present_step
        from ...core.verify import verdict_at

        step = self.lesson.step(step_id) if step_id else None
        if step is None:
            self.equation.show([])
            return
        timeline = self.navigator.timeline
        line = timeline.line(event)
        compiled = {
            step.equations.index(c.source): c for c in self.lesson.equations.get(step.id, [])
        }
        stores = self.lesson.stores.get(line, ())
        tolerance = self.lesson.tolerance_for(step.id)
        verdicts = {
            k: verdict_at(c, timeline, event, tolerance)
            for k, c in compiled.items()
            if k < revealed and c.target in stores and not timeline.is_summary(event)
        }
        revealing = event in self.navigator.reveal_at and step.is_derivation
        rows = present_step(step, revealed, compiled, verdicts, self.lesson.digits)
        self.equation.show(rows, at_end=revealing)

    def _where(self) -> str:
        nav = self.navigator
        if nav is None or not len(nav):
            return "step: — · event 0/0 · iteration 0/0"
        t = nav.timeline
        step = t.step(nav.event) or "—"
        return (
            f"step: {step} · event {nav.event + 1}/{len(t)} · "
            f"iteration {nav.iteration_of(nav.event)}/{t.iterations}"
        )

    def _note(self) -> str:
        if self.playing is not None:
            return f"▶ playing, {SPEEDS[self.speed]} events/s"
        nav = self.navigator
        if nav and nav.timeline.is_summary(nav.event):
            return "(one event standing for a whole iteration)"
        if self.result and self.result.error and nav and nav.event == len(nav) - 1:
            return "the code stopped after this line"
        return ""

    def _move(self, moved: bool, edge: str = "") -> None:
        if moved:
            self.refresh_view()
        elif edge and self.navigator and len(self.navigator):
            self.status.show(self._where(), edge, force=True)

    # -- actions --------------------------------------------------------------------------
    def _ready(self) -> bool:
        """True when there is a timeline to step through; otherwise say why not."""
        if self.navigator is None:
            self.status.show(self._where(), "the lesson's code is still running…", force=True)
        return self.navigator is not None

    def action_next(self) -> None:
        if self._ready():
            self._move(self.navigator.next(), "last event: ← steps back, home starts over")

    def action_previous(self) -> None:
        if self._ready():
            self._move(self.navigator.previous(), "first event: → steps forward")

    def action_next_iteration(self) -> None:
        if self.navigator:
            self._move(self.navigator.next_iteration(), "no later iteration")

    def action_previous_iteration(self) -> None:
        if self.navigator:
            self._move(self.navigator.previous_iteration(), "no earlier iteration")

    def action_first(self) -> None:
        if self.navigator:
            self._move(self.navigator.first())

    def action_last(self) -> None:
        if self.navigator:
            self._move(self.navigator.last())

    def action_play(self) -> None:
        if self.playing is not None:
            self._stop_playing()
        elif self.navigator and len(self.navigator):
            self.playing = self.set_interval(1 / SPEEDS[self.speed], self._tick)
        self.status.show(self._where(), self._note())

    def _tick(self) -> None:
        if not self.navigator.next():
            self._stop_playing()
        self.refresh_view()

    def _stop_playing(self) -> None:
        if self.playing is not None:
            self.playing.stop()
            self.playing = None

    def _change_speed(self, delta: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))
        if self.playing is not None:
            self.playing.stop()
            self.playing = self.set_interval(1 / SPEEDS[self.speed], self._tick)
        self.status.show(self._where(), self._note() or f"speed {SPEEDS[self.speed]} events/s")

    def action_faster(self) -> None:
        self._change_speed(+1)

    def action_slower(self) -> None:
        self._change_speed(-1)

    def action_goto(self) -> None:
        from .goto import GotoScreen

        if not self.navigator or not self.navigator.timeline.iterations:
            self.notify("This lesson's code has no training iterations to go to.")
            return
        self.app.push_screen(GotoScreen(self.navigator.timeline.iterations), self._goto)

    def _goto(self, iteration: int | None) -> None:
        if iteration is not None and self.navigator:
            self._move(self.navigator.goto_iteration(iteration))

    def action_toggle_lesson(self) -> None:
        self.toggle_class("-show-lesson")

    def action_back(self) -> None:
        self.app.close_lesson(self)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    async def action_quit(self) -> None:
        self.app.exit()

    # -- layout ---------------------------------------------------------------------------
    def on_resize(self, event) -> None:
        self._layout_for(event.size.width, event.size.height)

    def _layout_for(self, width: int, height: int) -> None:
        self.set_class(width < NARROW[0] or height < NARROW[1], "-narrow")

    def position(self) -> int | None:
        nav = self.navigator
        return nav.event if nav and len(nav) else None
