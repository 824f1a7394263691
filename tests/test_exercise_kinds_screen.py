"""Each exercise kind in the app, as a learner uses it: t blanks a code exercise, a predict
asks before its step shows, D writes a hidden derivation line, B checks a claim on the
learner's run. The progress file records what was solved."""

from __future__ import annotations

from tutor.app import make_app
from tutor.app.screens.answer import AnswerScreen
from tutor.app.screens.confirm import ConfirmScreen
from tutor.app.widgets.equation import EquationView

from .conftest import settle_workers
from .conftest import wait_for_lesson as ready
from .kinds_lesson import MD, PY

WIDE = (120, 36)


def equation_text(screen) -> str:
    return "\n".join(row.text for row in screen.query_one(EquationView).rows)


def lesson_text(screen) -> str:
    from textual.widgets import Markdown

    from tutor.app.widgets.lesson_text import LessonView

    return "\n".join(m.source for m in screen.query_one(LessonView).query(Markdown))


async def until(pilot, condition, tries=1500):
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


async def open_kinds(pilot, app, folder):
    from tutor.core.lesson.load import load_lesson

    app.open_lesson(load_lesson(folder))
    return await ready(pilot)


async def step_to(pilot, screen, event):
    """Right until ``event`` is shown with its whole derivation (or a predict asks)."""
    navigator = screen.navigator
    while navigator.event < event or navigator.position.revealed < navigator.full(event):
        await pilot.press("right")
        await pilot.pause()
        if isinstance(pilot.app.screen, AnswerScreen):
            return


async def test_t_blanks_the_step_for_the_learner_who_then_solves_it(
    make_lesson, tmp_path, tutor_home
):
    folder = make_lesson("01-kinds", md=MD, py=PY)
    app = make_app(None, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_kinds(pilot, app, folder)
        await step_to(pilot, screen, 7)  # the gradient step (event 8)
        assert "Try it yourself: t blanks" in equation_text(screen)
        assert "gradient" not in app.progress.solved("01-kinds")  # not by the shipped code
        await pilot.press("t")
        assert await until(pilot, lambda: "dL_dw = 0.0  # step: gradient" in screen.editor.text)
        assert await until(
            pilot, lambda: not screen.runs.queue.busy and screen.run.source == screen.editor.text
        )
        await settle_workers(pilot)
        assert "Your turn (line 8)" in equation_text(screen)
        assert "✗ the math gives −3.0, but the code" in equation_text(screen)
        assert app.progress.tried("01-kinds") == ["gradient"]
        # The learner writes the line (their own way) and reruns.
        screen.editor.replace_text(
            screen.editor.text.replace("dL_dw = 0.0", "dL_dw = 2 * x * (y_hat - y)")
        )
        screen.editor.request_run()
        assert await until(pilot, lambda: "gradient" in app.progress.solved("01-kinds"))
        await settle_workers(pilot)
        assert "Exercise solved (line 8)" in equation_text(screen)


async def test_a_predict_asks_before_the_step_and_the_answer_steps_on(
    make_lesson, tmp_path, tutor_home
):
    folder = make_lesson("01-kinds", md=MD, py=PY)
    app = make_app(None, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_kinds(pilot, app, folder)
        await step_to(pilot, screen, 8)
        assert isinstance(app.screen, AnswerScreen)
        assert screen.navigator.event == 7  # the update is not shown before the guess
        await pilot.press(*"0.7", "enter")
        await pilot.pause()
        assert screen.navigator.event == 8
        assert "you said 0.7: it is 0.8 ✗" in screen.status.note
        assert "first-update" not in app.progress.solved("01-kinds")
        await pilot.press("left", "right")  # asked once per visit: it steps on now
        await pilot.pause()
        assert not isinstance(app.screen, AnswerScreen) and screen.navigator.event == 8
        await pilot.press("P")  # ask again
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen) and screen.navigator.event == 7
        await pilot.press(*"w", "enter")  # not a number: said, and the box stays
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        assert "type a number" in str(app.screen.query_one("#answer-message").render())
        await pilot.press("ctrl+u", *"0.8", "enter")
        await pilot.pause()
        assert "you said 0.8: it is 0.8 ✓" in screen.status.note
        assert "first-update" in app.progress.solved("01-kinds")


async def test_playing_stops_at_a_predict_and_asks(make_lesson, tmp_path, tutor_home):
    folder = make_lesson("01-kinds", md=MD, py=PY)
    app = make_app(None, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_kinds(pilot, app, folder)
        await pilot.press("home", "plus", "plus", "plus", "space")
        for _ in range(600):  # (a bound on pauses, not on time)
            if isinstance(app.screen, AnswerScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, AnswerScreen)
        assert not screen.player.playing and screen.navigator.event == 7  # not shown yet
        await pilot.press("escape")
        await pilot.pause()
        assert screen.navigator.event == 8 and not screen.player.playing


async def test_escape_skips_a_predict_and_shows_the_step(make_lesson, tmp_path, tutor_home):
    folder = make_lesson("01-kinds", md=MD, py=PY)
    app = make_app(None, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_kinds(pilot, app, folder)
        await step_to(pilot, screen, 8)
        assert isinstance(app.screen, AnswerScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.navigator.event == 8
        assert "skipped the guess" in screen.status.note


async def test_d_writes_the_hidden_derivation_line(make_lesson, tmp_path, tutor_home):
    folder = make_lesson("01-kinds", md=MD, py=PY)
    app = make_app(None, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_kinds(pilot, app, folder)
        await step_to(pilot, screen, 7)
        text = equation_text(screen)
        assert "= ?   your turn: D writes this line" in text and "2(w x − y) x" not in text
        assert "your turn: D writes this line" in lesson_text(screen)  # hidden there too
        assert "2(w x − y) x" not in lesson_text(screen)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        await pilot.press("question_mark", "enter")  # a hint, in the box
        await pilot.pause()
        message = str(app.screen.query_one("#answer-message").render())
        assert message == "Hint 1/1: The derivative of u² is 2u."
        await pilot.press(*"(w x - y) x", "enter")
        await pilot.pause()
        message = str(app.screen.query_one("#answer-message").render())
        assert "yours gives −1.5, the code computed −3.0" in message
        await pilot.press("ctrl+u", *"2 * (w * x - y) * x", "enter")
        await pilot.pause()
        assert app.screen is screen and "slope" in app.progress.solved("01-kinds")
        assert "2(w x − y) x" in equation_text(screen)  # shown now
        assert "2(w x − y) x" in lesson_text(screen) and "your turn: D" not in lesson_text(screen)
        assert "your turn: D" not in equation_text(screen)

        await pilot.press("D")  # written already: hide it and write it again?
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "again" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        assert "slope" not in app.progress.solved("01-kinds")
        await pilot.press("escape")  # left unwritten: hidden again, in both panes
        await pilot.pause()
        assert "2(w x − y) x" not in equation_text(screen)
        assert "2(w x − y) x" not in lesson_text(screen)


async def test_b_proposes_a_change_and_checks_the_claim_on_the_learners_run(
    make_lesson, tmp_path, tutor_home
):
    folder = make_lesson("01-kinds", md=MD, py=PY)
    app = make_app(None, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_kinds(pilot, app, folder)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Set the learning rate to 1.1" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert screen.breaking == "too-fast"
        screen.editor.replace_text(screen.editor.text.replace("lr = 0.1", "lr = 1.1"))
        screen.editor.request_run()
        assert await until(pilot, lambda: "too-fast" in app.progress.solved("01-kinds"))
        await settle_workers(pilot)
        assert screen.runs.note.startswith("✓ broken as claimed: L > 10 holds (loss = ")
