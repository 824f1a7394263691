"""Names of several letters (``\\mathrm{out}_{h1}``, ``out_{h1}``, ``E_{total}``) and
subscripts of several characters: parsed as one name, checked, drawn in the equation pane and
in the lesson text (docs/lesson-format.md 3.7)."""

from __future__ import annotations

import pytest

from tests import names_lesson
from tutor.core.check import check_lesson
from tutor.core.equation import latex as L
from tutor.core.equation.boxes import Layout, inline_latex, render
from tutor.core.equation.compiler import compile_step, symbol_table
from tutor.core.lesson.load import load_lesson
from tutor.core.run.runner import Runner
from tutor.core.view.readable import readable as _readable
from tutor.core.view.readable import words_of as _words

WORDS = frozenset({"out", "net", "total"})


@pytest.fixture
def lesson(make_lesson):
    return load_lesson(make_lesson("01-names", md=names_lesson.MD, py=names_lesson.PY))


def drawn(latex: str, words=WORDS) -> tuple[str, str]:
    equation = L.parse_equation(latex, words)
    return render(equation), render(equation, ascii=True)


# -- parsing -------------------------------------------------------------------------------
def test_the_names_a_key_writes_are_its_runs_of_letters():
    assert L.words_in(r"\mathrm{out}_{h1}") == {"out"}
    assert L.words_in(r"E_{total}") == {"total"}
    assert L.words_in(r"\operatorname{net}_{h1}") == {"net"}
    assert L.words_in(r"\frac{\partial E}{\partial w_5}") == set()  # commands are not names
    assert L.words_in("x_ih") == set()  # as in TeX: x_i times h


def test_w5_out_h1_is_a_product_of_two_names():
    for text in (r"w_5 out_{h1}", r"w_5 \mathrm{out}_{h1}", r"w_5 \operatorname{out}_{h1}"):
        node = L.parse_expression(text, WORDS)
        assert isinstance(node, L.Product) and len(node.factors) == 2, text
        assert L.canonical(node.factors[1]) == r"\text{out}_{h 1}"
    # without the name in the table, the letters are one-letter symbols, as in TeX
    assert len(L.parse_expression(r"w_5 out_{h1}").factors) == 4  # type: ignore[attr-defined]


def test_the_longest_name_wins_and_a_script_takes_one_letter():
    node = L.parse_expression("outer", frozenset({"out", "outer"}))
    assert node == L.Text("outer")
    sub = L.parse_expression("x_ih", frozenset({"ih"}))
    assert isinstance(sub, L.Product) and sub.factors[0] == L.Sub(L.Sym("x"), L.Sym("i"))


def test_the_lesson_loads_and_passes_check(lesson):
    assert lesson.problems == []
    with Runner() as runner:
        assert check_lesson(lesson, runner) == []


def test_all_spellings_of_a_name_are_one_symbol(lesson):
    table, bad = symbol_table(lesson.symbols)
    assert bad == []
    assert table[r"\text{out}_{h 1}"].name == "out_h1"
    assert table[r"\text{out}_{h 2}"].name == "out_h2"  # written out_{h2}, no \mathrm
    assert table[r"E_{\text{total}}"].name == "E_total"
    step = lesson.step("net-o1")
    compiled, errors = compile_step(step.equations, table)
    assert errors == [] and compiled[0].names == {"w5", "out_h1", "w6", "out_h2", "b2"}


def test_a_name_not_in_the_table_is_reported_as_a_symbol(make_lesson, lesson):
    table, _ = symbol_table(lesson.symbols)
    from tutor.core.lesson.model import Equation

    _, errors = compile_step([Equation(r"E_{total} = \text{outx}", 1)], table)
    assert "'\\text{outx}' is not in the symbol table" in errors[0][1].message


