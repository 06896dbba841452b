"""The explorer's JSON API, in process: every endpoint, its errors, and the CLI's JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE
from explorer_client import AUTH, ORIGIN, PORT, TOKEN, cli_json, client, get_json
from fastapi import WebSocket
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.explore import Explorer
from graphmodel.explore.live import ServedGraph
from graphmodel.explore.requests import NodeLabel, RelationshipType
from graphmodel.graph import dataset_relationships
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES
from graphmodel.web.app import create_app
from graphmodel.web.guard import Guard, allowed_hosts


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


@pytest.fixture(scope="module")
def http(example: MemoryBackend) -> TestClient:
    return client(example, str(EXAMPLE))


def test_the_request_enumerations_are_the_model_s_labels_and_types() -> None:
    assert [label.value for label in NodeLabel] == list(LABEL_TABLES)
    assert [kind.value for kind in RelationshipType] == list(RELATIONSHIP_TYPES)


# -- summary and search ---------------------------------------------------------------


def test_summary_is_the_source_and_the_stats_counts(http: TestClient) -> None:
    summary = get_json(http, "/api/summary")
    stats = cli_json("stats", str(EXAMPLE))
    assert summary == {"source": str(EXAMPLE), **stats}
    assert summary["nodes"]["Profession"] == 14


def search(http: TestClient, query: str) -> dict[str, Any]:
    return get_json(http, f"/api/search?{query}")  # type: ignore[no-any-return]


def test_search_ranks_exact_id_exact_name_prefix_then_every_word(make_dataset: Any) -> None:
    folder = make_dataset(
        professions="""\
            id,name,sector,description
            p-social-worker,Social worker,social care,
            p-teacher,Teacher,education,
            social,Youth worker,youth,
            p-social,Social,social care,
            p-worker-social,Worker in social care,social care,
            """,
        workforce=None,
        requirements=None,
    )
    http = client(MemoryBackend(read_dataset(folder)))
    found = search(http, "q=social")
    # exact id "social"; exact name "Social"; prefix "Social worker"; "Worker in social care".
    assert [hit["id"] for hit in found["results"]] == [
        "social",
        "p-social",
        "p-social-worker",
        "p-worker-social",
    ]
    assert found["total"] == 4
    assert found["results"][0] == {"id": "social", "label": "Profession", "name": "Youth worker"}
    # Every word, in any order and case; a word a name lacks leaves it out.
    assert [h["id"] for h in search(http, "q=CARE+Social")["results"]] == ["p-worker-social"]
    assert search(http, "q=social+plumber") == {"results": [], "total": 0}
    # limit cuts the results, not the total; label keeps one type.
    assert search(http, "q=social&limit=1") == {
        "results": [{"id": "social", "label": "Profession", "name": "Youth worker"}],
        "total": 4,
    }
    # "e": Safeguarding, Recognise harm, Share information; the driver Local review.
    assert search(http, "q=e&label=Competency")["total"] == 3
    assert search(http, "q=e&label=Competency&label=Driver")["total"] == 4


def test_search_matches_inside_words_and_across_punctuation(http: TestClient) -> None:
    names = {h["id"]: h["name"] for h in search(http, "q=guard&limit=100")["results"]}
    assert names and all("guard" in name.lower() for name in names.values())
    everything = search(http, "q=e&limit=1000")
    assert everything["total"] == len(everything["results"]) > 100
    # "co-production" is the words "co" and "production", in any order.
    hyphen = search(http, "q=co-production&limit=100")
    spaced = search(http, "q=production+co&limit=100")
    assert {h["id"] for h in hyphen["results"]} == {h["id"] for h in spaced["results"]}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "missing parameter 'q'"),
        ("q=", "q: is empty"),
        ("q=%20%20", "q: is empty"),
        ("q=a&label=Nurse", "label: Input should be"),
        ("q=a&limit=-1", "limit: Input should be greater than or equal to 0"),
        ("q=a&limit=many", "limit: Input should be a valid integer"),
        ("q=a&colour=red", "unknown parameter 'colour'"),
    ],
)
def test_bad_search_parameters_are_one_line_400s(
    http: TestClient, query: str, message: str
) -> None:
    error = get_json(http, f"/api/search?{query}", status=400)
    assert list(error) == ["error"] and message in error["error"]
    assert "\n" not in error["error"]


# -- nodes and neighbours ---------------------------------------------------------------


def test_a_node_has_its_properties_and_its_degree_per_type(
    http: TestClient, example: MemoryBackend
) -> None:
    node = get_json(http, "/api/nodes/te-fellgate-hidden-harm-2027")
    assert node["label"] == "TrainingEvent"
    assert node["name"] == node["properties"]["title"]
    assert node["properties"]["id"] == "te-fellgate-hidden-harm-2027"
    assert isinstance(node["properties"]["start_date"], str)  # ISO dates
    expected: Counter[str] = Counter()
    for r in dataset_relationships(example.dataset):
        if "te-fellgate-hidden-harm-2027" in (r.source, r.target):
            expected[r.type] += 1
    assert node["degree"] == dict(expected)
    assert list(node["degree"]) == [t for t in RELATIONSHIP_TYPES if t in expected]


def test_an_unknown_node_is_a_404_with_the_closest_ids(http: TestClient) -> None:
    error = get_json(http, "/api/nodes/p-teachr", status=404)
    assert error == {"error": "no node 'p-teachr'; did you mean 'p-teacher'?"}
    assert get_json(http, "/api/nodes/zzz/neighbours", status=404) == {"error": "no node 'zzz'"}


def neighbours(http: TestClient, node: str, query: str = "") -> dict[str, Any]:
    return get_json(http, f"/api/nodes/{node}/neighbours?{query}")  # type: ignore[no-any-return]


def expected_neighbours(
    example: MemoryBackend,
    node: str,
    types: set[str] | None = None,
    labels: set[str] | None = None,
) -> dict[str, set[tuple[str, str, str]]]:
    """Each neighbour of ``node`` (both directions) with the relationships joining them."""
    label_of = {n.id: n.label for n in example.named_nodes()}
    found: dict[str, set[tuple[str, str, str]]] = {}
    for r in dataset_relationships(example.dataset):
        if node not in (r.source, r.target) or (types and r.type not in types):
            continue
        other = r.target if r.source == node else r.source
        if labels and label_of[other] not in labels:
            continue
        found.setdefault(other, set()).add((r.source, r.type, r.target))
    return found


@pytest.mark.parametrize("node", ["p-social-worker", "org-fellgate", "ccs-safe"])
def test_neighbours_are_both_directions_by_id_with_their_links(
    http: TestClient, example: MemoryBackend, node: str
) -> None:
    expected = expected_neighbours(example, node)
    page = neighbours(http, node, "limit=1000")
    assert [n["id"] for n in page["nodes"]] == sorted(expected)
    assert page["total"] == len(expected)
    links = {(r["source"], r["type"], r["target"]) for r in page["relationships"]}
    assert links == set().union(*expected.values())
    assert page["relationships"] == sorted(
        page["relationships"], key=lambda r: (r["source"], r["type"], r["target"])
    )


def test_neighbours_page_filter_and_keep_relationship_properties(
    http: TestClient, example: MemoryBackend
) -> None:
    everyone = sorted(expected_neighbours(example, "p-social-worker"))
    first = neighbours(http, "p-social-worker", "limit=5")
    second = neighbours(http, "p-social-worker", "limit=5&offset=5")
    assert [n["id"] for n in first["nodes"] + second["nodes"]] == everyone[:10]
    assert first["total"] == second["total"] == len(everyone)
    assert {r["target"] for r in first["relationships"]} | {
        r["source"] for r in first["relationships"]
    } <= {n["id"] for n in first["nodes"]} | {"p-social-worker"}
    required = neighbours(http, "p-social-worker", "type=REQUIRES&limit=1000")
    assert required["total"] == len(expected_neighbours(example, "p-social-worker", {"REQUIRES"}))
    assert all(
        r["properties"]["priority"] in ("essential", "desirable") for r in required["relationships"]
    )
    events = neighbours(http, "p-social-worker", "label=TrainingEvent&label=Initiative&limit=1000")
    wanted = expected_neighbours(example, "p-social-worker", labels={"TrainingEvent", "Initiative"})
    assert [n["id"] for n in events["nodes"]] == sorted(wanted)
    assert {n["label"] for n in events["nodes"]} == {"TrainingEvent", "Initiative"}
    assert neighbours(http, "p-social-worker", "limit=0") == {
        "nodes": [],
        "relationships": [],
        "total": len(everyone),
    }
    error = get_json(http, "/api/nodes/p-teacher/neighbours?type=KNOWS", status=400)
    assert error["error"].startswith("type: Input should be")


def test_ids_with_slashes_and_spaces_reach_their_node(make_dataset: Any) -> None:
    folder = make_dataset(
        drivers="""\
            id,name,kind,issued,description
            dr/2024 review,A review/its sequel,inquiry,2024-06-01,A review
            """,
        initiatives="""\
            id,title,responds_to
            in-plan,Safeguarding plan,dr/2024 review
            """,
    )
    http = client(MemoryBackend(read_dataset(folder)))
    node = get_json(http, "/api/nodes/dr%2F2024%20review")
    assert node["name"] == "A review/its sequel" and node["degree"] == {"RESPONDS_TO": 1}
    page = neighbours(http, "dr%2F2024%20review")
    assert [n["id"] for n in page["nodes"]] == ["in-plan"]


# -- the analyses: exactly the CLI's JSON ---------------------------------------------

ANALYSIS_CASES = [
    ("stats", []),
    ("gaps", []),
    ("gaps", ["--from", "2026-01-01", "--to", "2026-12-31", "--min-evaluation", "learning"]),
    ("gaps", ["--profession", "p-teacher", "--profession", "p-social-worker", "--limit", "3"]),
    ("gaps", ["--framework", "fw-nccc", "--priority", "desirable"]),
    ("uncovered", []),
    ("uncovered", ["--priority", "essential", "--limit", "2"]),
    ("coverage", ["--min-evaluation", "behaviour"]),
    ("explain", ["--profession", "p-substance-worker", "--competency", "rsm-family-hidden"]),
    ("explain", ["--profession", "p-social-worker", "--competency", "ccs-safe"]),
    ("duplicates", []),
    ("duplicates", ["--kind", "all", "--threshold", "0.2", "--different-lead"]),
    ("duplicates", ["--kind", "training", "--min-overlap", "0.3", "--from", "2025-06-01"]),
    ("duplicates", ["--same-lead", "--status", "active", "--status", "proposed"]),
    ("links", ["--driver", "dr-inquiry-report"]),
    ("links", ["--driver", "dr-inquiry-report", "--limit", "2", "--status", "active"]),
    ("links", ["--initiative", "in-nhs-neglect-tool"]),
    ("links", ["--text", "A duty to report child exploitation", "--matches", "2"]),
    ("path", ["--all"]),
    ("path", ["--max-hops", "2"]),
    ("brokers", []),
    ("brokers", ["--kind", "organisation", "--limit", "4"]),
    ("brokers", ["--sample", "5"]),
]


def as_query(arguments: list[str]) -> str:
    """CLI options as the API's query parameters: ``--min-evaluation x`` is ``min_evaluation=x``."""
    pairs = []
    flags = {
        "--all": "all=true",
        "--different-lead": "same_lead=false",
        "--same-lead": "same_lead=true",
    }
    items = iter(arguments)
    for item in items:
        if item in flags:
            pairs.append(flags[item])
        else:
            pairs.append(f"{item[2:].replace('-', '_')}={next(items).replace(' ', '+')}")
    return "&".join(pairs)


