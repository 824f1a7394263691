"""What the status line says about the last run: what failed and where, in a few words."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..run.result import RunError

RUNNING = "running your code… ctrl+c cancels"


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
