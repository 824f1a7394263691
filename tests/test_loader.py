"""The lesson loader and the lesson collection: what loads, and every problem at its file and line."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tutor.core.lesson.collection import LessonNotFound, load_collection, resolve
from tutor.core.lesson.load import load_lesson
from tutor.core.lesson.model import Equation, Symbol
from tutor.core.lesson.problems import Problem

from .conftest import GOOD_MD, GOOD_PY, LESSON_01

# Line numbers in GOOD_MD (1-based), used throughout:
#   1 ---            6  '\hat{y}': y_hat    15 ## Predict {#predict}
#   2 title          7  w: w                17 $$ \hat{y} = w x $$
#   3 order          8  x: x                19 ## Update {#update}
#   4 iteration      9  ---                 21 $$ w \leftarrow w + 0.5 % a fixed nudge $$
#   5 symbols:      11  # Intro
# and in GOOD_PY: 3 the for loop, 4 y_hat (predict), 5 w (update).


def _replace(text: str, old: str, new: str) -> str:
    """``text.replace`` that insists ``old`` is there, so a test cannot silently test nothing."""
    assert text.count(old) == 1, f"{old!r} not found exactly once"
    return text.replace(old, new)


def where(lesson) -> list[tuple[str, int]]:
    """Each problem as (file name, line), in the loader's order."""
    return [(p.path.name, p.line) for p in lesson.problems]


def problem_at(lesson, name: str, line: int) -> Problem:
    found = [p for p in lesson.problems if p.path.name == name and p.line == line]
    assert len(found) == 1, f"expected one problem at {name}:{line}, got {lesson.problems}"
    return found[0]


# -- a good lesson ------------------------------------------------------------------------


def test_good_lesson_loads_without_problems(make_lesson):
    folder = make_lesson("01-doubling")
    lesson = load_lesson(folder)

    assert lesson.problems == []
    assert lesson.ok
    assert lesson.id == "01-doubling"
    assert lesson.path == folder
    assert lesson.md_path == folder / "lesson.md"
    assert lesson.py_path == folder / "lesson.py"
    assert lesson.title == "Doubling"
    assert lesson.order == 1
    assert lesson.iteration == "iteration"
    assert lesson.summary == "Learn to double."  # first sentence of the intro
    assert lesson.intro == "# Intro\n\nLearn to double."
    assert lesson.source == GOOD_PY
    assert lesson.key_lines == {"title": 2, "order": 3, "iteration": 4, "symbols": 5}


def test_good_lesson_symbols_with_their_lines(make_lesson):
    lesson = load_lesson(make_lesson())
    assert lesson.symbols == [
        Symbol("\\hat{y}", "y_hat", "scalar", 6),
        Symbol("w", "w", "scalar", 7),
        Symbol("x", "x", "scalar", 8),
    ]


def test_good_lesson_steps_in_order_with_equations(make_lesson):
    lesson = load_lesson(make_lesson())

    assert [(s.id, s.title, s.line) for s in lesson.steps] == [
        ("predict", "Predict", 15),
        ("update", "Update", 19),
    ]
    predict, update = lesson.steps
    assert predict.equations == [Equation("\\hat{y} = w x", 17, "")]
    # The text after '%' is the justification, not part of the math.
    assert update.equations == [Equation("w \\leftarrow w + 0.5", 21, "a fixed nudge")]
    assert not predict.is_derivation
    assert not update.is_derivation
    assert predict.markdown == "$$ \\hat{y} = w x $$"
    assert lesson.step("update") is update
    assert lesson.step("nope") is None


def test_good_lesson_anchors_map_code_lines_to_steps(make_lesson):
    lesson = load_lesson(make_lesson())
    assert lesson.anchors == {4: "predict", 5: "update"}
    assert lesson.step("predict").lines == [4]
    assert lesson.step("update").lines == [5]


def test_order_defaults_to_the_number_the_folder_name_starts_with(make_lesson):
    md = _replace(GOOD_MD, "order: 1\n", "")
    lesson = load_lesson(make_lesson("07-doubling", md=md))
    assert lesson.problems == []
    assert lesson.order == 7


