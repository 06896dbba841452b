// Explain in place, and paths.
//
// Choosing a gap (a competency marked gap under overlay=gaps) adds the
// /api/explain answer to the details panel: why it is a gap, the near misses
// and what would close it. Choosing a second node (shift-click in the
// drawing, or "From the chosen node to…") asks /api/path for the chain from
// the chosen node, draws it (blue, thick, its nodes named) and writes its
// sentences in the details panel.
//
// URL: path=ID (the chain's other end; the chosen node is focus=).

import { ApiError } from "./api.js";
import { el, plural } from "./dom.js";
import { LINK_COLOURS, addLink, ask, bringIn } from "./marks.js";
import { overlayParameters } from "./overlays.js";
import { Picker } from "./picker.js";
import { registerField } from "./state.js";

registerField({
  name: "pathTo",
  initial: () => null,
  read: (params) => params.get("path") || null,
  write: (value, params, _known, state) => value && state?.focus && params.set("path", value),
});

/** What would close a gap, from a near miss (graphmodel/analysis/coverage.py's kinds). */
function closing(miss, answer, names) {
  const profession = names(answer.profession);
  const competency = names(answer.competency);
  if (miss.kind === "same competency, other professions") {
    return `Open “${miss.title}” to ${profession} as well: it already covers ${competency}.`;
  }
  if (miss.kind === "same profession, sibling competencies") {
    return `Add ${competency} to “${miss.title}”: it already trains ${profession} in the same area.`;
  }
  return `${miss.title}: ${miss.why}.`;
}

export class Explain {
  constructor(explorer, overlays) {
    this.explorer = explorer;
    this.overlays = overlays;
    this.pending = Promise.resolve(null);
    this.anchor = explorer.state.focus; // the chain's start when it was asked
    const root = explorer.root;
    const typeNames = new Map([...explorer.styles].map(([label, style]) => [label, style.singular]));
    this.status = root.getElementById("path-status");
    this.picker = new Picker(root.getElementById("path-search"), root.getElementById("path-results"), this.status, {
      prefix: "path",
      typeNames,
      choose: (result) => this.pathTo(result.id),
    });
  }

  pathTo(id) {
    const state = this.explorer.state;
    if (state.focus === null || state.focus.includes(";")) {
      this.status.textContent = "Choose a node first: the path starts from it.";
      return this.explorer.queue;
    }
    state.pathTo = id;
    this.anchor = state.focus;
    return this.explorer.update();
  }

  name(id) {
    const graph = this.explorer.graph;
    if (graph.hasNode(id)) return graph.getNodeAttribute(id, "name");
    const names = this.overlays.lastDoc?.names ?? {};
    return names[id] ?? id;
  }

  /** A sentence of the analysis with every id it mentions read as its name. */
  named(text) {
    return text.replace(/[\p{L}\p{N}][\p{L}\p{N}_.:@-]*/gu, (word) => {
      const name = this.name(word);
      return name === word ? word : name;
    });
  }

  extension() {
    return {
      name: "explain",
      gather: (explorer) => {
        this.pending = this.fetch(explorer.state);
        return this.pending;
      },
      decorate: (picture, data, explorer) => this.decorate(picture, data, explorer),
      panel: (_explorer, data) => this.panel(data),
      pick: (_explorer, id, click) => {
        if (!click?.shiftKey || this.explorer.state.focus === null || id === this.explorer.state.focus) return false;
        this.pathTo(id);
        return true;
      },
    };
  }

  async fetch(state) {
    // A new chosen node starts afresh: the old path's end no longer applies.
    if (state.pathTo !== null && this.anchor !== state.focus) state.pathTo = null;
    this.anchor = state.focus;
    const [explained, path] = await Promise.all([this.explainGap(state), this.path(state)]);
    return { explained, path };
  }

  /** The explain answers for the chosen node when it is a gap of the gaps overlay. */
  async explainGap(state) {
    if (state.overlay !== "gaps" || state.focus === null) return null;
    const overlay = await this.overlays.pending;
    const doc = overlay?.doc;
    const node = doc?.nodes.find((n) => n.id === state.focus);
    if (!node || !node.marks.includes("gap")) return null;
    const professions = doc.relationships
      .filter((r) => r.type === "REQUIRES" && r.target === state.focus && r.marks.includes("gap"))
      .map((r) => r.source);
    const parameters = overlayParameters(state);
    return Promise.all(
      professions.map((profession) =>
        ask(this.explorer, "/api/explain", { ...parameters, profession, competency: state.focus }),
      ),
    );
  }

