"""Lesson 13 (examples side by side): lesson 12's network on 200 examples at once.

The lesson runs complete, as shipped (and as ``nn-tutor check`` runs it), with its code
exercise blanked as ``t`` makes it and with the change its break exercise proposes. Its
columns are compared with lesson 12's arithmetic, one example at a time, written here
independently of its code; its gradients with averages of the examples' gradients.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core.check import check_lesson
from tutor.core.equation.verify import check_equations
from tutor.core.lesson.load import load_lesson
from tutor.core.run.grid import evaluate_grid
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner

from .conftest import LESSONS
from .lessons_support import (
    assert_central_slopes,
    at_end,
    cached_runs,
    change_of,
    code_exercise,
    end_of,
    events_of,
    kinds,
    per_iteration,
)

LESSON = LESSONS / "13-columns"


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=20.0)) as r:
        yield r


run = cached_runs(LESSON)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def one_example(W_h, b_h, W_o, b_o, x, y):
    """Lesson 12's iteration for one example (a column), from the math: its numbers."""
    z_h = W_h @ x + b_h
    h = sigmoid(z_h)
    z_o = W_o @ h + b_o
    y_hat = sigmoid(z_o)
    delta_o = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dL_dh = W_o.T @ delta_o
    delta_h = dL_dh * h * (1 - h)
    return {
        "Z_h": z_h, "H": h, "Z_o": z_o, "Y_hat": y_hat,
        "loss": float(np.sum((y_hat - y) ** 2)),
        "Delta_o": delta_o, "dL_dH": dL_dh, "Delta_h": delta_h,
        "dJ_dW_o": delta_o @ h.T, "dJ_db_o": delta_o,
        "dJ_dW_h": delta_h @ x.T, "dJ_db_h": delta_h,
    }  # fmt: skip


def weights_before(t, iteration):
    """The weights an iteration's forward pass used: those at its first event."""
    first = events_of(t, "hidden", iteration)[0]
    return [np.asarray(t.value(n, first)) for n in ("W_h", "b_h", "W_o", "b_o")]


def accuracy_at(t, iteration):
    """The share of the 200 points whose larger output is their class, with the weights
    at the end of that iteration."""
    event = t.iteration_span(iteration)[-1]
    W_h, b_h, W_o, b_o = (np.asarray(t.value(n, event)) for n in ("W_h", "b_h", "W_o", "b_o"))
    data = np.asarray(t.value("data", event))
    Y_hat = sigmoid(W_o @ sigmoid(W_h @ data[:, :2].T + b_h) + b_o)
    return float(np.mean((Y_hat[1] > Y_hat[0]) == (data[:, 2] == 1)))


# -- the lesson as shipped ---------------------------------------------------------------
def test_passes_the_check_with_its_exercises(runner):
    lesson = load_lesson(LESSON)
    assert lesson.problems == []
    assert check_lesson(lesson, runner) == []
    assert kinds(lesson) == {
        "code": ["gradient-hidden"],
        "predict": ["first-cost"],
        "break": ["slow"],
    }
    assert lesson.order == 13 and lesson.network is not None and lesson.plots.boundary
    assert all(len(line) <= 65 for line in lesson.source.splitlines())
    _, t = run(runner)
    assert "your turn" not in lesson.source
    assert check_equations(lesson, t) == []
    assert t.iterations == 400 and not t.truncated and len(t) < 20_000


def test_the_code_exercise_blank_fails_only_its_step(runner):
    lesson = load_lesson(LESSON)
    exercise = code_exercise(lesson)
    _, t = run(runner, blank=exercise)
    problems = check_equations(lesson, t)
    assert problems, "the blank should show a cross"
    assert all(f'step "{exercise}"' in p.message for p in problems)
    # Only the output layer learns: the hidden layer keeps its random start.
    assert at_end(t, "accuracy") == 0.845
    assert np.asarray(at_end(t, "W_h")).tolist() == weights_before(t, 1)[0].tolist()


