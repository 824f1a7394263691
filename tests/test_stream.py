"""The timeline streams in chunks: joined, they equal the whole run built at once.

The run child sends the events recorded so far while the lesson runs; the learner steps
on them. Whatever the cut points, the chunks joined must give exactly the timeline of a
build of the whole run: the same events, values, iterations, summaries and output.
"""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import numpy as np
import pytest

from tutor.core.lesson.load import load_lesson
from tutor.core.run import recorder as recorder_module
from tutor.core.run.chunk import Chunk, copy, extend
from tutor.core.run.recorder import record
from tutor.core.run.result import Limits
from tutor.core.run.runner import Runner
from tutor.core.run.stream import Streamer
from tutor.core.run.timeline import Column, Timeline

from .conftest import LESSONS


def iteration_of(folder: Path) -> str | None:
    return load_lesson(folder).iteration


LESSON_DIRS = sorted(p for p in LESSONS.iterdir() if (p / "lesson.py").exists())


def same_value(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b, equal_nan=True))
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    return type(a) is type(b) and a == b


# Lessons 12 and 13 time their code: those numbers differ from run to run.
TIMED = {"seconds_neurons", "seconds_matrices", "seconds_loop", "seconds_batch"}
TIMED.add("speedup")


def assert_same(got: Timeline, want: Timeline) -> None:
    assert list(got.lines) == list(want.lines)
    assert list(got.columns) == list(want.columns)
    for name, column in want.columns.items():
        other = got.columns[name]
        assert list(other.events) == list(column.events), name
        assert len(other.values) == len(column.values), name
        if name not in TIMED:
            pairs = zip(other.values, column.values, strict=True)
            assert all(same_value(a, b) for a, b in pairs), name
    assert list(got.iteration_starts) == list(want.iteration_starts)
    assert list(got.iteration_ends) == list(want.iteration_ends)
    assert [got.number(k) for k in range(1, got.iterations + 1)] == [
        want.number(k) for k in range(1, want.iterations + 1)
    ]
    assert list(got.summaries) == list(want.summaries)
    assert [e for e, _ in got.output] == [e for e, _ in want.output]
    if not TIMED & set(want.columns):
        assert got.output == want.output
    assert got.anchors == want.anchors
    assert got.events_seen == want.events_seen
    assert got.output_dropped == want.output_dropped


def record_cut(source: str, path: Path, iteration, cuts, limits=None, monkeypatch=None):
    """Record once, sending chunks at the given event numbers before the last one."""
    chunks: list[Chunk] = []

    class Cutting(Streamer):
        def chunk(self, upto, final=False):
            if final:
                for cut in cuts:
                    if self.sent < cut < upto and (c := super().chunk(cut)) is not None:
                        chunks.append(c)
            return super().chunk(upto, final)

    monkeypatch.setattr(recorder_module, "Streamer", Cutting)
    monkeypatch.setattr(recorder_module, "FLUSH_FIRST", 1e6)  # only the cuts given here
    result = record(source, path, iteration, limits, send=chunks.append)
    monkeypatch.undo()
    joined = Timeline()
    for chunk in chunks:
        extend(joined, chunk)
    return result, joined, chunks


@pytest.mark.parametrize("folder", LESSON_DIRS, ids=lambda p: p.name)
def test_every_lesson_streamed_at_random_cuts_equals_the_whole(folder, monkeypatch):
    path = (folder / "lesson.py").resolve()
    source = path.read_text()
    iteration = iteration_of(folder)
    whole = record(source, path, iteration)
    n = len(whole.timeline)
    rng = random.Random(folder.name)
    cuts = sorted({1, 2, 3, *(rng.randrange(1, n) for _ in range(25))})
    result, joined, chunks = record_cut(source, path, iteration, cuts, monkeypatch=monkeypatch)
    assert len(chunks) > 10  # it was really cut
    assert len(result.timeline) == 0  # (sent as chunks, the result holds no events)
    assert_same(joined, whole.timeline)


