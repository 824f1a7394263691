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
    lesson = load_lesson(LESSONS / "09-layers")
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
