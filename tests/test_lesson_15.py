"""Lesson 15 (learning or memorizing): the numbers its text quotes.

The lesson runs complete, as shipped, with its code exercise blanked as ``t`` makes
it, and with the change its break exercise proposes. The small network (2 hidden
neurons) does worse than the large one (48) on its 30 training points and better on
the 200 test points: overfitting, in numbers.
"""

from __future__ import annotations

import pytest

from tutor.core.check import check_lesson
from tutor.core.lesson.load import load_lesson
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner

from .conftest import LESSONS
from .lessons_support import change_of, kinds
from .lessons_support import run as run_lesson

LESSON_15 = LESSONS / "15-memorizing"


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=20.0)) as r:
        yield r


_runs: dict = {}


def run(runner, blank=None, edits=()):
    key = (blank, tuple(edits))
    if key not in _runs:
        _runs[key] = run_lesson(runner, LESSON_15, blank, edits)
    return _runs[key]


def at_end(t, name):
    return t.value(name, len(t) - 1)


def test_13_passes_the_check_with_its_exercises(runner):
    lesson = load_lesson(LESSON_15)
    assert check_lesson(lesson, runner) == []
    assert kinds(lesson) == {
        "code": ["accuracy"],
        "predict": ["first-cost"],
        "break": ["more-points"],
    }
    _, t = run(runner)
    assert len(t) < 20_000 and not t.truncated
    assert t.iterations == 300


def test_13_train_and_test_accuracies_of_both_networks(runner):
    _, t = run(runner)
    assert at_end(t, "accuracy_small") == pytest.approx(26 / 30)
    assert at_end(t, "test_accuracy_small") == pytest.approx(0.815)
    assert at_end(t, "accuracy_large") == 1.0
    assert at_end(t, "test_accuracy_large") == pytest.approx(0.755)
    assert at_end(t, "gap") == pytest.approx(0.245)


def test_13_the_large_network_overfits(runner):
    _, t = run(runner)
    small = at_end(t, "accuracy_small"), at_end(t, "test_accuracy_small")
    large = at_end(t, "accuracy_large"), at_end(t, "test_accuracy_large")
    assert large[0] > small[0] and large[1] < small[1]
    assert at_end(t, "cost_large") < 0.01 < at_end(t, "cost_small")
    assert at_end(t, "test_cost_large") > at_end(t, "test_cost_small") + 0.1
    assert at_end(t, "cost_small") == pytest.approx(0.222, abs=0.0005)
    assert at_end(t, "test_cost_small") == pytest.approx(0.307, abs=0.0005)
    assert at_end(t, "test_cost_large") == pytest.approx(0.444, abs=0.0005)


def test_13_first_cost_is_the_average_of_30_losses(runner):
    _, t = run(runner)
    losses = t.value("loss", t.iteration_span(1)[-1])
    assert len(losses) == 30
    assert sum(losses) == pytest.approx(16.41, abs=0.005)
    assert sum(losses) / 30 == pytest.approx(0.547, abs=0.0005)


def test_13_blanking_the_accuracy_line_zeroes_the_accuracies(runner):
    _, t = run(runner, blank="accuracy")
    assert at_end(t, "accuracy_large") == 0.0 and at_end(t, "test_accuracy_large") == 0.0


def test_13_with_100_training_points_the_gap_shrinks(runner):
    lesson = load_lesson(LESSON_15)
    _, t = run(runner, edits=[change_of(lesson, "more-points")])
    assert at_end(t, "gap") < 0.2 < at_end(run(runner)[1], "gap")
    assert at_end(t, "accuracy_large") == pytest.approx(0.95)
    assert at_end(t, "test_accuracy_large") == pytest.approx(0.78)
