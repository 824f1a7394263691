"""Plots and the network pane: the boundary grid against direct evaluation, panes on screen."""

from __future__ import annotations

import math
import textwrap

import pytest

from tutor.app import make_app
from tutor.app.widgets.network import NetworkView
from tutor.core.exercises import blanked
from tutor.core.lesson.load import load_lesson
from tutor.core.run.grid import evaluate_grid
from tutor.core.run.runner import Runner
from tutor.core.workspace import Workspace

from .conftest import LESSON_01, LESSONS
from .conftest import wait_for_lesson as ready

CLASSIFIER = textwrap.dedent(
    """\
    import math

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    def predict(x1, x2):
        return sigmoid(w1 * x1 + w2 * x2 + b)

    w1 = 0.0
    w2 = 0.0
    b = 0.0
    for iteration in range(1, 3):
        w1 = w1 + 1.0
    """
)


def direct(x1, x2, w1, w2, b):
    return 1 / (1 + math.exp(-(w1 * x1 + w2 * x2 + b)))


def test_grid_matches_direct_evaluation():
    values = {"w1": 3.0, "w2": -2.0, "b": 0.5}
    grid = evaluate_grid(CLASSIFIER, "lesson.py", "predict", values, (-1.0, 1.0), (0.0, 2.0), 4, 2)
    assert len(grid) == 2 and len(grid[0]) == 4
    for r in range(2):
        x2 = 2.0 - (r + 0.5) * 2.0 / 2
        for c in range(4):
            x1 = -1.0 + (c + 0.5) * 2.0 / 4
            assert grid[r][c] == pytest.approx(direct(x1, x2, **values))


def test_the_training_loop_does_not_run_when_evaluating():
    source = CLASSIFIER + "raise SystemExit('the loop must not run')\n"
    grid = evaluate_grid(
        source, "lesson.py", "predict", {"w1": 1.0, "w2": 1.0, "b": 0.0}, (0, 1), (0, 1), 2, 2
    )
    assert grid[0][0] == pytest.approx(direct(0.25, 0.75, 1.0, 1.0, 0.0))


def test_the_worker_evaluates_and_reports_errors(tmp_path):
    path = tmp_path / "lesson.py"
    path.write_text(CLASSIFIER)
    with Runner() as runner:
        grid = runner.evaluate(
            path, CLASSIFIER, "predict", {"w1": 1.0, "w2": 2.0, "b": -1.0}, (0, 1), (0, 1), 3, 2
        )
        assert grid[1][0] == pytest.approx(direct(1 / 6, 0.25, 1.0, 2.0, -1.0))
        error = runner.evaluate(path, CLASSIFIER, "missing", {}, (0, 1), (0, 1), 3, 2)
        assert isinstance(error, str) and "missing" in error
        slow = "def predict(x1, x2):\n    while True:\n        pass\n"
        message = runner.evaluate(path, slow, "predict", {}, (0, 1), (0, 1), 2, 2, time_limit=1.0)
        assert isinstance(message, str)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    monkeypatch.setenv("NN_TUTOR_HOME", str(folder))
    return folder


async def test_network_pane_follows_the_events(no_predicts):
    app = make_app("01")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        t = screen.navigator.timeline
        update = next(i for i in range(len(t)) if t.step(i) == "update")
        screen.navigator.goto_event(update - 1)
        screen.redraw()
        assert "w=0.5" in "\n".join(screen.query_one(NetworkView).drawing.rows)
        await pilot.press("right")
        drawing = screen.query_one(NetworkView).drawing
        assert "w=0.8" in "\n".join(drawing.rows)
        assert any(kind == "edge-active" for *_, kind in drawing.spans)  # the weight just updated
        await pilot.press("left")
        assert "w=0.5" in "\n".join(screen.query_one(NetworkView).drawing.rows)


async def test_plot_pane_shows_the_series_and_toggles():
    app = make_app("01")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        series = screen.run.series
        assert set(series) == {"loss", "w"} and len(series["w"]) == 20
        assert series["w"][-1] == pytest.approx(2 - 1.5 * 0.8**20)
        assert screen.query_one("#viz").region.height > 0
        await pilot.press("n")
        await pilot.pause()
        assert screen.query_one("#viz").region.height == 0
        await pilot.press("n")
        await pilot.pause()
        assert screen.query_one("#viz").region.height > 0
        assert not screen.query_one("#viz").log_scale
        await pilot.press("L")
        assert screen.query_one("#viz").log_scale


async def test_small_screen_shows_the_network_on_a_key():
    app = make_app("01")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one("#viz").region.height == 0
        await pilot.press("n")
        await pilot.pause()
        assert screen.query_one("#network-pane").region.height > 2
        code = screen.query_one("#code")
        assert code.scrollable_content_region.height >= 3  # the code stays readable
        assert screen.query_one("#equation").scrollable_content_region.height >= 5
        assert screen.query_one("#series-plot").region.height >= 2


