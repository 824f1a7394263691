"""The ``nn-tutor`` command, run for real as ``python -m tutor``: output, errors, exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor import __version__

from .conftest import GOOD_PY, REPO


def run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tutor ARGS`` from the repository root."""
    env = {k: v for k, v in os.environ.items() if k != "NN_TUTOR_LESSONS"}
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def lines_of(text: str) -> list[str]:
    return [row for row in text.split("\n") if row.strip()]


# GOOD_PY with a fault after the loop: line 6 divides by zero.
RAISES_LATE_PY = GOOD_PY + "z = w / (x - 1.0)\n"

# GOOD_PY with a fault before the loop: line 3 divides by zero.
RAISES_EARLY_PY = """\
x = 1.0
w = 0.5
z = 1 / 0
for iteration in range(1, 4):
    y_hat = w * x  # step: predict
    w = w + 0.5  # step: update
"""


@pytest.fixture
def collection(make_lesson, tmp_path) -> Path:
    """A lessons folder with one good lesson and one whose anchor names an unknown step."""
    make_lesson("lessons/01-doubling")
    make_lesson("lessons/02-broken", py=GOOD_PY.replace("# step: update", "# step: updte"))
    return tmp_path / "lessons"


# -- list ---------------------------------------------------------------------------------


def test_list_shows_lesson_01_with_its_title():
    result = run("list")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    row = next(r for r in lines_of(result.stdout) if r.startswith("01-one-neuron"))
    assert "The smallest possible neural network" in row
    assert "(8 steps)" in row


def test_opening_an_unknown_lesson_fails_before_any_screen():
    # `nn-tutor LESSON` opens the tutor; a wrong name is reported on stderr instead.
    result = run("no-such-lesson")
    assert result.returncode == 2
    assert "no lesson 'no-such-lesson'" in result.stderr


