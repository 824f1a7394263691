"""The exercises that are not code: predict (a value guessed before its step shows), derive
(a hidden line of a derivation, written back) and break (a proposed change, and a claim the
tutor checks on the learner's run). Plain functions of the lesson screen; the rules (which
event asks, what is right) are the core's (``core/exercises.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .answer import AnswerScreen
from .workshop import go_to_step, say

if TYPE_CHECKING:
    from ...core.lesson.model import Exercise
    from ...core.navigator import Position
    from .lesson import LessonScreen


def _solve(screen: LessonScreen, exercise: Exercise) -> None:
    app = screen.app
    if app.progress.mark_solved(screen.lesson.id, exercise.id):  # type: ignore[attr-defined, union-attr]
        app.save_progress()  # type: ignore[attr-defined]


def _solved(screen: LessonScreen) -> set[str]:
    return set(screen.app.progress.solved(screen.lesson.id))  # type: ignore[attr-defined, union-attr]


# -- predict -------------------------------------------------------------------------------
def predict_due(screen: LessonScreen, before: Position) -> bool:
    """After a move forward from ``before``: when it landed on the event a predict asks
    before, step back and ask (the answer, or Esc, steps on). True when it asked."""
    from ...core.exercises import predict_event, predicted_name

    run, navigator, lesson = screen.run, screen.navigator, screen.lesson
    if run is None or navigator is None or lesson is None or not run.finished:
        return False
    if not screen.app.ask_predicts:  # type: ignore[attr-defined]
        return False
    event = navigator.event
    if event == before.event:
        return False
    solved = _solved(screen)
    for exercise in run.lesson.exercises_of("predict"):
        if exercise.id in solved or exercise.id in screen.asked:
            continue
        if predict_event(run.lesson, run.timeline, exercise) != event:
            continue
        screen.asked.add(exercise.id)
        navigator.position = before  # not shown yet: the learner guesses first
        name = predicted_name(run.lesson, exercise)
        value = run.timeline.value(name, event)
        _ask(screen, exercise, name, value)
        return True
    return False


def _ask(screen: LessonScreen, exercise: Exercise, name: str, value: Any) -> None:
    from ...core.exercises import judge_prediction

    lesson = screen.lesson
    assert lesson is not None
    step = lesson.step(exercise.step)
    question = exercise.question or f"What will {name} be after this line?"

    def judge(text: str) -> tuple[bool, str, Any]:
        try:
            verdict = judge_prediction(exercise, text, value, lesson.digits)
        except ValueError as exc:
            return False, f"{exc}: type a number, like 0.8 or 0.5 - 0.1 * -3", None
        return True, "", verdict

    def answered(verdict: Any) -> None:
        navigator = screen.navigator
        if navigator is not None:
            navigator.next()
        if verdict is None:
            screen.runs.note = "skipped the guess: P asks again on this step"
        else:
            if verdict.ok:
                _solve(screen, exercise)
            screen.runs.note = f"{name}: {verdict.message}"
        screen.redraw()

    title = f"Predict · {step.title if step else exercise.step}"
    screen.app.push_screen(AnswerScreen(title, question, judge, "skips", exercise.hints), answered)


def predict_again(screen: LessonScreen) -> None:
    """P: ask the predict of this step (or the first not solved) again, from just before."""
    from ...core.exercises import predict_event

    run, navigator = screen.run, screen.navigator
    if run is None or navigator is None:
        return
    predicts = run.lesson.exercises_of("predict")
    if not predicts:
        say(screen, "this lesson has no predict exercise")
        return
    here = navigator.timeline.step(max(navigator.event, 0))
    solved = _solved(screen)
    exercise = next((e for e in predicts if e.step == here), None) or next(
        (e for e in predicts if e.id not in solved), predicts[0]
    )
    event = predict_event(run.lesson, run.timeline, exercise)
    if event is None:
        say(screen, "the run never reaches that step")
        return
    screen.asked.discard(exercise.id)
    solved_before = exercise.id in solved
    navigator.goto_event(max(0, event - 1))
    before = navigator.position
    navigator.goto_event(event)
    if solved_before:  # asked again on purpose: it asks even when solved
        screen.asked.add(exercise.id)
        navigator.position = before
        from ...core.exercises import predicted_name

        name = predicted_name(run.lesson, exercise)
        _ask(screen, exercise, name, run.timeline.value(name, event))
    elif not predict_due(screen, before):
        screen.redraw()


# -- derive --------------------------------------------------------------------------------
def derive(screen: LessonScreen) -> None:
    """D: write the hidden line of this step's derivation (else of the first not solved)."""
    from ...core.exercises import hidden_row, judge_derivation

    run, lesson = screen.run, screen.lesson
    if run is None or lesson is None:
        return
    derives = run.lesson.exercises_of("derive")
    solved = _solved(screen)
    m = screen.moment()
    here = m.exercise.derive if m is not None and m.exercise is not None else ""
    exercise = run.lesson.exercises.get(here) if here else None
    exercise = exercise or next((e for e in derives if e.id not in solved), None)
    if exercise is None and _derive_again(screen, derives, solved):
        return
    if exercise is None:
        say(
            screen,
            "no derivation line to write here" if derives else "this lesson has no derive exercise",
        )
        return
    go_to_step(screen, exercise.step)
    step = run.lesson.step(exercise.step)
    row = hidden_row(run.lesson, exercise)
    left = ""
    if step is not None and 0 <= row < len(step.equations):
        compiled = run.lesson.equations.get(step.id, [])
        target = compiled[row].target if row < len(compiled) else None
        left = f" (what it computes: {target})" if target else ""
    question = (
        f"Write line {row + 1} of the derivation{left}: its right side, in LaTeX "
        "(like \\frac{1}{2} \\hat{y}^2) or in Python with the code's names "
        "(like 0.5 * y_hat ** 2)."
    )

    def judge(text: str) -> tuple[bool, str, Any]:
        try:
            verdict = judge_derivation(run.lesson, exercise, text, run.timeline)
        except ValueError as exc:
            return False, f"cannot read it: {exc}", None
        return verdict.ok, f"not yet: {verdict.message}", verdict

    def answered(verdict: Any) -> None:
        if verdict is None:
            return
        _solve(screen, exercise)
        from ..widgets.lesson_text import LessonView

        screen.pane(LessonView).reveal(exercise.step)
        screen.runs.note = f"✓ derivation line written: {verdict.message}"
        screen.redraw()

    title = f"Derive · {step.title if step else exercise.step}"
    screen.app.push_screen(AnswerScreen(title, question, judge, "leaves", exercise.hints), answered)


