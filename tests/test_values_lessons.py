"""The values pane on real lessons (Pilot, fixed sizes): the assigned variables in view, every
number whole and equal to the timeline's, arrays as grids, and the inspector."""

from __future__ import annotations

import pytest

from tutor.app import make_app
from tutor.app.screens.inspector import InspectorScreen
from tutor.app.screens.lesson import LessonScreen
from tutor.app.widgets.values import ValuesView
from tutor.core.numbers import MINUS

from .conftest import wait_for_lesson

pytestmark = pytest.mark.usefixtures("tutor_home")


def go_to_step(screen: LessonScreen, step: str, iteration: int = 1) -> None:
    t = screen.navigator.timeline
    span = t.iteration_span(iteration)
    screen.navigator.goto_event(next(i for i in span if t.step(i) == step))
    screen.redraw()


def on_screen(view: ValuesView) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def number(text: str) -> float:
    return float(text.replace(MINUS, "-"))


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_lesson_05_exercise_shows_the_gradient_and_the_delta_it_needs(size):
    app = make_app("05")
    async with app.run_test(size=size) as pilot:
        screen = await wait_for_lesson(pilot)
        if screen.has_class("-show-lesson"):  # a small screen opens on the lesson text
            await pilot.press("l")
        go_to_step(screen, "gradient-w2", 2)
        await pilot.pause()
        shown = on_screen(screen.query_one(ValuesView))
        assert "● dL_dw2" in shown
        assert "  delta " in shown


@pytest.mark.parametrize("size", [(120, 36), (200, 60)])
async def test_lesson_07_skip_gradients_shows_dl_du1(size):
    app = make_app("07")
    async with app.run_test(size=size) as pilot:
        screen = await wait_for_lesson(pilot)
        go_to_step(screen, "skip-gradients")
        await pilot.pause()
        assert "● dL_du1" in on_screen(screen.query_one(ValuesView))


async def test_every_number_of_lesson_02_is_whole_and_the_timelines():
    app = make_app("02")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_lesson(pilot)
        await pilot.press("l")  # a small screen opens on the lesson text: l shows the panes
        await pilot.pause()
        view, nav = screen.query_one(ValuesView), screen.navigator
        t = nav.timeline
        nav.first()
        checked = 0
        while True:
            screen.redraw()
            lines, now = view.lines, t.values(nav.event)
            for row, (start, stop) in zip(view.rows, view.spans().values(), strict=True):
                value = now[row.name]
                entry = " ".join(lines[start:stop])
                assert "…" not in entry
                if isinstance(value, bool) or not isinstance(value, int | float):
                    continue
                words = entry[2:].split()
                assert words[0] == row.name
                assert number(words[1]) == pytest.approx(value, rel=1e-5, abs=1e-300)
                assert words[2:] == ([row.change] if row.change else [])
                checked += 1
            if not nav.next():
                break
        assert checked > 3000
        assert nav.event == len(t) - 1


async def test_arrays_are_grids_with_their_shape():
    app = make_app("12")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_lesson(pilot)
        go_to_step(screen, "hidden")
        await pilot.pause()
        view = screen.query_one(ValuesView)
        start, stop = view.spans()["z_h"]
        lines = view.lines[start:stop]
        assert lines[0].split() == ["●", "z_h", "(2×1)", "new"]
        z_h = screen.navigator.timeline.value("z_h", screen.navigator.event)
        cells = [number(line.strip(" ⎡⎣⎤⎦")) for line in lines[1:]]
        assert cells == pytest.approx(z_h[:, 0].tolist(), rel=1e-3)
        assert all(line in on_screen(view) for line in lines)


async def test_enter_opens_the_inspector_with_the_history_and_esc_closes_it():
    app = make_app("05")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_lesson(pilot)
        go_to_step(screen, "weighted-sum", 3)
        view = screen.query_one(ValuesView)
        view.focus()
        await pilot.pause()
        assert view.cursor == "z"  # following the line's variable
        await pilot.press("enter")
        await pilot.pause()
        inspector, t = app.screen, screen.navigator.timeline
        assert isinstance(inspector, InspectorScreen)
        page = inspector.page.plain.split("\n")
        assert inspector.heading.plain == "z  ·  now: after event 149, iteration 3"
        assert number(page[0]) == pytest.approx(t.value("z", screen.navigator.event), rel=1e-12)
        ends = [t.value("z", t.iteration_span(k).stop - 1) for k in (1, 2, 3)]
        history = [line for line in page if line[2:].split()[:1] in (["1"], ["2"], ["3"])]
        assert [number(line.split()[-1]) for line in history[:3]] == pytest.approx(ends, rel=1e-5)
        assert history[2].startswith("▶ ")  # the current iteration
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and view.has_focus
