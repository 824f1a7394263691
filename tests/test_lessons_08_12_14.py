"""Lessons 08, 12 and 14 (a worked example, layers, mini-batches and softmax): the numbers
their text quotes.

Each lesson runs complete, as shipped (and as ``nn-tutor check`` runs it), with its code
exercise blanked as ``t`` makes it, with the changes its break exercises propose, and with
the edits its text invites. Lesson 08's numbers are recomputed here from the math,
independently of its code; lesson 12's matrices are compared with lesson 08's neurons;
lesson 14's error signal P − Y and gradients with measured slopes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core.check import check_lesson, check_lessons
from tutor.core.equation.verify import check_equations
from tutor.core.lesson.load import load_lesson
from tutor.core.run.grid import evaluate_grid
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner

from .conftest import LESSONS
from .lessons_support import (
    assert_central_slopes,
    at_end,
    change_of,
    end_of,
    events_of,
    kinds,
    per_iteration,
)
from .lessons_support import run as run_lesson

LESSON_08 = LESSONS / "08-worked-example"
LESSON_12 = LESSONS / "12-layers"
LESSON_14 = LESSONS / "14-mini-batches"
OURS = [LESSON_08, LESSON_12, LESSON_14]
EXERCISES = {LESSON_08: "delta-h2", LESSON_12: "gradient-hidden", LESSON_14: "delta-out"}


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=20.0)) as r:
        yield r


_runs: dict = {}


def run(runner, folder, blank=None, edits=()):
    """Run a lesson (cached): complete, or with its code exercise ``blank`` blanked, with
    (old, new) edits to lesson.py."""
    key = (folder, blank, tuple(edits))
    if key not in _runs:
        _runs[key] = run_lesson(runner, folder, blank, edits)
    return _runs[key]


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


# -- all three pass the check, with modest timelines ----------------------------------
def test_lessons_08_to_10_pass_the_check():
    # (how fast they record is measured by benchmarks/lessons.py, not asserted here)
    results = {lesson.id: problems for lesson, problems in check_lessons(map(load_lesson, OURS))}
    assert results == {"08-worked-example": [], "12-layers": [], "14-mini-batches": []}


@pytest.mark.parametrize("folder", OURS, ids=lambda f: f.name)
def test_each_lesson_loads_cleanly_with_exercises_and_a_modest_timeline(runner, folder):
    lesson, t = run(runner, folder)
    assert lesson.problems == []
    assert check_lesson(lesson, runner) == []  # every exercise proven too
    assert kinds(lesson)["code"] == [EXERCISES[folder]] and kinds(lesson)["predict"]
    assert "your turn" not in lesson.source
    assert len(t) < 50_000  # far below the 200,000 events a lesson may take
    assert not t.truncated
    assert lesson.network is not None and lesson.plots is not None and lesson.plots.series


@pytest.mark.parametrize("folder", OURS, ids=lambda f: f.name)
def test_the_code_exercise_blank_runs_and_fails_only_its_step(runner, folder):
    lesson, t = run(runner, folder)
    assert check_equations(lesson, t) == []
    lesson, t = run(runner, folder, blank=EXERCISES[folder])
    problems = check_equations(lesson, t)
    assert problems, "the blank should show a cross"
    assert all(f'step "{EXERCISES[folder]}"' in p.message for p in problems)


# -- 08: a complete worked example -------------------------------------------------------------
def lesson_08_by_hand(lr=0.5, y1=0.2, y2=0.9, iterations=1):
    """Lesson 08's network computed from the math, written here independently of its code."""
    x1, x2 = 1.0, 0.5
    w = {1: 0.1, 2: 0.2, 3: 0.3, 4: 0.4, 5: 0.5, 6: 0.6, 7: 0.7, 8: 0.8}
    b = {1: 0.1, 2: 0.1, 3: 0.2, 4: 0.2}
    history = []
    for _ in range(iterations):
        v = {}
        v["z1"] = w[1] * x1 + w[2] * x2 + b[1]
        v["z2"] = w[3] * x1 + w[4] * x2 + b[2]
        v["h1"], v["h2"] = sigmoid(v["z1"]), sigmoid(v["z2"])
        v["z3"] = w[5] * v["h1"] + w[6] * v["h2"] + b[3]
        v["z4"] = w[7] * v["h1"] + w[8] * v["h2"] + b[4]
        v["y_hat1"], v["y_hat2"] = sigmoid(v["z3"]), sigmoid(v["z4"])
        v["loss"] = (v["y_hat1"] - y1) ** 2 + (v["y_hat2"] - y2) ** 2
        v["dL_dy_hat1"], v["dL_dy_hat2"] = 2 * (v["y_hat1"] - y1), 2 * (v["y_hat2"] - y2)
        v["delta3"] = v["dL_dy_hat1"] * v["y_hat1"] * (1 - v["y_hat1"])
        v["delta4"] = v["dL_dy_hat2"] * v["y_hat2"] * (1 - v["y_hat2"])
        v["dL_dh1"] = v["delta3"] * w[5] + v["delta4"] * w[7]
        v["dL_dh2"] = v["delta3"] * w[6] + v["delta4"] * w[8]
        v["delta1"] = v["dL_dh1"] * v["h1"] * (1 - v["h1"])
        v["delta2"] = v["dL_dh2"] * v["h2"] * (1 - v["h2"])
        grad_w = {
            1: v["delta1"] * x1,
            2: v["delta1"] * x2,
            3: v["delta2"] * x1,
            4: v["delta2"] * x2,
            5: v["delta3"] * v["h1"],
            6: v["delta3"] * v["h2"],
            7: v["delta4"] * v["h1"],
            8: v["delta4"] * v["h2"],
        }
        grad_b = {k: v[f"delta{k}"] for k in range(1, 5)}
        for k, g in grad_w.items():
            v[f"dL_dw{k}"] = g
            w[k] -= lr * g
        for k, g in grad_b.items():
            v[f"dL_db{k}"] = g
            b[k] -= lr * g
        v.update({f"w{k}": w[k] for k in w})
        v.update({f"b{k}": b[k] for k in b})
        history.append(v)
    return history


