// Communities on the picture (docs/explorer.md, "Communities"): every node
// coloured by its community (the whole graph's, from /api/communities), a
// labelled area round each community's drawn nodes, and the list of the
// communities drawn; and, for a large network, the overview rolled up by
// community (/api/overview?roll_up=community).
//
// Colour never carries the community alone: each area says its community's
// name, the list names them (with how many of their nodes are drawn), and a
// node keeps its type's shape. A node an analysis marks keeps its mark's look.
//
// URL: colour=community, roll_up=community (which colours by community too).

import { polygonHull } from "./vendor.js";
import { ask, swatch } from "./marks.js";
import { count, el, plural } from "./dom.js";
import { registerField } from "./state.js";

/**
 * Community colours, by number, then again: graphmodel.visuals.palette's
 * COMMUNITY_COLOURS, which the template gives the picture panel.
 */
export const COMMUNITY_COLOURS = (document.getElementById("picture-panel")?.dataset.communityColours ?? "#7b8794")
  .split(" ")
  .filter(Boolean);

/** Group ids of the overview rolled up by community: group;Community;N. */
const COMMUNITY_GROUP = /^group;Community;(\d*)$/;

/** Most areas named in the drawing (the largest first); the list names every one. */
const NAMED_AREAS = 24;

/** How far an area reaches beyond its nodes, in pixels. */
const AREA_PADDING = 14;

export function communityColour(id) {
  return COMMUNITY_COLOURS[(id - 1) % COMMUNITY_COLOURS.length];
}