BOUNDARY_MD = """\
---
title: A line in the plane
iteration: iteration
symbols:
  w_1: w1
plots:
  series: [w1]
  boundary: {function: predict, points: data}
---

## Grow {#grow}

$$ w_1 \\leftarrow w_1 + 1 $$
"""

BOUNDARY_PY = CLASSIFIER.replace(
    "    w1 = w1 + 1.0\n", "    w1 = w1 + 1.0  # step: grow\n"
).replace("w1 = 0.0\n", "data = [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)]\nw1 = 0.0\n")


async def test_decision_boundary_is_evaluated_per_iteration(make_lesson, tmp_path):
    folder = make_lesson("01-line", md=BOUNDARY_MD, py=BOUNDARY_PY)
    assert load_lesson(folder).problems == []
    from tutor.app.widgets.boundary import BoundaryView

    app = make_app(str(folder), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")  # after the loop: iteration 2, w1 = 2
        for _ in range(200):
            view = screen.query_one(BoundaryView)
            if view.grid:
                break
            await pilot.pause(0.02)
        grid = view.grid
        rows, columns = len(grid), len(grid[0])
        # One cell per character across, two per text row down (half blocks).
        assert columns == view.size.width and rows == 2 * (view.size.height - 1)
        # Row 0 is the top of the plane (x2 = 1.5 side); column 0 the left (x1 = -0.5 side).
        x1 = -0.5 + 0.5 * 2.0 / columns
        x2 = 1.5 - 0.5 * 2.0 / rows
        assert grid[0][0] == pytest.approx(direct(x1, x2, 2.0, 0.0, 0.0))
        assert view.points == [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)]
        text = view.render().plain
        assert "●" in text and "○" in text


# -- the chart -----------------------------------------------------------------------------

LESSONS_DIR = LESSON_01.parent
LESSON_02 = LESSONS_DIR / "02-many-examples"


def save_code(home, folder, lr: str | None = None) -> None:
    """Save the lesson's code (``lr = 0.02`` changed to ``lr``) as the learner's."""
    lesson = load_lesson(folder)
    code = lesson.source
    if lr is not None:
        assert "lr = 0.02" in code
        code = code.replace("lr = 0.02", f"lr = {lr}")
    Workspace(home).save(lesson.id, code, lesson.source)


async def shown_chart(pilot, screen):
    """The chart as drawn at this size and position: (plot widget, rendered rows)."""
    await pilot.pause()
    plot = screen.query_one("#series-plot")
    return plot, plot.render().plain.split("\n")


def drawn_range(screen):
    values = [v for s in screen.run.series.values() for v in s if math.isfinite(v)]
    return min(values), max(values)


async def test_the_chart_fills_its_pane_with_the_legend_above(home):
    app = make_app("01")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")
        plot, rows = await shown_chart(pilot, screen)
        pane = screen.query_one("#plot-pane")
        assert plot.size.height == pane.content_region.height > 0
        assert len(rows) == plot.size.height  # every row of the pane is used
        assert len(plot.chart.plot_rows) == plot.size.height - 2  # legend and x axis only
        legend = rows[0]
        assert "━ loss" in legend and "━ w" in legend and "iteration 20" in legend
        assert not any(ch in legend for ch in "⠁⠂⠄⡀⠈⠐⠠⢀⣀⠉")  # no curve in the legend row


async def test_y_labels_are_values_of_the_data(home):
    """Lesson 01 with its gradient blanked (t): w stays 0.5, the loss 2.25: the labels are those
    (not 1.67, 0.79)."""
    lesson = load_lesson(LESSON_01)
    Workspace(home).save(lesson.id, blanked(lesson, lesson.exercises["gradient"]), lesson.source)
    app = make_app("01")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        plot, rows = await shown_chart(pilot, screen)
        chart = plot.chart
        assert chart.y_ticks[0] == 2.25 and chart.y_ticks[-1] == 0.5
        top, bottom = rows[chart.plot_rows[0]], rows[chart.plot_rows[-1]]
        assert top.lstrip().startswith("2.25┤") and bottom.lstrip().startswith("0.5┤")
        assert "0.79" not in "\n".join(rows) and "1.67" not in "\n".join(rows)