def test_08_every_number_of_the_first_iteration_by_hand(runner):
    _, t = run(runner, LESSON_08)
    [expected] = lesson_08_by_hand()
    for name, value in expected.items():
        assert end_of(t, 1, name) == pytest.approx(value, rel=1e-12, abs=1e-15), name
    # The numbers the text quotes (to the pane's 3 digits).
    quoted = {
        "h1": 0.574, "h2": 0.646, "z3": 0.875, "y_hat1": 0.706, "z4": 1.12, "y_hat2": 0.754,
        "loss": 0.277, "dL_dy_hat1": 1.01, "delta3": 0.21, "dL_dy_hat2": -0.293,
        "delta4": -0.0543, "dL_dh1": 0.067, "delta1": 0.0164, "dL_dh2": 0.0826,
        "delta2": 0.0189, "dL_dw5": 0.121, "dL_dw6": 0.136, "dL_dw7": -0.0312,
        "dL_dw8": -0.0351, "dL_dw2": 0.00819, "dL_dw4": 0.00945, "w1": 0.0918, "w2": 0.196,
        "w3": 0.291, "w4": 0.395, "w5": 0.44, "w6": 0.532, "w7": 0.716, "w8": 0.818,
        "b1": 0.0918, "b2": 0.0906, "b3": 0.095, "b4": 0.227,
    }  # fmt: skip
    for name, value in quoted.items():
        assert float(f"{end_of(t, 1, name):.3g}") == value, name
    # The backward pass reads the weights of the forward pass: w5 before its update.
    delta_hidden = [i for i in t.iteration_span(1) if t.step(i) == "delta-hidden"]
    assert t.value("w5", delta_hidden[0]) == 0.5


