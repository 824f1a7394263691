"""Opening a lesson -> its first steppable event, against waiting for the whole run.

    python benchmarks/firstevent.py [-n 7] [--lessons 12,big] [--events 400000]

In-process, headless (Textual's ``run_test``) at 120x36, the way a learner opens a lesson
from the picker: the worker process is warm (the picker starts it), the lesson screen is
pushed, and the clock runs until the first event can be stepped (the screen has a run
with at least one event), then until the run has finished. The second time is the
baseline measured in the same run: before the timeline streamed, a lesson opened only
once its whole run was recorded. ``big`` is a generated lesson of about ``--events``
events (one neuron, trained long).

Target (the run engine issue): the first event steppable within 0.3 s of opening.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.biglesson import write_big_lesson  # noqa: E402

perf = time.perf_counter


async def open_once(root: Path, folder: Path) -> tuple[float, float, int, int]:
    """Seconds to the first steppable event and to the finished run; events then and at the end."""
    from tutor.app import make_app
    from tutor.app.screens.lesson import LessonScreen
    from tutor.core.lesson.load import load_lesson

    app = make_app(None, root)
    async with app.run_test(size=(120, 36)) as pilot:
        await asyncio.to_thread(app.runner.start)
        await pilot.pause()
        lesson = load_lesson(folder)  # (the picker has every lesson loaded)
        started = perf()
        app.open_lesson(lesson)
        first = done = 0.0
        first_events = 0
        while True:
            await asyncio.sleep(0.002)
            screen = app.screen
            if not isinstance(screen, LessonScreen) or screen.navigator is None:
                continue
            if not first and len(screen.navigator):
                first, first_events = perf() - started, len(screen.navigator)
            if screen.run is not None and screen.run.finished:
                done = perf() - started
                return first, done, first_events, len(screen.navigator)


def quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=7, help="openings per lesson")
    parser.add_argument("--lessons", default="09,big")
    parser.add_argument("--events", type=int, default=400_000, help="events of the big lesson")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="nn-tutor-bench-")
    os.environ["NN_TUTOR_HOME"] = home  # the benchmark's progress and edits, not the learner's
    root = Path(home) / "lessons"
    root.mkdir()
    bundled = Path(__file__).resolve().parent.parent / "lessons"
    for name in args.lessons.split(","):
        if name != "big":
            source = next(bundled.glob(f"{name}-*"))
            (root / source.name).symlink_to(source)
    if "big" in args.lessons.split(","):
        write_big_lesson(root, args.events)
    print(f"opening each lesson {args.n} times at 120x36, the worker warm")
    cold = True
    for folder in sorted(root.iterdir()):
        firsts, dones, counts = [], [], []
        for _ in range(args.n):
            first, done, first_events, events = asyncio.run(open_once(root, folder))
            if cold:  # the first lesson a session opens loads the lesson screen's modules
                print(
                    f"{folder.name:<18} first event  {first * 1000:7.0f} ms (the session's first opening)"
                )
                cold = False
                continue
            firsts.append(first)
            dones.append(done)
            counts.append(first_events)
        f50, f99 = quantiles(firsts)
        d50, d99 = quantiles(dones)
        print(
            f"{folder.name:<18} first event  median {f50 * 1000:7.0f} ms  p99 {f99 * 1000:7.0f} ms"
            f"   (first shown: {statistics.median(counts):,.0f} of {events:,} events)"
        )
        print(
            f"{'':<18} whole run    median {d50 * 1000:7.0f} ms  p99 {d99 * 1000:7.0f} ms"
            f"   (the wait before streaming)   first/whole: {f50 / d50:.2f}"
        )


if __name__ == "__main__":
    main()
