"""Keypress -> frame on screen, for lessons 01, 05, 07 and a 1,000,000-event lesson, against a bare app.

    python benchmarks/keylatency.py [-n 200] [--key right] [--size 120x36] [--lessons 01,05,07]

Measured in-process the way a person waits: the key event is sent as Textual's
Pilot sends it, and the clock stops when the first screen update that starts
after the key has finished rendering. (``pilot.press`` + ``pilot.pause`` would
instead sleep in 20 ms steps.) A bare one-Static app is measured in the same run
as the baseline. The lessons are run before the app starts (``preload``), so only
stepping is measured. Relies on Textual internals (``Screen._on_timer_update``,
``App._driver``) and says so if they moved.

Targets: median within one 60 Hz frame (16.7 ms) of the bare app's and p99 <= 50 ms, on lessons
01, 05, 07 and the 1,000,000-event lesson.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import Static  # noqa: E402

from benchmarks.biglesson import write_big_lesson  # noqa: E402
from tutor.app import make_app  # noqa: E402

perf = time.perf_counter
UPDATES: list[tuple[float, float]] = []
if not hasattr(Screen, "_on_timer_update"):
    sys.exit("this Textual has no Screen._on_timer_update: the benchmark needs updating")
_original = Screen._on_timer_update


def _timed(self) -> None:  # type: ignore[no-untyped-def]
    started = perf()
    _original(self)
    UPDATES.append((started, perf()))


Screen._on_timer_update = _timed  # type: ignore[method-assign]


class Bare(App):
    BINDINGS = [("right", "next", "Next")]

    def compose(self) -> ComposeResult:
        self.k = 0
        yield Static("event 0", id="s")

    def action_next(self) -> None:
        self.k += 1
        self.query_one("#s", Static).update(f"event {self.k}")


async def settle(app: App) -> None:
    """Wait for the app's workers (a cancelled one, like a superseded boundary, is fine)."""
    from textual.worker import WorkerCancelled

    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


async def measure(app: App, key: str, n: int, warmup: int, size: tuple[int, int]) -> list[float]:
    out: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.5)
        await settle(app)
        await pilot.pause(0.2)
        for i in range(warmup + n):
            navigator = getattr(app.screen, "navigator", None)
            if navigator is not None and navigator.event == len(navigator) - 1:
                navigator.first()  # at the end: start over (not measured) so every key steps
                app.screen.redraw()
                await pilot.pause(0.05)
            await pilot._wait_for_screen()
            await asyncio.sleep(0.003)
            k = len(UPDATES)
            sent = perf()
            app._driver.send_message(events.Key(key, None))
            done = None
            deadline = sent + 2.0
            while perf() < deadline:
                await asyncio.sleep(0)
                later = [u for u in UPDATES[k:] if u[0] > sent]
                if later:
                    done = later[0][1]
                    break
            if done is None:
                raise SystemExit(f"no screen update within 2 s after key {key!r}")
            if i >= warmup:
                out.append((done - sent) * 1e3)
    return out


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):6.1f} ms  p99 {p99:6.1f} ms  "
        f"max {ordered[-1]:6.1f} ms  (n={len(ordered)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--key", default="right")
    parser.add_argument("--size", default="120x36")
    parser.add_argument("--lessons", default="01,05,07", help="bundled lessons to measure")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["NN_TUTOR_HOME"] = str(Path(tmp) / "home")  # leave the learner's progress alone
        big = write_big_lesson(Path(tmp))
        results = {"bare": asyncio.run(measure(Bare(), "right", args.n, args.warmup, size))}
        gc.collect()
        for lesson in args.lessons.split(","):
            results[f"lesson {lesson}"] = asyncio.run(
                measure(
                    make_app(lesson, preload=True, predict=False),
                    args.key,
                    args.n,
                    args.warmup,
                    size,
                )
            )
            gc.collect()
        app = make_app(str(big), preload=True, predict=False)
        events_in_big = len(app.preloaded.timeline)
        results[f"{events_in_big:,} events"] = asyncio.run(
            measure(app, args.key, args.n, args.warmup, size)
        )
    bare = statistics.median(results["bare"])
    for name, values in results.items():
        extra = "" if name == "bare" else f"   ({statistics.median(values) - bare:+.1f} ms vs bare)"
        print(f"{name:<18} {summary(values)}{extra}")


if __name__ == "__main__":
    main()