def test_08_h1_reaches_the_loss_by_two_paths_and_the_nudge_measures_their_sum(runner):
    _, t = run(runner, LESSON_08)
    [v] = lesson_08_by_hand()
    eps = 1e-6

    def loss_from(h1):  # the forward pass from h1 on, computed here in full
        y_hat1 = sigmoid(0.5 * h1 + 0.6 * v["h2"] + 0.2)
        y_hat2 = sigmoid(0.7 * h1 + 0.8 * v["h2"] + 0.2)
        return (y_hat1 - 0.2) ** 2 + (y_hat2 - 0.9) ** 2

    assert loss_from(v["h1"]) == pytest.approx(v["loss"], rel=1e-15)
    rise = loss_from(v["h1"] + eps) - v["loss"]
    assert end_of(t, 1, "loss_nudged") == pytest.approx(v["loss"] + rise, rel=1e-15)
    assert end_of(t, 1, "slope") == pytest.approx(rise / eps, rel=1e-8)
    assert float(f"{rise:.3g}") == 6.70e-8  # the text: L moves by 6.70 · 10⁻⁸
    paths = (v["delta3"] * 0.5, v["delta4"] * 0.7)
    assert rise / eps == pytest.approx(sum(paths), rel=1e-6)
    assert float(f"{rise / eps:.3g}") == 0.067
    assert (float(f"{paths[0]:.3g}"), float(f"{paths[1]:.2g}")) == (0.105, -0.038)
    assert paths[0] > 1.5 * sum(paths) > 0 > paths[1]  # either path alone is far off
    # At every iteration the measured slope is the sum of the paths, to 1 part in 1,000.
    measured = [i for i in events_of(t, "nudge") if t.changed(i) == ["slope"]]
    assert len(measured) == 300
    for i in measured:
        paths_i = t.value("delta3", i) * t.value("w5", i) + t.value("delta4", i) * t.value("w7", i)
        assert t.value("slope", i) == pytest.approx(paths_i, rel=1e-3)


def test_08_a_nudge_that_moves_one_path_only_disagrees(runner):
    edits = [("z4_nudged = z4 + w7 * nudge", "z4_nudged = z4")]
    lesson, t = run(runner, LESSON_08, edits=edits)
    problems = check_equations(lesson, t)
    assert {p.message.split('"')[1] for p in problems} == {"nudge"}
    assert end_of(t, 1, "slope") == pytest.approx(0.105, abs=5e-4)  # the path through z₃


def test_08_trains_to_convergence_in_300_iterations(runner):
    _, t = run(runner, LESSON_08)
    assert t.iterations == 300
    losses = per_iteration(t, "loss")
    assert all(a > b for a, b in zip(losses, losses[1:], strict=False))  # falls every time
    history = lesson_08_by_hand(iterations=300)
    assert losses == pytest.approx([v["loss"] for v in history], rel=1e-9)
    assert (end_of(t, 2, "y_hat1"), end_of(t, 2, "y_hat2")) == pytest.approx(
        (0.665, 0.761), abs=5e-4
    )
    assert end_of(t, 2, "loss") == pytest.approx(0.236, abs=5e-4)
    assert (end_of(t, 100, "y_hat1"), end_of(t, 100, "y_hat2")) == pytest.approx(
        (0.201, 0.892), abs=5e-4
    )
    assert end_of(t, 100, "loss") == pytest.approx(7.1e-5, rel=1e-2)
    assert end_of(t, 300, "loss") == pytest.approx(5.4e-8, rel=1e-2)
    assert "after 300 iterations: y_hat1 = 0.2000, y_hat2 = 0.8998" in t.output_text()
    assert "the last loss was 5.36e-08" in t.output_text()


def test_08_the_edits_the_text_suggests(runner):
    _, t = run(runner, LESSON_08, edits=[("lr = 0.5", "lr = 2.0")])
    below = [k for k, loss in enumerate(per_iteration(t, "loss"), 1) if loss < 5.4e-8]
    assert below[0] == 74
    _, t = run(runner, LESSON_08, edits=[("y1 = 0.2", "y1 = 0.0"), ("y2 = 0.9", "y2 = 1.0")])
    losses = per_iteration(t, "loss")
    assert losses[-1] == pytest.approx(0.0015, abs=5e-5)
    assert all(a > b for a, b in zip(losses, losses[1:], strict=False))


def test_08_without_the_exercise_hidden_neuron_2_never_learns(runner):
    _, t = run(runner, LESSON_08, blank="delta-h2")
    for name, start in [("w3", 0.3), ("w4", 0.4), ("b2", 0.1)]:
        assert set(per_iteration(t, name)) == {start}
    assert end_of(t, 1, "w1") != 0.1  # hidden neuron 1 learns as before
    assert end_of(t, 300, "loss") < 1e-6  # the others make up for it: only the ✗ tells


