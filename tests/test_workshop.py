"""The learner's workshop, driven by keys (Pilot): edit, rerun, exercises, hints, reset, diff.

Lesson 01 ships complete; its code exercise starts when the learner presses t, which blanks
the gradient line to ``dL_dw = 0.0`` for them to write back.
"""

from __future__ import annotations

import json
import re

import pytest
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from tutor.app import make_app
from tutor.app.app import TutorApp
from tutor.app.screens.confirm import ConfirmScreen
from tutor.app.screens.help import HelpScreen
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.picker import PickerScreen
from tutor.app.screens.text import TextScreen
from tutor.app.widgets.code import CodeView
from tutor.app.widgets.output import OutputView
from tutor.app.widgets.values import ValuesView
from tutor.core.exercises import blanked
from tutor.core.lesson.load import load_lesson
from tutor.core.progress import Progress
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner
from tutor.core.workspace import Workspace

from .conftest import LESSON_01, LESSONS
from .conftest import wait_for_lesson as ready

WIDE = (120, 36)
LESSON_ID = "01-one-neuron"
SHIPPED = load_lesson(LESSON_01)
SOURCE = SHIPPED.source
SOLVED = SOURCE  # the shipped code is the solution of every exercise
BLANK = blanked(SHIPPED, SHIPPED.exercises["gradient"])  # what t makes of it

# Where the edits go in lesson 01 (0-based rows and columns, as the TextArea counts them).
LR_ROW = 5  # lr = 0.1  # learning rate: how big each correction is
GRADIENT_ROW = 15  # "    dL_dw = 0.0  # step: gradient" once blanked
LOOP_ROW = 8  # for iteration in range(1, 21):
SOLUTION = "dL_dy_hat * dy_hat_dw"

assert SOURCE.split("\n")[LR_ROW].startswith("lr = 0.1  #")
assert BLANK.split("\n")[GRADIENT_ROW] == "    dL_dw = 0.0  # step: gradient"
assert SOURCE.split("\n")[LOOP_ROW].startswith("for iteration in range(1, 21):")
FAST_LR = SOLVED.replace("lr = 0.1  #", "lr = 0.5  #")  # the solution, and lr = 0.5


pytestmark = pytest.mark.usefixtures("tutor_home")  # every test gets its own data folder


@pytest.fixture(autouse=True)
def shipped_files_untouched():
    """Whatever a test does, the shipped lesson files are never written."""
    before = {p.name: p.read_bytes() for p in LESSON_01.iterdir() if p.is_file()}
    yield
    after = {p.name: p.read_bytes() for p in LESSON_01.iterdir() if p.is_file()}
    assert after == before


def save_edit(home, code: str, base: str = SOURCE) -> None:
    Workspace(home).save(LESSON_ID, code, base)


async def finished(pilot, screen: LessonScreen, before) -> None:
    """Wait for the run started after ``before`` (the previous result) to be on screen."""
    for _ in range(500):
        if screen.run is not before:
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.run is not before, "the rerun did not finish within 10 s"


async def rerun(pilot, screen: LessonScreen) -> None:
    before = screen.run
    await pilot.press("ctrl+r")
    await finished(pilot, screen, before)


async def try_it(pilot, screen: LessonScreen) -> None:
    """t: the gradient exercise's line is blanked in the learner's code, which reruns."""
    before = screen.run
    await pilot.press("t")
    await finished(pilot, screen, before)
    assert screen.editor.text == BLANK


def editor_of(screen: LessonScreen) -> TextArea:
    return screen.query_one("#editor", TextArea)


async def type_over(pilot, editor: TextArea, row: int, start: int, end: int, text: str) -> None:
    """Select columns start..end of a row and type ``text`` over them, key by key."""
    editor.selection = Selection((row, start), (row, end))
    await pilot.press(*text)


async def type_solution(pilot, screen: LessonScreen) -> None:
    """In the editor: the gradient line becomes the exercise's solution."""
    await type_over(pilot, editor_of(screen), GRADIENT_ROW, 12, 15, SOLUTION)


def events_of(screen: LessonScreen, step: str) -> list[int]:
    t = screen.navigator.timeline
    return [i for i in range(len(t)) if t.step(i) == step]


