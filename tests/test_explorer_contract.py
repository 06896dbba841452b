"""The explorer's HTTP contract with any client, whatever the endpoint.

Rules kept by the app's machinery rather than by each endpoint, so an endpoint
added later keeps them too: every method but GET and HEAD is a 405 that says
which are allowed (``Allow``); HEAD answers as GET without a body; a query
parameter an endpoint does not take is a 400; a node id holding ``/`` is
one path segment when percent-encoded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import EXAMPLE
from explorer_client import AUTH, client, get_json
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.explore import Explorer
from graphmodel.explore.live import ServedGraph
from graphmodel.model import Dataset
from graphmodel.web.app import create_app
from graphmodel.web.contract import ContractRoute


@pytest.fixture(scope="module")
def http() -> TestClient:
    return client(MemoryBackend(read_dataset(EXAMPLE)), str(EXAMPLE))


#: A valid query for each endpoint that needs one (the others answer without parameters).
VALID_QUERIES = {
    "/api/search": "q=teacher",
    "/api/explain": "profession=p-social-worker&competency=ccs-safe",
    "/api/links": "driver=dr-inquiry-report",
    "/api/path": "a=org-hearthside&b=dr-drug-strategy",
    "/api/periods": "id=te-fellgate-hidden-harm-2027",
    "/api/export": "format=graphml&id=p-teacher",
    "/api/overlays/gaps": "profession=p-teacher",
    "/api/overlays/reach": "driver=dr-inquiry-report",
}


def api_urls(http: TestClient) -> list[tuple[str, bool]]:
    """Every GET endpoint the OpenAPI description lists, with a valid query where this
    module knows one, and the description itself; and whether the URL is a valid request
    (an endpoint added later may need parameters this module does not know)."""
    paths = get_json(http, "/api/openapi.json")["paths"]
    urls = [("/api/openapi.json", True)]
    for path, operations in paths.items():
        filled = path.replace("{node_id}", "p-teacher")
        query = VALID_QUERIES.get(path, "")
        parameters = operations["get"].get("parameters", [])
        required = [p for p in parameters if p["required"] and p["in"] == "query"]
        urls.append((f"{filled}?{query}" if query else filled, bool(query) or not required))
    return urls


def with_parameter(url: str, parameter: str) -> str:
    return f"{url}&{parameter}" if "?" in url else f"{url}?{parameter}"


def test_every_route_keeps_the_contract() -> None:
    # A router included with FastAPI's plain route class would skip these rules.
    app = create_app(ServedGraph.fixed(Explorer(MemoryBackend(read_dataset(EXAMPLE)), "x")))
    plain = [r.path for r in app.routes if isinstance(r, APIRoute) and type(r) is APIRoute]
    assert not plain, f"declare these with the app's route class, ContractRoute: {plain}"
    assert any(isinstance(route, ContractRoute) for route in app.routes)


def test_every_endpoint_refuses_a_parameter_it_does_not_take(http: TestClient) -> None:
    urls = api_urls(http)
    assert len(urls) > 20
    for url, valid in urls:
        if valid:
            assert http.get(url, headers=AUTH).status_code == 200, url
        error = get_json(http, with_parameter(url, "colour=red"), status=400)
        assert error == {"error": "unknown parameter 'colour'"}, url
        # A parameter of another endpoint is as unknown here.
        if "/api/nodes/" not in url:
            error = get_json(http, with_parameter(url, "offset=1"), status=400)
            assert error == {"error": "unknown parameter 'offset'"}, url


@pytest.mark.parametrize(
    "url",
    [
        "/api/summary?x=1",
        "/api/status?x=1",
        "/api/views?x=1",
        "/api/stats?x=1",
        "/api/nodes/p-teacher?x=1",
        "/api/timeline?x=1",
        "/api/openapi.json?x=1",
    ],
)
def test_endpoints_without_parameters_refuse_any(http: TestClient, url: str) -> None:
    assert get_json(http, url, status=400) == {"error": "unknown parameter 'x'"}


def test_the_timeline_refuses_a_window(http: TestClient) -> None:
    # The timeline is the axis the page's window is drawn over: it has no window itself.
    error = get_json(http, "/api/timeline?from=2026-01-01", status=400)
    assert error == {"error": "unknown parameter 'from'"}


def test_the_page_keeps_its_own_parameters(http: TestClient) -> None:
    # The page's address is its state (docs/explorer.md), read by the page itself.
    response = http.get("/?focus=p-teacher&overlay=gaps&anything=1", headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


# -- methods ------------------------------------------------------------------------------

METHODS = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]
TARGETS = [
    "/api/summary",
    "/api/gaps",
    "/api/nodes/p-teacher",
    "/api/nodes/p-teacher/neighbours",
    "/api/openapi.json",
    "/",
    "/assets/explorer.js",
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("target", TARGETS)
def test_other_methods_are_405_saying_what_is_allowed(
    http: TestClient, method: str, target: str
) -> None:
    response = http.request(method, target, headers=AUTH)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json() == {"error": "the API is read-only: use GET"}


@pytest.mark.parametrize(
    ("target", "status", "kind"),
    [
        ("/api/summary", 200, "application/json"),
        ("/api/gaps?profession=p-teacher", 200, "application/json"),
        ("/api/nodes/p-teacher", 200, "application/json"),
        ("/api/nodes/p-teacher/neighbours?limit=3", 200, "application/json"),
        ("/api/openapi.json", 200, "application/json"),
        ("/api/export?format=graphml&id=p-teacher", 200, "application/graphml+xml"),
        ("/", 200, "text/html"),
        ("/assets/explorer.js", 200, "text/javascript"),
        ("/api/nodes/nobody", 404, "application/json"),
        ("/api/gaps?colour=red", 400, "application/json"),
        ("/api/nowhere", 404, "application/json"),
    ],
)
def test_head_is_get_without_a_body(http: TestClient, target: str, status: int, kind: str) -> None:
    got = http.get(target, headers=AUTH)
    head = http.head(target, headers=AUTH)
    assert (head.status_code, got.status_code) == (status, status)
    assert head.content == b""
    assert head.headers["content-type"].startswith(kind)
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("content-length") == got.headers.get("content-length")
    assert head.headers["x-content-type-options"] == "nosniff"


def test_head_needs_the_token_too(http: TestClient) -> None:
    assert http.head("/api/summary").status_code == 401


# -- node ids holding a slash -------------------------------------------------------------


@pytest.fixture(scope="module")
def slashed(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from conftest import BASE_TABLES, write_csv_dataset

    folder = write_csv_dataset(
        tmp_path_factory.mktemp("slashes"),
        {
            **BASE_TABLES,
            "drivers": """\
                id,name,kind,issued,description
                dr-x,Review,inquiry,2024-06-01,
                dr-x/neighbours,Review of the neighbours,inquiry,2024-06-01,
                dr/2024/review,Review of 2024,inquiry,2024-06-01,
                """,
            "initiatives": """\
                id,title,responds_to
                in-plan,Safeguarding plan,dr-x/neighbours
                in-other,Other plan,dr-x
                in-third,Third plan,dr/2024/review
                """,
        },
    )
    return client(MemoryBackend(read_dataset(folder)))


@pytest.mark.parametrize(
    ("node", "name", "neighbour"),
    [
        ("dr-x", "Review", "in-other"),
        ("dr-x/neighbours", "Review of the neighbours", "in-plan"),
        ("dr/2024/review", "Review of 2024", "in-third"),
    ],
)
def test_an_id_holding_a_slash_is_one_percent_encoded_segment(
    slashed: TestClient, node: str, name: str, neighbour: str
) -> None:
    from urllib.parse import quote

    path = "/api/nodes/" + quote(node, safe="")
    found: Any = get_json(slashed, path)
    assert (found["id"], found["name"]) == (node, name)
    page = get_json(slashed, f"{path}/neighbours")
    assert [n["id"] for n in page["nodes"]] == [neighbour]
    assert page["relationships"][0]["target"] == node


def test_an_unencoded_slash_still_reaches_the_whole_id(slashed: TestClient) -> None:
    # Only the last segment, unencoded, names the neighbours; everything before is the id.
    assert get_json(slashed, "/api/nodes/dr/2024/review")["id"] == "dr/2024/review"
    page = get_json(slashed, "/api/nodes/dr/2024/review/neighbours")
    assert [n["id"] for n in page["nodes"]] == ["in-third"]
    assert get_json(slashed, "/api/nodes/dr-x/neighbours")["nodes"][0]["id"] == "in-other"
    assert get_json(slashed, "/api/nodes/dr-y%2Fneighbours", status=404) == {
        "error": "no node 'dr-y/neighbours'; did you mean 'dr-x/neighbours'?"
    }


def test_the_largest_offset_is_an_empty_page_and_a_larger_one_a_400(
    backend_for: Callable[[Dataset], GraphBackend],
) -> None:
    # Neo4j's SKIP takes a 32-bit integer: a larger offset once failed there (a 503, or a
    # 500 past 64 bits) where the memory backend answered.
    http = client(backend_for(read_dataset(EXAMPLE)))
    path = "/api/nodes/p-teacher/neighbours"
    everyone = get_json(http, f"{path}?limit=0")["total"]
    page = get_json(http, f"{path}?offset={2**31 - 1}")
    assert page == {"nodes": [], "relationships": [], "total": everyone}
    for offset in (2**31, 2**36, 10**25):
        error = get_json(http, f"{path}?offset={offset}", status=400)
        assert error["error"].startswith("offset: Input should be less than or equal to")


# -- the OpenAPI description ----------------------------------------------------------------


#: Endpoints that look no id up (no 404 in their description).
KNOWN_WITHOUT_IDS = {
    "/api/summary",
    "/api/search",
    "/api/stats",
    "/api/duplicates",
    "/api/brokers",
    "/api/timeline",
    "/api/periods",
    "/api/export",
    "/api/status",
    "/api/views",
    "/api/overlays/duplicates",
    "/api/overlays/brokers",
    "/api/communities",
}


def test_the_description_lists_the_answers_each_endpoint_gives(http: TestClient) -> None:
    document = get_json(http, "/api/openapi.json")
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and error["additionalProperties"] is False
    looks_up_ids = {
        "/api/nodes/{node_id}",
        "/api/nodes/{node_id}/neighbours",
        "/api/overview",  # expand names groups
        "/api/gaps",
        "/api/uncovered",
        "/api/coverage",
        "/api/explain",
        "/api/links",
        "/api/path",
        "/api/overlays/gaps",
        "/api/overlays/uncovered",
        "/api/overlays/reach",
    }
    paths = document["paths"]
    assert looks_up_ids <= set(paths)
    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        assert "422" not in responses, path  # validation errors are 400s
        expected = {"200", "400", "401", "403", "503"}
        assert expected <= set(responses), path
        if path in looks_up_ids:
            expected.add("404")
        if path in looks_up_ids or path in KNOWN_WITHOUT_IDS:
            assert set(responses) == expected, path
        for status in set(responses) - {"200"}:
            (kind,) = responses[status]["content"]
            assert kind == "application/json"
            assert responses[status]["content"][kind]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
    export = document["paths"]["/api/export"]["get"]["responses"]["200"]["content"]
    assert set(export) == {"application/graphml+xml", "text/html"}
    assert {"bearer", "token"} == set(document["components"]["securitySchemes"])


@pytest.mark.parametrize(
    ("path", "rules"),
    [
        ("/api/links", ["from is not after to", "exactly one of driver, initiative, text"]),
        ("/api/overlays/reach", ["from is not after to"]),
        ("/api/brokers", ["from is not after to", "sample or exact, not both"]),
        ("/api/gaps", ["from is not after to"]),
        (
            "/api/communities",
            ["from is not after to", "status, from and to only with network partnership"],
        ),
        ("/api/duplicates", ["from is not after to"]),
        ("/api/search", ["q is not empty unless a label is given"]),
    ],
)
def test_the_description_states_the_rules_joining_parameters(
    http: TestClient, path: str, rules: list[str]
) -> None:
    operation = get_json(http, "/api/openapi.json")["paths"][path]["get"]
    described = operation.get("description", "")
    assert [line[2:] for line in described.splitlines() if line.startswith("- ")] == rules


def test_the_description_says_what_one_parameter_alone_can(http: TestClient) -> None:
    import re

    paths = get_json(http, "/api/openapi.json")["paths"]

    def parameter(path: str, name: str) -> dict[str, Any]:
        found = [p for p in paths[path]["get"]["parameters"] if p["name"] == name]
        return found[0]  # type: ignore[no-any-return]

    profession = parameter("/api/explain", "profession")
    assert profession["required"] is True
    assert (profession["schema"]["minItems"], profession["schema"]["maxItems"]) == (1, 1)
    blank = parameter("/api/links", "text")["schema"]["pattern"]
    assert not re.search(blank, " \t\u00a0\u3000") and re.search(blank, " x ")
    # The pattern says exactly what the server takes for blank: what str.strip removes.
    assert all((re.search(blank, c) is None) == c.isspace() for c in map(chr, range(0x110000)))
    group = parameter("/api/overview", "expand")["schema"]["items"]["pattern"]
    assert re.match(group, "group;TrainingEvent;org-x") and not re.match(group, "p-teacher")
    assert get_json(http, "/api/overview?expand=p-teacher", status=400)["error"].endswith(
        "is not a group id (group;Label[;anchor])"
    )
    assert get_json(http, "/api/overview?expand=group%3BTrainingEvent%3Borg-nobody", status=404)
    date = parameter("/api/gaps", "from")["schema"]["anyOf"][0]
    assert date == {"type": "string", "format": "date"}
    for written in ("0", "20260101", "2026-1-1"):
        error = get_json(http, f"/api/gaps?from={written}", status=400)
        assert error == {"error": "from: Input should be a date written YYYY-MM-DD"}
