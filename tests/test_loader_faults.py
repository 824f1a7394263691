"""Bad lesson files never crash the loader, hang it or hide the other lessons; each becomes
one problem an author understands, at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.core.equation.latex import LatexError, parse_equation
from tutor.core.lesson import load as load_module
from tutor.core.lesson.collection import load_collection, resolve
from tutor.core.lesson.load import load_lesson
from tutor.core.lesson.model import Lesson
from tutor.core.lesson.network import Network, Node, _has_cycle, read_network
from tutor.core.lesson.problems import Problem
from tutor.core.view.diagram_layout import columns

from .bad_lessons import BAD, DANGEROUS, EQUATION_LINE, collection, with_equation, write
from .conftest import GOOD_MD, GOOD_PY

SAFE = [name for name in BAD if name not in DANGEROUS]


def only_problem(lesson: Lesson) -> Problem:
    assert len(lesson.problems) == 1, [str(p) for p in lesson.problems]
    return lesson.problems[0]


@pytest.mark.parametrize("name", SAFE)
def test_a_bad_lesson_is_one_problem_and_the_good_one_beside_it_loads(tmp_path, name):
    make, file, line, message = BAD[name]
    lessons = load_collection(collection(tmp_path, [name]))
    assert [lesson.id for lesson in lessons] == ["01-good", f"02-{name}"]
    good, bad = lessons
    assert good.ok and good.title == "Doubling"
    problem = only_problem(bad)
    assert (problem.path, problem.line) == (tmp_path / f"02-{name}" / file, line)
    assert message in problem.message
    assert problem.message.isprintable()


def test_every_bad_lesson_at_once_leaves_the_good_one_whole(tmp_path):
    lessons = load_collection(collection(tmp_path, SAFE))
    assert [lesson.id for lesson in lessons][0] == "01-good"
    assert lessons[0].ok and len(lessons[0].steps) == 2
    assert [lesson.ok for lesson in lessons[1:]] == [False] * len(SAFE)


def test_a_fault_of_the_loader_itself_is_a_problem_of_that_lesson_only(tmp_path, monkeypatch):
    collection(tmp_path, [])
    write(tmp_path / "02-trips")
    real = load_module.parse_markdown

    def parse(lesson, text):
        if lesson.id == "02-trips":
            raise RecursionError("maximum recursion depth exceeded")
        return real(lesson, text)

    monkeypatch.setattr(load_module, "parse_markdown", parse)
    good, bad = load_collection(tmp_path)
    assert good.ok
    problem = only_problem(bad)
    assert problem.path == tmp_path / "02-trips" / "lesson.md"
    assert problem.message == (
        "the tutor failed while reading this lesson (RecursionError: maximum recursion depth "
        "exceeded); the other lessons are not affected"
    )


def test_a_file_just_over_the_limit_says_its_size_in_bytes(tmp_path):
    folder = write(tmp_path / "01-big", md=GOOD_MD + "\n" + "x" * (1_000_000 - len(GOOD_MD)))
    problem = only_problem(load_lesson(folder))
    assert problem.message == (
        "lesson.md is 1,000,001 bytes: the tutor reads lesson files up to 1 MB"
    )


# -- the id of a lesson opened as '.' -----------------------------------------------------


def test_a_lesson_opened_as_dot_has_its_folders_name(tmp_path, monkeypatch):
    folder = write(tmp_path / "01-good")
    monkeypatch.chdir(folder)
    assert load_lesson(Path(".")).id == "01-good"
    resolved = resolve(".", tmp_path / "elsewhere")
    assert resolved == folder.resolve() and load_lesson(resolved).id == "01-good"
    monkeypatch.chdir(folder / "..")
    assert load_lesson(Path("01-good/..") / "01-good").id == "01-good"


# -- messages an author understands -------------------------------------------------------


def test_a_double_quoted_latex_key_says_how_to_quote_it_and_its_equations_still_compile(tmp_path):
    make, *_ = BAD["eta"]
    make(tmp_path / "01-eta")
    lesson = load_lesson(tmp_path / "01-eta")
    problem = only_problem(lesson)  # no follow-on: the equations use '\eta' as the author meant
    assert str(problem).endswith(
        "lesson.md:8: \"\\eta\": \\e in double quotes is an escape; use single quotes: '\\eta'"
    )
    assert [s.latex for s in lesson.symbols if s.name == "lr"] == ["\\eta"]
    assert [c.target for c in lesson.equations["update"]] == ["w", "w"]


@pytest.mark.parametrize(
    ("key", "escape", "meant"),
    [
        ('"\\theta"', "\\t", "\\theta"),
        ('"\\nu"', "\\n", "\\nu"),
        ('"\\frac{L}{w}"', "\\f", "\\frac{L}{w}"),
        ('"\\alpha_{\\x1b}"', "\\a", "\\alpha_{\\x1b}"),
    ],
)
def test_other_escapes_in_double_quoted_keys(tmp_path, key, escape, meant):
    md = GOOD_MD.replace("  w: w\n", f"  w: w\n  {key}: lr\n")
    folder = write(tmp_path / "01-esc", md=md, py=GOOD_PY + "lr = 1\n")
    problems = load_lesson(folder).problems
    assert problems[0].line == 8
    assert problems[0].message == (
        f"\"{meant}\": {escape} in double quotes is an escape; use single quotes: '{meant}'"
    )
    assert all(p.message.isprintable() for p in problems)


def test_an_unknown_escape_says_to_use_single_quotes(tmp_path):
    md = GOOD_MD.replace("'\\hat{y}': y_hat", '"\\hat{y}": y_hat')
    problem = only_problem(load_lesson(write(tmp_path / "01-hat", md=md)))
    assert (problem.line, problem.message) == (
        6,
        "malformed front matter: found unknown escape character 'h': in double quotes a "
        "backslash starts an escape; use single quotes for LaTeX",
    )
    # (a line break in double quotes outside the symbol table is no mistake)
    md = GOOD_MD.replace("order: 1\n", 'order: 1\nsummary: "One line.\\nAnother."\n')
    assert load_lesson(write(tmp_path / "01-ok", md=md)).ok


def test_no_control_character_reaches_a_message_or_a_title(tmp_path):
    md = GOOD_MD.replace("title: Doubling", 'title: "Dou\\e[2Jbling"').replace(
        "  w: w\n", '  w: w\n  "\\x07": ring\n'
    )
    lesson = load_lesson(write(tmp_path / "01-ctl", md=md, py=GOOD_PY + "ring = 1\n"))
    assert lesson.title == "Dou\\x1b[2Jbling"
    assert lesson.problems and all(str(p).isprintable() for p in lesson.problems)
    assert Problem(Path("a\tb"), 1, "bell \x07 \u202e").__str__() == "a\\tb:1: bell \\x07 \\u202e"


def test_an_unclosed_brace_points_at_the_brace(tmp_path):
    folder = write(tmp_path / "01-brace", md=with_equation("\\frac{w x}{1"))
    problem = only_problem(load_lesson(folder))
    column = GOOD_MD.split("\n")[EQUATION_LINE - 1].index("w x") + 1 + len("\\frac{w x}")
    assert (problem.line, problem.column) == (EQUATION_LINE, column)
    assert problem.message == "'{' is never closed: add '}'"


def test_an_unknown_subscripted_symbol_is_written_as_the_author_wrote_it_with_a_suggestion(
    tmp_path,
):
    md = GOOD_MD.replace("  w: w\n", "  w: w\n  '\\delta_{h1}': d1\n").replace(
        "w x $$", "w x \\delta_{h3} $$"
    )
    folder = write(tmp_path / "01-delta", md=md, py="d1 = 1.0\n" + GOOD_PY)
    problem = only_problem(load_lesson(folder))
    assert problem.message == (
        "'\\delta_{h3}' is not in the symbol table (did you mean '\\delta_{h1}'?): add it to "
        "'symbols' with the Python name that holds its value"
    )


def test_a_wrong_derivation_line_is_reported_once(tmp_path):
    md = GOOD_MD.replace(
        "$$ w \\leftarrow w + 0.5 % a fixed nudge $$",
        "$$ w \\leftarrow w + 0.5 q $$\n\n$$ = w + 0.5 $$\n\n$$ = 0.5 + w $$",
    )
    problem = only_problem(load_lesson(write(tmp_path / "01-deriv", md=md)))
    assert problem.line == 21 and "'q' is not in the symbol table" in problem.message


def test_a_derivation_whose_first_line_does_not_parse_is_reported_once(tmp_path):
    md = GOOD_MD.replace(
        "$$ w \\leftarrow w + 0.5 % a fixed nudge $$",
        "$$ w \\leftarrow (w + 0.5 $$\n\n$$ = w + 0.5 $$\n\n$$ = 0.5 + w $$",
    )
    problem = only_problem(load_lesson(write(tmp_path / "01-deriv", md=md)))
    assert problem.line == 21 and problem.message == "'(' is never closed: add ')'"


def test_one_missing_symbol_used_by_many_equations_is_one_problem(tmp_path):
    md = GOOD_MD.replace("$$ \\hat{y} = w x $$", "$$ \\hat{y} = w x q $$").replace(
        "$$ w \\leftarrow w + 0.5 % a fixed nudge $$",
        "$$ w \\leftarrow w + 0.5 q $$\n\n$$ = w + q 0.5 $$",
    )
    problem = only_problem(load_lesson(write(tmp_path / "01-q", md=md)))
    assert problem.line == EQUATION_LINE
    assert problem.message.endswith("holds its value (also on lines 21, 23)")


# -- limits that keep the loader, the layout and the check bounded ------------------------


def test_long_chains_without_recursion():
    """The graph code is iterative: what the 100-node cap keeps out would still work."""
    chain = Network(
        [Node(f"n{i}") for i in range(5000)],
        [read_network({"nodes": ["a", "b"], "edges": [["a", "b"]]})[0].edges[0]],
    )
    from tutor.core.lesson.network import Edge

    chain.edges = [Edge(f"n{i}", f"n{i + 1}") for i in range(4999)]
    assert columns(chain)["n4999"] == 4999
    assert not _has_cycle(chain)
    chain.edges.append(Edge("n4999", "n0"))
    assert _has_cycle(chain)


def test_networks_beyond_the_caps_are_a_problem_not_a_drawing():
    network, problems = read_network({"nodes": ["a", "b"], "edges": [["a", "b"]] * 201})
    assert network is None
    assert problems == [
        (
            ("network", "edges"),
            "the network has 201 edges: the tutor draws networks of up to 200 edges",
        )
    ]


def test_a_huge_alias_expansion_in_yaml_is_shown_short(tmp_path):
    laughs = "".join(f"  l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]\n" for k in range(1, 7))
    md = GOOD_MD.replace("symbols:\n", f"tolerance:\n  l0: &l0 [x]\n{laughs}symbols:\n  v: *l6\n")
    lesson = load_lesson(write(tmp_path / "01-laughs", md=md))
    messages = [p.message for p in lesson.problems]
    assert all(len(m) < 300 for m in messages), messages
    assert any(m.startswith("symbol 'v' must map to a Python name (got [[[") for m in messages)


def test_latex_errors_are_latex_errors_not_recursion():
    with pytest.raises(LatexError, match="nests 200 deep"):
        parse_equation("y = " + "(" * 200 + "x" + ")" * 200)
