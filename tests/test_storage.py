"""The learner's saved state (``tutor.core.datafiles``, ``progress``, ``workspace``): atomic writes, progress, edited code.

Also ``nn-tutor list --json``, which reports each lesson's exercises and saved progress.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.core import datafiles as storage
from tutor.core import workspace as workspace_module
from tutor.core.datafiles import atomic_write_text
from tutor.core.lesson.load import load_lesson
from tutor.core.progress import Progress, describe_progress
from tutor.core.workspace import Workspace

from .conftest import LESSON_01, REPO

LESSON_ID = "01-one-neuron"


def leftovers(folder: Path) -> list[str]:
    """Temporary files an atomic write would leave behind if it did not clean up."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- atomic_write_text --------------------------------------------------------------------


def test_atomic_write_creates_and_replaces(tmp_path):
    path = tmp_path / "deep" / "er" / "state.json"  # missing folders are created
    atomic_write_text(path, "first")
    assert path.read_text(encoding="utf-8") == "first"
    atomic_write_text(path, "second, longer than the first ünïcødé ∂L/∂w")
    assert path.read_text(encoding="utf-8") == "second, longer than the first ünïcødé ∂L/∂w"
    atomic_write_text(path, "")
    assert path.read_text(encoding="utf-8") == ""
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.json"]


def test_atomic_write_that_fails_leaves_the_old_content_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    atomic_write_text(path, "old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(path, "new")
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


WRITER = """\
import sys
from pathlib import Path
from tutor.core.datafiles import atomic_write_text

path, size = Path(sys.argv[1]), int(sys.argv[2])
versions = ("A" * size, "B" * size)
print("ready", flush=True)
i = 0
while True:
    atomic_write_text(path, versions[i % 2])
    i += 1
"""


def test_a_writer_killed_mid_save_never_leaves_a_torn_file(tmp_path):
    """SIGKILL at random moments: the file always holds one whole version."""
    size = 5 * 1024 * 1024
    path = tmp_path / "progress.json"
    initial = "initial content"
    atomic_write_text(path, initial)
    whole = {initial, "A" * size, "B" * size}
    rng = random.Random(20261126)
    seen = set()
    for _ in range(20):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(size)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.15))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=10)
            writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL  # it was still writing when killed
        text = path.read_text(encoding="utf-8")
        assert text in whole, (
            f"torn file: {len(text)} characters, starting {text[:10]!r}, ending {text[-10:]!r}"
        )
        seen.add(text[:1])
    assert seen & {"A", "B"}, "the writer never finished a single write: the test proved nothing"
    # A killed writer cannot clean up: its temporary files show kills landed mid-write.
    assert leftovers(tmp_path), "no kill landed during a write: the test proved nothing"


# -- Progress -----------------------------------------------------------------------------


def test_progress_of_a_new_learner_is_empty(tmp_path):
    progress = Progress(tmp_path / "nowhere-yet")
    assert progress.warnings == []
    assert progress.last_lesson is None
    assert progress.position(LESSON_ID) is None
    assert progress.summary(LESSON_ID) is None
    assert progress.solved(LESSON_ID) == []
    assert progress.summary(LESSON_ID) is None  # asking does not create an entry
    progress.save()  # the folder is created on the first save
    assert json.loads((tmp_path / "nowhere-yet" / "progress.json").read_text()) == {
        "last": None,
        "lessons": {},
    }


def test_progress_round_trip(tmp_path):
    progress = Progress(tmp_path)
    progress.set_position(LESSON_ID, 17)
    assert progress.mark_seen(LESSON_ID, "predict") is True
    assert progress.mark_seen(LESSON_ID, "loss") is True
    assert progress.mark_seen(LESSON_ID, "predict") is False  # already seen: no change
    assert progress.mark_solved(LESSON_ID, "gradient") is True
    assert progress.mark_solved(LESSON_ID, "gradient") is False
    assert progress.mark_completed(LESSON_ID) is True
    assert progress.mark_completed(LESSON_ID) is False
    progress.set_position("02-many", 3)
    progress.set_position(LESSON_ID, 42)  # the last position wins, and the last lesson
    progress.save()
    assert leftovers(tmp_path) == []

    again = Progress(tmp_path)
    assert again.warnings == []
    assert again.last_lesson == LESSON_ID
    assert again.position(LESSON_ID) == 42
    assert again.position("02-many") == 3
    assert again.solved(LESSON_ID) == ["gradient"]
    assert again.summary(LESSON_ID) == {
        "event": 42,
        "steps_seen": ["predict", "loss"],
        "solved": ["gradient"],
        "completed": True,
    }
    assert again.summary("02-many") == {
        "event": 3,
        "steps_seen": [],
        "solved": [],
        "completed": False,
    }
    assert again.summary("03-never-opened") is None


