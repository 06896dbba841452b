// What is drawn, composed from the API's answers: the overview, then the
// focus and every expansion in the URL's order.
//
// compose() is a pure function of its sources, so the same URL always gives
// the same picture (positions included); Scene.sync() then brings the
// graphology graph sigma draws to that picture, touching only what changed.

/** The overview's positions lie in a square of this side (graphmodel/explore/overview.py). */
export const CANVAS = 1000;

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/** The place-th point of a sunflower spiral round a centre (as the server places group members). */
export function around(centre, place, spacing) {
  const radius = spacing * Math.sqrt(place);
  const x = centre.x + radius * Math.cos(place * GOLDEN_ANGLE);
  const y = centre.y + radius * Math.sin(place * GOLDEN_ANGLE);
  return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
}

/** Drawing size of a node with `degree` relationships (the server's formula for overview nodes). */
export function nodeSize(degree) {
  return Math.round((3 + 1.5 * Math.log2(1 + degree)) * 10) / 10;
}

/** Key of a relationship: one per (source, type, target), so parallel types stay apart. */
export function edgeKey(source, type, target) {
  return `${type}\u0000${source}\u0000${target}`;
}

const CAPTION_LENGTH = 48;

function caption(name) {
  return name.length > CAPTION_LENGTH ? `${name.slice(0, CAPTION_LENGTH - 1)}…` : name;
}

