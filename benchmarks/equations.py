"""Equation speed: the equation pane's work per event, and checking every equation of a lesson.

    python benchmarks/equations.py [--events 100000] [--runs 5]

1. Pane update: for every event of lesson 01, what the lesson screen does when
   the learner arrives there (verdicts for the step's equations, 2D layout with
   numbers plugged in), timed per event. Baseline in the same run: reading the
   event's values (what the values pane needs anyway).
2. Check: ``check_equations`` over a lesson whose timeline holds ``--events``
   events, against a baseline of evaluating the same equations event by event.

Targets (issue "Math that matches the code"): pane update <= 2 ms per event;
checking every equation of a lesson at 100,000 events <= 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.biglesson import write_big_lesson  # noqa: E402
from tutor.core.equation.verify import check_equations, equations_for_line, verdict_at  # noqa: E402
from tutor.core.lesson.load import load_lesson  # noqa: E402
from tutor.core.navigator import Navigator  # noqa: E402
from tutor.core.run.result import Limits  # noqa: E402
from tutor.core.run.runner import Runner  # noqa: E402
from tutor.core.view.equation_rows import present_step  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, values: list[float], unit: str = "ms") -> str:
    return f"{name:<26} median {statistics.median(values):8.3f} {unit}   p99 {percentile(values, 99):8.3f} {unit}"


def pane_update(lesson, timeline) -> list[float]:
    """What LessonScreen._show_equations computes, for every event (full derivations shown)."""
    navigator = Navigator(lesson, timeline)
    times = []
    for event in range(len(timeline)):
        started = time.perf_counter()
        step_id = timeline.step(event)
        if step_id is not None:
            step = lesson.step(step_id)
            compiled = {step.equations.index(c.source): c for c in lesson.equations[step.id]}
            stores = lesson.stores.get(timeline.line(event), ())
            verdicts = {
                k: verdict_at(c, timeline, event, lesson.tolerance_for(step.id))
                for k, c in compiled.items()
                if c.target in stores
            }
            present_step(step, len(step.equations), compiled, verdicts, lesson.digits)
        times.append((time.perf_counter() - started) * 1e3)
    assert navigator is not None
    return times


def read_values(timeline) -> list[float]:
    times = []
    for event in range(len(timeline)):
        started = time.perf_counter()
        timeline.values(event)
        times.append((time.perf_counter() - started) * 1e3)
    return times


def naive_check(lesson, timeline) -> int:
    """The baseline: every equation, event by event, through the same compiled functions."""
    failures = 0
    for event in range(len(timeline)):
        for compiled in equations_for_line(lesson, timeline.line(event)):
            verdict = verdict_at(
                compiled,
                timeline,
                event,
                lesson.tolerance_for(lesson.anchors[timeline.line(event)]),
            )
            failures += verdict.ok is False
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with Runner(Limits(time=120.0)) as runner:
        lesson = load_lesson(REPO / "lessons" / "01-one-neuron")
        timeline = runner.run(lesson.py_path, lesson.source, lesson.iteration).timeline
        pane, values = [], []
        for _ in range(args.runs):
            pane += pane_update(lesson, timeline)
            values += read_values(timeline)
        print(f"1. equation pane, lesson 01: {len(timeline)} events x {args.runs} runs")
        print(line("   pane update per event", pane))
        print(line("   baseline: read values", values))
        print(
            f"   target <= 2 ms per event: {'met' if percentile(pane, 99) <= 2 else 'MISSED'} (p99)"
        )

        with tempfile.TemporaryDirectory() as tmp:
            big = load_lesson(write_big_lesson(Path(tmp), args.events))
            result = runner.run(big.py_path, big.source, big.iteration)
        assert result.ok and not big.problems, (result.error, big.problems)
        check_equations(big, result.timeline)  # warm: numpy import
        checks, naive = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            problems = check_equations(big, result.timeline)
            checks.append(time.perf_counter() - started)
            assert not problems, problems
            started = time.perf_counter()
            assert naive_check(big, result.timeline) == 0
            naive.append(time.perf_counter() - started)
    print(
        f"2. check every equation at every event: {len(result.timeline):,} events x {args.runs} runs"
    )
    print(line("   check_equations", checks, "s "))
    print(line("   baseline: event by event", naive, "s "))
    print(f"   target <= 1 s: {'met' if max(checks) <= 1 else 'MISSED'} (slowest run)")


if __name__ == "__main__":
    main()
