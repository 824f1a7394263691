"""Peak memory of every tutor process while a long run records, against a short one.

    python benchmarks/memory.py [--events 20000000] [--runs 1]

Runs ``nn-tutor trace`` (the CLI, its worker, and the run's child: all the tutor's processes
of a run) on generated one-neuron lessons of about 1,000, 2,000,000 (the capacity kept in
full) and ``--events`` events, sampling the resident memory (VmRSS) of the whole process tree
every 20 ms. Printed: each process's peak, and the peak of their sum, for each lesson: the
small lessons are the baselines of the same run (what the tutor costs at all, and at
capacity). Past capacity the timeline is summarised, so the long run must stay near the
capacity's figure, and under the target: every process bounded, their sum under 1.5 GiB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.biglesson import write_big_lesson  # noqa: E402

MiB = 1 << 20


def _tree(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grown = bool(more)
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for row in status:
                if row.startswith("VmRSS:"):
                    return int(row.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(root: Path, lesson: str, time_limit: float) -> tuple[float, dict[int, int], int]:
    """Seconds, each process's peak RSS (by pid: the CLI, its worker, the run's child are
    started in that order), and the peak of their sum."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "tutor", "--lessons-dir", str(root), "trace", lesson]
    command += ["--time-limit", str(time_limit), "--limit", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    peak_sum = 0
    while process.poll() is None:
        total = 0
        for pid in _tree(process.pid):
            rss = _rss(pid)
            total += rss
            peaks[pid] = max(peaks.get(pid, 0), rss)
        peak_sum = max(peak_sum, total)
        time.sleep(0.02)
    return time.perf_counter() - started, peaks, peak_sum


def describe(peaks: dict[int, int]) -> str:
    roles = ["cli", "worker", "run child"]
    return ", ".join(
        f"{roles[k] if k < len(roles) else 'other'} {rss / MiB:.0f}"
        for k, (_, rss) in enumerate(sorted(peaks.items()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="nn-tutor-memory-"))
    sizes = [("small", 1_000), ("capacity", 2_000_000), ("long", args.events)]
    print("peak resident memory (MiB) of the tutor's processes during `nn-tutor trace`")
    for name, events in sizes:
        root = home / name
        write_big_lesson(root, events)
        limit = max(30.0, events / 100_000)  # (a long run needs a longer time limit)
        for _ in range(args.runs):
            seconds, peaks, peak_sum = measure(root, "90", limit)
            print(
                f"{name:<9} {events:>11,} events  {seconds:6.1f} s   sum of processes "
                f"{peak_sum / MiB:6.0f} MiB   ({describe(peaks)})"
            )
    print("target: the long run's sum under 1536 MiB, and near the capacity run's")


if __name__ == "__main__":
    main()
