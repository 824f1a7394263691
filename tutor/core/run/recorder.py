"""Run lesson code and record its timeline.

This module runs inside the worker process (see ``worker.py``), never in the
UI or CLI process. ``record`` runs ``lesson.py`` compiled with recording calls
(``instrument.py``, ``probes.py``): for every line of the lesson that completes
they store the line number and the values of the names that line may have
changed (known from ``source.py``'s static pass), read once the line has run.
The line tracer it replaced (``tracer.py``) is kept as the reference.

Limits (all configurable): a time limit (SIGALRM), a memory limit
(RLIMIT_AS), an output limit, and a capacity of ``max_events`` events, beyond
which a documented subset is kept: see ``docs/lesson-format.md``.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..lesson.source import CodeMap, analyze
from . import probes
from . import tracer as tracer_module
from .chunk import Chunk, extend
from .limits import (
    FdCapture,
    Output,
    TimeLimitExceeded,
    limit_memory,
    size_text,
    start_alarm,
    stop_alarm,
)
from .probes import instrumented
from .result import Limits, RunError, RunResult
from .snapshot import SKIP, new_run
from .stream import Streamer
from .timeline import Timeline
from .tracer import tracer as trace_lines

# Where the time limit must not raise: an event would be left half written (see limits.py).
_RECORDING_FILES = (__file__, probes.__file__, tracer_module.__file__)


class _Store:
    """Recorded events: a line per event, and per variable the events where it changed.

    A variable's floats go to a typed array (8 bytes each, nothing for the build to look
    at again: most values a lesson records are floats), its other values to a list; each
    has its own event numbers, merged when a chunk is built."""

    def __init__(self, nvars: int) -> None:
        self.lines = array("I")
        self.events = [array("I") for _ in range(nvars)]  # where the list's values were set
        self.values: list[list[Any]] = [[] for _ in range(nvars)]
        self.float_events = [array("I") for _ in range(nvars)]  # where the floats were set
        self.floats = [array("d") for _ in range(nvars)]

    def put(self, i: int, event: int, value: Any) -> None:
        """Record variable ``i``'s ``value`` at ``event`` (outside the probes' hot path)."""
        if type(value) is float:
            self.float_events[i].append(event)
            self.floats[i].append(value)
        else:
            self.events[i].append(event)
            self.values[i].append(value)

    def last_before(self, i: int, end: int) -> tuple[int, int, Any]:
        """How many list and float entries of variable ``i`` come before event ``end``, and
        the value at the last of them (SKIP: none)."""
        cut = bisect_left(self.events[i], end)
        fcut = bisect_left(self.float_events[i], end)
        if not cut and not fcut:
            return 0, 0, SKIP
        if not fcut or (cut and self.events[i][cut - 1] > self.float_events[i][fcut - 1]):
            return cut, fcut, self.values[i][cut - 1]
        return cut, fcut, self.floats[i][fcut - 1]


class _Recorder:
    """The stores events go to, and what happens past capacity; ``probes.py`` (or
    ``tracer.py``) holds the hot path that feeds them."""

    def __init__(self, cmap: CodeMap, filename: str, limits: Limits, iteration: str | None):
        self.cmap = cmap
        self.filename = filename
        self.limits = limits
        self.names = list(cmap.variables)
        size = max([0, *cmap.statement_lines, *cmap.continuation]) + 2
        self.plan: list[tuple[tuple[str, Any, Any], ...]] = [()] * size
        self.float_plan: list[tuple[tuple[Any, Any], ...]] = [()] * size  # (the floats')
        self.loop = cmap.loops.get(iteration) if iteration else None
        self.main = _Store(len(self.names))
        self.tail: _Store | None = None  # past capacity: the events of the current iteration
        self.summaries = array("I")
        self.summary_rounds = array("I")  # per summary: the training iterations it stands for
        self.summaries_per_level = max(1, limits.max_events // 40)
        self.rounds = 0  # header runs since the last fold
        self.folded = 0  # events folded into summaries
        self.frames: list[int] = []  # per traced frame: its line still running (<0: mid-statement)
        self.output: Output | None = None
        self.lines = self.main.lines  # the store events go to: main, then the tail
        self.capacity = limits.max_events
        self.boundary = -1  # past capacity, the line that starts an iteration
        self.on_overflow: Callable[[], None] | None = None  # the probes re-aim at the tail
        self.previous_header = 0  # past capacity: the tail index of the last loop header
        self._aim(self.main)

    def _aim(self, store: _Store) -> None:
        """Point the plan (line -> names it changes, with their appenders) at ``store``."""
        index = {name: i for i, name in enumerate(self.names)}
        for line, names in self.cmap.stores.items():
            self.plan[line] = tuple(
                (name, store.events[index[name]].append, store.values[index[name]].append)
                for name in names
            )
            self.float_plan[line] = tuple(
                (store.float_events[index[name]].append, store.floats[index[name]].append)
                for name in names
            )

    def event_count(self) -> int:
        return len(self.main.lines) + (len(self.tail.lines) if self.tail else 0)

    def complete(self, line: int, values: Sequence[Any]) -> None:
        """Record that ``line`` finished, with ``values`` (copies, or SKIP) of its plan's names.

        The slow path of the probes (capacity, a loop header past it) and their helpers."""
        if len(self.lines) >= self.capacity:
            self.make_room()
        lines = self.lines
        n = len(lines)
        lines.append(line)
        plans = zip(self.plan[line], self.float_plan[line], values, strict=True)
        for (_, add_event, add_value), (add_float_event, add_float), value in plans:
            if type(value) is float:
                add_float_event(n)
                add_float(value)
            elif value is not SKIP:
                add_event(n)
                add_value(value)
        if line == self.boundary:
            self.new_iteration()

    def make_room(self) -> None:
        """At capacity: go on in the tail store, or fold the older half of the tail."""
        if self.tail is None:
            self.lines = self.overflow()
            self.capacity = max(2, self.limits.max_events // 2)
            self.boundary = self.loop.line if self.loop else -1
            if self.on_overflow is not None:
                self.on_overflow()
        else:  # one long iteration (or no loop): fold its older half
            n = len(self.lines)
            self._fold(n // 2)
            self.previous_header = max(0, self.previous_header - n // 2)

    # -- past capacity -------------------------------------------------------------------
    def overflow(self) -> array:
        """Switch to the tail store: later iterations are kept as one summary event each."""
        self.tail = _Store(len(self.names))
        self.previous_header = 0  # tail index of the last loop header event
        self._aim(self.tail)
        return self.tail.lines

    def new_iteration(self) -> None:
        """The loop header ran again: fold the iteration before the one that just ended.

        Folding one iteration late keeps the last iteration in full even when the
        final header run (the one that finds the loop exhausted) comes after it.
        """
        tail = self.tail
        assert tail is not None
        header = len(tail.lines) - 1
        self.rounds += 1
        # One summary per iteration at first; past each SUMMARIES_PER_LEVEL summaries, one
        # per twice as many iterations: the timeline stays bounded however long the run.
        stride = 1 << (len(self.summaries) // self.summaries_per_level)
        if self.previous_header > 0 and self.rounds > stride:
            self._fold(self.previous_header)
            header -= self.previous_header
            self.rounds = 1
        self.previous_header = header

    def _fold(self, count: int) -> None:
        """Replace the first ``count`` tail events by one summary event in the main store."""
        main, tail = self.main, self.tail
        assert tail is not None
        n = len(main.lines)
        self.summaries.append(n)
        self.summary_rounds.append(tail.lines[:count].count(self.loop.line) if self.loop else 0)
        main.lines.append(self.loop.line if self.loop else tail.lines[count - 1])
        for i in range(len(self.names)):
            cut, fcut, last = tail.last_before(i, count)
            if last is not SKIP:
                main.put(i, n, last)
            del tail.values[i][:cut]
            del tail.floats[i][:fcut]
            for events, k in ((tail.events[i], cut), (tail.float_events[i], fcut)):
                rest = array("I", [e - count for e in events[k:]])
                del events[:]
                events.extend(rest)
        del tail.lines[:count]
        self.folded += count
        if self.output is not None:  # renumber what was printed in the folded events and after
            chunks = self.output.chunks
            k = len(chunks) - 1
            while k >= 0 and chunks[k][0] >= n:
                event, text = chunks[k]
                chunks[k] = (n if event < n + count else event - count + 1, text)
                k -= 1

    def finish_tail(self) -> None:
        tail = self.tail
        if tail is None:
            return
        main, offset = self.main, len(self.main.lines)
        main.lines.extend(tail.lines)
        for i in range(len(self.names)):
            main.events[i].extend(array("I", [e + offset for e in tail.events[i]]))
            main.values[i].extend(tail.values[i])
            main.float_events[i].extend(array("I", [e + offset for e in tail.float_events[i]]))
            main.floats[i].extend(tail.floats[i])
        self.tail = None

    def events_seen(self) -> int:
        return len(self.main.lines) + self.folded - len(self.summaries)


FLUSH_FIRST = 0.025  # seconds before the first chunk: the learner steps while the rest records
FLUSH_EVERY = 0.2  # seconds between later chunks
FIRST_EVENTS = 200  # the first chunk holds at most this many: quick to build, to send, to show


def record(
    source: str,
    path: str | Path,
    iteration: str | None = None,
    limits: Limits | None = None,
    send: Callable[[Chunk], None] | None = None,
    method: str = "auto",
) -> RunResult:
    """Run ``source`` (the text of ``path``) in this process and return its timeline.

    With ``send``, the timeline goes out in chunks while the lesson runs (a thread calls
    ``send`` every ``FLUSH_EVERY`` s, the last chunk comes before this returns) and the
    result's timeline is left empty. ``method`` "instrument" runs the lesson compiled with
    probes (``instrument.py``); "trace" runs it under the line tracer they replaced
    (``tracer.py``, the tests' reference); "auto" instruments, and traces should the
    rewrite ever fail on some code. Call it in a disposable process: it changes signal
    handlers, resource limits and ``sys.stdout`` while the lesson runs, and lesson code may
    do anything.
    """
    limits = limits or Limits()
    filename = str(path)
    started = time.perf_counter()
    try:
        cmap = analyze(source, filename)
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        line, column = exc.lineno or 1, exc.offset
        return RunResult(error=RunError("syntax", f"SyntaxError: {exc.msg}", line, column))

    new_run()  # the nodes of a graph are numbered from 1 in every run
    recorder = _Recorder(cmap, filename, limits, iteration)
    tracer = None
    if method != "trace":
        try:
            code = instrumented(source, filename, cmap, recorder)
        except Exception:
            if method != "auto":
                raise
            method = "trace"  # (a bug of the rewrite must not cost the learner the run)
            recorder = _Recorder(cmap, filename, limits, iteration)
    if method == "trace":
        tracer = trace_lines(recorder)
    output = recorder.output = Output(limits.max_output, recorder.event_count)
    scope: dict[str, Any] = {
        "__name__": "__main__",
        "__file__": filename,
        "__builtins__": __builtins__,
    }
    error = None
    saved = sys.stdout, sys.stderr, sys.argv
    sys.stdout = sys.stderr = output
    sys.argv = [filename]
    streamer = Streamer(recorder, source, scope)
    flusher = _Flusher(streamer, send) if send is not None else None
    restore_memory = limit_memory(limits.memory)
    previous_alarm = start_alarm(limits.time, inside=_RECORDING_FILES)
    tracing_lost = False
    capture = FdCapture(output).start()  # os.write(1 or 2, …) counts as output too
    try:
        if tracer is not None:
            sys.settrace(tracer)
        try:
            exec(code, scope)
        finally:
            if tracer is not None:  # (with probes there is no tracer to lose)
                tracing_lost = sys.gettrace() is not tracer  # the lesson's code replaced it
                sys.settrace(None)
            stop_alarm(previous_alarm)
    except TimeLimitExceeded as exc:
        error = RunError(
            "timeout",
            f"stopped after {limits.time:g} s: the time limit (is there an endless loop?)",
            _lesson_line(exc, filename, recorder),
        )
    except MemoryError as exc:
        scope.clear()
        gc.collect()
        error = RunError(
            "memory",
            f"stopped at the memory limit of {size_text(limits.memory)} (MemoryError)",
            _lesson_line(exc, filename, recorder),
        )
    except SystemExit as exc:
        code_ = exc.code
        if code_ not in (None, 0):
            error = RunError(
                "exit",
                f"the lesson called sys.exit({code_!r})",
                _lesson_line(exc, filename, recorder),
            )
    except RecursionError as exc:
        error = RunError(
            "exception",
            f"RecursionError: {exc} (a function keeps calling itself?)",
            _lesson_line(exc, filename, recorder),
        )
    except BaseException as exc:  # noqa: BLE001 - lesson code may raise anything
        error = RunError(
            "exception", f"{type(exc).__name__}: {exc}", _lesson_line(exc, filename, recorder)
        )
    finally:
        restore_memory()
        capture.stop()
        sys.stdout, sys.stderr, sys.argv = saved
        if flusher is not None:
            flusher.stop()
    if tracing_lost and error is None:
        pending = [abs(p) for p in recorder.frames if p]  # the line that did it
        last = pending[-1] if pending else (recorder.main.lines[-1] if recorder.main.lines else 1)
        error = RunError(
            "tracing",
            f"line {last} turned the tutor's tracing off (sys.settrace): the timeline stops "
            "there; the code ran on, unrecorded",
            last,
        )
    scope.clear()
    recorder.finish_tail()
    rest = streamer.chunk(len(recorder.main.lines), final=True)
    assert rest is not None
    timeline = Timeline()
    if send is not None:
        send(rest)
    else:
        extend(timeline, rest, adopt=True)
    return RunResult(timeline, error, time.perf_counter() - started)


class _Flusher:
    """Sends the events recorded so far, every ``FLUSH_EVERY`` seconds, from its own thread
    (started before the memory limit: its stack is the tutor's, not the lesson's)."""

    def __init__(self, streamer: Streamer, send: Callable[[Chunk], None]) -> None:
        self.streamer, self.send = streamer, send
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="timeline chunks", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        wait, most = FLUSH_FIRST, FIRST_EVENTS
        while not self._stop.wait(wait):
            try:
                streamer = self.streamer
                chunk = streamer.chunk(min(streamer.safe_end(), streamer.sent + most))
                if chunk is not None:
                    self.send(chunk)
                    wait = 0.0 if most < FIRST_EVENTS * 2 else FLUSH_EVERY  # (then the rest)
                    most = 1 << 62
                else:
                    wait = FLUSH_EVERY
            except Exception:  # noqa: BLE001 - (a MemoryError, a closed pipe): the end sends the rest
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _lesson_line(exc: BaseException, filename: str, recorder: _Recorder) -> int:
    """The innermost line of the lesson file in the exception's traceback."""
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    if not line:
        pending = [abs(p) for p in recorder.frames if p]
        line = pending[-1] if pending else (recorder.main.lines[-1] if recorder.main.lines else 1)
    return line
