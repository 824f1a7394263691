"""Every bundled lesson's equations fit the equation pane at 120×36 (44 columns inside
its borders) at the events of its first two and last iterations: a numbers row too wide
puts its result on a line of its own and breaks before a + or −, else before a ·; a row
of matrices also between a product's factors."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core.equation.boxes import Layout, width
from tutor.core.equation.latex import parse_equation
from tutor.core.equation.verify import verdict_at
from tutor.core.lesson.collection import load_collection
from tutor.core.run.runner import Runner
from tutor.core.view.equation_rows import _broken, _wrapped, present_step

from .conftest import LESSONS

PANE = 44  # the equation pane at 120×36, inside its borders


@pytest.fixture(scope="module")
def runner():
    with Runner() as r:
        yield r


@pytest.mark.parametrize("lesson", load_collection(LESSONS), ids=lambda lesson: lesson.id)
def test_the_equations_fit_the_pane_at_120_columns(runner, lesson):
    t = runner.run(lesson.py_path, lesson.source, lesson.iteration).timeline
    shown = {1, 2, t.iterations} if t.iterations else {None}
    too_wide = []
    for step in lesson.steps:
        compiled = {step.equations.index(c.source): c for c in lesson.equations.get(step.id, [])}
        for k, c in compiled.items():
            for event in range(len(t)):
                if t.step(event) != step.id or t.iteration(event) not in shown:
                    continue
                if c.target not in lesson.stores.get(t.line(event), ()):
                    continue
                verdict = verdict_at(c, t, event, lesson.tolerance_for(step.id))
                rows = present_step(step, k + 1, compiled, {k: verdict}, lesson.digits, width=PANE)
                too_wide += [
                    (step.id, k, r.shown())
                    for r in rows
                    if r.kind in ("math", "numbers") and width(r.shown()) > PANE
                ]
    assert too_wide[:3] == []


def test_a_long_row_breaks_before_a_sign_else_before_a_product_outside_brackets():
    long_sum = "  = 0.284 · 0.0225 + 0.0027 · (−13.5) · 0.951 · (1 − 0.951) · 6.71"
    assert _broken(long_sum, 44) == [
        "  = 0.284 · 0.0225",
        "    + 0.0027 · (−13.5) · 0.951 · (1 − 0.951)",
        "    · 6.71",
    ]
    product = "  = (0.207 · 0.44 + (−0.0505) · 0.716) · 0.57 · (1 − 0.57) · 1.0"
    assert _broken(product, 44) == [
        "  = (0.207 · 0.44 + (−0.0505) · 0.716)",
        "    · 0.57 · (1 − 0.57) · 1.0",
    ]
    assert _broken("  = 1 + 2", 44) == ["  = 1 + 2"]
    assert _broken("  = " + "9" * 60, 44) == ["  = " + "9" * 60]  # nowhere to break


def test_a_row_of_matrices_breaks_between_the_factors_of_a_product():
    equation = parse_equation(r"Z = W H + b")
    values = {"W": np.array([[-1.26, -0.107, 1.45, -0.521]] * 2), "H": np.ones((4, 200))}
    values["b"] = np.array([[0.5], [0.25]])

    def substitute(node):
        return values.get(getattr(node, "name", None))

    lines = _wrapped(Layout(substitute=substitute, digits=3), equation.sides[1], 44, False)
    rows = [row.rstrip() for box in lines for row in box.rows]
    assert all(width(row) <= 44 for row in rows)
    assert any("⟨4×200 array⟩" in row and row.lstrip().startswith("·") for row in rows)
    assert rows[0].startswith("  = ⎡") or rows[1].startswith("  = ⎡")


def test_a_matrix_wider_than_the_pane_is_drawn_as_its_shape():
    gradient = np.array([[-0.0003, -0.000919, 0.00111, 0.000778]] * 2)
    wide = Layout(digits=3, grid_width=38).value(gradient)
    assert wide.rows == ["⟨2×4 array⟩"]
    narrow = Layout(digits=3).value(gradient)
    assert narrow.height == 2 and narrow.width > 38  # drawn whole where it fits


async def test_at_80x24_a_revealed_derivation_keeps_its_newest_equation_whole(tutor_home):
    from tutor.app import make_app
    from tutor.app.widgets.equation import EquationView

    from .conftest import wait_for_lesson

    app = make_app("08", predict=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_lesson(pilot)
        await pilot.press("l")  # from the lesson text to the equation and code
        t = screen.navigator.timeline
        screen.navigator.goto_event(
            next(i for i in range(len(t)) if t.step(i) == "gradient-hidden")
        )
        screen.redraw()
        await pilot.pause()
        view = screen.query_one(EquationView)
        shown = [view.render_line(y).text for y in range(view.size.height)]
        top = next(k for k, line in enumerate(shown) if "∂w₁" in line)
        assert "∂L" in shown[top - 2] and "= δ₁x₁" in shown[top - 1]  # the fraction whole
        assert any("✓" in line for line in shown[top:])  # and its numbers, checked
