"""Keeping a run's processes in hand: every process a lesson starts ends with its run.

- The run child leads its own process group; when the run ends, the group is killed.
- A process the lesson forks (``os.fork``) closes the run's reply pipe at once (only the run
  child itself may answer) and is killed if the run child dies (Linux: parent-death signal).
- The worker is a child subreaper (Linux): a process that escaped the group (``os.setsid``)
  and lost its parent is handed to the worker, which kills every child left after a run.
- While it waits for a run, the worker watches its request pipe: when the tutor is gone
  (killed, the terminal closed), it kills the run and exits instead of waiting on.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(option, value, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Orphaned descendants of this process become its children (Linux)."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent() -> bool:
    """This process gets SIGKILL when its parent dies (Linux)."""
    return _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def guard_lesson_forks(reply_fd: int) -> None:
    """In the run child: whatever the lesson forks closes the reply pipe and dies with it."""

    def in_fork() -> None:  # (runs in every new child of the run, and of its children)
        with contextlib.suppress(OSError):
            os.close(reply_fd)
        die_with_parent()

    os.register_at_fork(after_in_child=in_fork)


def kill_group(pgid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pgid, signal.SIGKILL)


def children() -> list[int]:
    """The pids whose parent is this process (from /proc; empty where there is none)."""
    me, found = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            found.append(int(entry))
    return found


def sweep(run_child: int) -> None:
    """After a run: its group killed, every other child of the worker killed, all reaped."""
    kill_group(run_child)
    for pid in children():
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def wait_for_reply(reply_fd: int, request_fd: int) -> bool:
    """Block until the run child's reply pipe is readable (True), or the tutor went away
    (False: its request pipe hung up)."""
    poller = select.poll()
    poller.register(reply_fd, select.POLLIN | select.POLLHUP)
    poller.register(request_fd, select.POLLHUP)
    while True:
        try:
            ready = poller.poll()
        except InterruptedError:
            continue
        for fd, events in ready:
            if fd == request_fd and events & (select.POLLHUP | select.POLLERR):
                return False
            if fd == reply_fd:
                return True
