"""The LaTeX subset parser: every construct as an AST in the author's order, canonical forms,
and errors that point at the right 1-based column."""

from __future__ import annotations

import pytest

from tutor.core.equation.latex import (
    Accent,
    BigSum,
    Call,
    Equation,
    Frac,
    Group,
    LatexError,
    Neg,
    Num,
    Partial,
    Percent,
    Prime,
    Product,
    Sqrt,
    Sub,
    Sum,
    Sup,
    Sym,
    Text,
    canonical,
    parse_equation,
    parse_expression,
    tokenize,
)

# Nodes compare without their positions, so expected trees are written without them.
a, b, c, w, x, y, z = (Sym(n) for n in "abcwxyz")


def rhs(text: str):
    """The right side of ``y = <text>``."""
    equation = parse_equation(f"y = {text}")
    assert equation.rels == ("=",)
    return equation.rhs


# -- atoms ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2", Num("2")),
        ("0.5", Num("0.5")),
        ("3.14", Num("3.14")),
        (".5", Num(".5")),
        ("x", Sym("x")),
        ("L", Sym("L")),
        (r"\eta", Sym("eta")),
        (r"\delta", Sym("delta")),
        (r"\Sigma", Sym("Sigma")),
    ],
)
def test_numbers_letters_and_greek(text, expected):
    assert parse_expression(text) == expected


def test_a_number_keeps_its_text_as_written():
    assert parse_expression("2.50") == Num("2.50")
    assert canonical(parse_expression("2.50")) == "2.50"


@pytest.mark.parametrize(
    "text, expected",
    [
        (r"\hat{y}", Accent("hat", y)),
        (r"\hat y", Accent("hat", y)),
        (r"\bar{x}", Accent("bar", x)),
        (r"\tilde{w}", Accent("tilde", w)),
        (r"\vec{x}", Accent("vec", x)),
        (r"\hat{\eta}", Accent("hat", Sym("eta"))),
    ],
)
def test_accents(text, expected):
    assert parse_expression(text) == expected


def test_hat_with_and_without_braces_share_one_canonical_form():
    assert canonical(parse_expression(r"\hat y")) == canonical(parse_expression(r"\hat{y}"))
    assert canonical(parse_expression(r"\hat{y}")) == r"\hat{y}"
    assert canonical(parse_expression(r"\hat y")) != canonical(parse_expression(r"\bar y"))


def test_primes_count():
    assert parse_expression("w'") == Prime(w, 1)
    assert parse_expression("w''") == Prime(w, 2)
    assert canonical(parse_expression("f''")) == "f''"


@pytest.mark.parametrize(
    "text, expected, canon",
    [
        ("x_1", Sub(x, Num("1")), "x_{1}"),
        ("x_{1}", Sub(x, Num("1")), "x_{1}"),
        ("w_{12}", Sub(w, Num("12")), "w_{12}"),
        ("x_i", Sub(x, Sym("i")), "x_{i}"),
        ("x_{i+1}", Sub(x, Sum((Sym("i"), Num("1")), ("+", "+"))), "x_{i+1}"),
        (r"\hat{y}_1", Sub(Accent("hat", y), Num("1")), r"\hat{y}_{1}"),
    ],
)
def test_subscripts(text, expected, canon):
    node = parse_expression(text)
    assert node == expected
    assert canonical(node) == canon


def test_a_bare_subscript_takes_one_digit_as_in_tex():
    # x_12 is x_1 times 2 (TeX); w_{12} is one subscript.
    assert parse_expression("x_12") == Product((Sub(x, Num("1")), Num("2")), ("",))


@pytest.mark.parametrize(
    "text, expected, canon",
    [
        ("x^2", Sup(x, Num("2")), "x^{2}"),
        ("e^{-z}", Sup(Sym("e"), Neg(z)), "e^{-z}"),
        ("W^T", Sup(Sym("W"), Sym("T")), "W^{T}"),
        (r"W^\top", Sup(Sym("W"), Sym("T")), "W^{T}"),
        ("x^{n+1}", Sup(x, Sum((Sym("n"), Num("1")), ("+", "+"))), "x^{n+1}"),
        (r"(\hat{y} - y)^2", Sup(Group(Sum((Accent("hat", y), y), ("+", "-"))), Num("2")), None),
    ],
)
def test_superscripts(text, expected, canon):
    node = parse_expression(text)
    assert node == expected
    if canon is not None:
        assert canonical(node) == canon


def test_superscript_takes_one_digit_as_in_tex():
    assert parse_expression("x^23") == Product((Sup(x, Num("2")), Num("3")), ("",))


def test_subscript_and_superscript_stack_on_the_base():
    assert parse_expression("x_1^2") == Sup(Sub(x, Num("1")), Num("2"))