def test_08_twin_hidden_neurons_stay_twins(runner):
    lesson = run(runner, LESSON_08)[0]
    edit = change_of(lesson, "twins")
    assert edit == ("lr = 0.5", "w3, w4, w6, w8 = w1, w2, w5, w7\nlr = 0.5")
    _, t = run(runner, LESSON_08, edits=[edit])
    assert per_iteration(t, "h1") == per_iteration(t, "h2")
    assert per_iteration(t, "w1") == per_iteration(t, "w3")
    _, shipped = run(runner, LESSON_08)
    assert end_of(shipped, 1, "h1") != end_of(shipped, 1, "h2")


# -- 09: layers as an optimization -------------------------------------------------------------
def test_09_the_matrices_give_lesson_08s_numbers_to_1e_12(runner):
    _, neurons = run(runner, LESSON_08)
    _, layers = run(runner, LESSON_12)
    assert neurons.iterations == layers.iterations == 300
    pairs = {
        ("W_h", (0, 0)): "w1", ("W_h", (0, 1)): "w2", ("W_h", (1, 0)): "w3",
        ("W_h", (1, 1)): "w4", ("W_o", (0, 0)): "w5", ("W_o", (0, 1)): "w6",
        ("W_o", (1, 0)): "w7", ("W_o", (1, 1)): "w8", ("b_h", (0, 0)): "b1",
        ("b_h", (1, 0)): "b2", ("b_o", (0, 0)): "b3", ("b_o", (1, 0)): "b4",
        ("y_hat", (0, 0)): "y_hat1", ("y_hat", (1, 0)): "y_hat2", ("h", (0, 0)): "h1",
        ("h", (1, 0)): "h2", ("delta_o", (0, 0)): "delta3", ("delta_o", (1, 0)): "delta4",
        ("dL_dh", (0, 0)): "dL_dh1", ("dL_dh", (1, 0)): "dL_dh2",
        ("delta_h", (0, 0)): "delta1", ("delta_h", (1, 0)): "delta2",
        ("dL_dW_h", (0, 0)): "dL_dw1", ("dL_dW_h", (0, 1)): "dL_dw2",
        ("dL_dW_h", (1, 0)): "dL_dw3", ("dL_dW_h", (1, 1)): "dL_dw4",
        ("dL_dW_o", (0, 0)): "dL_dw5", ("dL_dW_o", (1, 1)): "dL_dw8", ("loss", ()): "loss",
    }  # fmt: skip
    worst = 0.0
    for k in range(1, 301):
        for (name, index), scalar in pairs.items():
            matrix = np.asarray(end_of(layers, k, name))[index]
            worst = max(worst, abs(float(matrix) - end_of(neurons, k, scalar)))
    assert worst < 1e-12
    # The lesson's own comparison with its neuron-by-neuron lists, after 300 iterations.
    assert at_end(layers, "largest_difference") < 1e-15
    assert "largest difference from the neuron-by-neuron numbers" in layers.output_text()
    assert np.asarray(at_end(layers, "W_h")) == pytest.approx(
        np.array([[0.171, 0.236], [0.365, 0.432]]), abs=5e-4
    )


def test_09_the_first_iteration_in_matrix_form(runner):
    _, t = run(runner, LESSON_12)
    W_h = np.array([[0.1, 0.2], [0.3, 0.4]])
    W_o = np.array([[0.5, 0.6], [0.7, 0.8]])
    x, y = np.array([[1.0], [0.5]]), np.array([[0.2], [0.9]])
    assert np.asarray(end_of(t, 1, "z_h")) == pytest.approx(W_h @ x + 0.1)
    h = 1 / (1 + np.exp(-(W_h @ x + 0.1)))
    y_hat = 1 / (1 + np.exp(-(W_o @ h + 0.2)))
    delta_o = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    # The transpose sends the error back: row j of W_o^T delta_o adds the paths out of h_j.
    dL_dh = np.array(
        [[delta_o[0, 0] * 0.5 + delta_o[1, 0] * 0.7], [delta_o[0, 0] * 0.6 + delta_o[1, 0] * 0.8]]
    )
    assert np.asarray(end_of(t, 1, "dL_dh")) == pytest.approx(dL_dh, rel=1e-12)
    delta_h = dL_dh * h * (1 - h)
    assert np.asarray(end_of(t, 1, "dL_dW_o")) == pytest.approx(np.outer(delta_o, h), rel=1e-12)
    assert np.asarray(end_of(t, 1, "dL_dW_h")) == pytest.approx(np.outer(delta_h, x), rel=1e-12)
    assert np.asarray(end_of(t, 1, "W_h")).shape == (2, 2)


