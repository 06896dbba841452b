"""Slides for the board: one slide per saved view, and the picture each one shows.

:func:`draw_picture` draws a view's picture (:class:`~graphmodel.explore.pictures.ViewPicture`)
as a PNG with Pillow, in the explorer's look: each node type's shape and
colour (:mod:`.palette`), marked nodes in their mark's colour with a thick
outline and their name, community areas with their names, the part of the
graph the view framed. :func:`write_deck` makes a PowerPoint deck
(python-pptx) with a slide per view: its title, the answer's summary line, the
picture, the legend (node types, marks, communities, as shapes and words),
the marked nodes as a table, and the source and date; the speaker notes
hold every marked node and the view's state.

Example
-------
>>> from graphmodel.explore.pictures import CHARACTER, ROW_PITCH, PictureNode, ViewPicture
>>> nodes = (PictureNode("a", "Competency", "A", 0, 0, 6),
...          PictureNode("b", "Profession", "B", 9, 5, 6))
>>> picture = ViewPicture("Two", "", "2 nodes and 0 relationships drawn", nodes, (), (), (), None)
>>> draw_picture(picture, 300, 200).size
(300, 200)
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt
from scipy.spatial import ConvexHull, QhullError

from graphmodel.explore.pictures import CHARACTER, ROW_PITCH, PictureNode, ViewPicture
from graphmodel.marks import LINKS, MARKS
from graphmodel.visuals.palette import EDGE_COLOUR, NODE_STYLES, TYPE_NAMES, community_colour

#: The slide: 16:9, in inches.
SLIDE_WIDTH, SLIDE_HEIGHT = 13.333, 7.5
#: Where the picture goes on a slide, in inches (left, top, most width, most height).
PICTURE_BOX = (0.4, 1.3, 8.55, 5.6)
#: The column beside it: the legend and the table of marked nodes; it starts this far
#: right of the picture and takes the rest of the slide (at least its narrowest width).
SIDE_BOX = (9.2, 1.3, 3.75, 5.6)
SIDE_GAP = 0.35
SIDE_RIGHT = 12.95
#: The picture's pixels per inch on the slide (sharp when projected and printed).
DOTS_PER_INCH = 200
#: Drawn this many times larger, then shrunk: smooth edges without anti-aliasing.
SUPERSAMPLE = 2
#: The width of screen the page's sizes are for (a node's size is in screen pixels).
SCREEN_WIDTH = 900
#: Names drawn besides the marked nodes' and the groups', the largest nodes first.
MOST_LABELS = 60
#: Links drawn at most (those of marked nodes first).
MOST_LINKS = 20_000

INK = "#1f2933"
MUTED = "#52606d"
TITLE_INK = "#3e4c59"  # an answer view's block titles, as the page draws them
CANVAS = "#fbfbf8"
#: A relationship the answer is about (graphmodel.marks' "mark" link).
MARKED_LINK = LINKS["mark"].colour
#: python-pptx's shape for each node shape (the legend's swatches).
PPTX_SHAPES = {
    "dot": MSO_SHAPE.OVAL,
    "square": MSO_SHAPE.RECTANGLE,
    "diamond": MSO_SHAPE.DIAMOND,
    "triangle": MSO_SHAPE.ISOSCELES_TRIANGLE,
    "triangleDown": MSO_SHAPE.FLOWCHART_MERGE,
    "hexagon": MSO_SHAPE.HEXAGON,
    "star": MSO_SHAPE.STAR_5_POINT,
}


def _colour(colour: str) -> RGBColor:
    """A python-pptx colour (its constructor is untyped)."""
    found: RGBColor = RGBColor.from_string(colour.lstrip("#")[:6].upper())  # type: ignore[no-untyped-call]
    return found


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#")[:6], 16)
    return value >> 16, (value >> 8) & 255, value & 255


def _tint(colour: str, amount: float) -> str:
    """Mix with white (0: the colour, 1: white)."""
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in _rgb(colour))


def _shade(colour: str, amount: float) -> str:
    """Mix with black (0: the colour, 1: black)."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in _rgb(colour))


