"""``nn-tutor check`` leaves nothing unproven silently: equations no line computes, the
decision-boundary function, mismatches before a crash, the numbers ``expect:`` pins; and it
says per lesson what it proved (``--stats``)."""

from __future__ import annotations

import re

import pytest

from tutor.cli import main
from tutor.core.check import check_lesson, check_report
from tutor.core.lesson.load import load_lesson
from tutor.core.run.runner import Runner

from .conftest import GOOD_MD, GOOD_PY


@pytest.fixture(scope="module")
def runner():
    with Runner() as shared:
        yield shared


def messages(folder, runner) -> list[str]:
    return [f"{p.line}: {p.message}" for p in check_lesson(load_lesson(folder), runner)]


# -- equations no line computes ------------------------------------------------------------
def test_an_equation_no_line_of_its_step_assigns_fails(make_lesson, runner):
    md = GOOD_MD.replace("$$ \\hat{y} = w x $$", "$$ \\hat{y} = w x $$\n\n$$ w = 42 $$")
    found = messages(make_lesson(md=md), runner)
    assert len(found) == 1
    assert found[0].startswith("19: equation 'w = 42' of step 'predict' is never evaluated")
    assert "lesson.py:4 assigns y_hat" in found[0]


def test_an_illustrative_equation_passes(make_lesson, runner):
    md = GOOD_MD.replace(
        "$$ \\hat{y} = w x $$", "$$ \\hat{y} = w x $$\n\n$$ w = 42 % illustrative: a made-up w $$"
    )
    assert messages(make_lesson(md=md), runner) == []


# -- mismatches before a crash -------------------------------------------------------------
def test_mismatches_recorded_before_the_code_raises_are_reported(make_lesson, runner):
    py = GOOD_PY.replace("y_hat = w * x", "y_hat = w * x + 1") + "raise ValueError('late')\n"
    found = messages(make_lesson(py=py), runner)
    assert found[0] == "6: ValueError: late"
    assert found[1].startswith('4: step "predict", iteration 1: math gives 0.5, code gives 1.5')


# -- expect: -------------------------------------------------------------------------------
def with_expect(entries: str) -> str:
    return GOOD_MD.replace("---\n\n# Intro", f"expect:\n{entries}---\n\n# Intro")


def test_expect_right_passes_and_counts(make_lesson, runner):
    md = with_expect(
        "  - {name: w, iteration: 1, value: 1.0, tolerance: 0}\n"
        "  - {name: y_hat, iteration: end, value: 1.5}\n"
        "  - {name: w, iteration: 0, value: 0.5}\n"
    )
    report = check_report(load_lesson(make_lesson(md=md)), runner)
    assert report.problems == [] and report.expectations == 3


def test_expect_wrong_names_name_iteration_and_both_values(make_lesson, runner):
    md = with_expect("  - {name: w, iteration: 2, value: 1.4}\n")
    (found,) = messages(make_lesson(md=md), runner)
    assert found.startswith("10: expect w = 1.4 at iteration 2: the run records 1.5 ")
    md = with_expect("  - {name: w, iteration: 7, value: 1.4}\n")
    (found,) = messages(make_lesson("02-x", md=md), runner)
    assert "the run has 3 iterations" in found


def test_expect_within_its_tolerance_passes(make_lesson, runner):
    md = with_expect("  - {name: w, iteration: end, value: 2.01, tolerance: 0.01}\n")
    assert messages(make_lesson(md=md), runner) == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  - {name: w, iteration: 1}\n", "expect entry 1: 'value' must be a number"),
        ("  - {name: 3w, value: 1}\n", "expect entry 1: 'name' must be a Python variable"),
        ("  - {name: w, iteration: last, value: 1}\n", "'iteration' must be a whole number"),
        ("  - {name: w, value: 1, tolerance: -1}\n", "'tolerance' must be a number from 0"),
        ("  - {name: w, value: 1, tol: 0.1}\n", "unknown key 'tol'"),
        ("  - {name: nowhere, value: 1}\n", "expect: 'nowhere' never appears in lesson.py"),
        ("  - w\n", "expect entry 1: must be a mapping"),
    ],
)
def test_a_malformed_expect_entry_is_a_problem_at_its_line(make_lesson, entry, message):
    lesson = load_lesson(make_lesson(md=with_expect("  - {name: w, value: 1.0}\n" + entry)))
    found = [(p.line, p.message) for p in lesson.problems]
    assert len(found) == 1 and found[0][0] == 11, found
    assert message.replace("entry 1", "entry 2") in found[0][1]


