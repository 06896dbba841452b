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


def heatmap_fragment(matrix: dict[str, Any]) -> str:
    """The legend and the professions-by-areas table, to place in a page using
    :data:`HEATMAP_CSS` (the board report embeds it this way).

    Each cell shows covered/required items and is coloured by the share covered.
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
            text = "" if share is None else f"{cell['covered']}/{cell['required']}"
            hint = (
                "no requirement"
                if share is None
                else f"{share:.0%} of {cell['required']} required items covered"
            )
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
<p>Each cell: required items of the area that the profession's active training covers,
out of those it requires. Grey: the profession requires nothing in that area.</p>
{heatmap_fragment(matrix)}</body>
</html>
"""


def write_heatmap(matrix: dict[str, Any], out: Path) -> None:
    """Write :func:`heatmap_html` to ``out`` as UTF-8."""
    out.write_text(heatmap_html(matrix), encoding="utf-8")