def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own font (no file on the machine is needed); bold by drawing a stroke.
    return ImageFont.load_default(size=max(size, 6))


def shape_points(shape: str, x: float, y: float, r: float) -> list[tuple[float, float]] | None:
    """The corners of a node shape (the palette's vis names) of radius ``r``; None: a circle.

    The same shapes as the page's SVG pictures (``web/assets/picture.js``).
    """

    def polygon(corners: int, rotation: float, radius: float) -> list[tuple[float, float]]:
        return [
            (
                x + radius * math.cos(rotation + 2 * math.pi * k / corners),
                y + radius * math.sin(rotation + 2 * math.pi * k / corners),
            )
            for k in range(corners)
        ]

    if shape == "square":
        return polygon(4, math.pi / 4, r)
    if shape == "diamond":
        return polygon(4, 0, r)
    if shape == "triangle":
        return polygon(3, -math.pi / 2, r * 1.1)
    if shape == "triangleDown":
        return polygon(3, math.pi / 2, r * 1.1)
    if shape == "hexagon":
        return polygon(6, 0, r)
    if shape == "star":
        return [
            (
                x + (r * 0.45 if k % 2 else r * 1.1) * math.cos(-math.pi / 2 + math.pi * k / 5),
                y + (r * 0.45 if k % 2 else r * 1.1) * math.sin(-math.pi / 2 + math.pi * k / 5),
            )
            for k in range(10)
        ]
    return None


class _Frame:
    """Graph coordinates to pixels: the view's viewport (or every node) fitted in the image."""

    def __init__(self, picture: ViewPicture, width: int, height: int) -> None:
        if picture.viewport is not None:
            box = picture.viewport
            left, top, right, bottom = box.left, box.top, box.right, box.bottom
        else:
            xs = [node.x for node in picture.nodes] or [0.0]
            ys = [node.y for node in picture.nodes] or [0.0]
            margin = max(max(xs) - min(xs), max(ys) - min(ys), 1.0) * 0.06
            # As the page draws it: y grows upwards on screen.
            left, right = min(xs) - margin, max(xs) + margin
            top, bottom = max(ys) + margin, min(ys) - margin
            if picture.titles:
                # An answer view laid out here, in page pixels: a block's title is a row
                # above its first node, and the names run right of the last column.
                top += ROW_PITCH
                right = max(
                    node.x + 16 + CHARACTER * len(_label_text(node)) for node in picture.nodes
                )
        span_x, span_y = (right - left) or 1.0, (bottom - top) or 1.0
        self.scale = min(width / abs(span_x), height / abs(span_y))
        self.sign = (math.copysign(1, span_x), math.copysign(1, span_y))
        self.centre = ((left + right) / 2, (top + bottom) / 2)
        self.middle = (width / 2, height / 2)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.middle[0] + (x - self.centre[0]) * self.scale * self.sign[0],
            self.middle[1] + (y - self.centre[1]) * self.scale * self.sign[1],
        )


def _look(nodes: int, links: int) -> tuple[float, float, float]:
    """The page's density rule (web/assets/scene.js ``look``): scale, least size, link alpha."""
    scale = min(1.0, math.sqrt(250 / max(nodes, 1)))
    alpha = min(1.0, max(0.2, math.sqrt(1000 / max(links, 1))))
    return scale, max(1.5, 4.5 * scale), alpha


def _node_look(node: PictureNode) -> tuple[str, str, float]:
    """Fill, outline and outline width (page pixels) of a node."""
    style = NODE_STYLES.get(node.label)
    colour = style.colour if style else "#7b8794"
    if node.community is not None:
        colour = community_colour(node.community)
    if node.marks:
        mark = MARKS.get(node.marks[0], MARKS["touched"])
        return mark.fill or colour, mark.outline, mark.width
    if node.group:
        return _tint(colour, 0.6), _shade(colour, 0.25), 3
    return colour, "#2b2f36", 0.8


def _label_text(node: PictureNode, limit: int = 40) -> str:
    name = node.name if len(node.name) <= limit else node.name[: limit - 1] + "…"
    return f"{name} [{', '.join(node.marks)}]" if node.marks else name


