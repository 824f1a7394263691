"""The instrumented recorder (probes compiled into the lesson) records what the line tracer
recorded: every bundled lesson and a snippet for each construct give identical timelines
(lines, every column's events and values, iterations, summaries, output, errors).

``record(method="trace")`` is the tracer, kept as the reference. Where the probes differ on
purpose (the tracer followed quirks of CPython's line events, not the code), the expected
events are written out by hand below, with the reason.
"""

from __future__ import annotations

import itertools
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from tests.instrument_snippets import DIFFERENT, SAME
from tutor.core.lesson.collection import default_lessons_dir
from tutor.core.lesson.load import load_lesson
from tutor.core.run.recorder import record
from tutor.core.run.result import Limits


def canon(value):
    """A recorded value in a form ``==`` compares exactly (NaN equal to NaN, arrays by bytes)."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, list | tuple):
        return (type(value).__name__, [canon(v) for v in value])
    return (type(value).__name__, repr(value))


def timeline(source: str, method: str, tmp_path: Path, iteration=None, **limits):
    path = tmp_path / "lesson.py"
    path.write_text(source, encoding="utf-8")
    result = record(source, path, iteration, Limits(time=20.0, **limits), method=method)
    t = result.timeline
    error = result.error and (result.error.kind, result.error.message, result.error.line)
    return {
        "lines": list(t.lines),
        "columns": {
            name: (list(c.events), [canon(v) for v in c.values]) for name, c in t.columns.items()
        },
        "iterations": (list(t.iteration_starts), list(t.iteration_ends)),
        "summaries": list(t.summaries),
        "output": t.output,
        "output_dropped": t.output_dropped,
        "events_seen": t.events_seen,
        "error": error,
    }


@pytest.fixture
def fake_clock(monkeypatch):
    """time.perf_counter ticking 1 ms a call: lesson timings come out the same in both runs."""

    def reset():
        ticks = itertools.count()
        monkeypatch.setattr(time, "perf_counter", lambda: next(ticks) / 1000)

    return reset


LESSONS = sorted(f for f in default_lessons_dir().iterdir() if (f / "lesson.py").exists())


@pytest.mark.parametrize("folder", LESSONS, ids=[f.name for f in LESSONS])
def test_every_lesson_records_the_same_timeline_as_the_tracer(folder, tmp_path, fake_clock):
    lesson = load_lesson(folder)
    runs = []
    for method in ("trace", "instrument"):
        fake_clock()
        runs.append(timeline(lesson.source, method, tmp_path, lesson.iteration))
    traced, probed = runs
    assert traced["error"] is None and len(traced["lines"]) > 100
    assert probed == traced


@pytest.mark.parametrize("name", list(SAME))
def test_each_construct_records_the_same_events_as_the_tracer(name, tmp_path):
    source, options = SAME[name]
    source = textwrap.dedent(source)
    traced = timeline(source, "trace", tmp_path, **options)
    assert traced["lines"], "the snippet records something"
    assert timeline(source, "instrument", tmp_path, **options) == traced


@pytest.mark.parametrize("name", list(DIFFERENT))
def test_where_the_probes_differ_from_the_tracer_on_purpose(name, tmp_path):
    source, traced_lines, probed_lines, why = DIFFERENT[name]
    source = textwrap.dedent(source)
    assert why
    assert timeline(source, "trace", tmp_path)["lines"] == traced_lines
    assert timeline(source, "instrument", tmp_path)["lines"] == probed_lines


def test_should_the_rewrite_fail_the_run_is_traced_instead(tmp_path, monkeypatch):
    from tutor.core.run import probes

    def broken(*args):
        raise RuntimeError("a construct the rewrite does not know")

    monkeypatch.setattr(probes, "instrument", broken)
    with pytest.raises(RuntimeError):
        timeline("a = 1\nb = a + 1\n", "instrument", tmp_path)
    assert timeline("a = 1\nb = a + 1\n", "auto", tmp_path)["lines"] == [1, 2]
