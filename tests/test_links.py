"""Driver reach, initiative links and what-if drivers on hand-built data and the example."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE
from links_data import FILLERS, LINKS_TABLES

from graphmodel.analysis.links import (
    LinkIndex,
    driver_reach,
    initiative_links,
    rarity_weight,
    what_if,
)
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.errors import NotFoundError
from graphmodel.model import InitiativeStatus
from graphmodel.projections import InitiativeFilter


@pytest.fixture
def links_backend(make_dataset: Callable[..., Path]) -> MemoryBackend:
    return MemoryBackend(read_dataset(make_dataset(**LINKS_TABLES)))


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


def test_reach_is_exactly_the_responders_and_what_they_touch(links_backend: MemoryBackend) -> None:
    reach = driver_reach(links_backend, "dr-main").to_json()
    assert reach["driver"] == "dr-main"
    assert reach["responding"] == ["in-r1", "in-r2"]
    assert reach["competencies"] == ["c-common", "c-rare", "c-x"]
    assert reach["professions"] == ["p-common", "p-other"]
    assert reach["organisations"] == ["org-lead1", "org-lead2", "org-p1"]


def test_rare_shared_ground_outranks_more_common_ground(links_backend: MemoryBackend) -> None:
    candidates = driver_reach(links_backend, "dr-main").to_json()["candidates"]
    order = [c["initiative"] for c in candidates]
    # in-common shares two items, in-planted one: a raw count would put in-common first.
    assert order == ["in-planted", "in-common", *FILLERS]
    planted, common = candidates[0], candidates[1]
    assert planted["shared"] == {
        "competencies": ["c-rare"],
        "professions": [],
        "organisations": [],
    }
    assert common["shared"]["professions"] == ["p-common", "p-other"]
    # c-rare: 2 initiatives; p-common: 11; p-other: 10 (see links_data.py).
    assert planted["score"] == round(1 / math.log(3), 6)
    assert common["score"] == round(1 / math.log(12) + 1 / math.log(11), 6)
    assert planted["text_similarity"] == 0.0 and planted["terms"] == []
    assert planted["reason"] == "shares 1 competency; rarest: Rare skill (2 initiatives)"
    assert all(c["initiative"] not in ("in-r1", "in-r2") for c in candidates)


def test_rarity_weight_falls_as_more_initiatives_touch_an_item() -> None:
    weights = [rarity_weight(n) for n in range(1, 50)]
    assert weights == sorted(weights, reverse=True)
    assert rarity_weight(1) == pytest.approx(1 / math.log(2))


def test_text_similarity_adds_to_the_score_and_finds_worded_candidates(
    make_dataset: Callable[..., Path],
) -> None:
    tables = dict(LINKS_TABLES)
    # in-common now says what the driver says: same ground, higher score, words shown.
    tables["initiatives"] = LINKS_TABLES["initiatives"].replace(  # type: ignore[union-attr]
        "in-common,Cobra plan,Condor work", "in-common,Zebra review response,Quokka findings"
    )
    backend = MemoryBackend(read_dataset(make_dataset(**tables)))
    candidates = driver_reach(backend, "dr-main").to_json()["candidates"]
    common = next(c for c in candidates if c["initiative"] == "in-common")
    assert common["text_similarity"] > 0.5
    assert common["score"] == pytest.approx(common["graph_score"] + common["text_similarity"])
    assert {"zebra", "quokka"} <= set(common["terms"])
    assert "similar wording: " in common["reason"]
    assert candidates[0]["initiative"] == "in-common"


def test_driver_without_responders_still_finds_worded_candidates(
    make_dataset: Callable[..., Path],
) -> None:
    tables = dict(LINKS_TABLES)
    tables["initiatives"] = LINKS_TABLES["initiatives"].replace(  # type: ignore[union-attr]
        "in-f8,Filler hedgehog,", "in-f8,Tapir reporting plan,"
    )
    backend = MemoryBackend(read_dataset(make_dataset(**tables)))
    reach = driver_reach(backend, "dr-empty").to_json()
    assert reach["responding"] == reach["competencies"] == reach["organisations"] == []
    assert [c["initiative"] for c in reach["candidates"]] == ["in-f8"]
    assert reach["candidates"][0]["reason"].startswith("shares no ground; similar wording: ")
    assert {"tapir", "reporting"} <= set(reach["candidates"][0]["terms"])


def test_filters_restrict_responders_ground_and_candidates(links_backend: MemoryBackend) -> None:
    active = driver_reach(
        links_backend, "dr-main", InitiativeFilter(statuses=(InitiativeStatus.ACTIVE,))
    ).to_json()
    assert active["responding"] == ["in-r1"]
    assert active["competencies"] == ["c-common", "c-rare"]
    assert active["professions"] == ["p-common"]
    assert active["organisations"] == ["org-lead1", "org-p1"]
    assert "in-planted" not in {c["initiative"] for c in active["candidates"]}  # proposed

    # in-r1 starts after the window; in-planted too; undated fillers always take part.
    window = driver_reach(
        links_backend, "dr-main", InitiativeFilter(date_to=dt.date(2024, 12, 31))
    ).to_json()
    assert window["responding"] == ["in-r2"]
    assert window["competencies"] == ["c-x"]
    candidates = {c["initiative"] for c in window["candidates"]}
    assert "in-planted" not in candidates and "in-r1" not in candidates
    assert {"in-common", "in-f4"} <= candidates
    assert "in-f3" not in candidates  # starts 2025-01-01


def test_limit_keeps_the_best_and_counts_them_all(links_backend: MemoryBackend) -> None:
    full = driver_reach(links_backend, "dr-main").to_json()
    top = driver_reach(links_backend, "dr-main", limit=2).to_json()
    assert top["candidates"] == full["candidates"][:2]
    assert top["summary"]["candidates"] == full["summary"]["candidates"] == 10


def test_names_cover_every_id_in_the_document(links_backend: MemoryBackend) -> None:
    reach = driver_reach(links_backend, "dr-main").to_json()
    ids = {reach["driver"], *reach["responding"], *reach["competencies"]}
    ids |= {*reach["professions"], *reach["organisations"]}
    ids |= {c["initiative"] for c in reach["candidates"]}
    assert set(reach["names"]) == ids
    assert reach["names"]["c-rare"] == "Rare skill"
    assert reach["names"]["in-r1"] == "Lynx plan"


def test_unknown_or_wrong_driver_ids(links_backend: MemoryBackend) -> None:
    with pytest.raises(NotFoundError, match=r"unknown driver 'dr-mian'; did you mean 'dr-main'"):
        driver_reach(links_backend, "dr-mian")
    with pytest.raises(NotFoundError, match=r"'in-r1' is an initiative, not a driver"):
        driver_reach(links_backend, "in-r1")
    with pytest.raises(NotFoundError, match=r"'c-rare' is a competency, not a driver"):
        driver_reach(links_backend, "c-rare")


def test_example_driver_reach(example: MemoryBackend) -> None:
    reach = driver_reach(example, "dr-inquiry-report").to_json()
    rows = read_dataset(EXAMPLE).initiatives
    responders = sorted(i.id for i in rows if "dr-inquiry-report" in i.responds_to)
    assert reach["responding"] == responders and len(responders) == 7
    assert reach["competencies"] == sorted(
        {c for i in rows if i.id in responders for c in i.addresses}
    )
    assert reach["organisations"] == sorted(
        {o for i in rows if i.id in responders for o in [*i.partners, i.lead_organisation] if o}
    )
    scores = [c["score"] for c in reach["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert reach["candidates"][0]["initiative"] == "in-nscp-multiagency-programme"


# -- initiative links ------------------------------------------------------------


def test_initiative_links_both_ways_and_related(links_backend: MemoryBackend) -> None:
    links = initiative_links(links_backend, "in-f1").to_json()
    assert links["builds_on"] == [] and links["built_on_by"] == ["in-f2"]
    related = {r["initiative"]: r for r in links["related"]}
    assert related["in-f2"]["link"] == "built_on_by"
    assert related["in-f3"]["link"] is None
    # Fillers share c-y, two professions and the lead org-x; in-r2 only two professions.
    assert related["in-f2"]["score"] > related["in-r2"]["score"]
    assert related["in-f2"]["shared"]["drivers"] == []
    assert "in-f1" not in related
    assert links["related"] == sorted(
        links["related"], key=lambda r: (-r["score"], r["initiative"])
    )

    later = initiative_links(links_backend, "in-f2").to_json()
    assert later["builds_on"] == ["in-f1"] and later["built_on_by"] == []


def test_suggested_links_are_related_earlier_and_not_yet_linked(
    links_backend: MemoryBackend,
) -> None:
    links = initiative_links(links_backend, "in-f3").to_json()
    # in-f1 and in-f2 started earlier and share c-y and both professions; in-common
    # shares them too but has no dates; in-f2 -> in-f1 exists already.
    # (in-f1 and in-f2 tie on score; ties go by id.)
    assert [(s["from"], s["to"]) for s in links["suggested"]] == [
        ("in-f3", "in-f1"),
        ("in-f3", "in-f2"),
    ]
    assert all("could build on" in s["reason"] for s in links["suggested"])
    earlier = initiative_links(links_backend, "in-f1").to_json()
    assert [(s["from"], s["to"]) for s in earlier["suggested"]] == [("in-f3", "in-f1")]


def test_initiative_outside_the_selection_or_unknown(links_backend: MemoryBackend) -> None:
    with pytest.raises(NotFoundError, match="outside the --status/--from/--to selection"):
        initiative_links(
            links_backend, "in-r2", InitiativeFilter(statuses=(InitiativeStatus.ACTIVE,))
        )
    with pytest.raises(NotFoundError, match=r"did you mean 'in-r1'"):
        initiative_links(links_backend, "in-r11")


def test_example_suggests_the_second_neglect_toolkit_builds_on_the_first(
    example: MemoryBackend,
) -> None:
    links = initiative_links(example, "in-nhs-neglect-tool").to_json()
    assert links["related"][0]["initiative"] == "in-ncc-neglect-toolkit"
    assert [(s["from"], s["to"]) for s in links["suggested"]] == [
        ("in-nhs-neglect-tool", "in-ncc-neglect-toolkit")
    ]
    strategy = initiative_links(example, "in-nct-workforce-strategy").to_json()
    assert strategy["builds_on"] == ["in-nct-workforce-strategy-2022"]
    assert strategy["built_on_by"] == [
        "in-ncc-early-help",
        "in-nct-mapping",
        "in-nscp-multiagency-programme",
    ]


# -- what-if ---------------------------------------------------------------------


def test_what_if_says_what_came_from_text_and_what_from_the_graph(example: MemoryBackend) -> None:
    result = what_if(
        example,
        "A duty on practitioners to report child exploitation, with training on recognising it",
    ).to_json()
    assert result["driver"] is None
    matched = result["origin"]["text"]
    assert "dr-exploitation-duty" in matched["drivers"]
    assert "ccs-safe-exploit" in matched["competencies"]
    assert all(m["similarity"] >= 0.2 for kind in result["matched"].values() for m in kind)
    # dr-exploitation-duty has no responders: everything else is graph reach of the
    # other matches, and the matched competency is in the ground.
    assert "ccs-safe-exploit" in result["competencies"]
    graph = result["origin"]["graph"]
    assert set(graph["initiatives"]) | set(matched["initiatives"]) == set(result["responding"])
    assert not set(graph["competencies"]) & set(matched["competencies"])
    candidates = [c["initiative"] for c in result["candidates"]]
    assert "in-hearthside-regs" in candidates  # the only initiative addressing ccs-safe-exploit


def test_what_if_matching_an_existing_driver_reaches_its_responders(
    example: MemoryBackend,
) -> None:
    result = what_if(
        example,
        "National drug and alcohol recovery strategy: treatment capacity and families",
        min_similarity=0.3,
    ).to_json()
    assert result["origin"]["text"]["drivers"] == ["dr-drug-strategy"]
    responders = driver_reach(example, "dr-drug-strategy").to_json()["responding"]
    assert set(responders) <= set(result["responding"])
    assert set(responders) - set(result["origin"]["text"]["initiatives"]) <= set(
        result["origin"]["graph"]["initiatives"]
    )


def test_what_if_thresholds(example: MemoryBackend) -> None:
    loose = what_if(example, "neglect", min_similarity=0.01, matches=2).to_json()
    assert all(len(kind) <= 2 for kind in loose["matched"].values())
    strict = what_if(example, "neglect", min_similarity=0.99).to_json()
    assert strict["summary"]["matched"] == 0 and strict["responding"] == []
    with pytest.raises(ValueError, match="empty"):
        what_if(example, "   ")


def test_one_index_answers_many_questions(links_backend: MemoryBackend) -> None:
    index = LinkIndex(links_backend)
    assert index.reach("dr-main").to_json() == driver_reach(links_backend, "dr-main").to_json()
    assert index.related("in-f1").to_json() == initiative_links(links_backend, "in-f1").to_json()
