"""Running the explorer: a uvicorn server on a socket we bind, announced once it answers."""

from __future__ import annotations

import os
import secrets
import socket
import sys
import webbrowser
from collections.abc import Callable
from typing import Any

import uvicorn

from graphmodel.errors import GraphModelError
from graphmodel.explore.live import ServedGraph
from graphmodel.explore.saved_views import SavedViews

from .app import create_app
from .connections import GuardedH11Protocol
from .guard import Guard, allowed_hosts

#: Where the token comes from when ``--token`` is not given.
TOKEN_VARIABLE = "GRAPHMODEL_TOKEN"

#: Seconds a client has to send a request's head, from connecting or from the last answer.
HEADER_TIMEOUT = 10.0
#: Seconds an answered keep-alive connection may stay idle.
KEEP_ALIVE_TIMEOUT = 5
#: Connections that may wait idle at once; past that the longest idle is closed.
MAX_IDLE_CONNECTIONS = 32


class ServeError(GraphModelError):
    """The explorer could not start (the port is taken, the host cannot be bound)."""


def new_token() -> str:
    """A random token for one run (URL-safe, 32 bytes of randomness)."""
    return secrets.token_urlsafe(32)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (``port`` 0: a free one).

    Raises
    ------
    ServeError
        When the address cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The protocol named, so that asyncio sets TCP_NODELAY on each connection
    # (it checks sock.proto): without it, answers wait 40 ms for delayed ACKs.
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    listener.listen(128)
    listener.set_inheritable(True)
    return listener


def can_open_browser() -> bool:
    """Whether a browser window can be shown (a desktop, or a display on Linux)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that calls ``announce`` once it accepts requests."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self._announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._announce()


def prepare(
    served: ServedGraph,
    *,
    views: SavedViews | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    open_browser: bool = True,
    echo: Callable[[str], Any] = print,
    ready: Callable[[], None] | None = None,
) -> tuple[uvicorn.Server, socket.socket]:
    """The server of :func:`serve` and its bound socket, not yet running.

    ``server.run(sockets=[listener])`` runs it (in any thread; ``server.should_exit =
    True`` stops it); it prints ``serving SOURCE at http://HOST:PORT/?token=TOKEN``
    through ``echo`` once it answers, then opens that URL in a browser when
    ``open_browser`` and there is a display; ``ready`` is called after that.

    Raises
    ------
    ServeError
        When the address cannot be bound.
    """
    token = token or os.environ.get(TOKEN_VARIABLE) or new_token()
    listener = bind(host, port)
    port = listener.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/?token={token}"
    app = Guard(create_app(served, views), token, allowed_hosts(host, port), port)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        date_header=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
        # A deadline for each request's head and a cap on idle connections (see
        # web/connections.py); answered connections idle past the keep-alive close.
        http=GuardedH11Protocol.configured(HEADER_TIMEOUT, MAX_IDLE_CONNECTIONS),
        timeout_keep_alive=KEEP_ALIVE_TIMEOUT,
        # No websocket protocol at all: an upgrade request is plain HTTP (the guard
        # refuses websocket scopes too).
        ws="none",
        # An export names the nodes on screen in its address: allow long ones.
        h11_max_incomplete_event_size=4 * 1024 * 1024,
    )

    def announce() -> None:
        echo(f"serving {served.explorer.source} at {url}")
        if open_browser and can_open_browser():
            webbrowser.open(url)
        if ready is not None:
            ready()

    return _AnnouncingServer(config, announce), listener


def serve(
    served: ServedGraph,
    *,
    views: SavedViews | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    open_browser: bool = True,
    echo: Callable[[str], Any] = print,
    ready: Callable[[], None] | None = None,
) -> None:
    """Serve ``served`` (and the shared ``views``) until interrupted (Ctrl-C stops it cleanly).

    Prints ``serving SOURCE at http://HOST:PORT/?token=TOKEN`` once the
    server answers, then opens that URL in a browser when ``open_browser``
    and there is a display; ``ready`` is called after that (warming caches).

    Raises
    ------
    ServeError
        When the address cannot be bound.
    """
    server, listener = prepare(
        served,
        views=views,
        host=host,
        port=port,
        token=token,
        open_browser=open_browser,
        echo=echo,
        ready=ready,
    )
    try:
        server.run(sockets=[listener])
    finally:
        listener.close()
