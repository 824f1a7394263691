"""Derivative equations proven by finite differences (tutor/core/derivatives.py; docs 6.1)."""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import LESSON_01, LESSONS
from tutor.core.check import check_lesson, derivative_report
from tutor.core.derivatives import prove_derivatives
from tutor.core.lesson.load import load_lesson
from tutor.core.run.recorder import record
from tutor.core.run.runner import Runner

MD = r"""---
title: One weight
iteration: iteration
symbols:
  x: x
  y: y
  w: w
  '\hat{y}': y_hat
  L: loss
  '\eta': lr
  '\frac{\partial L}{\partial w}': dL_dw
EXTRA
---

# Intro

One weight learns.

## Predict {#predict}

$$ \hat{y} = w x $$

## Loss {#loss}

$$ L = (\hat{y} - y)^2 $$

## Gradient {#gradient}

$$ \frac{\partial L}{\partial w} = FACTOR(\hat{y} - y) x $$

## Update {#update}

$$ w \leftarrow w - \eta \frac{\partial L}{\partial w} $$
"""

PY = """\
x = 1.5
y = 3.0
w = 0.5
lr = 0.05
for iteration in range(1, 6):
    y_hat = w * x  # step: predict
    loss = (y_hat - y) ** 2  # step: loss
    dL_dw = FACTOR * (y_hat - y) * x  # step: gradient
    w = w - lr * dL_dw  # step: update
"""

GRADIENT_LINE = MD.split("\n").index(r"$$ \frac{\partial L}{\partial w} = FACTOR(\hat{y} - y) x $$")


def one_weight(make_lesson, factor: str = "2", extra: str = "", name: str = "01-w"):
    md = MD.replace("FACTOR", factor).replace("EXTRA", textwrap.dedent(extra).strip())
    folder = make_lesson(name, md=md, py=PY.replace("FACTOR", factor))
    return load_lesson(folder)


def run(lesson):
    return record(lesson.source, lesson.py_path, lesson.iteration)


def report_of(lesson):
    assert lesson.problems == []
    return prove_derivatives(lesson, run(lesson).timeline)


def test_a_wrong_derivative_that_math_and_code_agree_on_fails_check(make_lesson):
    lesson = one_weight(make_lesson, factor="3")
    with Runner() as runner:
        problems = check_lesson(lesson, runner)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path == lesson.md_path
    assert problem.line == GRADIENT_LINE + 1  # lesson.md counts from 1
    # Iteration 1: ŷ = 0.75, y = 3, x = 1.5: the true slope 2(ŷ − y)x = −6.75; the code −10.125.
    assert r"\frac{\partial L}{\partial w} = 3(\hat{y} - y) x" in problem.message
    assert "-6.75" in problem.message and "-10.125" in problem.message
    assert "iteration 1" in problem.message
    assert "3 more checks disagree" in problem.message  # iterations 2, 3 and 5 too


def test_the_right_derivative_passes_and_is_proven(make_lesson):
    lesson = one_weight(make_lesson, factor="2")
    with Runner() as runner:
        assert check_lesson(lesson, runner) == []
        result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    report = derivative_report(lesson, result)
    assert report.problems == [] and report.unproven == []
    assert len(report.proven) == 1 and "dL_dw" in report.proven[0]


def test_lesson_01_proves_its_three_derivatives():
    lesson = load_lesson(LESSON_01)
    report = report_of(lesson)
    assert report.problems == [] and report.unproven == []
    proven = " ".join(report.proven)
    for name in ("dL_dy_hat", "dy_hat_dw", "dL_dw"):
        assert f"({name}," in proven
    assert len(report.proven) == 3


def test_a_matrix_derivative_is_proven_element_by_element(make_lesson):
    md = textwrap.dedent(
        r"""
    ---
    title: A layer
    symbols:
      W: {name: W, kind: matrix}
      x: {name: x, kind: vector}
      y: {name: y, kind: vector}
      '\hat{y}': {name: y_hat, kind: vector}
      L: loss
      '\frac{\partial L}{\partial W}': {name: dL_dW, kind: matrix}
    ---

    # Intro

    A layer.

    ## Forward {#forward}

    $$ \hat{y} = W x $$

    $$ L = \sum_{k=1}^{2} (\hat{y}_k - y_k)^2 $$

    ## Gradient {#gradient}

    $$ \frac{\partial L}{\partial W} = 2 GRAD $$
    """
    ).lstrip()
    py = """\
    import numpy as np

    W = np.array([[0.1, 0.2], [0.3, -0.4]])
    x = np.array([[1.0], [2.0]])
    y = np.array([[1.0], [0.0]])
    y_hat = W @ x  # step: forward
    loss = float(np.sum((y_hat - y) ** 2))  # step: forward
    dL_dW = 2 * CODE  # step: gradient
    """
    right = make_lesson(
        "01-right",
        md=md.replace("GRAD", r"(\hat{y} - y) x^T"),
        py=py.replace("CODE", "(y_hat - y) @ x.T"),
    )
    report = report_of(load_lesson(right))
    assert report.problems == [] and report.unproven == [], report
    wrong = make_lesson(  # the transpose of the right one: agrees with its code, not with L
        "02-wrong",
        md=md.replace("GRAD", r"x (\hat{y} - y)^T"),
        py=py.replace("CODE", "x @ (y_hat - y).T"),
    )
    report = report_of(load_lesson(wrong))
    assert len(report.problems) == 1
    message = report.problems[0].message
    # ŷ − y = [−0.5, −0.5]: ∂L/∂W = 2(ŷ − y)xᵀ = [[−1, −2], [−1, −2]]; the code's transpose
    # is [[−1, −1], [−2, −2]]. They differ at [0, 1] and [1, 0].
    assert "nudging W[0, 1] gives -2.0" in message
    assert "the code gives -1.0 for dL_dW[0, 1]" in message
    assert "1 more check disagrees" in message