def test_09_the_speed_table_at_four_widths_is_measured_outside_the_timeline(runner):
    lesson, t = run(runner, LESSON_12)
    # One speedup per width, each S = T_n / T_m of that width (how fast is never asserted:
    # timings depend on the machine; the text quotes none and no expect pins them).
    events = events_of(t, "speed")
    assert [t.value("width", e) for e in events] == [2, 8, 32, 128]
    for e in events:
        n, m = t.value("seconds_neurons", e), t.value("seconds_matrices", e)
        assert n > 0 and m > 0
        assert t.value("speedup", e) == pytest.approx(n / m)
    # The printed table: a header, then one row per width with T_n, T_m (µs) and S.
    lines = t.output_text().splitlines()
    header = lines.index("width   T_n (µs)   T_m (µs)   T_n / T_m")
    rows = [line.split() for line in lines[header + 1 :]]
    assert [int(row[0]) for row in rows] == [2, 8, 32, 128]
    assert all(len(row) == 4 and all(float(v) > 0 for v in row[1:]) for row in rows)
    assert not any(e.name.startswith(("seconds", "speedup")) for e in lesson.expectations)
    # The timing functions are untraced: none of their lines is an event.
    untraced = {
        "as_lists",
        "forward_neurons",
        "loss_by_neurons",
        "train_neurons",
        "train_matrices",
        "seconds",
        "sigmoid",
    }
    source = lesson.source.splitlines()
    spans = []
    for i, line in enumerate(source, 1):
        if line.startswith("def ") and line[4:].split("(")[0] in untraced:
            assert line.rstrip().endswith("# untraced"), line
            end = next(
                (j for j in range(i, len(source)) if source[j] and not source[j][0].isspace()),
                len(source),
            )
            spans.append(range(i + 1, end + 1))
    assert len(spans) == 7
    assert not any(t.line(e) in span for e in range(len(t)) for span in spans)


def test_09_lines_fit_the_code_pane():
    source = (LESSON_12 / "lesson.py").read_text(encoding="utf-8")
    assert max(len(line) for line in source.splitlines()) <= 65


def test_09_the_loss_agrees_with_lesson_08s_arithmetic_at_every_iteration(runner):
    _, t = run(runner, LESSON_12)
    losses = per_iteration(t, "loss")
    assert per_iteration(t, "loss_neurons") == pytest.approx(losses, rel=1e-12)
    assert losses[0] == pytest.approx(0.2771, abs=5e-5)  # lesson 08's first loss
    # The check holds for a wrong gradient too: both versions see the same weights.
    _, blank = run(runner, LESSON_12, blank="gradient-hidden")
    assert per_iteration(blank, "loss_neurons") == pytest.approx(
        per_iteration(blank, "loss"), rel=1e-12
    )


def test_09_without_the_exercise_the_hidden_layer_never_learns(runner):
    _, t = run(runner, LESSON_12, blank="gradient-hidden")
    assert at_end(t, "largest_difference") > 1e-2
    assert "largest difference from the neuron-by-neuron numbers: 7.1e-02" in t.output_text()
    assert np.asarray(at_end(t, "W_h")).tolist() == [[0.1, 0.2], [0.3, 0.4]]


# -- 14: mini-batches, softmax and cross-entropy ---------------------------------------------
LESSON_13 = LESSONS / "13-columns"


def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=0)


def forward(W_h, b_h, W_o, b_o, X):
    """Lesson 14's forward pass, written here from the math: Z_o and P."""
    Z_o = W_o @ (1 / (1 + np.exp(-(W_h @ X + b_h)))) + b_o
    return Z_o, softmax(Z_o)


