"""What the status line says about the last run: what failed and where, in a few words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..run.result import RunError

RUNNING = "running your code… ctrl+c cancels"
RECORDING = "recording… ctrl+c cancels"


def run_outcome(error: RunError | None, kept: bool = False) -> str:
    """One line about how a run ended ("" when it ran clean). ``kept``: the steps on screen
    are still the previous run's (a syntax error, a cancel)."""
    if error is None:
        return ""
    line, kind = error.line, error.kind
    if kind == "cancelled":
        return "run cancelled: the steps shown are from the last run" if kept else "run cancelled"
    if kind == "syntax":
        tail = ": the steps shown are from the last run that worked" if kept else ""
        return f"syntax error on line {line}: fix it and ctrl+r{tail}"
    if kind == "exception":
        name = error.message.split(":", 1)[0].strip() or "an error"
        return f"your code raised {name} on line {line}"
    if kind == "timeout":
        return f"stopped at the time limit on line {line}: an endless loop?"
    if kind == "memory":
        return f"stopped at the memory limit on line {line}"
    if kind == "exit":
        return f"your code called sys.exit on line {line}"
    if kind == "tracing":
        return f"your code turned tracing off on line {line}: the rest was not recorded"
    return f"the run failed: {error.message}"


@dataclass(frozen=True)
class Recording:
    """A run still going: the events so far, stepped through while the rest records."""

    events: int  # lines run so far
    iterations: int  # training iterations so far
    expected: int  # iterations the training loop has (0: not known)
    elapsed: float  # seconds so far
    limit: float  # the time limit, seconds

    def fraction(self) -> float:
        """How far the run is: by iterations when the loop's length is known, else by time
        against the time limit."""
        if self.expected > 0:
            return min(1.0, self.iterations / self.expected)
        return min(1.0, self.elapsed / self.limit) if self.limit > 0 else 0.0

    def words(self) -> str:
        """``6,023 events · iteration 120 of 300`` (or ``· 1.2 s of the 10 s limit``)."""
        if self.expected > 0:
            tail = f"iteration {self.iterations:,} of {self.expected:,}"
        else:
            tail = f"{self.elapsed:.1f} s of the {self.limit:g} s limit"
        return f"{self.events:,} events · {tail}"


def bar(fraction: float, width: int) -> str:
    """A progress bar in eighths of a cell: ``▕███▍      ▏``."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    body = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return f"▕{body.ljust(width)}▏"