def test_multi_line_equation_and_escaped_percent(make_lesson):
    md = _replace(
        GOOD_MD,
        "$$ \\hat{y} = w x $$",
        "$$\n\\hat{y} = w x \\cdot 100\\%\n% by definition\n$$",
    )
    lesson = load_lesson(make_lesson(md=md))
    assert lesson.problems == []
    assert lesson.step("predict").equations == [
        Equation("\\hat{y} = w x \\cdot 100\\%", 17, "by definition")
    ]
    # Three more lines above it: the update step moved down by three.
    assert lesson.step("update").line == 22
    assert lesson.step("update").equations[0].line == 24


def test_crlf_and_bom_do_not_shift_lines(tmp_path):
    folder = tmp_path / "01-doubling"
    folder.mkdir()
    (folder / "lesson.md").write_bytes(b"\xef\xbb\xbf" + GOOD_MD.replace("\n", "\r\n").encode())
    (folder / "lesson.py").write_bytes(GOOD_PY.replace("\n", "\r\n").encode())
    lesson = load_lesson(folder)
    assert lesson.problems == []
    assert lesson.title == "Doubling"
    assert [(s.id, s.line) for s in lesson.steps] == [("predict", 15), ("update", 19)]
    assert lesson.anchors == {4: "predict", 5: "update"}


# -- lesson 01 ----------------------------------------------------------------------------


def test_lesson_01_loads_without_problems():
    lesson = load_lesson(LESSON_01)
    assert lesson.problems == []
    assert lesson.title == "The smallest possible neural network"
    assert lesson.order == 1
    assert lesson.iteration == "iteration"
    assert [s.id for s in lesson.steps] == [
        "target",
        "predict",
        "loss",
        "measure",
        "slope-loss",
        "slope-predict",
        "gradient",
        "update",
    ]


def test_lesson_01_gradient_is_a_two_equation_derivation():
    lesson = load_lesson(LESSON_01)
    gradient = lesson.step("gradient")
    assert gradient.is_derivation
    assert len(gradient.equations) == 2
    first, second = gradient.equations
    assert first.justification.startswith("chain rule")
    assert second.justification  # the text after its "%"
    assert "\\frac{\\partial L}{\\partial w}" in first.latex
    assert "%" not in first.latex
    md_lines = (LESSON_01 / "lesson.md").read_text(encoding="utf-8").split("\n")
    for eq in gradient.equations:  # each equation's line is its opening '$$'
        assert md_lines[eq.line - 1].strip().startswith("$$")
    assert first.line < second.line
    # The measurement has two (the nudged loss, the slope), each on its own line of code;
    # every other step has exactly one equation.
    counts = {s.id: len(s.equations) for s in lesson.steps if s.id != "gradient"}
    assert counts.pop("measure") == 2 and list(counts.values()) == [1] * 6
    assert len(lesson.step("measure").lines) == 2


def test_lesson_01_anchors_match_the_step_comments():
    lesson = load_lesson(LESSON_01)
    expected = {}
    for number, row in enumerate((LESSON_01 / "lesson.py").read_text().split("\n"), 1):
        match = re.search(r"# step: (\S+)\s*$", row)
        if match:
            expected[number] = match.group(1)
    assert len(expected) == 9
    assert lesson.anchors == expected
    for number, step_id in expected.items():
        assert number in lesson.step(step_id).lines
    assert lesson.step("measure").lines == [12, 13]


# -- broken lessons: each problem at its file and line ----------------------------------


def test_missing_lesson_md(make_lesson):
    folder = make_lesson(md=None)
    lesson = load_lesson(folder)
    assert where(lesson) == [("lesson.md", 1)]
    problem = lesson.problems[0]
    assert problem.path == folder / "lesson.md"
    assert "file not found" in problem.message
    assert str(problem) == f"{folder / 'lesson.md'}:1: {problem.message}"
    assert not lesson.ok
    assert lesson.source == GOOD_PY  # what could be read was read


def test_missing_lesson_py(make_lesson):
    folder = make_lesson(py=None)
    lesson = load_lesson(folder)
    assert where(lesson) == [("lesson.py", 1)]
    problem = lesson.problems[0]
    assert problem.path == folder / "lesson.py"
    assert "file not found" in problem.message
    assert [s.id for s in lesson.steps] == ["predict", "update"]


