"""Exercises, messages on screen and runs, driven by keys (Pilot) at fixed sizes.

The exercise says "your turn" and its hints in the equation pane (never toasts over the
code); the first ✓ says what it means; a lost step tag is flagged and put back; a run
can be cancelled, repeated ctrl+r does not queue runs, and the status says what happened.
"""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tutor.app import make_app
from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.picker import PickerScreen
from tutor.app.widgets.equation import EquationView
from tutor.app.widgets.status import StatusLine
from tutor.core.lesson.load import load_lesson
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner
from tutor.core.workspace import Workspace

from .conftest import LESSON_01, LESSONS
from .conftest import wait_for_lesson as ready

WIDE = (120, 36)
SMALL = (80, 24)
SHIPPED = load_lesson(LESSON_01)
SOURCE = SHIPPED.source
HINTS = SHIPPED.exercises["gradient"].hints
LOOP_ROW = 8  # for iteration in range(1, 21):
ENDLESS = SHIPPED.source.replace(
    "for iteration in range(1, 21):", "while True:\n    pass\nfor iteration in range(1, 21):"
)

pytestmark = pytest.mark.usefixtures("tutor_home")


def rows_of(screen: LessonScreen, kind: str) -> list[str]:
    return [r.text for r in screen.query_one(EquationView).rows if r.kind == kind]


def visible_lines(screen: LessonScreen) -> list[str]:
    """The equation pane's lines as drawn, in view."""
    view = screen.query_one(EquationView)
    height = view.scrollable_content_region.height
    return [view.render_line(y).text for y in range(height)]


async def go_to_step(pilot, screen: LessonScreen, step: str) -> None:
    t = screen.navigator.timeline
    screen.navigator.goto_event(next(i for i in range(len(t)) if t.step(i) == step))
    screen.redraw()
    await pilot.pause()


async def toasts(pilot) -> list[str]:
    await pilot.pause()
    return [n.message for n in pilot.app._notifications]


# -- the exercise in the panes ------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, WIDE])
async def test_the_exercise_step_says_your_turn_and_hints_are_rows_not_toasts(size):
    app = make_app("01")
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        await go_to_step(pilot, screen, "gradient")
        try_it = "Try it yourself: t blanks this step's code for you to write"
        assert rows_of(screen, "turn")[-1] == try_it  # the shipped code is complete
        assert "your turn" not in screen.editor.border_title
        before = screen.run
        await pilot.press("t")
        await until(pilot, lambda: screen.run is not before and not screen.runs.queue.busy)
        await pilot.pause()
        assert screen.editor.text.split("\n")[15] == "    dL_dw = 0.0  # step: gradient"
        assert screen.status.note.startswith("your turn: write line 16")
        turn = rows_of(screen, "turn")
        assert turn[-1] == "Your turn (line 16) — press h for a hint, e to edit"
        shown = visible_lines(screen)  # what is missing, and whose turn, both in view
        assert any("Your turn" in line for line in shown) and any("✗" in s for s in shown), shown
        assert "= ?   (a line for D to write)" in rows_of(screen, "turn")  # the derive waits
        assert "your turn" in screen.editor.border_title
        for k in range(1, 4):
            await pilot.press("h")
            assert rows_of(screen, "hint")[:k] == [
                f"Hint {n}/3: {HINTS[n - 1]}" for n in range(1, k + 1)
            ]
        assert rows_of(screen, "hint")[-1].startswith("(that was the last hint: S shows")
        await pilot.press("h")  # after the last: the same rows, nothing new
        assert len(rows_of(screen, "hint")) == 4
        assert any(line.startswith("Hint 1/3") for line in visible_lines(screen))
        assert await toasts(pilot) == []
        await pilot.press("home")  # another step: no "your turn" there
        assert rows_of(screen, "turn") == [] and "your turn" not in screen.editor.border_title
        await pilot.press("R", "y")  # reset: back to the complete code, nothing to write
        await until(pilot, lambda: not screen.runs.queue.busy and screen.run.source == SOURCE)
        await go_to_step(pilot, screen, "gradient")
        assert rows_of(screen, "turn")[-1] == try_it  # not solved by the reset: to try again
        assert screen.app.progress.solved(SHIPPED.id) == []