def weights_at(t, iteration):
    event = t.iteration_span(iteration)[-1] if iteration else len(t) - 1
    return [np.asarray(t.value(n, event)) for n in ("W_h", "b_h", "W_o", "b_o")]


def accuracy_at(t, iteration):
    """The share of the 200 points whose larger p is their class, with the weights the
    network has at the end of that iteration (None: after the loop)."""
    data = np.asarray(at_end(t, "data"))
    _, P = forward(*weights_at(t, iteration), data[:, :2].T)
    return float(np.mean(np.argmax(P, axis=0) == data[:, 2]))


def accuracies(t):
    return [accuracy_at(t, k) for k in range(1, t.iterations + 1)]


def first_reaching(values, level):
    return next(k for k, a in enumerate(values, 1) if a >= level)


def test_14_lesson_13s_points_and_starting_weights(runner):
    _, t = run(runner, LESSON_14)
    data = np.asarray(at_end(t, "data"))
    assert data.shape == (200, 3)
    assert sorted(data[:, 2].tolist()) == [0] * 100 + [1] * 100
    X_all = np.asarray(at_end(t, "X_all"))
    assert X_all.T.tolist() == data[:, :2].tolist()
    # The class-0 moon lies above the class-1 moon on average, and they interlock in x1.
    top, bottom = data[data[:, 2] == 0], data[data[:, 2] == 1]
    assert top[:, 1].mean() > bottom[:, 1].mean()
    assert bottom[:, 0].min() < top[:, 0].max()
    assert data[:, 0].min() > -1.5 and data[:, 0].max() < 2.5  # inside the plot's ranges
    assert data[:, 1].min() > -1.0 and data[:, 1].max() < 1.5
    # The same points, in the same order, and the same starting weights as lesson 13.
    _, t13 = run(runner, LESSON_13)
    assert np.asarray(at_end(t13, "X")).tolist() == X_all.tolist()
    first = events_of(t, "hidden", 1)[0]
    first_13 = events_of(t13, "hidden", 1)[0]
    for name in ("W_h", "b_h", "W_o", "b_o"):
        assert (
            np.asarray(t.value(name, first)).tolist()
            == np.asarray(t13.value(name, first_13)).tolist()
        )
    # Deterministic: a second run gives the same points.
    lesson = load_lesson(LESSON_14)
    again = runner.run(lesson.py_path, lesson.source, "iteration").timeline
    assert np.asarray(at_end(again, "data")).tolist() == data.tolist()


def test_14_every_epoch_uses_each_point_once_in_a_new_order(runner):
    _, t = run(runner, LESSON_14)
    assert t.iterations == 800  # 80 epochs of 10 mini-batches
    X_all = np.asarray(at_end(t, "X_all"))
    columns = {tuple(c): i for i, c in enumerate(X_all.T.tolist())}
    orders = []
    for epoch in range(80):
        seen = []
        for k in range(1, 11):
            X = np.asarray(end_of(t, 10 * epoch + k, "X"))
            assert X.shape == (2, 20)
            seen += [columns[tuple(c)] for c in X.T.tolist()]
        assert sorted(seen) == list(range(200))  # each point exactly once
        orders.append(seen)
    assert len({tuple(order) for order in orders}) == 80  # shuffled anew every epoch


