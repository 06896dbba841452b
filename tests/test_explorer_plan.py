"""The plan in the explorer: ``/api/plan`` and the plan overlay, over HTTP and in Chromium.

The served dataset is the bundled example with its offers
(``examples/children-trust-offers.csv``) as its own ``offers`` table,
copied under ``tests/screenshots/`` so that it is served by a relative path
(the page shows its source). The overlay marks exactly what the plan
answers: the events it opens and the offers it commissions (``planned``,
offers as nodes ``offer;ID`` not in the graph), the professions it trains and
the competencies whose gaps it closes (``closes``), its actions drawn as
dashed links with their cost.

Set ``GRAPHMODEL_WRITE_DOC_IMAGES=1`` to refresh docs/images/explorer-overlay-plan.png.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, ROOT
from explorer_browser import Explorers, Served, axe_violations
from explorer_client import cli_json, client, get_json
from test_explorer_analyses_page import (
    Opener,
    api,
    edge_attributes,
    highlights,
    marked,
    overlay_words,
    wait_for_state,
)
from test_explorer_answers_page import assert_readable, measure

from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.explore.overlays import MARKS, OFFER_PREFIX

OFFERS = ROOT / "examples" / "children-trust-offers.csv"
SERVED = ROOT / "tests" / "screenshots" / "plan-example"
BUDGET = 60000


@pytest.fixture(scope="module")
def dataset_folder() -> Path:
    """The example with its offers table, where the server can name it by a relative path."""
    if SERVED.exists():
        shutil.rmtree(SERVED)
    shutil.copytree(EXAMPLE, SERVED)
    shutil.copy(OFFERS, SERVED / "offers.csv")
    return SERVED


def expected_marks(document: dict[str, Any]) -> dict[str, set[str]]:
    """What the plan overlay should mark, from the plan's own JSON."""
    planned = {
        a["event"] if a["kind"] == "open" else OFFER_PREFIX + a["offer"]
        for a in document["actions"]
    }
    professions = {p for a in document["actions"] for p in a["targets"]}
    professions |= {g["profession"] for g in document["gaps_closed"]}
    return {
        "planned": planned,
        "closes": {g["competency"] for g in document["gaps_closed"]},
        "profession": professions,
    }


# -- the API ------------------------------------------------------------------------------


def test_api_plan_is_the_command_s_json_and_refuses_bad_budgets(dataset_folder: Path) -> None:
    http = client(MemoryBackend(read_dataset(dataset_folder)))
    answer = get_json(http, f"/api/plan?budget={BUDGET}&min_evaluation=reaction")
    assert answer == cli_json(
        "plan", str(dataset_folder), "--budget", str(BUDGET), "--min-evaluation", "reaction"
    )
    assert any(a["kind"] == "commission" for a in answer["actions"])
    assert get_json(http, "/api/plan", 400) == {"error": "missing parameter 'budget'"}
    error = get_json(http, "/api/plan?budget=-5", 400)["error"]
    assert error.startswith("budget:")
    assert get_json(http, "/api/plan?budget=10&offers=/etc/passwd", 400) == {
        "error": "unknown parameter 'offers'"
    }
    # The server goes on serving.
    assert get_json(http, "/api/plan?budget=0")["cost"] == 0


def test_the_plan_overlay_document_marks_the_plan(dataset_folder: Path) -> None:
    http = client(MemoryBackend(read_dataset(dataset_folder)))
    document = get_json(http, f"/api/overlays/plan?budget={BUDGET}")
    plan = document["analysis"]
    assert plan == get_json(http, f"/api/plan?budget={BUDGET}")
    for mark, ids in expected_marks(plan).items():
        assert marked(document, mark) == ids, mark
    assert {entry["mark"] for entry in document["legend"]} <= set(MARKS)
    # Offers are nodes the graph does not hold, named as offers.
    offers = [node for node in document["nodes"] if node["id"].startswith(OFFER_PREFIX)]
    assert offers and all(node["virtual"] and node["name"].startswith("Offer: ") for node in offers)
    # Each action is a dashed link to each profession it trains, with its cost.
    links = {
        (r["source"], r["target"]): r for r in document["relationships"] if r["type"] == "PLANNED"
    }
    for action in plan["actions"]:
        source = action.get("event") or OFFER_PREFIX + action["offer"]
        for profession in action["targets"]:
            link = links[(source, profession)]
            assert link["virtual"] and link["properties"]["cost"] == action["cost"]
    # The requirement of each gap closed is marked on its link.
    requires = {
        (r["source"], r["target"]): r["marks"]
        for r in document["relationships"]
        if r["type"] == "REQUIRES"
    }
    for gap in plan["gaps_closed"]:
        assert "closes" in requires[(gap["profession"], gap["competency"])]