@pytest.mark.parametrize(
    ("name", "text", "row"),
    [("lesson.md", GOOD_MD, "order: 1"), ("lesson.py", GOOD_PY, "for iteration in range(1, 4):")],
)
def test_non_utf8_file_names_the_line_and_column(make_lesson, name, text, row):
    folder = make_lesson()
    lines = text.split("\n")
    assert lines[2] == row  # line 3
    data = text.encode().split(b"\n")
    data[2] += b"  # caf\xff"
    (folder / name).write_bytes(b"\n".join(data))

    lesson = load_lesson(folder)
    assert where(lesson) == [(name, 3)]
    problem = lesson.problems[0]
    column = len(row) + len("  # caf") + 1
    assert problem.path == folder / name
    assert problem.column == column
    assert "not valid UTF-8 (byte 0xff)" in problem.message
    assert str(problem) == f"{folder / name}:3:{column}: {problem.message}"


@pytest.mark.parametrize("name", ["lesson.md", "lesson.py"])
def test_unreadable_file(make_lesson, name):
    if os.geteuid() == 0:
        pytest.skip("root can read a file with mode 000")
    folder = make_lesson()
    path = folder / name
    path.chmod(0)
    try:
        lesson = load_lesson(folder)
    finally:
        path.chmod(0o644)
    assert where(lesson) == [(name, 1)]
    assert lesson.problems[0].path == path
    assert "cannot read the file" in lesson.problems[0].message


def test_front_matter_not_starting_with_dashes(make_lesson):
    md = _replace(GOOD_MD, "---\ntitle", "title")  # drop the opening '---'
    lesson = load_lesson(make_lesson(md=md))
    assert where(lesson)[0] == ("lesson.md", 1)
    assert "must start with YAML front matter" in lesson.problems[0].message
    # The body is still read, at its real lines (one up, as the '---' line is gone).
    assert [(s.id, s.line) for s in lesson.steps] == [("predict", 14), ("update", 18)]
    assert where(lesson) == [("lesson.md", 1)]


def test_front_matter_never_closed(make_lesson):
    md = "---\ntitle: Doubling\norder: 1\n\n## Predict {#predict}\n\n$$ \\hat{y} = w x $$\n"
    lesson = load_lesson(make_lesson(md=md))
    md_problems = [p for p in lesson.problems if p.path.name == "lesson.md"]
    assert [(p.line, p.message) for p in md_problems] == [
        (1, "front matter is not closed: add a '---' line after it")
    ]
    assert lesson.problems[0] == md_problems[0]


def test_malformed_yaml_names_the_bad_line(make_lesson):
    md = _replace(GOOD_MD, "order: 1\n", "order: 1\n  oops: 2\n")  # line 4
    lesson = load_lesson(make_lesson(md=md))
    assert where(lesson) == [("lesson.md", 4)]
    assert lesson.problems[0].message.startswith("malformed front matter:")


def test_malformed_yaml_unclosed_bracket_names_its_line(make_lesson):
    md = _replace(GOOD_MD, "title: Doubling\n", "title: [unclosed\n")  # line 2
    lesson = load_lesson(make_lesson(md=md))
    assert where(lesson) == [("lesson.md", 2)]
    assert lesson.problems[0].message.startswith("malformed front matter:")


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("title: Doubling\n", "", 2),  # no title key: the first front matter line
        ("title: Doubling\n", "title:\n", 2),  # empty title: its own line
        ("title: Doubling\norder: 1\n", "order: 1\ntitle: '  '\n", 3),  # blank, on line 3
    ],
    ids=["absent", "empty", "blank-on-line-3"],
)
def test_missing_title(make_lesson, old, new, line):
    lesson = load_lesson(make_lesson(md=_replace(GOOD_MD, old, new)))
    assert where(lesson) == [("lesson.md", line)]
    assert lesson.problems[0].message == "the front matter needs a 'title: ...'"
    assert lesson.title == ""


def test_unknown_front_matter_key_suggests_the_known_one(make_lesson):
    folder = make_lesson(md=_replace(GOOD_MD, "order: 1\n", "order: 1\nsumary: hi\n"))
    lesson = load_lesson(folder)
    assert where(lesson) == [("lesson.md", 4)]
    problem = lesson.problems[0]
    assert problem.message == "unknown front matter key 'sumary' (did you mean 'summary'?)"
    assert str(problem) == f"{folder / 'lesson.md'}:4: {problem.message}"


def test_duplicate_step_id_names_the_second_heading_and_the_first(make_lesson):
    lesson = load_lesson(make_lesson(md=_replace(GOOD_MD, "{#update}", "{#predict}")))
    # The second heading (line 19) is the duplicate; its step is dropped, so the code's
    # 'update' anchor now names an unknown step.
    assert where(lesson) == [("lesson.md", 19), ("lesson.py", 5)]
    assert lesson.problems[0].message == "duplicate step id 'predict' (first used on line 15)"
    assert [s.id for s in lesson.steps] == ["predict"]


