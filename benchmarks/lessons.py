"""How long each bundled lesson takes to record, against an empty lesson in the same run.

    python benchmarks/lessons.py [--runs 5]

Each lesson (its exercises' solutions filled in) runs through the tutor's Runner, as the app
and ``nn-tutor check`` run it; the baseline is a one-line lesson through the same warm
worker (fork, trace, reply). Printed per lesson: median and p99 of the recording time the
run reports, and the share of the default 10 s time limit it uses.

Target (the run engine issue): every lesson within a quarter of the default time limit, so
neither ``check`` nor a test runs near the limit when the machine is busy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.core.lesson.collection import default_lessons_dir  # noqa: E402
from tutor.core.lesson.load import load_lesson  # noqa: E402
from tutor.core.run.result import Limits  # noqa: E402
from tutor.core.run.runner import Runner  # noqa: E402


def summary(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    limit = Limits().time
    lessons = [
        load_lesson(f)
        for f in sorted(default_lessons_dir().iterdir())
        if (f / "lesson.py").exists()
    ]
    with tempfile.TemporaryDirectory() as tmp, Runner() as runner:
        empty = Path(tmp) / "lesson.py"
        empty.write_text("x = 1\n")
        times: dict[str, list[float]] = {"(empty lesson)": []}
        for _ in range(args.runs):  # interleaved, so machine noise hits all alike
            times["(empty lesson)"].append(runner.run(empty).elapsed)
            for lesson in lessons:
                result = runner.run(lesson.py_path, lesson.source, lesson.iteration)
                assert result.error is None, (lesson.id, result.error)
                times.setdefault(lesson.id, []).append(result.elapsed)
    base = summary(times["(empty lesson)"])[0]
    worst = 0.0
    for name, seconds in times.items():
        median, p99 = summary(seconds)
        worst = max(worst, p99) if name != "(empty lesson)" else worst
        print(
            f"{name:<20} median {median:6.3f} s  p99 {p99:6.3f} s  "
            f"({median / limit:5.1%} of the {limit:g} s limit; {median - base:+.3f} s vs empty)"
        )
    verdict = "met" if worst <= limit / 4 else "MISSED"
    print(f"target: every lesson within {limit / 4:g} s (a quarter of the limit): {verdict}")


if __name__ == "__main__":
    main()
