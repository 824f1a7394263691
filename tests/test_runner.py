"""The recording runner: lesson 01's timeline, and every fault ending in a clear message."""

from __future__ import annotations

import math
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tutor.core.lesson.load import load_lesson
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner
from tutor.core.run.timeline import MISSING

from .conftest import LESSON_01


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=2.0)) as r:
        yield r


def run_source(runner: Runner, tmp_path: Path, source: str, iteration: str | None = None, **limits):
    path = tmp_path / "lesson.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return runner.run(path, iteration=iteration, limits=Limits(**limits) if limits else None)


@pytest.fixture(scope="module")
def lesson01(runner):
    lesson = load_lesson(LESSON_01)
    return lesson, runner.run(lesson.py_path, lesson.source, lesson.iteration)


def test_lesson01_runs_cleanly(lesson01):
    lesson, result = lesson01
    assert result.ok
    assert result.timeline.iterations == 20
    assert "w = 1.9827 after 20 iterations" in result.timeline.output_text()


def test_lesson01_first_update_matches_hand_computation(lesson01):
    lesson, result = lesson01
    t = result.timeline
    update = next(i for i in range(len(t)) if t.step(i) == "update")
    # By hand: y_hat = 0.5 * 1, dL/dw = 2 * (0.5 - 2) * 1 = -3, w = 0.5 - 0.1 * -3 = 0.8
    assert t.iteration(update) == 1
    assert t.value("w", update) == pytest.approx(0.8)
    assert t.value("w", update - 1) == 0.5  # before the update line ran
    assert t.value("dL_dw", update) == pytest.approx(-3.0)
    assert t.changed(update) == ["w"]


def test_lesson01_weight_approaches_two(lesson01):
    _, result = lesson01
    t = result.timeline
    updates = [i for i in range(len(t)) if t.step(i) == "update"]
    assert len(updates) == 20
    weights = [t.value("w", i) for i in updates]
    assert all(a < b for a, b in zip(weights, weights[1:], strict=False))
    # Each update closes 20 % of the gap to 2 (x = 1, lr = 0.1).
    assert weights[-1] == pytest.approx(2 - 1.5 * 0.8**20)


def test_lesson01_events_carry_line_step_and_iteration(lesson01):
    lesson, result = lesson01
    t = result.timeline
    assert t.line(0) == 3 and t.step(0) is None and t.iteration(0) is None  # x = 1.0
    assert t.step(1) == "target"
    header = next(i for i in range(len(t)) if t.line(i) == 9)
    assert t.iteration(header) == 1 and t.value("iteration", header) == 1
    span = t.iteration_span(3)
    assert [t.step(i) for i in span] == [
        None,
        "predict",
        "loss",
        "measure",
        "measure",
        "slope-loss",
        "slope-predict",
        "gradient",
        "update",
    ]
    # The header that finds the loop exhausted, and the print after it, are outside the loop.
    assert t.iteration(len(t) - 1) is None and t.iteration(len(t) - 2) is None
    assert t.line(len(t) - 1) == 19
    assert t.value("x", -1) is MISSING


def test_values_are_after_the_line_and_arrays_are_copies(runner, tmp_path):
    result = run_source(
        runner,
        tmp_path,
        """\
        import numpy as np
        w = np.zeros(2)
        w += 1
        w[0] = 5
        data = [(1.0, 2.0)]
        data.append((2.0, 4.0))
        """,
    )
    t = result.timeline
    assert result.ok
    assert t.value("w", 1).tolist() == [0.0, 0.0]
    assert t.value("w", 2).tolist() == [1.0, 1.0]
    assert t.value("w", 3).tolist() == [5.0, 1.0]
    assert t.value("data", 4) == [(1.0, 2.0)]
    assert t.value("data", 5) == [(1.0, 2.0), (2.0, 4.0)]
    assert "np" not in t.names


def test_function_lines_complete_before_their_caller(runner, tmp_path):
    result = run_source(
        runner,
        tmp_path,
        """\
        def double(z):
            s = 2 * z
            return s
        a = double(3.0)
        """,
    )
    t = result.timeline
    assert [t.line(i) for i in range(len(t))] == [1, 2, 3, 4]
    assert t.changed(1) == ["z", "s"]  # parameters are recorded with the first line
    assert t.value("a", 2) is MISSING and t.value("a", 3) == 6.0


def test_multiline_statement_is_one_event(runner, tmp_path):
    result = run_source(runner, tmp_path, "a = 1\nb = (a +\n     2)\nc = b\n")
    t = result.timeline
    assert [t.line(i) for i in range(len(t))] == [1, 2, 4]
    assert t.value("b", 1) == 3


def test_syntax_error_names_line_and_column(runner, tmp_path):
    result = run_source(runner, tmp_path, "x = 1\ny = (x +\n")
    assert result.error.kind == "syntax"
    assert result.error.line == 2 and result.error.column == 5
    assert "never closed" in result.error.message