def test_list_json_is_one_array():
    result = run("list", "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)  # the whole output is one JSON document
    assert isinstance(items, list) and items
    for item in items:
        assert {"id", "title", "steps", "ok"} <= set(item)
    lesson = next(item for item in items if item["id"] == "01-one-neuron")
    assert lesson["title"] == "The smallest possible neural network"
    assert lesson["steps"] == 8
    assert lesson["ok"] is True
    assert lesson["problems"] == []
    assert lesson["exercises"] == {
        "code": ["gradient"],
        "predict": ["first-update", "second-loss"],
        "derive": ["gradient-in-full"],
        "break": ["too-fast"],
    }
    for item in items:  # every bundled lesson: at least one code exercise and one predict
        assert item["exercises"]["code"] and item["exercises"]["predict"], item["id"]


@pytest.mark.parametrize("before", [True, False], ids=["before-command", "after-command"])
def test_lessons_dir_before_or_after_the_command(collection, before):
    args = (
        ["--lessons-dir", str(collection), "list"]
        if before
        else ["list", "--lessons-dir", str(collection)]
    )
    result = run(*args)
    assert result.returncode == 0, result.stderr
    rows = lines_of(result.stdout)
    assert len(rows) == 2
    good, broken = rows
    assert good.startswith("01-doubling")
    assert "Doubling" in good and "(2 steps)" in good
    assert broken.startswith("02-broken")
    assert "broken: 2 problems" in broken
    # The first problem, at its file and line.
    md = collection / "02-broken" / "lesson.md"
    assert f"{md}:19: step 'update' is not anchored by any line of lesson.py" in broken
    assert "01-one-neuron" not in result.stdout  # the bundled lessons are not used


def test_list_json_with_a_broken_lesson(collection):
    result = run("list", "--json", "--lessons-dir", str(collection))
    assert result.returncode == 0, result.stderr
    items = {item["id"]: item for item in json.loads(result.stdout)}
    assert items["01-doubling"]["ok"] is True
    assert items["01-doubling"]["steps"] == 2
    assert items["02-broken"]["ok"] is False
    py = collection / "02-broken" / "lesson.py"
    assert (
        f"{py}:5: anchor names unknown step 'updte' (did you mean 'update'?)"
        in (items["02-broken"]["problems"])
    )


def test_lessons_dir_that_does_not_exist(tmp_path):
    result = run("--lessons-dir", str(tmp_path / "nope"), "list")
    assert result.returncode == 2
    assert str(tmp_path / "nope") in result.stderr
    assert result.stdout == ""


# -- check --------------------------------------------------------------------------------


def test_check_the_bundled_lessons_passes():
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = lines_of(result.stdout)
    assert rows[-1].startswith("checked ")
    assert rows[-1].endswith("all passed")
    # one line per lesson, no problem line
    assert all(re.fullmatch(r"\S+: passed \(.+ s\)", row) for row in rows[:-1]), rows
    assert len(rows) == 1 + len(
        list((Path(__file__).parent.parent / "lessons").glob("*/lesson.md"))
    )


def test_check_a_broken_lesson_fails_with_path_and_line(collection):
    result = run("check", "--lessons-dir", str(collection))
    assert result.returncode == 2
    rows = lines_of(result.stdout)
    md = collection / "02-broken" / "lesson.md"
    py = collection / "02-broken" / "lesson.py"
    assert rows[1] == "02-broken: failed (2 problems)"  # after 01-doubling's line
    assert rows[2:4] == [
        f"{md}:19: step 'update' is not anchored by any line of lesson.py: "
        "add '# step: update' to the line that computes it",
        f"{py}:5: anchor names unknown step 'updte' (did you mean 'update'?)",
    ]
    (good,) = [row for row in rows if "01-doubling" in row]  # nothing to report but its line
    assert good.startswith("01-doubling: passed (")
    assert re.fullmatch(
        r"checked 2 lessons in [\d.]+ s: 1 passed, 1 failed \(2 problems\)", rows[-1]
    )


def test_check_a_single_lesson_folder_path(collection):
    result = run("check", str(collection / "01-doubling"))
    assert result.returncode == 0, result.stdout + result.stderr
    first, last = lines_of(result.stdout)
    assert first.startswith("01-doubling: passed (")
    assert re.fullmatch(r"checked 1 lesson in [\d.]+ s: all passed", last)

    result = run("check", str(collection / "02-broken"))
    assert result.returncode == 2
    assert f"{collection / '02-broken' / 'lesson.py'}:5: " in result.stdout
    assert "1 failed" in result.stdout


def test_check_a_relative_lesson_path():
    result = run("check", "lessons/01-one-neuron")
    assert result.returncode == 0, result.stdout + result.stderr
    first, last = lines_of(result.stdout)
    assert first.startswith("01-one-neuron: passed (")
    assert re.fullmatch(r"checked 1 lesson in [\d.]+ s: all passed", last)


def test_check_a_lesson_whose_code_raises(make_lesson):
    folder = make_lesson("01-raises", py=RAISES_EARLY_PY)
    result = run("check", str(folder))
    assert result.returncode == 2
    rows = lines_of(result.stdout)
    assert rows[0] == "01-raises: failed (1 problem)"
    assert rows[1] == f"{folder / 'lesson.py'}:3: ZeroDivisionError: division by zero"
    assert "0 passed, 1 failed (1 problem)" in rows[-1]


# -- trace --------------------------------------------------------------------------------


def test_trace_lesson_01_reaches_w_1_98271_in_iteration_20():
    result = run("trace", "01")
    assert result.returncode == 0, result.stderr
    updates = [r for r in lines_of(result.stdout) if re.search(r"\bupdate\b", r)]
    assert len(updates) == 20
    last = updates[-1]
    assert re.search(r"\biter\s+20\b", last)
    assert "w = 1.98271" in last
    assert "w = 1.9827 after 20 iterations" in result.stdout  # what the lesson printed


def test_trace_json_events():
    result = run("trace", "01", "--json")
    assert result.returncode == 0, result.stderr
    events = [json.loads(row) for row in lines_of(result.stdout)]
    for event in events:
        assert isinstance(event, dict)
        assert {"index", "iteration", "step", "line", "values"} <= set(event)
    assert [e["index"] for e in events] == list(range(1, len(events) + 1))

    updates = [e for e in events if e["step"] == "update"]
    x, y, w, lr = 1.0, 2.0, 0.5, 0.1
    first_w = w - lr * 2 * (w * x - y) * x  # one gradient step by hand: 0.8
    assert first_w == pytest.approx(0.8)
    assert updates[0]["values"]["w"] == pytest.approx(first_w)
    assert updates[0]["iteration"] == 1

    # Every update closes 20 % of the gap to 2: after 20 of them w = 2 - 1.5 * 0.8**20.
    assert [e["iteration"] for e in updates] == list(range(1, 21))
    assert updates[-1]["values"]["w"] == pytest.approx(2 - 1.5 * 0.8**20)
    lesson_py = (REPO / "lessons" / "01-one-neuron" / "lesson.py").read_text().split("\n")
    assert "# step: update" in lesson_py[updates[0]["line"] - 1]


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_trace_limit_prints_exactly_n_events(as_json):
    result = run("trace", "01", "--limit", "5", *(["--json"] if as_json else []))
    assert result.returncode == 0, result.stderr
    rows = lines_of(result.stdout)
    assert len(rows) == 5
    if as_json:
        assert [json.loads(row)["index"] for row in rows] == [1, 2, 3, 4, 5]
    else:
        assert [int(row.split()[0]) for row in rows] == [1, 2, 3, 4, 5]
    assert "more events not shown" in result.stderr


def test_trace_a_lesson_that_raises_later(make_lesson):
    folder = make_lesson("01-raises", py=RAISES_LATE_PY)
    result = run("trace", str(folder), "--limit", "2")
    assert result.returncode == 1
    rows = lines_of(result.stdout)
    assert len(rows) == 2
    assert rows[0].split()[0] == "1" and "x = 1.0" in rows[0]
    assert rows[1].split()[0] == "2" and "w = 0.5" in rows[1]
    assert f"{folder / 'lesson.py'}:6: ZeroDivisionError: float division by zero" in result.stderr


def test_trace_stops_an_endless_loop_at_the_time_limit(make_lesson):
    py = GOOD_PY + "while True:\n    x = x + sum(range(100))\n"  # lines 6-7
    folder = make_lesson("01-endless", py=py)
    # (the run's own timeout fails the test if the limit never fires; the message proves it did)
    result = run("trace", str(folder), "--time-limit", "1", "--json", "--limit", "30", timeout=30)
    assert result.returncode != 0
    assert "time limit" in result.stderr
    assert re.search(
        rf"{re.escape(str(folder / 'lesson.py'))}:[67]: stopped after 1 s", result.stderr
    )
    events = [json.loads(row) for row in lines_of(result.stdout)]
    assert len(events) == 30  # the events before the stop were printed
    assert [e["step"] for e in events[:12] if e["step"]] == ["predict", "update"] * 3
    assert events[-1]["line"] in (6, 7)


def test_trace_prints_every_event_before_the_time_limit(make_lesson):
    py = "import time\n" + GOOD_PY + "while True:\n    time.sleep(0.05)\n"  # lines 7-8
    folder = make_lesson("01-sleepy", py=py)
    result = run("trace", str(folder), "--time-limit", "1", timeout=30)
    assert result.returncode == 1
    assert re.search(
        rf"{re.escape(str(folder / 'lesson.py'))}:[78]: stopped after 1 s: the time limit",
        result.stderr,
    )
    rows = lines_of(result.stdout)
    assert [int(row.split()[0]) for row in rows] == list(range(1, len(rows) + 1))
    assert len(rows) > 20  # the loop, then many turns of the endless one
    assert any("w = 2.0" in row for row in rows)  # the training loop finished
    assert "time.sleep(0.05)" in rows[-1] or "while True:" in rows[-1]


@pytest.mark.parametrize("command", ["trace", "check"])
def test_unknown_lesson_id(command):
    result = run(command, "zz-no-such-lesson")
    assert result.returncode == 2
    assert "zz-no-such-lesson" in result.stderr
    assert result.stdout == ""


def test_ambiguous_lesson_prefix(make_lesson, tmp_path):
    make_lesson("lessons/01-a")
    make_lesson("lessons/01-b")
    result = run("trace", "01", "--lessons-dir", str(tmp_path / "lessons"))
    assert result.returncode == 2
    assert "01-a" in result.stderr and "01-b" in result.stderr


def test_trace_by_prefix_in_another_lessons_dir(collection):
    result = run("--lessons-dir", str(collection), "trace", "01", "--json")
    assert result.returncode == 0, result.stderr
    events = [json.loads(row) for row in lines_of(result.stdout)]
    assert [e["values"]["w"] for e in events if e["step"] == "update"] == [1.0, 1.5, 2.0]


# -- serve --------------------------------------------------------------------------------


def test_serve_listens_on_this_computer_only_by_default():
    from tutor.cli import _default_command, build_parser

    args = build_parser().parse_args(_default_command(["serve"]))
    assert args.command == "serve"
    assert (args.host, args.port, args.lesson, args.no_predict) == ("127.0.0.1", 8000, None, False)


@pytest.mark.parametrize("before", [True, False], ids=["dir-first", "command-first"])
def test_serve_arguments(tmp_path, before):
    from tutor.cli import _default_command, build_parser

    options = ["--host", "0.0.0.0", "--port", "9001", "--no-predict"]
    where = ["--lessons-dir", str(tmp_path)]
    argv = [*where, "serve", "01", *options] if before else ["serve", "01", *options, *where]
    args = build_parser().parse_args(_default_command(argv))
    assert (args.command, args.lesson, args.host, args.port) == ("serve", "01", "0.0.0.0", 9001)
    assert args.no_predict is True
    assert args.lessons_dir == tmp_path


@pytest.mark.parametrize("port", ["0", "65536", "-1", "http"])
def test_serve_port_must_be_1_to_65535(port):
    result = run("serve", "--port", port)
    assert result.returncode == 2 and "--port" in result.stderr
    assert "serving" not in result.stdout


def test_serve_an_unknown_lesson_fails_before_serving():
    result = run("serve", "zz-no-such-lesson", "--port", "1")
    assert result.returncode == 2
    assert "zz-no-such-lesson" in result.stderr and "serving" not in result.stdout


def test_serve_on_a_port_in_use_says_so(tutor_home):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run("serve", "--port", port)
    assert result.returncode == 2
    assert result.stderr == f"nn-tutor: cannot serve on 127.0.0.1:{port}: Address already in use\n"
    assert "serving" not in result.stdout


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.3.2.1", "localhost", "LOCALHOST", "::1", "[::1]", "tutor.localhost"]
)
def test_no_warning_when_only_this_computer_can_connect(host, capsys):
    from tutor.serve import host_warning, warn_about_host

    assert host_warning(host) is None
    assert warn_about_host(host) is False
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.20", "10.0.0.1", "class.example"])
def test_a_warning_on_stderr_when_other_computers_can_connect(host, capsys):
    from tutor.serve import warn_about_host

    assert warn_about_host(host) is True
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("nn-tutor: warning: serving on ")
    assert "runs on this computer with the server's permissions" in err
    assert "within the run limits" in err
    assert err.count("\n") == 1


