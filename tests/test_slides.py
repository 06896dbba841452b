"""Slides for the board: graphmodel slides and /api/slides, one slide per saved view.

The decks are read back with python-pptx, and opened by LibreOffice Impress
itself (headless ``soffice --convert-to pdf``, then ``pdftotext``): Debian's
``libreoffice-impress-nogui`` and ``poppler-utils`` (``make system-deps``);
under CI=true a missing one fails, never skips.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT
from explorer_client import AUTH, client, get_json
from PIL import Image
from pptx import Presentation

from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.explore import Explorer
from graphmodel.explore.overlays import OVERLAYS
from graphmodel.explore.pictures import view_picture
from graphmodel.explore.saved_views import SavedView
from graphmodel.marks import MARKS
from graphmodel.model import Dataset
from graphmodel.visuals.palette import NODE_STYLES
from graphmodel.visuals.slides import draw_picture

SOURCE = str(EXAMPLE.relative_to(ROOT))  # as a strategist types it, in the project's folder

VIEWS = [
    {"name": "Teachers' gaps", "state": "overlay=gaps&profession=p-teacher"},
    {"name": "The network by community", "state": "colour=community"},
    {"name": "Reach of the inquiry", "state": "overlay=reach&driver=dr-inquiry-report"},
    {"name": "Rolled up by community", "state": "max_nodes=20&roll_up=community"},
    {"name": "Social worker and neighbours", "state": "focus=p-social-worker&depth=1"},
]


def slide_texts(slide: Any) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def slide_table(slide: Any) -> list[list[str]]:
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    if not tables:
        return []
    (table,) = tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def slide_picture(slide: Any) -> tuple[Image.Image, str]:
    (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]  # PICTURE
    return Image.open(io.BytesIO(picture.image.blob)), picture._element.nvPicPr.cNvPr.get("descr")


def write_views(folder: Path, views: list[dict[str, Any]]) -> Path:
    path = folder / "board-views.json"
    path.write_text(json.dumps({"views": views}), encoding="utf-8")
    return path


def run_slides(*arguments: str) -> Any:
    return CliRunner().invoke(cli, ["slides", *arguments], catch_exceptions=False)


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("deck")
    out = folder / "board.pptx"
    result = run_slides(
        SOURCE, "--views", str(write_views(folder, VIEWS)), "-o", str(out), "--date", "2026-03-31"
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: 5 slides, one per view of ")
    return out


def test_one_slide_per_view_with_title_summary_picture_legend_table_source_and_date(
    deck: Path,
) -> None:
    slides = list(Presentation(str(deck)).slides)
    assert len(slides) == len(VIEWS)
    explorer = Explorer(MemoryBackend(read_dataset(EXAMPLE)), SOURCE)
    for number, (slide, view) in enumerate(zip(slides, VIEWS, strict=True), start=1):
        texts = slide_texts(slide)
        picture = view_picture(explorer, SavedView.model_validate(view))
        assert texts[0] == view["name"]
        assert texts[1] == picture.summary
        assert f"Source: {SOURCE} · 2026-03-31 · graphmodel · {number} of 5" in texts
        assert not any("/work" in text or str(ROOT) in text for text in texts)  # no machine path
        assert "Legend" in texts
        image, description = slide_picture(slide)
        assert description == f"{view['name']}: {picture.summary}."
        assert image.size[0] >= 1000 and image.mode == "RGB"
        notes = slide.notes_slide.notes_text_frame.text
        assert f"View: ?{view['state']}" in notes
        for row in picture.marked:
            assert f"{row.name} ({row.label}, {row.id}): {', '.join(row.marks)}" in notes
    teachers = slides[0]
    assert (
        slide_texts(teachers)[1]
        == "4 gaps (1 below the level needed) and 7 covered, of 11 requirements"
    )
    legend = slide_texts(teachers)
    assert {"Competencies", "Professions", "Training events"} <= set(legend)
    assert any(text.startswith("gap: a required competency") for text in legend)
    table = slide_table(teachers)
    assert table[0] == ["Name", "Type", "Marks"]
    picture = view_picture(explorer, SavedView.model_validate(VIEWS[0]))
    # The answer view: exactly the overlay's nodes, each with the marks the overlay gives it.
    document = explorer.overlay(
        "gaps", OVERLAYS["gaps"].model_validate({"profession": ["p-teacher"]})
    )
    assert {node.id for node in picture.nodes} <= {node["id"] for node in document["nodes"]}
    assert {(m.id, m.marks) for m in picture.marked} == {
        (node["id"], tuple(node["marks"]))
        for node in document["nodes"]
        if node["marks"] and node["id"] in {n.id for n in picture.nodes}
    }
    # Each block's title (a framework area's gaps) over the block's first node drawn.
    drawn = {node.id for node in picture.nodes}
    assert [(t.text, t.anchor) for t in picture.titles] == [
        (block["title"], next(i for i in [block["header"], *(x["id"] for x in block["items"])]
                              if i in drawn))
        for block in document["view"]["blocks"]
    ]  # fmt: skip
    assert "gaps: 1 of 3 required" in {t.text for t in picture.titles}
    marked = len(picture.marked)
    gaps = document["analysis"]["summary"]["gaps"]
    assert sum("gap" in m.marks for m in picture.marked) == gaps == 4
    rows = [row for row in table[1:] if not row[0].startswith("and ")]
    assert rows == [[m.name[:33] + ("…" if len(m.name) > 34 else m.name[33:]), m.label,
                     ", ".join(m.marks)] for m in picture.marked[: len(rows)]]  # fmt: skip
    if len(rows) < marked:
        assert table[-1][0] == f"and {marked - len(rows)} more (see the notes)"
    assert all(row[2].startswith("gap") for row in rows[:3])  # the gaps first
    # Community views name their communities in the legend; a view with no mark says so.
    by_community = slide_texts(slides[1])
    assert any(re.match(r"1\. .+ · .+", text) for text in by_community)
    assert "No node is marked in this view (148 drawn)." in by_community
    assert "focus" in slide_table(slides[4])[1][2]


def test_the_picture_puts_each_node_where_the_view_saved_it() -> None:
    """A view saved in the page: exactly its nodes, at its places, framed by its viewport."""
    explorer = Explorer(MemoryBackend(read_dataset(EXAMPLE)), SOURCE)
    view = SavedView.model_validate(
        {
            "name": "Two teachers' gaps, moved",
            "state": "overlay=gaps&profession=p-teacher",
            "viewport": {"left": 0, "top": 100, "right": 100, "bottom": 0},
            "positions": {
                "p-teacher": [20, 80],
                "ccs-trans": [80, 80],  # a gap: red
                "ccs-safe-recognise": [80, 20],  # a gap too
                "te-ncc-sg-foundation-2025": [20, 20],
                "no-such-node": [50, 50],
            },
        }
    )
    picture = view_picture(explorer, view)
    assert {node.id for node in picture.nodes} == {
        "p-teacher",
        "ccs-trans",
        "ccs-safe-recognise",
        "te-ncc-sg-foundation-2025",
    }
    assert picture.notes == ("1 nodes of the saved view are not in the graph now.",)
    assert {(node.id, node.x, node.y) for node in picture.nodes} >= {("p-teacher", 20, 80)}
    marks = {node.id: node.marks for node in picture.nodes}
    assert "gap" in marks["ccs-trans"] and marks["p-teacher"] == ("profession",)
    image = draw_picture(picture, 400, 400)
    gap_red = MARKS["gap"].fill
    assert gap_red is not None

    def colour_near(x: int, y: int, colour: str, reach: int = 5) -> bool:
        want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return any(
            all(
                abs(a - b) <= 24
                for a, b in zip(image.getpixel((x + dx, y + dy)), want, strict=False)
            )
            for dx in range(-reach, reach + 1)
            for dy in range(-reach, reach + 1)
        )

    # Graph (80, 80) is the top right quarter; (20, 20) the bottom left (y grows upwards).
    assert colour_near(320, 80, gap_red) and colour_near(320, 320, gap_red)
    assert not colour_near(80, 320, gap_red, reach=12)
    assert colour_near(80, 320, NODE_STYLES["TrainingEvent"].colour)


def test_the_command_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    cases = [
        (["--views", str(tmp_path / "missing.json")], "missing.json: cannot read it"),
        (["--views", str(write_views(tmp_path, []))], "view: List should have at least 1 item"),
    ]
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    cases.append((["--views", str(tmp_path / "bad.json")], "bad.json:1: not JSON"))
    tokened = tmp_path / "tokened"
    tokened.mkdir()
    cases.append(
        (
            ["--views", str(write_views(tokened, [{"name": "x", "state": "token=abc"}]))],
            "views.0.state: holds a token",
        )
    )
    for arguments, message in cases:
        result = run_slides(SOURCE, *arguments, "-o", str(out))
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.output
        assert not out.exists()
    nowhere = tmp_path / "no-such-folder" / "deck.pptx"
    result = run_slides(
        SOURCE, "--views", str(write_views(tmp_path, VIEWS[:1])), "-o", str(nowhere)
    )
    assert result.exit_code == 2 and "deck.pptx: cannot write the deck" in result.output
    assert len(result.output.strip().splitlines()) == 1
    # A view naming what the graph lacks still makes its slide, and says so.
    odd = [{"name": "Gone", "state": "focus=p-nobody&overlay=gaps&profession=p-nobody&path=x"}]
    result = CliRunner().invoke(
        cli, ["slides", SOURCE, "--views", str(write_views(tmp_path, odd)), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Gone: Not drawn on the slide: the path." in result.output
    assert "Gone: no node 'p-nobody'" in result.output
    assert len(Presentation(str(out)).slides) == 1


def test_the_api_writes_the_same_deck(deck: Path) -> None:
    http = client(MemoryBackend(read_dataset(EXAMPLE)), SOURCE)
    views = [("view", json.dumps(view)) for view in VIEWS] + [("date", "2026-03-31")]
    response = http.get("/api/slides", params=views, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="graphmodel-views.pptx"' in response.headers["content-disposition"]
    served = list(Presentation(io.BytesIO(response.content)).slides)
    written = list(Presentation(str(deck)).slides)
    assert [slide_texts(s) for s in served] == [slide_texts(s) for s in written]
    assert [slide_table(s) for s in served] == [slide_table(s) for s in written]
    assert [slide_picture(s)[0].tobytes() for s in served] == [
        slide_picture(s)[0].tobytes() for s in written
    ]
    named = "%7B%22name%22%3A%22x%22"
    for query, message in [
        ("/api/slides", "missing parameter 'view'"),
        ("/api/slides?view=%7Bnot", "view: view 1 is not JSON (Expecting property name"),
        (f"/api/slides?view={named}%7D", "view: view 1: state: Field required"),
        (f"/api/slides?view={named}%2C%22state%22%3A%22token%3Dx%22%7D", "view 1: state: holds a"),
        (f"/api/slides?view={named}%2C%22state%22%3A%22%22%7D&dat=1", "unknown parameter 'dat'"),
        (
            f"/api/slides?view={named}%2C%22state%22%3A%22%22%2C%22positions%22%3A"
            "%7B%22a%22%3A%5B1e999%2C0%5D%7D%7D",
            "view 1: positions.a.0: Input should be a finite number",
        ),
    ]:
        error = get_json(http, query, 400)["error"]
        assert message in error, (query, error)
    assert get_json(http, "/api/communities?limit=1")["summary"]["shown"] == 1  # still serving


def test_pictures_are_the_same_on_both_backends(
    backend_for: Callable[[Dataset], GraphBackend],
) -> None:
    dataset = read_dataset(EXAMPLE)
    memory = Explorer(MemoryBackend(dataset), SOURCE)
    other = Explorer(backend_for(dataset), SOURCE, remember=False)
    for view in VIEWS:
        saved = SavedView.model_validate(view)
        assert view_picture(other, saved) == view_picture(memory, saved), view["name"]


# -- LibreOffice Impress opens it ---------------------------------------------------------


def missing(package: str) -> None:
    """Fail under CI=true, else skip: ``package`` is not installed."""
    message = f"{package} is not installed; run `make system-deps`"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        missing(package)
    assert found is not None
    return found


@pytest.fixture
def soffice() -> str:
    """LibreOffice with Impress (``make system-deps``); its name gives the test the
    libreoffice tier (tests/tiers.py)."""
    found = tool("soffice", "LibreOffice Impress (libreoffice-impress-nogui)")
    if not Path("/usr/lib/libreoffice/share/registry/impress.xcd").exists():
        missing("LibreOffice Impress (libreoffice-impress-nogui)")
    return found


def impress_pdf(soffice: str, deck: Path, out: Path) -> Path:
    """The deck as LibreOffice Impress reads it, printed to PDF."""
    with tempfile.TemporaryDirectory(prefix="graphmodel-soffice-") as profile:
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(deck),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    pdf = out / f"{deck.stem}.pdf"
    assert pdf.is_file(), f"Impress wrote no PDF:\n{done.stdout}{done.stderr}"
    return pdf


def test_libreoffice_impress_opens_the_deck(soffice: str, deck: Path, tmp_path: Path) -> None:
    pdf = impress_pdf(soffice, deck, tmp_path)
    pdftotext = tool("pdftotext", "poppler-utils")
    pages = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) == len(VIEWS)
    for page, view in zip(pages, VIEWS, strict=True):
        assert view["name"] in page
        assert f"Source: {SOURCE} · 2026-03-31" in page
    assert "4 gaps (1 below the level needed) and 7 covered, of 11 requirements" in pages[0]
    explorer = Explorer(MemoryBackend(read_dataset(EXAMPLE)), SOURCE)
    marked = view_picture(explorer, SavedView.model_validate(VIEWS[0])).marked
    assert f"Marked nodes ({len(marked)})" in pages[0]


# -- the national set -------------------------------------------------------------------------


@pytest.mark.slow  # the national set written and drawn in its own process
def test_slides_of_the_national_set(soffice: str, tmp_path: Path) -> None:
    """Views of the national synthetic set (130,220 nodes): gaps, the rolled-up overview,
    by community; in its own process (its memory is given back at once)."""
    views = [
        {"name": "Gaps of profession 1", "state": "overlay=gaps&profession=p-1"},
        {"name": "The overview", "state": ""},
        {"name": "By community", "state": "roll_up=community&max_nodes=200"},
    ]
    views_file = write_views(tmp_path, views)
    script = tmp_path / "national.py"
    script.write_text(
        "import sys\n"
        "from graphmodel.collector import collect_less_often\n"
        "collect_less_often()  # as the command line does (main() does it again)\n"
        "from graphmodel.cli.main import main\n"
        "from graphmodel.io.tabular import write_dataset\n"
        "from graphmodel.synthetic import Scale, synthetic_dataset\n"
        "from pathlib import Path\n"
        "write_dataset(synthetic_dataset(Scale.national(), seed=1), Path('national'))\n"
        "sys.argv = ['graphmodel', 'slides', 'national', '--views', sys.argv[1],\n"
        "            '-o', sys.argv[2], '--date', '2026-03-31']\n"
        "main()\n",
        encoding="utf-8",
    )
    out = tmp_path / "national.pptx"
    done = subprocess.run(
        [sys.executable, str(script), str(views_file), str(out)],
        capture_output=True,
        text=True,
        timeout=3600,
        cwd=tmp_path,
        env={**os.environ, "GRAPHMODEL_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    slides = list(Presentation(str(out)).slides)
    assert [slide_texts(s)[0] for s in slides] == [view["name"] for view in views]
    assert re.fullmatch(
        r"[\d,]+ gaps?( \([\d,]+ below the level needed\))? and [\d,]+ covered, "
        r"of [\d,]+ requirements",
        slide_texts(slides[0])[1],
    )
    assert "Source: national · 2026-03-31 · graphmodel · 1 of 3" in slide_texts(slides[0])
    assert slide_table(slides[0])[0] == ["Name", "Type", "Marks"]
    assert any(re.match(r"1\. .+", text) for text in slide_texts(slides[2]))  # communities
    pdf = impress_pdf(soffice, out, tmp_path)
    assert pdf.stat().st_size > 10_000