/** Mix a #rrggbb colour with white (amount 0: the colour, 1: white). */
function tint(colour, amount) {
  const value = parseInt(colour.slice(1), 16);
  const channels = [value >> 16, (value >> 8) & 255, value & 255].map((c) => Math.round(c + (255 - c) * amount));
  return `#${channels.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** Darken a #rrggbb colour (amount 0: the colour, 1: black). */
function shade(colour, amount) {
  const value = parseInt(colour.slice(1), 16);
  const channels = [value >> 16, (value >> 8) & 255, value & 255].map((c) => Math.round(c * (1 - amount)));
  return `#${channels.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

const OUTLINE = "#2b2f36";

const EDGE_COLOUR = "#8d96a0";

/**
 * How big things are drawn for a picture of this many nodes and relationships.
 * The server's sizes suit a hundred nodes; a denser picture draws them smaller
 * (by the square root of the crowding, so the area each node covers stays
 * about the same) and its lines fainter, so that shapes stay apart.
 */
export function look(nodeCount, relationshipCount) {
  const scale = Math.min(1, Math.sqrt(250 / Math.max(nodeCount, 1)));
  const opacity = Math.min(1, Math.max(0.2, Math.sqrt(1000 / Math.max(relationshipCount, 1))));
  const alpha = Math.round(opacity * 255)
    .toString(16)
    .padStart(2, "0");
  return {
    scale,
    // A lone node must still show its shape.
    minSize: Math.max(1.5, 4.5 * scale),
    edgeScale: Math.max(scale, 0.4),
    edgeColour: opacity < 1 ? `${EDGE_COLOUR}${alpha}` : EDGE_COLOUR,
  };
}

/**
 * The drawing attributes of a node. `styles` maps a label to its colour and
 * sigma shape; a group is a larger pale shape with a thick outline of its
 * type's colour (so it differs from a node by more than colour).
 */
export function nodeAttributes(node, where, styles, origin, drawing) {
  const style = styles.get(node.label) ?? { colour: "#7b8794", shape: "circle" };
  const group = Boolean(node.group);
  const size = Math.round(Math.max(where.size * drawing.scale, drawing.minSize) * 10) / 10;
  return {
    x: where.x,
    y: where.y,
    size,
    kind: node.label,
    name: node.name,
    caption: caption(node.name),
    group,
    members: node.members ?? 1,
    origin,
    shape: style.shape,
    color: group ? tint(style.colour, 0.72) : style.colour,
    outlineColor: group ? shade(style.colour, 0.25) : OUTLINE,
    // Thin round small nodes, whose colour would drown in a fixed outline.
    outlineWidth: group ? Math.min(3, size * 0.3) : Math.min(0.8, size * 0.15),
  };
}

export function edgeAttributes(relationship, count, drawing) {
  return {
    source: relationship.source,
    target: relationship.target,
    type: relationship.type,
    count,
    caption: count > 1 ? `${relationship.type} ×${count}` : relationship.type,
    size: (count > 1 ? Math.min(1 + Math.log2(count) * 0.6, 6) : 1) * drawing.edgeScale,
    color: drawing.edgeColour,
  };
}

/**
 * The picture for these sources.
 *
 * sources = {
 *   overview: the /api/overview document,
 *   focus: {named: {id, label, name}, degree, page} or null (page: its first
 *          page of neighbours, to place it and link it when the overview lacks it),
 *   expansions: [{named, page, pages: [neighbour pages]}] in order,
 * }
 * Returns {nodes: Map(id -> attributes), edges: Map(key -> attributes), expansions: Map(id -> {shown, total})}.
 */
export function compose(sources, styles) {
  const nodes = new Map();
  const edges = new Map();
  const slots = new Map();
  const overview = sources.overview;
  // An answer view (answers.js) gives its own sizes: it is laid out in the drawing's pixels.
  const drawing = overview.drawing ?? look(overview.nodes.length, overview.relationships.length);
  for (const node of overview.nodes) {
    nodes.set(node.id, nodeAttributes(node, node, styles, "overview", drawing));
  }
  const addEdge = (relationship, count) => {
    if (!nodes.has(relationship.source) || !nodes.has(relationship.target)) return;
    const key = edgeKey(relationship.source, relationship.type, relationship.target);
    if (!edges.has(key)) edges.set(key, edgeAttributes(relationship, count, drawing));
  };
  for (const relationship of overview.relationships) {
    addEdge(relationship, relationship.properties?.count ?? 1);
  }
  // Nodes brought in are spaced as the server spaces a group's members (an answer view: a row).
  const spacing = overview.answer ? 18 : CANVAS / Math.sqrt(Math.max(overview.nodes.length, 1)) / 5;
  const place = (anchor) => {
    const slot = (slots.get(anchor) ?? 0) + 1;
    slots.set(anchor, slot);
    return around(nodes.get(anchor), slot, spacing);
  };
  // A node the picture lacks goes next to a neighbour it has, else next to a
  // group of its type, else in the middle; it is linked to the neighbours drawn.
  const ensure = (named, page, degree = null) => {
    if (nodes.has(named.id)) return;
    const neighbour = page?.nodes.find((node) => nodes.has(node.id));
    let anchor = neighbour?.id;
    if (!anchor) {
      const groups = [...nodes.entries()].filter(([, node]) => node.group && node.kind === named.label);
      groups.sort((a, b) => b[1].members - a[1].members);
      anchor = groups[0]?.[0];
    }
    const where = anchor ? place(anchor) : { x: CANVAS / 2, y: CANVAS / 2 };
    const size = degree === null ? nodeSize(4) : nodeSize(degree);
    nodes.set(named.id, nodeAttributes(named, { ...where, size }, styles, "added", drawing));
    for (const relationship of page?.relationships ?? []) addEdge(relationship, 1);
  };
  if (sources.focus) ensure(sources.focus.named, sources.focus.page, sources.focus.degree);
  const expansions = new Map();
  for (const expansion of sources.expansions) {
    ensure(expansion.named, expansion.pages[0]);
    let shown = 0;
    let total = 0;
    for (const page of expansion.pages) {
      for (const neighbour of page.nodes) {
        if (!nodes.has(neighbour.id)) {
          nodes.set(
            neighbour.id,
            nodeAttributes(neighbour, { ...place(expansion.named.id), size: nodeSize(4) }, styles, "added", drawing),
          );
        }
      }
      for (const relationship of page.relationships) addEdge(relationship, 1);
      shown += page.nodes.length;
      total = page.total;
    }
    const known = expansions.get(expansion.named.id);
    expansions.set(expansion.named.id, {
      shown: Math.max(shown, known?.shown ?? 0),
      total: Math.max(total, known?.total ?? 0),
    });
  }
  return { nodes, edges, expansions };
}

function sameAttributes(current, wanted) {
  const keys = Object.keys(wanted);
  if (keys.length !== Object.keys(current).length) return false;
  return keys.every((key) => current[key] === wanted[key]);
}

/** The graphology graph sigma draws, kept equal to the latest composed picture. */
export class Scene {
  constructor(graph) {
    this.graph = graph;
    this.expansions = new Map();
    this.bounds = null;
  }

  /** Bring the graph to the picture, touching only what changed. */
  sync(picture) {
    const graph = this.graph;
    for (const edge of graph.edges()) {
      if (!picture.edges.has(edge)) graph.dropEdge(edge);
    }
    for (const node of graph.nodes()) {
      if (!picture.nodes.has(node)) graph.dropNode(node);
    }
    for (const [id, attributes] of picture.nodes) {
      if (!graph.hasNode(id)) graph.addNode(id, attributes);
      else if (!sameAttributes(graph.getNodeAttributes(id), attributes)) graph.replaceNodeAttributes(id, attributes);
    }
    for (const [key, attributes] of picture.edges) {
      if (!graph.hasEdge(key)) graph.addDirectedEdgeWithKey(key, attributes.source, attributes.target, attributes);
      else if (!sameAttributes(graph.getEdgeAttributes(key), attributes)) graph.replaceEdgeAttributes(key, attributes);
    }
    this.expansions = picture.expansions;
  }

  /** The overview's extent, which the drawing keeps as its frame (so nothing moves on expansion). */
  static bounds(overview) {
    if (overview.bounds) return overview.bounds;
    if (!overview.nodes.length) return { x: [0, CANVAS], y: [0, CANVAS] };
    const low = [Infinity, Infinity];
    const high = [-Infinity, -Infinity];
    for (const node of overview.nodes) {
      low[0] = Math.min(low[0], node.x);
      low[1] = Math.min(low[1], node.y);
      high[0] = Math.max(high[0], node.x);
      high[1] = Math.max(high[1], node.y);
    }
    const margin = Math.max(high[0] - low[0], high[1] - low[1], 1) * 0.04;
    return { x: [low[0] - margin, high[0] + margin], y: [low[1] - margin, high[1] + margin] };
  }
}
