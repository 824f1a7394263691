"""Run lesson code in a worker process and get its timeline back.

The tutor never executes lesson code in its own process. ``Runner`` keeps one
worker process (numpy already imported) and sends it run requests; the worker
forks a child per run. The child stops itself at the time and memory limits
and returns the events recorded so far; if even that fails (a C call that
never returns), the runner kills the worker after a grace period and says so.
``cancel`` (from another thread) stops the run in progress the same way: the
worker kills its child at once (SIGUSR1 asks it to), and if even that gets no
answer within ``CANCEL_GRACE`` the runner kills the worker.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from ..lesson.problems import Problem
from . import protocol
from .chunk import Chunk, extend
from .result import Limits, RunError, RunResult
from .timeline import Timeline
from .wire import WireError

GRACE = 5.0  # seconds past the time limit (worker start-up included) before the outside kill
CANCEL_GRACE = 1.0  # seconds a cancelled run's worker has to answer before it is killed
POLL = 0.05  # seconds between looks at a cancel request while a run is waited for
CANCELLED = "cancelled: the run was stopped before it finished"


class Runner:
    """A warm worker process that runs lessons; use as a context manager or call ``close``."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits
        self._process: subprocess.Popen[bytes] | None = None
        self._to_worker = self._from_worker = -1
        self._lock = threading.Lock()
        self._running = False  # a run (not an evaluation) is waiting for its reply
        self._cancel = threading.Event()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the worker now (it also starts on the first run)."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._stop()
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(__file__).resolve().parents[3]), env.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tutor.core.run.worker", str(request_read), str(reply_write)],
            pass_fds=(request_read, reply_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            env=env,
            start_new_session=True,  # a ctrl+c in the terminal is for the tutor, not the worker
        )
        os.close(request_read)
        os.close(reply_write)
        self._to_worker, self._from_worker = request_write, reply_read

    def run(
        self,
        path: str | Path,
        source: str | None = None,
        iteration: str | None = None,
        limits: Limits | None = None,
        verify: str | list[str] | None = None,
        on_chunk: Callable[[Timeline, Chunk | None], None] | None = None,
        partial: bool = False,
    ) -> RunResult:
        """Run ``source`` (default: the file's text) as the file ``path``; never raises for lesson faults.

        The timeline arrives in chunks while the lesson runs: after each, ``on_chunk`` (when
        given) gets the timeline so far and the chunk (in this thread; the timeline grows on
        after it returns), and while none comes, ``(timeline, None)`` every ``POLL`` s. When
        the run stops early (an error, a cancel, a crash), the events received are kept. ``verify`` ("all", or step ids) asks the worker to check those
        steps' equations against the run, with the lesson.md beside ``path``: the problems
        come back as ``result.checks`` (left None when the run stopped with an error, unless
        ``partial``: then the events before the error are verified).
        """
        path = Path(path).parent.resolve() / Path(path).name  # (a linked lesson.py: its folder)
        if source is None:
            source = path.read_text(encoding="utf-8")
        limits = limits or self.limits or Limits()
        request: dict[str, Any] = {
            "path": str(path),
            "source": source,
            "iteration": iteration,
            "limits": limits,
            "verify": verify,
            "partial": partial,
        }
        timeline = Timeline()
        with self._lock:
            started = time.perf_counter()
            self._ensure_started()
            self._cancel.clear()
            self._running = True
            try:
                protocol.write_all(self._to_worker, protocol.encode(request))
                deadline = started + limits.time + GRACE
                idle = (lambda: on_chunk(timeline, None)) if on_chunk is not None else None
                printed = 0  # characters of output received
                while isinstance(reply := self._await_reply(deadline, idle), Chunk):
                    printed = _within_capacity(timeline, reply, limits, printed)
                    try:
                        extend(timeline, reply)
                    except ValueError as exc:
                        raise WireError(str(exc)) from None
                    if on_chunk is not None:
                        on_chunk(timeline, reply)
            except (OSError, EOFError) as exc:
                self._stop()
                if self._cancel.is_set():
                    return _stopped(timeline, "cancelled", CANCELLED)
                return _stopped(timeline, "crash", f"the worker process failed: {exc}")
            except WireError as exc:  # the run sent something that is no result: not read
                self._stop()
                return _stopped(timeline, "crash", f"the run's reply was refused: {exc}")
            except BaseException:  # on_chunk failed (or an interrupt): the run must not go on
                self._stop()  # in the worker, or the next run would read its replies
                raise
            finally:
                self._running = False
            if self._cancel.is_set():  # whatever came back: the learner asked to stop it
                if reply is None:
                    self._stop()
                return _stopped(timeline, "cancelled", CANCELLED)
            if reply is None:
                self._stop()
                return _stopped(
                    timeline,
                    "timeout",
                    f"stopped after {limits.time:g} s: the time limit (the code did not "
                    "respond: the events before it are kept)",
                )
            if isinstance(reply, dict) and isinstance(reply.get("died"), str):
                return _stopped(timeline, "crash", reply["died"])
            # A run's events come in chunks: its result holds none.
            if not isinstance(reply, RunResult) or not isinstance(reply.timeline, Timeline):
                return _stopped(timeline, "crash", "the run's reply was not a result")
            if len(reply.timeline):
                return _stopped(timeline, "crash", "the run's reply was not a result")
            reply.timeline = timeline
            return reply

    def cancel(self) -> bool:
        """Stop the run in progress (callable from any thread); False when none is running.

        The run returns at once with a ``cancelled`` error and no timeline."""
        if not self._running:
            return False
        self._cancel.set()
        self._signal_worker()
        return True

    def _signal_worker(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGUSR1)  # the worker kills its run child

    def _await_reply(self, deadline: float, idle: Callable[[], None] | None = None) -> Any:
        """The worker's reply; None when ``deadline`` passed first. A cancel shortens the wait
        to ``CANCEL_GRACE`` (asking again every ``POLL``, in case the child was not yet forked)."""
        fd, cancelled = self._from_worker, False
        while True:
            now = time.perf_counter()
            if self._cancel.is_set():
                if not cancelled:
                    cancelled, deadline = True, min(deadline, now + CANCEL_GRACE)
                self._signal_worker()
            if now >= deadline:
                return None
            ready, _, _ = select.select([fd], [], [], min(POLL, deadline - now))
            if ready:
                return protocol.receive(fd, deadline=deadline)
            if idle is not None:
                idle()

    def evaluate(
        self,
        path: str | Path,
        source: str,
        function: str,
        values: dict,
        x1,
        x2,
        columns: int,
        rows: int,
        time_limit: float = 5.0,
    ) -> list[list[float]] | str:
        """``function(x1, x2)`` of the lesson over a grid, in a worker child; or an error message."""
        request = {
            "path": str(Path(path).resolve()),
            "source": source,
            "evaluate": {
                "function": function,
                "values": values,
                "x1": x1,
                "x2": x2,
                "columns": columns,
                "rows": rows,
                "time": time_limit,
            },
        }
        return cast("list[list[float]] | str", self._ask(request, time_limit))

    def evaluate_points(
        self,
        path: str | Path,
        source: str,
        function: str,
        inputs: tuple[str, str],
        output: str,
        cases: list[dict[str, Any]],
        time_limit: float = 5.0,
    ) -> list[tuple[float, float, float, float]] | str:
        """``function(x1, x2)`` at the points the code worked on at some events, beside the
        code's answer there (``grid.evaluate_points``), in a worker child; or an error message."""
        request = {
            "path": str(Path(path).resolve()),
            "source": source,
            "evaluate": {
                "function": function,
                "inputs": list(inputs),
                "output": output,
                "cases": cases,
                "time": time_limit,
            },
        }
        return cast("list[tuple[float, float, float, float]] | str", self._ask(request, time_limit))

    def _ask(self, request: dict[str, Any], time_limit: float) -> Any:
        """One evaluation request: its reply, or an error message."""
        with self._lock:
            self._ensure_started()
            try:
                protocol.write_all(self._to_worker, protocol.encode(request))
                deadline = time.perf_counter() + time_limit + GRACE
                reply = protocol.receive(self._from_worker, deadline=deadline)
            except (OSError, EOFError) as exc:
                self._stop()
                return f"the worker process failed: {exc}"
            if reply is None:
                self._stop()
                return "the function did not return in time"
            if isinstance(reply, dict):
                return reply.get("error") or reply.get("died") or "the evaluation failed"
            return reply

    def _stop(self) -> None:
        process, self._process = self._process, None
        for fd in (self._to_worker, self._from_worker):
            if fd >= 0:
                os.close(fd)
        self._to_worker = self._from_worker = -1
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 9)  # the worker and any child it forked
            process.wait()

    def close(self) -> None:
        with self._lock:
            self._stop()


def _within_capacity(timeline: Timeline, chunk: Chunk, limits: Limits, printed: int) -> int:
    """A run keeps a bounded timeline (capacity, the last iterations, log-many summaries) and
    bounded output: chunks beyond that are not the tutor's recorder talking. Refused.
    Returns the characters of output received with this chunk."""
    if len(timeline) + len(chunk.lines) > 3 * limits.max_events + 1000:
        raise WireError(f"more events than a run keeps ({3 * limits.max_events:,})")
    output = chunk.output if type(chunk.output) is list else []
    printed += sum(len(o[1]) for o in output if type(o) is tuple and len(o) == 2)
    if printed > limits.max_output:
        raise WireError(f"more output than a run keeps ({limits.max_output:,} characters)")
    return printed


def _stopped(timeline: Timeline, kind: str, message: str) -> RunResult:
    """A run that stopped early: the events received, and why, at the last line received
    (where a run that stopped unanswered got to)."""
    return RunResult(timeline, RunError(kind, message, timeline.lines[-1] if len(timeline) else 1))


def error_problem(path: Path, error: RunError) -> Problem:
    """A run error as ``lesson.py:LINE: message``."""
    return Problem(path, error.line, error.message, error.column, kind="run")