def row_of(screen: LessonScreen, name: str) -> tuple[str, str, bool]:
    for row in screen.query_one(ValuesView).rows:
        if row.name == name:
            return row.text, row.change, row.assigned
    raise AssertionError(f"{name} is not in the values pane")


def code_shown(screen: LessonScreen) -> str:
    return screen.query_one(CodeView).source


def panel(screen: LessonScreen, which: str) -> str:
    widget = screen.query_one(which)
    return widget.text if isinstance(widget, OutputView) else str(widget.render())


async def notifications(pilot) -> list[tuple[str, str]]:
    await pilot.pause()
    return [(n.title, n.message) for n in pilot.app._notifications]


def saved_progress(home) -> dict:
    return json.loads((home / "progress.json").read_text(encoding="utf-8"))


async def go_to(pilot, screen: LessonScreen, event: int) -> None:
    screen.navigator.goto_event(event)
    screen.redraw()
    await pilot.pause()


# -- the editor ---------------------------------------------------------------------------


async def test_e_opens_the_editor_and_escape_returns_to_stepping():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("right", "right")
        assert screen.navigator.event == 2
        line = screen.query_one(CodeView).current_line
        await pilot.press("e")
        await pilot.pause()
        editor = editor_of(screen)
        assert screen.editor.editing and screen.editor.has_class("-editing")
        assert editor.display and editor.region.height > 5 and editor.region.width > 20
        assert app.focused is editor
        assert editor.text == SOURCE
        assert editor.cursor_location == (line - 1, 0)  # on the line being shown
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.editor.editing and not screen.editor.has_class("-editing")
        assert app.focused is not editor
        assert isinstance(app.screen, LessonScreen)  # escape left the editor, not the lesson
        await pilot.press("right")
        assert screen.navigator.event == 3
        await pilot.press("left", "left")
        assert screen.navigator.event == 1


async def test_stepping_keys_belong_to_the_editor_while_editing():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("right")
        await pilot.press("e")
        await pilot.pause()
        editor = editor_of(screen)
        where = screen.navigator.position
        row, column = editor.cursor_location
        await pilot.press("right", "right", "right")
        assert editor.cursor_location == (row, column + 3)
        await pilot.press("left")
        assert editor.cursor_location == (row, column + 2)
        await pilot.press("space")
        assert editor.cursor_location == (row, column + 3)  # a space was typed
        assert editor.text.split("\n")[row][column + 2] == " "
        await pilot.press("end", "home", "right_square_bracket")
        assert "]" in editor.text.split("\n")[row]
        assert screen.navigator.position == where
        assert not screen.player.playing
        assert isinstance(app.screen, LessonScreen) and screen.editor.editing


async def test_typed_code_reruns_with_new_values():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await try_it(pilot, screen)
        t = screen.navigator.timeline
        first_update = events_of(screen, "update")[0]
        assert t.value("w", first_update) == 0.5  # blanked, the gradient is 0: w never moves
        await pilot.press("e")
        await pilot.pause()
        editor = editor_of(screen)
        await type_over(pilot, editor, LR_ROW, 5, 8, "0.5")
        await type_solution(pilot, screen)
        assert editor.text == FAST_LR
        assert screen.editor.text == FAST_LR
        await rerun(pilot, screen)
        t = screen.navigator.timeline
        first_update = events_of(screen, "update")[0]
        assert t.value("lr", first_update) == 0.5
        assert t.value("dL_dw", first_update) == -3.0
        assert t.value("w", first_update) == 2.0  # 0.5 - 0.5 * (-3): learned in one step
        await go_to(pilot, screen, first_update)
        assert row_of(screen, "w") == ("2.0", "+1.5", True)
        assert row_of(screen, "lr")[0] == "0.5"
        assert panel(screen, "#error") == ""
        await pilot.press("escape", "end")
        await pilot.pause()
        assert panel(screen, "#output") == "w = 2.0000 after 20 iterations"