def draw_picture(picture: ViewPicture, width: int, height: int) -> Image.Image:
    """The view's picture, ``width`` x ``height`` pixels (RGB)."""
    k = SUPERSAMPLE
    unit = width / SCREEN_WIDTH * k  # one page pixel in the big image
    frame = _Frame(picture, width * k, height * k)
    if picture.titles and picture.viewport is None:
        # An answer view laid out here is in page pixels: one is the frame's scale (its
        # names then take the room its layout gave them).
        unit = frame.scale
    image = Image.new("RGBA", (width * k, height * k), CANVAS)
    places = {node.id: frame(node.x, node.y) for node in picture.nodes}
    scale, least, alpha = _look(len(picture.nodes), len(picture.links))
    radius = {
        # As the page sizes them (a marked node at least 5), in page pixels.
        node.id: max(max(node.size, 5) if node.marks else node.size * scale, least) * unit
        for node in picture.nodes
    }
    inside = {
        node_id
        for node_id, (x, y) in places.items()
        if -radius[node_id] <= x <= width * k + radius[node_id]
        and -radius[node_id] <= y <= height * k + radius[node_id]
    }

    # Community areas under everything: the hull of each community's nodes, padded.
    if picture.communities:
        areas = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(areas)
        members: dict[int, list[tuple[float, float]]] = {}
        for node in picture.nodes:
            if node.community is not None and node.id in inside:
                members.setdefault(node.community, []).append(places[node.id])
        pad = 14 * unit
        for community, points in members.items():
            wash = (*_rgb(community_colour(community)), 40)
            hull = _hull(points)
            draw.line([*hull, hull[0]], fill=wash, width=round(pad * 2), joint="curve")
            for x, y in hull:
                draw.ellipse((x - pad, y - pad, x + pad, y + pad), fill=wash)
            if len(hull) >= 3:
                draw.polygon(hull, fill=wash)
        image = Image.alpha_composite(image, areas)

    draw = ImageDraw.Draw(image)
    links = sorted(picture.links, key=lambda link: link.marked or link.virtual)[-MOST_LINKS:]
    plain = (*_rgb(EDGE_COLOUR), round(alpha * 255))
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    link_draw = ImageDraw.Draw(overlay)
    for link in links:
        if link.source not in places or link.target not in places:
            continue
        if link.source not in inside and link.target not in inside:
            continue
        width_px = (
            max(1.0, scale, 0.4) * unit * (1 + math.log2(link.count) * 0.6 if link.count > 1 else 1)
        )
        colour: tuple[int, ...] = plain
        if link.virtual:
            known = LINKS.get(link.type)
            colour, width_px = (*_rgb(known.colour if known else MARKED_LINK), 255), 3 * unit
        elif link.marked:
            colour, width_px = (*_rgb(MARKED_LINK), 255), 1.5 * unit
        link_draw.line(
            [places[link.source], places[link.target]], fill=colour, width=round(width_px)
        )
    image = Image.alpha_composite(image, overlay)
    draw = ImageDraw.Draw(image)

    order = sorted(picture.nodes, key=lambda node: (bool(node.marks), -radius[node.id]))
    for node in order:
        if node.id not in inside:
            continue
        x, y = places[node.id]
        r = radius[node.id]
        fill, outline, outline_width = _node_look(node)
        line = max(1, round(min(outline_width, r / unit * 0.45) * unit))
        style = NODE_STYLES.get(node.label)
        corners = shape_points(style.shape if style else "dot", x, y, r)
        if corners is None:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill, outline=outline, width=line)
        else:
            draw.polygon(corners, fill=fill, outline=outline, width=line)

    # Names: the community areas' first (drawn last, over the rest), then every marked
    # node's and group's, then the largest others' where there is room.
    taken: list[tuple[float, float, float, float]] = []
    area_names = (
        _area_names(draw, picture, places, inside, unit, taken) if picture.communities else []
    )
    font = _font(12 * unit)
    wanted = sorted(
        (node for node in picture.nodes if node.id in inside),
        key=lambda node: (not node.marks, not node.group, -radius[node.id], node.id),
    )
    drawn = 0
    for node in wanted:
        forced = bool(node.marks) or node.group
        if not forced and drawn >= MOST_LABELS:
            break
        x, y = places[node.id]
        text = _label_text(node)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        box = (x + radius[node.id] + 3 * unit, y - (bottom - top) / 2 - 2 * unit)
        if box[0] + right - left > width * k:  # no room on the right: on the left
            box = (x - radius[node.id] - 3 * unit - (right - left), box[1])
        area = (box[0], box[1], box[0] + right - left, box[1] + bottom - top + 2 * unit)
        overlaps = any(
            a[0] < area[2] and area[0] < a[2] and a[1] < area[3] and area[1] < a[3] for a in taken
        )
        if overlaps and not forced:
            continue
        taken.append(area)
        drawn += 0 if forced else 1
        draw.text(
            (box[0], box[1] - top),
            text,
            font=font,
            fill=INK,
            stroke_width=max(1, round(2.5 * unit / 2)),
            stroke_fill="#ffffff",
        )
    # An answer view's block titles, a row above each block's first node (as on the page).
    title_font = _font(11 * unit, bold=True)
    for title in picture.titles:
        if title.anchor not in inside:
            continue
        x, y = places[title.anchor]
        left, top, _, bottom = draw.textbbox((0, 0), title.text, font=title_font)
        row = max(ROW_PITCH * frame.scale, (bottom - top) * 1.4)
        draw.text((x - radius[title.anchor], y - row - (bottom - top) / 2 - top), title.text,
                  font=title_font, fill=TITLE_INK, stroke_width=max(1, round(2.5 * unit / 2)),
                  stroke_fill=CANVAS)  # fmt: skip
    for text, (x, y), name_colour, font_of_area in area_names:
        draw.text((x, y), text, font=font_of_area, fill=name_colour,
                  stroke_width=max(1, round(2.5 * unit / 2)), stroke_fill="#ffffff")  # fmt: skip
    draw.rectangle((0, 0, width * k - 1, height * k - 1), outline="#d5d9d2", width=max(1, k))
    return image.resize((width, height), Image.Resampling.LANCZOS).convert("RGB")


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of some points (scipy's Qhull), or the points when too few or in line."""
    if len(points) < 3:
        return points
    array = np.array(points)
    try:
        hull = ConvexHull(array)
    except QhullError:
        return points
    return [(float(array[vertex, 0]), float(array[vertex, 1])) for vertex in hull.vertices]


def _area_names(
    draw: ImageDraw.ImageDraw,
    picture: ViewPicture,
    places: dict[str, tuple[float, float]],
    inside: set[str],
    unit: float,
    taken: list[tuple[float, float, float, float]],
) -> list[tuple[str, tuple[float, float], str, Any]]:
    """Where each community area's name goes, above it, where it covers no other name.

    Areas of fewer than three nodes (a group's own name says it) are left unnamed.
    """
    font = _font(13 * unit)
    tops: dict[int, list[tuple[float, float]]] = {}
    for node in picture.nodes:
        if node.community is not None and node.id in inside and not node.group:
            tops.setdefault(node.community, []).append(places[node.id])
    found: list[tuple[str, tuple[float, float], str, Any]] = []
    width = draw.im.size[0]
    for community, points in sorted(tops.items(), key=lambda item: -len(item[1])):
        if len(points) < 3:
            continue
        name = picture.communities[community]
        text = name if len(name) <= 44 else name[:43] + "…"
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        xs = [x for x, _ in points]
        centre = (min(xs) + max(xs)) / 2
        y = min(yy for _, yy in points) - 18 * unit - (bottom - top)
        x = min(max(centre - (right - left) / 2, 4 * unit), width - (right - left) - 4 * unit)
        y = max(y, 4 * unit)
        area = (x, y, x + right - left, y + bottom - top)
        if any(
            a[0] < area[2] and area[0] < a[2] and a[1] < area[3] and area[1] < a[3] for a in taken
        ):
            continue
        taken.append(area)
        found.append((text, (x, y - top), _shade(community_colour(community), 0.45), font))
    return found


def picture_png(picture: ViewPicture, width: int, height: int) -> bytes:
    """The view's picture as PNG bytes."""
    buffer = io.BytesIO()
    draw_picture(picture, width, height).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _picture_size(picture: ViewPicture) -> tuple[float, float]:
    """The picture's size on the slide (inches): the view's own shape, fitted in the box."""
    _, _, most_width, most_height = PICTURE_BOX
    aspect = most_width / most_height
    if picture.viewport is not None:
        box = picture.viewport
        width, height = abs(box.right - box.left), abs(box.bottom - box.top)
        if width > 0 and height > 0:
            aspect = width / height
    if aspect >= most_width / most_height:
        return most_width, most_width / aspect
    return most_height * aspect, most_height


def _text(shape: Any, text: str, size: float, colour: str = INK, bold: bool = False) -> None:
    frame = shape.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _colour(colour)


def _swatch(slide: Any, kind: MSO_SHAPE, left: float, top: float, fill: str, outline: str,
            width: float = 0.75) -> None:  # fmt: skip
    shape = slide.shapes.add_shape(kind, Inches(left), Inches(top), Inches(0.17), Inches(0.17))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _colour(fill)
    shape.line.color.rgb = _colour(outline)
    shape.line.width = Pt(width)
    shape.shadow.inherit = False


class _Column:
    """The side column, filled from the top: legend rows, then the table."""

    ROW = 0.25

    def __init__(self, slide: Any, picture_width: float) -> None:
        self.slide = slide
        self.left, self.top, self.width, self.height = SIDE_BOX
        # A narrower picture (a tall view) leaves the column more room: fewer lines a row.
        self.left = min(self.left, PICTURE_BOX[0] + picture_width + SIDE_GAP)
        self.width = SIDE_RIGHT - self.left
        self.y = self.top

    @property
    def characters(self) -> int:
        """About how many characters of 10-point text fit on a line of the column."""
        return int(44 * (self.width - 0.25) / (SIDE_BOX[2] - 0.25))

    @property
    def left_over(self) -> float:
        return self.top + self.height - self.y

    def heading(self, text: str) -> None:
        box = self.slide.shapes.add_textbox(
            Inches(self.left), Inches(self.y), Inches(self.width), Inches(0.3)
        )
        _text(box, text, 12, bold=True)
        self.y += 0.3

    def row(self, swatch: tuple[MSO_SHAPE, str, str, float] | None, text: str) -> None:
        lines = max(1, math.ceil(len(text) / self.characters))
        height = 0.1 + 0.18 * lines
        if swatch is not None:
            kind, fill, outline, width = swatch
            _swatch(self.slide, kind, self.left + 0.02, self.y + 0.01, fill, outline, width)
        box = self.slide.shapes.add_textbox(
            Inches(self.left + 0.25), Inches(self.y - 0.04), Inches(self.width - 0.25),
            Inches(height),
        )  # fmt: skip
        box.text_frame.margin_top = box.text_frame.margin_bottom = 0
        _text(box, text, 10)
        self.y += max(self.ROW, height)


def _legend(column: _Column, picture: ViewPicture, room_for_table: float) -> None:
    """Node types drawn, the marks' meaning, the communities: shapes with words."""
    column.heading("Legend")
    for label in picture.labels:
        style = NODE_STYLES[label]
        column.row(
            (PPTX_SHAPES.get(style.shape, MSO_SHAPE.OVAL), style.colour, "#2b2f36", 0.75),
            TYPE_NAMES.get(label, label),
        )
    if any(node.group for node in picture.nodes):
        column.row(None, "A larger, pale shape is a group of many nodes.")
    for mark, meaning in picture.legend:
        look = MARKS.get(mark, MARKS["touched"])
        column.row(
            (MSO_SHAPE.OVAL, look.fill or "#ffffff", look.outline, look.width), f"{mark}: {meaning}"
        )
    if picture.communities:
        shown = list(picture.communities.items())
        for community, name in shown:
            if column.left_over < room_for_table + column.ROW * 2:
                left = len(shown) - shown.index((community, name))
                column.row(None, f"and {left} more {'community' if left == 1 else 'communities'}")
                break
            colour = community_colour(community)
            column.row((MSO_SHAPE.ROUNDED_RECTANGLE, colour, colour, 0.5), f"{community}. {name}")


def _table(column: _Column, picture: ViewPicture) -> None:
    """The marked nodes as a table (as many rows as fit; the notes hold them all)."""
    column.y += 0.1
    rows = list(picture.marked)
    if not rows:
        box = column.slide.shapes.add_textbox(
            Inches(column.left), Inches(column.y), Inches(column.width), Inches(0.5)
        )
        _text(box, f"No node is marked in this view ({len(picture.nodes):,} drawn).", 10, MUTED)
        return
    column.heading(f"Marked nodes ({len(rows):,})")
    room = int((column.left_over - 0.05) // column.ROW) - 1  # the header row
    shown = rows if len(rows) <= room else rows[: max(room - 1, 0)]
    lines = len(shown) + 1 + (len(shown) < len(rows))
    shape = column.slide.shapes.add_table(
        lines, 3, Inches(column.left), Inches(column.y), Inches(column.width),
        Inches(column.ROW * lines),
    )  # fmt: skip
    table = shape.table
    stretch = column.width / SIDE_BOX[2]
    for index, width in enumerate((1.75, 1.0, 1.0)):
        table.columns[index].width = Inches(width * stretch)
    most = int(34 * stretch)  # characters a cell shows
    cells = [("Name", "Type", "Marks")]
    cells += [(row.name, row.label, ", ".join(row.marks)) for row in shown]
    if len(shown) < len(rows):
        cells.append((f"and {len(rows) - len(shown):,} more (see the notes)", "", ""))
    for r, values in enumerate(cells):
        table.rows[r].height = Inches(column.ROW)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Emu(18_000)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            text = value if len(value) <= most else value[: most - 1] + "…"
            cell.text = text
            run = cell.text_frame.paragraphs[0].runs[0] if text else None
            if run is not None:
                run.font.size = Pt(8.5)
                run.font.bold = r == 0


def write_deck(
    pictures: Sequence[ViewPicture], source: str, date: str, out: Path | IO[bytes]
) -> None:
    """A deck with one slide per view (see the module's description), written to ``out``.

    ``source`` and ``date`` go on every slide as given (give the source as the
    strategist names it: a relative path, not this machine's).
    """
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH), Inches(SLIDE_HEIGHT)
    blank = deck.slide_layouts[6]
    for number, picture in enumerate(pictures, start=1):
        slide = deck.slides.add_slide(blank)
        title = slide.shapes.add_textbox(Inches(0.4), Inches(0.2), Inches(12.5), Inches(0.6))
        _text(title, picture.title, 26, bold=True)
        summary = slide.shapes.add_textbox(Inches(0.4), Inches(0.78), Inches(12.5), Inches(0.4))
        _text(summary, picture.summary, 15, MUTED)
        width, height = _picture_size(picture)
        png = picture_png(picture, round(width * DOTS_PER_INCH), round(height * DOTS_PER_INCH))
        left, top, _, _ = PICTURE_BOX
        image = slide.shapes.add_picture(
            io.BytesIO(png), Inches(left), Inches(top), Inches(width), Inches(height)
        )
        # The picture's text alternative (what a screen reader says of it).
        image._element.nvPicPr.cNvPr.set("descr", f"{picture.title}: {picture.summary}.")
        column = _Column(slide, width)
        _legend(column, picture, room_for_table=1.2 if picture.marked else 0.5)
        _table(column, picture)
        footer = slide.shapes.add_textbox(Inches(0.4), Inches(7.0), Inches(12.5), Inches(0.35))
        _text(
            footer,
            f"Source: {source} · {date} · graphmodel · {number} of {len(pictures)}",
            10,
            MUTED,
        )
        footer.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        notes = slide.notes_slide.notes_text_frame
        lines = [f"{picture.title}: {picture.summary}.", f"View: ?{picture.state}"]
        lines += list(picture.notes)
        lines += [
            f"{row.name} ({row.label}, {row.id}): {', '.join(row.marks)}" for row in picture.marked
        ]
        notes.text = "\n".join(lines)
    deck.save(str(out) if isinstance(out, Path) else out)