@pytest.mark.parametrize("every", [1, 2, 5, 7, 50])
def test_past_capacity_the_chunks_still_equal_the_whole(every, monkeypatch):
    """Summaries, folded iterations, the last iteration in full, output renumbered."""
    source = (
        "w = 0.0\n"
        "for iteration in range(40):\n"
        "    w = w + 1\n"
        "    if iteration % 3 == 0:\n"
        "        print('at', iteration)\n"
        "    x = [w, w]\n"
        "done = w\n"
    )
    path = Path("/tmp/nn-tutor-stream-capacity/lesson.py")
    limits = Limits(max_events=30)
    whole = record(source, path, "iteration", limits)
    assert whole.timeline.summaries  # past capacity
    assert whole.timeline.iteration_numbers  # (summaries standing for several iterations)
    cuts = range(1, len(whole.timeline) + 5, every)
    _, joined, _ = record_cut(source, path, "iteration", cuts, limits, monkeypatch)
    assert_same(joined, whole.timeline)


@pytest.mark.parametrize("every", [1, 3, 8])
@pytest.mark.parametrize("capacity", [None, 25])
def test_a_variable_of_floats_and_other_values_joins_in_event_order(every, capacity, monkeypatch):
    """Floats and other values of one variable are stored apart while recording: every cut
    of the chunks merges them back in the order they were set."""
    source = (
        "import numpy as np\n"
        "w = 0\n"
        "for iteration in range(12):\n"
        "    w = w + 0.25\n"
        "    if iteration % 4 == 1:\n"
        "        w = np.array([w])\n"
        "        w = float(w[0]) if iteration > 5 else None\n"
        "        w = 1.0 if w is None else w\n"
        "done = w\n"
    )
    path = Path("/tmp/nn-tutor-stream-mixed/lesson.py")
    limits = Limits(max_events=capacity) if capacity else Limits()
    whole = record(source, path, "iteration", limits)
    kinds = {type(v).__name__ for v in whole.timeline.columns["w"].values}
    assert kinds == {"int", "float", "ndarray", "NoneType"}
    cuts = range(1, len(whole.timeline) + 5, every)
    _, joined, _ = record_cut(source, path, "iteration", cuts, limits, monkeypatch)
    assert_same(joined, whole.timeline)


def test_a_header_not_yet_decided_is_held_back(monkeypatch):
    """A cut just after a loop's header: is it a new round or the loop's end? The chunk
    stops before it, and the iteration still running has a provisional end."""
    source = "for i in range(3):\n    a = i\nb = 1\n"
    path = Path("/tmp/nn-tutor-stream-hold/lesson.py")
    whole = record(source, path, "i").timeline
    # events: for, a, for, a, for, a, for(exhausted), b
    assert list(whole.lines) == [1, 2, 1, 2, 1, 2, 1, 3]
    _, joined, chunks = record_cut(source, path, "i", [1, 3, 7], monkeypatch=monkeypatch)
    assert [c.start for c in chunks][:2] == [0, 0] or chunks[0].start == 0
    first = chunks[0]
    assert len(first.lines) == 0 or first.lines[-1] != 1  # never ends on an undecided header
    assert_same(joined, whole)


def test_a_malformed_chunk_is_refused_whole():
    t = Timeline()
    good = Chunk(0, array("I", [1, 2]), {"a": Column(array("I", [0, 1]), array("d", [1, 2]))})
    extend(t, good)
    for bad in (
        Chunk(5, array("I", [1])),  # does not follow
        Chunk(2, array("I", [1]), {"a": Column(array("I", [9]), [1.0])}),  # outside the chunk
        Chunk(2, array("I", [1]), {"a": Column(array("I", [2, 2]), [1.0])}),  # lengths differ
        Chunk(2, array("I", [1]), iteration_starts=array("I", [2]), iteration_ends=array("I", [])),
        Chunk(2, array("I", [1]), output=[("x", 1)]),  # type: ignore[list-item]
        Chunk(2, array("i", [1])),  # not event numbers
    ):
        before = copy(t)
        with pytest.raises(ValueError):
            extend(t, bad)
        assert_same(t, before)