def test_percent():
    assert parse_expression(r"50\%") == Percent(Num("50"))
    assert rhs(r"20\% x") == Product((Percent(Num("20")), x), ("",))


def test_text():
    assert parse_expression(r"\text{loss}") == Text("loss")
    node = rhs(r"2x \quad \text{for every } x")
    assert node == Product((Num("2"), x, Text("for every"), x), ("", "", ""))


def test_spacing_commands_are_ignored():
    assert rhs(r"w \, x") == rhs("w x")
    assert rhs(r"w \; x \quad") == rhs("w x")
    assert rhs(r"\displaystyle w \! x") == rhs("w x")


# -- operators and order -------------------------------------------------------------------
def test_sum_keeps_the_written_order():
    assert rhs("b + a") == Sum((b, a), ("+", "+"))
    assert rhs("a + b") == Sum((a, b), ("+", "+"))
    assert rhs("b + a") != rhs("a + b")
    assert rhs("a - b + c") == Sum((a, b, c), ("+", "-", "+"))


def test_leading_minus_is_a_negation_of_the_first_term():
    assert rhs("-x") == Neg(x)
    assert rhs("-b + a") == Sum((Neg(b), a), ("+", "+"))
    assert rhs("-w x") == Neg(Product((w, x), ("",)))


@pytest.mark.parametrize(
    "text, op",
    [
        (r"a \cdot b", "cdot"),
        (r"a \times b", "times"),
        ("a / b", "/"),
        (r"a \odot b", "odot"),
        ("a * b", "cdot"),
        ("a b", ""),
    ],
)
def test_products(text, op):
    assert rhs(text) == Product((a, b), (op,))


def test_implicit_multiplication():
    assert rhs("2x") == Product((Num("2"), x), ("",))
    assert rhs("w x") == Product((w, x), ("",))
    assert rhs("wx") == Product((w, x), ("",))
    assert rhs("b a") == Product((b, a), ("",))  # order kept
    assert rhs(r"2(\hat{y} - y) \cdot x") == Product(
        (Num("2"), Group(Sum((Accent("hat", y), y), ("+", "-"))), x), ("", "cdot")
    )


def test_product_binds_tighter_than_sum():
    assert rhs(r"a + b \cdot c") == Sum((a, Product((b, c), ("cdot",))), ("+", "+"))
    assert rhs("a b - c") == Sum((Product((a, b), ("",)), c), ("+", "-"))


def test_mixed_operators_stay_one_flat_product_in_order():
    assert rhs(r"a / b \cdot c") == Product((a, b, c), ("/", "cdot"))


def test_frac():
    assert rhs(r"\frac{a}{b}") == Frac(a, b)
    assert rhs(r"\frac{1}{2}") == Frac(Num("1"), Num("2"))
    assert rhs(r"\frac{a + b}{2}") == Frac(Sum((a, b), ("+", "+")), Num("2"))


def test_nested_fractions():
    assert rhs(r"\frac{\frac{a}{b}}{c}") == Frac(Frac(a, b), c)
    assert rhs(r"\frac{1}{1 + \frac{1}{x}}") == Frac(
        Num("1"), Sum((Num("1"), Frac(Num("1"), x)), ("+", "+"))
    )


def test_sigmoid_as_a_fraction():
    assert rhs(r"\frac{1}{1 + e^{-z}}") == Frac(
        Num("1"), Sum((Num("1"), Sup(Sym("e"), Neg(z))), ("+", "+"))
    )


def test_sqrt():
    assert rhs(r"\sqrt{x}") == Sqrt(x)
    assert rhs(r"\sqrt{a^2 + b^2}") == Sqrt(Sum((Sup(a, Num("2")), Sup(b, Num("2"))), ("+", "+")))


def test_big_sum_with_limits_and_body():
    node = rhs(r"\sum_{i=1}^{n} w_i x_i")
    assert node == BigSum(
        "i", Num("1"), Sym("n"), Product((Sub(w, Sym("i")), Sub(x, Sym("i"))), ("",))
    )
    assert canonical(node) == r"\sum_{i=1}^{n} w_{i} x_{i}"


def test_big_sum_body_is_one_term():
    # The body is the product that follows; a '+' ends the sum.
    node = rhs(r"\sum_{i=1}^{3} x_i + b")
    assert node == Sum((BigSum("i", Num("1"), Num("3"), Sub(x, Sym("i"))), b), ("+", "+"))


# -- brackets -------------------------------------------------------------------------------
def test_brackets():
    assert rhs("(a + b)") == Group(Sum((a, b), ("+", "+")), "(", ")")
    assert rhs("[a]") == Group(a, "[", "]")
    assert rhs(r"\left( a \right)") == Group(a, "(", ")")
    assert rhs(r"\left[ a \right]") == Group(a, "[", "]")
    assert canonical(rhs(r"\left( a + b \right)")) == canonical(rhs("(a + b)")) == "(a+b)"


