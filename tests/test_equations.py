"""Equations compiled against the symbol table, evaluated against plain Python, and checked
against the code end to end: a lesson whose math matches its code passes; one that does not
fails naming lesson.py's line, the step, the iteration, both numbers and the equation's line."""

from __future__ import annotations

import math
import random
import shutil

import numpy as np
import pytest

from tutor.core.check import check_lesson, check_lessons
from tutor.core.equation.compiler import (
    EquationError,
    close,
    compile_equation,
    compile_step,
    symbol_table,
)
from tutor.core.equation.verify import check_equations, equations_for_line, verdict_at
from tutor.core.lesson.load import load_lesson
from tutor.core.lesson.model import Equation, Lesson, Symbol
from tutor.core.lesson.problems import Problem
from tutor.core.run.runner import Runner

from .conftest import LESSON_01

DRAWS = 200


def table(*entries: str | tuple[str, str] | tuple[str, str, str]):
    """Symbols from ``"x"`` (x -> x), ``(latex, name)`` or ``(latex, name, kind)``."""
    symbols = []
    for entry in entries:
        if isinstance(entry, str):
            entry = (entry, entry)
        symbols.append(Symbol(*entry))
    result, bad = symbol_table(symbols)
    assert bad == []
    return result


def compile_(latex: str, symbols, previous: str | None = None):
    return compile_equation(Equation(latex, 1), symbols, previous)


def evaluate(compiled, env) -> list:
    return [side(env) for side in compiled.sides]


# -- evaluation against the same formula in plain Python -----------------------------------
LESSON01_SYMBOLS = (
    "x",
    "y",
    (r"\hat{y}", "y_hat"),
    "w",
    ("L", "loss"),
    (r"\eta", "lr"),
    (r"\frac{\partial L}{\partial \hat{y}}", "dL_dy_hat"),
    (r"\frac{\partial \hat{y}}{\partial w}", "dy_hat_dw"),
    (r"\frac{\partial L}{\partial w}", "dL_dw"),
)


def uniform(rng: random.Random, lo: float = -10.0, hi: float = 10.0) -> float:
    return rng.uniform(lo, hi)


def agrees(got, want) -> bool:
    return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-300)


def test_lesson01_gradient_on_random_values():
    symbols = table(*LESSON01_SYMBOLS)
    compiled = compile_(r"\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x", symbols)
    assert compiled.target == "dL_dw"
    assert compiled.names == {"y_hat", "y", "x"}
    rng = random.Random(1)
    for _ in range(DRAWS):
        env = {"y_hat": uniform(rng), "y": uniform(rng), "x": uniform(rng)}
        (got,) = evaluate(compiled, env)
        assert agrees(got, 2 * (env["y_hat"] - env["y"]) * env["x"]), env


def test_lesson01_chain_rule_and_update_on_random_values():
    symbols = table(*LESSON01_SYMBOLS)
    chain = compile_(
        r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}} \cdot "
        r"\frac{\partial \hat{y}}{\partial w}",
        symbols,
    )
    update = compile_(r"w \leftarrow w - \eta \frac{\partial L}{\partial w}", symbols)
    loss = compile_(r"L = (\hat{y} - y)^2", symbols)
    assert (chain.target, update.target, loss.target) == ("dL_dw", "w", "loss")
    rng = random.Random(2)
    for _ in range(DRAWS):
        env = {
            k: uniform(rng) for k in ("dL_dy_hat", "dy_hat_dw", "w", "lr", "dL_dw", "y_hat", "y")
        }
        assert agrees(evaluate(chain, env)[0], env["dL_dy_hat"] * env["dy_hat_dw"])
        assert agrees(evaluate(update, env)[0], env["w"] - env["lr"] * env["dL_dw"])
        assert agrees(evaluate(loss, env)[0], (env["y_hat"] - env["y"]) ** 2)


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


@pytest.mark.parametrize(
    "latex, python, lo, hi",
    [
        (r"a = \frac{1}{1 + e^{-z}}", sigmoid, -30, 30),
        (r"a = \sigma(z)", sigmoid, -30, 30),
        (r"a = \sigma(z)(1 - \sigma(z))", lambda z: sigmoid(z) * (1 - sigmoid(z)), -30, 30),
        (r"a = \max(0, z)", lambda z: max(0, z), -5, 5),
        (r"a = \min(0, z)", lambda z: min(0, z), -5, 5),
        (r"a = \ln(z)", math.log, 1e-6, 100),
        (r"a = \log(z)", math.log, 1e-6, 100),  # \log is the natural logarithm
        (r"a = \sqrt{z}", math.sqrt, 0, 100),
        (r"a = \exp(z)", math.exp, -20, 20),
        (r"a = e^{z}", math.exp, -20, 20),
        (r"a = \tanh(z)", math.tanh, -5, 5),
        (r"a = z^2 - 3z + \frac{z}{4}", lambda z: z**2 - 3 * z + z / 4, -10, 10),
        (r"a = 50\% z", lambda z: 0.5 * z, -10, 10),
        (r"a = \pi z^2", lambda z: math.pi * z**2, -10, 10),
        (r"a = -z + 1", lambda z: -z + 1, -10, 10),
        (r"a = \frac{1}{2}(z - 1)^2", lambda z: 0.5 * (z - 1) ** 2, -10, 10),
    ],
)
def test_one_variable_formulas_on_random_values(latex, python, lo, hi):
    compiled = compile_(latex, table("a", "z"))
    rng = random.Random(latex)
    for _ in range(DRAWS):
        z = rng.uniform(lo, hi)
        (got,) = evaluate(compiled, {"z": z})
        assert agrees(got, python(z)), (latex, z)


