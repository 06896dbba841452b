"""The coverage matrix as one self-contained HTML heat map (no scripts, no network)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any


def _colour(share: float | None) -> str:
    """Red (nothing covered) through amber to green (all covered); grey for no requirement."""
    if share is None:
        return "#eeeeee"
    if share < 0.5:
        red, green = 215, int(60 + 2 * share * 150)
    else:
        red, green = int(215 - 2 * (share - 0.5) * 170), 190
    return f"rgb({red},{green},70)"


#: At most this many rows of the levels table (the rest are counted under it).
LEVEL_ROWS = 200

#: How the levels table words each state, in the order it lists them.
_LEVEL_STATES = {"below": "below the level needed", "none": "not covered", "met": "met"}


def _level_state(row: dict[str, Any]) -> str:
    if row["met"]:
        return "met"
    return "none" if row["covered_level"] is None else "below"


def levels_fragment(matrix: dict[str, Any]) -> str:
    """The table of levels needed and reached, one row per requirement that asks for a
    level: below-level first, then not covered, then met (``""`` for a matrix without
    levels). At most :data:`LEVEL_ROWS` rows, the rest counted."""
    rows = matrix.get("levels")
    if not rows:
        return ""
    order = list(_LEVEL_STATES)
    names = {p["id"]: p["name"] for p in matrix["professions"]}
    ranked = sorted(
        rows,
        key=lambda r: (order.index(_level_state(r)), r["profession"], r["competency"]),
    )
    body = "".join(
        f'<tr class="{_level_state(r)}"><th class="row" title="{html.escape(r["profession"])}">'
        f"{html.escape(names.get(r['profession'], r['profession']))}</th>"
        f'<td title="{html.escape(r["competency"])}">{html.escape(r["competency_name"])}</td>'
        f"<td>{html.escape(r['required_level'])}</td>"
        f"<td>{html.escape(r['covered_level'] or '-')}</td>"
        f"<td>{_LEVEL_STATES[_level_state(r)]}</td></tr>"
        for r in ranked[:LEVEL_ROWS]
    )
    counts = {state: sum(1 for r in rows if _level_state(r) == state) for state in order}
    more = (
        f"<p>The first {LEVEL_ROWS} of {len(rows):,} are shown; "
        "<code>graphmodel coverage --format json</code> lists all.</p>"
        if len(rows) > LEVEL_ROWS
        else ""
    )
    return f"""<h2 id="levels">Levels needed and reached</h2>
<p>Each requirement that asks for a level: the level the profession's active training
reaches. {counts["below"]} below the level needed, {counts["none"]} not covered at all,
{counts["met"]} met.</p>
<table class="levels">
<thead><tr><th scope="col">Profession</th><th scope="col">Competency</th>
<th scope="col">Needed</th><th scope="col">Reached</th><th scope="col">State</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
{more}"""


def heatmap_fragment(matrix: dict[str, Any]) -> str:
    """The legend and the professions-by-areas table, to place in a page using
    :data:`HEATMAP_CSS` (the board report embeds it this way).

    Each cell shows covered/required items and is coloured by the share covered;
    where frameworks state levels, covered means at the level needed, and a cell
    also says how many are covered below it.
    """
    cells = {(c["profession"], c["area"]): c for c in matrix["cells"]}
    head = "".join(
        f'<th title="{html.escape(a["id"])}"><span>{html.escape(a["name"])}</span>'
        f"<small>{html.escape(a['framework'])}</small></th>"
        for a in matrix["areas"]
    )
    rows = []
    for profession in matrix["professions"]:
        tds = []
        for area in matrix["areas"]:
            cell = cells[(profession["id"], area["id"])]
            share = cell["share"]
            below = cell.get("below_level", 0)
            text = "" if share is None else f"{cell['covered']}/{cell['required']}"
            hint = (
                "no requirement"
                if share is None
                else f"{share:.0%} of {cell['required']} required items covered"
            )
            if "below_level" in cell and share is not None:
                hint += f" at the level needed, {below} covered below it"
            if below:
                text += f"<small>{below} below</small>"
            tds.append(
                f'<td style="background:{_colour(share)}" '
                f'title="{html.escape(profession["name"])}, {html.escape(area["name"])}: {hint}">'
                f"{text}</td>"
            )
        rows.append(
            f'<tr><th class="row" title="{html.escape(profession["id"])}">'
            f"{html.escape(profession['name'])}</th>{''.join(tds)}</tr>"
        )
    legend = "".join(
        f'<span style="background:{_colour(share)}">{label}</span>'
        for share, label in ((0.0, "none"), (0.5, "half"), (1.0, "all"), (None, "no requirement"))
    )
    return f"""<p class="legend">{legend}</p>
<table>
<thead><tr><th></th>{head}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
"""


#: The heat map's styles (element selectors: scope them when embedding).
HEATMAP_CSS = """table { border-collapse: collapse; }
th, td { border: 1px solid #fff; padding: .35rem .5rem; font-size: .85rem; }
thead th { vertical-align: bottom; max-width: 6.5rem; text-align: left; font-size: .75rem; }
thead th small { display: block; color: #595959; font-weight: normal; }
th.row { text-align: left; max-width: 14rem; }
td { text-align: center; min-width: 2.8rem; }
.legend span { display: inline-block; padding: .2rem .6rem; margin-right: .3rem; }
td, .legend span { color: #000; } /* black reads on every shade, red to green (WCAG AA) */
td small { display: block; font-size: .7rem; }
table.levels td, table.levels th { text-align: left; background: #f4f4f4; }
table.levels tr.below td:last-child { background: #f3c6a5; }
table.levels tr.none td:last-child { background: #f0b4b4; }
table.levels tr.met td:last-child { background: #c4e3bd; }
"""


def heatmap_html(matrix: dict[str, Any], title: str = "Training coverage by profession") -> str:
    """An HTML page with the professions-by-areas matrix of ``coverage_matrix``.

    Each cell shows covered/required items and is coloured by the share covered.
    """
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
{HEATMAP_CSS}@media print {{
  body {{ margin: 0; }}
  td {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>Each cell: required items of the area that the profession's active training covers{
        " at the level needed" if "levels" in matrix else ""
    },
out of those it requires{
        ", and how many more it covers below the level needed" if "levels" in matrix else ""
    }. Grey: the profession requires nothing in that area.</p>
{heatmap_fragment(matrix)}{levels_fragment(matrix)}</body>
</html>
"""


def write_heatmap(matrix: dict[str, Any], out: Path) -> None:
    """Write :func:`heatmap_html` to ``out`` as UTF-8."""
    out.write_text(heatmap_html(matrix), encoding="utf-8")