# -- the boundary function -----------------------------------------------------------------
BOUNDARY_MD = """\
---
title: And
iteration: iteration
symbols:
  z: z
  w_1: w1
  w_2: w2
  x_1: x1
  x_2: x2
network:
  nodes:
    - {id: x1, kind: input, value: x1}
    - {id: x2, kind: input, value: x2}
    - {id: z, kind: output, value: z}
  edges:
    - {from: x1, to: z, weight: w1}
    - {from: x2, to: z, weight: w2}
plots:
  boundary:
    function: predict
    points: data
---

## Sum {#sum}

$$ z = w_1 x_1 + w_2 x_2 $$

## Update {#update}

$$ w_1 \\leftarrow w_1 + 0.5 $$
"""

BOUNDARY_PY = """\
def predict(x1, x2):
    return w1 * x1 + w2 * x2


data = [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
w1, w2 = 0.5, -0.25
for iteration in range(1, 4):
    for x1, x2, y in data:
        z = w1 * x1 + w2 * x2  # step: sum
    w1 = w1 + 0.5  # step: update
"""


def test_a_right_boundary_function_passes(make_lesson, runner):
    assert messages(make_lesson(md=BOUNDARY_MD, py=BOUNDARY_PY), runner) == []


def test_a_wrong_boundary_function_names_it_the_point_and_both_numbers(make_lesson, runner):
    py = BOUNDARY_PY.replace("return w1 * x1 + w2 * x2", "return w1 * x1 + w2 * x1")
    (found,) = messages(make_lesson(md=BOUNDARY_MD, py=py), runner)
    # last iteration, the values when z was computed: w1 = 1.5 (before its update), w2 = -0.25
    assert found == (
        "18: plots.boundary: predict(x1, x2) gives 0 at (0, 1), but the code computed z = -0.25 "
        "there (iteration 3, with the values recorded then)"
    )


def test_declared_boundary_inputs_and_output_are_used(make_lesson, runner):
    md = BOUNDARY_MD.replace(
        "    points: data\n", '    points: data\n    inputs: [x1, x2]\n    output: "z * 2"\n'
    )
    (found,) = messages(make_lesson(md=md, py=BOUNDARY_PY), runner)
    assert "but the code computed z * 2 = " in found


# -- the output ----------------------------------------------------------------------------
def test_check_prints_a_line_per_lesson_and_stats(make_lesson, capsys, tmp_path):
    make_lesson("lessons/01-doubling", md=with_expect("  - {name: w, value: 2.0}\n"))
    make_lesson("lessons/02-raises", py=GOOD_PY + "raise ValueError('late')\n")
    status = main(["check", "--stats", "--lessons-dir", str(tmp_path / "lessons")])
    rows = [row for row in capsys.readouterr().out.split("\n") if row.strip()]
    assert status == 2
    # 12 events (x, w, the for line 4 times, 3 iterations of 2 lines); 6 evaluations
    assert re.fullmatch(
        r"01-doubling: passed \(12 events, 2 equations, 6 evaluations, 0 derivatives proven, "
        r"1 expectation, [\d.]+ s\)",
        rows[0],
    )
    assert rows[1] == "02-raises: failed (1 problem)"
    assert rows[2].endswith("lesson.py:6: ValueError: late")
    header = rows[3].split()
    assert header[:6] == [
        "lesson",
        "events",
        "equations",
        "evaluations",
        "derivatives",
        "expectations",
    ]
    table = {row.split()[0]: row.split()[1:6] for row in rows[5:] if not row.startswith("-")}
    assert table["01-doubling"] == ["12", "2", "6", "0", "1"]
    assert table["02-raises"] == ["12", "2", "6", "0", "0"]  # the events before its error
    assert table["total"] == ["24", "4", "12", "0", "1"]
    assert re.fullmatch(
        r"checked 2 lessons in [\d.]+ s: 1 passed, 1 failed \(1 problem\)", rows[-1]
    )


def test_stats_show_the_bundled_lessons_derivatives_proven_and_why_others_are_not(capsys):
    status = main(["check", "--stats", "01", "02", "12"])
    out = capsys.readouterr().out
    assert status == 0, out
    table = {
        row.split()[0]: row.split() for row in out.split("\n") if row[:3] in ("01-", "02-", "12-")
    }
    assert table["01-one-neuron"][4] == "3"  # ∂L/∂ŷ, ∂ŷ/∂w, ∂L/∂w
    assert table["02-many-examples"][4] == "1"  # ∂L/∂w; ∂J/∂w is a running sum
    assert table["12-layers"][4] == "8"  # the δ declared as ∂L/∂z too
    assert "derivatives not proven by a finite difference:" in out
    assert (
        "02-many-examples: \\frac{\\partial J}{\\partial w} (dJ_dw, lesson.md:" in out
        and "is built up by a loop" in out
    )
    assert "01-one-neuron: \\frac" not in out and "12-layers: \\frac" not in out
