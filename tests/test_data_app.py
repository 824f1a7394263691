"""Whatever the data folder holds, the tutor starts and works, and no edit is lost (Pilot).

Bad content of every kind, another nn-tutor saving the same lesson, a data folder that
cannot be written (said once, kept in the status line, the code offered a place at quit),
and a saved edit too big to open.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tutor.app import make_app
from tutor.app.screens.confirm import ConfirmScreen
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.picker import PickerScreen
from tutor.app.widgets.status import StatusLine
from tutor.core import progress as progress_module
from tutor.core import workspace as workspace_module
from tutor.core.lesson.load import load_lesson
from tutor.core.workspace import Workspace

from .conftest import LESSON_01, LESSONS
from .conftest import wait_for_lesson as ready

WIDE = (120, 36)
LESSON_ID = "01-one-neuron"
SOURCE = load_lesson(LESSON_01).source
DEEP = "[" * 100_000 + "]" * 100_000
BIG = b"w = 0.5  # a long line of the learner's\n" * 600_000  # 24 MB


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_lesson_01_and_step(pilot) -> LessonScreen:
    """From wherever the tutor starts (the picker, or the lesson resumed), lesson 01 open
    and stepped once."""
    await pilot.pause()
    if isinstance(pilot.app.screen, PickerScreen):
        await pilot.press("enter")  # the first lesson: 01
    screen = await ready(pilot)
    assert screen.lesson.id == LESSON_ID
    before = screen.navigator.event
    await pilot.press("right")
    assert screen.navigator.event == before + 1
    return screen


def _progress(home: Path, kind: str) -> None:
    path = home / "progress.json"
    if kind == "wrong types":
        path.write_text(
            '{"last": "01-one-neuron", "lessons": {"01-one-neuron": '
            '{"steps_seen": 5, "event": "x"}}}'
        )
    elif kind == "deep":
        path.write_text(DEEP)
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("progress.json")  # a loop


def _edit(home: Path, kind: str) -> None:
    (home / "edits").mkdir()
    path = home / "edits" / f"{LESSON_ID}.py"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(path.name)  # a loop


CASES = {  # what the data folder holds -> (how to make it, what the one-line toast says)
    **{
        f"progress {kind}": (lambda h, k=kind: _progress(h, k), said)
        for kind, said in [
            ("wrong types", "'steps_seen' is 5, not a list of step ids"),
            ("deep", "was damaged; it was moved to progress.json.corrupt-"),
            ("folder", "is a folder, not a file: it was moved to progress.json.not-a-file-"),
            ("fifo", "is a FIFO (named pipe), not a file: it was moved to"),
            (
                "loop",
                "Too many levels of symbolic links: it was moved to progress.json.unreadable-",
            ),
        ]
    },
    **{
        f"edit {kind}": (lambda h, k=kind: _edit(h, k), said)
        for kind, said in [
            ("folder", "is a folder, not a file: it is kept, untouched, as"),
            ("fifo", "is a FIFO (named pipe), not a file: it is kept, untouched, as"),
            ("loop", "could not be read (Too many levels of symbolic links)"),
        ]
    },
    "edits is a file": (lambda h: (h / "edits").write_text("x"), ""),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_the_tutor_starts_and_works_whatever_the_data_folder_holds(tutor_home, case):
    tutor_home.mkdir()
    make, said = CASES[case]
    make(tutor_home)
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_lesson_01_and_step(pilot)
        await pilot.press("e", "x", "escape")  # an edit, saved
        await pilot.pause()
        typed = screen.editor.text
        assert typed != SOURCE
        said_now = toasts(app)
        assert all("\n" not in message for message in said_now)
        if said:
            assert any(said in message for message in said_now), said_now
        assert screen.query_one(StatusLine).alert == ""  # saving works again
    assert Workspace(tutor_home).load(LESSON_ID)[0] == typed


async def test_a_data_folder_that_is_a_file_starts_and_says_saving_fails_once(
    tmp_path, monkeypatch
):
    home = tmp_path / "home"
    home.write_text("a file, not a folder")
    monkeypatch.setenv("NN_TUTOR_HOME", str(home))
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_lesson_01_and_step(pilot)
        for _ in range(3):
            await pilot.press("right", "right", "right")
            app.save_progress(wait=True)
        said = toasts(app)
        assert len([m for m in said if m.startswith("Could not save")]) == 1
        assert any(m.startswith(f"could not read {home}/progress.json") for m in said)
        assert screen.query_one(StatusLine).alert == "⚠ progress not saved: not a directory"
    assert home.read_text() == "a file, not a folder"


@pytest.fixture
def refused(monkeypatch):
    """Every write to the data folder fails: a read-only (or a full) file system."""
    failure = {"errno": errno.EROFS}

    def refuse(path, text):
        raise OSError(failure["errno"], os.strerror(failure["errno"]), str(path))

    monkeypatch.setattr(workspace_module, "atomic_write_text", refuse)
    monkeypatch.setattr(progress_module, "atomic_write_text", refuse)
    return failure


async def type_edits(pilot, screen: LessonScreen, times: int) -> None:
    for k in range(times):
        await pilot.press("e", "x", *str(k), "escape")  # saved on escape
        await pilot.press("right", "right")
        pilot.app.save_progress(wait=True)
        await pilot.pause()


@pytest.mark.parametrize("error", [errno.EROFS, errno.ENOSPC])
async def test_saving_that_fails_is_said_once_kept_in_the_status_line_and_rescued_at_quit(
    tutor_home, tmp_path, monkeypatch, refused, error
):
    refused["errno"] = error
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await type_edits(pilot, screen, 3)
        reason = os.strerror(error)
        failures = [m for m in toasts(app) if m.startswith("Could not save")]
        assert sorted(failures) == [  # each said once
            f"Could not save your code in {tutor_home / 'edits'}: {reason}. "
            "It stays in the editor; q offers to write it elsewhere.",
            f"Could not save your progress in {tutor_home}: {reason}. "
            "The status line says so until saving works again.",
        ]
        status = screen.query_one(StatusLine)
        assert status.alert == f"⚠ code not saved: {reason.lower()}"
        await pilot.press("right")
        await pilot.pause()
        assert f"⚠ code not saved: {reason.lower()}" in str(status.render())
        text = screen.editor.text
        assert text != SOURCE
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        target = here / f"nn-tutor-{LESSON_ID}.py"
        assert f"Write it to {target} and quit?" in app.screen.question
        assert f"could not be saved ({reason})" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert app._exit
        (message,) = app._exit_renderables  # printed in the terminal once the tutor is gone
        assert str(message) == f"nn-tutor: your code for {LESSON_ID} is in {target} (not saved)"
    assert target.read_text() == text


async def test_no_at_quit_goes_back_to_the_tutor_and_q_again_quits_without_the_code(
    tutor_home, tmp_path, monkeypatch, refused
):
    monkeypatch.chdir(tmp_path)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await type_edits(pilot, screen, 1)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and not app._exit
        assert "q again quits without it" in toasts(app)[-1]
        await pilot.press("right")
        await pilot.press("q")
        await pilot.pause()
        assert app._exit
        (message,) = app._exit_renderables
        assert str(message) == f"nn-tutor: your last code for {LESSON_ID} was not saved"
    assert not list(tmp_path.glob("nn-tutor-*"))


async def test_saving_that_works_again_clears_the_status_line(tutor_home, refused, monkeypatch):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        await type_edits(pilot, screen, 1)
        assert screen.query_one(StatusLine).alert.startswith("⚠ code not saved")
        monkeypatch.undo()  # the folder can be written again
        await type_edits(pilot, screen, 1)
        assert screen.query_one(StatusLine).alert == ""
        typed = screen.editor.text
        await pilot.press("q")
        await pilot.pause()
        assert app._exit  # nothing unsaved: no question
    assert Workspace(tutor_home).load(LESSON_ID)[0] == typed


async def test_another_tutor_saving_the_same_lesson_is_said_and_both_texts_kept(tutor_home):
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        other = Workspace(tutor_home)  # the other nn-tutor, open on the same lesson
        other.load(LESSON_ID)
        other.save(LESSON_ID, SOURCE + "\n# the other tutor's\n", SOURCE)
        await pilot.press("e", "x", "escape")
        await pilot.pause()
        typed = screen.editor.text
        (copy,) = (tutor_home / "edits").glob(f"{LESSON_ID}.other-*.py")
        assert copy.read_text() == SOURCE + "\n# the other tutor's\n"
        (said,) = [m for m in toasts(app) if "changed outside this tutor" in m]
        assert str(copy) in said and "\n" not in said
        assert typed != SOURCE
    assert Workspace(tutor_home).load(LESSON_ID)[0] == typed


async def test_a_24_mb_edit_opens_the_lesson_with_its_code_and_stays_untouched(tutor_home):
    (tutor_home / "edits").mkdir(parents=True)
    (tutor_home / "edits" / f"{LESSON_ID}.py").write_bytes(BIG)
    app = make_app("01")
    async with app.run_test(size=WIDE) as pilot:
        screen = await ready(pilot)
        (moved,) = (tutor_home / "edits").glob(f"{LESSON_ID}.py.too-big-*.py")
        (said,) = [m for m in toasts(app) if "more than the 1 MB" in m]
        assert (
            f"is 24 MB, more than the 1 MB the tutor opens: it is kept, untouched, as {moved}"
            in said
        )
        await pilot.press("e")
        await pilot.pause()
        assert screen.editor.editing
        assert screen.query_one("#editor", TextArea).text == SOURCE
        await pilot.press("x", "escape")
        await pilot.pause()
        typed = screen.editor.text
        await pilot.press("right")
        assert screen.navigator.event == 1
    assert moved.read_bytes() == BIG
    assert Workspace(tutor_home).load(LESSON_ID)[0] == typed