async def test_rerun_keeps_the_step_and_iteration(tutor_home):
    save_edit(tutor_home, SOLVED)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.editor.text == SOLVED
        update = events_of(screen, "update")[2]  # iteration 3
        await go_to(pilot, screen, update)
        t = screen.navigator.timeline
        assert (t.step(update), t.iteration(update)) == ("update", 3)
        w_before = t.value("w", update)
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), LR_ROW, 5, 8, "0.2")
        # A new line above moves every line down: the place is kept by step, not by line.
        editor_of(screen).insert("z = 0  # a line of my own\n", (LOOP_ROW, 0))
        await pilot.pause()
        await rerun(pilot, screen)
        t = screen.navigator.timeline
        event = screen.navigator.event
        assert (t.step(event), t.iteration(event)) == ("update", 3)
        assert t.value("w", event) != w_before
        assert screen.query_one(CodeView).current_line == 18  # the update line, one lower
        assert "step: update" in screen.status.where and "iteration 3/20" in screen.status.where


async def test_rerun_when_the_iteration_is_gone_stays_inside_the_new_timeline(tutor_home):
    save_edit(tutor_home, SOLVED)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await go_to(pilot, screen, events_of(screen, "update")[9])  # iteration 10
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), LOOP_ROW, 26, 28, "3")  # range(1, 3)
        assert editor_of(screen).text.split("\n")[LOOP_ROW] == "for iteration in range(1, 3):"
        await rerun(pilot, screen)
        t = screen.navigator.timeline
        assert t.iterations == 2
        assert 0 <= screen.navigator.event < len(t)
        await pilot.press("escape", "left")
        assert screen.navigator.event < len(t)


# -- exercises ----------------------------------------------------------------------------


async def test_the_exercise_is_wrong_once_blanked_and_solved_by_typing_the_solution(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await try_it(pilot, screen)
        assert app.progress.tried(LESSON_ID) == ["gradient"]
        await pilot.press("end")  # the last event does not complete a lesson with an open exercise
        assert app.progress.summary(LESSON_ID)["completed"] is False
        gradient = events_of(screen, "gradient")[1]  # iteration 2
        await go_to(pilot, screen, gradient)
        bad = [r.text for r in screen.query_one("#equation").rows if r.kind == "bad"]
        assert bad and all("✗" in text for text in bad)
        assert "the code computed dL_dw = 0.0" in bad[0]
        assert screen.app.progress.solved(LESSON_ID) == []

        await pilot.press("e")
        await pilot.pause()
        await type_solution(pilot, screen)
        assert screen.editor.text == SOLVED
        await rerun(pilot, screen)
        event = screen.navigator.event
        assert screen.navigator.timeline.step(event) == "gradient"
        assert screen.navigator.timeline.iteration(event) == 2
        rows = screen.query_one("#equation").rows
        assert not [r for r in rows if r.kind == "bad"]
        checked = [r.shown() for r in rows if r.kind == "numbers" and r.verdict is True]
        assert len(checked) == 1  # the line above the derive exercise's (hidden until D) agrees
        assert saved_progress(tutor_home)["lessons"][LESSON_ID]["solved"] == ["gradient"]
        # Said in the status line and the equation pane, never in a toast over the panes.
        assert "exercise solved: The gradient" in screen.status.note
        turns = [r.text for r in rows if r.kind == "turn"]
        assert any(text.startswith("Exercise solved") for text in turns)
        assert not await notifications(pilot)

        # Solved once is solved: another rerun does not say it again.
        await pilot.press("escape")
        await rerun(pilot, screen)
        assert "solved" not in screen.status.note
        assert not await notifications(pilot)

        # Reaching the last event completes the lesson once every exercise is solved.
        await pilot.press("end")
        assert app.progress.summary(LESSON_ID)["completed"] is False  # four of other kinds
        others = set(SHIPPED.exercises) - {"gradient"}
        app.progress.add_solved(LESSON_ID, others)  # as if predicted, derived and broken
        await pilot.press("home", "end")
        await pilot.press("q")
        await pilot.pause()
    entry = saved_progress(tutor_home)["lessons"][LESSON_ID]
    assert entry["completed"] is True and sorted(entry["solved"]) == sorted(others | {"gradient"})


async def test_a_wrong_answer_does_not_solve_the_exercise(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await try_it(pilot, screen)
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), GRADIENT_ROW, 12, 15, "-3.0")  # right once
        await rerun(pilot, screen)
        await go_to(pilot, screen, events_of(screen, "gradient")[0])
        assert not [
            r for r in screen.query_one("#equation").rows if r.kind == "bad"
        ]  # iteration 1 agrees
        await go_to(pilot, screen, events_of(screen, "gradient")[1])
        assert [
            r for r in screen.query_one("#equation").rows if r.kind == "bad"
        ]  # iteration 2 does not
        assert app.progress.solved(LESSON_ID) == []
        messages = [message for _, message in await notifications(pilot)]
        assert not any("Exercise solved" in m for m in messages)


