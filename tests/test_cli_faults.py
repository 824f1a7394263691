"""``nn-tutor list``, ``check`` and ``trace`` over a collection of bad lessons beside a good
one, run for real in a child process: no traceback, no hang, no unbounded memory; one line
per problem with its file and line; every good lesson listed and checked; ``check`` exits 2.

The child runs with a 4 GiB address-space limit and a time-out, so a regression (reading
/dev/zero, waiting on a FIFO) fails the test instead of taking the machine with it.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .bad_lessons import BAD, collection, write
from .conftest import GOOD_MD, REPO


def run(*args: str, cwd: Path = REPO, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NN_TUTOR_LESSONS"}
    env["PYTHONPATH"] = str(REPO)  # (the tutor of this tree, also from another folder)

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limited,
    )


@pytest.fixture(scope="module")
def bad_lessons(tmp_path_factory) -> Path:
    return collection(tmp_path_factory.mktemp("bad") / "lessons")


def expected_line(root: Path, k: int, name: str) -> str:
    _, file, line, message = BAD[name]
    return f"{root / f'{k:02d}-{name}' / file}:{line}"


def folder_of(k: int, name: str) -> str:
    return f"{k:02d}-{name}"


def test_list_shows_every_lesson_and_each_bad_ones_first_problem(bad_lessons):
    result = run("list", "--lessons-dir", str(bad_lessons))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = result.stdout.rstrip("\n").split("\n")
    assert len(rows) == 1 + len(BAD)
    good = [row for row in rows if row.startswith("01-good ")]
    assert len(good) == 1 and re.fullmatch(r"01-good +Doubling  \(2 steps\)", good[0])
    for k, name in enumerate(BAD, start=2):
        (row,) = [row for row in rows if row.startswith(folder_of(k, name) + " ")]
        assert f"[broken: 1 problem; first: {expected_line(bad_lessons, k, name)}" in row, row
        assert BAD[name][3] in row and row.isprintable(), row


def test_check_reports_one_line_per_bad_lesson_checks_the_good_one_and_exits_2(bad_lessons):
    result = run("check", "--lessons-dir", str(bad_lessons))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    rows = result.stdout.rstrip("\n").split("\n")
    verdicts = [
        row
        for row in rows
        if re.fullmatch(r"[^/:]+: (passed \(.+ s\)|failed \(\d+ problems?\))", row)
    ]
    assert len(verdicts) == 1 + len(BAD)  # one line per lesson
    assert sum(row.startswith("01-good: passed (") for row in verdicts) == 1
    rows = [row for row in rows if row not in verdicts]
    assert len(rows) == 1 + len(BAD)  # one problem line per bad lesson, none for the good one
    for k, name in enumerate(BAD, start=2):
        where = expected_line(bad_lessons, k, name) + ":"  # then the column, or the message
        (row,) = [row for row in rows if row.startswith(where)]
        assert BAD[name][3] in row and row.isprintable(), row
    n = len(BAD)
    assert re.fullmatch(
        rf"checked {n + 1} lessons in [\d.]+ s: 1 passed, {n} failed \({n} problems\)", rows[-1]
    )
    # and the good one on its own, by its prefix: checked and traced
    result = run("check", "01", "--lessons-dir", str(bad_lessons))
    assert result.returncode == 0, result.stdout + result.stderr
    result = run("trace", "01", "--lessons-dir", str(bad_lessons), "--limit", "3")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().split("\n")) == 3


@pytest.mark.parametrize(("name", "status"), [("fifo", 0), ("link-loop", 0), ("dev-zero-py", 1)])
def test_trace_of_a_bad_lesson_names_its_problem(bad_lessons, name, status):
    """A bad lesson.md: the code is traced anyway; a bad lesson.py: nothing to trace (1)."""
    k = list(BAD).index(name) + 2
    result = run("trace", f"{k:02d}", "--lessons-dir", str(bad_lessons), "--limit", "1")
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    problem = f"{expected_line(bad_lessons, k, name)}: {BAD[name][3]}"
    assert result.stderr.startswith(problem) and "(lesson problem)" in result.stderr


def test_check_of_a_collection_with_no_lessons_exits_2(tmp_path):
    result = run("check", "--lessons-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("no lessons found in ")


def test_a_heading_of_many_spaces_loads_in_linear_time(tmp_path):
    # (the old pattern took cubic time on it: hours for this line)
    md = GOOD_MD.replace("# Intro", "#" + " " * 100_000 + "Intro")
    write(tmp_path / "lessons" / "01-wide", md=md)
    result = run("list", "--lessons-dir", str(tmp_path / "lessons"), timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"01-wide  Doubling  \(2 steps\)\n", result.stdout)


def test_a_control_character_in_a_folder_name_or_title_is_printed_visibly(tmp_path):
    md = GOOD_MD.replace("title: Doubling", 'title: "\\e[31mred"')
    write(tmp_path / "lessons" / "01-\x1b[2J", md=md)
    result = run("list", "--lessons-dir", str(tmp_path / "lessons"))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert result.stdout.startswith("01-\\x1b[2J  \\x1b[31mred  [broken: 1 problem; first: ")