def test_a_cost_built_up_by_a_loop_is_unproven_with_its_reason(make_lesson):
    md = MD.replace(
        r"""## Update {#update}""",
        r"""## Cost {#cost}

$$ J \leftarrow J + L / n $$

## Average {#average}

$$ \frac{\partial J}{\partial w} = \frac{\partial L}{\partial w} / n $$

## Update {#update}""",
    ).replace("EXTRA", "  J: cost\n  n: n\n  '\\frac{\\partial J}{\\partial w}': dJ_dw")
    py = """\
    x = 1.5
    y = 3.0
    w = 0.5
    n = 1
    lr = 0.05
    for iteration in range(1, 4):
        cost = 0.0
        y_hat = w * x  # step: predict
        loss = (y_hat - y) ** 2  # step: loss
        dL_dw = 2 * (y_hat - y) * x  # step: gradient
        cost = cost + loss / n  # step: cost
        dJ_dw = dL_dw / n  # step: average
        w = w - lr * dL_dw  # step: update
    """
    lesson = load_lesson(make_lesson(md=md.replace("FACTOR", "2"), py=py))
    report = report_of(lesson)
    assert report.problems == []
    assert len(report.proven) == 1 and "dL_dw" in report.proven[0]
    [(what, why)] = report.unproven
    assert "dJ_dw" in what
    assert "do not compute J from w" in why and "built up by a loop" in why
    assert r"J \leftarrow J + L / n" in why


def test_a_derivative_whose_value_is_not_in_the_forward_equations_is_unproven(make_lesson):
    lesson = one_weight(make_lesson)
    lesson.equations["loss"] = []  # as if L had no equation: L is not reached from w
    report = prove_derivatives(lesson, run(lesson).timeline)
    [(what, why)] = report.unproven
    assert "dL_dw" in what and "no equation of the lesson computes loss" in why


def test_a_declared_derivative_symbol_is_proven_and_a_wrong_one_fails(make_lesson):
    extra = r"""
      '\delta': delta
    derivatives:
      '\delta': [L, '\hat{y}']
    """
    md = MD.replace("EXTRA", textwrap.dedent(extra).lstrip("\n").rstrip()).replace(
        "## Gradient {#gradient}",
        "## Delta {#delta}\n\n$$ \\delta = FACTOR(\\hat{y} - y) $$\n\n## Gradient {#gradient}",
    )
    py = PY.replace("    dL_dw =", "    delta = FACTOR * (y_hat - y)  # step: delta\n    dL_dw =")
    good = load_lesson(
        make_lesson("01-good", md=md.replace("FACTOR", "2"), py=py.replace("FACTOR", "2"))
    )
    assert good.derivatives == {"\\delta": ("L", "\\hat{y}")}
    report = report_of(good)
    assert report.problems == [] and len(report.proven) == 2
    assert any(p.startswith("\\delta (delta,") for p in report.proven)
    bad_md = md.replace("$$ \\delta = FACTOR", "$$ \\delta = 4")
    bad_py = py.replace("delta = FACTOR", "delta = 4").replace("FACTOR", "2")
    bad = load_lesson(make_lesson("02-bad", md=bad_md.replace("FACTOR", "2"), py=bad_py))
    report = report_of(bad)
    assert len(report.problems) == 1
    # ŷ − y = −2.25: the slope of L in ŷ is −4.5, the code's 4(ŷ − y) is −9.
    assert (
        "-4.5" in report.problems[0].message
        and "the code gives -9.0 for delta" in report.problems[0].message
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("derivatives: [L, w]", "'derivatives' must map a symbol to [A, B]"),
        ("derivatives:\n  '\\eta': [L]", "derivative '\\eta' must be [A, B]"),
        ("derivatives:\n  '\\eta': L", "derivative '\\eta' must be [A, B]"),
        ("derivatives:\n  '\\eta': [L, q]", "derivative '\\eta': 'q' is not in the symbol table"),
        ("derivatives:\n  '\\mu': [L, w]", "derivative '\\mu': '\\mu' is not in the symbol table"),
        ("derivatives:\n  '\\eta': [L, L]", "derivative '\\eta': A and B must differ"),
        ("derivative_tolerance: 2", "'derivative_tolerance' 2 must be a number between 0 and 1"),
        ("derivative_tolerance: x", "'derivative_tolerance' 'x' must be a number between 0"),
    ],
)
def test_bad_declarations_are_problems_at_their_line(make_lesson, extra, message):
    lesson = one_weight(make_lesson, extra=extra)
    md_lines = lesson.md_path.read_text(encoding="utf-8").split("\n")
    found = [p for p in lesson.problems if message in p.message]
    assert found, lesson.problems
    problem = found[0]
    assert problem.path == lesson.md_path
    assert md_lines[problem.line - 1].lstrip().startswith(("derivative", "'\\eta'", "'\\mu'"))
    assert lesson.derivatives == {}


