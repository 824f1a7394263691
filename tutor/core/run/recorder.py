"""Run lesson code under a line tracer and record its timeline.

This module runs inside the worker process (see ``worker.py``), never in the
UI or CLI process. ``record`` executes ``lesson.py`` with ``sys.settrace``,
and for every line of the lesson that completes it stores the line number and
the values of the names that line may have changed (known from ``code.py``'s
static pass). Values are looked up *when the next line starts*, so each event
holds the values after its line ran.

Limits (all configurable): a time limit (SIGALRM), a memory limit
(RLIMIT_AS), an output limit, and a capacity of ``max_events`` events, beyond
which a documented subset is kept: see ``docs/lesson-format.md``.
"""

from __future__ import annotations

import gc
import math
import signal
import sys
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..lesson.source import CodeMap, Loop, analyze
from .timeline import ArraySummary, Column, Opaque, Timeline

MAX_ARRAY = 10_000  # numpy arrays / lists with more elements are summarised
MAX_STRING = 200


class TimeLimitExceeded(BaseException):
    """Raised in lesson code by the alarm; a BaseException so ``except Exception`` won't eat it."""


@dataclass
class Limits:
    time: float = 10.0  # seconds
    memory: int = 1 << 30  # bytes the lesson may allocate
    max_events: int = 2_000_000
    max_output: int = 1_000_000  # characters


@dataclass
class RunError:
    """Why a run stopped early, and where."""

    kind: str  # "syntax" | "exception" | "exit" | "timeout" | "memory" | "crash"
    message: str
    line: int
    column: int | None = None


@dataclass
class RunResult:
    """What a run returns to the tutor: the timeline and, on a fault, the error."""

    timeline: Timeline = field(default_factory=Timeline)
    error: RunError | None = None
    elapsed: float = 0.0  # seconds spent running and recording

    @property
    def ok(self) -> bool:
        return self.error is None


_SKIP = object()  # values not worth recording (functions, modules, classes)


def snapshot(value: Any) -> Any:
    """A copy of a value that later mutation cannot change, or a small description of it."""
    kind = type(value)
    if kind is float or kind is int or kind is bool or value is None or value is _SKIP:
        return value
    if kind is str:
        return value if len(value) <= MAX_STRING else Opaque("str", f"{len(value)} characters")
    if isinstance(value, bool | int | float | complex):
        return kind.__mro__[-2](value) if kind.__module__ != "builtins" else value
    if kind.__module__ == "numpy":
        return _snapshot_numpy(value)
    if kind is list or kind is tuple:
        copy = _copy_numbers(value, [MAX_ARRAY])
        return copy if copy is not None else Opaque(kind.__name__, f"{len(value)} items")
    if callable(value) or kind.__name__ in ("module", "type"):
        return _SKIP
    return Opaque(kind.__name__)


def _snapshot_numpy(value: Any) -> Any:
    if not hasattr(value, "shape"):
        return Opaque(type(value).__name__)
    if value.shape == ():
        return value.item()
    if value.dtype.kind not in "biufc":
        return Opaque("ndarray", f"{value.dtype}")
    if value.size <= MAX_ARRAY:
        return value.copy()
    finite = value[value == value] if value.dtype.kind in "fc" else value
    if finite.size and value.dtype.kind != "c":
        return ArraySummary(
            tuple(value.shape),
            str(value.dtype),
            float(finite.min()),
            float(finite.max()),
            float(finite.mean()),
        )
    return ArraySummary(tuple(value.shape), str(value.dtype))


def _copy_numbers(value: Any, budget: list[int]) -> Any:
    """Copy a (nested) list or tuple of numbers, or None if it holds anything else."""
    budget[0] -= len(value)
    if budget[0] < 0:
        return None
    items = []
    for item in value:
        kind = type(item)
        if kind is float or kind is int or kind is bool:
            items.append(item)
        elif kind is list or kind is tuple:
            copy = _copy_numbers(item, budget)
            if copy is None:
                return None
            items.append(copy)
        elif isinstance(item, int | float):
            items.append(float(item) if isinstance(item, float) else int(item))
        else:
            return None
    return items if type(value) is list else tuple(items)