/** rgba() of a #rrggbb colour. */
function rgba(colour, alpha) {
  const value = parseInt(colour.slice(1), 16);
  return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

/** Mix a #rrggbb colour with white (amount 0: the colour, 1: white). */
function tint(colour, amount) {
  const value = parseInt(colour.slice(1), 16);
  const channels = [value >> 16, (value >> 8) & 255, value & 255].map((c) => Math.round(c + (255 - c) * amount));
  return `#${channels.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

function shorten(text, length = 42) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

registerField({
  name: "colourBy",
  initial: () => null,
  read: (params) => (params.get("colour") === "community" ? "community" : null),
  write: (value, params) => value && params.set("colour", value),
});
registerField({
  name: "rollUp",
  initial: () => null,
  read: (params) => (params.get("roll_up") === "community" ? "community" : null),
  write: (value, params) => value && params.set("roll_up", value),
});

/**
 * The areas of the communities drawn, in viewport pixels: [{id, name, colour,
 * drawn, size, hull: [[x, y], ...], centre, radius}], the most nodes drawn first.
 */
export function communityAreas(explorer, communities) {
  const sigma = explorer.renderer?.sigma;
  if (!sigma || !communities) return [];
  const points = new Map();
  for (const id of explorer.visible.nodes) {
    const community = communities.of(id, explorer.graph);
    if (community === null) continue;
    const data = sigma.getNodeDisplayData(id);
    if (!data || data.hidden) continue;
    const at = sigma.framedGraphToViewport(data);
    const radius = sigma.scaleSize(data.size);
    if (!points.has(community)) points.set(community, []);
    points.get(community).push([at.x, at.y, radius]);
  }
  const areas = [];
  for (const [id, found] of points) {
    const known = communities.byId.get(id);
    const xs = found.map((p) => p[0]);
    const ys = found.map((p) => p[1]);
    const centre = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
    const hull = found.length >= 3 ? polygonHull(found.map(([x, y]) => [x, y])) : null;
    const reach = Math.max(...found.map(([x, y, r]) => Math.hypot(x - centre[0], y - centre[1]) + r));
    areas.push({
      id,
      name: known?.name ?? `Community ${id}`,
      size: known?.size ?? found.length,
      colour: communityColour(id),
      drawn: found.length,
      hull: hull ?? found.map(([x, y]) => [x, y]),
      centre,
      radius: reach,
      pad: Math.max(...found.map((p) => p[2])) + AREA_PADDING,
    });
  }
  areas.sort((a, b) => b.drawn - a.drawn || a.id - b.id);
  return areas;
}

const AREA_FONT = "600 13px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

/**
 * Where the areas' names go: above each area (the largest first), inside the
 * drawing, where no name already placed is; [{text, x, y, colour}] with (x, y)
 * the middle of the text's baseline, in viewport pixels.
 */
export function areaNames(areas, { width, height }, measuring = null) {
  const context = measuring ?? document.createElement("canvas").getContext("2d");
  context.font = AREA_FONT;
  const placed = [];
  const names = [];
  for (const area of areas.slice(0, NAMED_AREAS)) {
    if (area.drawn < 2) continue; // one node's own name says it
    const text = shorten(area.name);
    const half = context.measureText(text).width / 2 + 3;
    const x = Math.min(Math.max(area.centre[0], half + 2), width - half - 2);
    const y = Math.min(Math.max(Math.min(...area.hull.map(([, hy]) => hy)) - area.pad + 2, 18), height - 4);
    const box = { left: x - half, right: x + half, top: y - 16, bottom: y + 2 };
    if (placed.some((b) => b.left < box.right && box.left < b.right && b.top < box.bottom && box.top < b.bottom)) {
      continue;
    }
    placed.push(box);
    names.push({ text, x, y, colour: shade(area.colour) });
  }
  return names;
}

/** Draw the areas (filled, outlined) and the names of the largest on a 2D context. */
export function paintAreas(context, areas, { scale = 1 } = {}) {
  context.save();
  context.scale(scale, scale);
  context.lineJoin = "round";
  context.lineCap = "round";
  for (const area of areas) {
    context.beginPath();
    if (area.hull.length >= 3) {
      area.hull.forEach(([x, y], index) => (index ? context.lineTo(x, y) : context.moveTo(x, y)));
      context.closePath();
    } else {
      for (const [x, y] of area.hull) {
        context.moveTo(x + 0.01, y);
        context.lineTo(x, y);
      }
    }
    // A stroke as wide as twice the padding rounds the hull and lets it reach past the nodes.
    context.lineWidth = area.pad * 2;
    context.strokeStyle = rgba(area.colour, 0.14);
    context.fillStyle = rgba(area.colour, 0.14);
    context.stroke();
    if (area.hull.length >= 3) context.fill();
  }
  context.font = AREA_FONT;
  context.textAlign = "center";
  context.textBaseline = "alphabetic";
  const { width, height } = context.canvas;
  for (const name of areaNames(areas, { width: width / scale, height: height / scale }, context)) {
    context.lineWidth = 4;
    context.strokeStyle = "rgba(255, 255, 255, 0.92)";
    context.strokeText(name.text, name.x, name.y);
    context.fillStyle = name.colour;
    context.fillText(name.text, name.x, name.y);
  }
  context.restore();
}

/** A community colour dark enough to read as text on the light canvas. */
function shade(colour) {
  const value = parseInt(colour.slice(1), 16);
  const channels = [value >> 16, (value >> 8) & 255, value & 255].map((c) => Math.round(c * 0.55));
  return `#${channels.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Between two communities' groups the overview lists a relationship per type
 * and direction (dozens a pair, drawn as a fan of curves): the picture rolled
 * up by community draws one line a pair instead, as thick as the
 * relationships it stands for, saying how many ("1,204 relationships"; its
 * type when they are all of one type).
 */
export function mergeGroupLinks(picture) {
  const pairs = new Map();
  for (const [key, edge] of picture.edges) {
    if (!COMMUNITY_GROUP.test(edge.source) && !COMMUNITY_GROUP.test(edge.target)) continue;
    const pair =
      edge.source < edge.target ? `${edge.source}\u0000${edge.target}` : `${edge.target}\u0000${edge.source}`;
    if (!pairs.has(pair)) pairs.set(pair, []);
    pairs.get(pair).push([key, edge]);
  }
  for (const edges of pairs.values()) {
    if (edges.length < 2) continue;
    const [[keep, first], ...rest] = edges;
    const total = edges.reduce((sum, [, edge]) => sum + (edge.count ?? 1), 0);
    const types = new Set(edges.map(([, edge]) => edge.type));
    for (const [key] of rest) picture.edges.delete(key);
    picture.edges.set(keep, {
      ...first,
      type: types.size === 1 ? first.type : "several types",
      count: total,
      caption: `${count(total)} relationships${types.size === 1 ? ` (${first.type})` : ""}`,
      size: Math.min(1 + Math.log2(total) * 0.6, 8),
    });
  }
}

/** A small square of a community's colour, for a list. */
export function communitySwatch(colour) {
  return swatch("0 0 14 14", "swatch community-swatch", "rect", {
    x: "1",
    y: "1",
    width: "12",
    height: "12",
    rx: "3",
    fill: colour,
  });
}

/** The whole graph's communities, from /api/communities: who is in which, and each one's name. */
class Membership {
  constructor(doc) {
    /** The /api/communities document it was read from (read again only when that changes). */
    this.doc = doc;
    this.byId = new Map(doc.communities.map((community) => [community.id, community]));
    this.ofNode = new Map();
    for (const community of doc.communities) {
      for (const member of community.members) this.ofNode.set(member, community.id);
    }
  }

  /** The community of a drawn node (a community's group is its own), or null. */
  of(id, graph) {
    const group = COMMUNITY_GROUP.exec(id);
    if (group) return group[1] ? Number(group[1]) : null;
    if (graph?.getNodeAttribute(id, "group")) return null; // a type's group holds several
    return this.ofNode.get(id) ?? null;
  }
}

export class CommunityLayer {
  constructor(root, explorer) {
    this.explorer = explorer;
    this.colourBox = root.getElementById("colour-communities");
    this.rollUpBox = root.getElementById("roll-up-communities");
    this.legend = root.getElementById("community-legend");
    this.list = this.legend.querySelector("ul");
    this.note = root.getElementById("community-note");
    this.membership = null;
    this.areas = [];
    this.canvas = null;
    this.colourBox.addEventListener("change", () => {
      explorer.state.colourBy = this.colourBox.checked ? "community" : null;
      explorer.update();
    });
    this.rollUpBox.addEventListener("change", () => {
      explorer.state.rollUp = this.rollUpBox.checked ? "community" : null;
      explorer.state.expand = [];
      explorer.update({ reframe: true });
    });
  }

  /** Whether the picture is coloured by community now. */
  get on() {
    const state = this.explorer.state;
    return state.colourBy === "community" || state.rollUp === "community";
  }

  /** The drawing's layer for the areas, under the nodes (made once sigma exists). */
  attach() {
    const sigma = this.explorer.renderer.sigma;
    this.canvas = sigma.createCanvas("communities", { beforeLayer: "stage" });
    this.canvas.setAttribute("aria-hidden", "true");
    sigma.on("afterRender", () => this.paint());
    sigma.on("resize", () => this.paint());
  }

  extension() {
    return {
      name: "communities",
      gather: async (explorer) => {
        if (!this.on) return null;
        const doc = await ask(explorer, "/api/communities");
        if (!this.membership || this.membership.doc !== doc) {
          this.membership = new Membership(doc);
        }
        return this.membership;
      },
      decorate: (picture, membership) => this.decorate(picture, membership),
      panel: () => this.panel(),
    };
  }

  decorate(picture, membership) {
    if (this.explorer.state.rollUp === "community") mergeGroupLinks(picture);
    if (!membership) return;
    for (const [id, node] of picture.nodes) {
      const community = membership.of(id);
      if (community === null || node.pinned) continue; // a mark keeps its own look
      const colour = communityColour(community);
      if (node.group) {
        node.color = tint(colour, 0.55);
        node.outlineColor = shade(colour);
      } else {
        node.color = colour;
      }
      node.community = community;
    }
  }

  /** The controls as the state says, and the list of the communities drawn. */
  panel() {
    const state = this.explorer.state;
    this.colourBox.checked = this.on;
    this.colourBox.disabled = state.rollUp === "community";
    this.rollUpBox.checked = state.rollUp === "community";
    this.refreshList();
    this.paint();
  }

  refreshList() {
    if (!this.on || !this.membership) {
      this.legend.hidden = true;
      this.list.replaceChildren();
      return;
    }
    const drawn = new Map();
    for (const id of this.explorer.visible.nodes) {
      const community = this.membership.of(id, this.explorer.graph);
      if (community === null) continue;
      if (!drawn.has(community)) drawn.set(community, []);
      drawn.get(community).push(id);
    }
    const items = [...drawn.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([id, nodes]) => {
        const community = this.membership.byId.get(id);
        const total = community?.size ?? nodes.length;
        const grouped = nodes.some((node) => COMMUNITY_GROUP.test(node));
        const shown = grouped
          ? `${count(total)} nodes, as one group`
          : `${count(nodes.length)} of ${count(total)} drawn`;
        const swatch = communitySwatch(communityColour(id));
        return el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: "text-button",
              title: "Frame this community's nodes",
              onclick: () => this.explorer.renderer?.fit(nodes),
            },
            swatch,
            el("span", { text: `${id}. ${community?.name ?? ""}` }),
          ),
          el("span", { class: "count", text: ` (${shown})` }),
        );
      });
    this.list.replaceChildren(...items);
    this.legend.hidden = items.length === 0;
    const total = this.membership.byId.size;
    this.note.textContent = `${plural(drawn.size, "community", "communities")} drawn, of the ${plural(total, "community", "communities")} of the whole graph (seeded Leiden). Each area carries its community's name.`;
  }

  paint() {
    const sigma = this.explorer.renderer?.sigma;
    if (!this.canvas || !sigma) return;
    const { width, height } = sigma.getDimensions();
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const context = this.canvas.getContext("2d");
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.areas = this.on ? communityAreas(this.explorer, this.membership) : [];
    paintAreas(context, this.areas, { scale: ratio });
  }
}
