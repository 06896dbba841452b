// Presentation mode: the views one after another, for a board meeting.
//
// The picture fills the screen (full screen where the browser allows it), with
// a bar across the top saying which view is shown ("2 of 5"), its name and a
// summary line (the answer's: "3 gaps and 6 covered, of 9 requirements"), and
// the legend beside the drawing (node types drawn, the overlay's marks, the
// communities). Each view comes back with its saved camera and node places.
// Next and Previous (buttons, or the Right/Left arrow keys, Page Down/Up,
// Space; Home and End for the first and last) step through them, and Escape
// (or Leave, or leaving full screen) ends the presentation and gives the page
// back as it was before.

import { el } from "./dom.js";
import { pictureFacts, shapePoints } from "./picture.js";
import { MARK_STYLES } from "./marks.js";
import { communitySwatch } from "./communities.js";
import { applyView, restoreCamera } from "./views.js";

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

const SVG = "http://www.w3.org/2000/svg";

/** Longer than answers.js waits for the drawing's size to settle before laying out again. */
const RELAYOUT_MILLISECONDS = 300;

function swatch(build) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "-10 -10 20 20");
  svg.setAttribute("class", "swatch");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.append(build());
  return svg;
}

function typeSwatch(shape, colour) {
  return swatch(() => {
    const points = shapePoints(shape, 0, 0, 7);
    const item = document.createElementNS(SVG, points ? "polygon" : "circle");
    if (points) item.setAttribute("points", points.map((p) => p.join(",")).join(" "));
    else item.setAttribute("r", "8");
    item.setAttribute("fill", colour);
    item.setAttribute("stroke", "#2b2f36");
    item.setAttribute("stroke-width", "1");
    return item;
  });
}

function markSwatchOf(mark) {
  const style = MARK_STYLES[mark] ?? MARK_STYLES.touched;
  return swatch(() => {
    const circle = document.createElementNS(SVG, "circle");
    circle.setAttribute("r", "7");
    circle.setAttribute("fill", style.fill ?? "#ffffff");
    circle.setAttribute("stroke", style.outline);
    circle.setAttribute("stroke-width", "3");
    return circle;
  });
}

export class Presentation {
  constructor(root, explorer) {
    this.root = root;
    this.explorer = explorer;
    this.bar = root.getElementById("presentation");
    this.position = root.getElementById("presentation-position");
    this.title = root.getElementById("presentation-title");
    this.summary = root.getElementById("presentation-summary");
    this.legend = root.getElementById("presentation-legend");
    this.previousButton = root.getElementById("presentation-previous");
    this.nextButton = root.getElementById("presentation-next");
    this.views = [];
    this.at = -1;
    this.before = null; // the state shown before presenting, and who had the keyboard
    this.beforePositions = null;
    this.returnFocus = null;
    this.previousButton.addEventListener("click", () => this.go(this.at - 1));
    this.nextButton.addEventListener("click", () => this.go(this.at + 1));
    root.getElementById("presentation-leave").addEventListener("click", () => this.leave());
    root.addEventListener("keydown", (event) => this.key(event));
    // Leaving the browser's full screen (its own Escape) ends the presentation too.
    root.addEventListener("fullscreenchange", () => {
      if (!root.fullscreenElement && this.active && this.fullScreen) this.leave();
    });
    this.fullScreen = false;
  }

  get active() {
    return this.at >= 0;
  }

  /** Start presenting `views` ([{name, state, shared?, camera?, positions?}]) from the first. */
  start(views) {
    if (!views.length) return Promise.resolve();
    this.views = views;
    this.before = this.explorer.state.toString();
    this.beforePositions = this.explorer.handsOn?.snapshotMoved() ?? null;
    this.returnFocus = this.root.activeElement;
    this.bar.hidden = false;
    this.legend.hidden = false;
    this.root.body.classList.add("presenting");
    this.requestFullScreen();
    this.resize();
    const shown = this.go(0);
    this.nextButton.focus();
    return shown;
  }

  /** Full screen where the browser allows it (it needs the click that started this). */
  requestFullScreen() {
    const page = this.root.documentElement;
    if (!page.requestFullscreen || this.root.fullscreenElement) return;
    page
      .requestFullscreen({ navigationUI: "hide" })
      .then(() => {
        this.fullScreen = true;
        this.resize();
      })
      .catch(() => {
        this.fullScreen = false; // the page still fills the window
      });
  }

  async go(index) {
    if (!this.active && this.views.length === 0) return;
    const at = Math.max(0, Math.min(this.views.length - 1, index));
    if (at === this.at) return;
    this.at = at;
    const view = this.views[at];
    this.position.textContent = `View ${at + 1} of ${this.views.length}${view.shared ? " (shared)" : ""}`;
    this.title.textContent = view.name;
    this.summary.textContent = "";
    this.previousButton.disabled = at === 0;
    this.nextButton.disabled = at === this.views.length - 1;
    await applyView(this.explorer, view.state, view);
    await this.settle(view);
    if (this.at !== at) return;
    this.describe();
    // The legend filled in may narrow the drawing, and an answer view is laid out again:
    // the summary line shows once the picture has settled with the view's camera.
    const line = this.summary.textContent;
    this.summary.textContent = "";
    await this.settle(view);
    if (this.at === at) this.summary.textContent = line;
  }

  /**
   * The drawing fills the screen once presenting starts, and an answer view is laid
   * out again for a new size (answers.js, after its size settles): once the page is
   * idle after that, the view's saved camera is set again, so the zoom is the view's.
   */
  async settle(view) {
    if (!view.camera) return;
    await new Promise((resolve) => window.setTimeout(resolve, RELAYOUT_MILLISECONDS));
    await this.explorer.whenIdle();
    if (this.views[this.at] !== view) return;
    restoreCamera(this.explorer, view);
  }

  /** The summary line and the legend of the view shown, from what the page holds. */
  describe() {
    const facts = pictureFacts(this.explorer, { title: this.title.textContent });
    this.summary.textContent = facts.summary;
    const sections = [];
    const section = (heading, items) => {
      if (!items.length) return;
      sections.push(el("h2", { text: heading }), el("ul", {}, ...items));
    };
    section(
      "Node types",
      facts.types.map((type) => el("li", {}, typeSwatch(type.shape, type.colour), el("span", { text: type.name }))),
    );
    section(
      "Marks",
      facts.marks.map((entry) =>
        el("li", {}, markSwatchOf(entry.mark), el("span", {}, el("strong", { text: entry.mark }), `: ${entry.text}`)),
      ),
    );
    section(
      "Communities",
      facts.communities.map((community) =>
        el("li", {}, communitySwatch(community.colour), el("span", { text: `${community.id}. ${community.name}` })),
      ),
    );
    this.legend.replaceChildren(...sections);
  }

  /** Back to the page as it was before the presentation. */
  leave() {
    if (!this.active) return Promise.resolve();
    this.at = -1;
    this.views = [];
    this.bar.hidden = true;
    this.legend.hidden = true;
    this.root.body.classList.remove("presenting");
    if (this.root.fullscreenElement) this.root.exitFullscreen?.().catch(() => {});
    this.fullScreen = false;
    this.resize();
    const shown = applyView(this.explorer, this.before ?? "", { positions: this.beforePositions });
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