def test_exception_keeps_events_before_it(runner, tmp_path):
    result = run_source(runner, tmp_path, "x = 1.0\ny = 2.0\nz = x / 0\nw = 3\n")
    assert result.error.kind == "exception"
    assert result.error.line == 3
    assert result.error.message.startswith("ZeroDivisionError")
    assert len(result.timeline) == 2 and result.timeline.value("y", 1) == 2.0


def test_exception_inside_a_function_points_at_the_innermost_line(runner, tmp_path):
    result = run_source(runner, tmp_path, "def f(a):\n    return a[5]\nx = 1\nf([1])\n")
    assert result.error.line == 2 and "IndexError" in result.error.message


def test_endless_loop_stops_at_the_time_limit(runner, tmp_path):
    result = run_source(runner, tmp_path, "x = 0\nwhile True:\n    x += 1\n", time=0.5)
    assert result.error.kind == "timeout"  # (the stop itself, not how long it took)
    assert "time limit" in result.error.message
    assert result.error.line in (2, 3)
    assert len(result.timeline) > 1000  # the events before the stop are kept


def test_swallowed_timeout_still_stops(runner, tmp_path):
    source = "while True:\n    try:\n        x = 1\n    except BaseException:\n        pass\n"
    result = run_source(runner, tmp_path, source, time=0.5)
    # The alarm repeats, so a bare except cannot hold the run forever: the run stops itself
    # (the outside kill, the backstop, would say the code did not respond and keep no events).
    assert result.error.kind == "timeout"
    assert "did not respond" not in result.error.message and len(result.timeline) > 0


def test_blocking_call_stops_at_the_time_limit(runner, tmp_path):
    result = run_source(runner, tmp_path, "import time\nx = 1\ntime.sleep(60)\n", time=0.5)
    assert result.error.kind == "timeout" and result.error.line == 3
    assert result.timeline.value("x", 1) == 1


def test_runaway_memory_stops_at_the_memory_limit(runner, tmp_path):
    source = "chunks = []\nwhile True:\n    chunks.append(bytearray(10_000_000))\n"
    result = run_source(runner, tmp_path, source, memory=200 << 20, time=10.0)
    assert result.error.kind == "memory"
    assert "memory limit" in result.error.message and "200 MiB" in result.error.message
    assert result.error.line == 3


def test_sys_exit(runner, tmp_path):
    ok = run_source(runner, tmp_path, "import sys\nx = 1\nsys.exit(0)\ny = 2\n")
    assert ok.ok and len(ok.timeline) == 2
    bad = run_source(runner, tmp_path, "import sys\nx = 1\nsys.exit(3)\n")
    assert bad.error.kind == "exit" and bad.error.line == 3 and "sys.exit(3)" in bad.error.message


def test_hard_exit_is_reported(runner, tmp_path):
    result = run_source(runner, tmp_path, "import os\nx = 1\nos._exit(4)\n")
    assert result.error.kind == "crash" and "status 4" in result.error.message
    after = run_source(runner, tmp_path, "x = 1\n")  # the runner still works afterwards
    assert after.ok


def test_deep_recursion(runner, tmp_path):
    result = run_source(runner, tmp_path, "def f(n):\n    return f(n + 1)\nx = f(0)\n")
    assert result.error.kind == "exception" and "RecursionError" in result.error.message
    assert result.error.line == 2


def test_huge_output_is_capped(runner, tmp_path):
    source = "for i in range(100000):\n    print('x' * 100)\n"
    result = run_source(runner, tmp_path, source, max_output=10_000)
    assert result.ok
    assert len(result.timeline.output_text()) == 10_000
    assert result.timeline.output_dropped == 100000 * 101 - 10_000


def test_nan_and_inf_are_values(runner, tmp_path):
    result = run_source(runner, tmp_path, "w = 1e308\nw = w * 10\nv = w - w\n")
    t = result.timeline
    assert result.ok
    assert math.isinf(t.value("w", 1)) and math.isnan(t.value("v", 2))


def test_input_gets_end_of_file_instead_of_blocking(runner, tmp_path):
    result = run_source(runner, tmp_path, "x = input()\n", time=5.0)
    assert result.error.kind == "exception" and "EOFError" in result.error.message