  async path(state) {
    if (state.pathTo === null || state.focus === null) return null;
    try {
      return { doc: await ask(this.explorer, "/api/path", { a: state.focus, b: state.pathTo }) };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      return { error: error.message };
    }
  }

  decorate(picture, data, explorer) {
    const doc = data?.path?.doc;
    if (!doc || !doc.paths.length) return;
    const named = Object.entries(doc.nodes).map(([id, node]) => ({ id, label: node.label, name: node.name }));
    const links = doc.paths.flatMap((path) => path.links);
    bringIn(picture, named, links, explorer);
    for (const link of links) addLink(picture, link, explorer, { colour: LINK_COLOURS.path, size: 4, pinned: true });
    for (const id of Object.keys(doc.nodes)) {
      const node = picture.nodes.get(id);
      if (node) node.pinned = true;
    }
  }

  panel(data) {
    const body = this.explorer.root.getElementById("details-body");
    if (data?.explained?.length) body.append(...data.explained.map((answer) => this.explainSection(answer)));
    if (data?.path) body.append(this.pathSection(data.path));
    if (document.activeElement !== this.picker.input) {
      this.picker.input.value = this.explorer.state.pathTo ? this.name(this.explorer.state.pathTo) : "";
    }
  }

  explainSection(answer) {
    const names = (id) => this.name(id);
    const summary = answer.near_misses.length
      ? `No active training for ${names(answer.profession)} covers ${names(answer.competency)}.`
      : `No active training for ${names(answer.profession)} covers ${names(answer.competency)}, and nothing comes close.`;
    const section = el(
      "section",
      { class: "details-section explain", "aria-label": `Why ${names(answer.competency)} is a gap` },
      el("h3", { text: `Why this is a gap for ${names(answer.profession)}` }),
      el("p", { text: summary }),
    );
    if (answer.near_misses.length) {
      section.append(
        el("h4", { text: `Near misses: ${answer.near_misses.length}` }),
        el(
          "ul",
          { class: "near-misses" },
          answer.near_misses.map((miss) =>
            el(
              "li",
              {},
              el("strong", { text: miss.title }),
              el("span", { text: `: ${this.named(miss.why)}.` }),
              el("button", {
                type: "button",
                class: "text-button",
                text: "Choose",
                "aria-label": `Choose ${miss.title}`,
                onclick: () => this.explorer.select(miss.event, { centre: true }),
              }),
            ),
          ),
        ),
        el("h4", { text: "What would close it" }),
        el(
          "ul",
          { class: "closing" },
          answer.near_misses.map((miss) => el("li", { text: this.named(closing(miss, answer, names)) })),
        ),
      );
    } else {
      section.append(
        el("h4", { text: "What would close it" }),
        el("p", {
          text: `No active training comes close: ${names(answer.profession)} needs training that covers ${names(answer.competency)}.`,
        }),
      );
    }
    return section;
  }

  pathSection(found) {
    const state = this.explorer.state;
    const section = el(
      "section",
      { class: "details-section path", "aria-label": "Path" },
      el("h3", { text: `Path to ${this.name(state.pathTo)}` }),
    );
    if (found.error) section.append(el("p", { class: "hint", text: found.error }));
    else if (!found.doc.paths.length) {
      section.append(
        el("p", { text: `No chain of at most ${plural(found.doc.max_hops, "relationship")} joins them.` }),
      );
    } else {
      section.append(
        el("p", { text: `${plural(found.doc.hops, "step")}:` }),
        el(
          "ol",
          { class: "path-sentences" },
          found.doc.paths.map((path) => el("li", { text: path.sentence })),
        ),
      );
    }
    section.append(
      el("button", {
        type: "button",
        text: "Clear the path",
        onclick: () => {
          state.pathTo = null;
          this.explorer.update();
        },
      }),
    );
    return section;
  }
}
