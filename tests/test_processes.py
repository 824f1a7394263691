"""Every process a run starts ends with the run: forks, escapes with setsid, a tutor that dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")


def processes_with(marker: str) -> list[int]:
    """Pids whose environment holds ``marker`` (set for the worker: its forks inherit it)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as env:
                if marker.encode() in env.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def settle_except(marker: str, keep: int, tries: int = 100) -> list[int]:
    for _ in range(tries):
        left = [p for p in processes_with(marker) if p != keep]
        if not left:
            return []
        time.sleep(0.02)
    return left


def settle(marker: str, tries: int = 100) -> list[int]:
    """The marked processes still alive once the kills have landed (zombies are reaped)."""
    left = processes_with(marker)
    for _ in range(tries):
        if not left:
            break
        time.sleep(0.02)  # (polls for an event, bounded by count: no wall-clock assertion)
        left = processes_with(marker)
    return left


LESSON = """
import os, time
for k in range(5):
    if os.fork() == 0:
        {escape}
        while True:
            time.sleep(0.05)
done = True
"""


@pytest.mark.parametrize("escape", ["pass", "os.setsid()"])
def test_processes_the_lesson_forks_end_with_its_run(tmp_path: Path, escape: str, monkeypatch):
    marker = f"nn-tutor-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("NN_TUTOR_TEST_MARKER", marker)  # the worker, and all it forks, carry it
    path = tmp_path / "lesson.py"
    path.write_text(textwrap.dedent(LESSON.format(escape=escape)), encoding="utf-8")
    with Runner(Limits(time=5.0)) as runner:
        for _ in range(3):  # forks never corrupt the reply, run after run
            result = runner.run(path)
            assert result.error is None, result.error
            assert result.timeline.value("done", len(result.timeline) - 1) is True
            worker = runner._process.pid  # type: ignore[union-attr]
            assert worker in processes_with(marker)  # (the marker does mark them)
            assert [p for p in settle_except(marker, worker)] == []
    assert settle(marker) == []


def test_a_stuck_run_ends_when_the_tutor_is_killed(tmp_path: Path):
    marker = f"nn-tutor-test-{uuid.uuid4().hex}"
    lesson = tmp_path / "lesson.py"
    lesson.write_text(
        "import os\nif os.fork() == 0:\n    os.setsid()\n    while True: pass\nwhile True: pass\n",
        encoding="utf-8",
    )
    tutor = tmp_path / "stand_in_app.py"
    tutor.write_text(
        "import sys\nfrom tutor.core.run.runner import Runner\nfrom tutor.core.run.result import Limits\n"
        f"Runner(Limits(time=600)).run({str(lesson)!r})\n",
        encoding="utf-8",
    )
    repo = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(repo), NN_TUTOR_TEST_MARKER=marker)
    app = subprocess.Popen([sys.executable, str(tutor)], env=env, start_new_session=True)
    try:
        for _ in range(500):  # the app, its worker, the run and the escaped fork are up
            if len(processes_with(marker)) >= 4:
                break
            time.sleep(0.02)
        assert len(processes_with(marker)) >= 4
    finally:
        app.send_signal(signal.SIGKILL)  # as kill -9 of the tutor, or a closed terminal
        app.wait()
    assert settle(marker, tries=250) == []