def test_sum_over_numbered_symbols_on_random_values():
    symbols = table(
        "z", *[(f"x_{i}", f"x{i}") for i in (1, 2, 3)], *[(f"w_{i}", f"w{i}") for i in (1, 2, 3)]
    )
    compiled = compile_(r"z = \sum_{i=1}^{3} w_i x_i", symbols)
    assert compiled.loops
    assert compiled.names == {"x1", "x2", "x3", "w1", "w2", "w3"}
    rng = random.Random(3)
    for _ in range(DRAWS):
        env = {f"{v}{i}": uniform(rng) for v in "xw" for i in (1, 2, 3)}
        (got,) = evaluate(compiled, env)
        want = env["w1"] * env["x1"] + env["w2"] * env["x2"] + env["w3"] * env["x3"]
        assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12), env


def test_sum_over_a_vector_counts_from_one():
    symbols = table("s", "n", ("v", "v", "vector"))
    compiled = compile_(r"s = \sum_{i=1}^{n} v_i", symbols)
    rng = np.random.default_rng(4)
    for n in range(1, 6):
        v = rng.normal(size=6)
        (got,) = evaluate(compiled, {"v": v, "n": n})
        assert got == pytest.approx(v[:n].sum(), rel=1e-12)


def test_sum_with_an_index_expression_in_the_body():
    compiled = compile_(r"s = \sum_{i=1}^{4} i^2", table("s"))
    assert evaluate(compiled, {}) == [1 + 4 + 9 + 16]


def test_chain_has_one_function_per_right_side():
    compiled = compile_("a = 2z = z + z", table("a", "z"))
    assert compiled.target == "a"
    assert evaluate(compiled, {"z": 1.5}) == [3.0, 3.0]


def test_scalar_formulas_also_work_elementwise_on_arrays():
    compiled = compile_(
        r"a = \sigma(z)(1 - \sigma(z)) + \max(0, z) + \ln(\sqrt{e^{z}})", table("a", "z")
    )
    z = np.linspace(-3, 3, 13)
    s = 1 / (1 + np.exp(-z))
    (got,) = evaluate(compiled, {"z": z})
    np.testing.assert_allclose(got, s * (1 - s) + np.maximum(0, z) + z / 2, rtol=1e-12)


# -- matrices ------------------------------------------------------------------------------
MATRIX_SYMBOLS = (
    ("W", "W", "matrix"),
    ("V", "V", "matrix"),
    ("x", "x", "vector"),
    ("b", "b", "vector"),
    ("z", "z", "vector"),
    ("v", "v", "vector"),
    ("s", "s"),
    (r"\eta", "lr"),
)


@pytest.mark.parametrize(
    "latex, python",
    [
        ("z = W x + b", lambda W, V, x, b, v, lr: W @ x + b),
        (r"z = W \cdot x + b", lambda W, V, x, b, v, lr: W @ x + b),
        ("z = b + W x", lambda W, V, x, b, v, lr: b + W @ x),
        ("z = W^T v", lambda W, V, x, b, v, lr: W.T @ v),
        (r"z = W^\top v", lambda W, V, x, b, v, lr: W.T @ v),
        ("z = 2 W x", lambda W, V, x, b, v, lr: 2 * W @ x),
        ("z = W (x + x)", lambda W, V, x, b, v, lr: W @ (x + x)),
        (r"W \leftarrow W - \eta V", lambda W, V, x, b, v, lr: W - lr * V),
        (r"z = W \odot V", lambda W, V, x, b, v, lr: W * V),
        ("z = V^T W", lambda W, V, x, b, v, lr: V.T @ W),
        ("s = x^T x", lambda W, V, x, b, v, lr: x @ x),
        (r"z = \sigma(W x + b)", lambda W, V, x, b, v, lr: 1 / (1 + np.exp(-(W @ x + b)))),
    ],
)
def test_matrix_formulas_on_random_arrays(latex, python):
    compiled = compile_(latex, table(*MATRIX_SYMBOLS))
    rng = np.random.default_rng(5)
    for _ in range(50):
        env = {
            "W": rng.normal(size=(3, 2)),
            "V": rng.normal(size=(3, 2)),
            "x": rng.normal(size=2),
            "b": rng.normal(size=3),
            "v": rng.normal(size=3),
            "lr": float(rng.uniform(0, 1)),
        }
        (got,) = evaluate(compiled, env)
        want = python(env["W"], env["V"], env["x"], env["b"], env["v"], env["lr"])
        assert np.shape(got) == np.shape(want)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_product_of_scalar_symbols_stays_elementwise_on_arrays():
    # Only symbols declared vector/matrix multiply as matrices; scalars broadcast.
    compiled = compile_("a = w x", table("a", "w", "x"))
    w, x = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    np.testing.assert_array_equal(evaluate(compiled, {"w": w, "x": x})[0], [3.0, 8.0])


