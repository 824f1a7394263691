"""Lessons 02-04 (many examples, bias, an activation), and lesson 01 they build on: the
numbers their text quotes.

Each lesson runs complete, as shipped (and as ``nn-tutor check`` runs it), with its code
exercise blanked as ``t`` makes it, with the changes its break exercises propose, and with
the edits its text invites (another learning rate, another start), and the values on the
timeline are compared with the text.
"""

from __future__ import annotations

import math

import pytest

from tutor.core.check import check_lesson, check_lessons
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

LESSON_01 = LESSONS / "01-one-neuron"
LESSON_02 = LESSONS / "02-many-examples"
LESSON_03 = LESSONS / "03-bias"
LESSON_04 = LESSONS / "04-activation"
OURS = [LESSON_02, LESSON_03, LESSON_04]
PANE_WIDTH = 44  # the equation pane at 120 columns


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=10.0)) as r:
        yield r


# -- all three pass the check, with small timelines (speed is benchmarks/' job) ---------------
def test_lessons_02_to_04_pass_the_check():
    results = {lesson.id: problems for lesson, problems in check_lessons(map(load_lesson, OURS))}
    assert results == {"02-many-examples": [], "03-bias": [], "04-activation": []}


@pytest.mark.parametrize("folder", OURS, ids=lambda f: f.name)
def test_each_lesson_loads_cleanly_with_exercises_and_a_small_timeline(runner, folder):
    lesson, t = run(runner, folder)
    assert lesson.problems == []
    assert check_lesson(lesson, runner) == []  # every exercise proven too
    assert len(kinds(lesson)["code"]) == 1 and kinds(lesson)["predict"]
    assert len(t) < 10_000  # far below the 200,000 events a lesson may take
    assert not t.truncated


@pytest.mark.parametrize("folder", OURS, ids=lambda f: f.name)
def test_the_shipped_code_has_no_blank_and_learns(runner, folder):
    lesson, t = run(runner, folder)
    assert "your turn" not in lesson.source
    assert check_equations(lesson, t) == []
    costs = per_iteration(t, "cost")
    assert costs[-1] < costs[0] / 100


@pytest.mark.parametrize("folder", OURS, ids=lambda f: f.name)
def test_the_code_exercise_blank_runs_and_fails_only_its_step(runner, folder):
    lesson = run(runner, folder)[0]
    exercise = code_exercise(lesson)
    _, t = run(runner, folder, blank=exercise)
    problems = check_equations(lesson, t)
    assert problems, "the blank should show a cross"
    assert all(f'step "{exercise}"' in p.message for p in problems)


@pytest.mark.parametrize("folder", OURS, ids=lambda f: f.name)
def test_every_equation_fits_the_equation_pane_at_every_event(runner, folder):
    lesson, t = run(runner, folder)
    too_wide = []
    for step in lesson.steps:
        compiled = {step.equations.index(c.source): c for c in lesson.equations[step.id]}
        for k, c in compiled.items():
            for event in events_of(t, step.id):
                if c.target not in lesson.stores.get(t.line(event), ()):
                    continue
                verdict = verdict_at(c, t, event, lesson.tolerance_for(step.id))
                assert verdict.ok, (step.id, k, event)
                rows = present_step(step, k + 1, compiled, {k: verdict}, lesson.digits)
                widest = max(width(r.text) for r in rows if r.kind in ("math", "numbers"))
                if widest > PANE_WIDTH:
                    too_wide.append((step.id, k, event, widest))
    assert too_wide == []


# -- 01: one neuron (shipped complete: the first run learns) ------------------------------------
def test_01_passes_the_check_with_exercises_of_every_kind(runner):
    lesson, t = run(runner, LESSON_01)
    assert lesson.problems == [] and check_lesson(lesson, runner) == []
    assert {k: len(v) for k, v in kinds(lesson).items()} == {
        "code": 1,
        "derive": 1,
        "predict": 2,
        "break": 1,
    }
    assert "your turn" not in lesson.source


