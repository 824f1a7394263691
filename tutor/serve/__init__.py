"""``nn-tutor serve``: the tutor in a browser, through textual-serve, one data folder per browser.

textual-serve runs a command once per websocket: each browser tab gets its own tutor process.
What this module adds is who the tab belongs to. The page load gives a browser a random token
in a cookie (HttpOnly, SameSite=Strict) when it has none; the websocket that tab opens carries
the cookie, and the tutor process started for it gets ``NN_TUTOR_HOME=<data>/learners/<token>``,
so learners sharing one server never share edits or progress. A token is 32 lowercase hex
digits or it is not used: nothing a browser sends becomes part of a path otherwise.

This module (the host check, the command, the tokens) imports nothing heavy: the CLI uses it
before starting a server, the tests without one. ``server.py`` is the server.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

COOKIE = "nn_tutor_learner"
TOKEN = re.compile(r"[0-9a-f]{32}")
COOKIE_MAX_AGE = 365 * 24 * 3600  # a school year and more: the browser keeps its learner


def is_local(host: str) -> bool:
    """Whether only this computer can reach a server bound to ``host`` (a loopback address)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    import ipaddress  # (here: the CLI imports this module on every start)

    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name, or "" / "0.0.0.0" style wildcards: other computers too


def host_warning(host: str) -> str | None:
    """What to say before serving on ``host``; None when only this computer can connect."""
    if is_local(host):
        return None
    return (
        f"nn-tutor: warning: serving on {host or 'every address'}: whoever can reach this "
        "address can open the tutor, and the lesson code they write runs on this computer "
        "with the server's permissions (it can read and write the files this user can), "
        "within the run limits (time, memory, output, processes); it is not a sandbox. "
        "Serve only to people you trust, on a network you trust."
    )


def warn_about_host(host: str, stream: Any = None) -> bool:
    """Print ``host_warning`` to stderr (or ``stream``); whether there was one."""
    warning = host_warning(host)
    if warning is not None:
        print(warning, file=stream if stream is not None else sys.stderr, flush=True)
    return warning is not None


def tutor_command(root: Path, lesson: Path | None = None, predict: bool = True) -> str:
    """The shell command each browser tab runs: this Python, this tutor, ``open``.

    ``exec`` so the process textual-serve starts (and stops) is the tutor itself, not a shell
    around it; ``-P`` so a ``tutor`` folder in the server's current folder is never the one
    imported (``tutor_pythonpath`` puts this installation first).
    """
    import shlex

    argv = [sys.executable, "-P", "-m", "tutor", "open", "--lessons-dir", str(root.resolve())]
    if lesson is not None:
        argv.append(str(lesson.resolve()))
    if not predict:
        argv.append("--no-predict")
    return "exec " + shlex.join(argv)


def tutor_pythonpath(existing: str | None) -> str:
    """``PYTHONPATH`` for a tutor process: the folder this ``tutor`` package was imported from,
    then whatever was there."""
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join([here, existing or ""]).rstrip(os.pathsep)


def valid_token(value: str | None) -> str | None:
    """``value`` when it is a token this server could have made (32 lowercase hex), else None."""
    if value is not None and TOKEN.fullmatch(value):
        return value
    return None


def learner_home(learners: Path, token: str) -> Path:
    """The data folder of the browser holding ``token`` (already checked by ``valid_token``)."""
    if valid_token(token) is None:
        raise ValueError("not a learner token")
    return learners / token


def learners_dir() -> Path:
    """``<data folder>/learners``: where the server keeps each browser's folder."""
    from ..core.datafiles import data_dir

    return data_dir() / "learners"


def serve(
    root: Path,
    lesson: Path | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    predict: bool = True,
) -> int:
    """Run the server until ctrl+c (or SIGTERM)."""
    learners = learners_dir()
    try:  # only this user reads the learners' folders
        learners.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        print(f"nn-tutor: cannot make {learners}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    from .server import LearnerServer

    try:
        LearnerServer(tutor_command(root, lesson, predict), learners, host, port).serve()
    except OSError as exc:  # the port is taken, the host is not this computer's…
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        print(f"nn-tutor: cannot serve on {host}:{port}: {why}", file=sys.stderr)
        return 2
    return 0