def test_14_the_first_mini_batch_through_the_softmax(runner):
    _, t = run(runner, LESSON_14)
    X, Y = np.asarray(end_of(t, 1, "X")), np.asarray(end_of(t, 1, "Y"))
    assert X[:, :3] == pytest.approx(
        np.array([[1.03, 1.47, 1.32], [-0.429, -0.970, -0.336]]), abs=5e-3
    )
    assert Y[:, :3].T.tolist() == [[0.0, 1.0]] * 3  # three points of class 1
    Z_o, P = (np.asarray(end_of(t, 1, n)) for n in ("Z_o", "P"))
    assert pytest.approx(softmax(Z_o), rel=1e-12) == P
    assert P.sum(axis=0) == pytest.approx(np.ones(20), rel=1e-12)  # probabilities
    assert Z_o[:, 0] == pytest.approx([-0.19, 0.891], abs=5e-4)
    assert np.exp(Z_o[:, 0]) == pytest.approx([0.827, 2.44], abs=5e-3)
    assert np.exp(Z_o[:, 0]).sum() == pytest.approx(3.26, abs=5e-3)
    assert P[:, 0] == pytest.approx([0.253, 0.747], abs=5e-4)
    loss = np.asarray(end_of(t, 1, "loss"))
    assert loss == pytest.approx(-np.log(np.sum(P * Y, axis=0)), rel=1e-12)  # −ln(true p)
    assert loss[0] == pytest.approx(0.292, abs=5e-4)
    assert loss.sum() == pytest.approx(16.60, abs=5e-3)
    assert end_of(t, 1, "cost") == pytest.approx(0.830, abs=5e-4)
    assert np.asarray(end_of(t, 1, "Delta_o"))[:, 0] == pytest.approx([0.253, -0.253], abs=5e-4)
    # With two classes, cross-entropy is lesson 11's loss with a = p2.
    a, y = P[1], Y[1]
    assert loss == pytest.approx(-y * np.log(a) - (1 - y) * np.log(1 - a), rel=1e-9)


def test_14_delta_o_is_p_minus_y_and_the_slope_of_the_loss(runner):
    _, t = run(runner, LESSON_14)
    for k in (1, 400, 800):
        Z_o, Y, Delta_o = (np.asarray(end_of(t, k, n)) for n in ("Z_o", "Y", "Delta_o"))
        assert Delta_o.tolist() == (softmax(Z_o) - Y).tolist()

        def total_loss(Z, Y=Y):
            return -np.sum(Y * np.log(softmax(Z)))

        for index in np.ndindex(Z_o.shape):
            up, down = Z_o.copy(), Z_o.copy()
            up[index] += 1e-6
            down[index] -= 1e-6
            slope = (total_loss(up) - total_loss(down)) / 2e-6
            assert Delta_o[index] == pytest.approx(slope, rel=1e-5, abs=1e-8)


def test_14_the_gradients_are_the_slopes_of_the_mini_batch_cost(runner):
    _, t = run(runner, LESSON_14)
    for k in (1, 400, 800):
        update = events_of(t, "update", k)[0]
        get = {n: np.asarray(t.value(n, update - 1)) for n in (
            "X", "Y", "H", "Delta_o", "Delta_h", "W_h", "b_h", "W_o", "b_o",
            "dJ_dW_o", "dJ_db_o", "dJ_dW_h", "dJ_db_h")}  # fmt: skip
        n = get["X"].shape[1]
        outer = sum(np.outer(get["Delta_o"][:, i], get["H"][:, i]) for i in range(n)) / n
        assert get["dJ_dW_o"] == pytest.approx(outer, rel=1e-9)
        assert get["dJ_db_h"][:, 0] == pytest.approx(get["Delta_h"].mean(axis=1), rel=1e-9)

        def cost(W_h, b_h, W_o, b_o, X=get["X"], Y=get["Y"]):
            _, P = forward(W_h, b_h, W_o, b_o, X)
            return np.mean(-np.sum(Y * np.log(P), axis=0))

        params = [get["W_h"], get["b_h"], get["W_o"], get["b_o"]]
        grads = [get["dJ_dW_h"], get["dJ_db_h"], get["dJ_dW_o"], get["dJ_db_o"]]
        assert_central_slopes(cost, params, grads)


def test_14_training_on_mini_batches_separates_the_moons(runner):
    _, t = run(runner, LESSON_14)
    assert at_end(t, "accuracy") == 0.98
    assert at_end(t, "correct") == 196
    assert accuracy_at(t, None) == 0.98
    assert "accuracy on the 200 points: 98.0%" in t.output_text()
    # The accuracies the text quotes, along the way.
    a = accuracies(t)
    data = np.asarray(at_end(t, "data"))
    for k in range(1, 6):  # all 200 points in one class, the other one each time
        _, P = forward(*weights_at(t, k), data[:, :2].T)
        assert set(np.argmax(P, axis=0).tolist()) == {k % 2 == 0}
        assert a[k - 1] == 0.5
    assert (a[9], a[29]) == (0.805, 0.875)
    assert (min(a[30:159]), max(a[30:159])) == (0.7, 0.945)
    assert first_reaching(a, 0.95) == 160 and a[159] == 0.955
    assert min(a[159:]) == 0.875 and a.index(0.875, 159) + 1 == 256
    assert sum(v < 0.95 for v in a[159:]) < len(a[159:]) / 5  # mostly above 95 %
    assert (min(a[399:]), max(a[399:])) == (0.945, 0.99)
    costs = per_iteration(t, "cost")
    assert np.mean(costs[:10]) == pytest.approx(1.11, abs=5e-3)
    assert np.mean(costs[-10:]) == pytest.approx(0.065, abs=5e-4)