# -- columns: each one is lesson 12's example --------------------------------------------
@pytest.mark.parametrize("iteration", [1, 200, 400])
def test_column_i_of_every_result_is_lesson_12s_result_for_example_i(runner, iteration):
    _, t = run(runner)
    W_h, b_h, W_o, b_o = weights_before(t, iteration)
    X, Y = np.asarray(end_of(t, iteration, "X")), np.asarray(end_of(t, iteration, "Y"))
    assert X.shape == Y.shape == (2, 200)
    examples = [one_example(W_h, b_h, W_o, b_o, X[:, [i]], Y[:, [i]]) for i in range(X.shape[1])]
    worst = 0.0
    for name in ("Z_h", "H", "Z_o", "Y_hat", "Delta_o", "dL_dH", "Delta_h"):
        batch = np.asarray(end_of(t, iteration, name))
        columns = np.hstack([e[name] for e in examples])
        worst = max(worst, float(np.abs(batch - columns).max()))
    losses = np.array([e["loss"] for e in examples])
    worst = max(worst, float(np.abs(np.asarray(end_of(t, iteration, "loss")) - losses).max()))
    assert end_of(t, iteration, "cost") == pytest.approx(losses.mean(), rel=1e-12)
    # The gradients of the cost: the averages of the examples' gradients.
    for name in ("dJ_dW_o", "dJ_db_o", "dJ_dW_h", "dJ_db_h"):
        batch = np.asarray(end_of(t, iteration, name))
        average = sum(e[name] for e in examples) / len(examples)
        worst = max(worst, float(np.abs(batch - average).max()))
    assert worst < 1e-12


def test_the_lessons_own_comparison_with_one_example_at_a_time(runner):
    lesson, t = run(runner)
    difference = at_end(t, "difference")
    assert 0 <= difference < 1e-12  # 6.1e-16 where the lesson was written: quoted as such
    assert "largest difference from one at a time:" in t.output_text()
    assert "6.1 · 10⁻¹⁶ on the machine this lesson was written on" in lesson.md_path.read_text()
    # The comparison runs untraced: after the loop, no step of the iteration shows again.
    after = [e for e in range(len(t)) if t.iteration(e) is None and t.step(e)]
    assert [t.step(e) for e in after] == ["results", "speed"]


def test_the_gradients_are_the_slopes_of_the_cost(runner):
    _, t = run(runner)
    W_h, b_h, W_o, b_o = weights_before(t, 1)
    X, Y = np.asarray(end_of(t, 1, "X")), np.asarray(end_of(t, 1, "Y"))

    def cost(W_h, b_h, W_o, b_o):
        Y_hat = sigmoid(W_o @ sigmoid(W_h @ X + b_h) + b_o)
        return np.mean(np.sum((Y_hat - Y) ** 2, axis=0))

    names = ["dJ_dW_h", "dJ_db_h", "dJ_dW_o", "dJ_db_o"]
    grads = [np.asarray(end_of(t, 1, name)) for name in names]
    assert_central_slopes(cost, [W_h, b_h, W_o, b_o], grads)


# -- the numbers the text quotes ---------------------------------------------------------
def test_the_data_is_two_moons_that_no_straight_line_separates(runner):
    _, t = run(runner)
    data = np.asarray(at_end(t, "data"))
    X = np.asarray(at_end(t, "X"))
    assert data.shape == (200, 3) and X.T.tolist() == data[:, :2].tolist()
    assert sorted(data[:, 2].tolist()) == [0] * 100 + [1] * 100
    assert data[:, 0].min() > -1.5 and data[:, 0].max() < 2.5  # inside the plot's ranges
    assert data[:, 1].min() > -1.0 and data[:, 1].max() < 1.5
    # The best straight border gets 88 % of the points right (every direction, every cut).
    angles = np.linspace(0, 2 * math.pi, 1440, endpoint=False)
    projections = np.cos(angles)[:, None] * X[0] + np.sin(angles)[:, None] * X[1]
    best = 0.0
    for row in projections:
        cuts = np.sort(row)
        above = row[None, :] >= cuts[:, None]
        best = max(best, float(np.mean(above == (data[:, 2] == 1), axis=1).max()))
    assert best == 0.88


