// Answer views (docs/explorer.md): the picture that answers the question.
//
// With an overlay on (or a path, or a what-if), the page draws the answer and
// the context that explains it, and nothing else, laid out for the question
// (layout.js): a profession in the middle with its competencies grouped by
// framework area round it, a driver's reach in layers, one island per
// duplicate cluster, a path in a row. Every node drawn carries a mark (its
// reason to be there), every name is shown and none touches another. Beside
// the picture, the answer as a ranked list (the rows of the analysis' JSON in
// names): choosing a row chooses its node; "Copy as table" copies it as
// tab-separated text for a spreadsheet. "Show the whole network" (context=all)
// goes back to the whole picture with the marks.
//
// URL: context=all (the whole network), size=MEASURE (nodes sized by a number
// of the answer: severity, headcount, budget, score, betweenness).

import { ApiError } from "./api.js";
import { count, el, plural } from "./dom.js";
import { layoutAnswer, LABEL_SIZE } from "./layout.js";
import { ask } from "./marks.js";
import { overlayParameters } from "./overlays.js";
import { registerField } from "./state.js";
import { HYPOTHETICAL } from "./whatif.js";

registerField({
  name: "context",
  initial: () => null,
  read: (params) => (params.get("context") === "all" ? "all" : null),
  write: (value, params) => value && params.set("context", value),
});
registerField({
  name: "sizeBy",
  initial: () => null,
  read: (params) => (/^[a-z]+$/.test(params.get("size") ?? "") ? params.get("size") : null),
  write: (value, params) => value && params.set("size", value),
});

/** The answer's own marks: never left out of a view to make room. */
const ANSWER_MARKS = new Set([
  "gap",
  "covered",
  "below-level",
  "profession",
  "uncovered",
  "duplicate",
  "driver",
  "responding",
  "candidate",
  "broker",
  "path",
  "planned",
  "closes",
]);
const RADIUS = 5;
const SIZE_RANGE = [4, 8];
/** The drawing's stage padding (renderer.js): the layout fills what is inside it. */
const PADDING = 24;
const TITLE_HEIGHT = 16;

const MEASURES = {
  severity: "severity (priority weight x headcount)",
  headcount: "headcount",
  budget: "budget",
  score: "score",
  betweenness: "betweenness",
};

