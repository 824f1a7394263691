"""The limits a run lives within, applied inside the run child: time (SIGALRM), memory
(RLIMIT_AS) and output (a stand-in for stdout and stderr that keeps only so much)."""

from __future__ import annotations

import codecs
import math
import os
import signal
import threading
from collections.abc import Callable, Collection


class TimeLimitExceeded(BaseException):
    """Raised in lesson code by the alarm; a BaseException so ``except Exception`` won't eat it."""


class Output:
    """Stands in for stdout/stderr: keeps what the lesson prints, tagged with its event."""

    def __init__(self, limit: int, event_count: Callable[[], int]) -> None:
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


class FdCapture:
    """What the lesson writes to file descriptors 1 and 2 themselves (``os.write``, C code)
    goes into ``output`` too, under the same limit: a pipe drained by a thread while the
    lesson runs (so nothing grows outside the limit, and a full pipe never blocks the run)."""

    def __init__(self, output: Output) -> None:
        self.output = output
        self._saved: list[int] = []
        self._thread: threading.Thread | None = None
        self._read = -1

    def start(self) -> FdCapture:
        try:
            self._read, write = os.pipe()
            for fd in (1, 2):
                self._saved.append(os.dup(fd))
                os.dup2(write, fd)
            os.close(write)
        except OSError:  # (no such descriptors: nothing to capture)
            self._restore()
            return self
        self._thread = threading.Thread(target=self._drain, name="fd output", daemon=True)
        self._thread.start()
        return self

    def _drain(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        while True:
            try:
                chunk = os.read(self._read, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.output.write(decoder.decode(chunk))
        self.output.write(decoder.decode(b"", final=True))

    def _restore(self) -> None:
        for fd, saved in zip((1, 2), self._saved, strict=False):
            os.dup2(saved, fd)
            os.close(saved)
        self._saved = []

    def stop(self) -> None:
        self._restore()  # the pipe's last write end closes: the thread reads to the end
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        if self._read >= 0:
            os.close(self._read)


def size_text(n: int) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MiB"


def start_alarm(seconds: float, inside: Collection[str]) -> object:
    """Raise TimeLimitExceeded in lesson code after ``seconds``; never inside the recorder's
    own files (``inside``) or this one, where an event could be left half written."""
    if not hasattr(signal, "setitimer") or not math.isfinite(seconds) or seconds <= 0:
        return None

    def alarm(signum, frame):
        if frame is not None and frame.f_code.co_filename in files:
            # Inside the recorder itself (mid-event): raising here could leave an event half
            # written. Try again in a millisecond, when the lesson's own code is running.
            signal.setitimer(signal.ITIMER_REAL, 0.001, 0.25)
            return
        raise TimeLimitExceeded

    files = frozenset([*inside, __file__])
    previous = signal.signal(signal.SIGALRM, alarm)
    # Fire again every 0.25 s in case the lesson swallows the first one with a bare except.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    return previous


def stop_alarm(previous) -> None:
    if previous is not None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(limit: int):
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
