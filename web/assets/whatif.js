// What if: a driver not in the data yet, as text (/api/links?text=..., the
// command `links --text`). Its matches and the initiatives that should
// respond to it appear on the picture as hypothetical: a white driver shape
// with a purple outline, dashed links, and the word "hypothetical" after the
// names, in the legend and in the table.
//
// URL: what_if=TEXT.

import { ApiError } from "./api.js";
import { el, plural } from "./dom.js";
import { LINK_COLOURS, addLink, ask, bringIn, linkSwatch, markNode, markSwatch } from "./marks.js";
import { windowParameters } from "./overlays.js";
import { registerField } from "./state.js";

/** The hypothetical driver's id: ";" is in no node id of the model. */
export const HYPOTHETICAL = "hypothetical;driver";
const NAME_LENGTH = 60;

registerField({
  name: "whatIf",
  initial: () => null,
  read: (params) => (params.get("what_if") ?? "").trim() || null,
  write: (value, params) => value && params.set("what_if", value),
});

export class WhatIf {
  constructor(explorer) {
    this.explorer = explorer;
    this.pending = Promise.resolve(null);
    const root = explorer.root;
    this.text = root.getElementById("whatif-text");
    this.status = root.getElementById("whatif-status");
    this.legend = root.getElementById("whatif-legend");
    root.getElementById("whatif-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const state = this.explorer.state;
      state.whatIf = this.text.value.trim() || null;
      // A new question: its answer view replaces the overlay's.
      if (state.whatIf) state.overlay = null;
      this.explorer.update();
    });
    // Enter submits (Shift+Enter for a new line), as in a search box.
    this.text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        root.getElementById("whatif-form").requestSubmit();
      }
    });
    root.getElementById("whatif-clear").addEventListener("click", () => {
      this.text.value = "";
      this.explorer.state.whatIf = null;
      this.explorer.update();
    });
  }

  extension() {
    return {
      name: "whatif",
      gather: (explorer) => {
        this.pending = this.fetch(explorer.state);
        return this.pending;
      },
      decorate: (picture, data, explorer) => this.decorate(picture, data, explorer),
      highlight: (_explorer, data) => new Map([...(data?.marked ?? [])].map((id) => [id, ["hypothetical"]])),
      panel: (_explorer, data) => this.panel(data),
    };
  }

  async fetch(state) {
    if (!state.whatIf) return null;
    try {
      const doc = await ask(this.explorer, "/api/links", { text: state.whatIf, ...windowParameters(state) });
      const existing = this.existing(doc, state.whatIf);
      if (existing) return { doc, existing, marked: new Set() };
      return { doc, ...this.links(doc, state.whatIf) };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      return { error: `No what-if: ${error.message}.` };
    }
  }

  /** A driver already in the data that the text names (its id, or its name), or null. */
  existing(doc, text) {
    const plain = (words) =>
      words
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, " ")
        .trim();
    const wanted = plain(text);
    return (
      (doc.matched.drivers ?? []).find(
        (driver) => driver.id === text.trim() || plain(driver.name) === wanted || driver.similarity >= 0.95,
      ) ?? null
    );
  }

  /** The hypothetical driver as a node document (it is in no graph: the details say what it is). */
  describe(id) {
    const data = this.explorer.extensionData.get("whatif");
    const text = this.explorer.state.whatIf;
    if (id !== HYPOTHETICAL || !text) return null;
    return {
      id,
      label: "Driver",
      name: data?.hypothetical?.name ?? `What if: ${text}`,
      properties: { description: text, status: "hypothetical: not in the data" },
      degree: data?.links ? { MATCHES: data.links.filter((l) => l.type === "MATCHES").length } : {},
      hypothetical: true,
    };
  }

  /** The hypothetical node, the nodes it brings and its links, from the links answer. */
  links(doc, text) {
    const names = doc.names ?? {};
    const named = new Map();
    const links = [];
    const marked = new Set([HYPOTHETICAL]);
    for (const matches of Object.values(doc.matched)) {
      for (const match of matches) {
        named.set(match.id, { id: match.id, label: match.label, name: match.name });
        links.push({ source: HYPOTHETICAL, type: "MATCHES", target: match.id, score: match.similarity });
        marked.add(match.id);
      }
    }
    for (const candidate of doc.candidates) {
      named.set(candidate.initiative, { id: candidate.initiative, label: "Initiative", name: candidate.title });
      links.push({
        source: candidate.initiative,
        type: "SUGGESTED_RESPONSE",
        target: HYPOTHETICAL,
        score: candidate.score,
      });
      marked.add(candidate.initiative);
    }
    const title = text.length > NAME_LENGTH ? `${text.slice(0, NAME_LENGTH - 1)}…` : text;
    const hypothetical = { id: HYPOTHETICAL, label: "Driver", name: `What if: ${title}` };
    return { hypothetical, named: [...named.values()], links, marked, names };
  }

  decorate(picture, data, explorer) {
    if (!data?.doc || data.existing) return;
    // The real nodes first, then the new driver next to its best match (an answer view has them).
    if (!explorer.overview?.answer) {
      bringIn(picture, data.named, [], explorer);
      bringIn(picture, [data.hypothetical], data.links, explorer);
    }
    for (const link of data.links) {
      addLink(picture, { source: link.source, type: link.type, target: link.target, properties: {} }, explorer, {
        colour: LINK_COLOURS.MATCHES,
        size: 2.5,
        caption: `hypothetical ${link.type === "MATCHES" ? "match" : "response"} ${Number(link.score).toFixed(2)}`,
        pinned: true,
        dashed: true,
      });
    }
    for (const id of data.marked) markNode(picture, id, ["hypothetical"]);
  }

  panel(data) {
    const state = this.explorer.state;
    if (document.activeElement !== this.text) this.text.value = state.whatIf ?? "";
    let text = "";
    this.status.replaceChildren();
    if (data?.existing) {
      const driver = data.existing;
      this.status.append(
        `“${driver.name}” is already in the data (${driver.id}): its reach shows who responds and who should. `,
        el("button", {
          type: "button",
          class: "text-button",
          text: "Show its reach",
          onclick: () => {
            state.whatIf = null;
            state.overlay = "reach";
            state.driver = driver.id;
            this.explorer.update();
          },
        }),
      );
      this.legend.hidden = true;
      this.legend.replaceChildren();
      return;
    }
    if (data?.error) text = data.error;
    else if (data?.doc) {
      const matched = data.doc.summary.matched;
      text = `Hypothetical: ${plural(matched, "match", "matches")} and ${plural(data.doc.candidates.length, "initiative")} that could respond.`;
    }
    this.status.textContent = text;
    this.legend.hidden = !data?.doc;
    this.legend.replaceChildren(
      ...(data?.doc && !data.existing
        ? [
            el(
              "li",
              {},
              markSwatch("hypothetical"),
              el(
                "span",
                {},
                el("strong", { text: "hypothetical" }),
                ": the new driver, what its text matches, and initiatives that could respond",
              ),
            ),
            el(
              "li",
              {},
              linkSwatch(LINK_COLOURS.MATCHES, true),
              el(
                "span",
                {},
                el("strong", { text: "dashed" }),
                ": a hypothetical link (a match's similarity, a response's score)",
              ),
            ),
          ]
        : []),
    );
  }
}
