"""A second local Neo4j server for the tests: Bolt over TLS only, small transaction memory.

It runs beside the main test server (``make neo4j-up``) with its own run
directory (``neo4j-server/run-tls``) and port (``GRAPHMODEL_TEST_NEO4J_TLS_PORT``,
else a free one), and with:

- a Bolt TLS connector that refuses plain connections, its certificate issued
  for ``127.0.0.1`` and ``localhost`` by a throwaway certificate authority made
  for this test session (:func:`make_certificates`, with the ``cryptography``
  package), so that ``bolt+s``/``neo4j+s`` are tested for real; a second,
  unrelated authority stands for "the wrong CA";
- ``db.memory.transaction.total.max`` of :data:`TRANSACTION_MEMORY`, far below a
  real server's, as small as a hosted free tier's, so that a load too big for
  one transaction is refused by the server itself.

It starts once per session, in the background, as soon as the tests that need
it are collected (``pytest_collection_finish`` in conftest.py calls
:func:`start_if_needed`), or under pytest-xdist once in the controller before
the workers start (``pytest_sessionstart`` calls :func:`start_for_workers`),
so it boots while the other tests run; the ``tls_neo4j`` fixture waits for it.
Like the main server's fixture, it fails rather than skips when ``CI=true`` and the
server cannot be started. It is
stopped when the session ends.
"""

from __future__ import annotations

import atexit
import datetime as dt
import ipaddress
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "neo4j-server" / "neo4j.sh"
RUN_DIR = ROOT / "neo4j-server" / "run-tls"
#: db.memory.transaction.total.max of the TLS server: the example dataset fits, a few
#: thousand rows in one transaction do not.
TRANSACTION_MEMORY = "10m"
FIXTURE = "tls_neo4j"
#: How the xdist controller tells its workers the server's port and certificates folder.
SHARED_VARIABLE = "GRAPHMODEL_TEST_NEO4J_TLS_SHARED"
#: JVM options of a test server: compiled by C1 alone, which spends a third less processor
#: time than C1 and C2 on the suite's short, varied queries (tests/README.md).
TEST_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"
#: How long the server may take to start (a cold JVM on a busy machine).
START_SECONDS = 600


@dataclass(frozen=True)
class Certificates:
    """PEM files: the session's CA, the server's key and certificate, an unrelated CA."""

    ca: Path
    server_key: Path
    server_certificate: Path
    other_ca: Path

    @property
    def server_folder(self) -> Path:
        """The folder Neo4j's bolt SSL policy reads (private.key, public.crt)."""
        return self.server_key.parent