async def test_y_labels_lie_in_the_range_drawn_for_lesson_02(home):
    """Lesson 02 at lr 0.15: the cost starts at 16.9 and grows; every label is a drawn value."""
    save_code(home, LESSON_02, lr="0.15")
    app = make_app("02")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        assert screen.run.series["cost"][0] == pytest.approx(16.875)
        plot, rows = await shown_chart(pilot, screen)
        chart = plot.chart
        lo, hi = chart.y_range
        assert chart.y_ticks[0] == hi and chart.y_ticks[-1] == lo
        data_lo, data_hi = drawn_range(screen)
        assert data_lo <= lo < hi <= data_hi
        # the range is the values before the divergence: the labels stay readable
        before = [
            v
            for s in screen.run.series.values()
            for k, v in zip(screen.run.series_iterations, s, strict=True)
            if chart.diverged is None or k < chart.diverged
        ]
        assert (lo, hi) == (min(before), max(before))


async def test_divergence_is_drawn_and_marked(home):
    """Lesson 02 with lr = 50: w and the cost blow up at once; the chart says so, not blank."""
    save_code(home, LESSON_02, lr="50")
    app = make_app("02")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")
        plot, rows = await shown_chart(pilot, screen)
        assert plot.chart.diverged == 2
        assert "diverged at" in rows[0] and "2" in rows[0]
        curves = "".join(rows[r][plot.chart.left :] for r in plot.chart.plot_rows)
        drawn = [ch for ch in curves if "\u2801" <= ch <= "\u28ff"]
        assert len(drawn) > plot.chart.width - plot.chart.left  # a curve across the chart
        clipped = [span for span in plot.chart.spans if span[3] == "clipped"]
        assert clipped and {row for row, *_ in clipped} <= set(plot.chart.plot_rows)


async def test_log_scale_then_resize_does_not_crash(home):
    app = make_app("08")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        await pilot.press("end", "L")
        plot, rows = await shown_chart(pilot, screen)
        assert plot.chart.log and "log" in rows[0]
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        plot, rows = await shown_chart(pilot, screen)
        assert app.is_running and plot.chart.log
        assert plot.chart.width == plot.size.width and len(rows) == plot.size.height
        await pilot.resize_terminal(80, 24)
        await pilot.press("n", "L", "home", "L")
        plot, rows = await shown_chart(pilot, screen)
        assert app.is_running


THINNED_MD = """\
---
title: Counting
iteration: iteration
symbols:
  w: w
plots:
  series: [w]
---

## Grow {#grow}

$$ w \\leftarrow w + 1 $$
"""

THINNED_PY = """\
w = 0.0
for iteration in range(1, 5002):
    w = w + 1.0  # step: grow
"""


async def test_a_thinned_series_is_drawn_against_its_iterations(make_lesson, tmp_path):
    folder = make_lesson("01-count", md=THINNED_MD, py=THINNED_PY)
    app = make_app(str(folder), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        its = screen.run.series_iterations
        assert len(its) <= 2001 and its[0] == 1 and its[-1] == 5001  # the last one is kept
        assert list(screen.run.series["w"]) == [float(k) for k in its]  # w = its iteration
        plot, rows = await shown_chart(pilot, screen)
        chart = plot.chart
        assert chart.x_range == (1, 5001) and chart.xs == its
        assert rows[-1].rstrip().endswith("5001") and "2000" in rows[-1]
        # the middle iteration is drawn in the middle column, where the marker goes
        middle = chart.column(2501)
        assert middle == chart.left + (chart.width - chart.left) // 2
        screen.navigator.goto_event(screen.navigator.timeline.iteration_span(2501).start)
        screen.redraw()
        assert plot.current == 2501
        _, spans = plot_at(plot)
        assert {(c, k) for _, c, _, k in spans if k == "marker"} == {(middle, "marker")}


def plot_at(plot):
    from tutor.core.view.chart import at

    return at(plot.chart, plot.current)


# -- the decision boundary -------------------------------------------------------------------


async def wait_for_grid(pilot, view, size):
    for _ in range(300):
        if view.grid and (len(view.grid[0]), len(view.grid)) == size:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"no {size} grid: {len(view.grid[0]) if view.grid else 0} wide")


async def test_the_boundary_fills_its_pane_from_the_start_and_after_a_resize(home):
    from tutor.app.widgets.boundary import BoundaryView

    save_code(home, LESSONS_DIR / "05-two-inputs")
    app = make_app("05")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        view = screen.query_one(BoundaryView)
        assert screen.query_one("#viz").boundary_shown
        await wait_for_grid(pilot, view, (view.size.width, 2 * (view.size.height - 1)))
        assert len(view.grid[0]) > 8
        # The grid's worker names itself: Textual describes a worker by the repr of its
        # arguments unless told, for a Run its whole timeline (seconds per key on lesson 14).
        worker = screen.query_one("#viz")._compute(screen.run, 1, 0, 8, 4, ("probe",))
        assert len(worker.description) < 80
        await worker.wait()
        old = view.size
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert view.size != old
        # at once: the old grid stretched to the new size, never half of the pane
        lines = view.render().plain.split("\n")
        assert len(lines) == view.size.height
        assert all(len(line) == view.size.width for line in lines[:-1])
        await wait_for_grid(pilot, view, (view.size.width, 2 * (view.size.height - 1)))