# -- compile errors ------------------------------------------------------------------------
def compile_error(latex: str, symbols, previous: str | None = None) -> EquationError:
    with pytest.raises(EquationError) as info:
        compile_(latex, symbols, previous)
    return info.value


@pytest.mark.parametrize(
    "latex, name, column",
    [
        (r"\hat{y} = w q", "'q'", 13),
        (r"\hat{y} = w x + q_1", "'q_{1}'", 17),
        (r"\hat{y} = \frac{\partial L}{\partial z}", r"'\frac{\partial L}{\partial z}'", 11),
        (r"\hat{y} = 2 \theta x", r"'\theta'", 13),
        (r"\hat{y} = \sigma(q)", "'q'", 18),
        (r"\hat{y} = w x = w k", "'k'", 19),
        # σ without parentheses is the Greek letter, which this table does not have
        (r"\hat{y} = \sigma x", r"'\sigma'", 11),
    ],
)
def test_unknown_symbol_is_named_with_its_column(latex, name, column):
    symbols = table((r"\hat{y}", "y_hat"), "w", "x")
    exc = compile_error(latex, symbols)
    assert f"{name} is not in the symbol table" in exc.message
    assert exc.column == column


def test_sum_index_does_not_leak_out_of_the_sum():
    symbols = table("s", ("x_1", "x1"), ("x_2", "x2"))
    exc = compile_error(r"s = \sum_{i=1}^{2} x_i + i", symbols)
    assert "'i' is not in the symbol table" in exc.message
    assert exc.column == 26


def test_unknown_indexed_symbol_in_a_sum_is_a_compile_error():
    symbols = table((r"\hat{y}", "y_hat"), ("w_1", "w1"), ("w_2", "w2"))
    exc = compile_error(r"\hat{y} = \sum_{i=1}^{2} w_i q_i", symbols)
    assert "'q" in exc.message and "is not in the symbol table" in exc.message
    assert exc.column == 30


def test_left_side_not_in_the_table():
    symbols = table((r"\hat{y}", "y_hat"), "w", "x")
    exc = compile_error("q = w x", symbols)
    assert "'q'" in exc.message and exc.column == 1
    exc = compile_error(r"w x = \hat{y}", symbols)
    assert "left side must be a symbol of the symbol table" in exc.message
    assert exc.column == 1
    exc = compile_error(r"\sigma(x) = \hat{y}", symbols)
    assert "left side must be a symbol" in exc.message


def test_an_equation_needs_a_relation():
    exc = compile_error("w x", table("w", "x"))
    assert "needs '='" in exc.message and exc.column == 1


def test_a_continuation_needs_a_line_above():
    exc = compile_error("= w x", table("w", "x"))
    assert "continues the equation above" in exc.message
    compiled = compile_("= w x", table("w", "x", "y"), previous="y")
    assert compiled.target == "y"
    assert evaluate(compiled, {"w": 2.0, "x": 3.0}) == [6.0]


def test_latex_errors_keep_their_column():
    exc = compile_error(r"w = \foo x", table("w", "x"))
    assert exc.column == 5 and r"\foo" in exc.message


def test_compile_step_continues_each_line_from_the_one_above():
    symbols = table(*LESSON01_SYMBOLS)
    lines = [
        Equation(r"\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x", 10),
        Equation(r"= 2\hat{y} x - 2 y x", 12),
        Equation(r"= q", 14),  # an error does not stop the lines after it
        Equation(r"= 2x(\hat{y} - y)", 16),
    ]
    compiled, errors = compile_step(lines, symbols)
    assert [c.target for c in compiled] == ["dL_dw"] * 3
    assert [(e.line, err.column) for e, err in errors] == [(14, 3)]
    env = {"y_hat": 0.5, "y": 2.0, "x": 1.5}
    assert [evaluate(c, env)[0] for c in compiled] == [-4.5, -4.5, -4.5]


def test_symbol_table_matches_hat_written_either_way():
    symbols = table((r"\hat y", "y_hat"), "w", "x")
    compiled = compile_(r"\hat{y} = w x", symbols)
    assert compiled.target == "y_hat"


def test_symbol_table_reports_keys_outside_the_subset():
    symbols, bad = symbol_table([Symbol(r"\mathbf{x}", "x", line=7), Symbol("w", "w")])
    assert list(symbols) == ["w"]
    [(symbol, message)] = bad
    assert symbol.line == 7
    assert r"'\mathbf{x}' is not in the supported LaTeX subset" in message


