"""The code pane, its output box and the lesson text, driven by keys (Pilot) at fixed sizes:
what has to be on screen is on screen (the current line, the error line, every printed
line, the editor's cursor, the section of the current step, the next lesson)."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from tutor.app import make_app
from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.widgets.code import CodeView, view_top
from tutor.app.widgets.lesson_text import MORE, LessonView, split_closing
from tutor.app.widgets.output import OutputView
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner

from .conftest import LESSON_01
from .conftest import wait_for_lesson as ready

WIDE, SMALL, BIG = (120, 36), (80, 24), (200, 60)

pytestmark = pytest.mark.usefixtures("tutor_home")  # every test gets its own data folder


def on_screen(screen: LessonScreen, line: int) -> bool:
    """Whether 1-based ``line`` of the code view is drawn where the learner can see it:
    inside the view's rows, above the output box and the error strip."""
    code = screen.query_one(CodeView)
    region = code.scrollable_content_region
    row = line - 1 - code.scroll_offset.y
    if not (line >= 1 and 0 <= row < region.height):
        return False
    y = region.y + row
    for below in (screen.query_one("#output"), screen.query_one("#error")):
        if below.display and below.region.height and below.region.y <= y:
            return False
    return True


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause(0.3)  # the lesson text follows a moment after the last key
    await pilot.pause()


# -- the current line ------------------------------------------------------------------------


@pytest.mark.parametrize("lesson", ["01", "02", "04"])
async def test_the_current_line_is_on_screen_at_the_end(lesson):
    app = make_app(lesson)
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")
        await settle(pilot)
        code = screen.query_one(CodeView)
        assert screen.query_one(OutputView).has_class("-shown")  # the print came out
        assert on_screen(screen, code.current_line), (code.current_line, code.scroll_offset)


async def test_the_current_line_stays_on_screen_when_the_terminal_shrinks():
    app = make_app("05")
    async with app.run_test(size=BIG) as pilot:
        screen = await ready(pilot)
        t = screen.navigator.timeline
        screen.navigator.goto_event(next(i for i in range(len(t)) if t.step(i) == "update"))
        screen.redraw()
        await settle(pilot)
        code = screen.query_one(CodeView)
        source = screen.lesson.source.splitlines()
        update = source.index("    w1 = w1 - lr * dJ_dw1  # step: update") + 1  # line 48
        assert update > 40  # far enough down to scroll at the small size
        assert code.current_line == update and on_screen(screen, update)
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert screen.has_class("-narrow")
        assert on_screen(screen, update), code.scroll_offset
        await pilot.resize_terminal(*WIDE)
        await settle(pilot)
        assert on_screen(screen, update), code.scroll_offset


ENDLESS_MD = "---\ntitle: Endless\n---\n\n# Endless\n\nA loop that never ends.\n"
ENDLESS_PY = (
    "def heavy():\n"
    "    return sum(range(3_000_000))\n"  # line 2: where the time limit stops it
    "\n"
    + "".join(f"a{i} = {i}\n" for i in range(4, 26))  # lines 4-25, one event each
    + "while True:\n"
    "    heavy()\n"
)


async def test_the_error_line_is_on_screen_after_the_time_limit(make_lesson, tmp_path):
    folder = make_lesson("01-endless", md=ENDLESS_MD, py=ENDLESS_PY)
    app = TutorApp(tmp_path, lesson=folder, runner=Runner(Limits(time=1.0)))
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.run.error is not None and screen.run.error.kind == "timeout"
        code = screen.query_one(CodeView)
        assert code.error_line == 2  # inside heavy(): the sum was running
        for _ in range(9):  # event 0 is line 1, then one line each from line 4
            await pilot.press("right")
        await settle(pilot)
        assert code.current_line == 12
        assert on_screen(screen, 12), code.scroll_offset
        assert on_screen(screen, 2), code.scroll_offset  # both fit: both are shown


def test_the_view_top_depends_on_the_lines_and_the_height_alone():
    assert view_top(0, -1, 10, 50) == 0
    assert view_top(7, -1, 10, 50) == 5  # pages of height - 3, two rows of context above
    assert view_top(48, -1, 10, 50) == 40  # never past the end of the text
    assert view_top(11, 1, 13, 50) == 0  # the error line fits too: both in view
    assert view_top(30, 1, 13, 50) == view_top(30, -1, 13, 50)  # too far apart: the current
    assert view_top(-1, 30, 10, 50) == view_top(30, -1, 10, 50)  # no current line
    assert view_top(5, -1, 0, 50) is None


# -- the output box ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [BIG, WIDE])
async def test_the_output_box_has_every_printed_line_and_shows_the_newest(size):
    app = make_app("05")
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")
        await settle(pilot)
        output = screen.query_one(OutputView)
        printed = screen.navigator.timeline.output_text().rstrip("\n").split("\n")
        assert len(printed) == 8
        assert list(output.lines) == printed
        rows = output.scrollable_content_region.height
        top = output.scroll_offset.y
        assert top + rows == len(printed)  # the newest line at the bottom, in view
        subtitle = screen.query_one("#code-pane").border_subtitle
        if size == BIG:
            assert rows == len(printed) and top == 0  # room for all of them
            assert subtitle == ""
        else:
            assert 1 <= rows < len(printed) and output.max_scroll_y == top  # it scrolls
            assert subtitle == f"↑ {top} more printed"
            output.scroll_to(y=0, animate=False, immediate=True)
            await pilot.pause()
            assert screen.query_one("#code-pane").border_subtitle == ""
        code = screen.query_one(CodeView)
        assert on_screen(screen, code.current_line)


