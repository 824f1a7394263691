"""A real ``nn-tutor serve`` and a real headless Chromium, for the serve tests and the README's
screenshot (docs/make_serve_screenshot.py).

The server runs as a subprocess in its own session, with its own data folder; ``stop`` ends it,
then kills whatever is left of it and its tutors (found by the data folder in their
environment), so nothing outlives a test, failed or not.

textual-serve draws the terminal (xterm.js) on a canvas: there is no text in the page. The
screen is read from xterm.js's own buffer: a script run before the page's captures each
terminal as it is made (xterm's public ``Terminal`` sets ``this._core`` in its constructor),
and ``screen_text`` asks it for its rows.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = f"chromium not found at {CHROMIUM}; .ci/run installs it"
VIEWPORT = {"width": 1280, "height": 800}
HAS_PROC = Path("/proc/self/environ").exists()  # Linux: a process's environment is readable

# Failure guards only: each wait returns as soon as what it waits for is there.
START_TIMEOUT = 60.0
SCREEN_TIMEOUT = 90.0

CAPTURE_TERMINALS = """
(() => {
  const seen = [];
  window.__nnTutorTerminals = seen;
  Object.defineProperty(Object.prototype, "_core", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "_core", {
        value, writable: true, configurable: true, enumerable: true,
      });
      seen.push(this);
    },
  });
})();
"""

SCREEN_TEXT = """
() => {
  const terminals = window.__nnTutorTerminals || [];
  const term = terminals.find(
    (t) => t && t.buffer && t.buffer.active && typeof t.buffer.active.getLine === "function"
  );
  if (!term) return null;
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}
"""

EVENT = re.compile(r"event (\d+)/(\d+)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """``nn-tutor serve ARGS`` on a free port of 127.0.0.1, with ``home`` as its data folder."""

    def __init__(self, home: Path, *args: str) -> None:
        self.home = home
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None
        self.log = home.parent / f"{home.name}-server.log"
        self.url = ""

    @property
    def learners(self) -> Path:
        return self.home / "learners"

    def start(self) -> Served:
        for _attempt in range(3):  # the port may be taken between free_port() and the bind
            port = free_port()
            self.url = f"http://127.0.0.1:{port}/"
            env = dict(os.environ, NN_TUTOR_HOME=str(self.home))
            env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
            env.pop("NN_TUTOR_LESSONS", None)
            with open(self.log, "wb") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "tutor", "serve", "--port", str(port), *self.args],
                    cwd=REPO,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_until_up():
                return self
            self.stop()
        raise AssertionError(f"nn-tutor serve did not start:\n{self.output()}")

    def _wait_until_up(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(self.url, timeout=5) as response,
            ):
                if response.status == 200:
                    return True
            time.sleep(0.1)
        return False

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM (the server closes its tabs, which ends their tutors); then kill the rest."""
        process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
        if process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        kill_processes_using(self.home)

    def __enter__(self) -> Served:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def processes_using(home: Path) -> list[int]:
    """The processes whose NN_TUTOR_HOME is ``home`` or under it: the server and its tutors
    (and their workers, which inherit it). Linux's /proc."""
    mark = f"NN_TUTOR_HOME={home}".encode()
    found: list[int] = []
    if not HAS_PROC:
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if any(v == mark or v.startswith(mark + b"/") for v in environ.split(b"\0")):
            found.append(int(entry.name))
    return found


def kill_processes_using(home: Path) -> None:
    for _round in range(50):
        pids = processes_using(home)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)


def open_tutor(context: Any, url: str) -> Any:
    """A page of ``context`` (its own cookies) at the server's ``url``, reading its terminal."""
    page = context.new_page()
    page.add_init_script(CAPTURE_TERMINALS)
    # The page links a web font from Google: offline, and not needed. Only the server answers.
    origin = url.rstrip("/")
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort(),
    )
    page.goto(url)
    return page


def screen_text(page: Any) -> str:
    """The terminal's rows as text (empty until the terminal exists)."""
    return page.evaluate(SCREEN_TEXT) or ""


def wait_for_screen(
    page: Any, wanted: Callable[[str], Any], what: str, timeout: float = SCREEN_TIMEOUT
) -> str:
    """Poll the screen until ``wanted(text)`` is true; return that text. Fails after
    ``timeout`` seconds (a guard, not a measure) with the last screen."""
    deadline = time.monotonic() + timeout
    text = ""
    while True:
        text = screen_text(page)
        if wanted(text):
            return text
        if time.monotonic() > deadline:
            if not text and page.evaluate("(window.__nnTutorTerminals || []).length") == 0:
                what += " (no xterm.js terminal was captured: has textual-serve's xterm.js changed? see CAPTURE_TERMINALS)"
            raise AssertionError(f"waited {timeout:.0f} s for {what}; the screen:\n{text}")
        page.wait_for_timeout(100)


def event_number(text: str) -> int | None:
    match = EVENT.search(text)
    return int(match.group(1)) if match else None


def focus_terminal(page: Any) -> None:
    """Give the keyboard to the terminal (its hidden textarea), without a click on a pane."""
    page.focus(".xterm-helper-textarea")