async def test_h_on_another_step_goes_to_the_exercise_and_shows_the_hint():
    app = make_app("01", preload=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("home")
        await pilot.press("h")  # no exercise started: nothing to hint at
        assert screen.status.note.startswith("no exercise started here: t blanks")
        before = screen.run
        await pilot.press("t")  # from any step: the first exercise's line is blanked
        await until(pilot, lambda: screen.run is not before and not screen.runs.queue.busy)
        await pilot.press("home")
        assert screen.navigator.timeline.step(screen.navigator.event) != "gradient"
        await pilot.press("h")
        await pilot.pause()
        assert screen.navigator.timeline.step(screen.navigator.event) == "gradient"
        assert rows_of(screen, "hint") == [f"Hint 1/3: {HINTS[0]}"]
        assert await toasts(pilot) == []


async def test_the_first_check_mark_says_what_it_means_once():
    app = make_app("01", preload=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("home")
        view = screen.query_one(EquationView)
        for _ in range(200):  # step to the first ✓
            if any(r.verdict is True for r in view.rows):
                break
            await pilot.press("right")
        rows = view.rows
        first = next(k for k, r in enumerate(rows) if r.verdict is True)
        assert rows[first + 1].text == "  (✓ = the code computed what the equation says)"
        step = screen.navigator.timeline.step(screen.navigator.event)
        for _ in range(200):  # the next step with a ✓: no explanation again
            await pilot.press("right")
            here = screen.navigator.timeline.step(screen.navigator.event)
            if here != step and any(r.verdict is True for r in view.rows):
                break
        assert here != step
        assert not [r for r in view.rows if "✓ =" in r.text]


# -- lost step tags -------------------------------------------------------------------------


async def test_a_lost_step_tag_is_flagged_under_the_code_and_ctrl_t_puts_it_back(tutor_home):
    edited = SHIPPED.source.replace(
        "dL_dw = dL_dy_hat * dy_hat_dw  # step: gradient", "dL_dw = 0.0"
    )
    Workspace(tutor_home).save(SHIPPED.id, edited, SHIPPED.source)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        error = str(screen.query_one("#error").render())
        assert (
            "lesson.py:16: this line lost its `# step: gradient` tag; its equation is no" in error
        )
        assert "ctrl+t puts it back" in error
        before = screen.run
        await pilot.press("ctrl+t")
        for _ in range(500):
            if screen.run is not before:
                break
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.editor.text.split("\n")[15] == "    dL_dw = 0.0  # step: gradient"
        assert "lost its" not in str(screen.query_one("#error").render())
        assert screen.run.lesson.step("gradient").lines == [16]  # checked again


# -- runs ----------------------------------------------------------------------------------


running: list[int] = [0]  # runs in progress, after each start (the last: now)
results: list = []


def counting(app: TutorApp) -> list[str]:
    """Count the runner's runs, how many at once, and keep their results (it calls through)."""
    calls: list[str] = []
    run = app.runner.run
    running[:] = [0]
    results.clear()

    def counted(path, source=None, *args, **kwargs):
        calls.append(source)
        running.append(running[-1] + 1)
        try:
            result = run(path, source, *args, **kwargs)
        finally:
            running.append(running[-1] - 1)
        results.append(result)
        return result

    app.runner.run = counted  # type: ignore[method-assign]
    return calls


async def until(pilot, condition) -> None:
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


async def test_ctrl_c_cancels_a_run_and_the_last_timeline_stays(tutor_home):
    Workspace(tutor_home).save(SHIPPED.id, ENDLESS, SHIPPED.source)
    app = TutorApp(LESSONS, lesson=LESSON_01, runner=Runner(Limits(time=60.0)))
    calls = counting(app)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.runner._running)
        screen = app.screen
        # The first run too (its events show as they stream in: "recording…").
        assert screen.status.note.startswith(("running", "recording"))
        await pilot.press("ctrl+c")  # 60 s limit: only the cancel ends it now
        await until(pilot, lambda: not screen.runs.queue.busy)
        await pilot.pause()
        assert "run cancelled" in screen.status.note
        # Back to the shipped code, then an endless edit: cancelling keeps the good run.
        screen.editor.replace_text(SHIPPED.source)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: screen.run is not None and not screen.runs.queue.busy)
        await pilot.pause()
        good = screen.run
        assert good.error is None and screen.status.note == ""
        screen.editor.replace_text(ENDLESS)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: app.runner._running)
        assert screen.status.note.startswith("running your code")
        await pilot.press("right")  # every redraw while running still says so
        assert screen.status.note.startswith("running your code")
        for _ in range(4):  # the same code again: nothing queued
            await pilot.press("ctrl+r")
        await pilot.press("ctrl+c")
        await until(pilot, lambda: not screen.runs.queue.busy)
        await pilot.pause()
        assert screen.run is good and screen.navigator.timeline is good.timeline
        assert screen.status.note == "run cancelled: the steps shown are from the last run"
        assert len(calls) == 3  # first, shipped, endless once (not five times)


