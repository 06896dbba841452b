"""TLS for real: the second local server requires Bolt over TLS with a certificate from a
CA this test session made (tests/neo4j_servers.py).

Each scheme the driver knows is tried against it: ``bolt+s``/``neo4j+s`` with the
session's CA through ``--ca-cert`` or ``NEO4J_CA_CERT``, ``+ssc`` (any certificate),
and the failures a user meets: the system's CAs or another CA (not trusted), a plain
``bolt://`` (the server wants TLS), TLS against the plain main server, a CA file that is
missing or not PEM, and ``--ca-cert`` with a URI that does not encrypt.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER
from neo4j_servers import TlsServer

from graphmodel.backends import MemoryBackend, Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import BackendError

pytestmark = pytest.mark.neo4j

CREDENTIALS = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]


def settings(uri: str, ca_cert: Path | None = None) -> Neo4jSettings:
    return Neo4jSettings(uri, NEO4J_USER, NEO4J_PASSWORD, ca_cert=str(ca_cert) if ca_cert else None)


def refused(uri: str, ca_cert: Path | None = None) -> str:
    with pytest.raises(BackendError) as caught:
        Neo4jBackend.connect(settings(uri, ca_cert))
    message = str(caught.value)
    assert "\n" not in message and NEO4J_PASSWORD not in message
    return message


def test_load_over_bolt_s_with_the_ca_given_by_option(tls_neo4j: TlsServer) -> None:
    uri = f"bolt+s://{tls_neo4j.address}"
    ca = ["--ca-cert", str(tls_neo4j.certificates.ca)]
    runner = CliRunner()
    loaded = runner.invoke(cli, ["load", str(EXAMPLE), uri, "--replace", *ca, *CREDENTIALS])
    assert loaded.exit_code == 0, loaded.output
    assert f"{uri} (database neo4j)" in loaded.output
    stats = runner.invoke(cli, ["stats", uri, "--format", "json", *ca, *CREDENTIALS])
    assert stats.exit_code == 0, stats.output
    expected = runner.invoke(cli, ["stats", str(EXAMPLE), "--format", "json"])
    assert json.loads(stats.output) == json.loads(expected.output)


def test_neo4j_s_with_the_ca_from_the_environment(
    tls_neo4j: TlsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = f"neo4j+s://{tls_neo4j.address}"
    monkeypatch.setenv("NEO4J_CA_CERT", str(tls_neo4j.certificates.ca))
    result = CliRunner().invoke(cli, ["load", str(EXAMPLE), uri, "--replace", *CREDENTIALS])
    assert result.exit_code == 0, result.output
    with Neo4jBackend.connect(
        Neo4jSettings.resolve(uri, user=NEO4J_USER, password=NEO4J_PASSWORD, database=None)
    ) as backend:
        assert backend.to_dataset() == read_dataset(EXAMPLE).normalised()


@pytest.mark.parametrize("scheme", ["bolt+ssc", "neo4j+ssc"])
def test_self_signed_schemes_accept_any_certificate(tls_neo4j: TlsServer, scheme: str) -> None:
    with Neo4jBackend.connect(settings(f"{scheme}://{tls_neo4j.address}")) as backend:
        backend.load(read_dataset(EXAMPLE), replace=True)
        assert backend.counts() == MemoryBackend(read_dataset(EXAMPLE)).counts()


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_a_certificate_from_an_unknown_ca_is_one_clear_line(
    tls_neo4j: TlsServer, scheme: str
) -> None:
    uri = f"{scheme}://{tls_neo4j.address}"
    routing = scheme.removesuffix("+s")
    advice = (
        "give the certificate of the authority that signed it with --ca-cert FILE "
        f"(or NEO4J_CA_CERT), or accept a self-signed certificate with {routing}+ssc://"
    )
    # The system's CAs do not know the session's CA; nor does another CA.
    for ca in (None, tls_neo4j.certificates.other_ca):
        assert refused(uri, ca) == (
            f"{uri}: the server's TLS certificate is not trusted "
            f"(unable to get local issuer certificate); {advice}"
        )


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_plain_bolt_against_a_tls_only_port_is_one_clear_line(
    tls_neo4j: TlsServer, scheme: str
) -> None:
    uri = f"{scheme}://{tls_neo4j.address}"
    assert refused(uri) == (
        f"{uri}: the server ended the connection at the Bolt handshake; it may accept only "
        f"encrypted connections: use {scheme}+s:// (with --ca-cert FILE for a private "
        "certificate authority)"
    )


def test_tls_against_a_plain_server_is_one_clear_line(neo4j_backend: Neo4jBackend) -> None:
    uri = NEO4J_URI.replace("bolt://", "bolt+ssc://")
    message = refused(uri)
    assert message.startswith(f"{uri}: the TLS handshake failed (")
    assert message.endswith("if the server does not use TLS on this port, connect with bolt://")


def test_the_cli_reports_an_untrusted_certificate_in_one_line(tls_neo4j: TlsServer) -> None:
    uri = f"bolt+s://{tls_neo4j.address}"
    result = CliRunner().invoke(
        cli,
        ["gaps", uri, "--ca-cert", str(tls_neo4j.certificates.other_ca), *CREDENTIALS],
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {uri}: the server's TLS certificate is not trusted")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_ca_file_problems_are_one_clear_line(tls_neo4j: TlsServer, tmp_path: Path) -> None:
    uri = f"bolt+s://{tls_neo4j.address}"
    missing = tmp_path / "missing.pem"
    assert refused(uri, missing) == f"{missing}: no such CA certificate file (--ca-cert)"
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate\n")
    assert refused(uri, not_pem).startswith(
        f"{not_pem}: not a PEM file of CA certificates (--ca-cert): "
    )
    for plain in (f"bolt://{tls_neo4j.address}", f"neo4j+ssc://{tls_neo4j.address}"):
        assert refused(plain, tls_neo4j.certificates.ca).startswith(
            f"{plain}: --ca-cert (NEO4J_CA_CERT) applies only to an encrypted URI with +s; "
        )


def test_serve_over_bolt_s_with_the_ca_given_by_option(tls_neo4j: TlsServer) -> None:
    """The explorer takes the same connection options as every command, --ca-cert included."""
    from test_explorer_serve import serving

    uri = f"bolt+s://{tls_neo4j.address}"
    with Neo4jBackend.connect(settings(uri, tls_neo4j.certificates.ca)) as backend:
        backend.load(read_dataset(EXAMPLE), replace=True)
    ca = ["--ca-cert", str(tls_neo4j.certificates.ca)]
    with serving(uri, "--port", "0", *ca, *CREDENTIALS) as served:
        status, found = served.request("/api/search?q=teacher")
        assert status == 200 and found["results"][0]["id"] == "p-teacher"
        status, summary = served.request("/api/summary")
        expected = MemoryBackend(read_dataset(EXAMPLE)).counts()
        assert status == 200 and summary["nodes"] == dict(expected.nodes)
