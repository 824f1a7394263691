"""Cold start as a person sees it: launch in a real terminal (tmux) until the lesson screen is up.

    python benchmarks/startup.py [-n 7] [--command 'nn-tutor 01'] [--pattern 'event\\s+\\d+/']

Each run starts a private tmux server, launches the command, and polls the screen
until the pattern (the status line's ``event K/N``) appears. A bare one-Static
Textual app is launched the same way, interleaved, as the baseline. Prints the
median, min and max of both and the ratio of the medians.

Target (issue "The Textual app"): nn-tutor 01 <= 1.5x the bare app.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

BARE = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare ready")
Bare().run()
"""


def launch_until(command: str, pattern: str, size: str, timeout: float = 20.0) -> float:
    socket = f"nn-tutor-bench-{uuid.uuid4().hex[:8]}"
    width, height = size.split("x")
    wanted = re.compile(pattern)
    started = time.perf_counter()
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "new-session",
            "-d",
            "-s",
            "s",
            "-x",
            width,
            "-y",
            height,
            f"env TERM=xterm-256color {command}; sleep 60",
        ],
        check=True,
    )
    try:
        while time.perf_counter() - started < timeout:
            screen = subprocess.run(
                ["tmux", "-L", socket, "capture-pane", "-p", "-t", "s"],
                capture_output=True,
                text=True,
            ).stdout
            if wanted.search(screen):
                return time.perf_counter() - started
            time.sleep(0.003)
        raise SystemExit(f"pattern {pattern!r} not seen within {timeout} s of: {command}")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=7)
    parser.add_argument("--size", default="120x36")
    default = shutil.which("nn-tutor") or f"{shlex.quote(sys.executable)} -m tutor"
    parser.add_argument("--command", default=f"{default} 01")
    parser.add_argument("--pattern", default=r"event\s+\d+/")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        raise SystemExit("this benchmark needs tmux")
    home = tempfile.mkdtemp()
    command = f"env NN_TUTOR_HOME={shlex.quote(home)} {args.command}"
    bare_py = os.path.join(home, "bare_app.py")
    with open(bare_py, "w") as handle:
        handle.write(BARE)
    bare_command = f"{shlex.quote(sys.executable)} {bare_py}"
    launch_until(bare_command, "bare ready", args.size)  # warm the disk cache
    launch_until(command, args.pattern, args.size)
    bare, target = [], []
    for _ in range(args.n):  # interleaved, so drift hits both alike
        bare.append(launch_until(bare_command, "bare ready", args.size) * 1e3)
        target.append(launch_until(command, args.pattern, args.size) * 1e3)
    median_bare, median_target = statistics.median(bare), statistics.median(target)
    print(f"bare      median {median_bare:6.0f} ms  min {min(bare):6.0f}  max {max(bare):6.0f}")
    print(
        f"nn-tutor  median {median_target:6.0f} ms  min {min(target):6.0f}  max {max(target):6.0f}"
    )
    print(f"ratio nn-tutor/bare (medians): {median_target / median_bare:.2f}  (target <= 1.50)")


if __name__ == "__main__":
    main()