def test_the_first_iteration_the_text_quotes(runner):
    _, t = run(runner)
    X, Y = np.asarray(end_of(t, 1, "X")), np.asarray(end_of(t, 1, "Y"))
    assert X[:, :3] == pytest.approx(
        np.array([[-0.732, 1.16, 1.03], [0.272, 0.516, -0.429]]), abs=5e-3
    )
    assert Y[:, :3].T.tolist() == [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    assert np.asarray(end_of(t, 1, "Y_hat"))[:, 0] == pytest.approx([0.434, 0.806], abs=5e-4)
    loss = np.asarray(end_of(t, 1, "loss"))
    assert loss.shape == (200,)
    assert loss[:3] == pytest.approx([0.971, 0.751, 0.289], abs=5e-4)
    assert loss.sum() == pytest.approx(115.66, abs=5e-3)
    assert end_of(t, 1, "cost") == pytest.approx(0.5783, abs=5e-5)


def test_full_batch_training_bends_the_border(runner):
    _, t = run(runner)
    a = [accuracy_at(t, k) for k in range(1, 401)]
    assert (a[0], a[9]) == (0.505, 0.845)
    assert (min(a[9:200]), max(a[9:200])) == (0.84, 0.87)
    assert (a[249], a[299], a[399]) == (0.935, 0.98, 0.99)
    costs = per_iteration(t, "cost")
    assert all(b < c for b, c in zip(costs[1:], costs, strict=False))  # falls every time
    assert (costs[9], costs[199]) == pytest.approx((0.218, 0.176), abs=5e-4)
    assert costs[-1] == pytest.approx(0.0423, abs=5e-5)
    assert at_end(t, "accuracy") == 0.99 and at_end(t, "correct") == 198
    assert "accuracy on the 200 points: 99.0%" in t.output_text()


def test_halving_the_learning_rate_never_bends_the_border(runner):
    lesson = load_lesson(LESSON)
    _, t = run(runner, edits=[change_of(lesson, "slow")])
    assert at_end(t, "accuracy") == 0.865


def test_the_boundary_function_is_the_networks_class(runner):
    lesson, t = run(runner)
    boundary = lesson.plots.boundary
    assert (boundary.function, boundary.points) == ("predict", "data")
    values = {n: at_end(t, n) for n in ("W_h", "b_h", "W_o", "b_o")}
    grid = evaluate_grid(
        lesson.source, str(lesson.py_path), "predict", values, boundary.x1, boundary.x2, 8, 5
    )
    assert {v for row in grid for v in row} == {0.0, 1.0}
    top = evaluate_grid(lesson.source, "lesson.py", "predict", values, (0.4, 0.6), (1.4, 1.5), 1, 1)
    bottom = evaluate_grid(
        lesson.source, "lesson.py", "predict", values, (0.4, 0.6), (-0.9, -0.8), 1, 1
    )
    assert top[0][0] == 0.0 and bottom[0][0] == 1.0


# -- the speed, measured outside the timeline ---------------------------------------------
def test_the_speed_is_measured_untraced_and_never_pinned(runner):
    lesson, t = run(runner)
    [event] = events_of(t, "speed")
    loop, batch = t.value("seconds_loop", event), t.value("seconds_batch", event)
    assert loop > 0 and batch > 0
    assert t.value("speedup", event) == pytest.approx(loop / batch)
    # How fast is never asserted: timings depend on the machine; no expect pins them.
    assert not any(e.name.startswith(("seconds", "speedup")) for e in lesson.expectations)
    out = t.output_text()
    assert "one at a time:" in out and "one batch:" in out and "times faster" in out
    # The comparison and timing functions are untraced: none of their lines is an event.
    source = lesson.source.splitlines()
    spans = []
    for i, line in enumerate(source, 1):
        if line.startswith("def ") and line[4:].split("(")[0] in (
            "sigmoid",
            "by_examples",
            "predict",
            "largest_difference",
            "seconds",
        ):
            assert line.rstrip().endswith("# untraced"), line
            end = next(
                (j for j in range(i, len(source)) if source[j] and not source[j][0].isspace()),
                len(source),
            )
            spans.append(range(i + 1, end + 1))
    assert len(spans) == 5
    assert not any(t.line(e) in span for e in range(len(t)) for span in spans)
