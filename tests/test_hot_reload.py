"""Hot reload for authors: lesson files changed on disk reload in the open lesson screen."""

from __future__ import annotations

import shutil

import pytest

from tutor.app import make_app
from tutor.app.screens import reload
from tutor.app.widgets.lesson_text import LessonView

from .conftest import LESSON_01, wait_for_lesson

SIZE = (120, 36)
OLD = "## The gradient, by the chain rule {#gradient}"
NEW = "## The gradient, reloaded {#gradient}"


@pytest.fixture
def copy_01(tmp_path, monkeypatch):
    monkeypatch.setattr(reload, "EVERY", 0.05)  # (the test waits less; the rule is the same)
    root = tmp_path / "lessons"
    shutil.copytree(LESSON_01, root / LESSON_01.name)
    return root / LESSON_01.name


async def _until(pilot, done, rounds: int = 400) -> bool:
    for _ in range(rounds):
        if done():
            return True
        await pilot.pause(0.02)
    return done()


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


async def test_a_changed_step_title_reloads_and_the_place_is_kept(copy_01, tutor_home):
    app = make_app(LESSON_01.name, lessons_dir=copy_01.parent, predict=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_lesson(pilot)
        nav = screen.navigator
        nav.goto_iteration(3)
        t = nav.timeline
        event = next(i for i in t.iteration_span(3) if t.step(i) == "gradient")
        nav.goto_event(event)
        screen.redraw()
        before = nav.place()
        first_run = screen.run
        _edit(copy_01 / "lesson.md", OLD, NEW)

        def reloaded() -> bool:
            run = screen.run
            return run is not first_run and run is not None and run.finished

        assert await _until(pilot, reloaded)
        await pilot.pause()
        assert screen.lesson.step("gradient").title == "The gradient, reloaded"
        place = screen.navigator.place()
        assert (place.step, place.iteration) == (before.step, before.iteration) == ("gradient", 3)
        section = screen.query_one(LessonView).sections["gradient"]
        assert section.source.startswith("## The gradient, reloaded")
        assert screen.runs.note == "lesson reloaded"


async def test_a_broken_lesson_says_its_problems_and_keeps_the_last_one(copy_01, tutor_home):
    app = make_app(LESSON_01.name, lessons_dir=copy_01.parent, predict=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_lesson(pilot)
        shown = screen.lesson
        _edit(copy_01 / "lesson.md", "{#gradient}", "{#gradiant}")
        assert await _until(pilot, lambda: "reload:" in screen.runs.note)
        note = screen.runs.note
        assert "problem" in note and "lesson.md:" in note
        assert screen.lesson is shown and screen.navigator is not None
        # Fixed again: it reloads.
        _edit(copy_01 / "lesson.md", "{#gradiant}", "{#gradient}")
        assert await _until(
            pilot, lambda: screen.lesson is not shown and screen.runs.note == "lesson reloaded"
        )
        assert screen.lesson.ok


async def test_the_learners_saved_code_is_kept_and_only_the_text_reloads(copy_01, tutor_home):
    from tutor.core.workspace import Workspace

    shipped = (copy_01 / "lesson.py").read_text(encoding="utf-8")
    mine = shipped.replace("w = 0.5", "w = 0.25", 1)
    assert mine != shipped
    Workspace().save(LESSON_01.name, mine, shipped)
    app = make_app(LESSON_01.name, lessons_dir=copy_01.parent, predict=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_lesson(pilot)
        assert screen.editor.text == mine
        first_run = screen.run
        _edit(copy_01 / "lesson.md", OLD, NEW)
        _edit(copy_01 / "lesson.py", "# ", "#  ")  # the author changes lesson.py too

        def reloaded() -> bool:
            run = screen.run
            title = screen.lesson.step("gradient").title
            return title.endswith("reloaded") and run is not first_run and run.finished

        assert await _until(pilot, reloaded)
        assert screen.editor.text == mine  # their code, not the new lesson.py
        assert screen.run.source == mine
        assert screen.lesson.step("gradient").title == "The gradient, reloaded"
        assert "the code is yours" in screen.runs.note
