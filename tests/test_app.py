"""The app driven by keys (Pilot): picker, stepping, derivations, play, errors, sizes, resume."""

from __future__ import annotations

import pytest

from tutor.app import make_app
from tutor.app.screens.help import HelpScreen
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.picker import PickerScreen
from tutor.app.widgets.code import CodeView
from tutor.app.widgets.equation import EquationView
from tutor.app.widgets.key_bar import KeyBar
from tutor.app.widgets.status import StatusLine
from tutor.app.widgets.values import ValuesView

from .conftest import LESSONS
from .conftest import wait_for_lesson as ready

WIDE, SMALL = (120, 36), (80, 24)


pytestmark = pytest.mark.usefixtures("tutor_home")  # every test gets its own data folder


def state(screen: LessonScreen) -> tuple:
    """Everything the learner sees that depends on the position."""
    return (
        screen.navigator.position,
        screen.query_one(CodeView).current_line,
        tuple(screen.query_one(ValuesView).rows),
        tuple(screen.query_one(EquationView).rows),
        screen.query_one(StatusLine).where,
    )


def event_of_step(screen: LessonScreen, step: str, nth: int = 0) -> int:
    t = screen.navigator.timeline
    return [i for i in range(len(t)) if t.step(i) == step][nth]


async def test_picker_lists_lessons_and_enter_opens_one():
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        ids = [lesson.id for lesson in app.screen.lessons]
        assert "01-one-neuron" in ids
        await pilot.press("enter")
        screen = await ready(pilot)
        assert screen.lesson.id == ids[0]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_picker_shows_broken_lessons_with_their_problem(make_lesson, tmp_path):
    make_lesson("01-good")
    make_lesson("02-broken", md="no front matter\n")
    app = make_app(lessons_dir=tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        picker = app.screen
        options = picker.query_one("#lessons").options
        broken = next(o for o in options if o.id == "02-broken")
        assert broken.disabled and "lesson.md:1" in str(broken.prompt)


async def test_first_event_and_stepping_forward():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        t = screen.navigator.timeline
        assert screen.navigator.event == 0
        assert screen.query_one(CodeView).current_line == 3  # x = 1.0
        assert "event 1/187" in screen.query_one(StatusLine).where
        assert "iteration 0/20" in screen.query_one(StatusLine).where
        await pilot.press("right")
        assert screen.navigator.event == 1
        assert screen.query_one(CodeView).current_line == 4  # y = 2.0  # step: target
        rows = {r.name: (r.text, r.assigned) for r in screen.query_one(ValuesView).rows}
        assert rows["y"] == ("2.0", True) and rows["x"] == ("1.0", False)
        assert "step: target · event 2/187" in screen.query_one(StatusLine).where
        rows = screen.query_one(EquationView).rows
        assert rows[0].text == "The example"  # the step's title, then its equation with numbers
        assert [r.text for r in rows if r.kind == "math"] == ["y = 2x"]
        assert [r.shown() for r in rows if r.kind == "numbers"] == ["  = 2 · 1.0 = 2.0  ✓"]
        assert t.step(screen.navigator.event) == "target"


async def test_derivation_reveals_line_by_line_and_hides_again():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        gradient = event_of_step(screen, "gradient")
        screen.navigator.goto_event(gradient - 1)
        screen.redraw()
        equation = screen.query_one(EquationView)

        def shown() -> int:  # equation lines on screen, each with its numbers and a ✓
            checks = [r for r in equation.rows if r.kind == "numbers" and r.verdict is True]
            return len(checks)

        await pilot.press("right")
        assert screen.navigator.event == gradient and shown() == 1
        assert any("more line of the derivation" in r.text for r in equation.rows)
        await pilot.press("right")  # the second line is a derive exercise's: D writes it
        assert screen.navigator.event == gradient and shown() == 1
        assert any("D writes this line" in r.text for r in equation.rows)
        await pilot.press("left")
        assert shown() == 1 and not any("D writes" in r.text for r in equation.rows)
        await pilot.press("left")
        assert screen.navigator.event == gradient - 1

        app.progress.mark_solved(screen.lesson.id, "gradient-in-full")  # written once: shown
        await pilot.press("right", "right")
        assert screen.navigator.event == gradient and shown() == 2


async def test_back_stepping_restores_the_screen():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        for _ in range(7):
            await pilot.press("right")
        before = state(screen)
        await pilot.press("right", "right", "left", "left")
        assert state(screen) == before


async def test_iteration_keys_home_end_and_go_to():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        t = screen.navigator.timeline
        update = event_of_step(screen, "update")
        screen.navigator.goto_event(update)
        screen.redraw()
        await pilot.press("right_square_bracket")
        assert (
            t.iteration(screen.navigator.event) == 2 and t.step(screen.navigator.event) == "update"
        )
        assert screen.query_one(CodeView).current_line == 17
        await pilot.press("left_square_bracket")
        assert screen.navigator.event == update
        await pilot.press("end")
        assert screen.navigator.event == len(t) - 1
        assert "event 187/187 · iteration 20/20" in screen.query_one(StatusLine).where
        await pilot.press("home")
        assert screen.navigator.event == 0
        screen.navigator.goto_event(update)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("5", "enter")
        await pilot.pause()
        assert (
            t.iteration(screen.navigator.event) == 5 and t.step(screen.navigator.event) == "update"
        )


async def test_play_and_pause(no_predicts):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("plus", "plus", "plus")  # 32 events per second
        await pilot.press("space")
        assert screen.player.playing
        assert "playing" in screen.query_one(StatusLine).note
        await pilot.pause(0.5)
        await pilot.press("space")
        assert not screen.player.playing
        moved = screen.navigator.event
        assert moved > 3
        await pilot.pause(0.3)
        assert screen.navigator.event == moved  # paused: it stays


async def test_a_lesson_whose_code_raises(make_lesson, tmp_path):
    py = "x = 1.0\nw = 0.5\ny_hat = w * x / 0  # step: predict\nw = w + 0.5  # step: update\n"
    folder = make_lesson("01-fails", py=py)
    app = make_app(str(folder), tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        error = screen.query_one("#error")
        assert error.has_class("-shown")
        assert "lesson.py:3: ZeroDivisionError" in str(error.render())
        assert screen.query_one(CodeView).error_line == 3
        assert len(screen.navigator.timeline) == 2  # the two lines before the failure
        await pilot.press("right")
        assert screen.navigator.event == 1 and screen.query_one(CodeView).current_line == 2
        assert "stopped" in screen.query_one(StatusLine).note


@pytest.mark.parametrize("size", [SMALL, WIDE])
async def test_panes_at_each_size(size):
    app = make_app("01")
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        if size == SMALL:  # a small screen opens on the lesson text; l brings the code
            assert screen.query_one("#lesson-pane").region.height > 5
            assert screen.query_one("#code-pane").region.height == 0
            await pilot.press("l")
            await pilot.pause()
            assert screen.query_one("#lesson-pane").region.height == 0
        for pane in ("#code-pane", "#equation-pane", "#values-pane"):
            region = screen.query_one(pane).region
            assert region.width > 10 and region.height >= 5, pane
        assert screen.has_class("-narrow") == (size == SMALL)


async def test_small_screen_switches_between_the_lesson_text_and_the_code_on_l():
    app = make_app("01")
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(pilot)
        assert "l lesson" in str(screen.query_one(KeyBar).render())  # the key is named
        for _ in range(2):
            await pilot.press("l")
            await pilot.pause()
            assert screen.query_one("#lesson-pane").region.height == 0
            assert screen.query_one("#code-pane").region.height > 5
            await pilot.press("l")
            await pilot.pause()
            assert screen.query_one("#lesson-pane").region.height > 5


async def test_resizing_keeps_the_position_and_the_layout():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("right", "right", "right")
        before = state(screen)
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert screen.has_class("-narrow")
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert state(screen) == before
        assert screen.query_one("#lesson-pane").region.height > 0


async def test_help_lists_every_key_and_closes():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {b.description for b in app.screen.bindings}
        assert {b.description for b in LessonScreen.BINDINGS} <= described
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_every_action_is_in_the_command_palette():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {b.description for b in LessonScreen.BINDINGS} <= titles


async def test_quit_saves_the_position_and_the_tutor_resumes_there(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        for _ in range(5):
            await pilot.press("right")
        event = screen.navigator.event
        await pilot.press("q")
        await pilot.pause()
    assert (tutor_home / "progress.json").exists()
    again = make_app(lessons_dir=LESSONS)  # no lesson named: resume
    async with again.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.lesson.id == "01-one-neuron"
        assert screen.navigator.event == event


async def test_corrupt_progress_file_does_not_stop_the_tutor(tutor_home):
    tutor_home.mkdir(parents=True, exist_ok=True)
    (tutor_home / "progress.json").write_text("{ not json")
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert any(p.name.startswith("progress.json.corrupt-") for p in tutor_home.iterdir())


async def test_a_preloaded_run_whose_first_line_raises(make_lesson, tmp_path):
    py = "x = 1.0 / 0  # step: predict\nw = 0.5  # step: update\n"
    folder = make_lesson("01-fails-at-once", py=py)
    app = make_app(str(folder), tmp_path, preload=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("right", "left", "end")
        assert len(screen.navigator.timeline) == 0
        assert "ZeroDivisionError" in str(screen.query_one("#error").render())
        assert "no line ran" in screen.query_one(ValuesView).message
        assert screen.query_one(StatusLine).where == "step: — · event 0/0 · iteration 0/0"