# -- the equation pane ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "latex, unicode, ascii",
    [
        (r"E_{total} = 1", "Eₜₒₜₐₗ = 1", "E_total = 1"),
        (r"\delta_{o1} = 1", "δₒ₁ = 1", "delta_o1 = 1"),
        (r"w_{5} = 1", "w₅ = 1", "w_5 = 1"),
        (r"\mathrm{out}_{h1} = w_5 out_{h1}", "outₕ₁ = w₅ outₕ₁", "out_h1 = w_5 out_h1"),
        (r"\operatorname{net}_{h1} = 2 net", "netₕ₁ = 2 net", "net_h1 = 2 net"),
        (r"\text{out} = x_\beta", "out = xᵦ", "out = x_beta"),
        (r"z = w_1 x_1 + w_2 x_2", "z = w₁x₁ + w₂x₂", "z = w_1x_1 + w_2x_2"),  # as before
    ],
)
def test_subscripts_of_several_characters_in_the_equation_pane(latex, unicode, ascii):
    assert drawn(latex) == (unicode, ascii)


def test_a_subscript_without_unicode_characters_is_one_word_a_row_lower():
    unicode, ascii = drawn(r"E_{bd} = w_{b}")
    assert unicode.split("\n") == ["E   = w", " bd    b"]
    assert ascii == "E_bd = w_b"
    unicode, ascii = drawn(r"E_{\text{bad}} = L_{\epsilon}")
    assert unicode.split("\n") == ["E    = L", " bad    ε"]
    assert ascii == "E_bad = L_epsilon"


def test_the_pane_draws_the_lessons_equations_with_their_names(lesson):
    table, _ = symbol_table(lesson.symbols)
    rows = {}
    for step in lesson.steps:
        compiled, _ = compile_step(step.equations, table)
        rows[step.id] = Layout().equation(compiled[0].ast).text()
    assert rows["net-o1"] == "netₒ₁ = w₅ outₕ₁ + w₆ outₕ₂ + b₂"
    assert rows["error"].split("\n")[1] == "Eₜₒₜₐₗ = ─ (targetₒ₁ − outₒ₁)²"
    assert rows["gradient"].split("\n") == ["∂Eₜₒₜₐₗ", "─────── = δₒ₁ outₕ₁", "  ∂w₅"]


# -- the lesson text --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "latex, text",
    [
        (r"E_{total}", "Eₜₒₜₐₗ"),
        (r"\mathrm{out}_{h1}", "outₕ₁"),
        (r"w_5 out_{h1}", "w₅ outₕ₁"),
        (r"E_{bd}", "E_bd"),
        (r"L_{\epsilon}", "L_ε"),
        (r"x_{i+1}", "x_(i + 1)"),
        (r"\frac{\partial E_{total}}{\partial w_5}", "∂Eₜₒₜₐₗ/∂w₅"),
        (r"e^{-z}", "e^(−z)"),
        (r"\sum_{i=1}^{n} x_i", "Σᵢ₌₁ⁿ xᵢ"),
    ],
)
def test_inline_math_is_one_line_of_unicode(latex, text):
    assert inline_latex(latex, WORDS) == text


def test_the_lesson_text_shows_names_and_subscripts(lesson):
    words = _words(lesson)
    assert words == {"out", "net", "target", "total"}
    error = _readable(lesson.step("error").markdown, None, words)
    assert "The total error Eₜₒₜₐₗ is half the squared miss." in error
    assert "Eₜₒₜₐₗ = ─ (targetₒ₁ − outₒ₁)²" in error
    net = _readable(lesson.step("net-o1").markdown, None, words)
    assert "netₒ₁ = w₅ outₕ₁ + w₆ outₕ₂ + b₂" in net
    assert "$" not in _readable(lesson.intro, None, words)


def test_inline_math_leaves_money_code_and_markdown_alone():
    text = "costs $5 and $10; `$x_1$` is code; $E_{bd}$ and $\\frac{a}{$"
    assert _readable(text, None, WORDS) == (
        "costs $5 and $10; `$x_1$` is code; E\\_bd and `\\frac{a}{`"
    )
    fenced = "```python\nx = '$a$'\n```\n"
    assert _readable(fenced) == fenced
