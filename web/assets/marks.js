// What the analyses add to the picture: nodes brought in next to what is
// drawn, relationships among them, and the look of a marked node.
//
// Colour never carries a mark alone: a marked node keeps its type's shape,
// gets a thicker outline, its name always shown, and the mark's words after
// its name ("Teacher [profession]"); the table says the same words.

import { getJSON } from "./api.js";
import { CANVAS, around, edgeAttributes, edgeKey, look, nodeAttributes, nodeSize } from "./scene.js";

const SVG = "http://www.w3.org/2000/svg";

/**
 * Each mark's look: fill (null keeps the type's colour), outline colour and
 * width; the words in the table's order; the links' colours. All come from
 * the server (/api/marks: graphmodel/marks.py, the one definition the
 * offline views and the report use too), filled in by useMarks() before the
 * first drawing.
 */
export const MARK_STYLES = {};
export const MARK_TEXTS = {};
export const HIGHLIGHT_WORDS = [];
export const LINK_COLOURS = {};

/** Take the marks' definitions ({marks: [{word, text, fill, outline, width}], links: [...]}). */
export function useMarks(definitions) {
  HIGHLIGHT_WORDS.splice(0, HIGHLIGHT_WORDS.length, ...definitions.marks.map((mark) => mark.word));
  for (const mark of definitions.marks) {
    MARK_STYLES[mark.word] = { fill: mark.fill, outline: mark.outline, width: mark.width };
    MARK_TEXTS[mark.word] = mark.text;
  }
  for (const link of definitions.links) LINK_COLOURS[link.name] = link.colour;
}

/** Dash length and gap of a hypothetical link, in pixels (renderer.js draws the dashes). */
export const DASH_GAP = 5;

/** An answer of the API remembered for the page's life (Api.remembered). */
export function ask(explorer, path, parameters = {}) {
  const key = `${path}\u0000${JSON.stringify(parameters)}`;
  return explorer.api.remembered(key, () => getJSON(path, parameters));
}

/** Mix a #rrggbb colour with the canvas (amount 0: the colour, 1: the canvas). */
export function fade(colour, amount = 0.78) {
  if (!/^#[0-9a-f]{6}$/i.test(colour)) return colour;
  const value = parseInt(colour.slice(1), 16);
  const ground = [0xfb, 0xfb, 0xf8];
  const channels = [value >> 16, (value >> 8) & 255, value & 255].map((c, k) =>
    Math.round(c + (ground[k] - c) * amount),
  );
  return `#${channels.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Bring nodes into the picture that it lacks: each next to a neighbour drawn
 * (through `links`), else next to the largest group of its type, else in the
 * middle. `named`: [{id, label, name}]; links: [{source, target}].
 */
export function bringIn(picture, named, links, explorer) {
  const overview = explorer.overview;
  const drawing = look(overview.nodes.length, overview.relationships.length);
  const spacing = CANVAS / Math.sqrt(Math.max(overview.nodes.length, 1)) / 5;
  const neighbours = new Map();
  for (const link of links) {
    for (const [a, b] of [
      [link.source, link.target],
      [link.target, link.source],
    ]) {
      if (!neighbours.has(a)) neighbours.set(a, []);
      neighbours.get(a).push(b);
    }
  }
  const slots = new Map();
  const place = (anchor) => {
    // Start further out than the expansions' own spiral, so the two rarely meet.
    const slot = (slots.get(anchor) ?? 6) + 1;
    slots.set(anchor, slot);
    return around(picture.nodes.get(anchor), slot, spacing);
  };
  const add = (node, where) =>
    picture.nodes.set(
      node.id,
      nodeAttributes(node, { ...where, size: nodeSize(4) }, explorer.styles, "analysis", drawing),
    );
  let pending = named.filter((node) => !picture.nodes.has(node.id));
  let progress = true;
  while (pending.length && progress) {
    progress = false;
    const left = [];
    for (const node of pending) {
      const anchor = (neighbours.get(node.id) ?? []).find((id) => picture.nodes.has(id));
      if (anchor === undefined) left.push(node);
      else {
        add(node, place(anchor));
        progress = true;
      }
    }
    pending = left;
  }
  for (const node of pending) {
    const groups = [...picture.nodes.entries()].filter(([, n]) => n.group && n.kind === node.label);
    groups.sort((a, b) => b[1].members - a[1].members);
    add(node, groups.length ? place(groups[0][0]) : { x: CANVAS / 2, y: CANVAS / 2 });
  }
}

/**
 * Add a relationship between two drawn nodes (if not there), optionally with
 * a look: {colour, size, caption, pinned, dashed}. Returns its attributes.
 */
export function addLink(picture, relationship, explorer, lookOf = {}) {
  const { source, type, target } = relationship;
  if (!picture.nodes.has(source) || !picture.nodes.has(target)) return null;
  const key = edgeKey(source, type, target);
  if (!picture.edges.has(key)) {
    const overview = explorer.overview;
    const drawing = look(overview.nodes.length, overview.relationships.length);
    picture.edges.set(key, edgeAttributes(relationship, 1, drawing));
  }
  const attributes = picture.edges.get(key);
  if (lookOf.colour) attributes.color = lookOf.colour;
  if (lookOf.size) attributes.size = Math.max(attributes.size, lookOf.size);
  if (lookOf.caption) attributes.caption = lookOf.caption;
  if (lookOf.pinned) attributes.pinned = true;
  if (lookOf.dashed) attributes.dashGap = DASH_GAP;
  return attributes;
}

/** Mark a drawn node: the first mark's look, every mark's word after its name. */
export function markNode(picture, id, marks, { sizeFactor = 1 } = {}) {
  const node = picture.nodes.get(id);
  if (!node || !marks.length) return;
  const style = MARK_STYLES[marks[0]] ?? MARK_STYLES.touched;
  if (style.fill) node.color = style.fill;
  node.outlineColor = style.outline;
  node.size = Math.round(Math.max(node.size, 5) * sizeFactor * 10) / 10;
  node.outlineWidth = Math.min(style.width, node.size * 0.45);
  const badge = `[${marks.join(", ")}]`;
  if (!node.caption.endsWith(badge)) node.caption = `${node.caption} ${badge}`;
  node.pinned = true;
}

/**
 * A small decorative picture for a legend or a list: one SVG shape in a frame that
 * screen readers skip (the text beside it says what it stands for).
 * @param {string} viewBox
 * @param {string} className
 * @param {string} shape the SVG element drawn, e.g. "circle"
 * @param {Record<string, string>} attributes the shape's attributes
 */
export function swatch(viewBox, className, shape, attributes) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", viewBox);
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const element = document.createElementNS(SVG, shape);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  svg.append(element);
  return svg;
}

/** A small picture of a mark for the legend: a circle with the mark's fill and outline. */
export function markSwatch(mark) {
  const style = MARK_STYLES[mark] ?? MARK_STYLES.touched;
  return swatch("-10 -10 20 20", "swatch", "circle", {
    r: "7",
    fill: style.fill ?? "#ffffff",
    stroke: style.outline,
    "stroke-width": String(Math.min(style.width, 3)),
  });
}

/** A small picture of a link for the legend: a line, dashed or not. */
export function linkSwatch(colour, dashed = false) {
  return swatch("0 -5 24 10", "swatch link-swatch", "line", {
    x1: "1",
    x2: "23",
    stroke: colour,
    "stroke-width": "3",
    ...(dashed ? { "stroke-dasharray": "5 4" } : {}),
  });
}
