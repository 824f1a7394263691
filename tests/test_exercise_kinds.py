"""Exercises of four kinds (docs/lesson-format.md 3.9): the loader reads them, the tutor
makes the code blank, the rules judge predictions, derivations and claims, and check
proves each exercise on the runs it is about."""

from __future__ import annotations

import pytest

from tutor.core.check import check_lessons
from tutor.core.equation.compiler import EquationError, symbol_table
from tutor.core.equation.typed import compile_python, compile_relation, compile_typed
from tutor.core.exercises import (
    blanked,
    changed_source,
    is_blank,
    judge_claim,
    judge_derivation,
    judge_prediction,
    predict_event,
    read_number,
    shipped_lines,
)
from tutor.core.lesson.load import bind_source, load_lesson
from tutor.core.run.recorder import record

from .conftest import LESSON_01
from .kinds_lesson import MD, PY


@pytest.fixture
def lesson(make_lesson):
    return load_lesson(make_lesson("01-kinds", md=MD, py=PY))


def timeline_of(lesson, source=None):
    result = record(source or lesson.source, lesson.py_path, lesson.iteration)
    assert result.error is None, result.error
    return result.timeline


def test_each_kind_is_read_with_its_keys(lesson):
    assert lesson.problems == []
    kinds = {e.id: (e.kind, e.step) for e in lesson.exercises.values()}
    assert kinds == {
        "gradient": ("code", "gradient"),
        "first-update": ("predict", "update"),
        "slope": ("derive", "gradient"),
        "too-fast": ("break", ""),
    }
    predict = lesson.exercises["first-update"]
    assert predict.answer == 0.8 and predict.iteration == 1 and predict.tolerance == 0.01
    assert lesson.exercises["too-fast"].change == ("lr = 0.1", "lr = 1.1")


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "  gradient:\n    hints:",
            "  gradient:\n    solution: x\n    hints:",
            "the shipped code is the solution",
        ),
        ("kind: predict", "kind: guess", "unknown kind 'guess'"),
        ("    answer: 0.8\n", "", "needs 'answer'"),
        (
            "    question: What",
            "    name: loss\n    question: What",
            "'name: loss' is not set by step 'update'",
        ),
        ("    row: 2", "    row: 3", "'row: 3' but step 'gradient' has 2 equation line(s)"),
        ('from: "lr = 0.1"', 'from: "lr"', "occurs 2 times in lesson.py"),
        ("holds: 'L > 10'", "holds: 'L'", "'holds': a claim compares two expressions"),
        ("    step: update", "    step: updat", "names unknown step 'updat'"),
    ],
)
def test_a_malformed_exercise_is_a_problem_naming_lesson_md_and_its_line(
    make_lesson, old, new, says
):
    assert old in MD
    lesson = load_lesson(make_lesson("01-kinds", md=MD.replace(old, new, 1), py=PY))
    found = [p for p in lesson.problems if says in p.message]
    assert found, lesson.problems
    assert found[0].path.name == "lesson.md" and found[0].line > 1


def test_the_blank_keeps_the_line_comment_and_runs(lesson):
    code = blanked(lesson, lesson.exercises["gradient"])
    assert "    dL_dw = 0.0  # step: gradient" in code.split("\n")
    assert code.replace("dL_dw = 0.0", "dL_dw = 2 * (y_hat - y) * x") == lesson.source
    bound, _ = bind_source(lesson, code)
    assert is_blank(bound, bound.exercises["gradient"])
    assert not is_blank(lesson, lesson.exercises["gradient"])
    t = timeline_of(lesson, code)
    assert t.value("w", len(t) - 1) == 0.5  # it runs, and learns nothing
    assert shipped_lines(lesson, lesson.exercises["gradient"]) == ["dL_dw = 2 * (y_hat - y) * x"]


def test_a_predict_asks_at_its_iteration_and_takes_numbers_and_arithmetic(lesson):
    t = timeline_of(lesson)
    exercise = lesson.exercises["first-update"]
    event = predict_event(lesson, t, exercise)
    assert t.line(event) == 9 and t.iteration(event) == 1
    assert t.value("w", event) == pytest.approx(0.8)
    assert judge_prediction(exercise, "0.8", t.value("w", event)).ok
    assert judge_prediction(exercise, "0.5 - 0.1 * -3", 0.8).ok
    assert judge_prediction(exercise, "0.805", 0.8).ok  # within 0.01 · max(1, |0.8|)
    wrong = judge_prediction(exercise, "0.7", 0.8)
    assert not wrong.ok and wrong.message == "you said 0.7: it is 0.8 ✗"
    assert read_number("1e-3") == 0.001
    for bad in ("w", "__import__('os')", "0.8; 1", "(lambda: 1)()"):
        with pytest.raises(ValueError):
            read_number(bad)


def test_a_derivation_line_is_judged_at_every_event_in_latex_or_python(lesson):
    t = timeline_of(lesson)
    exercise = lesson.exercises["slope"]
    for typed in ("2(w x - y) x", "2 * (w * x - y) * x", r"= 2(w x - y) \cdot x", "2*(y_hat-y)*x"):
        verdict = judge_derivation(lesson, exercise, typed, t)
        assert verdict.ok, (typed, verdict)
        assert verdict.message == "it holds at all 20 events of the step ✓"
    wrong = judge_derivation(lesson, exercise, "(w x - y) x", t)
    assert not wrong.ok and wrong.message == (
        "event 8, iteration 1: yours gives −1.5, the code computed −3.0"
    )
    with pytest.raises(ValueError):
        judge_derivation(lesson, exercise, "2(w x - z) x", t)


