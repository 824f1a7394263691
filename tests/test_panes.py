"""Every pane is reached from the keyboard: tab stops, the focus mark, scrolling, maximize; the
key bar fits; a flood of keys is drawn once, where it ends."""

from __future__ import annotations

import pytest
from textual import events

from tutor.app import make_app
from tutor.app.screens.panes import HINT, pane_of
from tutor.app.widgets.key_bar import KeyBar
from tutor.app.widgets.lesson_text import LessonView
from tutor.app.widgets.status import StatusLine

from .conftest import wait_for_lesson as ready

pytestmark = pytest.mark.usefixtures("tutor_home")

WIDE, SMALL, LARGE = (120, 36), (80, 24), (200, 60)


async def test_tab_reaches_each_pane_once_and_marks_it():
    app = make_app("05")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.3)
        seen = []
        for _ in range(12):
            await pilot.press("tab")
            await pilot.pause()
            pane = pane_of(app.focused)
            assert pane is not None, app.focused  # every tab stop is a pane
            assert pane.border_subtitle == HINT  # the focused pane names its keys
            others = [p for p in screen.query(".pane") if p is not pane]
            assert all(not p.border_subtitle for p in others)
            if pane.id in seen:
                break
            seen.append(pane.id)
        assert {"lesson-pane", "equation-pane", "code-pane"} <= set(seen)
        assert len(seen) == len(set(seen))


async def test_the_focused_lesson_text_scrolls_and_stepping_keys_still_step():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.3)
        text = screen.query_one(LessonView)
        screen.set_focus(text)
        await pilot.pause()
        top = text.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert text.scroll_y > top
        after = text.scroll_y
        await pilot.press("up")
        await pilot.pause(0.3)
        assert text.scroll_y == after - 1
        before = screen.navigator.event
        await pilot.press("right")
        await pilot.pause()
        assert screen.navigator.event == before + 1 and app.focused is text


@pytest.mark.parametrize("size", [WIDE, LARGE])
async def test_m_maximizes_the_focused_pane_and_m_or_escape_restores_it(size):
    app = make_app("01")
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.3)
        code = screen.query_one("#code")
        screen.set_focus(code)
        await pilot.pause()
        normal = screen.query_one("#code-pane").region
        for restore in ("m", "escape"):
            await pilot.press("m")
            await pilot.pause()
            pane = screen.query_one("#code-pane")
            assert screen.maximized is pane
            assert pane.region.width == size[0] and pane.region.height == size[1] - 2
            assert screen.query_one(StatusLine).region.height == 1  # the status stays
            await pilot.press("right")  # still steps while maximized
            await pilot.pause()
            await pilot.press(restore)
            await pilot.pause()
            assert screen.maximized is None
            assert screen.query_one("#code-pane").region == normal
            assert screen.query_one("#lesson-pane").region.height > 5


@pytest.mark.parametrize("size", [SMALL, WIDE, LARGE])
async def test_the_key_bar_fits_and_names_the_main_keys(size):
    app = make_app("01")
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        bar = screen.query_one(KeyBar)
        shown = str(bar.render()).rstrip()
        assert len(shown) <= size[0]
        for key in ("→", "←", "space", "e", "l", "?", "q", "t"):
            assert f" {key} " in f"{shown} ", key
        assert "ctrl+r" in shown or "^r" in shown


async def test_a_flood_of_keys_is_drawn_once_where_it_ends(no_predicts):
    app = make_app("05")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.3)
        drawn = []
        redraw = screen.redraw
        screen.redraw = lambda: (drawn.append(screen.navigator.position), redraw())  # type: ignore[method-assign]
        for _ in range(300):
            app._driver.send_message(events.Key("right", None))  # as fast as a paste
        for _ in range(100):
            await pilot.pause()
            if drawn and drawn[-1].event >= 200:
                break
        await pilot.pause()
        assert screen.navigator.event >= 200
        assert drawn[-1] == screen.navigator.position  # the last drawing shows where it ended
        assert len(drawn) < 100  # not one drawing per key


@pytest.mark.parametrize("size, rows", [(WIDE, 8), (LARGE, 20)])
async def test_the_chart_gets_the_rows_the_code_does_not_need(size, rows):
    app = make_app("01")
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.3)
        chart = screen.query_one("#series-plot")
        assert chart.region.height - 2 >= rows  # curves, between the legend and the axis
        code = screen.query_one("#code")
        assert code.size.height >= 16  # and all 16 lines of lesson 01's code are in view


async def test_a_pane_with_a_height_cap_fills_the_screen_when_maximized():
    app = make_app("14")
    async with app.run_test(size=LARGE) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.3)
        screen.set_focus(screen.query_one("#network"))
        await pilot.press("m")
        await pilot.pause()
        pane = screen.query_one("#network-pane")
        assert screen.maximized is pane and pane.region.height == LARGE[1] - 2
        await pilot.press("escape")
        await pilot.pause()
        assert pane.region.height < LARGE[1] // 2 + 10 and not pane.styles.inline.has_rule(
            "max_height"
        )