def test_01_the_shipped_code_learns_to_double(runner):
    _, t = run(runner, LESSON_01)
    assert t.iterations == 20
    weights = per_iteration(t, "w")
    assert weights[:3] == pytest.approx([0.8, 1.04, 1.232])  # each update closes 20 % of the gap
    assert weights == pytest.approx([2 - 1.5 * 0.8**k for k in range(1, 21)])
    assert weights[-1] == pytest.approx(1.983, abs=5e-4)
    assert per_iteration(t, "loss")[:2] == pytest.approx([2.25, 1.44])
    assert per_iteration(t, "loss")[-1] == pytest.approx(0.0005, abs=5e-5)
    assert "w = 1.9827 after 20 iterations" in t.output_text()


def test_01_the_measured_slope_is_the_gradient_plus_the_nudge(runner):
    _, t = run(runner, LESSON_01)
    assert end_of(t, 1, "loss_nudged") == pytest.approx(2.247001)
    assert end_of(t, 1, "slope") == pytest.approx(-2.999)
    for k in range(1, 21):  # (L(w + ε) − L(w)) / ε = 2(w x − y) x + ε x², and x = 1
        assert end_of(t, k, "slope") == pytest.approx(end_of(t, k, "dL_dw") + 0.001, abs=1e-9)


def test_01_too_big_a_learning_rate_makes_the_loss_grow(runner):
    lesson = run(runner, LESSON_01)[0]
    edit = change_of(lesson, "too-fast")
    _, t = run(runner, LESSON_01, edits=[edit])
    losses = per_iteration(t, "loss")
    assert all(a < b for a, b in zip(losses, losses[1:], strict=False))
    assert losses[-1] == pytest.approx(2296.5, abs=0.1)


# -- 02: many examples -------------------------------------------------------------------------
def test_02_first_iteration_averages_four_losses_and_four_gradients(runner):
    _, t = run(runner, LESSON_02)
    assert [t.value("loss", i) for i in events_of(t, "loss", 1)] == [2.25, 9.0, 20.25, 36.0]
    assert [t.value("dL_dw", i) for i in events_of(t, "gradient", 1)] == [-3, -12, -27, -48]
    costs = [t.value("cost", i) for i in events_of(t, "cost", 1)]
    assert costs == pytest.approx([0.5625, 2.8125, 7.875, 16.875])
    assert end_of(t, 1, "dJ_dw") == pytest.approx(-22.5)
    assert end_of(t, 1, "w") == pytest.approx(0.95)  # 0.5 - 0.02 * (-22.5)


def test_02_each_update_closes_30_percent_of_the_gap(runner):
    _, t = run(runner, LESSON_02)
    assert t.iterations == 20
    weights = per_iteration(t, "w")
    assert weights[:3] == pytest.approx([0.95, 1.265, 1.4855])
    assert weights == pytest.approx([2 - 1.5 * 0.7**k for k in range(1, 21)])
    assert end_of(t, 20, "cost") == pytest.approx(2.19265e-5, rel=1e-4)
    assert "w = 1.9988 after 20 iterations; the last cost was 0.000022" in t.output_text()


def test_02_too_small_a_learning_rate_is_slow(runner):
    _, t = run(runner, LESSON_02, edits=[("lr = 0.02", "lr = 0.001")])
    assert end_of(t, 20, "w") == pytest.approx(0.8913, abs=1e-4)
    assert end_of(t, 20, "cost") == pytest.approx(9.502, abs=1e-3)


def test_02_too_large_a_learning_rate_diverges_visibly(runner):
    lesson = run(runner, LESSON_02)[0]
    assert change_of(lesson, "diverge") == ("lr = 0.02", "lr = 0.15")  # the break exercise
    _, t = run(runner, LESSON_02, edits=[("lr = 0.02", "lr = 0.15")])
    costs = per_iteration(t, "cost")
    assert all(a < b for a, b in zip(costs, costs[1:], strict=False))  # every iteration worse
    assert costs[:3] == pytest.approx([16.875, 26.3671875, 41.19873046875])
    assert costs[-1] == pytest.approx(81250.17, abs=0.01)
    assert per_iteration(t, "w")[:2] == pytest.approx([3.875, -0.34375])
    assert end_of(t, 20, "w") == pytest.approx(-128.1043, abs=1e-4)


