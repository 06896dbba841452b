// The picture for a paper or a slide (docs/explorer.md, "Exporting what is
// shown"): what the drawing frames now, as an SVG document with a title, the
// legend (node types drawn, the overlay's marks, the communities), a caption
// (the answer's summary) and the source and date. The SVG export is this
// document; the PNG export is it drawn at twice the size.
//
// Everything comes from what the page already holds: sigma's display data
// for places, sizes and the labels it shows, the graph's attributes for
// colours and shapes, the overlay's legend and summary, the community areas.

import { areaNames, communityAreas } from "./communities.js";
import { count, plural } from "./dom.js";
import { MARK_STYLES } from "./marks.js";

const SVG = "http://www.w3.org/2000/svg";
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
const CANVAS_COLOUR = "#fbfbf8";
const INK = "#1f2933";
const MUTED = "#52606d";
const LEGEND_WIDTH = 270;
const TITLE_HEIGHT = 58;
const CAPTION_LINE = 18;

function svgEl(tag, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  if (text !== null) element.textContent = text;
  return element;
}

/** The points of a node's shape (sigma's shape names) of radius r round (x, y), or null for a circle. */
export function shapePoints(shape, x, y, r) {
  const polygon = (corners, rotation, radius = r) =>
    Array.from({ length: corners }, (_, k) => {
      const angle = rotation + (2 * Math.PI * k) / corners;
      return [x + radius * Math.cos(angle), y + radius * Math.sin(angle)];
    });
  switch (shape) {
    case "square":
      return polygon(4, Math.PI / 4, r);
    case "diamond":
      return polygon(4, 0, r);
    case "triangle":
      return polygon(3, -Math.PI / 2, r * 1.1);
    case "triangledown":
      return polygon(3, Math.PI / 2, r * 1.1);
    case "hexagon":
      return polygon(6, 0, r);
    case "star":
      return Array.from({ length: 10 }, (_, k) => {
        const radius = k % 2 ? r * 0.45 : r * 1.1;
        const angle = -Math.PI / 2 + (Math.PI * k) / 5;
        return [x + radius * Math.cos(angle), y + radius * Math.sin(angle)];
      });
    default:
      return null;
  }
}

function nodeShape(shape, x, y, r, attributes) {
  const points = shapePoints(shape, x, y, r);
  if (!points) return svgEl("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), ...attributes });
  return svgEl("polygon", {
    points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" "),
    ...attributes,
  });
}

/** Wrap text into lines of at most `width` characters. */
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * What the picture says beside the drawing, from what the page holds now:
 * {title, summary, types: [{label, name, colour, shape}], marks: [{mark, text}],
 *  communities: [{id, name, colour, drawn}], source, date}.
 */
export function pictureFacts(explorer, { title = null } = {}) {
  const graph = explorer.graph;
  const visible = explorer.visible.nodes;
  const labels = new Set(visible.map((id) => graph.getNodeAttribute(id, "kind")));
  const types = [...explorer.styles]
    .filter(([label]) => labels.has(label))
    .map(([label, style]) => ({ label, name: style.name, colour: style.colour, shape: style.shape }));
  const overlay = explorer.extensionData.get("overlay");
  const marks = overlay?.doc?.legend ?? [];
  const overlayStatus = explorer.root.getElementById("overlay-status")?.textContent.trim() ?? "";
  const summary =
    (overlay?.doc && overlayStatus) ||
    `${plural(visible.length, "node")} and ${plural(explorer.visible.edges.length, "relationship")} drawn.`;
  const layer = explorer.communities;
  const areas = layer?.on ? communityAreas(explorer, layer.membership) : [];
  return {
    title: title ?? defaultTitle(explorer),
    summary,
    types,
    marks,
    communities: areas.map((area) => ({ id: area.id, name: area.name, colour: area.colour, drawn: area.drawn })),
    areas,
    areaNames: areaNames(areas, explorer.renderer.sigma.getDimensions()),
    blockTitles: blockTitles(explorer),
    source: explorer.root.body.dataset.source ?? "",
    date: new Date().toISOString().slice(0, 10),
  };
}

/** An answer view's block titles as the page places them over the drawing: {x, y, text}. */
function blockTitles(explorer) {
  const boxes = explorer.container.querySelectorAll(".answer-block-title");
  return [...boxes].map((box) => ({
    x: parseFloat(box.style.left) + 2, // the box's padding
    y: parseFloat(box.style.top) + 12, // the baseline of its 16-pixel line
    text: box.textContent ?? "",
  }));
}

/** A title for what is shown when no saved view names it. */
function defaultTitle(explorer) {
  const state = explorer.state;
  const name = (id) => (explorer.graph.hasNode(id) ? explorer.graph.getNodeAttribute(id, "name") : id);
  switch (state.overlay) {
    case "gaps":
      return `Gaps of ${state.profession.map(name).join(", ") || "a profession"}`;
    case "uncovered":
      return "Competencies no active training covers";
    case "duplicates":
      return "Initiatives that repeat each other";
    case "reach":
      return `Reach of ${state.driver ? name(state.driver) : "a policy driver"}`;
    case "brokers":
      return "Brokers of the partnership network";
    default:
      return state.focus ? `Around ${name(state.focus)}` : "The network";
  }
}