def test_serve_warns_then_serves_this_tutor(monkeypatch, capsys, tmp_path):
    """main() on another address: the warning first, then the server, with the lesson resolved
    and --lessons-dir passed on (the server itself is replaced: nothing listens)."""
    import tutor.serve
    from tutor.cli import main

    calls = []
    monkeypatch.setattr(tutor.serve, "serve", lambda *a, **kw: calls.append((a, kw)) or 0)
    assert main(["serve", "01", "--host", "0.0.0.0", "--port", "9002"]) == 0
    assert "server's permissions" in capsys.readouterr().err
    [(args, kwargs)] = calls
    assert args == (REPO / "lessons", REPO / "lessons" / "01-one-neuron")
    assert kwargs == {"host": "0.0.0.0", "port": 9002, "predict": True}

    calls.clear()
    assert main(["serve"]) == 0
    assert capsys.readouterr().err == ""  # 127.0.0.1: no warning
    assert calls[0][0][1] is None and calls[0][1]["host"] == "127.0.0.1"


# -- help and version ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "options"),
    [
        ((), ["--lessons-dir", "--version", "list", "check", "trace", "serve"]),
        (("list",), ["--json", "--lessons-dir"]),
        (("check",), ["--time-limit", "--lessons-dir", "LESSON_OR_PATH"]),
        (("trace",), ["--json", "--limit", "--time-limit", "--lessons-dir", "LESSON"]),
        (("serve",), ["--host", "--port", "--lessons-dir", "--no-predict", "LESSON", "127.0.0.1"]),
    ],
    ids=["main", "list", "check", "trace", "serve"],
)
def test_help(args, options):
    result = run(*args, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: nn-tutor {' '.join(args)}".rstrip())
    for option in options:
        assert option in result.stdout, option


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"nn-tutor {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


@pytest.mark.parametrize("value", ["0", "-1", "inf", "soon"])
def test_time_limit_must_be_positive_and_finite(value):
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "trace", "01", "--time-limit", value],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--time-limit" in result.stderr