def test_capacity_keeps_first_events_summaries_and_the_last_iteration(runner, tmp_path):
    source = """\
    w = 0.0
    for iteration in range(1, 1001):
        a = w + 1
        w = a * 0.5
    done = w
    """
    full = run_source(runner, tmp_path, source, iteration="iteration").timeline
    small = run_source(runner, tmp_path, source, iteration="iteration", max_events=200).timeline
    assert len(full) == 1 + 3 * 1000 + 1 + 1 and not full.truncated
    assert small.truncated and small.events_seen == len(full)
    assert small.run_iterations == full.iterations == 1000
    # The first 200 events are kept in full ...
    assert [small.line(i) for i in range(200)] == [full.line(i) for i in range(200)]
    # ... each later iteration is one summary event holding that iteration's final values,
    # and past every max_events // 40 summaries, one summary stands for twice as many
    # iterations: the timeline stays bounded (here 5 per level: 1, 2, 4, 8… iterations).
    assert small.iterations < 200 and len(small.summaries) < 80
    numbers = [small.number(k) for k in range(1, small.iterations + 1)]
    assert numbers[0] == 1 and numbers[-1] == 1000 and numbers == sorted(set(numbers))
    for summary in small.summaries:
        k = small.iteration(summary)
        assert small.is_summary(summary) and k is not None
        last = small.numbers_of(k)[-1]  # the last iteration it stands for: its values
        assert small.value("w", summary) == full.value("w", full.iteration_span(last)[-1])
        assert small.value("iteration", summary) == last
    widths = [len(small.numbers_of(small.iteration(s))) for s in small.summaries]
    assert widths[:5] == [1] * 5 and widths[5:10] == [2] * 5 and max(widths) >= 16
    # ... and the last iteration and what follows the loop are kept event by event.
    tail = 3 + 1 + 1
    assert [small.line(i) for i in range(len(small) - tail, len(small))] == [
        full.line(i) for i in range(len(full) - tail, len(full))
    ]
    assert small.value("done", len(small) - 1) == full.value("done", len(full) - 1)


def test_loop_over_repeated_values_counts_every_iteration(runner, tmp_path):
    source = """\
    total = 0
    for iteration in [5, 5, 5]:
        total = total + iteration
    done = total
    """
    t = run_source(runner, tmp_path, source, iteration="iteration").timeline
    assert t.iterations == 3
    headers = [i for i in range(len(t)) if t.line(i) == 2]
    # Three headers bind the variable; the fourth finds the list exhausted and binds nothing.
    assert [t.changed(i) for i in headers] == [["iteration"]] * 3 + [[]]
    assert t.iteration(len(t) - 1) is None


def test_output_is_tagged_with_its_event_even_past_capacity(runner, tmp_path):
    source = """\
    for iteration in range(1, 101):
        a = iteration * 2
        print(a)
    """
    t = run_source(runner, tmp_path, source, iteration="iteration", max_events=60).timeline
    assert t.truncated
    for i in range(len(t)):
        k = t.iteration(i)
        if t.is_summary(i):  # (what every iteration it stands for printed)
            assert t.printed(i) == "".join(f"{2 * j}\n" for j in t.numbers_of(k))
        elif t.line(i) == 3:
            assert t.printed(i) == f"{2 * t.number(k)}\n"
        else:
            assert t.printed(i) == ""
    assert t.output_text() == "".join(f"{2 * k}\n" for k in range(1, 101))


def test_time_limit_never_leaves_a_half_written_event(runner, tmp_path):
    source = "a = 0.0\nb = 1.0\nwhile True:\n    a = a + b\n    b = a - b\n"
    for _ in range(4):
        result = run_source(runner, tmp_path, source, time=0.2)
        assert result.error.kind == "timeout"
        for column in result.timeline.columns.values():
            assert len(column.events) == len(column.values)


def _run_in_thread(runner: Runner, path: Path, limits: Limits) -> tuple[threading.Thread, list]:
    results: list = []
    thread = threading.Thread(target=lambda: results.append(runner.run(path, limits=limits)))
    thread.start()
    return thread, results


def test_cancel_stops_an_endless_run_and_keeps_the_worker_warm(tmp_path):
    path = tmp_path / "lesson.py"
    marker = tmp_path / "started"
    path.write_text(f"open({str(marker)!r}, 'w').close()\nwhile True:\n    pass\n")
    with Runner() as runner:
        assert runner.cancel() is False  # nothing is running
        runner.start()
        worker = runner._process.pid
        # A 60 s limit: only the cancel can end this run with "cancelled".
        thread, results = _run_in_thread(runner, path, Limits(time=60.0))
        for _ in range(2000):
            if marker.exists():
                break
            time.sleep(0.01)
        assert marker.exists(), "the run never started"
        assert runner.cancel() is True
        thread.join()
        assert results[0].error.kind == "cancelled"
        assert not results[0].timeline.lines
        assert runner._process.pid == worker  # the child was killed, not the worker
        again = run_source(runner, tmp_path, "x = 1\n")
        assert again.ok and again.timeline.value("x", 0) == 1
        assert runner._process.pid == worker


def test_cancel_right_after_the_request_still_stops_the_run(tmp_path):
    path = tmp_path / "lesson.py"
    path.write_text("while True:\n    pass\n")
    with Runner() as runner:
        thread, results = _run_in_thread(runner, path, Limits(time=60.0))
        for _ in range(2000):
            if runner.cancel():  # as soon as the run is in flight (maybe not yet forked)
                break
            time.sleep(0.001)
        thread.join()
        assert results[0].error.kind == "cancelled"
        assert run_source(runner, tmp_path, "y = 2\n").ok
