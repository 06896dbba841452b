"""The served graph follows its dataset's files; a team's views come from a file."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_TABLES, EXAMPLE
from explorer_client import AUTH, ORIGIN, PORT, TOKEN
from fastapi.testclient import TestClient
from test_explorer_serve import command, serving

from graphmodel.backends import MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.explore import Explorer
from graphmodel.explore.live import ServedGraph
from graphmodel.explore.saved_views import ViewsFileError, read_views
from graphmodel.io.tabular import write_dataset
from graphmodel.web.app import create_app
from graphmodel.web.guard import Guard, allowed_hosts


def served_folder(folder: Path) -> ServedGraph:
    return ServedGraph(lambda: Explorer(MemoryBackend(read_dataset(folder)), str(folder)), folder)


def wait_for(check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_an_edit_replaces_the_graph_and_a_bad_one_keeps_the_last_good(
    make_dataset: Callable[..., Path],
) -> None:
    folder = make_dataset()
    served = served_folder(folder)
    http = TestClient(
        Guard(create_app(served), TOKEN, allowed_hosts("127.0.0.1", PORT), PORT), base_url=ORIGIN
    )
    served.start()
    try:
        assert http.get("/api/status", headers=AUTH).json()["version"] == 1
        professions = folder / "professions.csv"
        professions.write_text(
            professions.read_text().replace("Teacher,education", "Schoolteacher,education")
        )
        wait_for(lambda: served.status()["version"] == 2)
        assert http.get("/api/nodes/p-teacher", headers=AUTH).json()["name"] == "Schoolteacher"
        # A mistake: the page is told in the command line's words; the graph stays.
        good = professions.read_text()
        professions.write_text(good.replace("p-teacher,Schoolteacher", "p-teacher,"))
        wait_for(lambda: bool(served.status()["problems"]))
        expected = CliRunner().invoke(cli, ["validate", str(folder)])
        status = http.get("/api/status", headers=AUTH).json()
        assert status["version"] == 2 and status["watching"] is True
        assert status["problems"] == expected.output.strip().splitlines()
        assert status["problems"] == [f"{folder}/professions.csv:3:name: required value is empty"]
        assert http.get("/api/nodes/p-teacher", headers=AUTH).json()["name"] == "Schoolteacher"
        # Mended: the graph is read again and the problems are gone.
        professions.write_text(good.replace("Schoolteacher", "Teacher (qualified)"))
        wait_for(lambda: served.status()["version"] == 3)
        assert served.status()["problems"] == []
        assert (
            http.get("/api/nodes/p-teacher", headers=AUTH).json()["name"] == "Teacher (qualified)"
        )
        # A file that is not part of the dataset (a spreadsheet's lock file) changes nothing.
        (folder / ".~lock.professions.csv#").write_text("x")
        time.sleep(1.5)
        assert served.status()["version"] == 3
    finally:
        served.stop()


def test_a_workbook_is_followed_too(tmp_path: Path) -> None:
    workbook = tmp_path / "exercise.xlsx"
    dataset = read_dataset(EXAMPLE)
    write_dataset(dataset, workbook)
    served = ServedGraph(
        lambda: Explorer(MemoryBackend(read_dataset(workbook)), str(workbook)), workbook
    )
    served.start()
    try:
        renamed = [d.model_copy(update={"name": f"{d.name} (revised)"}) for d in dataset.drivers]
        write_dataset(dataset.model_copy(update={"drivers": renamed}), tmp_path / "next.xlsx")
        (tmp_path / "next.xlsx").replace(workbook)  # as an application saves: a new file renamed
        wait_for(lambda: served.status()["version"] == 2)
        driver = served.explorer.node(dataset.drivers[0].id)
        assert driver["name"] == f"{dataset.drivers[0].name} (revised)"
    finally:
        served.stop()


@pytest.mark.slow  # graphmodel serve in its own process
def test_views_files_are_checked_and_served(tmp_path: Path) -> None:
    views = tmp_path / "views.json"
    document = {
        "views": [
            {"name": "Teachers' gaps", "state": "overlay=gaps&profession=p-teacher"},
            {"name": "Inquiry reach", "state": "?overlay=reach&driver=dr-inquiry-report"},
        ]
    }
    views.write_text(json.dumps(document))
    assert [v.state for v in read_views(views).views][1] == "overlay=reach&driver=dr-inquiry-report"
    with serving(str(EXAMPLE), "--port", "0", "--views", str(views)) as served:
        status, shared = served.request("/api/views")
        assert status == 200
        assert shared["views"][0] == document["views"][0]
        assert served.request("/api/status")[1]["watching"] is True
    bad = {
        "not json {": ":1: not JSON",
        json.dumps({"views": [{"name": "x"}]}): "views.0.state: Field required",
        json.dumps({"views": [{"name": "x", "state": "a=1&token=s3cret"}]}): "holds a token",
        json.dumps({"view": []}): "view: Extra inputs are not permitted",
    }
    for text, message in bad.items():
        views.write_text(text)
        with pytest.raises(ViewsFileError, match=message):
            read_views(views)
    done = subprocess.run(
        command("serve", str(EXAMPLE), "--views", str(views), "--no-open"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stderr.strip().startswith(f"error: {views}:")
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_base_dataset_serves(make_dataset: Callable[..., Path]) -> None:
    served = served_folder(make_dataset())
    assert served.explorer.summary()["nodes"]["Competency"] == BASE_TABLES["competencies"].count(
        "fw-core"
    )