@pytest.mark.parametrize(("command", "arguments"), ANALYSIS_CASES)
def test_every_analysis_endpoint_returns_the_cli_json(
    http: TestClient, command: str, arguments: list[str]
) -> None:
    positional = ["org-hearthside", "dr-drug-strategy"] if command == "path" else []
    query = as_query(arguments)
    if command == "path":
        query = f"a=org-hearthside&b=dr-drug-strategy&{query}"
    assert get_json(http, f"/api/{command}?{query}") == cli_json(
        command, str(EXAMPLE), *positional, *arguments
    )


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/gaps?frm=2026-01-01", 400, "unknown parameter 'frm'"),
        ("/api/gaps?from=2026-13-01", 400, "from: Input should be a valid date"),
        ("/api/gaps?min_evaluation=excellent", 400, "min_evaluation: Input should be"),
        ("/api/gaps?profession=p-nobody", 404, "unknown profession 'p-nobody'"),
        ("/api/explain?competency=ccs-safe", 400, "explain needs exactly one profession"),
        ("/api/links", 400, "give exactly one of driver, initiative, text"),
        ("/api/links?driver=dr-inquiry-report&text=x", 400, "give exactly one of"),
        ("/api/links?driver=dr-nothing", 404, "unknown driver 'dr-nothing'"),
        ("/api/brokers?exact=true&sample=3", 400, "give sample or exact, not both"),
        ("/api/path?a=p-teacher", 400, "missing parameter 'b'"),
        ("/api/duplicates?threshold=2", 400, "threshold: Input should be less than or equal to 1"),
        ("/api/overview?expand=p-teacher", 400, "is not a group id"),
        ("/api/overview?max_nodes=0", 400, "max_nodes: Input should be greater than or equal to 1"),
        ("/api/nowhere", 404, "no such route"),
        ("/nowhere", 404, "no such route"),
        # A trailing slash: a JSON 404 naming the route (Starlette alone gives a bodiless 307).
        ("/api/gaps/", 404, "no such route; without the trailing slash: /api/gaps"),
        ("/api/summary/?x=1", 404, "no such route; without the trailing slash: /api/summary"),
    ],
)
def test_errors_are_one_line_json_and_the_server_goes_on(
    http: TestClient, url: str, status: int, message: str
) -> None:
    error = get_json(http, url, status=status)
    assert list(error) == ["error"] and message in error["error"], error
    assert "\n" not in error["error"] and "Traceback" not in error["error"]
    assert get_json(http, "/api/summary")["nodes"]