def test_progress_summary_is_a_copy(tmp_path):
    progress = Progress(tmp_path)
    progress.mark_solved(LESSON_ID, "gradient")
    progress.summary(LESSON_ID)["solved"].append("mutated")
    progress.solved(LESSON_ID).append("mutated")
    assert progress.solved(LESSON_ID) == ["gradient"]


def test_progress_drops_values_of_the_wrong_type_keeps_the_rest_and_says_so(tmp_path):
    data = {
        "last": 7,  # not a lesson id
        "lessons": {
            "a": "not a dict",
            "b": {"event": -3, "solved": "gradient"},
            "c": {"event": "12", "completed": True},
            "d": {"event": 4, "steps_seen": ["predict"]},
        },
    }
    (tmp_path / "progress.json").write_text(json.dumps(data), encoding="utf-8")
    progress = Progress(tmp_path)
    assert len(progress.warnings) == 1
    assert "5 wrong values ('last' is 7, not a lesson id)" in progress.warnings[0]
    assert progress.last_lesson is None
    assert progress.position("a") is None
    assert progress.position("b") is None  # negative
    assert progress.position("c") is None  # not a number
    assert progress.summary("a") is None
    assert progress.solved("b") == []
    assert progress.summary("c")["completed"] is True  # the good values stay
    assert progress.position("d") == 4
    assert progress.mark_seen("a", "predict") is True
    assert progress.mark_solved("b", "gradient") is True
    assert progress.summary("a")["steps_seen"] == ["predict"]
    # The file as it was is kept; the repaired one reads back without a warning.
    (kept,) = tmp_path.glob("progress.json.invalid-*")
    assert json.loads(kept.read_text(encoding="utf-8")) == data
    again = Progress(tmp_path)
    assert again.warnings == [] and again.position("d") == 4


def _corrupt_backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("progress.json.corrupt-*"))


@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        "",
        "[1, 2, 3]",
        '"just a string"',
        "null",
        '{"last": "01", "lessons": ["not", "a", "mapping"]}',
    ],
    ids=["not-json", "empty", "list", "string", "null", "lessons-not-a-dict"],
)
def test_a_damaged_progress_file_is_moved_aside_and_progress_starts_fresh(tmp_path, content):
    (tmp_path / "progress.json").write_text(content, encoding="utf-8")
    progress = Progress(tmp_path)
    assert progress.data == {"last": None, "lessons": {}}
    assert len(progress.warnings) == 1
    assert "damaged" in progress.warnings[0] and "progress.json.corrupt-" in progress.warnings[0]
    backups = _corrupt_backups(tmp_path)
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == content  # the learner's data is kept
    assert not (tmp_path / "progress.json").exists()
    # The tutor carries on: new progress saves and reads back.
    progress.set_position(LESSON_ID, 2)
    progress.save()
    assert Progress(tmp_path).position(LESSON_ID) == 2
    assert Progress(tmp_path).warnings == []


def test_a_progress_file_that_is_not_utf8_is_moved_aside(tmp_path):
    damaged = b'{"last": "\xff\xfe\x00 garbage'
    (tmp_path / "progress.json").write_bytes(damaged)
    progress = Progress(tmp_path)
    assert progress.data == {"last": None, "lessons": {}}
    assert len(progress.warnings) == 1
    backups = _corrupt_backups(tmp_path)
    assert len(backups) == 1 and backups[0].read_bytes() == damaged