/**
 * The SVG document of the picture: the drawing as framed now (width x height
 * of the drawing on screen), the legend to its right, the title above and the
 * caption, source and date below. Returns {svg: SVGElement, width, height}.
 */
export function pictureSvg(explorer, facts) {
  const sigma = explorer.renderer.sigma;
  const graph = explorer.graph;
  const { width: drawWidth, height: drawHeight } = sigma.getDimensions();
  const captionLines = wrap(facts.summary, Math.floor((drawWidth + LEGEND_WIDTH) / 7.5));
  const footer = 16 + CAPTION_LINE * (captionLines.length + 1);
  const width = drawWidth + LEGEND_WIDTH;
  const height = TITLE_HEIGHT + drawHeight + footer;
  const svg = svgEl("svg", {
    xmlns: SVG,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    "font-family": FONT,
    role: "img",
    "aria-label": `${facts.title}. ${facts.summary}`,
  });
  svg.append(
    svgEl("title", {}, facts.title),
    svgEl("desc", {}, `${facts.summary} Source: ${facts.source}, ${facts.date}.`),
  );
  svg.append(svgEl("rect", { x: 0, y: 0, width, height, fill: "#ffffff" }));
  svg.append(svgEl("text", { x: 16, y: 34, "font-size": 22, "font-weight": 650, fill: INK }, facts.title));

  // The drawing, clipped to its frame.
  const frame = svgEl("g", { transform: `translate(0 ${TITLE_HEIGHT})` });
  const clip = svgEl("clipPath", { id: "drawing-frame" });
  clip.append(svgEl("rect", { x: 0, y: 0, width: drawWidth, height: drawHeight }));
  const defs = svgEl("defs");
  defs.append(clip);
  svg.append(defs);
  frame.append(svgEl("rect", { x: 0, y: 0, width: drawWidth, height: drawHeight, fill: CANVAS_COLOUR }));
  const drawing = svgEl("g", { "clip-path": "url(#drawing-frame)" });
  frame.append(drawing);
  svg.append(frame);

  for (const area of facts.areas) {
    const points = area.hull.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
    const look = {
      fill: area.colour,
      "fill-opacity": 0.14,
      stroke: area.colour,
      "stroke-opacity": 0.14,
      "stroke-width": (area.pad * 2).toFixed(1),
      "stroke-linejoin": "round",
      "stroke-linecap": "round",
    };
    drawing.append(
      area.hull.length >= 3 ? svgEl("polygon", { points, ...look }) : svgEl("polyline", { points, ...look }),
    );
  }
  const areaNames = svgEl("g", {
    "font-size": 13,
    "font-weight": 600,
    "text-anchor": "middle",
    stroke: "#ffffff",
    "stroke-width": 4,
    "paint-order": "stroke",
    "stroke-linejoin": "round",
  });
  for (const name of facts.areaNames ?? []) {
    areaNames.append(svgEl("text", { x: name.x.toFixed(1), y: name.y.toFixed(1), fill: name.colour }, name.text));
  }
  const at = new Map();
  for (const id of explorer.visible.nodes) {
    const data = sigma.getNodeDisplayData(id);
    if (!data || data.hidden) continue;
    const place = sigma.framedGraphToViewport(data);
    at.set(id, { ...place, r: sigma.scaleSize(data.size) });
  }
  const inside = ({ x, y, r }) => x + r >= 0 && y + r >= 0 && x - r <= drawWidth && y - r <= drawHeight;
  const edges = svgEl("g", { "stroke-linecap": "round" });
  for (const edge of explorer.visible.edges) {
    const a = at.get(graph.source(edge));
    const b = at.get(graph.target(edge));
    if (!a || !b || (!inside(a) && !inside(b))) continue;
    const look = graph.getEdgeAttributes(edge);
    const colour = (look.color ?? "#8d96a0").slice(0, 7);
    const opacity = look.color?.length === 9 ? parseInt(look.color.slice(7), 16) / 255 : 1;
    edges.append(
      svgEl("line", {
        x1: a.x.toFixed(1),
        y1: a.y.toFixed(1),
        x2: b.x.toFixed(1),
        y2: b.y.toFixed(1),
        stroke: colour,
        "stroke-opacity": opacity.toFixed(2),
        "stroke-width": Math.max(0.6, look.size ?? 1).toFixed(1),
        "stroke-dasharray": look.dashGap ? "6 5" : null,
      }),
    );
  }
  drawing.append(edges);
  const nodes = svgEl("g");
  const shown = sigma.getNodeDisplayedLabels();
  // The names in the drawing's own font and size (sigma's labels), so they take the room they take on screen.
  const labels = svgEl("g", {
    "font-family": "sans-serif",
    "font-size": 12,
    fill: "#1f2933",
    stroke: "#ffffff",
    "stroke-width": 3,
    "paint-order": "stroke",
    "stroke-linejoin": "round",
  });
  // Larger nodes under smaller ones, groups under nodes, as on screen.
  const order = [...at.keys()].sort((a, b) => at.get(b).r - at.get(a).r);
  for (const id of order) {
    const place = at.get(id);
    if (!inside(place)) continue;
    const node = graph.getNodeAttributes(id);
    nodes.append(
      nodeShape(node.shape, place.x, place.y, place.r, {
        fill: node.color,
        stroke: node.outlineColor ?? "#2b2f36",
        "stroke-width": Math.max(0.5, node.outlineWidth ?? 1).toFixed(1),
      }),
    );
    if (shown.has(id) || node.pinned || id === explorer.state.focus) {
      labels.append(
        svgEl(
          "text",
          { x: (place.x + place.r + 3).toFixed(1), y: (place.y + 4).toFixed(1) },
          node.caption ?? node.name,
        ),
      );
    }
  }
  const titles = svgEl("g", {
    "font-family": "sans-serif",
    "font-size": 11,
    "font-weight": 650,
    fill: "#3e4c59",
    stroke: CANVAS_COLOUR,
    "stroke-width": 3,
    "paint-order": "stroke",
    "stroke-linejoin": "round",
  });
  for (const title of facts.blockTitles ?? []) {
    titles.append(svgEl("text", { x: title.x.toFixed(1), y: title.y.toFixed(1) }, title.text));
  }
  drawing.append(nodes, labels, areaNames, titles);
  frame.append(
    svgEl("rect", { x: 0.5, y: 0.5, width: drawWidth - 1, height: drawHeight - 1, fill: "none", stroke: "#d5d9d2" }),
  );

  svg.append(legend(facts, drawWidth, TITLE_HEIGHT, drawHeight));

  const caption = svgEl("g", {
    "font-size": 14,
    fill: INK,
    transform: `translate(16 ${TITLE_HEIGHT + drawHeight + 24})`,
  });
  captionLines.forEach((line, index) => caption.append(svgEl("text", { x: 0, y: index * CAPTION_LINE }, line)));
  caption.append(
    svgEl(
      "text",
      { x: 0, y: captionLines.length * CAPTION_LINE, "font-size": 12, fill: MUTED },
      `Source: ${facts.source} · ${facts.date} · graphmodel explorer`,
    ),
  );
  svg.append(caption);
  return { svg, width, height };
}

