"""The limits of an equation (``equation/limits.py``): the deepest and widest equation they
allow parses, compiles and draws even with the app's frames already on the stack; one level
more is a LaTeX error that says the limit, at the column where it is crossed."""

from __future__ import annotations

import pytest

from tutor.core.equation.boxes import render, render_latex
from tutor.core.equation.compiler import compile_equation, symbol_table
from tutor.core.equation.latex import LatexError, parse_equation, parse_expression
from tutor.core.lesson.model import Equation, Symbol

MAX_DEPTH, MAX_PARTS = 50, 500  # as in equation/limits.py (and the docs, section 3.7)

TABLE, _ = symbol_table([Symbol("y", "y"), Symbol("x", "x"), Symbol("w", "w")])

NESTINGS = {  # each: the equation nested ``n`` deep
    "frac": lambda n: "y = " + "\\frac{" * n + "x" + "}{w}" * n,
    "parens": lambda n: "y = " + "(" * n + "x" + ")" * n,
    "sqrt": lambda n: "y = " + "\\sqrt{" * n + "x" + "}" * n,
    "left": lambda n: "y = " + "\\left(" * n + "x" + "\\right)" * n,
    "sigma": lambda n: "y = " + "\\sigma(" * n + "x" + ")" * n,
    "powers": lambda n: "y = x" + "^{x" * n + "}" * n,
    "hats": lambda n: "y = " + "\\hat " * n + "x",
}


def deep_in_the_stack(frames: int, work):
    """``work()`` called with ``frames`` more frames on the stack (the app's own, say)."""
    return work() if frames == 0 else deep_in_the_stack(frames - 1, work)


@pytest.mark.parametrize("kind", NESTINGS)
def test_the_deepest_equation_allowed_is_drawn_and_one_more_level_is_refused(kind):
    text = NESTINGS[kind](MAX_DEPTH)

    def everything():
        equation = parse_equation(text)
        render(equation), render(equation, ascii=True)
        try:
            compile_equation(Equation(text, 1), TABLE)
        except Exception as exc:  # noqa: BLE001 - hats of x are no symbol: that is fine
            assert "is not in the symbol table" in str(exc)
        return render_latex(text)

    assert deep_in_the_stack(300, everything)
    with pytest.raises(LatexError, match=f"nests (more than 50|{MAX_DEPTH + 1}) deep"):
        parse_equation(NESTINGS[kind](MAX_DEPTH + 1))


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        (
            "y = " + "(" * 200 + "x" + ")" * 200,
            5 + MAX_DEPTH,  # the 51st '('
            "this equation nests 200 deep: the tutor reads equations up to 50 deep",
        ),
        (
            "y = " + "\\sqrt{" * 500 + "x" + "}" * 500,
            5 + 6 * MAX_DEPTH + 5,  # the '{' of the 51st \sqrt
            "this equation nests 500 deep: the tutor reads equations up to 50 deep",
        ),
        (
            "y = x" + "_1" * 400,
            7,  # (the innermost part)
            "this equation nests 400 deep: the tutor reads equations up to 50 deep",
        ),
        (
            "y = " + " + ".join(["w x"] * 3000),
            1,
            "this equation has 9,001 parts (numbers, symbols, operations): the tutor reads "
            "equations of up to 500; split it into a derivation of several lines",
        ),
        (
            "y = " + "x" * 2 + " " * 6000,
            1,
            "this equation is 6,006 characters long: the tutor reads equations up to 5,000 "
            "characters; split it into a derivation of several lines",
        ),
    ],
)
def test_beyond_the_limits_the_error_says_which_and_where(text, column, message):
    with pytest.raises(LatexError) as info:
        parse_equation(text)
    assert (info.value.column, info.value.message) == (column, message)


def test_the_widest_equation_allowed_compiles_and_one_more_part_is_refused():
    terms = (MAX_PARTS - 1) // 2  # y, =, then x + x + … + x: 2 + terms + (terms - 1) parts
    widest = "y = " + " + ".join(["x"] * terms)
    assert compile_equation(Equation(widest, 1), TABLE).sides[0]({"x": 1.0}) == terms
    with pytest.raises(LatexError, match=f"has {2 * terms + 3} parts"):
        parse_equation(widest + " + x")


def test_symbol_table_keys_have_the_same_limits():
    from tutor.core.equation import limits

    assert (limits.MAX_DEPTH, limits.MAX_PARTS) == (MAX_DEPTH, MAX_PARTS)
    with pytest.raises(LatexError, match="nests 60 deep"):
        parse_expression("(" * 60 + "x" + ")" * 60)
    table, bad = symbol_table([Symbol("(" * 60 + "x" + ")" * 60, "x", line=7)])
    assert not table and "nests 60 deep" in bad[0][1]