def _derive_again(screen: LessonScreen, derives: list[Exercise], solved: set[str]) -> bool:
    """D on a step whose derivation line was written: offer to hide it and write it again
    (the exercise is no longer solved until it is). True when it asked."""
    navigator = screen.navigator
    if navigator is None or navigator.event < 0 or screen.lesson is None:
        return False
    here = navigator.timeline.step(navigator.event)
    done = next((e for e in derives if e.step == here and e.id in solved), None)
    if done is None:
        return False
    lesson_id = screen.lesson.id

    def answered(yes: bool | None) -> None:
        if yes and screen.app.progress.unsolve(lesson_id, done.id):  # type: ignore[attr-defined]
            from ...core.exercises import hidden_row
            from ..widgets.lesson_text import LessonView

            screen.app.save_progress()  # type: ignore[attr-defined]
            screen.pane(LessonView).reveal(done.step, hide=hidden_row(screen.run.lesson, done))  # type: ignore[union-attr]
            screen.redraw()
            derive(screen)

    from .confirm import ConfirmScreen

    question = "You wrote this derivation line already. Hide it and write it again?"
    screen.app.push_screen(ConfirmScreen(question, yes="Hide it"), answered)
    return True


# -- break ---------------------------------------------------------------------------------
def break_it(screen: LessonScreen) -> None:
    """B: the next break-it exercise: its change and its claim; every run from now on is
    checked against the claim (the status line says)."""
    from .confirm import ConfirmScreen

    lesson = screen.lesson
    if lesson is None:
        return
    breaks = lesson.exercises_of("break")
    if not breaks:
        say(screen, "this lesson has no break-it exercise")
        return
    current = next((k for k, e in enumerate(breaks) if e.id == screen.breaking), -1)
    exercise = breaks[(current + 1) % len(breaks)]
    hints = "".join(f"\nHint: {hint}" for hint in exercise.hints)
    text = (
        f"Break it: {exercise.task}\n\nClaim: {exercise.claim}\n{hints}\n"
        "Make the change (e edits), then ctrl+r: after each run the tutor checks the claim; "
        "R brings the original code back."
    )

    def answered(yes: bool | None) -> None:
        if yes:
            screen.breaking = exercise.id
            screen.runs.note = f"break it: {exercise.task} (then ctrl+r)"
            screen.redraw()

    screen.app.push_screen(ConfirmScreen(text, yes="Try it"), answered)


def claim_note(screen: LessonScreen) -> str:
    """After a finished run: whether the break-it claim the learner is trying holds on it."""
    from ...core.exercises import judge_claim

    run, lesson = screen.run, screen.lesson
    if not screen.breaking or run is None or lesson is None or not run.finished:
        return ""
    exercise = run.lesson.exercises.get(screen.breaking)
    if exercise is None:
        return ""
    if run.source == lesson.source:
        return f"break it: {exercise.task} (then ctrl+r)"
    verdict = judge_claim(run.lesson, exercise, run.timeline)
    if verdict.ok:
        _solve(screen, exercise)
        return f"✓ broken as claimed: {verdict.message} · R restores the code"
    return f"break it: the claim does not hold yet, {verdict.message}"
