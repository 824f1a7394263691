"""Lesson 09 (a network that computes its own gradients): the nodes give lessons 07's and
08's numbers.

Lessons 07, 08 and 09 run complete, as shipped, through the runner; the gradients and
updated weights that lesson 09's ``Node.backward()`` computes are compared with the ones
lessons 07 and 08 derive by hand, to 1e-12.
"""

from __future__ import annotations

import pytest

from tutor.core.check import check_lesson
from tutor.core.equation.verify import check_equations
from tutor.core.lesson.load import load_lesson
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner
from tutor.core.view.graph_network import graph_network

from .conftest import LESSONS
from .lessons_support import change_of, end_of, kinds
from .lessons_support import run as run_lesson

LESSON_07 = LESSONS / "07-any-shape"
LESSON_08 = LESSONS / "08-worked-example"
LESSON_09 = LESSONS / "09-own-gradients"
PARAMS_08 = [f"w{k}" for k in range(1, 9)] + [f"b{k}" for k in range(1, 5)]
PARAMS_07 = ["w1", "w2", "b_h", "v", "u1", "u2", "b"]


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=20.0)) as r:
        yield r


def last(t, name):
    return t.value(name, len(t) - 1)


def test_the_lesson_passes_the_check_with_its_exercises(runner):
    lesson = load_lesson(LESSON_09)
    assert lesson.problems == []
    assert check_lesson(lesson, runner) == []
    assert kinds(lesson) == {"code": ["two-paths"], "predict": ["add-paths"], "break": ["new-wire"]}
    assert lesson.network is not None


def test_the_timeline_is_small_and_the_equations_hold(runner):
    lesson, t = run_lesson(runner, LESSON_09)
    assert check_equations(lesson, t) == []
    assert t.iterations == 2
    assert len(t) < 5_000


def test_backward_gives_lesson_08s_gradients_and_updates_to_1e_12(runner):
    _, nodes = run_lesson(runner, LESSON_09)
    _, by_hand = run_lesson(runner, LESSON_08)
    names = ["h1", "h2", "y_hat1", "y_hat2", "loss", "delta3", "delta4"]
    names += ["dL_dh1", "dL_dw1", "dL_dw5", "dL_dw7", *PARAMS_08]
    worst = 0.0
    for k in (1, 2):
        for name in names:
            gap = abs(end_of(nodes, k, name) - end_of(by_hand, k, name))
            worst = max(worst, gap)
    assert worst < 1e-12
    # 300 iterations of node training against lesson 08's run.
    trained = last(nodes, "nodes_08")
    assert len(trained) == 12
    for value, name in zip(trained, PARAMS_08, strict=True):
        assert abs(value - last(by_hand, name)) < 1e-12
    assert last(nodes, "diff_08") < 1e-12


def test_the_node_network_with_skip_wires_gives_lesson_07s_weights_to_1e_12(runner):
    _, nodes = run_lesson(runner, LESSON_09)
    _, by_hand = run_lesson(runner, LESSON_07)
    assert by_hand.iterations == 600
    trained = last(nodes, "nodes_07")
    for value, name in zip(trained, PARAMS_07, strict=True):
        assert abs(value - last(by_hand, name)) < 1e-12
    assert abs(last(nodes, "cost") - last(by_hand, "cost")) < 1e-12
    assert last(nodes, "diff_07") < 1e-12


def test_the_nudge_measures_the_sum_over_two_paths(runner):
    _, t = run_lesson(runner, LESSON_09)
    delta3, delta4 = end_of(t, 1, "delta3"), end_of(t, 1, "delta4")
    dL_dh1 = end_of(t, 1, "dL_dh1")
    assert dL_dh1 == pytest.approx(delta3 * 0.5 + delta4 * 0.7, abs=1e-15)
    assert end_of(t, 1, "slope") == pytest.approx(dL_dh1, abs=1e-5)
    assert dL_dh1 == pytest.approx(0.067, abs=5e-4)


def test_the_blank_fails_only_its_step(runner):
    lesson, t = run_lesson(runner, LESSON_09, blank="two-paths")
    problems = check_equations(lesson, t)
    assert problems
    assert all('step "two-paths"' in p.message for p in problems)


def test_a_new_wire_gets_its_path_from_backward_and_is_drawn(runner):
    lesson = load_lesson(LESSON_09)
    _, shipped = run_lesson(runner, LESSON_09)
    _, t = run_lesson(runner, LESSON_09, edits=[change_of(lesson, "new-wire")])
    for k in (1, 2):
        end = t.iteration_span(k)[-1]
        v = {n: t.value(n, end) for n in ("dL_dh1", "h1", "x1", "delta4", "dL_dw1")}
        old_paths = v["dL_dh1"] * v["h1"] * (1 - v["h1"]) * v["x1"]
        assert v["dL_dw1"] == pytest.approx(old_paths + v["delta4"] * v["x1"], abs=1e-15)
        assert abs(v["delta4"] * v["x1"]) > 0.01  # the new path weighs
    end = len(t) - 1
    edges = {
        (e.source, e.target)
        for e in graph_network("L", t, end, t.values(end), lesson.source)[0].edges
    }
    assert {("W1", "Z4"), ("X1", "Z4")} <= edges  # the pane draws the new wire
    end = len(shipped) - 1
    built = graph_network("L", shipped, end, shipped.values(end), lesson.source)[0]
    assert ("X1", "Z4") not in {(e.source, e.target) for e in built.edges}
    assert {n.id for n in built.nodes} == {
        *(f"W{k}" for k in range(1, 9)),
        *(f"B{k}" for k in range(1, 5)),
        *("X1", "X2", "Z1", "Z2", "Z3", "Z4", "H1", "H2", "Y1", "Y2", "L"),
    }


def test_lesson_08s_loss_after_300_iterations(runner):
    _, nodes = run_lesson(runner, LESSON_09)
    _, by_hand = run_lesson(runner, LESSON_08)
    # lesson 08's last loss is measured before its 300th update, ours after it
    assert 0 < last(nodes, "loss_08") < last(by_hand, "loss")
    assert last(nodes, "loss_08") == pytest.approx(5.2e-8, rel=0.01)
