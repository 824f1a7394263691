"""A ``.together`` step: independent equations (starting values), shown at once, no reveal stops."""

from __future__ import annotations

import pytest

from tutor.core.lesson.load import load_lesson
from tutor.core.navigator import Navigator, Position
from tutor.core.run.runner import Runner

MD = """\
---
title: Starting values
iteration: iteration
symbols:
  w_1: w1
  w_2: w2
  w_3: w3
  b: b
  '\\hat{y}': y_hat
---

# Intro

Three weights and a bias.

## Starting values {#setup%s}

$$ w_1 = 0.15 $$

$$ w_2 = 0.2 $$

$$ w_3 = 0.25 $$

## Both at once {#pair%s}

$$ b = 0.35 $$

$$ \\hat{y} = w_1 + w_2 $$

## Predict {#predict}

$$ \\hat{y} = w_1 + w_2 + w_3 + b $$
"""

PY = """\
w1 = 0.15  # step: setup
w2 = 0.2  # step: setup
w3 = 0.25  # step: setup
b, y_hat = 0.35, 0.35  # step: pair
for iteration in range(1, 3):
    y_hat = w1 + w2 + w3 + b  # step: predict
"""


def _run(lesson):
    with Runner() as runner:
        result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    assert result.ok, result.error
    return result.timeline


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    folder = tmp_path_factory.mktemp("together") / "01-together"
    folder.mkdir()
    (folder / "lesson.md").write_text(MD % (" .together", " .together"), encoding="utf-8")
    (folder / "lesson.py").write_text(PY, encoding="utf-8")
    lesson = load_lesson(folder)
    assert lesson.ok, lesson.problems
    return lesson, _run(lesson)


def test_the_marker_is_read_and_the_step_is_no_derivation(together):
    lesson, _ = together
    setup, pair, predict = lesson.steps
    assert (setup.id, setup.title, setup.together) == ("setup", "Starting values", True)
    assert pair.together and not predict.together
    assert not setup.is_derivation and not pair.is_derivation
    assert len(setup.equations) == 3


def test_every_event_of_the_step_shows_all_its_equations_and_no_reveal_stops(together):
    lesson, timeline = together
    nav = Navigator(lesson, timeline)
    assert nav.reveal_at == {}
    events = [i for i in range(len(timeline)) if timeline.step(i) in ("setup", "pair")]
    assert len(events) == 4
    seen = [nav.position]
    while nav.next():
        seen.append(nav.position)
    assert len(seen) == len(timeline)  # one stop per event: no line-by-line reveal
    for i in events:
        assert seen[i] == Position(i, len(lesson.step(timeline.step(i)).equations))


def test_the_equation_pane_shows_them_all_with_the_computed_one_checked(together):
    from tutor.core.run.result import RunResult
    from tutor.core.view.moment import moment, prepare

    lesson, timeline = together
    run = prepare(lesson, lesson.source, RunResult(timeline))
    nav = Navigator(lesson, timeline)
    m = moment(run, nav.position)  # the first event: w1 = 0.15
    text = "\n".join(r.shown() for r in m.equations)
    assert "w₁ = 0.15" in text and "w₂ = 0.2" in text and "w₃ = 0.25" in text
    assert "more line" not in text
    assert sum(r.verdict is True for r in m.equations) == 1  # this line's own equation
    assert not m.equations_at_end


def test_without_the_marker_the_same_step_is_a_derivation(tmp_path):
    folder = tmp_path / "01-plain"
    folder.mkdir()
    (folder / "lesson.md").write_text(MD % ("", ""), encoding="utf-8")
    (folder / "lesson.py").write_text(PY, encoding="utf-8")
    lesson = load_lesson(folder)
    assert lesson.ok, lesson.problems
    assert lesson.step("setup").is_derivation
    nav = Navigator(lesson, _run(lesson))
    assert nav.position == Position(0, 1)  # the first line's equation only
    assert nav.reveal_at  # the pair's one line reveals its two equations one per →


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (" .togther", "unknown step attribute '.togther'"),
        (" .together .loud", "unknown step attribute '.loud'"),
    ],
)
def test_an_unknown_attribute_is_a_problem(tmp_path, setup, expected):
    folder = tmp_path / "01-bad"
    folder.mkdir()
    (folder / "lesson.md").write_text(MD % (setup, ""), encoding="utf-8")
    (folder / "lesson.py").write_text(PY, encoding="utf-8")
    lesson = load_lesson(folder)
    assert [p.line for p in lesson.problems if expected in p.message] == [16]
    assert lesson.step("setup") is not None  # the step is still read


def test_one_equation_or_a_continued_line_in_a_together_step_is_a_problem(tmp_path):
    folder = tmp_path / "01-bad"
    folder.mkdir()
    md = (MD % ("", "")).replace("{#predict}", "{#predict .together}")
    md = md.replace("$$ w_3 = 0.25 $$", "$$ = 0.25 $$").replace("{#setup}", "{#setup .together}")
    (folder / "lesson.md").write_text(md, encoding="utf-8")
    (folder / "lesson.py").write_text(PY, encoding="utf-8")
    lesson = load_lesson(folder)
    messages = [(p.line, p.message) for p in lesson.problems]
    assert any(
        line == 22 and "continues a derivation" in m and "'setup'" in m for line, m in messages
    ), messages
    assert any("'predict' is marked '.together' but has one equation" in m for _, m in messages)