def test_14_the_boundary_function_is_p2(runner):
    lesson, t = run(runner, LESSON_14)
    boundary = lesson.plots.boundary
    assert (boundary.function, boundary.points, boundary.output) == ("predict", "data", "P[1]")
    values = {n: t.value(n, len(t) - 1) for n in ("W_h", "b_h", "W_o", "b_o")}
    grid = evaluate_grid(
        lesson.source, str(lesson.py_path), "predict", values, boundary.x1, boundary.x2, 8, 5
    )
    flat = [v for row in grid for v in row]
    assert all(0 < v < 1 for v in flat)
    assert min(flat) < 0.1 and max(flat) > 0.9  # both classes appear on the plane
    # p2 at a point, from the math.
    [[p2]] = evaluate_grid(
        lesson.source, "lesson.py", "predict", values, (0.5, 0.5), (0.25, 0.25), 1, 1
    )
    _, P = forward(*weights_at(t, None), np.array([[0.5], [0.25]]))
    assert p2 == pytest.approx(P[1, 0], rel=1e-9)
    # Far above the moons is class 0 (the upper moon); far below, class 1.
    top = evaluate_grid(lesson.source, "lesson.py", "predict", values, (0.4, 0.6), (1.4, 1.5), 1, 1)
    bottom = evaluate_grid(
        lesson.source, "lesson.py", "predict", values, (0.4, 0.6), (-0.9, -0.8), 1, 1
    )
    assert top[0][0] < 0.5 < bottom[0][0]


def test_14_without_error_signals_nothing_learns(runner):
    _, t = run(runner, LESSON_14, blank="delta-out")
    assert at_end(t, "accuracy") == 0.5
    for name in ("W_h", "b_h", "W_o", "b_o"):
        assert (
            np.asarray(at_end(t, name)).tolist()
            == np.asarray(t.value(name, events_of(t, "hidden", 1)[0])).tolist()
        )


@pytest.mark.parametrize(
    ("batch_size", "accuracy", "reaches_95"), [(1, 0.5, None), (5, 0.97, 217), (200, 0.98, 121)]
)
def test_14_other_batch_sizes_the_text_quotes(runner, batch_size, accuracy, reaches_95):
    _, t = run(runner, LESSON_14, edits=[("batch_size = 20", f"batch_size = {batch_size}")])
    assert at_end(t, "accuracy") == accuracy
    assert np.asarray(end_of(t, 1, "X")).shape == (2, batch_size)
    a = accuracies(t)
    if reaches_95 is None:
        assert max(a) < 0.95
    else:
        assert first_reaching(a, 0.95) == reaches_95
    if batch_size == 5:
        assert reaches_95 * 5 / 200 < 6  # under 6 epochs
    if batch_size == 200:  # smooth: after its first few iterations the cost falls every time
        costs = per_iteration(t, "cost")
        assert all(b < c for b, c in zip(costs[3:], costs[2:], strict=False))
        # 121 passes over the data, where mini-batches of 20 need 16
        _, shipped = run(runner, LESSON_14)
        assert first_reaching(accuracies(shipped), 0.95) / 10 == 16


def test_14_a_small_learning_rate_stays_at_a_straight_border(runner):
    lesson, _ = run(runner, LESSON_14)
    _, t = run(runner, LESSON_14, edits=[change_of(lesson, "slow")])
    assert at_end(t, "accuracy") == 0.865


def test_14_has_no_timing_and_fits_the_code_pane(runner):
    lesson, t = run(runner, LESSON_14)
    assert not any(name.startswith(("seconds", "speedup")) for name in t.columns)
    assert "time" not in lesson.source
    assert max(len(line) for line in lesson.source.splitlines()) <= 65
