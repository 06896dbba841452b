// Presentation mode: the views one after another, for a board meeting.
//
// A bar across the top says which view is shown ("2 of 5") and its name;
// Next and Previous (buttons, or the Right/Left arrow keys, Page Down/Up,
// Space; Home and End for the first and last) step through them, and
// Escape (or Leave) ends the presentation and gives the page back as it was
// before. The side panels are folded away so the drawing takes the room.

import { applyView } from "./views.js";

/** Keys that step through the views, and where to. */
const STEPS = {
  ArrowRight: (at) => at + 1,
  PageDown: (at) => at + 1,
  " ": (at) => at + 1,
  ArrowLeft: (at) => at - 1,
  PageUp: (at) => at - 1,
  Home: () => 0,
  End: (_, count) => count - 1,
};

export class Presentation {
  constructor(root, explorer) {
    this.root = root;
    this.explorer = explorer;
    this.bar = root.getElementById("presentation");
    this.position = root.getElementById("presentation-position");
    this.title = root.getElementById("presentation-title");
    this.previousButton = root.getElementById("presentation-previous");
    this.nextButton = root.getElementById("presentation-next");
    this.views = [];
    this.at = -1;
    this.before = null; // the state shown before presenting, and who had the keyboard
    this.returnFocus = null;
    this.previousButton.addEventListener("click", () => this.go(this.at - 1));
    this.nextButton.addEventListener("click", () => this.go(this.at + 1));
    root.getElementById("presentation-leave").addEventListener("click", () => this.leave());
    root.addEventListener("keydown", (event) => this.key(event));
  }

  get active() {
    return this.at >= 0;
  }

  /** Start presenting `views` ([{name, state, shared?}]) from the first. */
  start(views) {
    if (!views.length) return Promise.resolve();
    this.views = views;
    this.before = this.explorer.state.toString();
    this.returnFocus = this.root.activeElement;
    this.bar.hidden = false;
    this.root.body.classList.add("presenting");
    this.resize();
    const shown = this.go(0);
    this.nextButton.focus();
    return shown;
  }

  go(index) {
    if (!this.active && this.views.length === 0) return Promise.resolve();
    const at = Math.max(0, Math.min(this.views.length - 1, index));
    if (at === this.at) return Promise.resolve();
    this.at = at;
    const view = this.views[at];
    this.position.textContent = `View ${at + 1} of ${this.views.length}${view.shared ? " (shared)" : ""}`;
    this.title.textContent = view.name;
    this.previousButton.disabled = at === 0;
    this.nextButton.disabled = at === this.views.length - 1;
    return applyView(this.explorer, view.state);
  }

  /** Back to the page as it was before the presentation. */
  leave() {
    if (!this.active) return Promise.resolve();
    this.at = -1;
    this.views = [];
    this.bar.hidden = true;
    this.root.body.classList.remove("presenting");
    this.resize();
    const shown = applyView(this.explorer, this.before ?? "");
    (this.returnFocus && this.root.contains(this.returnFocus) ? this.returnFocus : this.root.body).focus?.();
    return shown;
  }

  key(event) {
    if (!this.active || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      event.preventDefault();
      this.leave();
      return;
    }
    // Keys typed into a box or a list, or moving through the table, stay theirs.
    const target = event.target;
    if (target.closest?.("input, select, textarea, #nodes-shown, [role=listbox]")) return;
    if (event.key === " " && target.closest?.("button")) return; // Space presses the button
    const step = STEPS[event.key];
    if (step) {
      event.preventDefault();
      this.go(step(this.at, this.views.length));
    }
  }

  /** The drawing's box changes size with the panels: tell sigma. */
  resize() {
    const sigma = this.explorer.renderer?.sigma;
    if (sigma) {
      sigma.resize();
      sigma.refresh();
    }
  }
}
