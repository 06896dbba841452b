"""The explorer's overview: the whole graph, or rolled up into groups that add up."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import EXAMPLE

from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.explore import overview as overview_module
from graphmodel.explore.overview import (
    CANVAS,
    GROUP_ID_PATTERN,
    GroupIdError,
    Overview,
    UnknownGroupError,
)
from graphmodel.graph import dataset_relationships


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


@pytest.fixture(scope="module")
def pictures(example: MemoryBackend) -> Overview:
    return Overview(example.skeleton())


def check_adds_up(picture: dict[str, Any], backend: MemoryBackend) -> None:
    """Every node is drawn once, alone or in a group; every relationship is counted once."""
    counts = backend.counts()
    members: Counter[str] = Counter()
    for node in picture["nodes"]:
        members[node["label"]] += node["members"]
        assert all(isinstance(node[xy], float) and abs(node[xy]) < 10 * CANVAS for xy in "xy")
        assert node["group"] == (";" in node["id"]) == node["id"].startswith("group;")
        assert node["members"] >= 2 if node["group"] else node["members"] == 1
    assert dict(members) == {label: n for label, n in counts.nodes.items() if n}
    kinds: Counter[str] = Counter()
    for r in picture["relationships"]:
        kinds[r["type"]] += r["properties"].get("count", 1)
    if picture["relationships_total"] == len(picture["relationships"]):
        assert dict(kinds) == {kind: n for kind, n in counts.relationships.items() if n}
    ids = [node["id"] for node in picture["nodes"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    drawn = set(ids)
    assert all(r["source"] in drawn and r["target"] in drawn for r in picture["relationships"])


def test_a_small_graph_is_drawn_whole_with_every_relationship(
    pictures: Overview, example: MemoryBackend
) -> None:
    picture = pictures.picture(max_nodes=500)
    assert picture["rolled_up"] is False
    assert [n["id"] for n in picture["nodes"]] == sorted(n.id for n in example.named_nodes())
    assert not any(node["group"] for node in picture["nodes"])
    expected = sorted(
        (r.source, r.type, r.target, r.properties) for r in dataset_relationships(example.dataset)
    )
    assert [
        (r["source"], r["type"], r["target"], r["properties"]) for r in picture["relationships"]
    ] == sorted(expected, key=lambda r: (r[0], r[1], r[2]))
    assert picture["relationships_total"] == len(expected)
    check_adds_up(picture, example)


@pytest.mark.parametrize("max_nodes", [7, 10, 30, 60, 139])
def test_a_large_graph_is_rolled_up_to_fit(
    pictures: Overview, example: MemoryBackend, max_nodes: int
) -> None:
    picture = pictures.picture(max_nodes=max_nodes)
    assert picture["rolled_up"] is True
    assert len(picture["nodes"]) <= max_nodes
    check_adds_up(picture, example)
    # A picture laid out on its own fills the canvas.
    for xy in "xy":
        values = [node[xy] for node in picture["nodes"]]
        assert min(values) >= 0 and max(values) <= CANVAS


def test_groups_follow_their_anchors(pictures: Overview, example: MemoryBackend) -> None:
    levels = pictures.levels(60)
    assert levels["TrainingEvent"] >= 1  # the most numerous type goes first
    picture = pictures.picture(max_nodes=60)
    by_id = {node["id"]: node for node in picture["nodes"]}
    data = example.dataset
    for event in data.training_events:
        lead = event.lead_organisation or ""
        group = f"group;TrainingEvent;{lead}"
        alone = event.id in by_id
        assert alone or group in by_id or "group;TrainingEvent" in by_id, event.id
        if group in by_id:
            led = [e for e in data.training_events if (e.lead_organisation or "") == lead]
            assert by_id[group]["members"] == len(led)
            if lead:
                organisation = next(o for o in data.organisations if o.id == lead)
                assert (
                    by_id[group]["name"] == f"{len(led)} training events led by {organisation.name}"
                )


def test_competencies_roll_up_to_their_areas(example: MemoryBackend) -> None:
    pictures = Overview(example.skeleton())
    area_of: dict[str, str] = {}
    parent = {c.id: c.parent for c in example.dataset.competencies}
    for competency in parent:
        top = competency
        while parent[top]:
            top = parent[top]  # type: ignore[assignment]
        area_of[competency] = top
    (area_group,) = [
        g for g in pictures.anchor_groups("Competency") if g.id == "group;Competency;ccs-safe"
    ]
    members = {example.skeleton().ids[m] for m in area_group.members}
    assert members == {c for c, a in area_of.items() if a == "ccs-safe"}


def test_expanding_a_group_shows_its_members_where_the_group_was(
    pictures: Overview, example: MemoryBackend
) -> None:
    rolled = pictures.picture(max_nodes=10)
    groups = {n["id"]: n for n in rolled["nodes"] if n["group"]}
    assert "group;Competency" in groups
    opened = pictures.picture(max_nodes=10, expand=["group;Competency"])
    check_adds_up(opened, example)
    ids = {n["id"] for n in opened["nodes"]}
    assert "group;Competency" not in ids  # 42 competencies: every area fits
    areas = {n["id"] for n in opened["nodes"] if n["id"].startswith("group;Competency;")}
    assert areas and all(
        n["id"] not in ids for n in rolled["nodes"] if n["id"].startswith("group;Competency;")
    )
    # What was drawn stays where it was.
    before = {n["id"]: (n["x"], n["y"]) for n in rolled["nodes"]}
    after = {n["id"]: (n["x"], n["y"]) for n in opened["nodes"]}
    assert all(after[i] == before[i] for i in before if i in after)
    # Expanding an area inside the expanded type shows its competencies.
    deeper = pictures.picture(
        max_nodes=10, expand=["group;Competency", "group;Competency;ccs-safe"]
    )
    check_adds_up(deeper, example)
    assert "ccs-safe-neglect" in {n["id"] for n in deeper["nodes"]}


def test_an_expansion_is_capped_and_the_group_says_how_many_remain(
    example: MemoryBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overview_module, "EXPAND_LIMIT", 3)
    pictures = Overview(example.skeleton())
    assert "group;TrainingEvent" in {n["id"] for n in pictures.picture(max_nodes=10)["nodes"]}
    biggest = pictures.anchor_groups("TrainingEvent")[:3]
    opened = pictures.picture(max_nodes=10, expand=["group;TrainingEvent"])
    check_adds_up(opened, example)
    by_id = {n["id"]: n for n in opened["nodes"]}
    remaining = example.counts().nodes["TrainingEvent"] - sum(len(g.members) for g in biggest)
    assert by_id["group;TrainingEvent"]["members"] == remaining
    assert by_id["group;TrainingEvent"]["name"] == f"Training events ({remaining:,} more)"
    assert all(g.id in by_id for g in biggest if len(g.members) > 1)
    big = biggest[0]
    assert len(big.members) > 3
    deeper = pictures.picture(max_nodes=10, expand=["group;TrainingEvent", big.id])
    check_adds_up(deeper, example)
    by_id = {n["id"]: n for n in deeper["nodes"]}
    assert by_id[big.id]["members"] == len(big.members) - 3
    shown = {example.skeleton().ids[m] for m in big.members[:3]}
    assert shown <= set(by_id)


def test_unknown_groups_are_refused(pictures: Overview) -> None:
    for bad in ("p-teacher", "group;Nurse", "group;a;b;c", "group;Driver;x;y"):
        assert not re.match(GROUP_ID_PATTERN, bad)
        with pytest.raises(GroupIdError):
            pictures.picture(max_nodes=10, expand=[bad])
    # Well-formed (as the OpenAPI description's pattern says), but of no group here.
    for absent in ("group;TrainingEvent;org-nobody", "group;Framework;x"):
        assert re.match(GROUP_ID_PATTERN, absent)
        with pytest.raises(UnknownGroupError):
            pictures.picture(max_nodes=10, expand=[absent])
    # A real group that this picture does not roll up has nothing to expand.
    whole = pictures.picture(max_nodes=500)
    assert pictures.picture(max_nodes=500, expand=["group;Driver"]) == whole


def test_relationships_are_capped_most_counted_first(
    pictures: Overview, example: MemoryBackend
) -> None:
    full = pictures.picture(max_nodes=30)
    capped = pictures.picture(max_nodes=30, max_relationships=10)
    assert capped["nodes"] == full["nodes"]
    assert (
        capped["relationships_total"] == full["relationships_total"] == len(full["relationships"])
    )
    assert len(capped["relationships"]) == 10
    counts = sorted((r["properties"].get("count", 1) for r in full["relationships"]), reverse=True)
    kept = sorted((r["properties"].get("count", 1) for r in capped["relationships"]), reverse=True)
    assert kept == counts[:10]


def test_the_picture_is_the_same_every_time_and_laid_out_once(
    example: MemoryBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = overview_module._force_layout

    def counting(count: int, ends: np.ndarray) -> np.ndarray:
        calls.append(count)
        return real(count, ends)

    monkeypatch.setattr(overview_module, "_force_layout", counting)
    first = Overview(example.skeleton(), tmp_path).picture(max_nodes=30)
    assert len(calls) == 1 and list((tmp_path / "layouts").glob("*.npy"))
    again = Overview(example.skeleton(), tmp_path).picture(max_nodes=30)  # from disk
    assert again == first and len(calls) == 1
    fresh = Overview(example.skeleton()).picture(max_nodes=30)  # no cache: computed again
    assert fresh == first and len(calls) == 2
    # A damaged cache file is recomputed, not trusted.
    for path in (tmp_path / "layouts").glob("*.npy"):
        path.write_bytes(b"not a layout")
    assert Overview(example.skeleton(), tmp_path).picture(max_nodes=30) == first
    assert len(calls) == 3


def test_a_picture_larger_than_the_layout_limit_spreads_round_a_laid_out_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(overview_module, "LAYOUT_LIMIT", 20)
    backend = MemoryBackend(read_dataset(EXAMPLE))
    pictures = Overview(backend.skeleton())
    coarse = {n["id"]: n for n in pictures.picture(max_nodes=20)["nodes"]}
    radius = CANVAS / len(coarse) ** 0.5 / 2
    fine = pictures.picture(max_nodes=500)
    check_adds_up(fine, backend)
    # Each node sits close to the group that stood for it in the coarse picture.
    for node in fine["nodes"]:
        if node["id"] in coarse:
            continue
        label = node["label"]
        holders = [g for i, g in coarse.items() if g["group"] and g["label"] == label]
        nearest = min(
            ((g["x"] - node["x"]) ** 2 + (g["y"] - node["y"]) ** 2) ** 0.5 for g in holders
        )
        assert nearest <= radius + 0.1  # positions are rounded to 0.1