class _Output:
    """Stands in for stdout/stderr: keeps what the lesson prints, tagged with its event."""

    def __init__(self, limit: int, event_count) -> None:
        self.chunks: list[tuple[int, str]] = []
        self.kept = 0
        self.dropped = 0
        self.limit = limit
        self.event_count = event_count

    def write(self, text: str) -> int:
        text = str(text)
        room = self.limit - self.kept
        if len(text) > room:
            self.dropped += len(text) - max(room, 0)
            text = text[: max(room, 0)]
        if text:
            self.kept += len(text)
            self.chunks.append((self.event_count(), text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Store:
    """Recorded events: a line per event, and per variable the events where it changed."""

    def __init__(self, nvars: int) -> None:
        self.lines = array("I")
        self.events = [array("I") for _ in range(nvars)]
        self.values: list[list[Any]] = [[] for _ in range(nvars)]


class _Recorder:
    """The tracer's state. ``tracer()`` builds the hot closure that sys.settrace calls."""

    def __init__(self, cmap: CodeMap, filename: str, limits: Limits, iteration: str | None):
        self.cmap = cmap
        self.filename = filename
        self.limits = limits
        self.names = list(cmap.variables)
        size = max([0, *cmap.statement_lines, *cmap.continuation]) + 2
        self.plan: list[tuple[tuple[str, Any, Any], ...]] = [()] * size
        self.loop = cmap.loops.get(iteration) if iteration else None
        self.main = _Store(len(self.names))
        self.tail: _Store | None = None  # past capacity: the events of the current iteration
        self.summaries = array("I")
        self.folded = 0  # events folded into summaries
        self.frames: list[int] = []  # per traced frame: its line still running (<0: mid-statement)
        self.output: _Output | None = None
        self._aim(self.main)

    def _aim(self, store: _Store) -> None:
        """Point the plan (line -> names it changes, with their appenders) at ``store``."""
        index = {name: i for i, name in enumerate(self.names)}
        for line, names in self.cmap.stores.items():
            self.plan[line] = tuple(
                (name, store.events[index[name]].append, store.values[index[name]].append)
                for name in names
            )

    def event_count(self) -> int:
        return len(self.main.lines) + (len(self.tail.lines) if self.tail else 0)

    def tracer(self):
        plan = self.plan
        continuation = self.cmap.continuation
        frames = self.frames
        filename = self.filename
        skip = _SKIP
        lines = self.main.lines
        add_line = lines.append
        capacity = self.limits.max_events
        boundary = -1
        recorder = self

        def complete(frame, line: int) -> None:
            """Record that ``line`` finished in ``frame``: its number and what it changed."""
            nonlocal lines, add_line, capacity, boundary
            n = len(lines)
            if n >= capacity:
                if recorder.tail is None:
                    lines = recorder.overflow()
                    add_line = lines.append
                    capacity = max(2, recorder.limits.max_events // 2)
                    boundary = recorder.loop.line if recorder.loop else -1
                else:  # one long iteration (or no loop): fold its older half
                    recorder._fold(n // 2)
                    recorder.previous_header = max(0, recorder.previous_header - n // 2)
                n = len(lines)
            add_line(line)
            for name, add_event, add_value in plan[line]:
                try:
                    value = frame.f_locals[name]
                except KeyError:
                    value = frame.f_globals.get(name, skip)
                if type(value) is not float and type(value) is not int:
                    value = snapshot(value)
                    if value is skip:
                        continue
                add_event(n)
                add_value(value)
            if line == boundary:
                recorder.new_iteration()

        def local(frame, event, arg):
            if event == "line":
                line = frame.f_lineno
                pending = frames[-1]
                if line in continuation:
                    if pending > 0:
                        frames[-1] = -pending  # inside a statement spanning several lines
                    return local
                frames[-1] = line
                if pending > 0:
                    # The hot path, inlined from ``complete``: one event, its changed names.
                    n = len(lines)
                    if n >= capacity or pending == boundary:
                        complete(frame, pending)
                        return local
                    add_line(pending)
                    names = plan[pending]
                    if names:
                        scope = frame.f_locals
                        for name, add_event, add_value in names:
                            try:
                                value = scope[name]
                            except KeyError:
                                value = frame.f_globals.get(name, skip)
                            kind = type(value)
                            if kind is not float and kind is not int:
                                value = snapshot(value)
                                if value is skip:
                                    continue  # not bound, or a function/module/class
                            add_event(n)
                            add_value(value)
                elif pending < 0:
                    if line == -pending:
                        frames[-1] = pending  # back on the statement's first line: same statement
                        return local
                    complete(frame, -pending)
            elif event == "return":
                pending = frames.pop()
                if pending:
                    complete(frame, abs(pending))
            elif event == "exception":
                frames[-1] = 0  # the running line raised: it did not complete
            return local

        untraced_lines = self.cmap.untraced
        quiet = [0]  # how many ``# untraced`` functions are running

        def leave_untraced(frame, event, arg):
            if event == "return":
                quiet[0] -= 1
            return leave_untraced

        def call(frame, event, arg):
            code = frame.f_code
            if quiet[0] or (
                code.co_filename != filename
                or code.co_name[0] == "<"
                and code.co_name != "<module>"
            ):
                return None  # other files, comprehensions, lambdas, and inside untraced code
            if code.co_firstlineno in untraced_lines:
                # A function marked ``# untraced`` (a timing harness, say) runs at full speed:
                # no events for it or anything it calls; only its return is watched.
                quiet[0] += 1
                frame.f_trace_lines = False
                return leave_untraced
            frames.append(0)
            return local

        return call

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
        header = len(self.tail.lines) - 1
        if self.previous_header > 0:
            self._fold(self.previous_header)
            header -= self.previous_header
        self.previous_header = header

    def _fold(self, count: int) -> None:
        """Replace the first ``count`` tail events by one summary event in the main store."""
        main, tail = self.main, self.tail
        n = len(main.lines)
        self.summaries.append(n)
        main.lines.append(self.loop.line if self.loop else tail.lines[count - 1])
        for i, events in enumerate(tail.events):
            cut = bisect_left(events, count)
            if cut:
                main.events[i].append(n)
                main.values[i].append(tail.values[i][cut - 1])
                del tail.values[i][:cut]
            rest = array("I", [e - count for e in events[cut:]])
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
        offset = len(self.main.lines)
        self.main.lines.extend(tail.lines)
        for i, events in enumerate(tail.events):
            self.main.events[i].extend(array("I", [e + offset for e in events]))
            self.main.values[i].extend(tail.values[i])
        self.tail = None

    def events_seen(self) -> int:
        return len(self.main.lines) + self.folded - len(self.summaries)

    # -- building the timeline ------------------------------------------------------------
    def timeline(self, output: _Output) -> Timeline:
        import numpy as np

        lines = np.frombuffer(self.main.lines, dtype=np.uint32) if self.main.lines else None
        is_summary = np.zeros(len(self.main.lines), dtype=bool)
        is_summary[np.frombuffer(self.summaries, dtype=np.uint32)] = True
        exhausted = {
            header: _exhausted(np, lines, loop, is_summary) if lines is not None else None
            for header, loop in self.cmap.for_loops.items()
        }
        any_exhausted = np.zeros(len(self.main.lines), dtype=bool)
        for mask in exhausted.values():
            if mask is not None:
                any_exhausted |= mask
        columns: dict[str, Column] = {}
        for name, events, values in zip(
            self.names, self.main.events, self.main.values, strict=True
        ):
            if not events:
                continue
            keep = _changes(np, events, values, any_exhausted)
            if keep is not None:
                events = array("I", [e for e, k in zip(events, keep, strict=True) if k])
                values = [v for v, k in zip(values, keep, strict=True) if k]
            columns[name] = Column(events, _pack(values))
        starts, ends = array("I"), array("I")
        if self.loop is not None and lines is not None and self.loop.var in columns:
            starts, ends = _iterations(
                np, lines, self.loop, columns[self.loop.var], exhausted[self.loop.line], is_summary
            )
        return Timeline(
            lines=self.main.lines,
            columns=columns,
            anchors=dict(self.cmap.anchors),
            iteration_starts=starts,
            iteration_ends=ends,
            summaries=self.summaries,
            output=output.chunks,
            output_dropped=output.dropped,
            events_seen=self.events_seen(),
        )


def _exhausted(np, lines, loop: Loop, is_summary):
    """Events where the loop's header ran and found its iterator empty: it bound nothing.

    A header run is a real iteration when the next line of the loop's own scope to
    run is in the loop's body; otherwise the loop ended there.
    """
    mask = np.zeros(len(lines), dtype=bool)
    if loop.end == loop.line:  # a one-line loop: body and header share the line
        return mask
    headers = np.nonzero((lines == loop.line) & ~is_summary)[0]
    if not len(headers):
        return mask
    size = int(lines.max()) + 1
    in_scope = np.zeros(size, dtype=bool)
    in_body = np.zeros(size, dtype=bool)
    in_scope[[n for n in (*loop.outside, *loop.body, loop.line) if n < size]] = True
    in_body[[n for n in loop.body if n < size]] = True
    scope_events = np.nonzero(in_scope[lines])[0]
    pos = np.searchsorted(scope_events, headers, side="right")
    has_next = pos < len(scope_events)
    following = scope_events[np.minimum(pos, len(scope_events) - 1)]
    # A summary event stands for (the rest of) an iteration: body, as far as this goes.
    continues = in_body[lines[following]] | is_summary[following]
    mask[headers[~has_next | ~continues]] = True
    return mask


def _iterations(
    np, lines, loop: Loop, column: Column, exhausted, is_summary
) -> tuple[array, array]:
    """Event spans of the training iterations: from each header that binds, to the loop's end."""
    bound = np.zeros(len(lines), dtype=bool)
    bound[np.frombuffer(column.events, dtype=np.uint32)] = True
    # A header run that bound the variable starts an iteration; so does a summary of one.
    first = np.nonzero(bound & (lines == loop.line) & ~exhausted)[0]
    size = int(lines.max()) + 1
    table = np.zeros(size, dtype=bool)
    table[[n for n in loop.outside if n < size]] = True
    outside = (table[lines] | exhausted) & ~is_summary
    outside_events = np.nonzero(outside)[0]
    nxt = np.append(first[1:], len(lines))
    pos = np.searchsorted(outside_events, first, side="right")
    stop = np.where(
        pos < len(outside_events),
        outside_events[np.minimum(pos, len(outside_events) - 1)],
        len(lines),
    )
    starts, ends = array("I"), array("I")
    starts.frombytes(first.astype(np.uint32).tobytes())
    ends.frombytes(np.minimum(nxt, stop).astype(np.uint32).tobytes())
    return starts, ends


def _changes(np, events: array, values: list[Any], exhausted) -> list[bool] | None:
    """Which recorded values to keep as changes (None: all of them).

    A value recorded where a loop header found its iterator exhausted is not a
    change (the header bound nothing). Arrays, lists and tuples recorded again with
    equal contents are not changes either: ``w.sum()`` makes ``w`` a candidate
    without changing it. Any other assignment is a change, even of an equal value.
    """
    keep = None
    if len(exhausted) and exhausted.any():
        at = np.frombuffer(events, dtype=np.uint32)
        dropped = exhausted[at]
        if dropped.any():
            keep = (~dropped).tolist()
    previous = None
    for k, value in enumerate(values):
        if keep is not None and not keep[k]:
            continue
        kind = type(value)
        if (
            previous is not None
            and kind is type(previous)
            and kind not in (float, int, bool, str, type(None))
            and (value is previous or _equal(previous, value))
        ):
            if keep is None:
                keep = [True] * len(values)
            keep[k] = False
        previous = value
    return keep


def _equal(a: Any, b: Any) -> bool:
    if hasattr(a, "shape") and hasattr(a, "dtype"):
        import numpy as np

        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    try:
        return bool(a == b)
    except Exception:
        return False


def _pack(values: list[Any]) -> Any:
    """Store a column as a typed array when every value allows it (8 bytes a value)."""
    kinds = set(map(type, values))
    if kinds == {float}:
        return array("d", values)
    if kinds == {int} and all(-(2**63) <= v < 2**63 for v in values):
        return array("q", values)
    return values


def record(
    source: str, path: str | Path, iteration: str | None = None, limits: Limits | None = None
) -> RunResult:
    """Run ``source`` (the text of ``path``) in this process and return its timeline.

    Call it in a disposable process: it changes signal handlers, resource
    limits and ``sys.stdout`` while the lesson runs, and lesson code may do anything.
    """
    limits = limits or Limits()
    filename = str(path)
    started = time.perf_counter()
    try:
        cmap = analyze(source, filename)
        code = compile(source, filename, "exec")
    except SyntaxError as exc:
        line, column = exc.lineno or 1, exc.offset
        return RunResult(error=RunError("syntax", f"SyntaxError: {exc.msg}", line, column))

    recorder = _Recorder(cmap, filename, limits, iteration)
    output = recorder.output = _Output(limits.max_output, recorder.event_count)
    scope: dict[str, Any] = {
        "__name__": "__main__",
        "__file__": filename,
        "__builtins__": __builtins__,
    }
    error = None
    saved = sys.stdout, sys.stderr, sys.argv
    sys.stdout = sys.stderr = output  # type: ignore[assignment]
    sys.argv = [filename]
    restore_memory = _limit_memory(limits.memory)
    previous_alarm = _start_alarm(limits.time)
    tracer = recorder.tracer()
    try:
        sys.settrace(tracer)
        try:
            exec(code, scope)
        finally:
            sys.settrace(None)
            _stop_alarm(previous_alarm)
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
            f"stopped at the memory limit of {_size(limits.memory)} (MemoryError)",
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
        sys.stdout, sys.stderr, sys.argv = saved
    scope.clear()
    recorder.finish_tail()
    timeline = recorder.timeline(output)
    return RunResult(timeline, error, time.perf_counter() - started)


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


def _size(n: int) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MiB"


def _start_alarm(seconds: float):
    if not hasattr(signal, "setitimer") or not math.isfinite(seconds) or seconds <= 0:
        return None

    def alarm(signum, frame):
        if frame is not None and frame.f_code.co_filename == __file__:
            # Inside the recorder itself (mid-event): raising here could leave an event half
            # written. Try again in a millisecond, when the lesson's own code is running.
            signal.setitimer(signal.ITIMER_REAL, 0.001, 0.25)
            return
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, alarm)
    # Fire again every 0.25 s in case the lesson swallows the first one with a bare except.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    return previous


def _stop_alarm(previous) -> None:
    if previous is not None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _limit_memory(limit: int):
    """Cap the address space at what is used now plus ``limit``; returns the undo."""
    try:
        import resource

        with open("/proc/self/status") as status:
            used = next(int(row.split()[1]) * 1024 for row in status if row.startswith("VmSize:"))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = used + limit
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, StopIteration, ValueError):
        return lambda: None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
