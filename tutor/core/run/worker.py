"""The worker process that runs lesson code for the tutor.

Started as ``python -m tutor.core.run.worker READ_FD WRITE_FD`` by ``runner.py``.
It imports numpy once, then waits for requests. Each request is run in a
fresh ``fork()`` of the worker, so lessons start from the same clean state,
limits apply to that child only, and a child that crashes takes nothing else
with it. Messages are length-prefixed pickles.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
from typing import Any

HEADER = struct.Struct("!Q")


def send(fd: int, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    _write_all(fd, HEADER.pack(len(data)) + data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> Any:
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    data = _read_exactly(fd, HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _run_child(request: dict[str, Any], fd: int) -> None:
    """In the forked child: run one lesson and write its result."""
    from .recorder import Limits, RunError, RunResult, record

    try:
        directory = os.path.dirname(os.path.abspath(request["path"]))
        os.chdir(directory)
        sys.path.insert(0, directory)
        if "evaluate" in request:
            send(fd, _evaluate(request))
            return
        result = record(
            request["source"],
            request["path"],
            iteration=request.get("iteration"),
            limits=request.get("limits") or Limits(),
        )
    except BaseException as exc:  # noqa: BLE001 - report, never die silently
        result = RunResult(error=RunError("crash", f"the tutor's recorder failed: {exc!r}", 1))
    send(fd, result)


def _evaluate(request: dict[str, Any]) -> Any:
    """A grid of a lesson function's values, or ``{"error": message}``."""
    import signal

    from .grid import evaluate_grid

    spec = request["evaluate"]
    signal.alarm(max(1, int(spec.get("time", 5))))  # a function that never returns cannot hang us
    try:
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
    except BaseException as exc:  # noqa: BLE001 - the message goes to the screen
        return {"error": f"{type(exc).__name__}: {exc}"}


def serve(read_fd: int, write_fd: int) -> None:
    while True:
        request = receive(read_fd)
        if request is None:
            return
        child_read, child_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(child_read)
            try:
                _run_child(request, child_write)
            finally:
                os._exit(0)
        os.close(child_write)
        header = _read_exactly(child_read, HEADER.size)
        data = _read_exactly(child_read, HEADER.unpack(header)[0]) if header else None
        os.close(child_read)
        _, status = os.waitpid(pid, 0)
        if data is not None:
            _write_all(write_fd, HEADER.pack(len(data)) + data)
        else:
            send(write_fd, {"died": _describe(status)})


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
    read_fd, write_fd = int(sys.argv[1]), int(sys.argv[2])
    with contextlib.suppress(ImportError):
        import numpy  # noqa: F401 - imported once here, so every forked run starts warm
    from . import recorder  # noqa: F401

    serve(read_fd, write_fd)


if __name__ == "__main__":
    main()
