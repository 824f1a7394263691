"""Lesson 10 (where to start): the numbers its text quotes, as shipped (a small random
start) and with the equal start its break exercise proposes."""

from __future__ import annotations

import math

import pytest

from tutor.core.check import check_lesson
from tutor.core.equation.verify import check_equations
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner

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

LESSON_10 = LESSONS / "10-symmetry"
TWINS = ("w1", "w2"), ("u1", "u2"), ("b1", "b2"), ("v1", "v2")


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=10.0)) as r:
        yield r


def answer(p, x1, x2):
    """The network's answer when both hidden neurons are equal (h2 = h1, v2 = v1)."""
    h = 1 / (1 + math.exp(-(p["w1"] * x1 + p["u1"] * x2 + p["b1"])))
    return 1 / (1 + math.exp(-(2 * p["v1"] * h + p["b"])))


def test_the_lesson_passes_check_with_its_exercises(runner):
    lesson, t = run(runner, LESSON_10)
    assert lesson.problems == []
    assert check_lesson(lesson, runner) == []
    assert kinds(lesson) == {
        "code": ["gradients-2"],
        "predict": ["same-at-zero"],
        "break": ["twins"],
    }
    assert len(t) < 80_000 and not t.truncated


def test_no_line_of_the_code_is_wider_than_the_code_pane():
    source = (LESSON_10 / "lesson.py").read_text()
    assert max(len(line) for line in source.splitlines()) <= 65


def test_the_code_exercise_blank_fails_only_its_step(runner):
    lesson, _ = run(runner, LESSON_10)
    exercise = code_exercise(lesson)
    _, t = run(runner, LESSON_10, blank=exercise)
    problems = check_equations(lesson, t)
    assert {p.message.split('"')[1] for p in problems} == {exercise}


def test_the_random_start_breaks_the_tie_and_learns_xor(runner):
    _, t = run(runner, LESSON_10)
    first = events_of(t, "hidden", 1)[0]
    assert t.value("w1", first) == pytest.approx(0.344, abs=5e-4)
    assert t.value("w2", first) == pytest.approx(-0.079, abs=5e-4)
    assert t.value("v1", first) == pytest.approx(0.011, abs=5e-4)
    assert t.value("v2", first) == pytest.approx(-0.095, abs=5e-4)
    # the first example (0, 0): both hidden neurons answer sigma(0), the predict
    h2 = events_of(t, "hidden", 1)[3]
    assert t.value("h2", h2) == 0.5
    # the first example's error signals: different, because v1 != v2
    first_delta = events_of(t, "delta-hidden", 1)[:2]
    assert t.value("delta1", first_delta[0]) == pytest.approx(0.00069, abs=5e-6)
    assert t.value("delta2", first_delta[1]) == pytest.approx(-0.0058, abs=5e-5)
    costs = per_iteration(t, "cost")
    assert costs[0] == pytest.approx(0.250, abs=5e-4)
    assert all(abs(c - 0.25) < 0.01 for c in costs[:150])  # the plateau
    assert next(k for k, c in enumerate(costs, 1) if c < 0.05) == 240
    last = t.iterations
    assert last == 500
    assert end_of(t, last, "cost") == pytest.approx(0.0011, abs=5e-5)
    assert end_of(t, last, "w1") == pytest.approx(6.32, abs=0.005)
    assert end_of(t, last, "b1") == pytest.approx(-2.68, abs=0.005)
    assert end_of(t, last, "w2") == pytest.approx(4.45, abs=0.005)
    assert end_of(t, last, "b2") == pytest.approx(-6.79, abs=0.005)
    assert end_of(t, last, "v1") == pytest.approx(8.22, abs=0.005)
    assert end_of(t, last, "v2") == pytest.approx(-8.69, abs=0.005)


def test_an_equal_start_stays_equal_and_stalls(runner):
    lesson, _ = run(runner, LESSON_10)
    _, t = run(runner, LESSON_10, edits=[change_of(lesson, "twins")])
    for one, two in TWINS:
        assert per_iteration(t, one) == per_iteration(t, two)
    assert end_of(t, 1, "w2") == pytest.approx(0.4738, abs=5e-5)
    costs = per_iteration(t, "cost")
    assert all(abs(c - 0.25) < 0.025 for c in costs[:300])  # the plateau
    assert costs[-1] == pytest.approx(0.175, abs=0.001)  # "only to 0.18"
    values = {name: end_of(t, 500, name) for name in ("w1", "u1", "b1", "v1", "b")}
    answers = [answer(values, x1, x2) for x1, x2 in ((0, 0), (0, 1), (1, 0), (1, 1))]
    assert answers == pytest.approx([0.085, 0.761, 0.761, 0.769], abs=0.001)


def test_a_zero_start_stays_equal_too(runner):
    lesson, _ = run(runner, LESSON_10)
    old, new = change_of(lesson, "twins")
    zero = (old, new.replace("= 0.5", "= 0.0"))
    _, t = run(runner, LESSON_10, edits=[zero])
    for one, two in TWINS:
        assert per_iteration(t, one) == per_iteration(t, two)