# -- the network pane: sized to the drawing, scrolling to every part of it ----------------------
def seen_by_scrolling(view) -> list[str]:
    """Everything the pane shows, scrolled a screenful at a time over the whole drawing."""
    rows = view.drawing.rows
    width, height = view.scrollable_content_region.size
    grid = [[" "] * view.virtual_size.width for _ in rows]
    for y0 in sorted({*range(0, len(rows), height), int(view.max_scroll_y)}):
        for x0 in sorted({*range(0, view.virtual_size.width, width), int(view.max_scroll_x)}):
            view.scroll_to(x0, y0, animate=False, immediate=True)
            x, y = view.scroll_offset
            for line in range(height):
                text = view.render_line(line).text[:width]
                for i, char in enumerate(text):
                    if y + line < len(grid) and x + i < len(grid[0]):
                        grid[y + line][x + i] = char
    view.scroll_to(0, 0, animate=False, immediate=True)
    return ["".join(row).rstrip() for row in grid]


@pytest.mark.parametrize("size", [(120, 36), (200, 60)])
@pytest.mark.parametrize("lesson", ["07", "12", "13", "14"])
async def test_the_network_pane_reaches_the_whole_drawing(lesson, size):
    app = make_app(lesson)
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")
        await pilot.pause()
        view = screen.query_one(NetworkView)
        rows = view.drawing.rows
        assert view.virtual_size.height == len(rows)
        shown_whole = view.scrollable_content_region.height >= len(rows)
        assert shown_whole or view.max_scroll_y > 0  # all of it on screen, or a scroll away
        seen = seen_by_scrolling(view)
        assert seen == [row.rstrip() for row in rows]
        names = {node.label for node in screen.lesson.network.nodes}
        assert all(any(f"({name}" in line for line in seen) for name in names)
        if lesson in ("12", "13"):
            assert any("(ŷ₂" in line for line in seen)  # the output neurons are reached
        if lesson == "14":
            assert any("(p₂" in line for line in seen)  # the softmax outputs are reached


async def test_the_network_pane_is_as_tall_as_a_small_drawing():
    app = make_app("01")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        view = screen.query_one(NetworkView)
        assert len(view.drawing.rows) == 1
        assert view.size.height == 1  # the plots below get the rest
        assert view.max_scroll_y == 0
        assert "(ŷ" in view.render_line(0).text


async def test_the_network_maximized_shows_the_drawing_in_full():
    from textual.app import App
    from textual.containers import Horizontal
    from textual.widgets import Static

    from tutor.core.view.diagram import draw

    drawing = draw(load_lesson(LESSONS / "14-mini-batches").network)

    class Beside(App):
        CSS = "#values { width: 90; }"  # the drawing gets the 30 columns left

        def compose(self):
            with Horizontal():
                yield Static("values", id="values")
                yield NetworkView(id="network")

        def on_mount(self):
            self.query_one(NetworkView).show(drawing)

    app = Beside()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        view = app.query_one(NetworkView)
        assert view.can_focus
        assert view.max_scroll_x > 0  # in its pane the drawing is wider than the pane
        view.focus()
        assert view.max_scroll_y == 0  # as tall as the drawing
        await pilot.press("shift+right", "shift+right")
        await pilot.pause()
        assert view.scroll_offset.x > 0
        await pilot.press("shift+left", "shift+left")
        await pilot.pause()
        assert view.scroll_offset == (0, 0)
        app.screen.maximize(view)
        await pilot.pause()
        rows = drawing.rows
        assert view.max_scroll_x == 0 and view.max_scroll_y == 0
        assert [view.render_line(y).text.rstrip() for y in range(len(rows))] == [
            row.rstrip() for row in rows
        ]


async def test_the_network_pane_scrolls_to_what_changed():
    app = make_app("12")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(pilot)
        t = screen.navigator.timeline
        event = next(i for i in range(len(t)) if "W_o" in t.changed(i) and i > 0)
        screen.navigator.goto_event(event)
        screen.redraw()
        await pilot.pause()
        view = screen.query_one(NetworkView)
        active = [s for s in view.drawing.spans if s[3] == "edge-active"]
        assert active and view.max_scroll_x > 0  # the changed wires are out to the right
        row, start, end, _ = max(active, key=lambda s: s[2])
        x, y = view.scroll_offset
        width, height = view.scrollable_content_region.size
        assert x <= start and end <= x + width and y <= row < y + height