@dataclass(frozen=True)
class TlsServer:
    """The running TLS server: its port and the certificates it was started with."""

    port: int
    certificates: Certificates

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write_key(key: rsa.RSAPrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _authority(name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = _key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def make_certificates(folder: Path) -> Certificates:
    """A throwaway CA, a server certificate it signs for 127.0.0.1 and localhost, another CA."""
    folder.mkdir(parents=True, exist_ok=True)
    server_folder = folder / "bolt"
    server_folder.mkdir(exist_ok=True)
    # Neo4j's policy also looks for these (client certificates are not asked for).
    (server_folder / "trusted").mkdir(exist_ok=True)
    (server_folder / "revoked").mkdir(exist_ok=True)
    ca_key, ca = _authority("graphmodel test CA")
    _, other_ca = _authority("graphmodel unrelated CA")
    server_key = _key()
    now = dt.datetime.now(dt.UTC)
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    certificates = Certificates(
        ca=folder / "ca.crt",
        server_key=server_folder / "private.key",
        server_certificate=server_folder / "public.crt",
        other_ca=folder / "other-ca.crt",
    )
    certificates.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    certificates.other_ca.write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    _write_key(server_key, certificates.server_key)
    certificates.server_certificate.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    return certificates


def _certificates(folder: Path) -> Certificates:
    """The certificates :func:`make_certificates` wrote into ``folder``."""
    return Certificates(
        ca=folder / "ca.crt",
        server_key=folder / "bolt" / "private.key",
        server_certificate=folder / "bolt" / "public.crt",
        other_ca=folder / "other-ca.crt",
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(port: int, certificates: Certificates) -> dict[str, str]:
    return {
        **os.environ,
        "NEO4J_PORT": str(port),
        "NEO4J_RUN_DIR": str(RUN_DIR),
        "NEO4J_TLS_DIR": str(certificates.server_folder),
        "NEO4J_TX_MEMORY_MAX": TRANSACTION_MEMORY,
        "NEO4J_HEAP": os.environ.get("GRAPHMODEL_TEST_NEO4J_TLS_HEAP", "768m"),
        "NEO4J_PAGECACHE_MB": "64",
        # A server for a few tests' minutes: the JVM's quick compiler only (as make test
        # starts the main test server; tests/README.md).
        "NEO4J_JAVA_OPTS": os.environ.get("NEO4J_JAVA_OPTS", TEST_JAVA_OPTIONS),
    }


class _Starter:
    """Starts the server once, in the background; remembers how it went.

    Under pytest-xdist the controller starts it (:func:`start_for_workers`) before the
    workers exist and tells them where it is through :data:`SHARED_VARIABLE`; a worker
    then only waits for it (:meth:`wait`) and never stops it.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.server: TlsServer | None = None
        self.environment: dict[str, str] = {}
        self.log = RUN_DIR / "start.log"
        self.started = RUN_DIR / "started"  # the start's exit status, once it is known

    def start(self) -> None:
        if self.process is not None or self.server is not None:
            return
        shared = os.environ.get(SHARED_VARIABLE)
        if shared:  # an xdist worker: the controller started it
            port, folder = shared.split(":", 1)
            self.server = TlsServer(int(port), _certificates(Path(folder)))
            return
        port = int(os.environ.get("GRAPHMODEL_TEST_NEO4J_TLS_PORT") or _free_port())
        # The main server is up (make neo4j-up) or being started: build first, alone, so
        # that two `up`s never run Maven at once.
        subprocess.run(["bash", str(SCRIPT), "build"], check=False, capture_output=True)
        certificates = make_certificates(RUN_DIR / "certs")
        self.environment = _environment(port, certificates)
        # A server left running by an interrupted session has other certificates; its data
        # goes too, so that every session starts from an empty database.
        subprocess.run(["bash", str(SCRIPT), "down"], env=self.environment, capture_output=True)
        shutil.rmtree(RUN_DIR / "home", ignore_errors=True)
        self.started.unlink(missing_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", str(SCRIPT), "up"],
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process = self.process
        threading.Thread(
            target=lambda: self.started.write_text(str(process.wait())), daemon=True
        ).start()
        self.server = TlsServer(port, certificates)
        atexit.register(self.stop)

    def wait(self) -> TlsServer:
        """The running server; raises RuntimeError with the start log when it did not start."""
        self.start()
        assert self.server is not None
        deadline = time.monotonic() + START_SECONDS
        while not self.started.is_file() or not self.started.read_text():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the TLS test server did not start in {START_SECONDS} s")
            time.sleep(0.2)
        if self.started.read_text().strip() != "0":
            raise RuntimeError(
                f"the TLS test server did not start: {self.log.read_text(errors='replace')}"
            )
        return self.server

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.wait()
        subprocess.run(["bash", str(SCRIPT), "down"], env=self.environment, capture_output=True)
        self.process = None


STARTER = _Starter()


def start_if_needed(session: pytest.Session) -> None:
    """Start the server in the background if a collected test uses the ``tls_neo4j`` fixture
    (in a run without xdist workers; under xdist, :func:`start_for_workers` did)."""
    if hasattr(session.config, "workerinput"):
        return
    if any(FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        STARTER.start()


def _wanted(config: pytest.Config) -> bool:
    """Whether the command line may select the TLS tests (before anything is collected)."""
    tls_tests = ROOT / "tests" / "test_neo4j_tls.py"
    paths = [Path(arg.split("::", 1)[0]).resolve() for arg in config.args] or [ROOT / "tests"]
    if not any(tls_tests == path or tls_tests.is_relative_to(path) for path in paths):
        return False
    expression = config.getoption("markexpr")
    if not expression:
        return True
    try:
        from _pytest.mark.expression import Expression

        return bool(Expression.compile(expression).evaluate(lambda name, **_: name == "neo4j"))
    except Exception:  # an expression pytest itself will report
        return True


def start_for_workers(config: pytest.Config) -> None:
    """In the xdist controller, before the workers start: start the server if the tests
    may need it, and tell the workers where it is (:data:`SHARED_VARIABLE`)."""
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("dsession"):
        return
    if not _wanted(config):
        return
    STARTER.start()
    assert STARTER.server is not None
    certificates = STARTER.server.certificates
    os.environ[SHARED_VARIABLE] = f"{STARTER.server.port}:{certificates.ca.parent}"


@pytest.fixture(scope="session")
def tls_neo4j() -> Iterator[TlsServer]:
    """The TLS, small-transaction-memory server; fails (never skips) when CI=true."""
    try:
        server = STARTER.wait()
    except (RuntimeError, OSError) as error:
        message = f"TLS Neo4j test server not available: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield server
    STARTER.stop()