@pytest.mark.parametrize(
    "a, b, tolerance, expected",
    [
        (1.0, 1.0 + 1e-10, 1e-9, True),
        (1.0, 1.0 + 1e-8, 1e-9, False),
        (1.0, 1.0001, 1e-3, True),
        (0.0, 1e-13, 1e-9, True),  # absolute 1e-12 near zero
        (0.0, 1e-11, 1e-9, False),
        (math.nan, math.nan, 1e-9, True),
        (math.nan, 1.0, 1e-9, False),
        (math.inf, math.inf, 1e-9, True),
        (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-12]), 1e-9, True),
        (np.array([1.0, 2.0]), np.array([1.0, 2.1]), 1e-9, False),
        (np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0]), 1e-9, False),  # shapes differ
        (np.array([math.nan]), np.array([math.nan]), 1e-9, True),
        (np.array([0.25]), 0.25, 1e-9, True),  # a sum over a column: one number either way
        (np.array([[0.25]]), 0.26, 1e-9, False),
        (np.array([0.25, 0.25]), 0.25, 1e-9, False),  # two numbers are not one
    ],
)
def test_close(a, b, tolerance, expected):
    assert close(a, b, tolerance) is expected


# -- end to end: lessons checked against their code ----------------------------------------
@pytest.fixture(scope="module")
def runner():
    with Runner() as r:
        yield r


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line of ``text`` containing ``needle``."""
    found = [k for k, row in enumerate(text.split("\n"), 1) if needle in row]
    assert len(found) == 1, (needle, found)
    return found[0]


def equation_problems(runner: Runner, lesson: Lesson) -> list[Problem]:
    assert lesson.problems == []
    result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    assert result.ok, result.error
    return check_equations(lesson, result.timeline)


GRADIENT_MD = """\
---
title: Gradient
iteration: iteration
symbols:
  x: x
  y: y
  '\\hat{y}': y_hat
  w: w
  '\\eta': lr
  '\\frac{\\partial L}{\\partial w}': dL_dw
---

# Intro

A neuron and its gradient.

## Predict {#predict}

$$ \\hat{y} = w x $$

## Gradient {#gradient}

$$
\\frac{\\partial L}{\\partial w} = 2(\\hat{y} - y) \\cdot x
% the chain rule
$$

## Update {#update}

$$ w \\leftarrow w - \\eta \\frac{\\partial L}{\\partial w} $$
"""

GRADIENT_PY = """\
x = 1.5
y = 3.0
w = 0.5
lr = 0.1
for iteration in range(1, 6):
    y_hat = w * x  # step: predict
    dL_dw = 2 * (y_hat - y) * x  # step: gradient
    w = w - lr * dL_dw  # step: update