def test_a_progress_path_that_is_a_folder_is_moved_aside_with_a_warning(tmp_path):
    (tmp_path / "progress.json").mkdir()  # reading it fails with an OSError
    (tmp_path / "progress.json" / "inside").write_text("kept")
    progress = Progress(tmp_path)
    assert progress.data == {"last": None, "lessons": {}}
    assert len(progress.warnings) == 1
    assert "is a folder, not a file" in progress.warnings[0]
    assert "progress starts fresh" in progress.warnings[0]
    (moved,) = tmp_path.glob("progress.json.not-a-file-*")  # nothing deleted
    assert (moved / "inside").read_text() == "kept"
    progress.set_position(LESSON_ID, 3)
    progress.save()  # and progress can be saved again
    assert Progress(tmp_path).position(LESSON_ID) == 3


# -- Workspace ----------------------------------------------------------------------------

CODE = "w = 0.5\nlr = 0.5  # my change\n"
BASE = "w = 0.5\nlr = 0.1\n"


def test_workspace_without_edits(tmp_path):
    workspace = Workspace(tmp_path)
    assert workspace.root == tmp_path / "edits"
    assert workspace.load(LESSON_ID) is None
    assert workspace.reset(LESSON_ID) is None
    assert workspace.warnings == []


def test_workspace_save_and_load_round_trip(tmp_path):
    workspace = Workspace(tmp_path)
    workspace.save(LESSON_ID, CODE, BASE)
    assert (tmp_path / "edits" / f"{LESSON_ID}.py").read_text(encoding="utf-8") == CODE
    assert (tmp_path / "edits" / f"{LESSON_ID}.base.py").read_text(encoding="utf-8") == BASE
    assert Workspace(tmp_path).load(LESSON_ID) == (CODE, BASE)
    # Saving again replaces the code; a new base (a new shipped version) replaces the base.
    workspace.save(LESSON_ID, CODE + "# more\n", BASE)
    assert Workspace(tmp_path).load(LESSON_ID) == (CODE + "# more\n", BASE)
    workspace.save(LESSON_ID, CODE, BASE + "# shipped v2\n")
    assert Workspace(tmp_path).load(LESSON_ID) == (CODE, BASE + "# shipped v2\n")
    assert leftovers(tmp_path / "edits") == []
    assert Workspace(tmp_path).load("02-other") is None


def test_workspace_without_its_base_file_loads_with_an_empty_base(tmp_path):
    workspace = Workspace(tmp_path)
    workspace.save(LESSON_ID, CODE, BASE)
    (tmp_path / "edits" / f"{LESSON_ID}.base.py").unlink()
    assert workspace.load(LESSON_ID) == (CODE, "")


def test_workspace_reset_keeps_a_backup_and_forgets_the_edit(tmp_path):
    workspace = Workspace(tmp_path)
    workspace.save(LESSON_ID, CODE, BASE)
    backup = workspace.reset(LESSON_ID)
    assert backup is not None and backup.exists()
    assert backup.parent == tmp_path / "edits"
    assert backup.name.startswith(f"{LESSON_ID}.before-reset-") and backup.suffix == ".py"
    assert backup.read_text(encoding="utf-8") == CODE
    assert workspace.load(LESSON_ID) is None
    assert not (tmp_path / "edits" / f"{LESSON_ID}.py").exists()
    assert not (tmp_path / "edits" / f"{LESSON_ID}.base.py").exists()
    assert workspace.reset(LESSON_ID) is None  # nothing left to reset
    assert backup.exists()


def test_two_resets_in_the_same_second_keep_both_backups(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace_module, "time", SimpleNamespace(time=lambda: 1_790_000_000.25))
    workspace = Workspace(tmp_path)
    workspace.save(LESSON_ID, "first version\n", BASE)
    first = workspace.reset(LESSON_ID)
    workspace.save(LESSON_ID, "second version\n", BASE)
    second = workspace.reset(LESSON_ID)
    kept = sorted(p.read_text(encoding="utf-8") for p in (tmp_path / "edits").iterdir())
    assert kept == ["first version\n", "second version\n"]
    assert first != second


