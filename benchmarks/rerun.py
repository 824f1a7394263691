"""ctrl+r -> the updated screen, for lesson 01, against a cold worker in the same run.

    python benchmarks/rerun.py [-n 30]

In-process, the way keylatency.py measures: the key is sent as Textual's Pilot
sends it; the clock stops when the first screen update after the new timeline
was put on screen has finished rendering. The warm worker (numpy imported,
fork per run) is what the tutor uses; the baseline starts a fresh worker process
for each run (what a rerun would cost without keeping one warm).

Target (issue "Edit and rerun"): <= 150 ms from ctrl+r to the updated screen.
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

from textual import events  # noqa: E402
from textual.screen import Screen  # noqa: E402

from tutor.app import make_app  # noqa: E402
from tutor.app.screens.lesson import LessonScreen  # noqa: E402
from tutor.core.lesson.load import load_lesson  # noqa: E402
from tutor.core.run.runner import Runner  # noqa: E402

perf = time.perf_counter
UPDATES: list[tuple[float, float]] = []
SHOWN: list[float] = []
_update, _show = Screen._on_timer_update, LessonScreen.show_result


def _timed_update(self) -> None:  # type: ignore[no-untyped-def]
    started = perf()
    _update(self)
    UPDATES.append((started, perf()))


def _timed_show(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    SHOWN.append(perf())
    return _show(self, *args, **kwargs)


Screen._on_timer_update = _timed_update  # type: ignore[method-assign]
LessonScreen.show_result = _timed_show  # type: ignore[method-assign]


async def measure(n: int) -> list[float]:
    app = make_app("01")
    out = []
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(500):
            if isinstance(app.screen, LessonScreen) and app.screen.navigator is not None:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.5)
        for _ in range(n + 3):
            await pilot._wait_for_screen()
            shown = len(SHOWN)
            sent = perf()
            app._driver.send_message(events.Key("ctrl+r", None))
            done = None
            while perf() < sent + 10:
                await asyncio.sleep(0)
                if len(SHOWN) > shown:
                    later = [u for u in UPDATES if u[0] > SHOWN[shown]]
                    if later:
                        done = later[0][1]
                        break
            if done is None:
                raise SystemExit("no updated screen within 10 s of ctrl+r")
            out.append((done - sent) * 1e3)
            await pilot.pause(0.05)
    return out[3:]  # the first reruns warm the caches


def cold(n: int) -> list[float]:
    lesson = load_lesson(Path(__file__).resolve().parent.parent / "lessons" / "01-one-neuron")
    out = []
    for _ in range(n):
        started = perf()
        with Runner() as runner:
            runner.run(lesson.py_path, lesson.source, lesson.iteration)
        out.append((perf() - started) * 1e3)
    return out


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{name:<34} median {statistics.median(ordered):7.1f} ms   p99 {p99:7.1f} ms  (n={len(ordered)})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    os.environ["NN_TUTOR_HOME"] = tempfile.mkdtemp()  # leave the learner's progress alone
    warm = asyncio.run(measure(args.n))
    baseline = cold(max(5, args.n // 3))
    print(summary("ctrl+r -> updated screen (warm)", warm))
    print(summary("baseline: cold worker, run only", baseline))
    print(f"target <= 150 ms: {'met' if statistics.median(warm) <= 150 else 'MISSED'} (median)")


if __name__ == "__main__":
    main()