function textWidth() {
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${LABEL_SIZE}px sans-serif`;
  const known = new Map();
  return (text) => {
    if (!known.has(text)) known.set(text, context.measureText(text).width);
    return known.get(text);
  };
}

function cellText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isInteger(value) ? count(value) : String(Math.round(value * 1e4) / 1e4);
  return String(value);
}

export class AnswerView {
  constructor(explorer, { overlays, whatIf }) {
    this.explorer = explorer;
    this.overlays = overlays;
    this.whatIf = whatIf;
    this.measure = textWidth();
    this.current = null; // {key, doc, layout, marks, kind}
    this.shownList = null;
    const root = explorer.root;
    this.panel = root.getElementById("answer-panel");
    this.title = root.getElementById("answer-title");
    this.note = root.getElementById("answer-note");
    this.list = root.getElementById("answer-list");
    this.copyButton = root.getElementById("answer-copy");
    this.contextButton = root.getElementById("answer-context");
    this.copyStatus = root.getElementById("answer-status");
    this.sizeBox = root.getElementById("answer-size-field");
    this.sizeSelect = root.getElementById("answer-size");
    this.titles = el("div", { class: "answer-titles", "aria-hidden": "true" });
    explorer.container.append(this.titles);
    this.contextButton.addEventListener("click", () => {
      explorer.state.context = explorer.state.context === "all" ? null : "all";
      explorer.update({ reframe: true });
    });
    this.copyButton.addEventListener("click", () => this.copy());
    this.skipLine = root.getElementById("answer-skip-line");
    root.getElementById("answer-skip").addEventListener("click", (event) => {
      event.preventDefault();
      // The first row's button: Enter there chooses the answer's first node.
      (this.list.querySelector(".answer-choose") ?? this.contextButton).focus();
    });
    this.sizeSelect.addEventListener("change", () => {
      explorer.state.sizeBy = this.sizeSelect.value || null;
      explorer.update({ reframe: true });
    });
    // The drawing's size decides the layout: a new size (a window resized, the time
    // window shown) lays the answer out again.
    this.size = null;
    new ResizeObserver(() => {
      const box = this.box();
      const size = `${box.width}x${box.height}`;
      if (this.size === null) this.size = size;
      if (size === this.size) return;
      this.size = size;
      window.clearTimeout(this.resizing);
      this.resizing = window.setTimeout(() => this.current?.drawn && explorer.update({ reframe: true }), 120);
    }).observe(explorer.container);
  }

  /** The answer to draw for the state, as the explorer's overview document; null for none. */
  async provide(state) {
    const found = await this.question(state);
    if (!found || state.context === "all") {
      this.current = found ? { ...found, drawn: false } : null;
      return null;
    }
    const box = this.box();
    this.size = `${box.width}x${box.height}`;
    const key = `${found.key}\u0000${box.width}x${box.height}\u0000${state.sizeBy ?? ""}`;
    if (this.current?.key !== key || !this.current.drawn) {
      this.current = { ...found, key, drawn: true, ...this.lay(found, box, state) };
    }
    const left = this.current.layout.left.length;
    if (left) {
      this.explorer.notice(
        `To fit the drawing, ${plural(left, "node")} of context (near misses, covering training, neighbours) ${left === 1 ? "is" : "are"} left out: the answer list has them; a larger window shows more.`,
      );
    }
    return this.current.overview;
  }

  box() {
    const container = this.explorer.container;
    return {
      width: Math.max(200, Math.floor(container.clientWidth - 2 * PADDING)),
      height: Math.max(160, Math.floor(container.clientHeight - 2 * PADDING - 4)),
    };
  }

  /** The question the state asks: a path, a what-if or an overlay (in that order), or null. */
  async question(state) {
    if (state.pathTo && state.focus && !state.focus.includes(";")) {
      try {
        const doc = await ask(this.explorer, "/api/path", { a: state.focus, b: state.pathTo });
        if (doc.paths.length)
          return { kind: "path", key: `path\u0000${state.focus}\u0000${state.pathTo}`, ...pathView(doc) };
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
      }
    }
    if (state.whatIf) {
      const data = await this.whatIf.fetch(state);
      if (data?.doc && !data.existing)
        return { kind: "whatif", key: `whatif\u0000${state.whatIf}`, ...whatIfView(data) };
    }
    if (state.overlay) {
      const data = await this.overlays.fetch(state);
      if (data?.doc) {
        const key = `overlay\u0000${state.overlay}\u0000${JSON.stringify(overlayParameters(state))}`;
        return { kind: "overlay", key, ...overlayView(data.doc) };
      }
    }
    return null;
  }

  /** Positions, names and sizes for a view in a box of the drawing's pixels. */
  lay(found, box, state) {
    const measure = state.sizeBy && found.sizes.includes(state.sizeBy) ? state.sizeBy : (found.size ?? null);
    const values = new Map(found.nodes.map((node) => [node.id, node.values?.[measure]]));
    const highest = Math.max(0, ...[...values.values()].filter((v) => typeof v === "number"));
    const radius = (id) => {
      const value = values.get(id);
      if (!measure || typeof value !== "number" || highest <= 0) return measure ? SIZE_RANGE[0] : RADIUS;
      return Math.round((SIZE_RANGE[0] + (SIZE_RANGE[1] - SIZE_RANGE[0]) * Math.sqrt(value / highest)) * 10) / 10;
    };
    const byId = new Map(found.nodes.map((node) => [node.id, node]));
    const plainBlocks = new Set(found.blocks.filter((block) => block.plain).map((block) => block.id));
    const blockOf = new Map();
    for (const block of found.blocks) for (const item of block.items) blockOf.set(item.id, block.id);
    const label = (id) => {
      const node = byId.get(id);
      const name = node?.name ?? id;
      const marks = node?.marks ?? [];
      // A layer whose title says its mark needs no badge; a mixed block shows each node's.
      return marks.length && !plainBlocks.has(blockOf.get(id)) ? `${name} [${marks.join(", ")}]` : name;
    };
    const answer = {
      layout: found.layout,
      centre: found.centre,
      blocks: found.blocks.map((block) => ({
        ...block,
        items: block.items.map((item) => ({
          ...item,
          droppable: !(byId.get(item.id)?.marks ?? []).some((mark) => ANSWER_MARKS.has(mark)),
        })),
      })),
    };
    const laid = layoutAnswer(answer, box, { label, measure: this.measure, radius });
    const height = laid.bounds.y[1];
    const nodes = [];
    for (const [id, where] of laid.positions) {
      const node = byId.get(id) ?? { id, label: "Competency", name: id };
      nodes.push({ id, label: node.label, name: node.name, x: where.x, y: height - where.y, size: radius(id) });
    }
    const drawn = new Set(laid.positions.keys());
    const relationships = found.relationships.filter((r) => drawn.has(r.source) && drawn.has(r.target) && !r.virtual);
    const overview = {
      nodes,
      relationships,
      rolled_up: false,
      relationships_total: relationships.length,
      bounds: { x: laid.bounds.x, y: [0, height] },
      drawing: { scale: 1, minSize: 3, edgeScale: 1, edgeColour: "#8d96a066" },
      answer: true,
    };
    return { overview, layout: laid, measure, labels: laid.labels, radius, height };
  }

  extension() {
    return {
      name: "answer",
      decorate: (picture) => this.decorate(picture),
      highlight: () => this.highlight(),
      panel: () => this.fill(),
    };
  }

  /** Answer views: names as laid out (shortened), sizes, quiet relationships, titles. */
  decorate(picture) {
    const current = this.current;
    if (!current?.drawn) return;
    for (const [id, text] of current.labels) {
      const node = picture.nodes.get(id);
      if (!node) continue;
      node.caption = text;
      node.pinned = true;
      node.size = current.radius(id);
      node.outlineWidth = Math.min(node.outlineWidth ?? 1, node.size * 0.5);
    }
    for (const edge of picture.edges.values()) {
      // Scores are in the list and the titles: a caption on a short line would cover names;
      // the analysis' own links stay coloured, but thin, so names stay legible across them.
      edge.pinned = false;
      edge.size = Math.min(edge.size, 1.5);
    }
  }

  /** Path nodes say "path"; what-if nodes say "hypothetical" (whatif.js). */
  highlight() {
    const current = this.current;
    if (current?.kind !== "path") return new Map();
    return new Map(current.nodes.map((node) => [node.id, ["path"]]));
  }

  /** Place the blocks' titles over the drawing (they follow the camera). */
  placeTitles() {
    const current = this.current;
    const sigma = this.explorer.renderer?.sigma;
    if (!current?.drawn || !sigma) {
      this.titles.replaceChildren();
      return;
    }
    const items = current.layout.titles.map((title) => {
      const point = this.titlePoint(title, current, sigma);
      const box = el("div", { class: "answer-block-title", text: title.text, title: title.text });
      box.style.left = `${Math.round(point.x)}px`;
      box.style.top = `${Math.round(point.y - TITLE_HEIGHT / 2)}px`;
      box.style.maxWidth = `${Math.max(60, Math.round(title.width))}px`;
      return box;
    });
    this.titles.replaceChildren(...items);
  }

  fill() {
    const state = this.explorer.state;
    const current = this.current;
    this.placeTitles();
    const sigma = this.explorer.renderer?.sigma;
    if (sigma && !this.following) {
      this.following = true;
      sigma.on("afterRender", () => this.moveTitles());
    }
    this.panel.hidden = !current;
    this.skipLine.hidden = !current;
    if (!current) {
      this.shownList = null;
      return;
    }
    this.contextButton.textContent = state.context === "all" ? "Show the answer only" : "Show the whole network";
    this.contextButton.setAttribute("aria-pressed", String(state.context === "all"));
    const sizes = current.sizes ?? [];
    this.sizeBox.hidden = !sizes.length || !current.drawn;
    if (sizes.length) {
      const wanted = ["", ...sizes];
      if ([...this.sizeSelect.options].map((o) => o.value).join() !== wanted.join()) {
        this.sizeSelect.replaceChildren(
          el("option", { value: "", text: "nothing (all alike)" }),
          ...sizes.map((measure) => el("option", { value: measure, text: MEASURES[measure] ?? measure })),
        );
      }
      this.sizeSelect.value = current.measure ?? "";
    }
    if (this.shownList !== current.key.split("\u0000").slice(0, 3).join("\u0000")) this.renderList(current);
    this.markChosen(state.focus);
  }

  /**
   * Where a block's title goes on screen: as far from its block's first node as the
   * layout put it, wherever that node is now (moved by hand, or where a saved view
   * put it when the answer was laid out again for another size).
   */
  titlePoint(title, current, sigma) {
    const graph = this.explorer.graph;
    const laid = title.anchor ? current.layout.positions.get(title.anchor) : null;
    if (laid && graph.hasNode(title.anchor)) {
      const at = graph.getNodeAttributes(title.anchor);
      return sigma.graphToViewport({ x: at.x + title.x - laid.x, y: at.y - (title.y - laid.y) });
    }
    return sigma.graphToViewport({ x: title.x, y: current.height - title.y });
  }

  moveTitles() {
    const current = this.current;
    const sigma = this.explorer.renderer?.sigma;
    if (!current?.drawn || !sigma) return;
    const boxes = this.titles.children;
    current.layout.titles.forEach((title, index) => {
      const box = boxes[index];
      if (!box) return;
      const point = this.titlePoint(title, current, sigma);
      box.style.left = `${Math.round(point.x)}px`;
      box.style.top = `${Math.round(point.y - TITLE_HEIGHT / 2)}px`;
    });
  }

  /**
   * The ranked list: one item per row of the answer, in its order. The first
   * column is a button choosing the row's node; short columns follow on one
   * line ("Severity 849 · essential"), long ones (reasons, near misses) below.
   */
  renderList(current) {
    this.shownList = current.key.split("\u0000").slice(0, 3).join("\u0000");
    const answer = current.answer;
    this.title.textContent = answer.title;
    this.note.textContent = answer.note ?? "";
    const [first, ...rest] = answer.columns;
    const items = answer.rows.map((row, index) => {
      const name = cellText(row.cells[first.key]) || row.id;
      const figures = [];
      const details = [];
      for (const column of rest) {
        const text = cellText(row.cells[column.key]);
        if (!text) continue;
        const part = el("span", {}, el("span", { class: "answer-key", text: `${column.title}: ` }), text);
        (text.length > 36 ? details : figures).push(part);
      }
      return el(
        "li",
        { dataset: { id: row.id } },
        el("button", {
          type: "button",
          class: "text-button answer-choose",
          text: name,
          "aria-label": `Choose ${name} (row ${index + 1} of ${answer.rows.length})`,
          onclick: () => this.choose(row.id),
        }),
        figures.length
          ? el("p", { class: "answer-figures" }, ...figures.flatMap((part, i) => (i ? [" · ", part] : [part])))
          : null,
        ...details.map((part) => el("p", { class: "answer-detail" }, part)),
      );
    });
    this.list.replaceChildren(...items);
    this.list.setAttribute("aria-label", `${answer.title}: ${count(answer.rows.length)} rows`);
    if (!items.length)
      this.list.append(el("li", { class: "hint", text: "Nothing to list: the analysis found nothing." }));
  }

  choose(id) {
    // The row's button keeps the keyboard: the list is not redrawn by a choice.
    const explorer = this.explorer;
    explorer.state.focus = id;
    return explorer.update({ centre: explorer.graph.hasNode(id) ? null : id });
  }

  markChosen(focus) {
    for (const row of this.list.children) {
      if (row.dataset.id === focus) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
  }

  /** The list as tab-separated text (a spreadsheet pastes it as a table). */
  tableText() {
    const answer = this.current?.answer;
    if (!answer) return "";
    const clean = (text) => text.replace(/[\t\r\n]+/g, " ");
    const lines = [answer.columns.map((column) => clean(column.title)).join("\t")];
    for (const row of answer.rows) {
      lines.push(answer.columns.map((column) => clean(cellText(row.cells[column.key]))).join("\t"));
    }
    return `${lines.join("\r\n")}\r\n`;
  }

  async copy() {
    const text = this.tableText();
    try {
      await navigator.clipboard.writeText(text);
      this.copyStatus.textContent = `Copied ${count(this.current.answer.rows.length)} rows: paste them into a spreadsheet.`;
    } catch {
      this.copyStatus.textContent = "The browser refused the clipboard: select the table and copy it.";
    }
  }
}

/** An overlay's document as what the view needs. */
function overlayView(doc) {
  const plainKinds = new Set(["layer", "touched", "column"]);
  return {
    layout: doc.view.layout,
    centre: doc.view.centre,
    blocks: doc.view.blocks.map((block) => ({
      ...block,
      title: block.more ? `${block.title} (${count(block.more)} more in the list)` : block.title,
      plain: plainKinds.has(block.kind),
    })),
    nodes: doc.nodes,
    relationships: doc.relationships,
    answer: doc.answer,
    sizes: doc.view.sizes ?? [],
    size: doc.view.size ?? null,
  };
}

/** A path: each chain in a row, its sentences as the list. */
function pathView(doc) {
  const nodes = Object.entries(doc.nodes).map(([id, node]) => ({
    id,
    label: node.label,
    name: node.name,
    marks: ["path"],
  }));
  const blocks = doc.paths.map((path, index) => ({
    id: `path:${index}`,
    title: doc.paths.length > 1 ? `Chain ${index + 1} of ${doc.paths.length}` : `${path.nodes.length - 1} steps`,
    items: path.nodes.map((id) => ({ id, depth: 0 })),
    row: true,
  }));
  return {
    layout: "row",
    centre: [],
    blocks,
    nodes,
    relationships: doc.paths.flatMap((path) =>
      path.links.map((link) => ({ ...link, properties: {}, marks: ["path"] })),
    ),
    answer: {
      title: "The chain, step by step",
      columns: [
        { key: "from", title: "From" },
        { key: "link", title: "Relationship" },
        { key: "to", title: "To" },
      ],
      rows: doc.paths.flatMap((path) =>
        path.links.map((link) => ({
          id: link.source,
          cells: { from: doc.nodes[link.source]?.name, link: link.type, to: doc.nodes[link.target]?.name },
        })),
      ),
      // The chain's sentences, in names (the ids in brackets left out).
      note: doc.paths
        .map((path) => Object.keys(doc.nodes).reduce((text, id) => text.replaceAll(` (${id})`, ""), path.sentence))
        .join(" "),
    },
    sizes: [],
    size: null,
  };
}

/** A what-if: the new driver, what its words match, and who could respond, in layers. */
function whatIfView(data) {
  const doc = data.doc;
  const nodes = [
    { ...data.hypothetical, marks: ["hypothetical"] },
    ...data.named.map((node) => ({ ...node, marks: ["hypothetical"] })),
  ];
  const matched = Object.entries(doc.matched).filter(([, list]) => list.length);
  const blocks = matched.map(([kind, list]) => ({
    id: `matched:${kind}`,
    title: `Hypothetical: matches among ${kind}`,
    items: list.map((match) => ({ id: match.id, depth: 0 })),
    plain: true,
    kind: "touched",
  }));
  const candidates = doc.candidates.map((candidate) => candidate.initiative);
  const seen = new Set(blocks.flatMap((block) => block.items.map((item) => item.id)));
  if (candidates.length) {
    blocks.push({
      id: "candidates",
      title: "Hypothetical: could respond, best first",
      items: candidates.filter((id) => !seen.has(id)).map((id) => ({ id, depth: 0 })),
      plain: true,
      kind: "layer",
    });
  }
  const rows = [
    ...matched.flatMap(([kind, list]) =>
      list.map((match) => ({
        id: match.id,
        cells: {
          name: match.name,
          role: `matches (${kind})`,
          score: match.similarity,
          why: (match.terms ?? []).join(", "),
        },
      })),
    ),
    ...doc.candidates.map((candidate) => ({
      id: candidate.initiative,
      cells: { name: candidate.title, role: "could respond", score: candidate.score, why: candidate.reason },
    })),
  ];
  return {
    layout: "layers",
    centre: [HYPOTHETICAL],
    blocks,
    nodes,
    relationships: data.links.map((link) => ({ ...link, properties: {}, marks: ["hypothetical"], virtual: false })),
    answer: {
      title: "What the new driver would link to",
      columns: [
        { key: "name", title: "Name" },
        { key: "role", title: "Role" },
        { key: "score", title: "Score", numeric: true },
        { key: "why", title: "Why" },
      ],
      rows,
      note: "Matches: text similarity (0 to 1). Could respond: the score of links --text (shared ground weighted by rarity, plus text similarity).",
    },
    sizes: [],
    size: null,
  };
}
