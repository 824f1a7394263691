"""Lesson 11 (yes or no, done right): cross-entropy for lesson 04's sigmoid neuron.

The lesson runs complete, as shipped (and as ``nn-tutor check`` runs it), with its code
exercise blanked as ``t`` makes it and with the change its break exercise proposes, and
the values on the timeline are compared with the numbers its text quotes.
"""

from __future__ import annotations

import math

import pytest

from tutor.core.check import check_lesson
from tutor.core.equation.boxes import width
from tutor.core.equation.verify import check_equations, verdict_at
from tutor.core.lesson.load import load_lesson
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner
from tutor.core.view.equation_rows import present_step

from .conftest import LESSONS
from .lessons_support import (
    change_of,
    code_exercise,
    end_of,
    events_of,
    kinds,
    per_iteration,
    run,
)

LESSON_04 = LESSONS / "04-activation"
LESSON = LESSONS / "11-yes-or-no"
PANE_WIDTH = 44  # the equation pane at 120 columns


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=10.0)) as r:
        yield r


def test_passes_the_check_with_exercises_of_every_kind(runner):
    lesson = load_lesson(LESSON)
    assert lesson.problems == []
    assert check_lesson(lesson, runner) == []
    assert {k: sorted(v) for k, v in kinds(lesson).items()} == {
        "code": ["delta"],
        "derive": ["cancel"],
        "predict": ["first-delta"],
        "break": ["squared-again"],
    }
    assert all(len(line) <= 65 for line in lesson.source.splitlines())


def test_the_shipped_code_has_no_blank_and_every_equation_holds(runner):
    lesson, t = run(runner, LESSON)
    assert "your turn" not in lesson.source
    assert check_equations(lesson, t) == []
    assert t.iterations == 60 and not t.truncated and len(t) < 10_000


def test_first_example_numbers_the_text_quotes(runner):
    _, t = run(runner, LESSON)
    first = {step: events_of(t, step, 1) for step in ("forward", "loss", "slope-loss", "delta")}
    assert t.value("z", first["forward"][0]) == 2.5
    a = t.value("a", first["forward"][1])
    assert a == pytest.approx(0.924, abs=5e-4)
    assert t.value("loss", first["loss"][0]) == pytest.approx(2.58, abs=5e-3)
    assert t.value("loss", first["loss"][0]) == pytest.approx(-math.log(1 - a))
    assert t.value("dL_da", first["slope-loss"][0]) == pytest.approx(13.2, abs=0.05)
    assert t.value("delta", first["delta"][0]) == pytest.approx(0.924, abs=5e-4)
    # lesson 04's numbers for the same example, which the text compares with
    squared = (a - 0) ** 2
    assert squared == pytest.approx(0.854, abs=5e-4)
    assert 2 * a * a * (1 - a) == pytest.approx(0.130, abs=5e-4)
    assert a * (1 - a) == pytest.approx(0.070, abs=5e-4)


def test_delta_is_a_minus_y_at_every_event(runner):
    _, t = run(runner, LESSON)
    deltas = events_of(t, "delta")
    assert len(deltas) == 240
    for i in deltas:
        assert t.value("delta", i) == t.value("a", i) - t.value("y", i)
        # the cancellation: the chain rule through the sigmoid gives the same number
        a = t.value("a", i)
        assert t.value("dL_da", i) * a * (1 - a) == pytest.approx(t.value("delta", i))


def test_training_numbers_the_text_quotes(runner):
    _, t = run(runner, LESSON)
    assert end_of(t, 1, "cost") == pytest.approx(1.7389, abs=5e-5)
    assert end_of(t, 1, "w") == pytest.approx(1.4617, abs=5e-5)
    assert end_of(t, 1, "b") == pytest.approx(0.3492, abs=5e-5)
    weights = per_iteration(t, "w")
    assert weights[7] < 2.6007 < weights[8]  # past lesson 04's final w after 9 iterations
    assert weights[8] == pytest.approx(2.663, abs=5e-4)
    assert end_of(t, 60, "cost") == pytest.approx(0.0075, abs=5e-5)
    last = len(t) - 1
    assert t.value("w", last) == pytest.approx(4.2164, abs=5e-5)
    assert t.value("b", last) == pytest.approx(0.0298, abs=5e-5)
    assert t.value("final_cost", last) == pytest.approx(0.0074, abs=5e-5)
    assert t.value("answer", last) == pytest.approx(0.986, abs=5e-4)
    out = t.output_text()
    assert "ours: w = 4.2164, b = 0.0298, J = 0.0074" in out


def test_the_comparison_is_lesson_04s_own_run(runner):
    _, t04 = run(runner, LESSON_04)
    _, t = run(runner, LESSON)
    last = len(t) - 1
    assert t.value("w_04", last) == pytest.approx(end_of(t04, 60, "w"), abs=1e-12)
    assert t.value("b_04", last) == pytest.approx(end_of(t04, 60, "b"), abs=1e-12)
    assert end_of(t04, 1, "w") == pytest.approx(-0.358, abs=5e-4)
    assert t.value("w_04", last) == pytest.approx(2.6007, abs=5e-5)
    assert t.value("cost_04", last) == pytest.approx(0.0386, abs=5e-5)
    assert t.value("answer_04", last) == pytest.approx(0.933, abs=5e-4)
    # five times higher, measured the same way
    ratio = t.value("cost_04", last) / t.value("final_cost", last)
    assert 5 < ratio < 5.5


def test_the_code_exercise_blank_fails_only_its_step(runner):
    lesson = load_lesson(LESSON)
    exercise = code_exercise(lesson)
    _, t = run(runner, LESSON, blank=exercise)
    problems = check_equations(lesson, t)
    assert problems, "the blank should show a cross"
    assert all(f'step "{exercise}"' in p.message for p in problems)


def test_squared_errors_delta_learns_as_slowly_as_lesson_04(runner):
    lesson = load_lesson(LESSON)
    edit = change_of(lesson, "squared-again")
    _, t = run(runner, LESSON, edits=[edit])
    assert end_of(t, 60, "cost") == pytest.approx(0.0389, abs=5e-5)
    assert end_of(t, 60, "cost") > 0.03
    assert t.value("w", len(t) - 1) == pytest.approx(2.6007, abs=5e-5)


def test_every_equation_fits_the_equation_pane_at_every_event(runner):
    """At 120 columns the pane is 44 wide; a numbers row too wide for it puts its
    result (" = 2.58  ✓") on a line of its own, and a sum still too wide breaks
    before a + or −: from iteration 7 on, the loss row with a near 0
    (ln(1 − 0.000231)) would be 46-48 columns on one line."""
    lesson, t = run(runner, LESSON)
    too_wide = []
    for step in lesson.steps:
        compiled = {step.equations.index(c.source): c for c in lesson.equations[step.id]}
        for k, c in compiled.items():
            for event in events_of(t, step.id):
                if c.target not in lesson.stores.get(t.line(event), ()):
                    continue
                verdict = verdict_at(c, t, event, lesson.tolerance_for(step.id))
                assert verdict.ok, (step.id, k, event)
                rows = present_step(
                    step, k + 1, compiled, {k: verdict}, lesson.digits, width=PANE_WIDTH
                )
                for r in rows:
                    if r.kind not in ("math", "numbers"):
                        continue
                    if width(r.shown()) > PANE_WIDTH:  # with its "  ✓"
                        too_wide.append((step.id, k, event, r.shown()))
    assert too_wide == []