@pytest.mark.parametrize("url", ["/api/nowhere/", "/assets/"])
def test_a_trailing_slash_names_a_route_only_where_there_is_one(http: TestClient, url: str) -> None:
    assert get_json(http, url, status=404) == {"error": "no such route"}


def test_the_cli_reports_the_same_checks_with_its_option_names() -> None:
    from click.testing import CliRunner

    from graphmodel.cli.main import cli

    result = CliRunner().invoke(cli, ["brokers", str(EXAMPLE), "--exact", "--sample", "3"])
    assert result.exit_code == 2 and "give --sample or --exact, not both" in result.output
    result = CliRunner().invoke(cli, ["gaps", str(EXAMPLE), "--limit", "-2"])
    assert result.exit_code == 2 and "--limit" in result.output


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_api_is_read_only(http: TestClient, method: str) -> None:
    response = http.request(method, "/api/summary", headers=AUTH)
    assert response.status_code == 405
    assert response.json() == {"error": "the API is read-only: use GET"}


def test_openapi_describes_every_endpoint_and_parameter(http: TestClient) -> None:
    spec = get_json(http, "/api/openapi.json")
    paths = spec["paths"]
    for command in (
        "stats",
        "gaps",
        "uncovered",
        "coverage",
        "explain",
        "duplicates",
        "links",
        "path",
        "brokers",
    ):
        assert "get" in paths[f"/api/{command}"], command
    for path in (
        "/api/summary",
        "/api/search",
        "/api/overview",
        "/api/nodes/{node_id}",
        "/api/nodes/{node_id}/neighbours",
    ):
        assert "get" in paths[path], path
    gaps = {p["name"] for p in paths["/api/gaps"]["get"]["parameters"]}
    assert gaps == {"from", "to", "min_evaluation", "profession", "framework", "priority", "limit"}
    assert all(set(operations) == {"get"} for operations in paths.values())


