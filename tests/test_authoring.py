"""For lesson authors: ``nn-tutor new`` (a lesson that passes check) and ``nn-tutor preview``."""

from __future__ import annotations

import subprocess
import sys

from tutor.cli import main
from tutor.core.check import check_lesson
from tutor.core.lesson.load import load_lesson
from tutor.core.run.runner import Runner

from .conftest import REPO


def test_new_writes_a_lesson_that_passes_check(tmp_path, capsys):
    assert main(["new", "11-my-lesson", "--lessons-dir", str(tmp_path)]) == 0
    folder = tmp_path / "11-my-lesson"
    assert "wrote" in capsys.readouterr().out
    lesson = load_lesson(folder)
    assert lesson.ok, lesson.problems
    assert lesson.title == "My lesson"
    assert [s.id for s in lesson.steps] == ["predict", "loss", "gradient", "update"]
    assert {e.kind for e in lesson.exercises.values()} == {"code", "predict"}
    assert lesson.step("gradient").is_derivation
    with Runner() as runner:
        assert check_lesson(lesson, runner) == []


def test_new_passes_check_from_the_command_line(tmp_path):
    env_path = {"PYTHONPATH": str(REPO)}
    run = [sys.executable, "-m", "tutor"]
    made = subprocess.run(
        [*run, "new", "12-x", "--lessons-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env_path,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    checked = subprocess.run(
        [*run, "check", "--lessons-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env_path,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "all passed" in checked.stdout


def test_new_in_the_current_folder_and_never_over_an_existing_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "03-here"]) == 0
    md = (tmp_path / "03-here" / "lesson.md").read_text()
    (tmp_path / "03-here" / "lesson.md").write_text("mine")
    capsys.readouterr()
    assert main(["new", "03-here"]) == 2
    err = capsys.readouterr().err
    assert "already exists: nothing was written" in err
    assert (tmp_path / "03-here" / "lesson.md").read_text() == "mine" != md


def test_new_refuses_a_name_that_is_a_path(tmp_path, capsys):
    assert main(["new", "../escape", "--lessons-dir", str(tmp_path)]) == 2
    assert "is not a lesson folder name" in capsys.readouterr().err
    assert not (tmp_path.parent / "escape").exists()


def test_preview_defaults_to_the_first_event_of_the_first_step(capsys):
    assert main(["preview", "01"]) == 0
    out = capsys.readouterr().out
    lesson = load_lesson(REPO / "lessons" / "01-one-neuron")
    first = lesson.steps[0]
    header = out.split("\n")[0]
    assert header.startswith(f"step: {first.id} · event ") and "· iteration " in header
    assert first.title in out  # the section's heading
    assert "✓" in out


def test_preview_at_the_gradient_shows_the_chain_rule_with_its_numbers(capsys):
    from tutor.core.run.runner import Runner as R

    lesson = load_lesson(REPO / "lessons" / "01-one-neuron")
    with R() as runner:
        t = runner.run(lesson.py_path, lesson.source, lesson.iteration).timeline
    event = next(i for i in range(len(t)) if t.step(i) == "gradient") + 1
    assert main(["preview", "01", "--event", str(event), "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"step: gradient · event {event}/{len(t)} · iteration 1/")
    assert lesson.step("gradient").title in out
    assert "(chain rule: w changes ŷ, and ŷ changes L)" in out
    assert "= (−3.0) · 1.0 = −3.0  ✓" in out
    assert max(len(line) for line in out.split("\n")) <= 100


def test_preview_of_an_event_beyond_the_run_is_an_error(capsys):
    assert main(["preview", "01", "--event", "100000"]) == 2
    assert "the run has" in capsys.readouterr().err


def test_preview_imports_no_textual():
    code = (
        "import sys; from tutor.cli import main; main(['preview', '01', '--event', '3']);"
        "assert not any(m.startswith(('textual', 'rich')) for m in sys.modules), 'ui imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "step: " in done.stdout