def test_anchor_naming_an_unknown_step(make_lesson):
    folder = make_lesson(py=_replace(GOOD_PY, "# step: update", "# step: updte"))
    lesson = load_lesson(folder)
    assert where(lesson) == [("lesson.md", 19), ("lesson.py", 5)]
    problem = problem_at(lesson, "lesson.py", 5)
    assert problem.path == folder / "lesson.py"
    assert problem.message == "anchor names unknown step 'updte' (did you mean 'update'?)"
    assert str(problem) == f"{folder / 'lesson.py'}:5: {problem.message}"
    assert "not anchored" in problem_at(lesson, "lesson.md", 19).message


def test_anchor_naming_an_unknown_step_lists_the_steps_when_nothing_is_close(make_lesson):
    lesson = load_lesson(make_lesson(py=_replace(GOOD_PY, "# step: update", "# step: zzz")))
    problem = problem_at(lesson, "lesson.py", 5)
    assert problem.message == "anchor names unknown step 'zzz' (steps: predict, update)"


def test_step_no_line_anchors(make_lesson):
    lesson = load_lesson(make_lesson(py=_replace(GOOD_PY, "  # step: update", "")))
    assert where(lesson) == [("lesson.md", 19)]
    assert lesson.problems[0].message.startswith("step 'update' is not anchored by any line")
    assert "# step: update" in lesson.problems[0].message
    assert lesson.step("update").lines == []


def test_symbol_whose_name_never_appears_in_the_code(make_lesson):
    lesson = load_lesson(make_lesson(md=_replace(GOOD_MD, "  x: x\n", "  x: x\n  b: bias\n")))
    assert where(lesson) == [("lesson.md", 9)]
    assert lesson.problems[0].message == (
        "symbol 'b' maps to 'bias', which never appears in lesson.py"
    )


def test_symbol_name_only_in_a_comment_does_not_count(make_lesson):
    md = _replace(GOOD_MD, "  x: x\n", "  x: x\n  b: bias\n")
    py = GOOD_PY + "# bias comes in lesson 3\n"
    lesson = load_lesson(make_lesson(md=md, py=py))
    assert where(lesson) == [("lesson.md", 9)]


def test_empty_equation(make_lesson):
    lesson = load_lesson(make_lesson(md=_replace(GOOD_MD, "$$ \\hat{y} = w x $$", "$$ $$")))
    assert where(lesson) == [("lesson.md", 15), ("lesson.md", 17)]
    assert problem_at(lesson, "lesson.md", 17).message.startswith("empty equation")
    assert "has no equation" in problem_at(lesson, "lesson.md", 15).message


def test_unclosed_equation_in_the_last_step(make_lesson):
    md = _replace(
        GOOD_MD, "$$ w \\leftarrow w + 0.5 % a fixed nudge $$", "$$ w \\leftarrow w + 0.5"
    )
    lesson = load_lesson(make_lesson(md=md))
    assert where(lesson) == [("lesson.md", 19), ("lesson.md", 21)]
    assert problem_at(lesson, "lesson.md", 21).message == (
        "'$$' is never closed: end the equation with '$$'"
    )


def test_unclosed_equation_before_another_step(make_lesson):
    md = _replace(GOOD_MD, "$$ \\hat{y} = w x $$", "$$ \\hat{y} = w x")
    lesson = load_lesson(make_lesson(md=md))
    assert ("lesson.md", 17) in where(lesson)
    assert problem_at(lesson, "lesson.md", 17).message.startswith("'$$' is never closed")
    assert [s.id for s in lesson.steps] == ["predict", "update"]
    assert not [p for p in lesson.problems if p.path.name == "lesson.py"]


def test_equation_outside_any_step(make_lesson):
    md = _replace(GOOD_MD, "Learn to double.\n", "Learn to double.\n\n$$ y = 2x $$\n")
    lesson = load_lesson(make_lesson(md=md))
    assert where(lesson) == [("lesson.md", 15)]
    assert lesson.problems[0].message.startswith("equation outside a step")
    assert lesson.step("predict").line == 17  # the steps moved down by two


