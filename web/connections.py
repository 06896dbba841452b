"""Connections the explorer's server keeps: a deadline for each request's head, and a cap on
connections waiting idle.

uvicorn reads a request's head without a deadline: a client that connects
and sends nothing (or a byte now and then) holds its connection for good,
and a hundred such clients hold a hundred. :class:`GuardedH11Protocol`,
uvicorn's HTTP/1.1 protocol (h11) with two rules added, is the server's
``http`` protocol:

- **a deadline for the head**: from the moment a connection opens, and again
  from each answer sent on a kept-alive connection, the next request's head
  must arrive whole within ``header_timeout`` seconds, or the connection is
  closed (bytes trickling in do not extend it);
- **a cap on idle connections**: a connection is *idle* while it waits for a
  request's head; when a new one would make more than ``max_idle`` idle
  connections, the longest idle is closed. A connection whose request is
  being answered is never counted, so a real client, which sends its request
  at once, is served whoever else holds sockets open.

uvicorn's own keep-alive timeout still closes an answered connection left
idle (after ``timeout_keep_alive``). A request h11 cannot read is answered
with the API's one line of JSON, as every other error.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .guard import COMMON_HEADERS


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head and a cap on idle
    connections (see the module's docstring); configure with :meth:`configured`."""

    header_timeout: float = 10.0
    max_idle: int = 32

    @classmethod
    def configured(cls, header_timeout: float, max_idle: int) -> type[GuardedH11Protocol]:
        """This protocol with its figures set, for ``uvicorn.Config(http=...)``."""
        settings = {"header_timeout": header_timeout, "max_idle": max_idle}
        return type(cls.__name__, (cls,), settings)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None
        #: When the connection started waiting for a request's head (None: it is busy).
        self.idle_since: float | None = None

    # -- idle: waiting for a request's head ----------------------------------------------

    def _wait_for_head(self) -> None:
        self._cancel_deadline()
        self.idle_since = self.loop.time()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._close)

    def _cancel_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _close(self) -> None:
        self._cancel_deadline()
        self.idle_since = None
        if not self.transport.is_closing():
            self.transport.close()

    def _close_longest_idle(self) -> None:
        idle = sorted(
            (
                connection
                for connection in self.connections
                if isinstance(connection, GuardedH11Protocol)
                and connection is not self
                and connection.idle_since is not None
            ),
            key=lambda connection: connection.idle_since or 0.0,
        )
        for connection in idle[: max(len(idle) + 1 - self.max_idle, 0)]:
            connection._close()

    def _follow_state(self) -> None:
        """Idle (with its deadline) exactly while waiting for a request's head: h11 has read
        no head since the last answer was sent whole."""
        if self.transport is None or self.transport.is_closing():
            return
        answered = self.cycle is None or self.cycle.response_complete
        waiting = answered and self.conn.their_state is h11.IDLE
        if waiting and self.idle_since is None:
            self._wait_for_head()
        elif not waiting and self.idle_since is not None:
            self._cancel_deadline()
            self.idle_since = None

    # -- uvicorn's protocol -----------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._follow_state()
        self._close_longest_idle()

    def handle_events(self) -> None:
        super().handle_events()
        self._follow_state()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_state()

    def send_400_response(self, msg: str) -> None:
        """A request h11 cannot read (not HTTP, a raw non-ASCII path) gets the API's one
        line of JSON too, not uvicorn's plain text; the connection is then closed."""
        body = json.dumps({"error": f"not a valid HTTP request ({msg.rstrip('.').lower()})"})
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *COMMON_HEADERS,
        ]
        try:
            output = self.conn.send(h11.Response(status_code=400, headers=headers))
            output += self.conn.send(h11.Data(data=body.encode())) or b""
            output += self.conn.send(h11.EndOfMessage()) or b""
        except h11.LocalProtocolError:  # too late for an answer: just close
            output = b""
        if output:
            self.transport.write(output)
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        self.idle_since = None
        super().connection_lost(exc)
