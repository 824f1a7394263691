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
from .lessons_support import at_end, cached_runs, change_of, kinds

LESSON_15 = LESSONS / "15-memorizing"


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=20.0)) as r:
        yield r


run = cached_runs(LESSON_15)


def test_15_passes_the_check_with_its_exercises(runner):
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


def test_15_train_and_test_accuracies_of_both_networks(runner):
    _, t = run(runner)
    assert at_end(t, "accuracy_small") == pytest.approx(24 / 30)
    assert at_end(t, "test_accuracy_small") == pytest.approx(0.815)
    assert at_end(t, "accuracy_large") == 1.0
    assert at_end(t, "test_accuracy_large") == pytest.approx(0.745)
    assert at_end(t, "gap") == pytest.approx(0.255)
    # the small network: about as good on new points as on its training points
    small_gap = at_end(t, "accuracy_small") - at_end(t, "test_accuracy_small")
    assert small_gap == pytest.approx(-0.015) and abs(small_gap) < 0.05


def test_15_the_large_network_overfits(runner):
    _, t = run(runner)
    small = at_end(t, "accuracy_small"), at_end(t, "test_accuracy_small")
    large = at_end(t, "accuracy_large"), at_end(t, "test_accuracy_large")
    assert large[0] > small[0] and large[1] < small[1]
    assert at_end(t, "cost_large") < 0.02 < at_end(t, "cost_small")
    assert at_end(t, "test_cost_large") > at_end(t, "test_cost_small") + 1
    assert at_end(t, "cost_small") == pytest.approx(0.332, abs=0.0005)
    assert at_end(t, "test_cost_small") == pytest.approx(0.489, abs=0.0005)
    assert at_end(t, "cost_large") == pytest.approx(0.019, abs=0.0005)
    assert at_end(t, "test_cost_large") == pytest.approx(2.08, abs=0.005)
    ratio = at_end(t, "test_cost_large") / at_end(t, "cost_large")
    assert 100 <= ratio < 120  # "a hundred times its training cost"


def test_15_first_cost_is_the_average_of_30_losses(runner):
    _, t = run(runner)
    losses = t.value("loss", t.iteration_span(1)[-1])
    assert len(losses) == 30
    assert sum(losses) == pytest.approx(29.69, abs=0.005)
    assert sum(losses) / 30 == pytest.approx(0.990, abs=0.0005)


def test_15_blanking_the_accuracy_line_zeroes_the_accuracies(runner):
    _, t = run(runner, blank="accuracy")
    assert at_end(t, "accuracy_large") == 0.0 and at_end(t, "test_accuracy_large") == 0.0


def test_15_with_200_training_points_the_gap_shrinks(runner):
    lesson = load_lesson(LESSON_15)
    _, t = run(runner, edits=[change_of(lesson, "more-points")])
    assert at_end(t, "gap") < 0.2 < at_end(run(runner)[1], "gap")
    assert at_end(t, "accuracy_large") == pytest.approx(0.88)
    assert at_end(t, "test_accuracy_large") == pytest.approx(0.735)
    assert at_end(t, "gap") == pytest.approx(0.145)


def test_15_trains_with_lesson_14s_softmax_and_cross_entropy(runner):
    import numpy as np

    lesson, t = run(runner)
    assert lesson.plots.boundary.output == "P[1]"
    assert all(len(line) <= 65 for line in lesson.source.splitlines())
    for k in (1, 300):
        span = t.iteration_span(k)
        P, Y, Z_o = (np.asarray(t.value(n, span[-1])) for n in ("P", "Y", "Z_o"))
        E = np.exp(Z_o)
        assert pytest.approx(E / E.sum(axis=0), rel=1e-12) == P
        assert P.sum(axis=0) == pytest.approx(np.ones(30), rel=1e-12)
        delta = next(i for i in span if t.step(i) == "backward")
        assert np.asarray(t.value("Delta_o", delta)).tolist() == (P - Y).tolist()
        loss = np.asarray(t.value("loss", span[-1]))
        assert loss == pytest.approx(-np.log(np.sum(P * Y, axis=0)), rel=1e-12)


def test_15_the_large_network_is_sure_of_itself_where_it_is_wrong(runner):
    import numpy as np

    _, t = run(runner)
    W_h, b_h, W_o, b_o = (np.asarray(at_end(t, n)) for n in ("W_h", "b_h", "W_o", "b_o"))
    X, Y = np.asarray(at_end(t, "X_test")), np.asarray(at_end(t, "Y_test"))
    assert X.shape == (2, 200)
    H = 1 / (1 + np.exp(-(W_h @ X + b_h)))
    E = np.exp(W_o @ H + b_o)
    P = E / E.sum(axis=0)
    right = np.argmax(P, axis=0) == np.argmax(Y, axis=0)
    assert right.mean() == pytest.approx(at_end(t, "test_accuracy_large"))
    true_p = np.sum(P * Y, axis=0)[~right]
    assert np.mean(true_p < 0.1) > 0.5  # "on most test points it gets wrong, below 0.1"
    test_cost = np.mean(-np.log(np.sum(P * Y, axis=0)))
    assert test_cost == pytest.approx(at_end(t, "test_cost_large"), rel=1e-9)
