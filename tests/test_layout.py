"""2D layout of equations as terminal text: golden strings in Unicode and in ASCII, numbers
plugged in by ``substitute``, arrays as bracketed grids, and ``format_number``."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core.equation.boxes import Box, Layout, hcat, render, text_box, width
from tutor.core.equation.latex import canonical, parse_equation
from tutor.core.lesson.load import load_lesson
from tutor.core.numbers import format_number

from .conftest import LESSON_01


def golden(*rows: str) -> str:
    return "\n".join(rows)


def both(text: str) -> tuple[str, str]:
    equation = parse_equation(text)
    return render(equation), render(equation, ascii=True)


# -- goldens: (latex, Unicode, ASCII) ------------------------------------------------------
GOLDENS = {
    "simple fraction": (
        r"y = \frac{a}{b}",
        golden(
            "    a",
            "y = ─",
            "    b",
        ),
        golden(
            "    a",
            "y = -",
            "    b",
        ),
    ),
    "fraction in a denominator": (
        r"y = \frac{1}{1 + \frac{1}{x}}",
        golden(
            "      1",
            "y = ─────",
            "        1",
            "    1 + ─",
            "        x",
        ),
        golden(
            "      1",
            "y = -----",
            "        1",
            "    1 + -",
            "        x",
        ),
    ),
    "two fractions side by side": (
        r"y = \frac{a}{b} + \frac{c}{d}",
        golden(
            "    a   c",
            "y = ─ + ─",
            "    b   d",
        ),
        golden(
            "    a   c",
            "y = - + -",
            "    b   d",
        ),
    ),
    "gradient of lesson 01": (
        r"\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x",
        golden(
            "∂L",
            "── = 2(ŷ − y) · x",
            "∂w",
        ),
        golden(
            "dL",
            "-- = 2(y^ - y) * x",
            "dw",
        ),
    ),
    "chain rule": (
        r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat{y}} \cdot "
        r"\frac{\partial \hat{y}}{\partial w}",
        golden(
            "∂L   ∂L   ∂ŷ",
            "── = ── · ──",
            "∂w   ∂ŷ   ∂w",
        ),
        golden(
            "dL   dL    dy^",
            "-- = --- * ---",
            "dw   dy^   dw",
        ),
    ),
    "square": (
        r"L = x^2",
        "L = x²",
        "L = x^2",
    ),
    "loss": (
        r"L = (\hat{y} - y)^2",
        "L = (ŷ − y)²",
        "L = (y^ - y)^2",
    ),
    "transpose": (
        r"z = W^T x",
        "z = Wᵀ x",
        "z = W^T x",
    ),
    "raised exponent": (
        r"a = e^{-z}",
        golden(
            "     −z",
            "a = e",
        ),
        "a = e^(-z)",
    ),
    "sigmoid": (
        r"a = \frac{1}{1 + e^{-z}}",
        golden(
            "       1",
            "a = ───────",
            "         −z",
            "    1 + e",
        ),
        golden(
            "        1",
            "a = ----------",
            "    1 + e^(-z)",
        ),
    ),
    "subscripts": (
        r"y = x_1 + w_{12}",
        "y = x₁ + w₁₂",
        "y = x_1 + w_12",
    ),
    "sum with limits": (
        r"z = \sum_{i=1}^{n} w_i x_i",
        golden(
            "     n",
            "z =  Σ  wᵢ xᵢ",
            "    i=1",
        ),
        golden(
            "     n",
            "z = sum w_i x_i",
            "    i=1",
        ),
    ),
    "sum of a fraction": (
        r"m = \sum_{i=1}^{n} \frac{x_i}{n}",
        golden(
            "     n  xᵢ",
            "m =  Σ  ──",
            "    i=1 n",
        ),
        golden(
            "     n  x_i",
            "m = sum ---",
            "    i=1  n",
        ),
    ),
    "hats and bars": (
        r"y = \hat{y} + \bar{x} + \hat{z}",
        "y = ŷ + x̄ + z\u0302",  # z has no precomposed hat: z and a combining circumflex
        "y = y^ + x_bar + z^",
    ),
    "hat over several letters": (
        r"y = \hat{w x}",
        golden(
            "     ^",
            "y = w x",
        ),
        golden(
            "     ^",
            "y = w x",
        ),
    ),
    "parentheses grow around a fraction": (
        r"y = 2\left(\frac{a}{b} + 1\right)",
        golden(
            "     ⎛a    ⎞",
            "y = 2⎜─ + 1⎟",
            "     ⎝b    ⎠",
        ),
        golden(
            "     /a    \\",
            "y = 2|- + 1|",
            "     \\b    /",
        ),
    ),
    "square brackets grow": (
        r"y = \left[\frac{a}{b}\right]",
        golden(
            "    ⎡a⎤",
            "y = ⎢─⎥",
            "    ⎣b⎦",
        ),
        golden(
            "    [a]",
            "y = [-]",
            "    [b]",
        ),
    ),
    "function of a fraction": (
        r"y = \tanh\left(\frac{a}{b}\right)",
        golden(
            "        ⎛a⎞",
            "y = tanh⎜─⎟",
            "        ⎝b⎠",
        ),
        golden(
            "        /a\\",
            "y = tanh|-|",
            "        \\b/",
        ),
    ),
    "update rule of lesson 01": (
        r"w \leftarrow w - \eta \frac{\partial L}{\partial w}",
        golden(
            "          ∂L",
            "w ← w − η ──",
            "          ∂w",
        ),
        golden(
            "             dL",
            "w <- w - eta --",
            "             dw",
        ),
    ),
    "functions": (
        r"a = \sigma(z)(1 - \sigma(z)) \approx \max(0, z)",
        "a = σ(z)(1 − σ(z)) ≈ max(0, z)",
        "a = sigma(z)(1 - sigma(z)) ~= max(0, z)",
    ),
    "operators": (
        r"y = a \odot b \times c / d",
        "y = a ⊙ b × c/d",
        "y = a (.) b x c/d",
    ),
    "square root": (
        r"y = \sqrt{x} + \sqrt{\frac{a}{b}}",
        golden(
            "            ⎛a⎞",
            "y = √(x) + √⎜─⎟",
            "            ⎝b⎠",
        ),
        golden(
            "                  /a\\",
            "y = sqrt(x) + sqrt|-|",
            "                  \\b/",
        ),
    ),
    "continuation line": (
        r"= 2(\hat{y} - y) \cdot x",
        "= 2(ŷ − y) · x",
        "= 2(y^ - y) * x",
    ),
    "negation, prime, percent and words": (
        r"y = -w' + 50\% \text{ of } x",
        "y = −w′ + 50% of x",
        "y = -w' + 50% of x",
    ),
    "implicit products": (
        r"y = 2x + w x",
        "y = 2x + w x",
        "y = 2x + w x",
    ),
}


@pytest.mark.parametrize("name", list(GOLDENS))
def test_golden_unicode(name):
    text, unicode, _ = GOLDENS[name]
    assert render(parse_equation(text)) == unicode


@pytest.mark.parametrize("name", list(GOLDENS))
def test_golden_ascii(name):
    text, _, ascii = GOLDENS[name]
    out = render(parse_equation(text), ascii=True)
    assert out == ascii
    assert out.isascii()


def test_square_root_of_a_fraction():
    # The √ sits on the baseline: the row of the fraction's rule.
    rows = render(parse_equation(r"y = \sqrt{\frac{a}{b}}")).split("\n")
    assert rows == ["     ⎛a⎞", "y = √⎜─⎟", "     ⎝b⎠"]


def test_nested_fraction_main_rule_is_wider():
    unicode, ascii = both(r"y = \frac{\frac{a}{b}}{c}")
    assert unicode == golden(
        "     a",
        "     ─",
        "     b",
        "y = ───",
        "     c",
    )
    assert ascii == golden(
        "     a",
        "     -",
        "     b",
        "y = ---",
        "     c",
    )


def test_nested_fractions_in_either_place_differ():
    # Whatever the rule widths, (a/b)/c and a/(b/c) must not draw the same.
    assert render(parse_equation(r"y = \frac{\frac{a}{b}}{c}")) != render(
        parse_equation(r"y = \frac{a}{\frac{b}{c}}")
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(r"y = x^{n+1}", "y = x^(n + 1)", id="power"),
        pytest.param(r"y = x_{i+1}", "y = x_(i + 1)", id="subscript"),
    ],
)
def test_ascii_compound_scripts_are_bracketed(text, expected):
    assert render(parse_equation(text), ascii=True) == expected


def test_unicode_compound_exponent_is_raised_not_flattened():
    # x^{n+1} never draws as 'xⁿ + 1': the exponent is raised as a block.
    assert render(parse_equation(r"y = x^{n+1}")) == golden(
        "     n + 1",
        "y = x",
    )


def test_rows_are_right_stripped_and_aligned_on_the_baseline():
    out = render(parse_equation(r"y = \frac{a}{b} + 1"))
    rows = out.split("\n")
    assert rows == ["    a", "y = ─ + 1", "    b"]
    assert all(r == r.rstrip() for r in rows)


def test_author_order_is_kept_in_the_drawing():
    assert render(parse_equation("y = b + a")) == "y = b + a"
    assert render(parse_equation("y = a + b")) == "y = a + b"


# -- lesson 01, all of it, in both modes ----------------------------------------------------
def lesson01_equations():
    lesson = load_lesson(LESSON_01)
    assert not lesson.problems
    return [e.latex for s in lesson.steps for e in s.equations]


@pytest.mark.parametrize("text", lesson01_equations())
def test_lesson01_equations_draw_in_unicode_and_pure_ascii(text):
    equation = parse_equation(text)
    unicode, ascii = render(equation), render(equation, ascii=True)
    assert ascii.isascii()
    assert not unicode.isascii() or unicode == ascii
    lowered = len(unicode.split("\n")) - len(ascii.split("\n"))
    # A subscript with no Unicode subscript letter (L_ε) is drawn a row lower; ASCII writes L_e.
    assert lowered == 0 or (lowered == 1 and "_" in ascii), (unicode, ascii)


# -- Box and hcat ---------------------------------------------------------------------------
def test_width_counts_terminal_cells():
    assert width("x̄") == 1  # x + combining macron
    assert width("ŷ") == 1
    assert width("∂L") == 2


def test_hcat_aligns_baselines():
    frac = Box(["a", "─", "b"], 1)
    box = hcat(frac, text_box(" = "), Box(["x", "y"], 0))
    assert box.base == 1
    assert box.rows == ["a    ", "─ = x", "b   y"]
    assert box.width == 5 and box.height == 3
    assert box.text() == "a\n─ = x\nb   y"


# -- numbers plugged in ---------------------------------------------------------------------
def plugged(text: str, values: dict, ascii: bool = False, digits: int = 4, side=None) -> str:
    """Draw with ``values`` (keyed by canonical LaTeX) in place of the symbols."""
    equation = parse_equation(text)

    def substitute(node):
        return values.get(canonical(node))

    layout = Layout(ascii=ascii, substitute=substitute, digits=digits)
    if side is None:
        return layout.equation(equation).text()
    return layout.node(equation.sides[side], top=True).text()


def test_lesson01_gradient_with_numbers():
    values = {r"\hat{y}": 0.5, "y": 2.0, "x": 1.0}
    text = r"\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x"
    assert plugged(text, values, side=-1) == "2(0.5 − 2.0) · 1.0"
    assert plugged(text, values, side=-1, ascii=True) == "2(0.5 - 2.0) * 1.0"


def test_lesson01_update_with_numbers():
    values = {"w": 0.5, r"\eta": 0.1, r"\frac{\partial L}{\partial w}": -3.0}
    text = r"w \leftarrow w - \eta \frac{\partial L}{\partial w}"
    assert plugged(text, values, side=-1) == "0.5 − 0.1 · (−3.0)"
    assert plugged(text, values, side=-1, ascii=True) == "0.5 - 0.1 * (-3.0)"


@pytest.mark.parametrize(
    "text, values, expected",
    [
        ("y = w x", {"w": -0.5, "x": 1.0}, "y = (−0.5) · 1.0"),
        ("y = w x", {"w": 0.5, "x": -1.0}, "y = 0.5 · (−1.0)"),
        (r"y = w \cdot x", {"w": -2, "x": -3}, "y = (−2) · (−3)"),
        ("y = 2x", {"x": -3.0}, "y = 2 · (−3.0)"),
        ("y = x^2", {"x": -3.0}, "y = (−3.0)²"),
        ("y = a - b", {"a": 1.0, "b": -2.0}, "y = 1.0 − (−2.0)"),
        ("y = -b", {"b": -2.0}, "y = −(−2.0)"),
    ],
)
def test_negative_numbers_are_parenthesized_inside_expressions(text, values, expected):
    assert plugged(text, values) == expected


@pytest.mark.parametrize(
    "text, values, expected",
    [
        ("y = w", {"w": -3.0}, "y = −3.0"),  # a whole side needs no brackets
        ("y = -b + a", {"a": 1.0, "b": 2.0}, "y = −2.0 + 1.0"),
        (r"y = \sigma(z)", {"z": -0.5}, "y = σ(−0.5)"),  # nor a function's argument
        (r"y = \max(0, z)", {"z": -0.5}, "y = max(0, −0.5)"),
        (r"y = 2(a - b)", {"a": -1.0, "b": 2.0}, "y = 2(−1.0 − 2.0)"),  # nor a bracket's first
    ],
)
def test_negative_numbers_without_needless_brackets(text, values, expected):
    assert plugged(text, values) == expected


@pytest.mark.parametrize(
    "text, values, expected",
    [
        ("y = w x", {"w": 0.5, "x": 1.0}, "y = 0.5 · 1.0"),
        ("y = 2x", {"x": 3.0}, "y = 2 · 3.0"),
        ("y = 2 x_1", {"x_{1}": 3.0}, "y = 2 · 3.0"),
        (r"y = 2 \hat{y}", {r"\hat{y}": 3.0}, "y = 2 · 3.0"),
        ("y = w x", {"w": 0.5}, "y = 0.5 · x"),  # one plugged side is enough
        ("y = 2(x)", {"x": 3.0}, "y = 2(3.0)"),  # brackets already separate them
        ("y = 2x", {}, "y = 2x"),  # nothing plugged: as written
    ],
)
def test_a_number_next_to_a_number_gets_a_dot(text, values, expected):
    assert plugged(text, values) == expected


def test_ascii_dot_is_a_star():
    assert plugged("y = w x", {"w": 0.5, "x": -1.0}, ascii=True) == "y = 0.5 * (-1.0)"


def test_a_number_next_to_a_plugged_power_gets_a_dot():
    assert plugged("y = 2x^2", {"x": 3.0}) == "y = 2 · 3.0²"


def test_digits_of_plugged_numbers():
    assert plugged("y = w x", {"w": 1 / 3, "x": 2.0}, digits=2) == "y = 0.33 · 2.0"
    assert plugged("y = w x", {"w": 1 / 3, "x": 2.0}) == "y = 0.3333 · 2.0"


def test_a_plugged_fraction_stays_stacked():
    assert plugged(r"y = \frac{a}{b}", {"a": 1.5, "b": 2.0}) == golden(
        "    1.5",
        "y = ───",
        "    2.0",
    )


# -- arrays as grids ------------------------------------------------------------------------
def test_vector_draws_as_a_column():
    assert plugged("y = x", {"x": np.array([0.5, -1.0])}) == golden(
        "y = ⎡ 0.5⎤",
        "    ⎣−1.0⎦",
    )
    assert plugged("y = x", {"x": np.array([0.5, -1.0])}, ascii=True) == golden(
        "y = [ 0.5]",
        "    [-1.0]",
    )


def test_matrix_times_vector_draws_as_grids():
    values = {"W": np.array([[1.0, 2.0], [3.0, 4.0]]), "x": np.array([0.5, -1.0])}
    assert plugged("y = W x", values) == golden(
        "y = ⎡1.0  2.0⎤ · ⎡ 0.5⎤",
        "    ⎣3.0  4.0⎦   ⎣−1.0⎦",
    )
    out = plugged("y = W x", values, ascii=True)
    assert out == golden(
        "y = [1.0  2.0] * [ 0.5]",
        "    [3.0  4.0]   [-1.0]",
    )
    assert out.isascii()


def test_grid_columns_are_right_aligned():
    values = {"W": np.array([[10.0, -2.0], [3.0, 400.0]])}
    assert plugged("y = W", values) == golden(
        "y = ⎡10.0   −2.0⎤",
        "    ⎣ 3.0  400.0⎦",
    )


def test_three_row_grid_grows_its_brackets():
    assert plugged("y = x", {"x": np.array([1, 2, 3])}) == golden(
        "    ⎡1⎤",
        "y = ⎢2⎥",
        "    ⎣3⎦",
    )


def test_vector_next_to_a_scalar():
    assert plugged("y = a b", {"a": np.array([1.0, 2.0]), "b": 3}) == golden(
        "y = ⎡1.0⎤ · 3",
        "    ⎣2.0⎦",
    )


def test_large_arrays_are_summarized_by_shape():
    values = {"W": np.zeros((10, 3)), "x": np.zeros(7), "b": np.zeros((2, 3, 4))}
    assert plugged("y = W x + b", values) == "y = ⟨10×3 array⟩ · ⟨7 array⟩ + ⟨2×3×4 array⟩"
    out = plugged("y = W x + b", values, ascii=True)
    assert out == "y = <(10, 3) array> * <(7,) array> + <(2, 3, 4) array>"
    assert out.isascii()


def test_six_elements_still_draw_in_full():
    out = plugged("y = x", {"x": np.arange(6)})
    assert len(out.split("\n")) == 6
    assert "array" not in out


def test_a_zero_dimensional_array_is_a_number():
    assert plugged("y = x", {"x": np.array(2.5)}) == "y = 2.5"


# -- format_number --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, unicode, ascii",
    [
        (0.5, "0.5", "0.5"),
        (1.0, "1.0", "1.0"),  # a float keeps its point
        (100.0, "100.0", "100.0"),
        (2, "2", "2"),  # an int stays an int
        (-7, "−7", "-7"),
        (1 / 3, "0.3333", "0.3333"),
        (1.98269, "1.983", "1.983"),
        (-1.44, "−1.44", "-1.44"),
        (1234567.0, "1.235e+06", "1.235e+06"),
        (-1e-5, "−1e−05", "-1e-05"),
        (np.float64(0.25), "0.25", "0.25"),
        (float("nan"), "nan", "nan"),
        (float("inf"), "∞", "inf"),
        (float("-inf"), "−∞", "-inf"),
        (True, "True", "True"),
    ],
)
def test_format_number(value, unicode, ascii):
    assert format_number(value) == unicode
    assert format_number(value, ascii=True) == ascii


def test_format_number_significant_digits():
    assert format_number(math.pi, digits=2) == "3.1"
    assert format_number(math.pi, digits=6) == "3.14159"
    assert format_number(1 / 3, digits=1) == "0.3"
    assert format_number(12345, digits=2) == "12345"  # integers are never rounded


def test_format_number_uses_the_unicode_minus_only_in_unicode():
    assert "\u2212" in format_number(-0.5)
    assert "-" not in format_number(-0.5)
    assert format_number(-0.5, ascii=True) == "-0.5"


def test_format_number_numpy_integers_stay_integers():
    assert format_number(np.int64(3)) == "3"


def test_a_summarized_array_is_written_as_its_summary_not_a_crash():
    from tutor.core.numbers import format_number
    from tutor.core.run.timeline import ArraySummary

    summary = ArraySummary((64, 200), "float64", -1.5, 2.0, 0.1)
    assert format_number(summary) == "<array 64×200 float64 min −1.5 max 2.0>"