# -- the guard: token, host, headers ----------------------------------------------------


def test_every_request_needs_the_token(http: TestClient) -> None:
    for url in ("/", "/api/summary", "/api/openapi.json", "/assets/nothing.js", "/api/nowhere"):
        response = http.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"].startswith("missing or wrong token")
    assert http.get("/api/summary", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert http.get("/api/summary?token=nope").status_code == 401
    assert http.get(f"/api/summary?token={TOKEN}").status_code == 200
    assert http.get("/api/summary", headers=AUTH).status_code == 200


def test_the_token_is_not_a_parameter_of_any_endpoint(http: TestClient) -> None:
    # Endpoints refuse unknown parameters; the token is taken out before them.
    assert get_json(http, f"/api/gaps?limit=1&token={TOKEN}")["summary"]["gaps"] > 0


def test_the_page_visit_sets_the_token_cookie_for_later_requests(example: MemoryBackend) -> None:
    http = client(example)
    assert http.get("/api/summary").status_code == 401
    page = http.get(f"/?token={TOKEN}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"graphmodel_token_{PORT}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert http.get("/api/summary").status_code == 200  # the cookie carries it now
    assert "set-cookie" not in http.get(f"/api/summary?token={TOKEN}").headers


STRAY_COOKIES = [
    'prefs={"a":1}',  # a JSON value
    "theme=dark mode",  # a space
    "flag",  # no value
    "lang=français",  # a non-ASCII character
    'session="unterminated',  # an opening quote alone
    "=orphan",  # no name
    "tracking=a=b=c",  # '=' inside the value
]


@pytest.mark.parametrize("stray", STRAY_COOKIES)
def test_a_stray_cookie_before_the_token_cookie_does_not_hide_it(
    http: TestClient, stray: str
) -> None:
    # Cookies ignore ports: another local app on 127.0.0.1 may have set any of these.
    cookie = f"{stray}; graphmodel_token_{PORT}={TOKEN}"
    response = http.get("/api/summary", headers={"Cookie": cookie.encode()})
    assert response.status_code == 200, response.text
    wrong = f"{stray}; graphmodel_token_{PORT}=nope"
    assert http.get("/api/summary", headers={"Cookie": wrong.encode()}).status_code == 401


def test_the_token_cookie_counts_among_several_cookie_headers_and_duplicates(
    example: MemoryBackend,
) -> None:
    from explorer_client import guarded_app

    app = guarded_app(example)
    name = f"graphmodel_token_{PORT}"
    for headers in (
        [(b"cookie", f"{name}={TOKEN}".encode()), (b"cookie", b"a=1")],
        [(b"cookie", f"{name}={TOKEN}; {name}=stale".encode())],
        [(b"cookie", f'{name}="{TOKEN}"'.encode())],
    ):
        assert asgi_status(app, headers) == 200, headers
    assert asgi_status(app, [(b"cookie", f"{name}=stale".encode())]) == 401


def asgi_status(app: Any, headers: list[tuple[bytes, bytes]]) -> int:
    """The status ``app`` answers a GET /api/summary with exactly these extra headers."""
    import asyncio
    import concurrent.futures

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/summary",
        "raw_path": b"/api/summary",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", f"127.0.0.1:{PORT}".encode()), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", PORT),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # In a thread of its own: the session's playwright (its sync API) runs an event loop
    # in this thread once a browser test has run in this process.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return int(sent[0]["status"])


@pytest.mark.parametrize(
    ("host", "status"),
    [
        (f"127.0.0.1:{PORT}", 200),
        (f"localhost:{PORT}", 200),
        (f"LOCALHOST:{PORT}", 200),
        ("127.0.0.1", 403),
        (f"127.0.0.1:{PORT + 1}", 403),
        (f"evil.example:{PORT}", 403),
        ("evil.example", 403),
        (f"127.0.0.1.evil.example:{PORT}", 403),
    ],
)
def test_the_host_header_must_name_this_server(http: TestClient, host: str, status: int) -> None:
    response = http.get("/api/summary", headers={**AUTH, "Host": host})
    assert response.status_code == status
    if status == 403:
        assert "is not this server's" in response.json()["error"]


def test_no_cors_headers_even_when_asked(http: TestClient) -> None:
    cross = {"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"}
    for response in (
        http.get("/api/summary", headers={**AUTH, **cross}),
        http.options("/api/summary", headers={**AUTH, **cross}),
        http.get("/api/summary", headers=cross),
    ):
        assert not [h for h in response.headers if h.lower().startswith("access-control-")]


def test_answers_forbid_framing_sniffing_and_foreign_scripts(http: TestClient) -> None:
    headers = http.get("/", headers=AUTH).headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "'unsafe-inline'" not in policy


def test_the_page_names_its_source_as_text(make_dataset: Callable[..., Path]) -> None:
    hostile = '<script>alert("x")</script>'
    http = client(MemoryBackend(read_dataset(make_dataset())), source=hostile)
    page = http.get("/", headers=AUTH).text
    assert hostile not in page and "&lt;script&gt;" in page
    assert http.get("/", headers=AUTH).status_code == 200
    assert ORIGIN.startswith("http://127.0.0.1")


def test_websocket_connections_are_refused_even_with_the_token(example: MemoryBackend) -> None:
    app = create_app(ServedGraph.fixed(Explorer(example, "test")))

    # A websocket route added later must not be open: the guard refuses every websocket.
    @app.websocket("/api/live")
    async def live(socket: WebSocket) -> None:
        await socket.accept()
        await socket.send_text("open")
        await socket.close()

    guarded = Guard(app, TOKEN, allowed_hosts("127.0.0.1", PORT), PORT)
    http = TestClient(guarded, base_url=ORIGIN)
    for headers in ({}, AUTH, {**AUTH, "Cookie": f"graphmodel_token_{PORT}={TOKEN}"}):
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            http.websocket_connect(f"/api/live?token={TOKEN}", headers=headers) as socket,
        ):
            socket.receive_text()
        assert refused.value.code == 1008  # policy violation: the server answers 403
    unguarded = TestClient(app, base_url=ORIGIN)
    with unguarded.websocket_connect("/api/live") as socket:  # the route itself works
        assert socket.receive_text() == "open"
