"""The web server: textual-serve's, with a learner cookie and a data folder per browser."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from . import COOKIE, COOKIE_MAX_AGE, learner_home, tutor_pythonpath, valid_token

log = logging.getLogger("textual-serve")


class LearnerAppService(AppService):
    """A tutor process with the browser's own data folder."""

    def __init__(self, command: str, *, home: Path, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.home = home

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment["NN_TUTOR_HOME"] = str(self.home)
        environment["PYTHONPATH"] = tutor_pythonpath(environment.get("PYTHONPATH"))
        return environment

    async def end(self, grace: float = 5.0) -> None:
        """Ask the tutor to quit; kill it when it has not quit within ``grace`` seconds."""
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(self.stop(), grace)
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), grace)


class LearnerServer(Server):
    """textual-serve's server, with a learner cookie and a data folder per browser."""

    def __init__(self, command: str, learners: Path, host: str, port: int) -> None:
        super().__init__(command, host=host, port=port, title="nn-tutor")
        self.learners = learners
        self.sockets: set[web.WebSocketResponse] = set()

    async def on_startup(self, app: web.Application) -> None:
        """(textual-serve prints its logo here, before the port is bound: ``serve`` says it.)"""

    def serve(self, debug: bool = False) -> None:
        """textual-serve's ``serve``, saying where once the port is bound (a port in use raises
        OSError before anything is said)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda _message: self.say_where(),
        )

    def say_where(self) -> None:
        print(f"nn-tutor: serving on {self.address()}", flush=True)
        print(f"each browser's code and progress: {self.learners}{os.sep}<token>", flush=True)
        print("ctrl+c stops the server", flush=True)

    def address(self) -> str:
        """Where browsers find the server: ``http://HOST:PORT``, with this computer's name for
        an address that means every address."""
        host = self.host
        if host in ("", "0.0.0.0", "::"):
            return f"http://{socket.gethostname()}:{self.port} (every address of this computer)"
        if ":" in host:
            host = f"[{host.strip('[]')}]"
        return f"http://{host}:{self.port}"

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab's websocket: each handler then ends its tutor process."""
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    def _urls(self, request: web.Request) -> tuple[str, str]:
        """The page's static and websocket addresses, on the host the browser asked for.

        textual-serve writes ``http://<bind address>:<port>`` into the page: for 0.0.0.0 no
        browser could connect, and a page loaded from ``localhost`` would open its websocket on
        ``127.0.0.1``, another site, without the learner's cookie.
        """
        secure = request.secure
        host = request.host
        static = f"{'https' if secure else 'http'}://{host}/static/"
        websocket = f"{'wss' if secure else 'ws'}://{host}/ws"
        return static, websocket

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        static, websocket = self._urls(request)
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"  # the cookie is set on this response
        token = valid_token(request.cookies.get(COOKIE)) or secrets.token_hex(16)
        # Sent again on every load: the browser keeps it another year from its last visit.
        response.set_cookie(
            COOKIE,
            token,
            max_age=COOKIE_MAX_AGE,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=request.secure,
        )
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, with the tutor process started in the browser's folder."""
        token = valid_token(request.cookies.get(COOKIE))
        if token is None:  # no page load first, cookies blocked, or another site's request
            raise web.HTTPForbidden(text="nn-tutor: no learner cookie: load the page first")
        home = learner_home(self.learners, token)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: LearnerAppService | None = None
        self.sockets.add(websocket)
        try:
            await websocket.prepare(request)
            service = LearnerAppService(
                self.command,
                home=home,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            self.sockets.discard(websocket)
            if service is not None:
                await service.end()
        return websocket
