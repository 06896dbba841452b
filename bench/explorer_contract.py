"""Benchmark: what the explorer's HTTP contract costs a served request, and idle sockets.

The server keeps, for every request, the rules of ``web/contract.py`` (route
matching on the raw path, HEAD as GET, unknown parameters refused) and of
``web/connections.py`` (a deadline for each request's head, a cap on idle
connections). In one run, on the bundled example, two servers are started
in fresh interpreters, each on its own free port:

- **baseline**: the same app and guard with FastAPI's plain route class and
  uvicorn's plain h11 protocol (what the server was before these rules);
- **contract**: the server as ``graphmodel serve`` runs it.

Each is driven in turns by the same clients: ``--clients`` threads, each on
one kept-alive connection, asking a cycle of cheap endpoints (summary, a
node, a search, a page of neighbours, an unknown-parameter 400) for
``--seconds`` each turn; each round drives both servers alone, then both
again while 100 other sockets, opened just before, sit idle on them (and
counts how many of those the server still holds open at the end).
It prints the server's processor time per request (user + system, read from
``/proc``: on a shared machine it varies far less than the wall clock),
requests per second, p50 and p99 latency, the ratios to the baseline of the
same run, and each server's peak resident memory (VmHWM).

    .venv/bin/python bench/explorer_contract.py [--seconds 10] [--rounds 3] [--clients 8]

Goal: the contract server's processor time per request within 10% of the
baseline's; idle sockets neither slow it nor hold it (they are closed: at most
32 stay).
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "children-trust"
TOKEN = "bench-token"
PATHS = [
    "/api/summary",
    "/api/nodes/p-social-worker",
    "/api/search?q=safeguarding&limit=10",
    "/api/nodes/org-fellgate/neighbours?limit=20",
    "/api/nodes/p-teacher?colour=red",  # a 400: unknown parameter
]

#: The server, in a fresh interpreter: ``baseline`` or ``contract``; prints its port.
SERVER = """
import socket, sys, uvicorn
from fastapi.routing import APIRoute
from uvicorn.protocols.http.h11_impl import H11Protocol
import graphmodel.web.app as web_app
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.explore import Explorer
from graphmodel.explore.live import ServedGraph
from graphmodel.web import server
from graphmodel.web.connections import GuardedH11Protocol
from graphmodel.web.guard import Guard, allowed_hosts

variant, source, token = sys.argv[1:4]
if variant == "baseline":
    web_app.ContractRoute = APIRoute  # FastAPI's plain route class
    protocol = H11Protocol
else:
    protocol = GuardedH11Protocol.configured(server.HEADER_TIMEOUT, server.MAX_IDLE_CONNECTIONS)
listener = server.bind("127.0.0.1", 0)
port = listener.getsockname()[1]
served = ServedGraph.fixed(Explorer(MemoryBackend(read_dataset(source)), source))
app = Guard(web_app.create_app(served), token, allowed_hosts("127.0.0.1", port), port)
config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", http=protocol,
                        timeout_keep_alive=server.KEEP_ALIVE_TIMEOUT, ws="none")
print(port, flush=True)
uvicorn.Server(config).run(sockets=[listener])
"""


class Server:
    """A benchmark server in its own interpreter."""

    def __init__(self, variant: str) -> None:
        self.variant = variant
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, variant, str(EXAMPLE), TOKEN],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        time.sleep(0.5)

    def cpu_seconds(self) -> float:
        """The server's processor time so far (user + system)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return ticks / os.sysconf("SC_CLK_TCK")

    def peak_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


Run = tuple[float, list[float], float]


def drive(server: Server, clients: int, seconds: float) -> Run:
    """Requests per second, every request's latency, and the server's processor seconds
    per request, ``clients`` connections at once."""
    port = server.port
    cpu = server.cpu_seconds()
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.monotonic() + seconds
    headers = {"Host": f"127.0.0.1:{port}", "Authorization": f"Bearer {TOKEN}"}

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        step = index
        while time.monotonic() < stop:
            path = PATHS[step % len(PATHS)]
            step += 1
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies[index].append(time.perf_counter() - started)
            assert response.status in (200, 400), (path, response.status)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    every = [latency for per in latencies for latency in per]
    return len(every) / elapsed, every, (server.cpu_seconds() - cpu) / len(every)


def still_open(connection: socket.socket) -> bool:
    """Whether the server still holds ``connection`` open (without waiting)."""
    connection.setblocking(False)
    try:
        return connection.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except ConnectionResetError:
        return False


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    options = parser.parse_args()
    console = Console(width=120)
    servers = {variant: Server(variant) for variant in ("baseline", "contract")}
    results: dict[str, list[Run]] = {}
    held: dict[str, list[int]] = {name: [] for name in servers}
    try:
        for _ in range(options.rounds):
            for idle in (False, True):
                for name, server in servers.items():
                    key = f"{name}, 100 idle sockets" if idle else name
                    sockets = [
                        socket.create_connection(("127.0.0.1", server.port))
                        for _ in range(100 if idle else 0)
                    ]
                    time.sleep(0.5)
                    results.setdefault(key, []).append(
                        drive(server, options.clients, options.seconds)
                    )
                    if idle:
                        held[name].append(sum(still_open(s) for s in sockets))
                    for connection in sockets:
                        connection.close()
        peaks = {name: server.peak_mib() for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()

    def summary(runs: list[Run]) -> tuple[float, float, float, float]:
        rate = statistics.median(run[0] for run in runs)
        every = [latency for run in runs for latency in run[1]]
        cpu = statistics.median(run[2] for run in runs)
        return cpu * 1e6, rate, percentile(every, 0.5) * 1000, percentile(every, 0.99) * 1000

    base_cpu, base_rate, _, _ = summary(results["baseline"])
    table = Table(title=f"{options.clients} clients, {options.rounds} x {options.seconds:g} s")
    columns = ("server", "CPU µs/request", "ratio", "requests/s", "ratio", "p50 ms", "p99 ms")
    for column in (*columns, "peak MiB"):
        table.add_column(column, justify="right" if column != "server" else "left")
    for name, runs in results.items():
        cpu, rate, p50, p99 = summary(runs)
        table.add_row(
            name,
            f"{cpu:,.0f}",
            f"{cpu / base_cpu:.2f}x",
            f"{rate:,.0f}",
            f"{rate / base_rate:.2f}x",
            f"{p50:.1f}",
            f"{p99:.1f}",
            f"{peaks[name.split(',')[0]]:.0f}",
        )
    console.print(table)
    ratio = summary(results["contract"])[0] / base_cpu
    verdict = "PASS" if ratio <= 1.1 else "FAIL"
    console.print(f"contract CPU per request {ratio:.2f}x the baseline: goal <= 1.10x {verdict}")
    for name, counts in held.items():
        console.print(f"{name}: idle sockets still open after a turn: {counts} of 100")
    verdict = "PASS" if max(held["contract"]) <= 32 else "FAIL"
    console.print(f"contract holds at most 32 idle sockets: {verdict}")


if __name__ == "__main__":
    main()
