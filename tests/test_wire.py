"""No message between the tutor's processes is a pickle: data only, checked when read."""

from __future__ import annotations

import math
import pickle
import textwrap
from array import array
from pathlib import Path

import numpy as np
import pytest

from tutor.core.lesson.load import load_lesson
from tutor.core.lesson.problems import Problem
from tutor.core.run import wire
from tutor.core.run.result import Limits, RunError, RunResult
from tutor.core.run.runner import Runner
from tutor.core.run.timeline import MISSING, ArraySummary, Opaque

from .conftest import LESSONS


def test_values_of_every_kind_come_back_equal():
    message = {
        "none": None,
        "t": True,
        "n": -3,
        "big": 2**70,
        "x": 0.1,
        "nan": math.nan,
        "inf": -math.inf,
        "s": "é ✓",
        "list": [1, [2.5, "a"]],
        "tuple": (1, (2,)),
        3: "an int key",
        "c": 1 + 2j,
        "arr": array("d", [1.5, 2.5]),
        "ints": array("I", [1, 2]),
        "missing": MISSING,
        "np": np.arange(6, dtype=np.float32).reshape(2, 3),
        "np0": np.float64(2.5),
        "path": Path("/tmp/x"),
        "opaque": Opaque("dict"),
        "summary": ArraySummary((3,), "float64"),
        "problem": Problem(Path("a/lesson.py"), 3, "bad", kind="run"),
        "result": RunResult(error=RunError("timeout", "stopped", 4), elapsed=1.5),
        "limits": Limits(time=3.0),
    }
    back = wire.loads(wire.dumps(message))
    assert math.isnan(back.pop("nan")) and math.isnan(message.pop("nan"))
    np_back, np_sent = back.pop("np"), message.pop("np")
    assert np_back.dtype == np_sent.dtype and (np_back == np_sent).all()
    assert back.pop("missing") is MISSING and message.pop("missing") is MISSING
    assert back == message


def test_a_real_timeline_with_arrays_comes_back_equal():
    lesson = load_lesson(LESSONS / "12-layers")
    with Runner(Limits(time=30.0)) as runner:  # it crossed the wire once already
        result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
    t = result.timeline
    back = wire.loads(wire.dumps(result)).timeline
    assert len(back) == len(t) and back.lines == t.lines and back.anchors == t.anchors
    for event in (0, len(t) // 2, len(t) - 1):
        for name, value in t.values(event).items():
            other = back.value(name, event)
            assert type(other) is type(value)
            assert np.array_equal(other, value) if isinstance(value, np.ndarray) else other == value


@pytest.mark.parametrize(
    "payload",
    [
        pickle.dumps({"a": 1}),
        b"NNT1" + (10).to_bytes(8, "big") + b'{"$o": "os"',
        wire.MAGIC + (13).to_bytes(8, "big") + b'{"$o":"Path"}',
        wire.MAGIC + (24).to_bytes(8, "big") + b'{"$o":"Limits","f":{"x":1}}',
        wire.MAGIC + (16).to_bytes(8, "big") + b'{"$n":"O","s":[1]',
        wire.MAGIC + (99).to_bytes(8, "big") + b"{}",
    ],
)
def test_anything_else_is_refused(payload):
    with pytest.raises(wire.WireError):
        wire.loads(payload)


def test_an_unknown_type_is_not_sent():
    with pytest.raises(wire.WireError):
        wire.dumps({"f": print})


def test_a_crafted_reply_from_lesson_code_runs_nothing(tmp_path: Path):
    """Lesson code writes a pickle that would run code, framed, to every descriptor it has."""
    flag = tmp_path / "ran"
    path = tmp_path / "lesson.py"
    path.write_text(
        textwrap.dedent(
            f"""
            import os, pickle
            class Boom:
                def __reduce__(self):
                    return (os.system, ("touch {flag}",))
            data = pickle.dumps(Boom())
            frame = len(data).to_bytes(8, "big") + data
            for fd in range(3, 64):
                try:
                    os.write(fd, frame)
                except OSError:
                    pass
            done = True
            """
        ),
        encoding="utf-8",
    )
    with Runner(Limits(time=5.0)) as runner:
        result = runner.run(path)
        assert not flag.exists()  # nothing was unpickled, anywhere
        assert result.error is not None or result.timeline.value("done", len(result.timeline) - 1)
        again = runner.run(path)  # and the runner still works
        assert not flag.exists() and (again.error is None or again.error.kind == "crash")


def test_crafted_chunks_from_lesson_code_cannot_grow_the_tutor_without_bound(tmp_path: Path):
    """Lesson code that writes well-formed chunks to its reply channel (the tutor's own wire
    format, found by trying every descriptor) is held to what a run keeps: events past
    three times the capacity, or output past the output limit, are refused, and the
    runner works on."""
    path = tmp_path / "lesson.py"
    root = Path(__file__).resolve().parent.parent
    path.write_text(
        textwrap.dedent(
            f"""
            import sys, os
            sys.path.insert(0, {str(root)!r})
            from array import array
            from tutor.core.run import protocol
            from tutor.core.run.chunk import Chunk
            start = 0
            for k in range(40):
                chunk = Chunk(start, array("I", [2] * 500))
                frame = protocol.encode(chunk)
                for fd in range(3, 64):
                    try:
                        os.write(fd, frame)
                    except OSError:
                        pass
                start += 500
            done = True
            """
        ),
        encoding="utf-8",
    )
    with Runner(Limits(time=5.0, max_events=1000)) as runner:
        result = runner.run(path)
        assert result.error is not None and "refused" in result.error.message
        assert len(result.timeline) <= 3 * 1000 + 1000  # what was taken before the refusal
        again = runner.run(tmp_path / "lesson.py", "x = 1\n")
        assert again.error is None and again.timeline.value("x", 0) == 1


def test_the_runner_takes_no_more_events_or_output_than_a_run_keeps():
    from array import array

    from tutor.core.run.chunk import Chunk
    from tutor.core.run.runner import _within_capacity
    from tutor.core.run.timeline import Timeline

    limits = Limits(max_events=1000, max_output=10)
    t = Timeline(lines=array("I", [1] * 3500))
    assert _within_capacity(t, Chunk(3500, array("I", [1] * 500)), limits, 0) == 0
    with pytest.raises(wire.WireError, match="more events than a run keeps"):
        _within_capacity(t, Chunk(3500, array("I", [1] * 501)), limits, 0)
    printed = _within_capacity(Timeline(), Chunk(0, output=[(0, "12345")]), limits, 0)
    with pytest.raises(wire.WireError, match="more output than a run keeps"):
        _within_capacity(Timeline(), Chunk(0, output=[(0, "123456")]), limits, printed)
