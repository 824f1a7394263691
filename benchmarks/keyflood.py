"""A flood of → keys, and playback at its top speed, against a bare app in the same run.

    python benchmarks/keyflood.py [--lesson 05] [--keys 2000] [--gap 0.002] [--runs 5]

Flood: ``--keys`` → keys are sent ``--gap`` seconds apart from another thread (faster than a
screen can be drawn, as a held key or a paste sends them, whatever the app is doing). Measured: from the last key sent until the screen update that
shows the final position has been drawn. Target: within 100 ms. The bare one-Static app gets the
same flood (its "position" is a counter).

Playback: space at 32 steps/s for 3 s; printed: the steps per second the navigator took (a
step is an event, or one more line of a derivation). Target: the set speed (frames may be
skipped, steps not).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events  # noqa: E402
from textual.app import App  # noqa: E402
from textual.screen import Screen  # noqa: E402

from benchmarks.keylatency import Bare, settle  # noqa: E402  (it also times every screen update)
from tutor.app import make_app  # noqa: E402

perf = time.perf_counter
DRAWN: list[tuple[float, object]] = []  # (when an update finished, the position it showed)
_update = Screen._on_timer_update


def _position(screen: Screen) -> object:
    navigator = getattr(screen, "navigator", None)
    if navigator is not None:
        return navigator.position
    return getattr(screen.app, "k", None)


def _count_keys(app: App) -> list[int]:
    """Counts the → keys the app has handled (its step action, wrapped)."""
    handled = [0]
    target, name = (
        (app.screen, "action_step") if hasattr(app.screen, "action_step") else (app, "action_next")
    )
    original = getattr(target, name)

    def counted(*args: object) -> None:
        handled[0] += 1
        original(*args)

    setattr(target, name, counted)
    return handled


def _timed(self: Screen) -> None:
    shown = _position(self)
    _update(self)
    DRAWN.append((perf(), shown))


Screen._on_timer_update = _timed  # type: ignore[method-assign]


async def flood(app: App, keys: int, gap: float, runs: int) -> list[float]:
    out = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        await settle(app)
        await pilot.pause(0.3)
        for _ in range(runs):
            navigator = getattr(app.screen, "navigator", None)
            if navigator is not None:
                navigator.first()
                app.screen.redraw()  # type: ignore[attr-defined]
                await pilot.pause(0.2)
            handled = _count_keys(app)
            # Keys arrive from another thread, as a terminal's do: at their own pace, however
            # busy the app's event loop is (a sender on the loop would wait for the app).
            loop = asyncio.get_running_loop()
            sent = threading.Event()
            stamp = [0.0]

            def send(loop=loop, sent=sent, stamp=stamp) -> None:  # type: ignore[no-untyped-def]
                for _ in range(keys):
                    loop.call_soon_threadsafe(app._driver.send_message, events.Key("right", None))
                    stamp[0] = perf()
                    time.sleep(gap)
                sent.set()

            threading.Thread(target=send, daemon=True).start()
            while not sent.is_set():
                await asyncio.sleep(0.01)
            last = stamp[0]
            while True:
                await asyncio.sleep(0.001)
                if handled[0] < keys:
                    continue
                want = _position(app.screen)
                shown = [t for t, p in DRAWN if t > last and p == want]
                if shown:
                    out.append((shown[0] - last) * 1e3)
                    break
                    raise SystemExit("the final position was not drawn within 60 s")
    return out


async def playback(app: App, seconds: float) -> float:
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        await settle(app)
        await pilot.pause(0.3)
        screen = app.screen
        screen.navigator.first()  # type: ignore[attr-defined]
        screen.player.speed = 5  # type: ignore[attr-defined]  (32 events/s)
        await pilot.press("space")
        player = screen.player  # type: ignore[attr-defined]
        t0 = player._started
        await asyncio.sleep(seconds)
        # Steps the navigator took (an event, or one more line of a derivation shown).
        moved, elapsed = player._stepped, player._clock() - t0
        await pilot.press("space")
    return moved / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lesson", default="05")
    parser.add_argument("--keys", type=int, default=2000)
    parser.add_argument("--gap", type=float, default=0.002)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["NN_TUTOR_HOME"] = str(Path(tmp) / "home")
        bare = asyncio.run(flood(Bare(), args.keys, args.gap, args.runs))
        lesson = asyncio.run(
            flood(
                make_app(args.lesson, preload=True, predict=False), args.keys, args.gap, args.runs
            )
        )
        rate = asyncio.run(playback(make_app(args.lesson, preload=True, predict=False), 3.0))
    for name, values in (("bare", bare), (f"lesson {args.lesson}", lesson)):
        ordered = sorted(values)
        print(
            f"flood {name:<10} last key -> final position drawn: median {statistics.median(ordered):7.1f} ms"
            f"  max {ordered[-1]:7.1f} ms  ({args.keys} keys {args.gap * 1e3:.0f} ms apart, n={len(ordered)})"
        )
    print(f"playback lesson {args.lesson} set to 32 steps/s: {rate:.1f} steps/s")


if __name__ == "__main__":
    main()