@pytest.mark.parametrize(
    ("lr", "last_cost"), [("0.1", 6.1e-11), ("0.13", 2.4029), ("0.14", 631.198)]
)
def test_02_the_border_of_divergence_is_2_over_15(runner, lr, last_cost):
    _, t = run(runner, LESSON_02, edits=[("lr = 0.02", f"lr = {lr}")])
    assert end_of(t, 20, "cost") == pytest.approx(last_cost, rel=1e-2)
    if lr == "0.1":  # overshoots, comes back, settles
        assert per_iteration(t, "w")[:3] == pytest.approx([2.75, 1.625, 2.1875])


# -- 03: bias ----------------------------------------------------------------------------------
def test_03_first_iteration_two_gradients(runner):
    _, t = run(runner, LESSON_03)
    assert [t.value("loss", i) for i in events_of(t, "loss", 1)] == [0.25, 1, 6.25, 16]
    assert [t.value("dL_dy_hat", i) for i in events_of(t, "slope-loss", 1)] == [1, -2, -5, -8]
    assert [t.value("dL_dw", i) for i in events_of(t, "gradient-w", 1)] == [-1, 0, -5, -16]
    assert [t.value("dL_db", i) for i in events_of(t, "gradient-b", 1)] == [1, -2, -5, -8]
    assert end_of(t, 1, "cost") == pytest.approx(5.875)
    assert end_of(t, 1, "dJ_dw") == pytest.approx(-5.5)
    assert end_of(t, 1, "dJ_db") == pytest.approx(-3.5)
    assert (end_of(t, 1, "w"), end_of(t, 1, "b")) == pytest.approx((1.05, 0.35))


def test_03_with_a_bias_the_neuron_finds_y_equals_2x_plus_1(runner):
    _, t = run(runner, LESSON_03)
    assert t.iterations == 40
    assert per_iteration(t, "w")[:3] == pytest.approx([1.05, 1.4, 1.6225])
    assert per_iteration(t, "b")[:3] == pytest.approx([0.35, 0.575, 0.72])
    assert per_iteration(t, "cost")[:3] == pytest.approx([5.875, 2.39375, 0.975625])
    assert end_of(t, 40, "w") == pytest.approx(2.0001, abs=5e-5)
    assert end_of(t, 40, "b") == pytest.approx(0.9999, abs=5e-5)
    assert end_of(t, 40, "cost") < 3e-8
    assert "w = 2.0001, b = 0.9999 after 40 iterations" in t.output_text()


@pytest.mark.parametrize("how", ["break", "blank"])
def test_03_without_a_bias_the_best_line_through_zero_misses(runner, how):
    # The break exercise freezes b at 0 (and the code exercise's blank, dL_db = 0.0, keeps it
    # there too): the neuron is lesson 02's, y_hat = w x.
    lesson = run(runner, LESSON_03)[0]
    if how == "break":
        _, t = run(runner, LESSON_03, edits=[change_of(lesson, "no-bias")])
    else:
        _, t = run(runner, LESSON_03, blank="gradient-b")
    assert set(per_iteration(t, "b")) == {0.0}
    assert end_of(t, 40, "w") == pytest.approx(7 / 3, abs=1e-5)
    assert end_of(t, 40, "cost") == pytest.approx(5 / 6, abs=1e-8)
    assert abs(end_of(t, 40, "dJ_dw")) < 1e-5  # no other weight does better
    # The example x = 0 always has loss 1, so the cost never drops below 1/4.
    at_zero = [i for i in events_of(t, "loss") if t.value("x", i) == 0]
    assert len(at_zero) == 40 and {t.value("loss", i) for i in at_zero} == {1.0}
    assert min(per_iteration(t, "cost")) > 0.25
    last = t.iteration_span(40)
    guesses = [t.value("y_hat", i) for i in last if t.step(i) == "predict"]
    assert guesses == pytest.approx([-7 / 3, 0, 7 / 3, 14 / 3], abs=1e-5)
    assert "w = 2.3333, b = 0.0000 after 40 iterations; the last cost was 0.833333" in (
        t.output_text()
    )