def test_braces_group_without_drawing_brackets():
    assert rhs("{a}") == a
    assert rhs("{a + b} c") == Product((Sum((a, b), ("+", "+")), c), ("",))


def test_brackets_around_a_fraction():
    assert rhs(r"\left( \frac{a}{b} \right)") == Group(Frac(a, b))


# -- functions ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sigma", "exp", "ln", "log", "tanh"])
def test_function_application(name):
    assert rhs(rf"\{name}(z)") == Call(name, (z,))
    assert canonical(rhs(rf"\{name}(z)")) == rf"\{name}(z)"


def test_max_min_take_several_arguments():
    assert rhs(r"\max(0, z)") == Call("max", (Num("0"), z))
    assert rhs(r"\min(a, b)") == Call("min", (a, b))
    assert canonical(rhs(r"\max(0, z)")) == r"\max(0,z)"


def test_function_with_left_right():
    assert rhs(r"\exp\left( -z \right)") == Call("exp", (Neg(z),))


def test_sigma_with_left_right_is_a_call():
    assert rhs(r"\sigma\left( z \right)") == Call("sigma", (z,))


def test_sigma_derivative_product():
    node = rhs(r"\sigma(z)(1 - \sigma(z))")
    assert node == Product(
        (Call("sigma", (z,)), Group(Sum((Num("1"), Call("sigma", (z,))), ("+", "-")))), ("",)
    )


def test_function_of_an_expression():
    assert rhs(r"\sigma(w x + b)") == Call("sigma", (Sum((Product((w, x), ("",)), b), ("+", "+")),))


def test_bare_sigma_is_the_greek_letter():
    # docs/lesson-format.md 3.7 lists \sigma among the Greek letters; only σ(…) is the function.
    assert parse_expression(r"\sigma") == Sym("sigma")


# -- partial derivatives --------------------------------------------------------------------
def test_partial_derivative():
    node = rhs(r"\frac{\partial L}{\partial w}")
    assert node == Frac(Partial(Sym("L")), Partial(w))
    assert canonical(node) == r"\frac{\partial L}{\partial w}"


def test_partial_of_an_accented_symbol():
    node = rhs(r"\frac{\partial L}{\partial \hat{y}}")
    assert node == Frac(Partial(Sym("L")), Partial(Accent("hat", y)))
    assert canonical(node) == canonical(rhs(r"\frac{\partial L}{\partial \hat y}"))


# -- relations and whole equations ----------------------------------------------------------
def test_equation_sides_and_relation():
    eq = parse_equation(r"\hat{y} = w x")
    assert eq == Equation((Accent("hat", y), Product((w, x), ("",))), ("=",))
    assert eq.lhs == Accent("hat", y)
    assert eq.rhs == Product((w, x), ("",))


@pytest.mark.parametrize(
    "text, rel",
    [
        ("w = x", "="),
        (r"w \leftarrow x", "leftarrow"),
        (r"w \gets x", "leftarrow"),
        (r"w \approx x", "approx"),
    ],
)
def test_relations(text, rel):
    assert parse_equation(text) == Equation((w, x), (rel,))


def test_chain_of_relations():
    eq = parse_equation("a = b = c")
    assert eq == Equation((a, b, c), ("=", "="))
    assert eq.lhs == a and eq.rhs == c
    eq = parse_equation(r"a = b \approx c")
    assert eq.rels == ("=", "approx")


def test_continuation_line_starts_with_equals():
    eq = parse_equation(r"= 2(\hat{y} - y) \cdot x")
    assert eq.sides[0] is None
    assert eq.lhs is None
    assert eq.rels == ("=",)
    assert eq.rhs == rhs(r"2(\hat{y} - y) \cdot x")


def test_continuation_chain():
    eq = parse_equation("= a = b")
    assert eq == Equation((None, a, b), ("=", "="))


def test_lesson01_update_rule():
    eq = parse_equation(r"w \leftarrow w - \eta \frac{\partial L}{\partial w}")
    assert eq == Equation(
        (
            w,
            Sum(
                (w, Product((Sym("eta"), Frac(Partial(Sym("L")), Partial(w))), ("",))),
                ("+", "-"),
            ),
        ),
        ("leftarrow",),
    )


def test_an_equation_without_a_relation_parses():
    # The parser accepts a bare expression; compile_equation is what demands a relation.
    assert parse_equation("w x") == Equation((Product((w, x), ("",)),), ())


# -- positions ------------------------------------------------------------------------------
def test_nodes_remember_their_0_based_column():
    eq = parse_equation(r"\hat{y} = w \cdot x_1")
    assert eq.lhs.pos == 0
    assert eq.lhs.body.pos == 5
    product = eq.rhs
    assert product.pos == 10
    assert [f.pos for f in product.factors] == [10, 18]
    assert product.factors[1].index.pos == 20


