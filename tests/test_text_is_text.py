"""Text from a lesson or from the learner's code is shown literally, never as markup (Pilot).

A lesson whose title, summary, step title, narrative, hint, solution, printed output, values,
exception and data folder path hold ``[/]``, ``[b]``, ``data[i]`` and ``[red]x[/red]``: each
appears on screen as written, and the tutor keeps working.
"""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from tutor.app import make_app
from tutor.app.screens.confirm import ConfirmScreen
from tutor.app.screens.inspector import InspectorScreen
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.picker import PickerScreen
from tutor.app.screens.text import TextScreen
from tutor.app.widgets.equation import EquationView
from tutor.app.widgets.output import OutputView
from tutor.app.widgets.status import StatusLine

from .conftest import LESSONS
from .conftest import wait_for_lesson as ready

WIDE = (200, 60)
MARKUP = "data[i] [/] [b]b[/b] [red]x[/red]"
TOKENS = ("data[i]", "[/]", "[b]b[/b]", "[red]x[/red]")

MD = f"""\
---
title: "Title {MARKUP}"
order: 1
summary: "Summary {MARKUP}"
iteration: iteration
symbols:
  '\\hat{{y}}': y_hat
  w: w
  x: x
exercises:
  predict:
    hints:
      - "Hint {MARKUP}"
---

# Intro

Narrative {MARKUP} and [@click=app.quit]q[/].

## Predict {MARKUP} {{#predict}}

Step {MARKUP}.

$$ \\hat{{y}} = w x $$

## Update {{#update}}

$$ w \\leftarrow w + 0.5 % a fixed nudge $$
"""

PY = f"""\
x = 1.0
w = 0.5
s = "value {MARKUP}"
for iteration in range(1, 4):
    y_hat = w * x  # sol {MARKUP}  # step: predict
    w = w + 0.5  # step: update
    print("out {MARKUP}")
raise ValueError("bad {MARKUP}")
"""


def screen_text(app) -> str:
    """Every row of the screen as drawn (toasts included)."""
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in strip) for strip in update.strips)


def shows_literally(text: str, where: str) -> None:
    for token in TOKENS:
        assert token in text, f"{token!r} is not shown literally in {where}:\n{text}"


@pytest.fixture
def lesson(make_lesson):
    return make_lesson("01-markup", md=MD, py=PY)


async def test_lesson_text_and_the_codes_output_and_errors_show_literally(
    lesson, tutor_home, tmp_path
):
    app = make_app(lessons_dir=lesson.parent)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        shows_literally(screen_text(app), "the picker")  # title and summary
        await pilot.press("enter")
        screen = await ready(pilot)
        await pilot.pause(0.3)  # (the lesson pane follows the step a moment later)
        status = screen.query_one(StatusLine)
        assert status.title_text == f"01-markup · Title {MARKUP}"
        assert "raised ValueError" in status.note  # the run ended: not "running…" forever
        assert f"ValueError: bad {MARKUP}" in str(screen.query_one("#error").render())
        text = screen_text(app)
        assert f"Narrative {MARKUP} and [@click=app.quit]q[/]." in text
        assert "Intro" in text
        await pilot.press("end")
        await pilot.pause(0.3)
        assert screen.query_one(OutputView).text.endswith(f"out {MARKUP}")
        text = screen_text(app)
        assert f"out {MARKUP}" in text and f"Predict {MARKUP}" in text
        assert f"Step {MARKUP}." in text

        # The hint, in the equation pane, once t has blanked the line (h goes to its step).
        before = screen.run
        await pilot.press("t")
        for _ in range(500):
            if screen.run is not before and not screen.runs.queue.busy:
                break
            await pilot.pause(0.02)
        await pilot.press("end", "h")
        await pilot.pause()
        rows = [row.text for row in screen.query_one(EquationView).rows]
        assert any(f"Hint {MARKUP}" in row for row in rows), rows
        assert f"Hint {MARKUP}" in screen_text(app)

        # The solution, whose page title is the step's title.
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        page = screen_text(app)
        assert f"Solution · Predict {MARKUP} (lesson.py line 5)" in page
        assert f"# sol {MARKUP}" in page
        await pilot.press("escape")
        await pilot.pause()

        # A string value, whole, in the inspector.
        screen.navigator.goto_event(3)
        screen.redraw()
        await pilot.pause()
        assert f"value {MARKUP}" in screen_text(app)
        values = screen.query_one("#values")
        values.focus()
        values.cursor = "s"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InspectorScreen)
        assert f"value {MARKUP}" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()

        # And the tutor keeps working.
        assert app.screen is screen
        await pilot.press("home", "right")
        assert screen.navigator.event == 1


async def test_a_data_folder_path_with_markup_is_said_literally(tmp_path, monkeypatch):
    home = tmp_path / "home [b]x [red]y"  # (a file name cannot hold "/")
    home.mkdir()
    (home / "progress.json").write_text("{ not json")
    monkeypatch.setenv("NN_TUTOR_HOME", str(home))
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        (toast,) = [n.message for n in app._notifications]
        assert toast.startswith(f"{home}/progress.json was damaged")
        await pilot.pause()
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any("home [b]x [red]y/progress.json was" in text.replace("\n", "") for text in shown)
        await pilot.press("enter")
        screen = await ready(pilot)
        assert isinstance(screen, LessonScreen)
        await pilot.press("right")
        assert screen.navigator.event == 1