"""
GRADIENT_LINE = 7  # the line of lesson.py that computes dL_dw


def test_a_lesson_whose_math_matches_its_code_passes(make_lesson, runner):
    lesson = load_lesson(make_lesson("01-gradient", md=GRADIENT_MD, py=GRADIENT_PY))
    assert equation_problems(runner, lesson) == []
    assert check_lesson(lesson, runner) == []


def test_a_removed_factor_fails_naming_line_step_iteration_numbers_and_equation(
    make_lesson, runner
):
    py = GRADIENT_PY.replace("dL_dw = 2 * (y_hat - y) * x", "dL_dw = 2 * (y_hat - y)")
    assert py != GRADIENT_PY
    folder = make_lesson("01-gradient", md=GRADIENT_MD, py=py)
    lesson = load_lesson(folder)
    [problem] = equation_problems(runner, lesson)
    assert problem.path == folder / "lesson.py"
    assert problem.line == GRADIENT_LINE
    # First iteration: y_hat = 0.75; math 2(0.75 - 3) * 1.5 = -6.75, code 2(0.75 - 3) = -4.5.
    equation_line = line_of(GRADIENT_MD, "\\frac{\\partial L}{\\partial w} = 2") - 1  # its '$$'
    assert problem.message.startswith('step "gradient", iteration 1: ')
    assert "math gives -6.75, code gives -4.5 for dL_dw" in problem.message
    assert f"(lesson.md:{equation_line})" in problem.message
    assert "4 more events disagree" in problem.message  # every later iteration too
    assert str(problem).startswith(f"{folder / 'lesson.py'}:{GRADIENT_LINE}: ")


def test_check_lessons_passes_the_good_and_fails_the_broken(make_lesson):
    good = make_lesson("01-good", md=GRADIENT_MD, py=GRADIENT_PY)
    broken = make_lesson(
        "02-broken",
        md=GRADIENT_MD,
        py=GRADIENT_PY.replace("w = w - lr * dL_dw", "w = w - 2 * lr * dL_dw"),
    )
    results = dict(
        (lesson.id, problems)
        for lesson, problems in check_lessons([load_lesson(good), load_lesson(broken)])
    )
    assert results["01-good"] == []
    [problem] = results["02-broken"]
    assert problem.path == broken / "lesson.py" and problem.line == 8
    assert 'step "update", iteration 1: math gives 1.175, code gives 1.85 for w' in problem.message
    assert f"(lesson.md:{line_of(GRADIENT_MD, 'leftarrow')})" in problem.message


def test_the_update_reads_the_old_value_of_its_target(make_lesson, runner):
    lesson = load_lesson(make_lesson("01-gradient", md=GRADIENT_MD, py=GRADIENT_PY))
    result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    t = result.timeline
    update_line = next(line for line, step in lesson.anchors.items() if step == "update")
    [compiled] = equations_for_line(lesson, update_line)
    event = next(i for i in range(len(t)) if t.line(i) == update_line)
    verdict = verdict_at(compiled, t, event, lesson.tolerance)
    assert verdict.ok is True
    assert verdict.env["w"] == 0.5  # before the line ran
    assert verdict.code == pytest.approx(0.5 + 0.1 * 6.75)
    assert verdict.sides == [pytest.approx(verdict.code)]


def test_verdict_at_an_event_that_disagrees(make_lesson, runner):
    py = GRADIENT_PY.replace("y_hat = w * x", "y_hat = w * x + 1")
    lesson = load_lesson(make_lesson("01-gradient", md=GRADIENT_MD, py=py))
    t = runner.run(lesson.py_path, lesson.source, lesson.iteration).timeline
    [compiled] = equations_for_line(lesson, 6)
    event = next(i for i in range(len(t)) if t.line(i) == 6)
    verdict = verdict_at(compiled, t, event, lesson.tolerance)
    assert verdict.ok is False
    assert verdict.sides == [0.75] and verdict.code == 1.75


# -- lesson 01 itself: every anchored line is checked ---------------------------------------
# (code fragment of the anchored line, a change that alters its value, expected iteration text)
LESSON01_MUTATIONS = [
    ("y = 2.0", "y = 2.5", ""),  # before the loop: no iteration
    ("y_hat = w * x", "y_hat = w * x + 0.1", ", iteration 1"),
    ("loss = (y_hat - y) ** 2", "loss = (y_hat - y) ** 3", ", iteration 1"),
    ("loss_nudged = ((w + nudge) * x - y) ** 2", "loss_nudged = (w * x - y) ** 2", ", iteration 1"),
    ("slope = (loss_nudged - loss) / nudge", "slope = (loss_nudged - loss) / 2", ", iteration 1"),
    ("dL_dy_hat = 2 * (y_hat - y)", "dL_dy_hat = 3 * (y_hat - y)", ", iteration 1"),
    ("dy_hat_dw = x", "dy_hat_dw = 2 * x", ", iteration 1"),
    ("dL_dw = dL_dy_hat * dy_hat_dw", "dL_dw = dL_dy_hat + dy_hat_dw", ", iteration 1"),
    ("w = w - lr * dL_dw", "w = w + lr * dL_dw", ", iteration 1"),
]


def anchored_line(source: str, fragment: str) -> int:
    found = [
        k for k, row in enumerate(source.split("\n"), 1) if row.strip().startswith(fragment + " ")
    ]
    assert len(found) == 1, (fragment, found)
    return found[0]


def test_the_mutations_cover_every_anchored_line_of_lesson01():
    lesson = load_lesson(LESSON_01)
    covered = {anchored_line(lesson.source, fragment) for fragment, _, _ in LESSON01_MUTATIONS}
    assert covered == set(lesson.anchors)


def test_lesson01_passes_as_shipped(runner):
    lesson = load_lesson(LESSON_01)
    assert check_lesson(lesson, runner) == []


@pytest.mark.parametrize(
    "fragment, replacement, iteration", LESSON01_MUTATIONS, ids=[m[0] for m in LESSON01_MUTATIONS]
)
def test_altering_an_anchored_line_of_lesson01_fails_at_that_line(
    tmp_path, runner, fragment, replacement, iteration
):
    folder = tmp_path / "01-one-neuron"
    shutil.copytree(LESSON_01, folder)
    py = folder / "lesson.py"
    rows = py.read_text(encoding="utf-8").split("\n")
    line = anchored_line("\n".join(rows), fragment)
    rows[line - 1] = rows[line - 1].replace(fragment, replacement, 1)
    py.write_text("\n".join(rows), encoding="utf-8")

    lesson = load_lesson(folder)
    assert lesson.problems == []
    step_id = lesson.anchors[line]
    problems = check_lesson(lesson, runner)
    # (the numbers lesson.md's 'expect:' pins may change too: those problems are lesson.md's)
    problems = [p for p in problems if not (p.path == lesson.md_path and "expect " in p.message)]
    assert problems, "the altered line went unnoticed"
    assert all(p.path == py for p in problems)
    first = min(problems, key=lambda p: p.line)
    assert first.line == line  # lines after it may disagree too (they use its value)
    assert first.message.startswith(f'step "{step_id}"{iteration}: math gives ')
    assert "code gives" in first.message
    equation_lines = {e.line for e in lesson.step(step_id).equations}
    assert any(f"(lesson.md:{n})" in first.message for n in equation_lines)


# -- derivations ---------------------------------------------------------------------------
def derivation_md(*lines: str) -> str:
    blocks = "\n\n".join(f"$$ {line} $$" for line in lines)
    return GRADIENT_MD.replace(
        "$$\n\\frac{\\partial L}{\\partial w} = 2(\\hat{y} - y) \\cdot x\n% the chain rule\n$$",
        blocks,
    )


def test_a_correct_derivation_passes(make_lesson, runner):
    md = derivation_md(
        r"\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x % chain rule",
        r"= 2\hat{y} x - 2 y x % expand",
        r"\frac{\partial L}{\partial w} = 2x(\hat{y} - y) % factor",
    )
    assert md != GRADIENT_MD
    lesson = load_lesson(make_lesson("01-gradient", md=md, py=GRADIENT_PY))
    assert len(lesson.step("gradient").equations) == 3
    assert equation_problems(runner, lesson) == []


@pytest.mark.parametrize(
    "wrong",
    [
        r"= 2\hat{y} x - y x % a factor 2 lost",
        r"\frac{\partial L}{\partial w} = 2x(\hat{y} + y) % a sign flipped",
    ],
    ids=["continuation", "repeated-left-side"],
)
def test_a_derivation_line_that_does_not_follow_fails(make_lesson, runner, wrong):
    md = derivation_md(
        r"\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x % chain rule",
        r"= 2\hat{y} x - 2 y x % expand",
        wrong,
    )
    lesson = load_lesson(make_lesson("01-gradient", md=md, py=GRADIENT_PY))
    [problem] = equation_problems(runner, lesson)
    assert problem.line == GRADIENT_LINE
    assert f"(lesson.md:{line_of(md, wrong)})" in problem.message
    assert problem.message.startswith('step "gradient", iteration 1: math gives ')
    assert "code gives -6.75 for dL_dw" in problem.message


def test_a_wrong_side_of_a_chain_is_named(make_lesson, runner):
    md = derivation_md(r"\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x = 2(\hat{y} - y)")
    lesson = load_lesson(make_lesson("01-gradient", md=md, py=GRADIENT_PY))
    [problem] = equation_problems(runner, lesson)
    assert "math gives -4.5, code gives -6.75 for dL_dw (right side 2)" in problem.message


# -- loader problems for equations ---------------------------------------------------------
def test_a_missing_symbol_is_reported_at_its_line_and_column_in_lesson_md(make_lesson):
    md = GRADIENT_MD.replace("$$ \\hat{y} = w x $$", "$$ \\hat{y} = w q $$").replace(
        "\\frac{\\partial L}{\\partial w} = 2(\\hat{y} - y) \\cdot x\n",
        "\\frac{\\partial L}{\\partial w} =\n    2(\\hat{y} - y) \\cdot \\xi\n",
    )
    folder = make_lesson("01-gradient", md=md, py=GRADIENT_PY)
    lesson = load_lesson(folder)
    problems = [p for p in lesson.problems if "symbol table" in p.message]
    q_line = line_of(md, "w q $$")
    xi_line = line_of(md, "\\xi")
    assert [(p.path, p.line, p.column) for p in problems] == [
        (folder / "lesson.md", q_line, md.split("\n")[q_line - 1].index("q") + 1),
        (folder / "lesson.md", xi_line, md.split("\n")[xi_line - 1].index("\\xi") + 1),
    ]
    assert (q_line, problems[0].column) == (19, 16)
    assert (xi_line, problems[1].column) == (25, 26)
    assert "'q' is not in the symbol table" in problems[0].message
    assert str(problems[0]).endswith(f"lesson.md:{q_line}:16: {problems[0].message}")


def test_a_left_side_missing_from_the_table_is_a_loader_problem(make_lesson):
    md = GRADIENT_MD.replace("$$ \\hat{y} = w x $$", "$$ p = w x $$")
    folder = make_lesson("01-gradient", md=md, py=GRADIENT_PY)
    lesson = load_lesson(folder)
    [problem] = [p for p in lesson.problems if p.path.name == "lesson.md"]
    assert (problem.line, problem.column) == (line_of(md, "$$ p = w x $$"), 4)
    assert "'p' is not in the symbol table" in problem.message


def test_a_latex_error_is_reported_at_its_line_and_column(make_lesson):
    md = GRADIENT_MD.replace("$$ \\hat{y} = w x $$", "$$ \\hat{y} = w \\cross x $$")
    lesson = load_lesson(make_lesson("01-gradient", md=md, py=GRADIENT_PY))
    [problem] = [p for p in lesson.problems if p.path.name == "lesson.md"]
    assert (problem.line, problem.column) == (line_of(md, "\\cross"), 16)
    assert "\\cross is not part of the supported LaTeX subset" in problem.message


def test_check_reports_equation_problems_without_running_into_them(make_lesson, runner):
    md = GRADIENT_MD.replace("$$ \\hat{y} = w x $$", "$$ \\hat{y} = w q $$")
    lesson = load_lesson(make_lesson("01-gradient", md=md, py=GRADIENT_PY))
    problems = check_lesson(lesson, runner)
    assert [(p.line, p.column) for p in problems] == [(19, 16)]


def test_an_equation_with_words_is_a_clear_error(make_lesson):
    # Every equation is checked against the code, so words belong in the justification.
    md = GRADIENT_MD.replace(
        "$$ \\hat{y} = w x $$",
        "$$ \\hat{y} = w x $$\n\n$$ \\hat{y} = w x \\quad \\text{for every } x $$",
    )
    lesson = load_lesson(make_lesson("01-gradient", md=md, py=GRADIENT_PY))
    [problem] = lesson.problems
    assert problem.path.name == "lesson.md" and problem.column == 24
    assert "cannot be computed" in problem.message and "justification" in problem.message


# -- tolerance -----------------------------------------------------------------------------
SLIGHTLY_OFF_PY = GRADIENT_PY.replace("y_hat = w * x", "y_hat = w * x * 1.0001")


def with_tolerance(line: str) -> str:
    return GRADIENT_MD.replace("iteration: iteration\n", f"iteration: iteration\n{line}\n")


def test_default_tolerance_catches_a_slightly_off_value(make_lesson, runner):
    lesson = load_lesson(make_lesson("01-gradient", md=GRADIENT_MD, py=SLIGHTLY_OFF_PY))
    assert lesson.tolerance == 1e-9
    [problem] = equation_problems(runner, lesson)
    assert problem.line == 6 and 'step "predict", iteration 1' in problem.message


@pytest.mark.parametrize(
    "setting",
    [
        "tolerance: 0.001",
        "tolerance: 1.0e-3",
        "tolerance: {default: 0.001}",
        "tolerance: {predict: 0.001}",
    ],
)
def test_front_matter_tolerance_lets_a_slightly_off_value_pass(make_lesson, runner, setting):
    lesson = load_lesson(make_lesson("01-gradient", md=with_tolerance(setting), py=SLIGHTLY_OFF_PY))
    assert lesson.tolerance_for("predict") == 0.001
    assert equation_problems(runner, lesson) == []


def test_tolerance_for_one_step_leaves_the_others_strict(make_lesson, runner):
    py = SLIGHTLY_OFF_PY.replace("w = w - lr * dL_dw", "w = w - lr * dL_dw * 1.0001")
    lesson = load_lesson(
        make_lesson("01-gradient", md=with_tolerance("tolerance: {predict: 0.001}"), py=py)
    )
    [problem] = equation_problems(runner, lesson)
    assert problem.line == 8 and 'step "update"' in problem.message


def test_tolerance_does_not_hide_a_real_difference(make_lesson, runner):
    py = GRADIENT_PY.replace("y_hat = w * x", "y_hat = w * x * 1.01")
    lesson = load_lesson(make_lesson("01-gradient", md=with_tolerance("tolerance: 0.001"), py=py))
    [problem] = equation_problems(runner, lesson)
    assert problem.line == 6


def test_tolerance_in_exponent_notation(make_lesson, runner):
    lesson = load_lesson(
        make_lesson("01-gradient", md=with_tolerance("tolerance: 1e-3"), py=SLIGHTLY_OFF_PY)
    )
    assert lesson.problems == []
    assert lesson.tolerance == 0.001
    assert equation_problems(runner, lesson) == []


# -- arrays and sums: the event-by-event path ----------------------------------------------
VECTOR_MD = """\
---
title: Layer
iteration: iteration
symbols:
  W: {name: W, kind: matrix}
  x: {name: x, kind: vector}
  b: {name: b, kind: vector}
  z: {name: z, kind: vector}
  '\\eta': lr