async def test_the_solution_is_shown_only_after_yes():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert not [s for s in app.screen_stack if isinstance(s, TextScreen)]

        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, TextScreen)
        assert "dL_dw = dL_dy_hat * dy_hat_dw" in page.text
        assert "line 16" in page.title_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.editor.text == SOURCE  # seeing the solution does not write it in


# -- errors -------------------------------------------------------------------------------


async def test_a_syntax_error_keeps_the_last_timeline_and_selects_the_bad_line():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("right", "right", "right")
        timeline, where = screen.navigator.timeline, screen.navigator.event
        await pilot.press("e")
        await pilot.pause()
        editor = editor_of(screen)
        await type_over(pilot, editor, LR_ROW, 5, 8, "0.1 +")  # lr = 0.1 +
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        error = panel(screen, "#error")
        assert "lesson.py:6" in error, error
        assert "last run that worked" in error
        assert screen.query_one("#error").has_class("-shown")
        assert screen.navigator.timeline is timeline and len(screen.navigator) == len(timeline)
        assert screen.navigator.event == where
        bad_line = editor.document.get_line(LR_ROW)
        assert editor.selection == Selection((LR_ROW, 0), (LR_ROW, len(bad_line)))
        assert editor.selected_text == bad_line
        assert "syntax error" in screen.status.note
        await pilot.press("escape", "right")
        assert screen.navigator.event == where + 1  # still steppable


async def test_an_endless_loop_hits_the_time_limit_and_the_keys_keep_working():
    # A short limit keeps the test quick, with room for the keys to be answered inside it.
    app = TutorApp(LESSONS, lesson=LESSON_01, runner=Runner(Limits(time=3.0)))
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor_of(screen).insert("while True:\n    pass\n", (LOOP_ROW, 0))
        await pilot.pause()
        await pilot.press("escape")
        before = screen.run
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert screen.run is before  # still running
        event = screen.navigator.event
        await pilot.press("right")
        assert screen.navigator.event == event + 1  # stepping answers while the code runs
        assert screen.run is before
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert screen.run is before
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await finished(pilot, screen, before)  # (the message below says it ran to the limit)
        error = panel(screen, "#error")
        assert re.search(r"lesson\.py:[89]: stopped after 3 s: the time limit", error), error
        assert screen.run.error.kind == "timeout"
        await pilot.press("home", "right")
        assert screen.navigator.event == 1


async def test_a_syntax_error_outside_the_editor_marks_the_code_pane():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        length = len(screen.navigator)
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), LR_ROW, 5, 8, "(0.1")
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "lesson.py:6" in panel(screen, "#error")
        assert screen.query_one(CodeView).error_line == LR_ROW + 1
        assert len(screen.navigator) == length
        # Fixed and run again: the error goes away.
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), LR_ROW, 5, 9, "0.1")
        assert screen.editor.text == SOURCE
        await rerun(pilot, screen)
        assert panel(screen, "#error") == ""
        assert not screen.query_one("#error").has_class("-shown")
        assert screen.query_one(CodeView).error_line == 0


async def test_saved_code_with_a_syntax_error_opens_and_can_be_fixed(tutor_home):
    broken = SOURCE.replace("lr = 0.1  #", "lr = = 0.1  #")
    save_edit(tutor_home, broken)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.editor.text == broken
        assert "lesson.py:6" in panel(screen, "#error")
        assert screen.query_one(CodeView).error_line == LR_ROW + 1
        assert len(screen.navigator) == 0
        await pilot.press("right")  # nothing to step through, and no crash
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), LR_ROW, 3, 5, "")  # "lr = = 0.1" -> "lr = 0.1"
        await pilot.press("backspace")
        assert screen.editor.text == SOURCE
        await rerun(pilot, screen)
        assert len(screen.navigator) == 187
        assert panel(screen, "#error") == ""


