"""The worker process that runs lesson code for the tutor.

Started as ``python -m tutor.core.run.worker READ_FD WRITE_FD`` by ``runner.py``.
It imports numpy (and the equation checker) once, then waits for requests.
Each request runs in a fresh ``fork()`` of the worker, so lessons start from
the same clean state, limits apply to that child only, and a child that
crashes takes nothing else with it. A run may ask for some steps' equations to
be verified: the worker does it here, off the UI process and its thread, with
numpy already warm (the exercise check of a rerun, ``nn-tutor check``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from . import processes, protocol

_child = 0  # the run child being waited for (0: none)


def _cancel(signum: int, frame: Any) -> None:
    """SIGUSR1 from the runner: the learner cancelled the run; kill its child now."""
    if _child:
        with contextlib.suppress(ProcessLookupError):
            os.kill(_child, 9)
        processes.kill_group(_child)  # and whatever the lesson forked


def _run_child(request: dict[str, Any], fd: int) -> None:
    """In the forked child: run one lesson and write its result."""
    from .result import Limits, RunError, RunResult

    me = os.getpid()
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # the run's own process group: killed whole when the run ends
    processes.die_with_parent()
    processes.guard_lesson_forks(fd)
    try:
        directory = os.path.dirname(os.path.abspath(request["path"]))
        os.chdir(directory)
        sys.path.insert(0, directory)
        if "evaluate" in request:
            protocol.send(fd, _evaluate(request))
            return
        from .recorder import record

        result = record(
            request["source"],
            request["path"],
            iteration=request.get("iteration"),
            limits=request.get("limits") or Limits(),
            send=lambda chunk: _send_if_run(me, fd, chunk),
        )
    except BaseException as exc:  # noqa: BLE001 - report, never die silently
        result = RunResult(error=RunError("crash", f"the tutor's recorder failed: {exc!r}", 1))
    _send_if_run(me, fd, result)


def _send_if_run(me: int, fd: int, message: Any) -> None:
    """Only the run child answers: a process the lesson forked that gets here just ends."""
    if os.getpid() != me:
        os._exit(0)
    protocol.send(fd, message)


def _evaluate(request: dict[str, Any]) -> Any:
    """A grid of a lesson function's values, or ``{"error": message}``."""
    import signal

    from .grid import evaluate_grid
    from .limits import limit_memory, size_text
    from .result import Limits

    spec = request["evaluate"]
    signal.alarm(max(1, int(spec.get("time", 5))))  # a function that never returns cannot hang us
    memory = Limits().memory
    limit_memory(memory)  # the same memory limit as a run (this child ends after it)
    try:
        if "cases" in spec:
            from .grid import evaluate_points

            return evaluate_points(
                request["source"],
                request["path"],
                spec["function"],
                tuple(spec["inputs"]),
                spec["output"],
                spec["cases"],
            )
        return evaluate_grid(
            request["source"],
            request["path"],
            spec["function"],
            spec["values"],
            spec["x1"],
            spec["x2"],
            spec["columns"],
            spec["rows"],
        )
    except MemoryError:
        return {"error": f"stopped at the memory limit of {size_text(memory)} (MemoryError)"}
    except BaseException as exc:  # noqa: BLE001 - the message goes to the screen
        return {"error": f"{type(exc).__name__}: {exc}"}


def _verify(request: dict[str, Any], timeline: Any, payload: bytes) -> bytes:
    """The child's final reply with the requested steps' equation checks added (when it ran
    clean, or when the request asks ``partial``: on the events before its error), against the
    ``timeline`` its chunks built."""
    from ..equation.verify import check_equations
    from ..lesson.load import bind_source, load_lesson

    result = protocol.decode(payload)
    if not hasattr(result, "error") or (result.error is not None and not request.get("partial")):
        return payload
    lesson, _ = bind_source(load_lesson(Path(request["path"]).parent), request["source"])
    steps = request["verify"]
    result.checks = check_equations(lesson, timeline, steps=None if steps == "all" else set(steps))
    return protocol.dumps(result)


def _is_chunk(payload: bytes) -> bool:
    """Routing only (the runner checks every message): a chunk, not the run's last word."""
    return payload[12:40].startswith(b'{"$o":"Chunk"')


def serve(read_fd: int, write_fd: int) -> None:
    global _child
    processes.become_subreaper()
    while True:
        try:
            request = protocol.receive(read_fd)
        except protocol.PeerClosed:
            return
        child_read, child_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(child_read)
            try:
                _run_child(request, child_write)
            finally:
                os._exit(0)
        _child = pid
        os.close(child_write)
        timeline = None
        while True:  # chunks go on to the tutor as they come; then the run's last word
            if not processes.wait_for_reply(child_read, read_fd):  # the tutor is gone
                processes.sweep(pid)
                return
            try:
                payload = protocol.read_frame(child_read)
            except protocol.PeerClosed:
                payload = None
            if payload is None or not _is_chunk(payload):
                break
            if request.get("verify"):
                timeline = _gather(timeline, payload)
            protocol.write_frame(write_fd, payload)
        os.close(child_read)
        _, status = os.waitpid(pid, 0)
        _child = 0
        processes.sweep(pid)  # what the lesson started ends with its run
        if payload is None:
            protocol.send(write_fd, {"died": _describe(status)})
            continue
        if request.get("verify") and timeline is not None and timeline is not False:
            try:
                payload = _verify(request, timeline, payload)
            except Exception as exc:  # noqa: BLE001 - a check that fails is a message, not a dead worker
                protocol.send(write_fd, {"died": f"the equation check failed: {exc!r}"})
                continue
        protocol.write_frame(write_fd, payload)


def _gather(timeline: Any, payload: bytes) -> Any:
    """The run's timeline so far, for the equation check (a bad chunk: no check)."""
    from .chunk import extend
    from .timeline import Timeline

    if timeline is False:
        return False
    timeline = Timeline() if timeline is None else timeline
    try:
        extend(timeline, protocol.decode(payload))
    except ValueError:  # (WireError too): the runner refuses it and says so
        return False
    return timeline


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        import signal

        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"the lesson process was killed by {name}"
    return f"the lesson process exited with status {os.WEXITSTATUS(status)} before finishing"


def main() -> None:
    import signal

    signal.signal(signal.SIGUSR1, _cancel)  # first: a cancel during start-up must not kill us
    read_fd, write_fd = int(sys.argv[1]), int(sys.argv[2])
    with contextlib.suppress(ImportError):
        import numpy  # noqa: F401 - imported once here, so every forked run starts warm
    from ..equation import verify  # noqa: F401
    from ..lesson import load  # noqa: F401
    from . import recorder  # noqa: F401

    serve(read_fd, write_fd)


if __name__ == "__main__":
    main()
