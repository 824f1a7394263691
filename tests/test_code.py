"""The static pass over lesson.py: anchors, names each line may change, the iteration loop."""

from __future__ import annotations

import textwrap

import pytest

from tutor.core.lesson.source import analyze, code_lines

SOURCE = textwrap.dedent(
    """\
    import math
    x = 1.0
    y = 2.0  # the target  # step: data
    losses = []
    def f(z, k=2):
        \"\"\"Doc.\"\"\"
        s = z * k  # step: loss
        return s
    for iteration in range(1, 21):
        y_hat = (x *
                 2)  # step: predict
        losses.append(f(y_hat))
        q = [a for a in range(3)]
    print(q)  # a note with step: in the middle
    """
)


@pytest.fixture(scope="module")
def cmap():
    return analyze(SOURCE)


def test_anchors_use_the_last_comment_segment(cmap):
    assert cmap.anchors == {3: "data", 7: "loss", 10: "predict"}


def test_anchor_on_a_continuation_line_anchors_the_statement(cmap):
    assert cmap.anchor_lines[10] == 11
    assert 11 in cmap.continuation


def test_stores(cmap):
    assert cmap.stores[2] == ("x",)
    assert cmap.stores[7] == ("z", "k", "s")  # parameters recorded with the first body line
    assert cmap.stores[9] == ("iteration",)
    assert cmap.stores[12] == ("losses",)  # a method call may change its object
    assert cmap.stores[13] == ("q",)  # not the comprehension's own variable
    assert "math" not in cmap.variables and "f" not in cmap.variables


def test_iteration_loop(cmap):
    loop = cmap.loops["iteration"]
    assert (loop.line, loop.end) == (9, 13)
    assert loop.outside == {1, 2, 3, 4, 5, 14}
    assert set(cmap.for_loops) == {9} and loop.body == {10, 12, 13}


def test_bad_anchors():
    cmap = analyze("x = 1  # step: bad id!\n# step: orphan\ny = 2  # step: a\n")
    messages = dict(cmap.bad_anchors)
    assert "not a valid step id" in messages[1]
    assert "no code" in messages[2]
    assert cmap.anchors == {3: "a"}


def test_syntax_error_raises():
    with pytest.raises(SyntaxError):
        analyze("x = (\n")


def test_code_lines_drop_comments_but_not_hashes_in_strings():
    lines = code_lines("a = '#not' # comment\nb = 2\n")
    assert lines[1] == "a = '#not'" and lines[2] == "b = 2"


@pytest.mark.parametrize(
    "comment",
    ["# step: loss  # a note after it", "# Step: loss", "# STEP : loss"],
)
def test_near_miss_anchors_are_reported(comment):
    cmap = analyze(f"loss = 1  {comment}\n")
    assert cmap.anchors == {}
    assert len(cmap.bad_anchors) == 1 and "exactly '# step: <id>'" in cmap.bad_anchors[0][1]


def test_names_inside_f_strings_count():
    cmap = analyze('w = 1\nprint(f"{y_hat:.2f}")\n')
    assert "y_hat" in cmap.names
