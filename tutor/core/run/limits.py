"""The limits a run lives within, applied inside the run child: time (SIGALRM), memory
(RLIMIT_AS) and output (a stand-in for stdout and stderr that keeps only so much)."""

from __future__ import annotations

import math
import signal
from collections.abc import Callable


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


def size_text(n: int) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MiB"


def start_alarm(seconds: float, inside: str) -> object:
    """Raise TimeLimitExceeded in lesson code after ``seconds``; never inside the recorder's
    own file (``inside``) or this one, where an event could be left half written."""
    if not hasattr(signal, "setitimer") or not math.isfinite(seconds) or seconds <= 0:
        return None

    def alarm(signum, frame):
        if frame is not None and frame.f_code.co_filename in (inside, __file__):
            # Inside the recorder itself (mid-event): raising here could leave an event half
            # written. Try again in a millisecond, when the lesson's own code is running.
            signal.setitimer(signal.ITIMER_REAL, 0.001, 0.25)
            return
        raise TimeLimitExceeded

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