def test_the_tolerance_can_be_loosened_per_lesson(make_lesson):
    # 2.5(ŷ − y)x is 25 % off the slope: it fails the default 1e-4 and passes within 0.3.
    strict = one_weight(make_lesson, factor="2.5", name="01-strict")
    assert len(report_of(strict).problems) == 1
    loose = one_weight(make_lesson, factor="2.5", extra="derivative_tolerance: 0.3", name="02-l")
    assert loose.derivative_tolerance == 0.3
    report = report_of(loose)
    assert report.problems == [] and len(report.proven) == 1


def test_lesson_13_proves_its_matrix_derivatives():
    lesson = load_lesson(LESSONS / "13-columns")
    report = report_of(lesson)
    assert report.problems == [] and report.unproven == []
    assert len(report.proven) == 8  # the two Δ declared as ∂L/∂Z are proven too
    assert any(p.startswith("\\Delta_o (Delta_o") for p in report.proven)
    assert any(p.startswith("\\Delta_h (Delta_h") for p in report.proven)


def test_lesson_14_proves_its_matrix_derivatives():
    lesson = load_lesson(LESSONS / "14-mini-batches")
    report = report_of(lesson)
    assert report.problems == [] and report.unproven == []
    # Δ_o = P − Y (softmax with cross-entropy), ∂L/∂H, Δ_h and the four gradients of J
    assert len(report.proven) == 7
    assert any(p.startswith("\\Delta_o (Delta_o") for p in report.proven)
    assert any(p.startswith("\\Delta_h (Delta_h") for p in report.proven)


def test_lesson_14_a_wrong_softmax_error_signal_is_refused(tmp_path):
    """Δ_o = 2(P − Y) in the code and in the math: they agree, but it is not the slope."""
    import shutil

    folder = tmp_path / "14-mini-batches"
    shutil.copytree(LESSONS / "14-mini-batches", folder)
    py, md = folder / "lesson.py", folder / "lesson.md"
    py.write_text(py.read_text().replace("Delta_o = P - Y", "Delta_o = 2 * (P - Y)"))
    text = md.read_text()
    text = text.replace("(\\sum_{k=1}^{2} Y_k) - Y", "(\\sum_{k=1}^{2} 2 Y_k) - 2 Y")
    text = text.replace("$$ = P - Y %", "$$ = 2(P - Y) %")
    md.write_text(text)
    report = report_of(load_lesson(folder))
    # Every derivative from Δ_o on is twice the slope: each is refused.
    assert report.proven == [] and len(report.problems) == 7
    assert any(
        "is not the slope of L in Z_o" in p.message and "for Delta_o[" in p.message
        for p in report.problems
    )


async def test_m_shows_the_measured_slope_under_a_derivative_line(tutor_home):
    from tutor.app import make_app

    from .conftest import wait_for_lesson

    app = make_app("01")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_lesson(pilot)
        t = screen.navigator.timeline
        slope_loss = next(i for i in range(len(t)) if t.step(i) == "slope-loss")
        screen.navigator.goto_event(slope_loss)
        screen.redraw()
        await pilot.pause()

        def measured() -> list[str]:
            rows = screen.query_one("#equation").rows
            return [r.text for r in rows if "measured:" in r.text]

        assert measured() == []  # only on request
        await pilot.press("M")
        await pilot.pause()
        assert measured() == [
            "  (measured: nudging ŷ by ±1e-06 moves L at a slope of −3.0; the code: −3.0 ✓)"
        ]
        await pilot.press("home")  # a line with no derivative: nothing measured
        assert measured() == []
        await pilot.press("M")
        screen.navigator.goto_event(slope_loss)
        screen.redraw()
        await pilot.pause()
        assert measured() == []