# -- output -------------------------------------------------------------------------------


async def test_what_the_code_prints_is_in_the_output_panel():
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        output = screen.query_one("#output")
        assert panel(screen, "#output") == "" and not output.has_class("-shown")
        await pilot.press("end")
        await pilot.pause()
        assert panel(screen, "#output") == "w = 1.9827 after 20 iterations"
        assert output.has_class("-shown") and output.region.height >= 1
        await pilot.press("home")
        await pilot.pause()
        assert panel(screen, "#output") == ""


# -- saved code ---------------------------------------------------------------------------


async def test_edits_are_saved_as_you_type_and_restored_next_time(tutor_home):
    saved = tutor_home / "edits" / f"{LESSON_ID}.py"
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), LR_ROW, 5, 8, "0.3")
        edited = SOURCE.replace("lr = 0.1  #", "lr = 0.3  #")
        assert screen.editor.text == edited
        await pilot.pause(0.7)  # past the save delay, still editing
        assert saved.read_text(encoding="utf-8") == edited
        assert (tutor_home / "edits" / f"{LESSON_ID}.base.py").read_text() == SOURCE
        await pilot.press("escape", "q")
        await pilot.pause()

    again = make_app("01")
    async with again.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.editor.text == edited
        assert code_shown(screen) == edited.rstrip("\n")
        assert screen.navigator.timeline.value("lr", len(screen.navigator) - 1) == 0.3
        assert sorted(p.name for p in (tutor_home / "edits").iterdir()) == [
            f"{LESSON_ID}.base.py",
            f"{LESSON_ID}.py",
        ]
        messages = [message for _, message in await notifications(pilot)]
        assert not any("changed" in m for m in messages)