def test_mixed_kinds_across_chunks_join_as_a_list():
    t = Timeline()
    extend(t, Chunk(0, array("I", [1]), {"a": Column(array("I", [0]), array("d", [1.5]))}))
    extend(t, Chunk(1, array("I", [1]), {"a": Column(array("I", [1]), ["text"])}))
    assert list(t.columns["a"].values) == [1.5, "text"]
    assert t.value("a", 1) == "text"


def test_the_real_thread_streams_while_the_lesson_runs(monkeypatch, tmp_path):
    """With chunks every millisecond, on a lesson that runs a while: many chunks, and
    together they are exactly the whole run."""
    monkeypatch.setattr(recorder_module, "FLUSH_FIRST", 0.001)
    monkeypatch.setattr(recorder_module, "FLUSH_EVERY", 0.001)
    folder = LESSONS / "07-any-shape"
    path = (folder / "lesson.py").resolve()
    source = path.read_text()
    whole = record(source, path, iteration_of(folder))
    chunks: list[Chunk] = []
    record(source, path, iteration_of(folder), send=chunks.append)
    joined = Timeline()
    for chunk in chunks:
        extend(joined, chunk)
    assert len(chunks) >= 3
    assert_same(joined, whole.timeline)


def test_the_runner_hands_over_chunks_before_the_run_ends(tmp_path):
    """Through the worker: the first chunk arrives while the lesson still runs (the lesson
    waits for a file that the chunk callback writes)."""
    flag = tmp_path / "seen"
    (tmp_path / "lesson.py").write_text(
        "import os, time\n"
        "w = 0.0\n"
        "for iteration in range(100):\n"
        "    w = w + 1\n"
        f"while not os.path.exists({str(flag)!r}):\n"
        "    time.sleep(0.01)\n"
        "done = True\n"
    )
    seen: list[int] = []

    def on_chunk(timeline, chunk):
        if chunk is not None:  # (None: the runner's idle call while nothing comes)
            seen.append(len(timeline))
            flag.touch()

    with Runner() as runner:
        result = runner.run(tmp_path / "lesson.py", iteration="iteration", on_chunk=on_chunk)
    assert result.error is None, result.error
    assert seen and seen[0] >= 200  # the loop's events came before the lesson could end
    assert result.timeline.value("done", len(result.timeline) - 1) is True
    assert result.timeline.iterations == 100


def test_a_run_killed_mid_way_keeps_the_events_streamed(tmp_path):
    (tmp_path / "lesson.py").write_text(
        "import os, time\n"
        "w = 0.0\n"
        "for iteration in range(50):\n"
        "    w = w + 1\n"
        "time.sleep(0.5)\n"
        "os._exit(3)\n"
    )
    with Runner() as runner:
        result = runner.run(tmp_path / "lesson.py", iteration="iteration")
    assert result.error is not None and "exited with status 3" in result.error.message
    assert result.timeline.iterations == 50  # streamed before the exit
    assert result.timeline.value("w", len(result.timeline) - 1) == 50.0


def test_a_chunk_callback_that_fails_stops_the_run_and_the_next_run_is_its_own(tmp_path):
    """The callback's error reaches the caller, and the run it interrupted does not go on in
    the worker: the next run reads its own replies, not the old run's chunks."""
    (tmp_path / "slow.py").write_text(
        "import time\nw = 0.0\nfor iteration in range(100):\n    w = w + 1\ntime.sleep(30)\n"
    )
    (tmp_path / "quick.py").write_text("v = 7\n")

    def fails(timeline, chunk):
        if chunk is not None:
            raise RuntimeError("the screen went away")

    with Runner(Limits(time=60.0)) as runner:
        with pytest.raises(RuntimeError, match="the screen went away"):
            runner.run(tmp_path / "slow.py", iteration="iteration", on_chunk=fails)
        result = runner.run(tmp_path / "quick.py")
    assert result.error is None, result.error
    assert len(result.timeline) == 1 and result.timeline.value("v", 0) == 7