# -- editing -------------------------------------------------------------------------------


async def test_leaving_the_editor_leaves_no_sideways_scroll():
    app = make_app("01")
    async with app.run_test(
        size=(100, 36)
    ) as pilot:  # lesson 01's lines are wider than its code pane
        screen = await ready(pilot)
        code = screen.query_one(CodeView)
        code.scroll_to(x=1, animate=False, immediate=True)  # say the wheel moved it
        await pilot.pause()
        assert code.scroll_offset.x == 1
        await pilot.press("e")
        await pilot.pause()
        editor = screen.query_one("#editor", TextArea)
        editor.move_cursor((4, 0))
        await pilot.press("end", *" # Now a comment long enough to scroll the editor sideways")
        await pilot.pause()
        assert editor.scroll_offset.x > 0
        assert app.screen is screen and "# Now a comment" in editor.text  # N typed, not obeyed
        await pilot.press("escape")
        await pilot.pause()
        assert code.scroll_offset.x == 0
        await pilot.press("right", "e")
        await pilot.pause()
        assert editor.scroll_offset.x == 0  # back at the start of the lines


async def test_the_editor_keeps_the_bad_line_in_view_after_a_syntax_error():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = screen.query_one("#editor", TextArea)
        row = 12  # dL_dw = 0.0  # your turn  # step: gradient: near the editor's bottom
        editor.selection = Selection((row, 12), (row, 15))
        await pilot.press(*"(0.0")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen.query_one("#error").has_class("-shown")
        assert editor.cursor_location[0] == row
        top, rows = editor.scroll_offset.y, editor.scrollable_content_region.height
        assert top <= row < top + rows, (top, rows)


# -- the lesson text -----------------------------------------------------------------------


async def test_the_lesson_text_follows_loop_headers_and_ends_with_the_next_lesson(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        lesson_view = screen.query_one(LessonView)
        t = screen.navigator.timeline
        header = t.iteration_span(2).start  # for iteration in range(1, 21): round 2
        assert t.line(header) == 9
        screen.navigator.goto_event(header)
        screen.redraw()
        await settle(pilot)
        assert lesson_view.current == "predict"
        section = lesson_view.sections["predict"]
        assert section.virtual_region.y == lesson_view.scroll_offset.y  # at the pane's top
        await pilot.press("end")
        await settle(pilot)
        assert lesson_view.current == "end"
        end = lesson_view.sections["end"]
        assert "What you can do now" in str(end.query_one("#closing").source)
        offer = str(end.query_one("#next-lesson").render())
        assert offer == "Next: 02 · Many examples — press N"
        bottom = lesson_view.scroll_offset.y + lesson_view.scrollable_content_region.height
        assert end.virtual_region.bottom <= bottom  # the whole end, the offer too, in view
        await pilot.press("N")
        for _ in range(200):
            if isinstance(app.screen, LessonScreen) and app.screen is not screen:
                break
            await pilot.pause(0.02)
        nxt = await ready(pilot)
        assert nxt.lesson.id == "02-many-examples"
        assert app.progress.position("01-one-neuron") == len(t) - 1  # the place was saved


async def test_the_lesson_text_scrolls_with_keys_and_says_there_is_more():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        lesson_view = screen.query_one(LessonView)
        t = screen.navigator.timeline
        screen.navigator.goto_event(next(i for i in range(len(t)) if t.step(i) == "gradient"))
        screen.redraw()
        await settle(pilot)
        pane = screen.query_one("#lesson-pane")
        assert lesson_view.more_below and pane.border_subtitle == MORE  # "Your turn" is below
        lesson_view.focus()
        await pilot.pause()
        top = lesson_view.scroll_offset.y
        await pilot.press("down")
        assert lesson_view.scroll_offset.y == top + 1
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert lesson_view.scroll_offset.y > top + 1
        assert not lesson_view.more_below and pane.border_subtitle == ""
        await pilot.press("pageup")
        assert lesson_view.scroll_offset.y < lesson_view.max_scroll_y


def test_the_closing_words_are_the_last_subsection():
    text = "Body.\n\n```text\n### not a heading\n```\n\n### Numbers\n\nA.\n\n### Now\n\nB.\n"
    rest, closing = split_closing(text)
    assert closing == "### Now\n\nB.\n" and rest.endswith("### Numbers\n\nA.\n")
    assert split_closing("No subsections.\n") == ("No subsections.\n", "")


async def test_the_last_lesson_offers_no_next_one():
    last = max(p.name for p in LESSON_01.parent.iterdir() if (p / "lesson.md").is_file())
    app = make_app(last)
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("end")
        await settle(pilot)
        offer = str(screen.query_one("#next-lesson").render())
        assert offer.startswith("That was the last lesson")
        await pilot.press("N")
        await pilot.pause()
        assert app.screen is screen