async def test_leaving_the_editor_saves_at_once(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        await type_over(pilot, editor_of(screen), LR_ROW, 5, 8, "0.4")
        await pilot.press("escape")
        saved = (tutor_home / "edits" / f"{LESSON_ID}.py").read_text(encoding="utf-8")
        assert saved == SOURCE.replace("lr = 0.1  #", "lr = 0.4  #")
        assert code_shown(screen) == saved.rstrip("\n")  # the code pane shows the edit
        assert "not run yet" in screen.status.note


async def test_reset_asks_restores_the_original_and_keeps_a_backup(tutor_home):
    save_edit(tutor_home, FAST_LR)
    edits = tutor_home / "edits"
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.editor.text == FAST_LR
        await pilot.press("e")  # the editor exists (hidden) from now on: reset must reach it
        await pilot.pause()
        assert editor_of(screen).text == FAST_LR
        await pilot.press("escape", "R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert screen.editor.text == FAST_LR
        assert (edits / f"{LESSON_ID}.py").read_text(encoding="utf-8") == FAST_LR
        assert not list(edits.glob("*.before-reset-*"))

        before = screen.run
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await finished(pilot, screen, before)
        assert app.screen is screen
        assert screen.editor.text == SOURCE
        assert code_shown(screen) == SOURCE.rstrip("\n")
        t = screen.navigator.timeline
        assert t.value("lr", len(t) - 1) == 0.1  # it ran the original code
        assert round(t.value("w", len(t) - 1), 4) == 1.9827  # and learns
        assert not (edits / f"{LESSON_ID}.py").exists()
        backups = list(edits.glob(f"{LESSON_ID}.before-reset-*.py"))
        assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == FAST_LR
        await pilot.press("e")
        await pilot.pause()
        assert editor_of(screen).text == SOURCE
        await pilot.press("escape", "q")
        await pilot.pause()
    assert not (edits / f"{LESSON_ID}.py").exists()  # quitting did not save it again

    again = make_app("01")
    async with again.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.editor.text == SOURCE


async def test_d_and_r_on_the_original_code_say_there_is_nothing_to_do(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is screen  # no diff page
        assert "not changed the code" in screen.status.note  # said in the status, no toast
        await pilot.press("R")
        await pilot.pause()
        assert app.screen is screen  # nothing to confirm
        assert "original code already" in screen.status.note
        assert not await notifications(pilot)
    assert not (tutor_home / "edits").exists()


async def test_a_lesson_changed_since_the_edit_notifies_and_keeps_the_learners_code(tutor_home):
    old_shipped = SOURCE.replace("w = 0.5  #", "w = 0.25  #")
    mine = old_shipped.replace("lr = 0.1  #", "lr = 0.2  #")
    save_edit(tutor_home, mine, base=old_shipped)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.editor.text == mine
        assert code_shown(screen) == mine.rstrip("\n")
        t = screen.navigator.timeline
        assert t.value("w", 2) == 0.25 and t.value("lr", 3) == 0.2  # it ran the learner's code
        messages = [message for _, message in await notifications(pilot)]
        assert any("changed since you edited it" in m for m in messages)
        assert (tutor_home / "edits" / f"{LESSON_ID}.py").read_text(encoding="utf-8") == mine


async def test_the_changed_lesson_notice_is_not_lost_by_opening_and_quitting(tutor_home):
    old_shipped = SOURCE.replace("w = 0.5  #", "w = 0.25  #")
    mine = old_shipped.replace("lr = 0.1  #", "lr = 0.2  #")
    save_edit(tutor_home, mine, base=old_shipped)
    base = tutor_home / "edits" / f"{LESSON_ID}.base.py"
    for _ in range(2):
        app = make_app("01")
        async with app.run_test(size=WIDE) as pilot:
            screen = await ready(pilot)
            assert screen.editor.text == mine
            messages = [message for _, message in await notifications(pilot)]
            assert any("changed since you edited it" in m for m in messages)
            await pilot.press("q")  # no key typed: nothing of the learner's changed
            await pilot.pause()
        assert base.read_text(encoding="utf-8") == old_shipped


async def test_an_unreadable_saved_edit_is_a_warning_and_the_lesson_opens(tutor_home):
    edits = tutor_home / "edits"
    edits.mkdir(parents=True)
    (edits / f"{LESSON_ID}.py").write_bytes(b"w = \xff\xfe\n")
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        assert screen.editor.text == SOURCE
        messages = [message for _, message in await notifications(pilot)]
        assert any("could not be read" in m for m in messages)
        assert list(edits.glob(f"{LESSON_ID}.py.unreadable-*"))


async def test_quitting_from_a_modal_saves_the_position(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        # Stop the 2-second safety flush so the test sees what quitting itself saves.
        app._progress_timer.pause()
        await pilot.press(*["right"] * 5)  # new steps seen: saved at once
        await pilot.press("left", "left")  # nothing new: saved by the flush, or on quitting
        assert screen.navigator.event == 3
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert saved_progress(tutor_home)["lessons"][LESSON_ID]["event"] == 3


# -- the picker ---------------------------------------------------------------------------


def picker_prompt(app, lesson_id: str) -> str:
    options = app.screen.query_one("#lessons").options
    return str(next(o for o in options if o.id == lesson_id).prompt)


async def test_the_picker_shows_progress(tutor_home):
    progress = Progress(tutor_home)
    progress.mark_seen(LESSON_ID, "target")
    progress.mark_solved(LESSON_ID, "gradient")
    progress.mark_completed(LESSON_ID)
    progress.save()  # no position: the picker does not jump into the lesson
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "✓ completed, 1/5 exercises" in picker_prompt(app, LESSON_ID)


async def test_the_picker_shows_new_progress_when_the_learner_comes_back(tutor_home):
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        prompt = picker_prompt(app, LESSON_ID)
        assert "exercises" not in prompt and "completed" not in prompt
        app.progress.mark_tried(LESSON_ID, "gradient")  # t, then the solution typed
        save_edit(tutor_home, SOLVED)  # in an earlier visit
        await pilot.press("enter")
        await ready(pilot)  # the run of the learner's code solves the exercise
        await pilot.press("right", "right")
        await pilot.press("escape")  # back to the picker
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "1/5 exercises, resume at event 3" in picker_prompt(app, LESSON_ID)


async def test_back_in_the_picker_enter_opens_a_lesson_again():
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await ready(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(app.screen, LessonScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, LessonScreen)