async def test_newer_code_while_running_replaces_the_run_instead_of_queueing(tutor_home):
    Workspace(tutor_home).save(SHIPPED.id, ENDLESS, SHIPPED.source)
    app = TutorApp(LESSONS, lesson=LESSON_01, runner=Runner(Limits(time=60.0)))
    calls = counting(app)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.runner._running)
        screen = app.screen
        for k in range(5):  # five edits, five ctrl+r: the endless run is cancelled, one waits
            screen.editor.replace_text(SHIPPED.source.replace("lr = 0.1", f"lr = 0.{k + 1}"))
            await pilot.press("ctrl+r")
        await until(pilot, lambda: screen.run is not None and not screen.runs.queue.busy)
        await pilot.pause()
        # One run at a time, never a queue: an older code's run is cancelled (or had ended).
        assert max(running) == 1
        assert results[0].error.kind == "cancelled"  # the endless one
        assert all(r.error is None or r.error.kind == "cancelled" for r in results)
        assert calls[-1] == screen.editor.text and "lr = 0.5" in calls[-1]
        assert screen.run.source == calls[-1] and screen.run.error is None


async def test_after_a_failed_run_the_status_says_what_failed():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        text = SHIPPED.source.replace(
            "for iteration in range(1, 21):", "x = 1 / 0\nfor iteration in range(1, 21):"
        )
        screen.editor.replace_text(text)
        before = screen.run
        await pilot.press("ctrl+r")
        await until(pilot, lambda: screen.run is not before and not screen.runs.queue.busy)
        await pilot.pause()
        assert screen.status.note == "your code raised ZeroDivisionError on line 9"
        await pilot.press("escape")  # leaving the editor: what failed, not "has not run yet"
        assert screen.status.note == "your code raised ZeroDivisionError on line 9"
        await pilot.press("e")
        screen.editor.replace_text(SHIPPED.source.replace("lr = 0.1", "lr = 0.1 +"))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: not screen.runs.queue.busy)
        await pilot.pause()
        await pilot.press("escape")
        assert screen.status.note.startswith("syntax error on line 6: fix it and ctrl+r")


# -- picker, palette, status -------------------------------------------------------------


async def test_the_picker_indents_wrapped_summaries_and_returns_to_the_lesson_left():
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        lesson = next(x for x in picker.lessons if x.id == "05-two-inputs")
        prompt = str(picker._prompt(lesson)).split("\n")
        assert len(prompt) >= 3  # the summary wraps at 80 columns
        assert all(line.startswith(" " * 21) and line[21] != " " for line in prompt[1:])
        await pilot.press("down", "down", "enter")
        screen = await ready(pilot)
        assert screen.lesson.id.startswith("03")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        options = app.screen.query_one("#lessons", OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == screen.lesson.id


async def test_the_palette_writes_keys_as_the_key_bar_does():
    app = make_app("01", preload=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        helps = {c.title: c.help for c in app.get_system_commands(screen)}
        assert helps["Help"] == "Help (key: ?)"
        assert helps["Next"] == "Next (key: →)"
        assert not [h for h in helps.values() if "question_mark" in h or "square_bracket" in h]


@pytest.mark.parametrize("size", [SMALL, WIDE])
async def test_the_status_keeps_the_title_with_a_long_note(size):
    app = make_app("01", preload=True)
    note = "your code raised ZeroDivisionError on line 8"
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        status = screen.query_one(StatusLine)
        status.show(status.where, note)
        await pilot.pause()
        line = str(status.render())
        assert line.startswith(" 01-one-neuron")  # shortened maybe, never dropped
        assert line.rstrip().endswith(status.where.rstrip())  # the position stays whole
        assert ("  " + note if size == WIDE else "  your code raised") in line
        assert len(line) <= size[0]


async def test_leaving_the_lesson_cancels_its_run(tutor_home):
    Workspace(tutor_home).save(SHIPPED.id, ENDLESS, SHIPPED.source)
    app = TutorApp(LESSONS, lesson=LESSON_01, runner=Runner(Limits(time=60.0)))
    counting(app)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.runner._running)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen) and len(results) == 1)
        assert results[0].error.kind == "cancelled"  # not the 60 s time limit