---

# Intro

A layer.

## Forward {#forward}

$$ z = W x + b $$

## Update {#update}

$$ b \\leftarrow b - \\eta z $$
"""

VECTOR_PY = """\
import numpy as np

x = np.array([1.0, 2.0])
W = np.array([[0.5, -0.25], [0.1, 0.2]])
b = np.array([0.1, -0.1])
lr = 0.1
for iteration in range(1, 4):
    z = W @ x + b  # step: forward
    b = b - lr * z  # step: update
"""


def test_a_lesson_with_numpy_arrays_passes(make_lesson, runner):
    lesson = load_lesson(make_lesson("01-layer", md=VECTOR_MD, py=VECTOR_PY))
    assert equation_problems(runner, lesson) == []


def test_a_lesson_with_numpy_arrays_fails_when_the_code_differs(make_lesson, runner):
    py = VECTOR_PY.replace("z = W @ x + b", "z = W @ x - b")
    lesson = load_lesson(make_lesson("01-layer", md=VECTOR_MD, py=py))
    [problem] = equation_problems(runner, lesson)
    assert problem.line == 8
    # W @ x = [0, 0.5]; the math adds b = [0.1, -0.1], the code subtracts it.
    assert problem.message.startswith(
        'step "forward", iteration 1: math gives [0.1, 0.4], code gives [-0.1, 0.6] for z'
    )
    assert f"(lesson.md:{line_of(VECTOR_MD, 'z = W x + b')})" in problem.message


def test_the_transpose_is_checked_too(make_lesson, runner):
    md = VECTOR_MD.replace("$$ z = W x + b $$", "$$ z = W^T x + b $$")
    lesson = load_lesson(make_lesson("01-layer", md=md, py=VECTOR_PY))
    [problem] = equation_problems(runner, lesson)  # the code multiplies by W, not W^T
    assert problem.line == 8
    py = VECTOR_PY.replace("z = W @ x + b", "z = W.T @ x + b")
    lesson = load_lesson(make_lesson("02-layer", md=md, py=py))
    assert equation_problems(runner, lesson) == []


SUM_MD = """\
---
title: Weighted sum
iteration: iteration
symbols:
  x_1: x1
  x_2: x2
  x_3: x3
  w_1: w1
  w_2: w2
  w_3: w3
  z: z