def test_a_plan_overlay_without_offers_on_a_source_without_them() -> None:
    http = client(MemoryBackend(read_dataset(EXAMPLE)))
    document = get_json(http, "/api/overlays/plan?budget=20000")
    assert not any(node.get("virtual") for node in document["nodes"])
    assert marked(document, "planned") == {a["event"] for a in document["analysis"]["actions"]}
    assert get_json(http, "/api/plan?budget=inf", 400)["error"].startswith("budget:")


@pytest.mark.neo4j
def test_the_plan_overlay_is_the_same_on_neo4j(neo4j_backend: GraphBackend) -> None:
    example = read_dataset(EXAMPLE)
    neo4j_backend.load(example, replace=True)  # type: ignore[attr-defined]
    url = "/api/overlays/plan?budget=30000&from=2026-01-01&min_evaluation=reaction"
    assert get_json(client(neo4j_backend), url) == get_json(client(MemoryBackend(example)), url)


# -- the page -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(dataset_folder: Path, explorers: Explorers) -> Served:
    """The example with its offers, served once for the session (``explorers``)."""
    return explorers.get(str(dataset_folder.relative_to(ROOT)))


def test_the_plan_overlay_in_the_page(open_page: Opener, served: Served) -> None:
    opened = open_page(served, urllib.parse.urlencode({"overlay": "plan", "budget": BUDGET}))
    document = api(served, "/api/overlays/plan", budget=BUDGET)
    plan = document["analysis"]
    assert highlights(opened) == overlay_words(document)
    assert {node["id"] for node in document["nodes"]} <= opened.drawn_nodes()
    # Dashed links for every action, each saying its cost.
    dashes = {key for key, gap in edge_attributes(opened, "dashGap").items() if gap}
    captions = edge_attributes(opened, "caption")
    for action in plan["actions"]:
        source = action.get("event") or OFFER_PREFIX + action["offer"]
        for profession in action["targets"]:
            assert (source, "PLANNED", profession) in dashes
            caption = captions[(source, "PLANNED", profession)]
            assert caption.startswith(f"planned {action['kind']} £")
    # The table counts the offers apart from the graph's nodes.
    offers = sum(1 for node in document["nodes"] if node["id"].startswith(OFFER_PREFIX))
    caption = opened.page.inner_text("#nodes-shown caption")
    assert caption.endswith(f", and {offers} offers"), caption
    status = opened.page.inner_text("#overlay-status")
    assert f"{len(plan['actions'])} actions" in status and "proven optimal" in status
    legend = opened.page.inner_text("#overlay-legend")
    assert all(word in legend for word in ("planned", "closes", "dashed"))
    assert axe_violations(opened) == []
    # An answer view like the others: readable by the same measure.
    assert_readable(measure(opened), "plan")
    if os.environ.get("GRAPHMODEL_WRITE_DOC_IMAGES") == "1":
        shutil.copy(
            opened.screenshot("explorer-overlay-plan"),
            ROOT / "docs" / "images" / "explorer-overlay-plan.png",
        )


def test_a_budget_typed_in_the_page_is_the_address(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    page = opened.page
    page.select_option("#overlay", "plan")
    opened.idle()
    assert "Give a budget" in page.inner_text("#overlay-status")
    page.fill("#budget", "20000")
    page.press("#budget", "Enter")
    wait_for_state(opened, "budget", "20000")
    assert opened.state() == "overlay=plan&budget=20000"
    assert highlights(opened) == overlay_words(api(served, "/api/overlays/plan", budget=20000))
    # The plan takes the minimum evaluation level, as the command's --min-evaluation.
    page.select_option("#min-evaluation", "learning")
    wait_for_state(opened, "min_evaluation", "learning")
    strict = api(served, "/api/overlays/plan", budget=20000, min_evaluation="learning")
    assert highlights(opened) == overlay_words(strict)
    page.select_option("#overlay", "")
    opened.idle()
    assert opened.state() == "" and highlights(opened) == {}


def test_openapi_describes_the_plan(dataset_folder: Path) -> None:
    spec = get_json(client(MemoryBackend(read_dataset(dataset_folder))), "/api/openapi.json")
    for path in ("/api/plan", "/api/overlays/plan"):
        parameters = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert parameters == {
            "budget", "time_limit", "from", "to", "min_evaluation", "profession", "framework",
            "priority",
        }, path  # fmt: skip