def test_trace_json_writes_the_state_once_then_only_what_changed():
    result = run("trace", "01", "--json")
    events = [json.loads(row) for row in lines_of(result.stdout)]
    for event in events:
        assert set(event["values"]) == set(event["changed"]) or event["index"] == 1
    # Folding the changes gives the state at every event, e.g. w after the last update.
    state: dict = {}
    for event in events:
        state.update(event["values"])
    assert state["w"] == pytest.approx(2 - 1.5 * 0.8**20)
    assert len(result.stdout) < 40_000  # (every value at every event was ~4x this)


def test_trace_filters_iterations_and_names():
    result = run("trace", "01", "--json", "--iteration", "3-4", "--names", "w,loss")
    assert result.returncode == 0, result.stderr
    events = [json.loads(row) for row in lines_of(result.stdout)]
    assert {e["iteration"] for e in events} == {3, 4}
    assert set(events[0]["values"]) == {"w", "loss"}  # the state where the filter starts
    assert all(set(e["values"]) <= {"w", "loss"} for e in events)
    assert [e["values"]["loss"] for e in events if "loss" in e["changed"]] == pytest.approx(
        [(0.5 + 0.3 + 0.24 - 2) ** 2, (0.5 + 0.3 + 0.24 + 0.192 - 2) ** 2]
    )
    bad = run("trace", "01", "--iteration", "5-3")
    assert bad.returncode == 2 and "N <= M" in bad.stderr


def test_ctrl_c_during_a_stuck_run_ends_with_a_message_not_a_traceback(tmp_path):
    import signal

    lesson = tmp_path / "stuck"
    lesson.mkdir()
    shutil.copy(REPO / "lessons" / "01-one-neuron" / "lesson.md", lesson / "lesson.md")
    (lesson / "lesson.py").write_text('import re\nx = 1.0\nre.match("(a*)*b", "a" * 40)\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor", "trace", str(lesson)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    for _ in range(400):  # until the worker is up (nothing is printed before the run ends)
        if any(p.isdigit() and _parent_is(int(p), proc.pid) for p in os.listdir("/proc")):
            break
        time.sleep(0.02)
    time.sleep(0.5)  # (the run under way: a stuck C call)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err


def _parent_is(pid: int, parent: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1]) == parent
    except OSError:
        return False