def test_a_derivation_line_right_only_by_chance_is_not_accepted():
    """Lesson 01 has x = 1 at every event: 2(ŷ − y) matches every recorded number of
    2(ŷ − y)·x. Moving the names that never vary (x, y) shows the difference."""
    shipped = load_lesson(LESSON_01)
    t = timeline_of(shipped)
    exercise = shipped.exercises["gradient-in-full"]
    chance = judge_derivation(shipped, exercise, r"2(\hat{y} - y)", t)
    assert not chance.ok
    assert chance.message.startswith("it matches this run's numbers, but not the derivation")
    assert "x = " in chance.message and "yours gives" in chance.message
    assert not judge_derivation(shipped, exercise, "2 * (y_hat - 2.0) * x", t).ok  # y is y
    for right in (r"2(\hat{y} - y) \cdot x", "x * 2 * (y_hat - y)", "dL_dy_hat * x"):
        assert judge_derivation(shipped, exercise, right, t).ok, right


def test_names_that_vary_are_not_moved_apart():
    """Lesson 04's hidden line reads a and z, and a = σ(z): an answer with σ(z) for a holds."""
    activation = load_lesson(LESSON_01.parent / "04-activation")
    t = timeline_of(activation)
    (exercise,) = activation.exercises_of("derive")
    for right in (r"\sigma(z) \cdot \frac{e^{-z}}{1 + e^{-z}}", "a * (1 - a)"):
        assert judge_derivation(activation, exercise, right, t).ok, right


def test_typed_python_never_runs_as_typed(lesson):
    table, _ = symbol_table(lesson.symbols)
    for text in ("__import__('os').system('x')", "w.__class__", "[w for w in x]", "open('f')"):
        with pytest.raises(EquationError):
            compile_python(text, table)
    assert compile_typed("exp(w)", table).fn({"w": 0.0}) == 1.0
    assert compile_typed(r"e^{w}", table).fn({"w": 0.0}) == 1.0


def test_a_claim_is_checked_at_the_end_or_every_iteration(lesson):
    table, _ = symbol_table(lesson.symbols)
    relation = compile_relation(r"\hat{y} \le w", table)
    assert relation.op == "≤" and relation.names == {"y_hat", "w"}
    exercise = lesson.exercises["too-fast"]
    shipped, changed = timeline_of(lesson), timeline_of(lesson, changed_source(lesson, exercise))
    refused = judge_claim(lesson, exercise, shipped)
    assert not refused.ok
    assert refused.message.startswith("at event ") and refused.message.endswith(": not L > 10")
    assert "loss = " in refused.message  # the values the claim read, where it fails
    verdict = judge_claim(lesson, exercise, changed)
    assert verdict.ok and verdict.message.startswith("L > 10 holds (loss = ")
    from dataclasses import replace

    always = replace(exercise, holds=r"L \ge 0", at="every")
    assert judge_claim(lesson, always, shipped).ok
    falls = replace(exercise, holds="L > 0.001", at="every")
    assert not judge_claim(lesson, falls, shipped).ok  # the loss ends below it


def test_check_proves_every_exercise_and_names_what_is_wrong(lesson, make_lesson):
    [(_, problems)] = list(check_lessons([lesson]))
    assert problems == []
    bad = MD.replace("answer: 0.8", "answer: 0.9").replace("'L > 10'", "'L < 10'")
    bad = bad.replace(
        "hints: [Multiply the slope of L by x.]", "blank: dL_dw = 2 * (y_hat - y) * x"
    )
    [(_, problems)] = list(check_lessons([load_lesson(make_lesson("02-bad", md=bad, py=PY))]))
    messages = [p.message for p in problems]
    assert any("'gradient': its blank does not fail step 'gradient'" in m for m in messages)
    assert any(
        "'answer: 0.9' is not the recorded value (you said 0.9: it is 0.8 ✗)" in m for m in messages
    )
    assert any("'too-fast': the claim does not hold on the changed code" in m for m in messages)
    assert any("'too-fast': the claim holds on the shipped code too" in m for m in messages)


def test_a_predict_on_a_step_after_the_training_loop_asks_at_its_run(make_lesson):
    md = MD.replace("## Update {#update}", "## Done {#done}\n\n$$ w $$\n\n## Update {#update}")
    md = md.replace("    step: update\n", "    step: done\n    name: final\n")
    md = md.replace("answer: 0.8", "answer: 1.983")
    md = md.replace("symbols:\n", "symbols:\n  f: final\n")
    md = md.replace("$$ w $$", "$$ f = w $$")
    lesson = load_lesson(make_lesson("01-after", md=md, py=PY + "final = w  # step: done\n"))
    assert lesson.problems == []
    t = timeline_of(lesson)
    event = predict_event(lesson, t, lesson.exercises["first-update"])
    assert event is not None and t.iteration(event) is None  # after the loop
    assert t.line(event) == 10
    assert t.value("final", event) == pytest.approx(2 - 1.5 * 0.8**20)
    [(_, problems)] = list(check_lessons([lesson]))
    assert problems == []  # check proves the answer at that event
    wrong = md.replace("answer: 1.983", "answer: 1.9")
    [(_, problems)] = list(
        check_lessons(
            [load_lesson(make_lesson("02-after", md=wrong, py=PY + "final = w  # step: done\n"))]
        )
    )
    assert len(problems) == 1 and "1.9" in str(problems[0])
