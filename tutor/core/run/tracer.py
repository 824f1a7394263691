"""The line tracer that recorded lessons before ``instrument.py``: ``record(method="trace")``.

Kept as the reference the instrumented recorder is tested against (``tests/test_instrument.py``)
and measured against (``benchmarks/record.py``). ``sys.settrace`` calls ``local`` at every
line of the lesson file; a line's event is completed when the next line of its frame starts
(or the frame returns), with the values of the names it may change read from the frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .snapshot import SKIP, snapshot

if TYPE_CHECKING:
    from .recorder import _Recorder


def tracer(recorder: _Recorder) -> Any:
    """The function to give ``sys.settrace``; ``recorder.frames`` holds each frame's line."""
    plan = recorder.plan
    continuation = recorder.cmap.continuation
    frames = recorder.frames
    filename = recorder.filename
    skip = SKIP
    lines = recorder.main.lines
    add_line = lines.append
    capacity = recorder.limits.max_events
    boundary = -1

    def complete(frame, line: int) -> None:
        """Record that ``line`` finished in ``frame``: its number and what it changed."""
        nonlocal lines, add_line, capacity, boundary
        if len(lines) >= capacity:
            recorder.make_room()
            lines, capacity, boundary = recorder.lines, recorder.capacity, recorder.boundary
            add_line = lines.append
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

    untraced_lines = recorder.cmap.untraced
    quiet = [0]  # how many ``# untraced`` functions are running

    def leave_untraced(frame, event, arg):
        if event == "return":
            quiet[0] -= 1
        return leave_untraced

    def call(frame, event, arg):
        code = frame.f_code
        if quiet[0] or (
            code.co_filename != filename or code.co_name[0] == "<" and code.co_name != "<module>"
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
