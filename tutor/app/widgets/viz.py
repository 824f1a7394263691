"""The network and plot panes, one above the other beside the values: the lesson's network drawn with this
moment's values, and either the per-iteration chart or the decision boundary.

It owns what only it needs: the chart's log scale (a reactive), which plot is
shown, and the decision-boundary grids, computed in the run worker by an
exclusive thread worker and cached per run, iteration and size (computed again
once a resize settles). Mounted after the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from .network import NetworkView

RESIZE_PAUSE = 0.15  # seconds without a resize before the boundary grid is computed again

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.timer import Timer

    from ...core.lesson.model import Lesson
    from ...core.run.runner import Runner
    from ...core.view.moment import Moment, Run


class VizPane(Vertical):
    """Data down: ``show(run, moment)`` after every move; it decides what to redraw."""

    log_scale: reactive[bool] = reactive(False, init=False)
    """The chart's y axis is logarithmic."""
    boundary_shown: reactive[bool] = reactive(False, init=False)
    """The decision boundary is shown in place of the chart."""

    def __init__(self, lesson: Lesson, runner: Runner, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.runner = runner
        self._run: Run | None = None
        self._moment: Moment | None = None
        self._grids: dict[tuple[int, int, int, int], list[list[float]] | str] = {}
        self._resize_timer: Timer | None = None
        plots = lesson.plots
        self.set_reactive(VizPane.log_scale, bool(plots and plots.log))
        self.set_reactive(VizPane.boundary_shown, bool(plots and plots.boundary))

    def compose(self) -> ComposeResult:
        plots = self.lesson.plots
        with Vertical(id="network-pane", classes="pane") as network:
            network.border_title = "Network"
            yield NetworkView(id="network")
        with Vertical(id="plot-pane", classes="pane") as pane:
            pane.border_title = "Plots"
            if plots is None:
                yield Static("(this lesson declares no plots)", classes="muted")
            else:
                from .boundary import BoundaryView
                from .plot import SeriesPlot

                if plots.series:
                    yield SeriesPlot(id="series-plot")
                if plots.boundary is not None:
                    yield BoundaryView(id="boundary")

    def on_mount(self) -> None:
        self._flip()
        if self._run is not None and self._moment is not None:
            self.call_after_refresh(self.show, self._run, self._moment)

    @property
    def has_boundary(self) -> bool:
        return bool(self.lesson.plots and self.lesson.plots.boundary)

    def toggle_boundary(self) -> str:
        """Boundary or chart; says why not when the lesson has no boundary to show."""
        if not self.has_boundary:
            return "This lesson has no decision boundary to show."
        self.boundary_shown = not self.boundary_shown
        return ""

    def toggle_log(self) -> str:
        self.log_scale = not self.log_scale
        return ""

    def watch_log_scale(self) -> None:
        self._redraw()

    def watch_boundary_shown(self) -> None:
        self._flip()
        self._redraw()

    def _flip(self) -> None:
        self.set_class(self.boundary_shown, "-boundary")
        self.set_class(not self.boundary_shown, "-chart")

    # -- data down ------------------------------------------------------------------------------
    def show(self, run: Run, moment: Moment) -> None:
        if run is not self._run:
            self._grids.clear()
        self._run, self._moment = run, moment
        for view in self.query(NetworkView):  # (none yet in the frame it is mounted in)
            view.show(moment.network)
        self._redraw()

    def _redraw(self) -> None:
        run, moment = self._run, self._moment
        if run is None or moment is None or not self.is_mounted:
            return
        for plot in self.query("#series-plot"):
            plot.show(run.series, run.series_iterations, moment.iteration, self.log_scale)  # type: ignore[attr-defined]
        if self.boundary_shown:
            self._show_boundary(run, moment)

    def on_boundary_view_resized(self) -> None:
        """A grid for the new size, once the resizing stops (the stale one is stretched)."""
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(RESIZE_PAUSE, self._redraw)

    def _show_boundary(self, run: Run, moment: Moment) -> None:
        from .boundary import BoundaryView

        view = self.query_one(BoundaryView)
        columns, rows = view.cells  # one cell per column, two per text row
        if columns <= 0 or rows <= 0:
            return  # not laid out yet: its first resize asks again, at its real size
        key = (id(run), moment.iteration, columns, rows)
        grid = self._grids.get(key)
        boundary = self.lesson.plots.boundary
        if isinstance(grid, str):
            view.show_message(grid)
        elif grid is not None:
            view.show(grid, _points(run, boundary.points), (boundary.x1, boundary.x2))
        else:
            self._compute(run, moment.iteration, moment.iteration_end, columns, rows, key)

    @work(
        thread=True, exclusive=True, group="boundary", exit_on_error=False, description="boundary"
    )
    def _compute(
        self, run: Run, iteration: int, event: int, columns: int, rows: int, key: tuple
    ) -> None:
        """The classifier's output over the plane at the end of ``iteration``, in the worker."""
        boundary = self.lesson.plots.boundary
        grid = self.runner.evaluate(
            run.lesson.py_path,
            run.source,
            boundary.function,
            run.timeline.values(event),
            boundary.x1,
            boundary.x2,
            columns=columns,
            rows=rows,
        )
        self.app.call_from_thread(self._ready, key, grid)

    def _ready(self, key: tuple[int, int, int, int], grid: list[list[float]] | str) -> None:
        self._grids[key] = grid
        self._redraw()


def _points(run: Run, name: str | None) -> list[tuple[float, float, float]]:
    """The training points ``[(x1, x2, y), ...]`` the lesson keeps in ``name``."""
    t = run.timeline
    if not name or name not in t.columns or not len(t):
        return []
    raw = t.value(name, len(t) - 1)
    points = []
    for item in raw if isinstance(raw, list | tuple) else []:
        try:
            x1, x2, y = (float(v) for v in list(item)[:3])
            points.append((x1, x2, y))
        except (TypeError, ValueError):
            continue
    return points
