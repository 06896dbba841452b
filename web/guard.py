"""The explorer's guard: its host, its token, and the headers every answer carries.

An ASGI middleware in front of the app, so that nothing reaches a route
unless:

- the ``Host`` header names the bound host, ``localhost`` or ``127.0.0.1``
  with the server's port (else 403: a page on another site that rebinds its
  DNS name to 127.0.0.1 must not read the API);
- the request carries the token, as ``?token=``, ``Authorization: Bearer``
  or the cookie the page set on its first visit (else 401);
- it is plain HTTP: a websocket is refused (the explorer serves none), so a
  websocket route added later cannot skip these checks.

The token is taken out of the query string before the app sees it, so an
endpoint's parameters never include it; a page visit with ``?token=`` sets
the cookie (HttpOnly, SameSite=Strict, named for the port: cookies are
shared between the ports of one host). Every answer forbids framing and
sniffing and sends no referrer; the page may load only its own scripts and
styles. No CORS header is ever sent.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import cookie_parser

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The page's Content-Security-Policy: its own scripts, styles and API, nothing else. The
#: layout's web worker is a file the server serves (assets/layout-worker.js), never a blob:
#: the library's own supervisor would make, so worker-src needs nothing but 'self'.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)

#: The close code a refused websocket gets (RFC 6455: the endpoint's policy forbids it).
WEBSOCKET_POLICY_VIOLATION = 1008

#: The headers every answer carries (the guard adds them; refusals outside the app too).
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", PAGE_POLICY.encode()),
]


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values a server bound to ``host:port`` accepts.

    Example
    -------
    >>> sorted(allowed_hosts("127.0.0.1", 8765))
    ['127.0.0.1:8765', 'localhost:8765']
    """
    names = {host, "localhost", "127.0.0.1"}
    return frozenset(f"[{name}]:{port}" if ":" in name else f"{name}:{port}" for name in names)


def cookie_name(port: int) -> str:
    """The token cookie's name for a port."""
    return f"graphmodel_token_{port}"


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *COMMON_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: Host check (403), token check (401), token cookie, safe headers.

    Parameters
    ----------
    app
        The ASGI app guarded.
    token
        The secret every request must carry.
    hosts
        The accepted ``Host`` header values (see :func:`allowed_hosts`).
    port
        The served port (names the cookie).
    """

    def __init__(self, app: ASGIApp, token: str, hosts: Iterable[str], port: int) -> None:
        self.app = app
        self.token = token.encode()
        self.hosts = {host.lower() for host in hosts}
        self.cookie = cookie_name(port)

    def _cookie_values(self, headers: list[tuple[bytes, bytes]]) -> list[bytes]:
        """Every value of the token cookie, whatever other cookies the browser sends beside it.

        Cookies ignore ports, so another local app may have set cookies that
        ``http.cookies`` cannot parse (a JSON value, a space, no value): it stops
        at the first of them. Each ``name=value`` pair is read on its own, as
        browsers read them (Starlette's parser), in every ``Cookie`` header.
        """
        values = []
        for name, header in headers:
            if name != b"cookie":
                continue
            for pair in header.decode("latin-1").split(";"):
                value = cookie_parser(pair).get(self.cookie)
                if value is not None:
                    values.append(value.encode("latin-1", "replace"))
        return values

    def _carries_token(self, scope: Scope, query: list[tuple[str, str]]) -> tuple[bool, bool]:
        """Whether the request carries the token, and whether it came in the query."""
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        offered = [value.encode() for key, value in query if key == "token"]
        from_query = bool(offered)
        for name, authorization in headers:
            if name == b"authorization" and authorization[:7].lower() == b"bearer ":
                offered.append(authorization[7:].strip())
        offered.extend(self._cookie_values(headers))
        good = any(hmac.compare_digest(candidate, self.token) for candidate in offered)
        return good, from_query

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # The explorer serves no websocket: refuse them all before any route (a
            # websocket route added later would otherwise skip the Host and token checks).
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": WEBSOCKET_POLICY_VIOLATION})
            return
        if scope["type"] != "http":  # lifespan
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:
            await _refuse(send, 403, f"host {host or '(none)'!r} is not this server's")
            return
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        good, from_query = self._carries_token(scope, query)
        if not good:
            await _refuse(
                send, 401, "missing or wrong token: open the URL graphmodel serve printed"
            )
            return
        scope = dict(scope)
        scope["query_string"] = urlencode([(k, v) for k, v in query if k != "token"]).encode()
        set_cookie = from_query and scope["path"] == "/"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (key, value)
                    for key, value in message.get("headers", [])
                    if key.lower() not in {name for name, _ in COMMON_HEADERS}
                ]
                headers.extend(COMMON_HEADERS)
                if set_cookie:
                    cookie = (
                        f"{self.cookie}={self.token.decode()}; Path=/; HttpOnly; SameSite=Strict"
                    )
                    headers.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
