"""Whatever is in the data folder, the learner starts and loses nothing (the core's part).

progress.json of the wrong types, nested 100,000 deep, a folder, a FIFO, a symbolic link
loop; saved code that is too big, not a file, changed by another nn-tutor; saving that
fails, and the unsaved code written elsewhere at quit.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.core import progress_file
from tutor.core.datafiles import NotAFile, TooBig, read_capped
from tutor.core.progress import Progress
from tutor.core.saving import CODE, PROGRESS, SaveTrouble, rescue, rescue_target
from tutor.core.workspace import MAX_CODE_BYTES, Workspace

from .conftest import REPO

LESSON_ID = "01-one-neuron"
DEEP = "[" * 100_000 + "]" * 100_000

ROOT = os.geteuid() == 0  # (chmod 000 does not stop root from reading)


def kinds_of_bad_file(folder: Path, name: str) -> dict[str, Path]:
    """One path per kind of thing that is not a readable file, made under ``folder``."""
    made = {}
    for kind in ("folder", "fifo", "loop"):
        place = folder / kind
        place.mkdir(parents=True)
        path = place / name
        if kind == "folder":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to(path.name)  # a link to itself
        made[kind] = place
    return made


# -- reading ------------------------------------------------------------------------------


def test_read_capped_never_blocks_on_a_fifo_nor_reads_past_its_cap(tmp_path):
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would block until a writer came
    with pytest.raises(NotAFile, match="FIFO"):
        read_capped(tmp_path / "fifo", 100)
    (tmp_path / "dir").mkdir()
    with pytest.raises(NotAFile, match="folder"):
        read_capped(tmp_path / "dir", 100)
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(TooBig):
        read_capped(tmp_path / "big", 100)
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(OSError):
        read_capped(tmp_path / "loop", 100)
    assert read_capped(tmp_path / "big", 101) == b"x" * 101


# -- progress.json ------------------------------------------------------------------------


def test_progress_of_the_wrong_types_is_repaired_not_a_type_error(tmp_path):
    (tmp_path / "progress.json").write_text(
        '{"last": "01-one-neuron", "lessons": {"01-one-neuron": {"steps_seen": 5, "event": "x"},'
        ' "02-many-examples": {"event": 3, "solved": ["cost"], "completed": false}}}'
    )
    progress = Progress(tmp_path)
    assert progress.summary(LESSON_ID) == {
        "event": None,
        "steps_seen": [],
        "solved": [],
        "completed": False,
    }
    assert progress.summary("02-many-examples")["solved"] == ["cost"]  # the rest is kept
    assert progress.last_lesson == LESSON_ID
    (warning,) = progress.warnings
    assert "'01-one-neuron': 'steps_seen' is 5, not a list of step ids" in warning
    assert "progress.json.invalid-" in warning and "\n" not in warning
    assert len(list(tmp_path.glob("progress.json.invalid-*"))) == 1


@pytest.mark.parametrize(
    "content, said",
    [
        ({"lessons": {"a": {"solved": ["x", 3]}}}, "'solved' holds 3, not a step id"),
        ({"lessons": {"a": {"event": True}}}, "'event' is true"),
        ({"lessons": {"a": {"completed": "yes"}}}, "'completed' is \"yes\", not true/false"),
        ({"lessons": {"a": {"colour": 1}}}, "unknown key 'colour'"),
        ({"lessons": {}, "extra": [[[[1]]]]}, "unknown key 'extra'"),
        ({"last": ["x"] * 1000, "lessons": {}}, "'last' is a list of 1000"),
    ],
)
def test_every_field_of_progress_is_checked(tmp_path, content, said):
    (tmp_path / "progress.json").write_text(json.dumps(content))
    progress = Progress(tmp_path)
    (warning,) = progress.warnings
    assert said in warning
    progress.save()  # what is left saves, and reads back clean
    assert Progress(tmp_path).warnings == []


def test_progress_nested_100000_deep_starts_fresh_without_recursion_error(tmp_path):
    (tmp_path / "progress.json").write_text(DEEP)
    progress = Progress(tmp_path)
    assert progress.data == {"last": None, "lessons": {}}
    (warning,) = progress.warnings
    assert "was damaged" in warning
    (moved,) = tmp_path.glob("progress.json.corrupt-*")
    assert moved.read_text() == DEEP


def test_progress_too_big_is_moved_aside_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_file, "MAX_BYTES", 1000)
    big = json.dumps({"last": None, "lessons": {f"l{i}": {} for i in range(200)}})
    (tmp_path / "progress.json").write_text(big)
    progress = Progress(tmp_path)
    (warning,) = progress.warnings
    assert "more than" in warning and "progress.json.too-big-" in warning
    assert next(tmp_path.glob("progress.json.too-big-*")).read_text() == big


@pytest.mark.parametrize("kind", ["folder", "fifo", "loop"])
def test_progress_that_is_no_readable_file_is_moved_aside_and_saving_works(tmp_path, kind):
    folder = kinds_of_bad_file(tmp_path, "progress.json")[kind]
    progress = Progress(folder)
    assert progress.data == {"last": None, "lessons": {}}
    (warning,) = progress.warnings
    assert "starts fresh" in warning and "moved to progress.json." in warning
    assert not os.path.lexists(folder / "progress.json")
    progress.set_position(LESSON_ID, 5)
    progress.save()
    assert Progress(folder).position(LESSON_ID) == 5


@pytest.mark.skipif(ROOT, reason="root reads a file of mode 000")
def test_progress_without_read_permission_is_moved_aside(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"lessons": {}}')
    path.chmod(0)
    progress = Progress(tmp_path)
    (warning,) = progress.warnings
    assert "could not read" in warning and "Permission denied" in warning


def test_progress_in_a_data_folder_that_is_a_file_warns_and_starts(tmp_path):
    (tmp_path / "home").write_text("not a folder")
    progress = Progress(tmp_path / "home")
    assert progress.data == {"last": None, "lessons": {}}
    (warning,) = progress.warnings
    assert "could not read" in warning and "starts fresh" in warning
    with pytest.raises(OSError):
        progress.save()  # (the app says so once: see test_data_app)


def _list(home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NN_TUTOR_LESSONS"}
    env["NN_TUTOR_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "tutor", "list"], cwd=REPO, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "content", ['{"lessons": {"01-one-neuron": {"steps_seen": 5, "event": "x"}}}', DEEP]
)
def test_nn_tutor_list_with_a_bad_progress_file_lists_with_one_line_of_warning(tmp_path, content):
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_text(content)
    done = _list(home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("01-one-neuron")
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"nn-tutor: {home / 'progress.json'}")


# -- saved code ---------------------------------------------------------------------------


def test_a_22_mb_edit_is_not_opened_and_is_kept_untouched(tmp_path):
    edits = tmp_path / "edits"
    edits.mkdir()
    big = b"x = 1  # a long comment\n" * 1_000_000  # 24 MB
    (edits / f"{LESSON_ID}.py").write_bytes(big)
    workspace = Workspace(tmp_path)
    assert workspace.load(LESSON_ID) is None  # the lesson opens with its own code
    (warning,) = workspace.warnings
    (moved,) = edits.glob(f"{LESSON_ID}.py.too-big-*.py")
    assert f"is 24 MB, more than the 1 MB the tutor opens: it is kept, untouched, as {moved}" in (
        warning
    )
    workspace.save(LESSON_ID, "w = 2\n", "w = 1\n")  # saving afterwards never touches it
    assert moved.read_bytes() == big
    assert workspace.load(LESSON_ID) == ("w = 2\n", "w = 1\n")


def test_an_edit_just_under_the_cap_still_opens(tmp_path):
    workspace = Workspace(tmp_path)
    code = "#" * (MAX_CODE_BYTES - 1) + "\n"
    workspace.save(LESSON_ID, code, "")
    assert Workspace(tmp_path).load(LESSON_ID) == (code, "")


@pytest.mark.parametrize("kind", ["folder", "fifo", "loop"])
def test_saved_code_that_is_no_readable_file_is_moved_aside_and_saving_works(tmp_path, kind):
    folder = kinds_of_bad_file(tmp_path, f"{LESSON_ID}.py")[kind]
    (folder / "edits").mkdir()
    os.replace(folder / f"{LESSON_ID}.py", folder / "edits" / f"{LESSON_ID}.py")
    workspace = Workspace(folder)
    assert workspace.load(LESSON_ID) is None
    (warning,) = workspace.warnings
    assert f"your saved code for {LESSON_ID}" in warning and "it is kept, untouched, as" in warning
    workspace.save(LESSON_ID, "w = 2\n", "w = 1\n")
    assert Workspace(folder).load(LESSON_ID) == ("w = 2\n", "w = 1\n")


def test_an_edits_path_that_is_a_file_is_moved_aside_when_saving(tmp_path):
    (tmp_path / "edits").write_text("my notes")
    workspace = Workspace(tmp_path)
    assert workspace.load(LESSON_ID) is None and workspace.warnings == []
    workspace.save(LESSON_ID, "w = 2\n", "w = 1\n")
    (warning,) = workspace.warnings
    (moved,) = tmp_path.glob("edits.not-a-folder-*")
    assert moved.read_text() == "my notes" and str(moved) in warning


def test_two_tutors_on_one_lesson_never_lose_either_text(tmp_path):
    first, second = Workspace(tmp_path), Workspace(tmp_path)
    first.save(LESSON_ID, "shared\n", "base\n")
    assert first.load(LESSON_ID) and second.load(LESSON_ID)  # both opened the lesson
    second.save(LESSON_ID, "second's\n", "base\n")
    assert second.warnings == []  # it changed what it read: nothing to keep
    first.save(LESSON_ID, "first's\n", "base\n")  # it read "shared": "second's" is kept
    (warning,) = first.warnings
    (copy,) = (tmp_path / "edits").glob(f"{LESSON_ID}.other-*.py")
    assert copy.read_text() == "second's\n"
    assert "changed outside this tutor (another nn-tutor open on it?)" in warning
    assert str(copy) in warning
    first.save(LESSON_ID, "first's, later\n", "base\n")  # its own text: no copy
    second.save(LESSON_ID, "second's, later\n", "base\n")
    texts = sorted(p.read_text() for p in (tmp_path / "edits").glob(f"{LESSON_ID}.*py"))
    assert texts == ["base\n", "first's, later\n", "second's\n", "second's, later\n"]


def test_a_tutor_that_never_read_the_file_does_not_save_over_it(tmp_path):
    Workspace(tmp_path).save(LESSON_ID, "written elsewhere\n", "base\n")
    late = Workspace(tmp_path)  # it never loaded this lesson
    late.save(LESSON_ID, "mine\n", "base\n")
    assert len(late.warnings) == 1
    (copy,) = (tmp_path / "edits").glob(f"{LESSON_ID}.other-*.py")
    assert copy.read_text() == "written elsewhere\n"


def test_saving_the_same_text_as_the_other_tutor_keeps_no_copy(tmp_path):
    first, second = Workspace(tmp_path), Workspace(tmp_path)
    first.load(LESSON_ID)
    second.load(LESSON_ID)
    second.save(LESSON_ID, "same\n", "base\n")
    first.save(LESSON_ID, "same\n", "base\n")
    assert first.warnings == [] and not list((tmp_path / "edits").glob("*.other-*"))


# -- when saving fails --------------------------------------------------------------------


def test_save_trouble_is_said_once_and_noted_until_saving_works():
    trouble = SaveTrouble()
    assert trouble.note == ""
    rofs = OSError(errno.EROFS, os.strerror(errno.EROFS))
    first = trouble.failed(CODE, Path("/data/edits"), rofs)
    assert first == (
        "Could not save your code in /data/edits: Read-only file system. "
        "It stays in the editor; q offers to write it elsewhere."
    )
    assert trouble.failed(CODE, Path("/data/edits"), rofs) is None
    assert trouble.note == "⚠ code not saved: read-only file system"
    assert trouble.failed(PROGRESS, Path("/data"), rofs) == (
        "Could not save your progress in /data: Read-only file system. "
        "The status line says so until saving works again."
    )
    assert trouble.failed(PROGRESS, Path("/data"), rofs) is None
    assert trouble.note == "⚠ code not saved: read-only file system"  # the code comes first
    assert trouble.worked(CODE) is True
    assert trouble.note == "⚠ progress not saved: read-only file system"
    assert trouble.worked(PROGRESS) is True and trouble.worked(PROGRESS) is False
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert "No space left on device" in (trouble.failed(PROGRESS, Path("/d"), full) or "")


def test_rescue_writes_a_new_file_and_never_over_another(tmp_path):
    here, spare = tmp_path / "here", tmp_path / "tmp"
    here.mkdir()
    spare.mkdir()
    (here / f"nn-tutor-{LESSON_ID}.py").write_text("someone's file")
    target = rescue_target(LESSON_ID, [here, spare])
    assert target == here / f"nn-tutor-{LESSON_ID}-2.py"
    assert rescue("w = 3\n", target, LESSON_ID, [here, spare]) == target
    assert target.read_text() == "w = 3\n"
    assert (here / f"nn-tutor-{LESSON_ID}.py").read_text() == "someone's file"
    # A folder that cannot be written: the next one.
    gone = tmp_path / "gone"
    assert rescue_target(LESSON_ID, [gone, spare]) == spare / f"nn-tutor-{LESSON_ID}.py"
    written = rescue("w = 4\n", gone / "x.py", LESSON_ID, [gone, spare])
    assert written == spare / f"nn-tutor-{LESSON_ID}.py" and written.read_text() == "w = 4\n"


def test_two_tutors_saving_progress_keep_what_each_recorded(tmp_path):
    first, second = Progress(tmp_path), Progress(tmp_path)  # both started on the same file
    first.set_position(LESSON_ID, 40)
    first.mark_seen(LESSON_ID, "gradient")
    first.mark_solved(LESSON_ID, "gradient")
    first.save()
    second.set_position("02-many-examples", 7)
    second.mark_seen(LESSON_ID, "predict")
    second.mark_completed("02-many-examples")
    second.save()  # it never knew of the first's: merged, not lost
    both = Progress(tmp_path)
    assert both.warnings == []
    assert both.position(LESSON_ID) == 40  # the first's place in the lesson it was in
    assert both.position("02-many-examples") == 7
    assert both.last_lesson == "02-many-examples"  # the last one written
    assert both.solved(LESSON_ID) == ["gradient"]
    assert sorted(both.summary(LESSON_ID)["steps_seen"]) == ["gradient", "predict"]
    assert both.summary("02-many-examples")["completed"] is True
    first.set_position(LESSON_ID, 41)
    first.save()
    assert Progress(tmp_path).position("02-many-examples") == 7  # the second's, still
