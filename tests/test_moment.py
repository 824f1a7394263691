"""The Moment as data (no app): what one position of a lesson shows, and the rules behind it."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from tutor.core.exercises import exercise_here, next_hint, solved_by, steps_to_verify
from tutor.core.lesson.load import bind_source, load_lesson
from tutor.core.navigator import Navigator, Place
from tutor.core.progress import Progress, is_completed
from tutor.core.run.result import RunError, RunResult
from tutor.core.run.runner import Runner
from tutor.core.run.timeline import Timeline
from tutor.core.view.moment import END, State, ValueRow, moment, output_tail, prepare, section_of

from .conftest import LESSON_01, LESSONS

SHIPPED = load_lesson(LESSON_01)


@pytest.fixture(scope="module")
def runner():
    with Runner() as r:
        yield r


@pytest.fixture(scope="module")
def solved_run(runner):
    source = SHIPPED.source
    verify = steps_to_verify(SHIPPED)
    result = runner.run(SHIPPED.py_path, source, SHIPPED.iteration, verify=verify)
    assert result.error is None
    return prepare(SHIPPED, source, result)


def first(run, step: str) -> int:
    t = run.timeline
    return next(i for i in range(len(t)) if t.step(i) == step)


def test_a_moment_holds_every_panes_part(solved_run):
    nav = Navigator(solved_run.lesson, solved_run.timeline)
    nav.goto_event(first(solved_run, "target"))
    m = moment(solved_run, nav.position)
    assert m.status.where == "step: target · event 2/187 · iteration 0/20"
    assert m.current_line == 4 and m.error_line == 0
    assert ValueRow("y", "2.0", "new", True) in m.values
    assert ValueRow("x", "1.0", "", False) in m.values  # unchanged since the event before
    assert m.equations[0].text == "The example"
    numbers = [r for r in m.equations if r.kind == "numbers"]
    assert [(r.text, r.verdict) for r in numbers] == [("  = 2 · 1.0 = 2.0", True)]
    assert numbers[0].shown() == "  = 2 · 1.0 = 2.0  ✓"  # the pane draws the mark
    assert m.section == "target"
    assert m.network is not None and any("w" in row for row in m.network.rows)
    assert m.exercise is not None and m.exercise.step == "gradient"
    assert not m.exercise.solved and not m.exercise.tried  # the complete code is not an answer
    tried = moment(solved_run, nav.position, State(tried=frozenset({"gradient"})))
    assert tried.exercise is not None and tried.exercise.solved  # tried (t), then this code


def test_verdicts_are_fields_never_text(solved_run):
    nav = Navigator(solved_run.lesson, solved_run.timeline)
    seen = 0
    while nav.next():
        for row in moment(solved_run, nav.position).equations:
            assert "✓" not in row.text
            seen += row.verdict is True
    assert seen > 100


def test_any_path_to_a_position_gives_the_same_moment(solved_run):
    nav = Navigator(solved_run.lesson, solved_run.timeline)
    moves = ["next", "previous", "next_iteration", "previous_iteration", "first", "last"]
    rng = random.Random(10)
    seen: dict = {}
    repeats = 0
    for _ in range(600):
        getattr(nav, rng.choice(moves + ["next"] * 4 + ["previous"] * 3))()
        m = moment(solved_run, nav.position, State(equation_width=60))
        if nav.position in seen:
            repeats += 1
            assert seen[nav.position] == m, nav.position
        seen[nav.position] = m
    assert repeats > 100


def test_the_lesson_section_depends_on_the_event_alone(solved_run):
    t = solved_run.timeline
    assert section_of(solved_run, 0) == "intro"  # x = 1.0: before any step
    assert section_of(solved_run, first(solved_run, "target") + 1) == "target"  # w = 0.5
    update = first(solved_run, "update")
    after = update + 1  # the loop header of the next iteration: no step of its own
    assert t.step(after) is None and t.line(after) == 9
    assert section_of(solved_run, after) == "predict"  # the round it starts goes on to predict
    header = t.iteration_span(1).start  # the first time the loop header runs
    assert t.line(header) == 9 and section_of(solved_run, header) == "predict"


def test_the_last_event_of_a_finished_run_shows_the_closing_words(solved_run):
    t = solved_run.timeline
    last = len(t) - 1
    assert t.line(last) == 19  # print(...)
    assert section_of(solved_run, last) == END
    exit_ = last - 1  # the loop header once more: the loop ends, nothing more to predict
    assert t.line(exit_) == 9 and section_of(solved_run, exit_) == "update"
    failed = replace(solved_run, error=RunError("exception", "ValueError: late", 19))
    assert section_of(failed, last) == "update"  # the code stopped there: no closing words


def test_nested_loops_and_the_lines_before_an_iterations_first_step(runner):
    lesson = load_lesson(LESSONS / "05-two-inputs")
    source = lesson.source
    run = prepare(lesson, source, runner.run(lesson.py_path, source, lesson.iteration))
    t = run.timeline
    start = t.iteration_span(2).start  # for iteration in ...: cost = 0.0 … before the examples
    first_step = next(i for i in t.iteration_span(2) if t.step(i))
    assert t.step(first_step) == "weighted-sum"
    assert {section_of(run, e) for e in range(start, first_step)} == {"weighted-sum"}
    average = next(i for i in t.iteration_span(2) if t.step(i) == "average")
    inner = next(i for i in range(average, len(t)) if t.line(i) == t.line(start + 5))
    assert t.step(inner) is None  # for x1, x2, y in data: (the next example)
    assert section_of(run, inner) == "weighted-sum"


def test_the_output_box_gets_every_line_printed(runner):
    lesson = load_lesson(LESSONS / "05-two-inputs")
    source = lesson.source
    t = prepare(lesson, source, runner.run(lesson.py_path, source, lesson.iteration)).timeline
    shown = output_tail(t, len(t) - 1).split("\n")
    assert len(shown) == 8  # 2 lines, 2 about the line, one per example
    assert shown[0].startswith("w1 = ") and shown[-1].startswith("x1 = 1, x2 = 1: target 1")
    assert shown == t.output_text().rstrip("\n").split("\n")
    assert output_tail(t, 0) == ""
    many = Timeline(output=[(i, f"line {i}\n") for i in range(500)])
    assert output_tail(many, 499).split("\n") == [f"line {i}" for i in range(300, 500)]


def test_the_blank_is_not_solved_and_the_complete_code_is(runner):
    from tutor.core.exercises import blanked

    blank = blanked(SHIPPED, SHIPPED.exercises["gradient"])
    result = runner.run(SHIPPED.py_path, blank, SHIPPED.iteration, verify=["gradient"])
    assert result.error is None and result.checks  # dL_dw = 0.0 disagrees with the math
    bound, _ = bind_source(SHIPPED, blank)
    assert solved_by(bound, result) == frozenset()
    solved = runner.run(SHIPPED.py_path, SHIPPED.source, SHIPPED.iteration, verify=["gradient"])
    assert solved.checks == [] and solved_by(SHIPPED, solved) == {"gradient"}


def test_a_run_that_fails_is_never_verified(runner):
    source = SHIPPED.source + "\nraise ValueError('late')\n"
    result = runner.run(SHIPPED.py_path, source, SHIPPED.iteration, verify=["gradient"])
    assert result.error is not None and result.checks is None
    assert solved_by(SHIPPED, result) == frozenset()


def test_exercise_here_and_hints():
    lesson = SHIPPED
    assert exercise_here(lesson, "gradient", set()).step == "gradient"
    assert exercise_here(lesson, "target", set()).step == "gradient"  # the first unsolved
    exercise = lesson.exercises["gradient"]
    assert next_hint(exercise, 0) == (1, exercise.hints[0], False)
    last = len(exercise.hints)
    assert next_hint(exercise, last) == (last, exercise.hints[-1], True)


ALL = set(SHIPPED.exercises)  # of the four kinds


def test_completed_needs_the_last_event_a_clean_run_and_every_exercise():
    assert not is_completed(SHIPPED, set(), 9, 10, True)
    assert not is_completed(SHIPPED, {"gradient"}, 9, 10, True)  # four more to do
    assert not is_completed(SHIPPED, ALL, 8, 10, True)
    assert not is_completed(SHIPPED, ALL, 9, 10, False)
    assert is_completed(SHIPPED, ALL, 9, 10, True)


def test_progress_visit_marks_seen_and_completed(tmp_path):
    progress = Progress(tmp_path)
    assert progress.visit(SHIPPED, "target", 1, 10, True)  # a step seen the first time
    assert not progress.visit(SHIPPED, "target", 2, 10, True)
    assert progress.add_solved(SHIPPED.id, {"gradient"}) == ["gradient"]
    assert progress.add_solved(SHIPPED.id, {"gradient"}) == []
    assert not progress.visit(SHIPPED, None, 9, 10, True)  # the end, one of five solved
    assert progress.summary(SHIPPED.id)["completed"] is False
    assert progress.add_solved(SHIPPED.id, ALL) == sorted(ALL - {"gradient"})
    assert progress.visit(SHIPPED, None, 9, 10, True)  # the end, all solved: completed
    assert progress.summary(SHIPPED.id)["completed"] is True
    assert progress.position(SHIPPED.id) == 9


def test_landing_after_a_rerun_keeps_step_and_iteration(solved_run):
    nav = Navigator(solved_run.lesson, solved_run.timeline)
    t = solved_run.timeline
    update_3 = next(i for i in t.iteration_span(3) if t.step(i) == "update")
    nav.goto_event(update_3)
    place = nav.place()
    assert place == Place("update", 3, update_3)
    again = Navigator(solved_run.lesson, solved_run.timeline)
    again.land(place)
    assert again.event == update_3
    again.land(Place("no-such-step", 3, 5))
    assert again.event == 5  # the same event number when the step is gone
    again.land(None, resume=7)
    assert again.event == 7


def test_a_run_that_recorded_nothing_has_a_moment_too():
    from tutor.core.run.result import RunError

    result = RunResult(Timeline(), RunError("exception", "ZeroDivisionError: division by zero", 1))
    run = prepare(SHIPPED, SHIPPED.source, result)
    nav = Navigator(run.lesson, run.timeline)
    m = moment(run, nav.position)
    assert m.values == () and "no line ran" in m.values_message
    assert m.error_line == 1 and "ZeroDivisionError" in m.messages
    assert m.status.where == "step: — · event 0/0 · iteration 0/0"


@pytest.mark.parametrize("folder", sorted(p for p in LESSONS.iterdir() if p.is_dir()))
def test_every_bundled_lesson_has_a_moment_at_every_tenth_event(runner, folder):
    lesson = load_lesson(folder)
    source = lesson.source
    run = prepare(lesson, source, runner.run(lesson.py_path, source, lesson.iteration))
    nav = Navigator(run.lesson, run.timeline)
    step = max(1, len(nav) // 50)
    for event in range(0, len(nav), step):
        nav.goto_event(event)
        m = moment(run, nav.position, State(equation_width=50))
        assert m.current_line == run.timeline.line(event)
        assert not [r for r in m.equations if r.kind == "bad"], (folder.name, event)