def test_step_with_no_equation(make_lesson):
    lesson = load_lesson(make_lesson(md=_replace(GOOD_MD, "$$ \\hat{y} = w x $$", "No math.")))
    assert where(lesson) == [("lesson.md", 15)]
    assert lesson.problems[0].message == (
        "step 'predict' has no equation: add one between '$$' lines"
    )


def test_dollars_inside_a_code_fence_are_not_an_equation(make_lesson):
    md = _replace(GOOD_MD, "Learn to double.\n", "Learn to double.\n\n```\n$$ y = 2x $$\n```\n")
    lesson = load_lesson(make_lesson(md=md))
    assert lesson.problems == []


def test_invalid_step_id_in_a_heading(make_lesson):
    lesson = load_lesson(make_lesson(md=_replace(GOOD_MD, "{#update}", "{#up date}")))
    problem = problem_at(lesson, "lesson.md", 19)
    assert "'{#up date}' is not a valid step id" in problem.message


def test_syntax_error_in_lesson_py_names_line_and_column(make_lesson):
    folder = make_lesson(py=_replace(GOOD_PY, "w = 0.5\n", "w = (0.5\n"))
    lesson = load_lesson(folder)
    assert where(lesson) == [("lesson.py", 2)]
    problem = lesson.problems[0]
    assert problem.column == 5  # the '('
    assert problem.message.startswith("syntax error:")
    assert str(problem) == f"{folder / 'lesson.py'}:2:5: {problem.message}"


def test_iteration_naming_no_loop_variable(make_lesson):
    lesson = load_lesson(make_lesson(py=_replace(GOOD_PY, "for iteration in", "for i in")))
    assert where(lesson) == [("lesson.md", 4)]
    assert lesson.problems[0].message.startswith(
        "'iteration: iteration' names no loop variable of lesson.py"
    )


def test_anchor_on_a_comment_only_line(make_lesson):
    py = _replace(
        GOOD_PY,
        "    y_hat = w * x  # step: predict\n",
        "    # step: predict\n    y_hat = w * x\n",
    )
    lesson = load_lesson(make_lesson(py=py))
    assert where(lesson) == [("lesson.md", 15), ("lesson.py", 4)]
    assert problem_at(lesson, "lesson.py", 4).message == (
        "anchor '# step: predict' is on a line with no code"
    )
    assert lesson.anchors == {6: "update"}


def test_problem_paths_are_shown_relative_to_the_working_directory(
    make_lesson, tmp_path, monkeypatch
):
    folder = make_lesson("01-doubling", py=_replace(GOOD_PY, "  # step: update", ""))
    monkeypatch.chdir(tmp_path)
    lesson = load_lesson(folder)
    assert str(lesson.problems[0]) == (
        "01-doubling/lesson.md:19: step 'update' is not anchored by any line of lesson.py: "
        "add '# step: update' to the line that computes it"
    )


# -- multi-line statements ----------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "    y_hat = (w\n             * x)  # step: predict\n",
        "    y_hat = (\n        w * x\n    )  # step: predict\n",
        "    y_hat = w \\\n        * x  # step: predict\n",
    ],
    ids=["two-lines", "three-lines", "backslash"],
)
def test_anchor_on_the_last_line_of_a_statement_anchors_its_first_line(make_lesson, statement):
    py = _replace(GOOD_PY, "    y_hat = w * x  # step: predict\n", statement)
    lesson = load_lesson(make_lesson(py=py))
    assert lesson.problems == []
    update_line = 4 + statement.count("\n")
    assert lesson.anchors == {4: "predict", update_line: "update"}
    assert lesson.step("predict").lines == [4]
    assert lesson.step("update").lines == [update_line]


def test_unknown_step_on_a_continuation_line_is_reported_at_the_comment(make_lesson):
    py = _replace(
        GOOD_PY,
        "    y_hat = w * x  # step: predict\n",
        "    y_hat = (w\n             * x)  # step: predikt\n",
    )
    lesson = load_lesson(make_lesson(py=py))
    problem = problem_at(lesson, "lesson.py", 5)
    assert problem.message == "anchor names unknown step 'predikt' (did you mean 'predict'?)"


# -- the collection -----------------------------------------------------------------------


