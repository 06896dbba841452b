// Showcase and focus (Kumu's): fade what is not selected instead of hiding
// it, and focus on the chosen node, stepping out one degree at a time.
//
// Focus mode (step=N) keeps the chosen node and what lies at most N
// relationships from it in the drawing; the rest is hidden, or faded when
// showcase is on (fade=true). Showcase alone fades what the analyses did not
// select (an overlay's, a path's or a what-if's nodes), or, with none of
// those, everything but the chosen node and its neighbours.
//
// Keys, anywhere outside a text box or list: "+" (or "=") steps out, "-"
// steps in, "0" leaves focus mode.
//
// URL: fade=true, step=N (0 to 9).

import { plural } from "./dom.js";
import { fade } from "./marks.js";
import { registerField } from "./state.js";

export const MAX_STEP = 9;
const FADED_EDGE = "#8d96a026";

registerField({
  name: "fade",
  initial: () => false,
  read: (params) => params.get("fade") === "true",
  write: (value, params) => value && params.set("fade", "true"),
});
registerField({
  name: "step",
  initial: () => null,
  read: (params) => {
    const text = params.get("step");
    return text !== null && /^\d$/.test(text) ? Number(text) : null;
  },
  write: (value, params, _known, state) => value !== null && state?.focus && params.set("step", String(value)),
});

/** Nodes at most `steps` relationships from `start` (either direction) in the picture. */
export function within(picture, start, steps) {
  const neighbours = new Map();
  for (const edge of picture.edges.values()) {
    for (const [a, b] of [
      [edge.source, edge.target],
      [edge.target, edge.source],
    ]) {
      if (!neighbours.has(a)) neighbours.set(a, []);
      neighbours.get(a).push(b);
    }
  }
  const reached = new Set([start]);
  let ring = [start];
  for (let step = 0; step < steps && ring.length; step += 1) {
    const next = [];
    for (const node of ring) {
      for (const other of neighbours.get(node) ?? []) {
        if (!reached.has(other)) {
          reached.add(other);
          next.push(other);
        }
      }
    }
    ring = next;
  }
  return reached;
}

function isTyping(target) {
  return Boolean(
    target?.closest?.(
      "input:not([type=checkbox]):not([type=radio]), textarea, select, [role=listbox], [role=slider], [contenteditable]",
    ),
  );
}

export class FocusMode {
  /** layers: the names of the extensions whose nodes count as selected for showcase. */
  constructor(explorer, layers) {
    this.explorer = explorer;
    this.layers = layers;
    const root = explorer.root;
    this.showcase = root.getElementById("showcase");
    this.status = root.getElementById("focus-status");
    this.outButton = root.getElementById("focus-out");
    this.inButton = root.getElementById("focus-in");
    this.leaveButton = root.getElementById("focus-leave");
    this.showcase.addEventListener("change", () => {
      explorer.state.fade = this.showcase.checked;
      explorer.update();
    });
    this.outButton.addEventListener("click", () => this.stepOut());
    this.inButton.addEventListener("click", () => this.stepIn());
    this.leaveButton.addEventListener("click", () => this.leave());
    root.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const action = {
        "+": () => this.stepOut(),
        "=": () => this.stepOut(),
        "-": () => this.stepIn(),
        0: () => this.leave(),
      }[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    });
    this.shown = null;
  }

  stepOut() {
    const state = this.explorer.state;
    if (state.focus === null) {
      this.status.textContent = "Choose a node first: focus mode steps out from it.";
      return this.explorer.queue;
    }
    state.step = state.step === null ? 1 : Math.min(MAX_STEP, state.step + 1);
    return this.explorer.update();
  }

  stepIn() {
    const state = this.explorer.state;
    if (state.step === null || state.focus === null) return this.explorer.queue;
    state.step = Math.max(0, state.step - 1);
    return this.explorer.update();
  }

  leave() {
    if (this.explorer.state.step === null) return this.explorer.queue;
    this.explorer.state.step = null;
    return this.explorer.update();
  }

  extension() {
    return {
      name: "focus-mode",
      decorate: (picture, _data, explorer) => this.decorate(picture, explorer),
      panel: () => this.panel(),
    };
  }

  /** The nodes the analyses selected (their answers, as gathered for this update). */
  selectedByAnalyses(picture) {
    const selected = new Set();
    for (const layer of this.layers) {
      const data = this.explorer.extensionData.get(layer);
      for (const node of data?.doc?.nodes ?? []) selected.add(node.id);
      for (const node of data?.named ?? []) selected.add(node.id);
      if (data?.hypothetical) selected.add(data.hypothetical.id);
      for (const id of Object.keys(data?.path?.doc?.nodes ?? {})) selected.add(id);
    }
    return new Set([...selected].filter((id) => picture.nodes.has(id)));
  }

  decorate(picture, explorer) {
    const state = explorer.state;
    const focus = state.focus !== null && picture.nodes.has(state.focus) ? state.focus : null;
    let selected = null;
    let hide = false;
    if (state.step !== null && focus !== null) {
      selected = within(picture, focus, state.step);
      hide = !state.fade;
    } else if (state.fade) {
      selected = this.selectedByAnalyses(picture);
      if (!selected.size && focus !== null) selected = within(picture, focus, 1);
      if (!selected.size) selected = null;
    }
    this.shown = selected === null ? null : { count: selected.size, hide };
    if (selected === null) return;
    if (focus !== null) selected.add(focus);
    for (const [id, node] of picture.nodes) {
      if (selected.has(id)) continue;
      if (hide) {
        picture.nodes.delete(id);
        continue;
      }
      node.color = fade(node.color);
      node.outlineColor = fade(node.outlineColor);
      node.caption = "";
      node.pinned = false;
      node.faded = true;
    }
    for (const [key, edge] of picture.edges) {
      const kept = selected.has(edge.source) && selected.has(edge.target);
      if (kept) continue;
      if (hide) picture.edges.delete(key);
      else {
        edge.color = FADED_EDGE;
        edge.pinned = false;
        edge.dashGap = 0;
      }
    }
  }

  panel() {
    const state = this.explorer.state;
    if (document.activeElement !== this.showcase) this.showcase.checked = state.fade;
    const focusing = state.step !== null && state.focus !== null;
    this.inButton.disabled = !focusing;
    this.leaveButton.disabled = !focusing;
    if (focusing) {
      const name = this.explorer.graph.hasNode(state.focus)
        ? this.explorer.graph.getNodeAttribute(state.focus, "name")
        : state.focus;
      const around = state.step === 0 ? "alone" : `and ${plural(state.step, "step")} out`;
      const what = this.shown ? `: ${plural(this.shown.count, "node")}` : "";
      this.status.textContent = `Focus on ${name} ${around}${what}, the rest ${state.fade ? "faded" : "hidden"}.`;
    } else if (state.fade && this.shown) {
      this.status.textContent = `Showcase: ${plural(this.shown.count, "node")} selected, the rest faded.`;
    } else {
      this.status.textContent = "";
    }
  }
}
