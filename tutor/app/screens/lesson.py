"""The lesson screen: narrative, equation, code and values of one moment, stepped by keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import Screen
from textual.widgets import Static

from ..widgets.code_view import CodeView
from ..widgets.equation_view import EquationView
from ..widgets.key_bar import KeyBar
from ..widgets.lesson_view import LessonView
from ..widgets.network_view import NetworkView
from ..widgets.status_line import StatusLine
from ..widgets.values_view import ValuesView
from .workshop import Workshop

if TYPE_CHECKING:
    from ...core.lesson.model import Lesson
    from ...core.navigator import Navigator
    from ...core.run.result import RunResult

SPEEDS = (1, 2, 4, 8, 16, 32)


def _as_float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


# events per second when playing
NARROW = (100, 30)  # below this width or height, panes become toggles


class LessonScreen(Workshop, Screen):
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
        Binding("n", "toggle_viz", "Network and plots", show=False),
        Binding("L", "toggle_log", "Log scale", show=False),
        Binding("b", "toggle_boundary", "Boundary or chart", show=False),
        Binding("escape", "back", "All lessons", priority=True, show=False),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        *Workshop.WORKSHOP_BINDINGS,
    ]

    def __init__(
        self, lesson: Lesson | Path, resume: int | None = None, result: RunResult | None = None
    ):
        """``lesson`` is a loaded lesson, or its folder: then it loads after the first frame."""
        super().__init__()
        self.lesson: Lesson | None = None if isinstance(lesson, Path) else lesson
        self.shipped: Lesson | None = (
            self.lesson
        )  # as shipped; ``lesson`` follows the learner's code
        self.code_text = self.lesson.source if self.lesson else ""
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
                yield Static("", id="output")
            with Horizontal(id="bottom"):
                with Vertical(id="values-pane", classes="pane") as pane:
                    pane.border_title = "Values"
                    yield ValuesView(id="values")
                yield Vertical(id="viz")  # filled after the first frame
        yield KeyBar()

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
        # (Textual paints on its next ~16 ms update tick after the refresh: wait just past it.)
        self.call_after_refresh(self.set_timer, 0.02, self._after_first_frame)

    def _after_first_frame(self) -> None:
        if self.shipped is None:
            from ...core.lesson.load import load_lesson

            self.shipped = self.lesson = load_lesson(self.folder)
            self.status.title_text = f"{self.lesson.id} · {self.lesson.title or '(no title)'}"
        if self.result is None:
            self.load_code()
        if self.shipped.problems:
            self._show_error("\n".join(str(p) for p in self.shipped.problems[:3]))
        if not self.shipped.source:
            self.values.show_message("this lesson has no code to run")
            self.status.show(self._where(), "the lesson cannot run: see its problems")
            return
        if self.result is None:
            self.run_code(self.code_text)
        self.code.set_source(self.code_text, highlight=True)
        self.lesson_view.load(self.shipped)
        self._mount_plots()

    def _mount_plots(self) -> None:
        """The network and plot panes, after the first frame (the chart library alone costs
        ~0.2 s to import)."""
        plots = self.shipped.plots
        charts: list = []
        if plots is None:
            charts.append(Static("(this lesson declares no plots)", classes="muted"))
        else:
            from ..widgets.boundary_view import BoundaryView
            from ..widgets.loss_plot import SeriesPlot

            if plots.series:
                charts.append(SeriesPlot(id="series-plot"))
            if plots.boundary is not None:
                # Too little room for both: the boundary first, b switches to the chart.
                charts.append(BoundaryView(id="boundary"))
                self.add_class("-boundary")
            self.log_scale = plots.log
        network_pane = ScrollableContainer(
            NetworkView(id="network"), id="network-pane", classes="pane"
        )
        network_pane.border_title = "Network"
        plot_pane = Vertical(*charts, id="plot-pane", classes="pane")
        plot_pane.border_title = "Plots"
        self.query_one("#viz").mount_all([network_pane, plot_pane])
        self.call_after_refresh(self._redraw)

    def _redraw(self) -> None:
        if self.navigator is not None and len(self.navigator):
            self._series = None
            self.refresh_view()
        if self.navigator is not None:
            self._series = None
            self.refresh_view()

    def _show_error(self, text: str) -> None:
        error = self.query_one("#error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_code(self, source: str) -> None:
        lesson = self.shipped
        result = self.app.runner.run(lesson.py_path, source, lesson.iteration)
        self.app.call_from_thread(self.show_result, result, source)

    def show_result(self, result: RunResult, source: str | None = None) -> None:
        from ...core.navigator import Navigator
        from ...core.run.runner import error_problem

        source = self.code_text if source is None else source
        error = result.error
        if error is not None and error.kind == "syntax" and self.navigator is not None:
            # Keep the last good timeline steppable; point at the mistake.
            self._show_error(
                f"{error_problem(self.shipped.py_path, error)} (the steps shown are "
                "from the last run that worked)"
            )
            self.mark_syntax_error(error.line, error.column)
            self.status.show(self._where(), "syntax error: fix the marked line and ctrl+r")
            return
        previous = self._place() if self.navigator is not None else None
        anchor_problems = self.bind_code(source)
        self.result = result
        self._ran_source = source
        timeline = result.timeline
        self.code.error_line = error.line if error is not None else 0
        messages = [str(error_problem(self.shipped.py_path, error))] if error is not None else []
        messages += [str(p) for p in anchor_problems[:2]]
        if not messages and self.shipped.problems:
            messages = [str(p) for p in self.shipped.problems[:3]]
        self._show_error("\n".join(messages))
        self.navigator = Navigator(self.lesson, timeline)
        self._series = None  # per-iteration plot data, rebuilt for the new timeline
        self._boundaries: dict[int, object] = {}
        if previous is not None:
            self._return_to(*previous)
        else:
            if self.resume is None:
                self.resume = self.app.progress.position(self.shipped.id)
            if self.resume is not None:
                self.navigator.goto_event(self.resume)
        self.check_exercises(result)
        if len(timeline):
            self.refresh_view()
        else:
            self.code.current_line = 0
            self.values.show_message("no line ran: see the error below the code")
            self.equation.show([])
            self.status.show(self._where(), "the code stopped before its first line")

    def _place(self) -> tuple[str | None, int | None, int]:
        """Where the learner is, in terms that survive a rerun: step, iteration, event."""
        nav = self.navigator
        if not len(nav):
            return None, None, 0
        return nav.timeline.step(nav.event), nav.timeline.iteration(nav.event), nav.event

    def _return_to(self, step: str | None, iteration: int | None, event: int) -> None:
        """After a rerun: the same step in the same iteration if it still exists."""
        nav = self.navigator
        t = nav.timeline
        if step is not None and iteration is not None and iteration <= t.iterations:
            for i in t.iteration_span(iteration):
                if t.step(i) == step:
                    nav.goto_event(i)
                    return
        nav.goto_event(event)

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
        self._show_output(timeline, event)
        self._show_network(timeline, event)
        self._show_plots(nav.iteration_of(event))
        self.status.show(self._where(), self._note())
        self._record_progress(step_id, event)

    def _show_output(self, timeline, event: int) -> None:
        """The last lines the code printed up to this event."""
        from bisect import bisect_right

        output = self.query_one("#output", Static)
        chunks = timeline.output
        k = bisect_right(chunks, event, key=lambda chunk: chunk[0]) if chunks else 0
        text = "".join(chunk[1] for chunk in chunks[max(0, k - 20) : k]).rstrip("\n")
        tail = "\n".join(text.split("\n")[-3:]) if text else ""
        if tail != getattr(self, "_output_shown", ""):
            self._output_shown = tail
            output.update(tail)
            output.set_class(bool(tail), "-shown")

    def _show_network(self, timeline, event: int) -> None:
        network = self.shipped.network
        if network is None or self.has_class("-hide-viz"):
            return
        from ...core.view.diagram import draw
        from ...core.view.equation_rows import ascii_wanted

        names = network.names()
        values = {name: timeline.value(name, event) for name in names if name in timeline.columns}
        values = {k: v for k, v in values.items() if v is not None and repr(v) != "MISSING"}
        active = set(timeline.changed(event)) & names
        for view in self.query(NetworkView):  # (mounted just after the first frame)
            view.show(draw(network, values, active, ascii=ascii_wanted()))

    def _show_plots(self, iteration: int) -> None:
        plots = self.shipped.plots
        if plots is None or self.has_class("-hide-viz"):
            return
        for plot in self.query("#series-plot"):
            plot.show(self._series_data(), iteration, getattr(self, "log_scale", False))
        if plots.boundary is not None and self.query("#boundary"):
            self._show_boundary(iteration)

    def _series_data(self) -> dict[str, list[float]]:
        """Each series' value at the end of every iteration (at most 2,000 points)."""
        if getattr(self, "_series", None) is None:
            t = self.navigator.timeline
            step = max(1, t.iterations // 2000)
            ends = [t.iteration_span(k).stop - 1 for k in range(1, t.iterations + 1, step)]
            from ...core.lesson.network import parse_ref

            data = {}
            for name in self.shipped.plots.series:
                ref = parse_ref(name)  # a name, or an element of an array: loss[0]
                if ref is not None and ref.name in t.columns:
                    data[name] = [_as_float(ref.pick(t.value(ref.name, e))) for e in ends]
            self._series = data
        return self._series

    def _show_boundary(self, iteration: int) -> None:
        from ..widgets.boundary_view import BoundaryView

        view = self.query_one(BoundaryView)
        boundary = self.shipped.plots.boundary
        cached = self._boundaries.get(iteration)
        if isinstance(cached, str):
            view.show_message(cached)
        elif cached is not None:
            view.show(cached, self._points(iteration), (boundary.x1, boundary.x2))
        else:
            self._boundaries[iteration] = None
            self.compute_boundary(iteration)

    def _points(self, iteration: int) -> list[tuple[float, float, float]]:
        boundary = self.shipped.plots.boundary
        t = self.navigator.timeline
        if not boundary.points or boundary.points not in t.columns:
            return []
        raw = t.value(boundary.points, len(t) - 1)
        points = []
        for item in raw if isinstance(raw, list | tuple) else []:
            try:
                x1, x2, y = (float(v) for v in list(item)[:3])
                points.append((x1, x2, y))
            except (TypeError, ValueError):
                continue
        return points

    @work(thread=True, group="boundary", exit_on_error=False)
    def compute_boundary(self, iteration: int) -> None:
        """The classifier's output over the plane at the end of ``iteration``, in the worker."""
        t = self.navigator.timeline
        event = (
            t.iteration_span(iteration).stop - 1 if 1 <= iteration <= t.iterations else len(t) - 1
        )
        values = t.values(event)
        boundary = self.shipped.plots.boundary
        from ..widgets.boundary_view import BoundaryView

        size = self.query_one(BoundaryView).size  # one cell per column, two per text row
        grid = self.app.runner.evaluate(
            self.shipped.py_path,
            getattr(self, "_ran_source", self.code_text),
            boundary.function,
            values,
            boundary.x1,
            boundary.x2,
            columns=max(8, size.width),
            rows=max(4, 2 * (size.height - 1)),
        )
        self.app.call_from_thread(self._boundary_ready, iteration, grid)

    def _boundary_ready(self, iteration: int, grid) -> None:
        self._boundaries[iteration] = grid
        if self.navigator and self.navigator.iteration_of(self.navigator.event) == iteration:
            self._show_boundary(iteration)

    def action_toggle_viz(self) -> None:
        self.toggle_class("-hide-viz" if not self.has_class("-narrow") else "-show-viz")
        if self.navigator is not None and len(self.navigator):
            self.refresh_view()

    def action_toggle_boundary(self) -> None:
        if not self.has_class("-boundary") and not self.has_class("-chart"):
            self.notify("This lesson has no decision boundary to show.")
            return
        self.toggle_class("-boundary", "-chart")
        if self.navigator is not None and len(self.navigator):
            self._show_plots(self.navigator.iteration_of(self.navigator.event))

    def action_toggle_log(self) -> None:
        self.log_scale = not getattr(self, "log_scale", False)
        if self.navigator is not None and len(self.navigator):
            self._show_plots(self.navigator.iteration_of(self.navigator.event))

    def _record_progress(self, step_id: str | None, event: int) -> None:
        progress = self.app.progress
        lesson_id = self.shipped.id
        changed = progress.mark_seen(lesson_id, step_id) if step_id else False
        nav = self.navigator
        if event == len(nav) - 1 and self.result is not None and self.result.error is None:
            solved = set(progress.solved(lesson_id))
            if set(self.lesson.exercises) <= solved:
                changed = progress.mark_completed(lesson_id) or changed
        progress.set_position(lesson_id, event)
        self.app.save_progress_soon()
        if changed:
            self.app.save_progress()

    def _show_equations(self, step_id: str | None, event: int, revealed: int) -> None:
        """The step's equations with this event's numbers and verdicts (``tutor.core.present``)."""
        from ...core.equation.verify import verdict_at
        from ...core.view.equation_rows import present_step

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
        width = self.equation.scrollable_content_region.width or 1000
        rows = present_step(step, revealed, compiled, verdicts, self.lesson.digits, width=width)
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
        if self.editing:
            self.stop_editing()
        else:
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

    def leave(self) -> None:
        """The screen is closing (or the app quitting): save the learner's code now."""
        if self.shipped is not None:
            self._take_editor_text()
            self._save_now()

    def position(self) -> int | None:
        nav = self.navigator
        return nav.event if nav and len(nav) else None