def test_one_broken_lesson_never_prevents_the_others(make_lesson, tmp_path):
    make_lesson("lessons/01-good")
    broken = make_lesson("lessons/02-broken", py=None)
    make_lesson("lessons/.hidden")
    make_lesson("lessons/_draft")
    (tmp_path / "lessons" / "notes").mkdir()  # not a lesson: no lesson.md or lesson.py
    (tmp_path / "lessons" / "README.md").write_text("hello\n")

    lessons = load_collection(tmp_path / "lessons")
    assert [lesson.id for lesson in lessons] == ["01-good", "02-broken"]
    good, bad = lessons
    assert good.ok and good.problems == []
    assert good.title == "Doubling"
    assert not bad.ok
    assert [(p.path, p.line) for p in bad.problems] == [(broken / "lesson.py", 1)]
    assert bad.title == "Doubling"  # its lesson.md still loaded


def test_collection_is_in_lesson_order(make_lesson, tmp_path):
    make_lesson("lessons/01-b", md=_replace(GOOD_MD, "order: 1", "order: 5"))
    make_lesson("lessons/02-a", md=_replace(GOOD_MD, "order: 1", "order: 2"))
    make_lesson("lessons/03-c", md=_replace(GOOD_MD, "order: 1", "order: 2"))
    lessons = load_collection(tmp_path / "lessons")
    assert [(lesson.id, lesson.order) for lesson in lessons] == [
        ("02-a", 2),
        ("03-c", 2),
        ("01-b", 5),
    ]


def test_collection_of_a_missing_folder_is_empty(tmp_path):
    assert load_collection(tmp_path / "nope") == []


# -- resolve ------------------------------------------------------------------------------


@pytest.fixture
def root(make_lesson, tmp_path) -> Path:
    for name in ("01-alpha", "01-alpha-2", "02-beta", "10-gamma"):
        make_lesson(f"lessons/{name}")
    return tmp_path / "lessons"


def test_resolve_exact_id_wins_over_a_longer_match(root):
    assert resolve("01-alpha", root) == root / "01-alpha"
    assert resolve("01-alpha-2", root) == root / "01-alpha-2"


def test_resolve_unique_prefix(root):
    assert resolve("02", root) == root / "02-beta"
    assert resolve("1", root) == root / "10-gamma"


def test_resolve_ambiguous_prefix_names_both(root):
    with pytest.raises(LessonNotFound) as info:
        resolve("01", root)
    message = str(info.value)
    assert "'01'" in message
    assert "01-alpha" in message and "01-alpha-2" in message


def test_resolve_unknown_id(root):
    with pytest.raises(LessonNotFound, match="no lesson 'zz'") as info:
        resolve("zz", root)
    assert "02-beta" in str(info.value)  # it lists what there is


def test_resolve_a_path_to_a_lesson_folder(make_lesson, root, tmp_path):
    elsewhere = make_lesson("elsewhere/99-outside")
    assert resolve(str(elsewhere), root) == elsewhere
    assert resolve(str(root / "02-beta"), root) == root / "02-beta"


def test_resolve_a_relative_path(root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve("lessons/02-beta", root).resolve() == (root / "02-beta").resolve()
    assert resolve("./lessons/10-gamma", root).resolve() == (root / "10-gamma").resolve()


def test_resolve_a_folder_that_is_not_a_lesson(root, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(LessonNotFound, match="not a lesson folder"):
        resolve(str(tmp_path / "empty"), root)


def test_duplicate_front_matter_key_and_symbol(make_lesson):
    md = GOOD_MD.replace("order: 1\n", "order: 1\ntitle: Again\n").replace(
        "  w: w\n", "  w: w\n  w: x\n"
    )
    lesson = load_lesson(make_lesson(md=md))
    messages = {(p.line, p.message.split(" (")[0]) for p in lesson.problems}
    assert (4, "duplicate key 'title'") in messages
    assert (9, "duplicate key 'w'") in messages


def test_text_after_closing_dollars_is_reported(make_lesson):
    md = GOOD_MD.replace("$$ \\hat{y} = w x $$", "$$ \\hat{y} = w x $$ and more")
    lesson = load_lesson(make_lesson(md=md))
    [problem] = lesson.problems
    assert problem.path.name == "lesson.md" and "text after the closing '$$'" in problem.message
    assert lesson.step("predict").equations[0].latex == "\\hat{y} = w x"


def test_escaped_percent_in_justification(make_lesson):
    md = GOOD_MD.replace("% a fixed nudge", "% grows by 50\\% each time")
    lesson = load_lesson(make_lesson(md=md))
    assert lesson.ok
    assert lesson.step("update").equations[0].justification == "grows by 50% each time"