def test_unreadable_saved_code_is_moved_aside_with_a_warning(tmp_path):
    edits = tmp_path / "edits"
    edits.mkdir()
    damaged = b"w = 0.5\n\xff\xfe\xfd not utf-8\n"
    (edits / f"{LESSON_ID}.py").write_bytes(damaged)
    (edits / f"{LESSON_ID}.base.py").write_text(BASE, encoding="utf-8")
    workspace = Workspace(tmp_path)
    assert workspace.load(LESSON_ID) is None
    assert len(workspace.warnings) == 1
    moved = sorted(edits.glob(f"{LESSON_ID}.py.unreadable-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == damaged  # kept, not deleted
    assert LESSON_ID in workspace.warnings[0] and str(moved[0]) in workspace.warnings[0]
    assert not (edits / f"{LESSON_ID}.py").exists()
    # Afterwards the learner starts from the shipped code and can save again.
    workspace.save(LESSON_ID, CODE, BASE)
    assert workspace.load(LESSON_ID) == (CODE, BASE)


def test_unreadable_base_reads_as_no_base(tmp_path):
    workspace = Workspace(tmp_path)
    workspace.save(LESSON_ID, CODE, BASE)
    (tmp_path / "edits" / f"{LESSON_ID}.base.py").write_bytes(b"\xff\xfe")
    assert workspace.load(LESSON_ID) == (CODE, "")
    assert workspace.warnings == []


def test_storage_follows_nn_tutor_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_TUTOR_HOME", str(tmp_path / "home"))
    assert storage.data_dir() == tmp_path / "home"
    progress = Progress()
    progress.set_position(LESSON_ID, 1)
    progress.save()
    Workspace().save(LESSON_ID, CODE, BASE)
    assert (tmp_path / "home" / "progress.json").exists()
    assert (tmp_path / "home" / "edits" / f"{LESSON_ID}.py").exists()


# -- describe_progress --------------------------------------------------------------------


def summary(event=None, solved=(), completed=False, seen=()):
    return {
        "event": event,
        "steps_seen": list(seen),
        "solved": list(solved),
        "completed": completed,
    }


def test_describe_progress_of_a_lesson_with_an_exercise():
    lesson = load_lesson(LESSON_01)
    assert list(lesson.exercises) == [
        "gradient", "gradient-in-full", "first-update", "second-loss", "too-fast"
    ]  # fmt: skip
    assert describe_progress(lesson, None) == ""
    assert describe_progress(lesson, summary(event=0)) == "0/5 exercises, resume at event 1"
    assert (
        describe_progress(lesson, summary(event=16, solved=["gradient"]))
        == "1/5 exercises, resume at event 17"
    )
    assert (
        describe_progress(lesson, summary(event=186, solved=list(lesson.exercises), completed=True))
        == "✓ completed, 5/5 exercises"
    )
    # Solved steps that are not (or no longer) exercises do not count.
    assert (
        describe_progress(lesson, summary(event=3, solved=["gradient", "gone", "gradient"]))
        == "1/5 exercises, resume at event 4"
    )
    assert describe_progress(lesson, summary()) == "0/5 exercises"


def test_an_exercise_done_again_is_no_longer_solved(tmp_path):
    progress = Progress(tmp_path)
    assert progress.unsolve(LESSON_ID, "slope") is False
    progress.mark_solved(LESSON_ID, "slope")
    progress.mark_solved(LESSON_ID, "other")
    assert progress.unsolve(LESSON_ID, "slope") is True
    assert progress.solved(LESSON_ID) == ["other"]


def test_a_reset_untries_the_exercises_not_solved(tmp_path):
    progress = Progress(tmp_path)
    assert progress.untry(LESSON_ID) is False  # nothing tried: nothing to change
    progress.mark_tried(LESSON_ID, "gradient")
    progress.mark_tried(LESSON_ID, "other")
    progress.mark_solved(LESSON_ID, "other")
    assert progress.untry(LESSON_ID) is True
    assert progress.tried(LESSON_ID) == ["other"] and progress.solved(LESSON_ID) == ["other"]
    progress.save()
    assert Progress(tmp_path).tried(LESSON_ID) == ["other"]


def test_describe_progress_of_a_lesson_without_exercises(make_lesson):
    lesson = load_lesson(make_lesson())
    assert lesson.ok and not lesson.exercises
    assert describe_progress(lesson, None) == ""
    assert describe_progress(lesson, summary()) == ""
    assert describe_progress(lesson, summary(event=4)) == "resume at event 5"
    assert describe_progress(lesson, summary(event=9, completed=True)) == "✓ completed"


# -- nn-tutor list ------------------------------------------------------------------------


def test_list_reports_exercises_and_saved_progress(make_lesson, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSON_01, lessons / LESSON_ID)
    make_lesson("lessons/02-doubling")
    home = tmp_path / "home"
    progress = Progress(home)
    progress.set_position(LESSON_ID, 16)
    progress.mark_seen(LESSON_ID, "target")
    progress.mark_solved(LESSON_ID, "gradient")
    progress.save()

    env = {k: v for k, v in os.environ.items() if k != "NN_TUTOR_LESSONS"}
    env["NN_TUTOR_HOME"] = str(home)
    command = [sys.executable, "-m", "tutor", "list", "--lessons-dir", str(lessons)]
    done = subprocess.run(
        [*command, "--json"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    items = {item["id"]: item for item in json.loads(done.stdout)}
    assert set(items) == {LESSON_ID, "02-doubling"}
    one = items[LESSON_ID]
    assert one["exercises"] == {
        "code": ["gradient"],
        "predict": ["first-update", "second-loss"],
        "derive": ["gradient-in-full"],
        "break": ["too-fast"],
    }
    assert one["progress"] == {
        "event": 16,
        "steps_seen": ["target"],
        "solved": ["gradient"],
        "completed": False,
    }
    assert items["02-doubling"]["exercises"] == {
        "code": [],
        "predict": [],
        "derive": [],
        "break": [],
    }
    assert items["02-doubling"]["progress"] is None  # never opened

    table = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert table.returncode == 0, table.stderr
    row = next(r for r in table.stdout.splitlines() if r.startswith(LESSON_ID))
    assert row.endswith("[1/5 exercises, resume at event 17]")
    other = next(r for r in table.stdout.splitlines() if r.startswith("02-doubling"))
    assert "[" not in other


def test_list_with_a_damaged_progress_file_warns_and_still_lists(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_text("{ not json", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NN_TUTOR_LESSONS"}
    env["NN_TUTOR_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "list", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "damaged" in done.stderr
    items = {item["id"]: item for item in json.loads(done.stdout)}
    assert items[LESSON_ID]["progress"] is None
    assert list(home.glob("progress.json.corrupt-*"))


def test_code_saved_under_a_renumbered_lessons_former_id_follows_it(tmp_path):
    edits = tmp_path / "edits"
    edits.mkdir()
    (edits / "09-layers.py").write_text("# my layers\n", encoding="utf-8")
    (edits / "09-layers.base.py").write_text("# shipped then\n", encoding="utf-8")
    (edits / "14-own-gradients.py").write_text("# my nodes\n", encoding="utf-8")
    space = Workspace(tmp_path)
    assert space.load("12-layers") == ("# my layers\n", "# shipped then\n")
    assert space.warnings == [
        "your saved code for 09-layers now belongs to 12-layers: the lessons were renumbered"
    ]
    assert not (edits / "09-layers.py").exists()
    assert space.load("09-own-gradients") == ("# my nodes\n", "")
    assert space.load("09-own-gradients") == ("# my nodes\n", "")  # moved once
    assert len(space.warnings) == 2


def test_a_former_ids_code_never_replaces_code_saved_under_the_new_id(tmp_path):
    edits = tmp_path / "edits"
    edits.mkdir()
    (edits / "09-layers.py").write_text("# old\n", encoding="utf-8")
    (edits / "12-layers.py").write_text("# new\n", encoding="utf-8")
    space = Workspace(tmp_path)
    assert space.load("12-layers")[0] == "# new\n"
    assert (edits / "09-layers.py").read_text(encoding="utf-8") == "# old\n"  # kept
    assert space.warnings == []
