"""``graphmodel serve`` over real sockets: idle and slow connections are closed, others served.

A client that opens a connection and sends nothing, or sends its request's
head a byte at a time, must not hold the connection (or, a hundred at once,
the server) for good: the head has to arrive within the header timeout, an
idle keep-alive connection is closed after the keep-alive timeout, and at
most so many connections may wait idle at once (the longest idle are closed
first), while a real request on a new connection is answered at once. The
figures are the server's own (``graphmodel.web.server``), as
docs/explorer.md states them.
"""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from explorer_browser import Served, serve

from graphmodel.web.server import HEADER_TIMEOUT, KEEP_ALIVE_TIMEOUT, MAX_IDLE_CONNECTIONS

#: Slack for a busy machine: a close may come this much later than its figure.
SLACK = 5.0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = serve(str(EXAMPLE.relative_to(ROOT)), cache_dir=tmp_path_factory.mktemp("layouts"))
    yield server
    server.stop()


def connect(served: Served) -> socket.socket:
    host, port = served.origin.removeprefix("http://").rsplit(":", 1)
    connection = socket.create_connection((host, int(port)), timeout=30)
    return connection


def request_head(served: Served, path: str = "/api/summary", close: bool = False) -> bytes:
    host = served.origin.removeprefix("http://")
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}",
        f"Authorization: Bearer {served.token}",
        *(["Connection: close"] if close else []),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_response(connection: socket.socket) -> tuple[int, bytes]:
    """One whole response (status and body) off a keep-alive connection; every answer
    forbids sniffing."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    assert b"\r\nx-content-type-options: nosniff" in head.lower(), head
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return status, body


def closed_after(connection: socket.socket, limit: float) -> float | None:
    """Seconds until the server closes ``connection`` (reading nothing else), or None."""
    started = time.monotonic()
    connection.settimeout(limit)
    try:
        while chunk := connection.recv(65536):
            assert not chunk.startswith(b"HTTP/1.1 2"), chunk  # no answer to a silent client
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started


def is_closed(connection: socket.socket) -> bool:
    """Whether the server has closed ``connection`` (without waiting)."""
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except ConnectionResetError:
        return True


@pytest.mark.slow  # waits out the server's own timeout
def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(
    served: Served,
) -> None:
    with connect(served) as silent:
        waited = closed_after(silent, HEADER_TIMEOUT + SLACK)
    assert waited is not None, f"still open after {HEADER_TIMEOUT + SLACK} s"
    assert HEADER_TIMEOUT - 1 <= waited <= HEADER_TIMEOUT + SLACK


@pytest.mark.slow  # waits out the server's own timeout
def test_a_head_sent_a_byte_at_a_time_is_cut_off_at_the_header_timeout(served: Served) -> None:
    head = request_head(served)
    started = time.monotonic()
    with connect(served) as slow:
        sent = 0
        try:
            while time.monotonic() - started < HEADER_TIMEOUT + SLACK and sent < len(head) - 4:
                slow.sendall(head[sent : sent + 1])  # each byte resets nothing
                sent += 1
                if is_closed(slow):
                    break
                time.sleep(0.5)
        except (BrokenPipeError, ConnectionResetError):
            pass
        waited = time.monotonic() - started
        assert is_closed(slow) or closed_after(slow, SLACK) is not None
    assert HEADER_TIMEOUT - 1 <= waited <= HEADER_TIMEOUT + SLACK, waited


@pytest.mark.slow  # waits out the server's own timeout
def test_keep_alive_serves_several_requests_then_closes_when_idle(served: Served) -> None:
    with connect(served) as kept:
        for _ in range(3):
            kept.sendall(request_head(served))
            status, body = read_response(kept)
            assert status == 200 and b'"nodes"' in body
        waited = closed_after(kept, KEEP_ALIVE_TIMEOUT + SLACK)
    assert waited is not None
    assert KEEP_ALIVE_TIMEOUT - 1 <= waited <= KEEP_ALIVE_TIMEOUT + SLACK


def test_a_hundred_idle_connections_do_not_lock_the_server_out(served: Served) -> None:
    idle = []
    try:
        for _ in range(100):
            idle.append(connect(served))
            time.sleep(0.005)  # in order: the oldest are the first opened
        time.sleep(1.0)
        open_now = [connection for connection in idle if not is_closed(connection)]
        assert len(open_now) <= MAX_IDLE_CONNECTIONS
        # The longest idle went first: those still open are the last opened.
        assert open_now == idle[len(idle) - len(open_now) :]
        started = time.monotonic()
        with connect(served) as client:
            client.sendall(request_head(served, close=True))
            status, _ = read_response(client)
        assert status == 200 and time.monotonic() - started < SLACK
    finally:
        for connection in idle:
            connection.close()


def test_a_request_in_progress_is_not_idle(served: Served) -> None:
    # A client reading its answer slowly is busy, not idle: new idle connections leave it be.
    with connect(served) as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        busy.sendall(request_head(served, "/api/overview?max_nodes=2000"))
        first = busy.recv(1024)
        assert first.startswith(b"HTTP/1.1 200")
        others = [connect(served) for _ in range(MAX_IDLE_CONNECTIONS + 10)]
        try:
            time.sleep(0.5)
            assert not is_closed(busy)
        finally:
            for connection in others:
                connection.close()
        busy.settimeout(30)
        rest = b""
        while chunk := busy.recv(65536):
            rest += chunk
            if rest.endswith(b"}"):
                break
        assert rest.endswith(b"}")


def test_a_websocket_handshake_is_not_upgraded(served: Served) -> None:
    host = served.origin.removeprefix("http://")
    handshake = (
        "GET /api/summary HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"Authorization: Bearer {served.token}\r\n"
        "Connection: Upgrade\r\nUpgrade: websocket\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    ).encode()
    with connect(served) as client:
        client.sendall(handshake)
        status, _ = read_response(client)
    assert status != 101
    with connect(served) as client:  # and the server goes on
        client.sendall(request_head(served, close=True))
        assert read_response(client)[0] == 200


@pytest.mark.parametrize(
    "target", [b"/api/nodes/caf\xc3\xa9", b"/api/nodes/a b", b"not-a-path\x00"]
)
def test_a_request_that_is_not_http_gets_one_line_of_json(served: Served, target: bytes) -> None:
    host = served.origin.removeprefix("http://").encode()
    with connect(served) as client:
        client.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
        status, body = read_response(client)
        assert closed_after(client, SLACK) is not None
    assert status == 400
    error = json.loads(body)
    assert list(error) == ["error"] and error["error"].startswith("not a valid HTTP request")
    assert "\n" not in error["error"]


def test_the_figures_are_those_the_docs_state() -> None:
    docs = " ".join((Path(ROOT) / "docs" / "explorer.md").read_text(encoding="utf-8").split())
    assert f"{HEADER_TIMEOUT:g} seconds" in docs
    assert f"{KEEP_ALIVE_TIMEOUT:g} seconds" in docs
    assert f"{MAX_IDLE_CONNECTIONS} idle connections" in docs