def test_positions_do_not_affect_equality():
    assert parse_expression("x") == parse_expression("   x")
    assert parse_expression("   x").pos == 3


# -- canonical ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "one, other",
    [
        (r"\hat y", r"\hat{y}"),
        ("x_1", "x_{1}"),
        ("x^2", "x^{2}"),
        (r"W^\top", "W^T"),
        ("2x", "2 x"),
        ("wx", "w x"),
        (r"\left( a + b \right)", "(a+b)"),
        (r"\frac{\partial L}{\partial \hat y}", r"\frac{\partial L}{\partial \hat{y}}"),
        (r"w\,x", "w x"),
        ("{x}", "x"),
    ],
)
def test_canonical_is_the_same_for_the_same_math(one, other):
    assert canonical(parse_expression(one)) == canonical(parse_expression(other))


@pytest.mark.parametrize(
    "one, other",
    [("a + b", "b + a"), ("x_1", "x_2"), (r"\hat{y}", "y"), ("w x", r"w \cdot x"), ("a", "(a)")],
)
def test_canonical_tells_different_math_apart(one, other):
    assert canonical(parse_expression(one)) != canonical(parse_expression(other))


def test_canonical_round_trips():
    for text in [
        r"\frac{\partial L}{\partial w}",
        r"\hat{y}_{1}",
        r"\sum_{i=1}^{n} w_{i} x_{i}",
        r"\sigma(w x+b)",
        r"e^{-z}",
        r"50\%",
        r"\sqrt{x}",
        r"-w\cdot x",
        r"\text{loss}",
        "w''",
    ]:
        node = parse_expression(text)
        assert canonical(parse_expression(canonical(node))) == canonical(node), text


# -- errors ---------------------------------------------------------------------------------
def error(text: str, parse=parse_equation) -> LatexError:
    with pytest.raises(LatexError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    "text, column, words",
    [
        # unknown command: at its backslash
        (r"a = \foo + b", 5, r"\foo is not part of the supported LaTeX subset"),
        (r"a = b + \mathbf{x}", 9, r"\mathbf is not part"),
        # unclosed parenthesis: at the bracket left open, not at the end
        ("a = (b + c", 5, "'(' is never closed: add ')'"),
        (r"a = \max(0, z", 9, "'(' is never closed: add ')'"),
        (r"a = \left( b", 5, r"'\left' is never closed: add '\right'"),
        (r"a = \frac{b}{c", 13, "'{' is never closed: add '}'"),
        # dangling operators: the equation ends where a term was due
        ("a = b +", 8, "ends too early"),
        (r"a = b \cdot", 12, "ends too early"),
        ("a = x^", 7, "ends too early"),
        # empty input
        ("", 1, "ends too early"),
        # a stray closing bracket and characters outside the subset
        ("a = b)", 6, "unexpected ')'"),
        ("a = b $ c", 7, "unexpected character '$'"),
        ("a = b == c", 8, "unexpected '='"),
        # functions other than σ must be applied with parentheses
        (r"a = \exp z", 5, r"write \exp(…) with parentheses"),
        (r"a = 2 \ln x", 7, r"write \ln(…) with parentheses"),
        (r"a = \tanh", 5, r"write \tanh(…) with parentheses"),
        (r"a = \max 0", 5, r"write \max(…) with parentheses"),
        # malformed constructs
        (r"a = \frac{b}", 13, "expected '{'"),
        (r"a = \frac{}{b}", 11, "empty braces"),
        (r"a = \sum x", 5, r"write a sum with its index"),
        (r"a = \sum_{1=1}^{n} x", 11, "the sum's index must be one letter"),
        (r"a = \text{abc", 5, r"\text{ is never closed"),
        (r"a = \left\right", 10, r"\left must be followed by"),
        (r"a = \max(0,)", 12, "unexpected ')'"),
    ],
)
def test_errors_point_at_the_right_column(text, column, words):
    exc = error(text)
    assert exc.column == column
    assert words in exc.message
    assert str(exc) == exc.message


def test_empty_expression():
    exc = error("", parse_expression)
    assert exc.column == 1
    exc = error("a = b", parse_expression)  # relations are not part of an expression
    assert exc.column == 3


def test_error_column_counts_characters_not_bytes():
    exc = error("a = b + ŷ")
    assert exc.column == 9


def test_right_without_its_delimiter_is_a_latex_error():
    exc = error(r"a = \left( b \right")
    assert exc.column == 20


def test_tokenizer_drops_spaces_and_spacing_commands():
    tokens = tokenize(r"w \, x")
    assert [(t.kind, t.text, t.pos) for t in tokens] == [
        ("char", "w", 0),
        ("char", "x", 5),
        ("end", "", 6),
    ]