---

# Intro

Three inputs.

## Sum {#sum}

$$ z = \\sum_{i=1}^{3} w_i x_i $$
"""

SUM_PY = """\
x1, x2, x3 = 1.0, 2.0, 3.0
w1, w2, w3 = 0.5, -0.25, 0.125
for iteration in range(1, 4):
    z = w1 * x1 + w2 * x2 + w3 * x3  # step: sum
    w3 = w3 + 0.5
"""


def test_a_sum_is_checked_event_by_event(make_lesson, runner):
    lesson = load_lesson(make_lesson("01-sum", md=SUM_MD, py=SUM_PY))
    assert lesson.equations["sum"][0].loops
    assert equation_problems(runner, lesson) == []
    py = SUM_PY.replace("+ w3 * x3", "+ w3 * x2")
    lesson = load_lesson(make_lesson("02-sum", md=SUM_MD, py=py))
    [problem] = equation_problems(runner, lesson)
    assert problem.line == 4
    # z = 0.5 - 0.5 + 0.375 in the math, 0.5 - 0.5 + 0.25 in the code.
    assert problem.message.startswith('step "sum", iteration 1: math gives 0.375, code gives 0.25')
    assert "2 more events disagree" in problem.message


@pytest.mark.parametrize(
    "old, new",
    [
        ("dL_dw = 2 * (y_hat - y) * x", "dL_dw = 2 * (y_hat - y)"),
        ("w = w - lr * dL_dw", "w = w - lr * dL_dw if iteration < 3 else w"),
        ("y_hat = w * x", "y_hat = w * x if iteration != 4 else 0.0"),
    ],
)
def test_vectorized_and_event_by_event_checks_agree(make_lesson, runner, old, new):
    py = GRADIENT_PY.replace(old, new)
    assert py != GRADIENT_PY
    lesson = load_lesson(make_lesson("01-gradient", md=GRADIENT_MD, py=py))
    result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    vectorized = check_equations(lesson, result.timeline)
    for compiled in (c for cs in lesson.equations.values() for c in cs):
        assert not compiled.loops
        compiled.loops = True  # forces the event-by-event path
    by_event = check_equations(lesson, result.timeline)
    assert vectorized, "the change went unnoticed"
    assert [str(p) for p in vectorized] == [str(p) for p in by_event]


def test_a_sum_too_long_to_evaluate_is_refused_with_a_reason_not_a_freeze():
    huge = compile_(r"s = \sum_{i=1}^{10^7} i", table("s"))
    with pytest.raises(ValueError, match="at most 100,000"):
        evaluate(huge, {})
    nested = compile_(r"s = \sum_{i=1}^{1000} \sum_{j=1}^{1000} j", table("s"))
    with pytest.raises(ValueError, match="at most 100,000"):
        evaluate(nested, {})
    assert evaluate(compile_(r"s = \sum_{i=1}^{100} i", table("s")), {}) == [5050]  # and after


BIG_MD = """\
---
title: Big
symbols:
  X: {name: X, kind: matrix}
  Y: {name: Y, kind: matrix}
---

# Big

## Add {#add}

$$ Y = X + 1 $$
"""


@pytest.mark.parametrize(("shape", "fails"), [((100, 100), False), ((200, 100), True)])
def test_an_array_too_large_to_record_is_named_not_a_type_error(make_lesson, runner, shape, fails):
    py = f"import numpy as np\nX = np.zeros({shape})\nY = X + 1  # step: add\n"
    lesson = load_lesson(make_lesson("01-big", md=BIG_MD, py=py))
    timeline = runner.run(lesson.py_path, lesson.source, lesson.iteration).timeline
    [compiled] = lesson.equations["add"]
    verdict = verdict_at(compiled, timeline, len(timeline) - 1, 1e-9)
    problems = check_equations(lesson, timeline)
    if not fails:
        assert verdict.ok and problems == []
        return
    says = "X is a 200×100 array: only arrays of up to 10,000 numbers are recorded in full"
    assert verdict.ok is None and verdict.error.startswith(says)
    [problem] = problems
    assert says in problem.message and "illustrative:" in problem.message
    assert "TypeError" not in problem.message
