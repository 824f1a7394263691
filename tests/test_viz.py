"""Plots and the network pane: the boundary grid against direct evaluation, panes on screen."""

from __future__ import annotations

import math
import textwrap

import pytest

from tutor.app import make_app
from tutor.app.widgets.network import NetworkView
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
    lesson = load_lesson(LESSON_01)
    Workspace(folder).save(lesson.id, lesson.solved_source(), lesson.source)
    return folder


async def test_network_pane_follows_the_events():
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
@pytest.mark.parametrize("lesson", ["07", "09", "10"])
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
        if lesson == "09":
            assert any("(ŷ₂" in line for line in seen)  # the output neurons are reached


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

    drawing = draw(load_lesson(LESSONS / "10-mini-batches").network)

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
    app = make_app("09")
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