def test_03_the_edits_the_text_suggests(runner):
    _, t = run(runner, LESSON_03, edits=[("b = 0.0  #", "b = 5.0  #")])
    assert end_of(t, 1, "b") == pytest.approx(4.35)
    assert (end_of(t, 40, "w"), end_of(t, 40, "b")) == pytest.approx((1.9943, 1.0093), abs=5e-5)
    data = "data = [(-1, -1), (0, 1), (1, 3), (2, 5)]"
    _, t = run(runner, LESSON_03, edits=[(data, "data = [(-1, -3), (0, -1), (1, 1), (2, 3)]")])
    assert (end_of(t, 40, "w"), end_of(t, 40, "b")) == pytest.approx((1.9978, -0.9964), abs=5e-5)


# -- 04: an activation -------------------------------------------------------------------------
def test_04_the_sigmoid_slope_is_the_derivative_of_the_sigmoid(runner):
    _, t = run(runner, LESSON_04)
    slopes = events_of(t, "slope-sigmoid")
    assert len(slopes) == 60 * 4
    h = 1e-6
    for i in slopes:
        z, a, da_dz = t.value("z", i), t.value("a", i), t.value("da_dz", i)
        assert a == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)
        numeric = (1 / (1 + math.exp(-(z + h))) - 1 / (1 + math.exp(-(z - h)))) / (2 * h)
        assert da_dz == pytest.approx(numeric, rel=1e-6)
        assert 0 < da_dz <= 0.25


def test_04_first_example_through_the_chain(runner):
    _, t = run(runner, LESSON_04)
    first = lambda name, step: t.value(name, events_of(t, step, 1)[0])  # noqa: E731
    assert first("z", "weighted-sum") == 2.5
    assert first("a", "activate") == pytest.approx(0.924142, abs=1e-6)
    assert first("loss", "loss") == pytest.approx(0.854038, abs=1e-6)
    assert first("dL_da", "slope-loss") == pytest.approx(1.84828, abs=1e-5)
    assert first("da_dz", "slope-sigmoid") == pytest.approx(0.0701, abs=1e-4)
    assert first("delta", "delta") == pytest.approx(0.1296, abs=1e-4)
    assert first("dL_dw", "gradients") == pytest.approx(-0.2591, abs=1e-4)
    assert end_of(t, 1, "cost") == pytest.approx(0.6446, abs=1e-4)


def test_04_the_neuron_turns_around_and_answers_yes_or_no(runner):
    _, t = run(runner, LESSON_04)
    assert t.iterations == 60
    assert per_iteration(t, "w")[:2] == pytest.approx([-0.3583, 0.4271], abs=1e-4)
    assert per_iteration(t, "cost")[:3] == pytest.approx([0.6446, 0.4041, 0.1436], abs=1e-4)
    assert end_of(t, 60, "cost") == pytest.approx(0.002448, abs=1e-6)
    assert (end_of(t, 60, "w"), end_of(t, 60, "b")) == pytest.approx((2.6007, 0.0323), abs=5e-5)
    out = t.output_text()
    for line in ["answer 0.006", "answer 0.071", "answer 0.933", "answer 0.995"]:
        assert line in out


def test_04_without_the_sigmoid_slope_nothing_learns(runner):
    _, t = run(runner, LESSON_04, blank="slope-sigmoid")
    assert set(per_iteration(t, "w")) == {-1.0} and set(per_iteration(t, "b")) == {0.5}
    out = t.output_text()
    assert "answer 0.924" in out and "answer 0.182" in out


def test_04_the_edits_the_text_suggests(runner):
    _, t = run(runner, LESSON_04, edits=[("lr = 2.0", "lr = 0.5")])
    assert end_of(t, 60, "cost") == pytest.approx(0.0108, abs=1e-4)
    assert "x =  1.0  target 1  answer 0.869" in t.output_text()
    _, t = run(runner, LESSON_04, edits=[("w = -1.0", "w = 1.0")])
    assert (end_of(t, 60, "w"), end_of(t, 60, "b")) == pytest.approx((2.6381, 0.0450), abs=5e-5)
    assert end_of(t, 60, "cost") == pytest.approx(0.0023, abs=1e-4)
