// The legend and its filters: a checkbox per node type (with its shape and
// colour) and per relationship type, counted from /api/summary.

import { count } from "./dom.js";

export class Filters {
  /** change({hiddenLabels, hiddenTypes}) is called when a box is ticked or cleared. */
  constructor(root, { change }) {
    this.root = root;
    this.change = change;
    this.labelBoxes = [...root.querySelectorAll("input[data-label]")];
    this.typeBoxes = [...root.querySelectorAll("input[data-type]")];
    for (const box of [...this.labelBoxes, ...this.typeBoxes]) {
      box.addEventListener("change", () => this.changed());
    }
    for (const button of root.querySelectorAll("button[data-show-all]")) {
      button.addEventListener("click", () => {
        const boxes = button.dataset.showAll === "label" ? this.labelBoxes : this.typeBoxes;
        boxes.forEach((box) => (box.checked = true));
        this.changed();
      });
    }
  }

  changed() {
    this.change({
      hiddenLabels: new Set(this.labelBoxes.filter((box) => !box.checked).map((box) => box.dataset.label)),
      hiddenTypes: new Set(this.typeBoxes.filter((box) => !box.checked).map((box) => box.dataset.type)),
    });
  }

  /** Tick the boxes as the state says. */
  set({ hiddenLabels, hiddenTypes }) {
    this.labelBoxes.forEach((box) => (box.checked = !hiddenLabels.has(box.dataset.label)));
    this.typeBoxes.forEach((box) => (box.checked = !hiddenTypes.has(box.dataset.type)));
  }

  /** Counts in the whole graph, from /api/summary. */
  counts(summary) {
    for (const [label, n] of Object.entries(summary.nodes)) {
      const cell = this.root.querySelector(`[data-count-label="${CSS.escape(label)}"]`);
      if (cell) cell.textContent = count(n);
    }
    for (const [type, n] of Object.entries(summary.relationships)) {
      const cell = this.root.querySelector(`[data-count-type="${CSS.escape(type)}"]`);
      if (cell) cell.textContent = count(n);
    }
  }
}
