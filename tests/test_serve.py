"""``nn-tutor serve`` without a browser: the command each tab runs, the learner token, and the
real server's page, cookie and websocket (aiohttp's client in place of a browser)."""

from __future__ import annotations

import shlex
import signal
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from tutor.serve import (
    COOKIE,
    is_local,
    learner_home,
    tutor_command,
    tutor_pythonpath,
    valid_token,
)

from .browser_support import HAS_PROC, Served, processes_using

TOKEN = "0123456789abcdef0123456789abcdef"

needs_proc = pytest.mark.skipif(
    not HAS_PROC, reason="finds the tutors by their environment in /proc"
)


def test_each_tab_runs_this_python_and_this_tutor_with_paths_quoted(tmp_path):
    root = tmp_path / "the lessons; rm -rf ~ 'quoted' $(x)"
    lesson = root / "01 it's mine"
    command = tutor_command(root, lesson, predict=False)
    argv = shlex.split(command)
    assert argv == [
        "exec",
        sys.executable,
        "-P",  # a tutor/ folder in the server's current folder is not imported
        "-m",
        "tutor",
        "open",
        "--lessons-dir",
        str(root.resolve()),
        str(lesson.resolve()),
        "--no-predict",
    ]
    assert shlex.split(tutor_command(Path("lessons")))[-2:] == [
        "--lessons-dir",
        str(Path("lessons").resolve()),
    ]


def test_the_tutor_imported_comes_first_on_the_tabs_path():
    repo = str(Path(__file__).resolve().parent.parent)
    assert tutor_pythonpath(None) == repo
    assert tutor_pythonpath("/elsewhere") == f"{repo}:/elsewhere"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        TOKEN.upper(),
        TOKEN[:-1],
        TOKEN + "0",
        "../" + TOKEN[3:],
        TOKEN[:-1] + "/",
        TOKEN + "\n",
        "0123456789abcdef0123456789abcdeg",
    ],
)
def test_only_32_lowercase_hex_digits_name_a_learner(value, tmp_path):
    assert valid_token(value) is None
    if value is not None:
        with pytest.raises(ValueError):
            learner_home(tmp_path, value)


def test_a_learners_folder_is_under_learners(tmp_path):
    assert valid_token(TOKEN) == TOKEN
    assert learner_home(tmp_path / "learners", TOKEN) == tmp_path / "learners" / TOKEN


def test_is_local():
    assert is_local("127.0.0.1") and is_local("::1") and is_local("localhost")
    assert not is_local("0.0.0.0") and not is_local("") and not is_local("example.org")


# -- the server, over HTTP -----------------------------------------------------------------


@pytest.fixture
def served(tmp_path):
    with Served(tmp_path / "server-home", "01") as server:
        yield server


def get(url: str, cookie: str | None = None, host: str | None = None):
    request = urllib.request.Request(url)
    if cookie is not None:
        request.add_header("Cookie", f"{COOKIE}={cookie}")
    if host is not None:
        request.add_header("Host", host)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, response.read().decode()


def set_cookie(headers) -> dict[str, str]:
    [value] = headers.get_all("Set-Cookie")
    name_value, *attributes = [part.strip() for part in value.split(";")]
    name, _, token = name_value.partition("=")
    assert name == COOKIE
    return {
        "token": token,
        **{a.partition("=")[0].lower(): a.partition("=")[2] for a in attributes},
    }


def test_the_page_gives_a_new_browser_a_learner_cookie(served):
    headers, page = get(served.url)
    cookie = set_cookie(headers)
    assert valid_token(cookie["token"])
    assert "httponly" in cookie and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert "secure" not in cookie  # plain http: a Secure cookie would never come back
    # Each new browser its own token; a browser with one keeps it.
    assert set_cookie(get(served.url)[0])["token"] != cookie["token"]
    assert set_cookie(get(served.url, cookie=TOKEN)[0])["token"] == TOKEN
    # A made-up token is replaced, never used.
    assert set_cookie(get(served.url, cookie="../../etc")[0])["token"] != "../../etc"
    assert f"ws://127.0.0.1:{served.url.split(':')[2].rstrip('/')}/ws" in page


def test_the_page_connects_to_the_host_the_browser_asked_for(served):
    port = served.url.split(":")[2].rstrip("/")
    _, page = get(served.url, host=f"localhost:{port}")
    # Loaded from localhost, the websocket is on localhost too: same site, so the cookie goes.
    assert f'data-session-websocket-url="ws://localhost:{port}/ws"' in page
    assert f"http://localhost:{port}/static/js/textual.js" in page


async def test_a_websocket_without_a_learner_cookie_is_refused(served):
    async with aiohttp.ClientSession() as session:
        for cookie in (None, "../../etc", TOKEN.upper()):
            headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(f"{served.url}ws", headers=headers)
            assert refused.value.status == 403
    assert not served.learners.exists() or not any(served.learners.iterdir())


@needs_proc
async def test_a_websocket_starts_a_tutor_in_its_learners_folder(served):
    home = served.learners / TOKEN
    headers = {"Cookie": f"{COOKIE}={TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{served.url}ws?width=100&height=30", headers=headers) as websocket,
    ):
        # The tutor draws (textual's web driver sends bytes) once it has started.
        message = await websocket.receive(timeout=60)
        assert message.type == aiohttp.WSMsgType.BINARY
        tutors = processes_using(home)
        assert tutors, "no process has NN_TUTOR_HOME set to the learner's folder"
        argv = Path(f"/proc/{tutors[0]}/cmdline").read_bytes().split(b"\0")
        assert argv[:5] == [sys.executable.encode(), b"-P", b"-m", b"tutor", b"open"]
    # The tab closed: its tutor ends.
    assert wait_until(lambda: not processes_using(home)), processes_using(home)


def wait_until(done, timeout: float = 30.0) -> bool:
    """Poll ``done()`` until true or ``timeout`` seconds (a failure guard) pass."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@needs_proc
async def test_stopping_the_server_ends_the_tutors_of_open_tabs(served):
    headers = {"Cookie": f"{COOKIE}={TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{served.url}ws", headers=headers) as websocket,
    ):
        await websocket.receive(timeout=60)  # the tutor is up
        assert processes_using(served.learners / TOKEN)
        served.process.send_signal(signal.SIGTERM)  # as ctrl+c: SIGINT does the same
        assert wait_until(lambda: served.process.poll() is not None), served.output()
        ends = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
        while (await websocket.receive(timeout=30)).type not in ends:
            pass  # the screen drawn before the server stopped

    assert wait_until(lambda: not processes_using(served.home)), processes_using(served.home)