/** The legend column: node types drawn, the overlay's marks, the communities. */
function legend(facts, left, top, height) {
  const group = svgEl("g", { transform: `translate(${left + 16} ${top + 6})`, "font-size": 12, fill: INK });
  let y = 10;
  const heading = (text) => {
    group.append(svgEl("text", { x: 0, y, "font-size": 13, "font-weight": 650 }, text));
    y += 18;
  };
  const row = (swatch, text) => {
    const lines = wrap(text, 31); // 12-pixel text in the column beside its swatch
    if (y + 14 * lines.length > height - 24) return false; // room for "and N more" below
    group.append(swatch);
    lines.forEach((line, index) => group.append(svgEl("text", { x: 22, y: y + 4 + index * 14 }, line)));
    y += 8 + 14 * lines.length;
    return true;
  };
  if (facts.types.length) {
    heading("Node types");
    for (const type of facts.types) {
      row(nodeShape(type.shape, 7, y, 6, { fill: type.colour, stroke: "#2b2f36", "stroke-width": 0.8 }), type.name);
    }
    y += 6;
  }
  if (facts.marks.length) {
    heading("Marks");
    for (const entry of facts.marks) {
      const style = MARK_STYLES[entry.mark] ?? MARK_STYLES.touched;
      row(
        svgEl("circle", {
          cx: 7,
          cy: y,
          r: 6,
          fill: style.fill ?? "#ffffff",
          stroke: style.outline,
          "stroke-width": 2,
        }),
        `${entry.mark}: ${entry.text}`,
      );
    }
    y += 6;
  }
  if (facts.communities.length) {
    heading("Communities (areas)");
    let left = facts.communities.length;
    for (const community of facts.communities) {
      const swatch = svgEl("rect", { x: 1, y: y - 6, width: 12, height: 12, rx: 3, fill: community.colour });
      if (!row(swatch, `${community.id}. ${community.name} (${count(community.drawn)})`)) break;
      left -= 1;
    }
    if (left > 0) group.append(svgEl("text", { x: 0, y: y + 4, fill: MUTED }, `and ${left} more`));
  }
  return group;
}

/** The SVG document as text (a standalone file). */
export function svgText(picture) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(picture.svg)}\n`;
}

/** The picture drawn at `scale` times its size, as a PNG blob. */
export async function pngBlob(picture, scale = 2) {
  const url = URL.createObjectURL(new Blob([svgText(picture)], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(picture.width * scale);
    canvas.height = Math.round(picture.height * scale);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve, reject) =>
      canvas.toBlob((made) => (made ? resolve(made) : reject(new Error("the browser made no picture"))), "image/png"),
    );
    return { blob, width: canvas.width, height: canvas.height };
  } finally {
    URL.revokeObjectURL(url);
  }
}
