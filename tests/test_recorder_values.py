"""Any value of any type is recorded or summarised, never fatal: the run keeps every event."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.core.numbers import format_value
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner
from tutor.core.run.timeline import ArraySummary, Opaque


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(time=5.0)) as r:
        yield r


def run(runner: Runner, tmp_path: Path, source: str):
    path = tmp_path / "lesson.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    result = runner.run(path)
    assert result.error is None, result.error
    return result.timeline


def last(t, name):
    return t.value(name, len(t) - 1)


def test_a_big_array_recorded_twice_is_summarised_both_times(runner, tmp_path):
    t = run(
        runner,
        tmp_path,
        """
        import numpy as np
        a = np.zeros(20_000)
        a = np.zeros(20_000)
        b = a.sum()
        """,
    )
    assert len(t) == 4 and isinstance(last(t, "a"), ArraySummary)
    assert last(t, "a").shape == (20_000,) and last(t, "b") == 0.0


def test_a_list_that_contains_itself_is_summarised(runner, tmp_path):
    t = run(runner, tmp_path, "a = [1, 2]\na.append(a)\nn = len(a)\n")
    assert len(t) == 3 and last(t, "n") == 3
    assert isinstance(last(t, "a"), Opaque)


def test_a_list_nested_3000_deep_is_summarised(runner, tmp_path):
    t = run(
        runner,
        tmp_path,
        """
        deep = []
        for _ in range(3000):
            deep = [deep]
        done = True
        """,
    )
    assert last(t, "done") is True
    assert isinstance(last(t, "deep"), Opaque)


def test_a_huge_integer_is_summarised_and_shown(runner, tmp_path):
    t = run(runner, tmp_path, "big = 10**5000\nsmall = big % 7\n")
    assert len(t) == 2 and last(t, "small") == 10**5000 % 7
    summary = last(t, "big")
    assert isinstance(summary, Opaque) and "5001 digits" in str(summary)
    assert "5001 digits" in format_value(summary)


def test_objects_whose_repr_or_eq_raise_are_still_recorded(runner, tmp_path):
    t = run(
        runner,
        tmp_path,
        """
        class Nasty:
            def __eq__(self, other):
                raise RuntimeError("no")
            def __repr__(self):
                raise RuntimeError("no")
            __hash__ = None
        x = Nasty()
        x = Nasty()
        y = 1
        """,
    )
    assert last(t, "y") == 1 and isinstance(last(t, "x"), Opaque)


def test_turning_tracing_off_changes_nothing_the_timeline_is_complete(runner, tmp_path):
    # The recorder compiles probes into the lesson instead of tracing it: sys.settrace(None)
    # has nothing to turn off.
    path = tmp_path / "lesson.py"
    path.write_text("import sys\na = 1\nsys.settrace(None)\nb = 2\nc = 3\n", encoding="utf-8")
    result = runner.run(path)
    assert result.error is None
    assert list(result.timeline.lines) == [1, 2, 3, 4, 5]
    assert result.timeline.value("b", 4) == 2 and result.timeline.value("c", 4) == 3


def test_output_written_to_the_file_descriptors_counts_against_the_output_limit(tmp_path):
    path = tmp_path / "lesson.py"
    path.write_text(
        "import os\nos.write(1, b'to fd 1\\n')\nos.write(2, b'to fd 2\\n')\n"
        "for _ in range(2000):\n    os.write(2, b'x' * 10_000)\ndone = True\n",
        encoding="utf-8",
    )
    with Runner(Limits(time=5.0, max_output=50_000)) as runner:
        result = runner.run(path)
    t = result.timeline
    assert result.error is None and t.value("done", len(t) - 1) is True
    text = t.output_text()
    assert "to fd 1" in text and "to fd 2" in text
    assert len(text) <= 50_000 and t.output_dropped >= 20_000_000 - 50_000


def test_the_decision_boundary_evaluation_has_the_memory_limit_too(runner, tmp_path):
    source = (
        "import numpy as np\n"
        "def classify(x1, x2):\n"
        "    hog = np.ones(200_000_000)  # 1.6 GB\n"
        "    return float(hog[0]) / 2\n"
    )
    path = tmp_path / "lesson.py"
    path.write_text(source, encoding="utf-8")
    grid = runner.evaluate(path, source, "classify", {}, (0, 1), (0, 1), columns=4, rows=4)
    assert isinstance(grid, str) and "memory limit" in grid


def test_a_big_array_under_the_memory_limit_is_summarised_without_a_copy(runner, tmp_path):
    """640 MB of lesson data: under the 1 GiB limit, as long as the recorder copies nothing."""
    t = run(
        runner,
        tmp_path,
        """
        import numpy as np
        big = np.full(80_000_000, 0.5)
        big[3] = np.nan
        big[7] = -2.0
        done = True
        """,
    )
    summary = last(t, "big")
    assert isinstance(summary, ArraySummary) and summary.shape == (80_000_000,)
    assert (summary.min, summary.max) == (-2.0, 0.5) and last(t, "done") is True
