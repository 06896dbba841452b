// Named views: a view is the page's state (the address's query string without
// the token) with a name, and, when saved here, the camera and where each node
// drawn was (so that moved nodes and a rerun layout come back as they were).
//
// A strategist's own views are kept in the browser's storage (localStorage,
// one list per server address); they can be saved, opened, renamed, deleted,
// exported as a JSON file and imported from one. The file has the format of
// `graphmodel serve SOURCE --views FILE` and `graphmodel slides --views FILE`
// (graphmodel/explore/saved_views.py):
//   {"views": [{"name": "Teachers", "state": "focus=p-teacher&depth=1",
//               "camera": {"x", "y", "ratio"}, "viewport": {"left", "top", "right", "bottom"},
//               "positions": {"p-teacher": [412.5, 230.1], ...}}]}
// (camera, viewport and positions optional).
// The team's shared views come from /api/views: listed, opened and presented,
// never changed. Names are text, never HTML (an imported file is data).

import { getJSON } from "./api.js";
import { el, plural } from "./dom.js";
import { ViewState } from "./state.js";

/** The browser's storage key of the strategist's own views. */
export const STORAGE_KEY = "graphmodel.explorer.views";

/** A one-line problem with a views document (an imported file, the storage). */
export class ViewsFormatError extends Error {}

const VIEW_FIELDS = ["name", "state", "camera", "viewport", "positions"];
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const isNumber = (value) => typeof value === "number" && Number.isFinite(value);

/** A view's optional picture fields, checked (the server's SavedView checks the same). */
function checkPicture(view, where) {
  const picture = {};
  if (view.camera !== undefined) {
    const camera = view.camera;
    if (!isObject(camera) || !["x", "y", "ratio"].every((key) => isNumber(camera[key])) || camera.ratio <= 0) {
      throw new ViewsFormatError(`${where}.camera: must be {x, y, ratio} numbers, ratio above 0`);
    }
    picture.camera = { x: camera.x, y: camera.y, ratio: camera.ratio };
  }
  if (view.viewport !== undefined) {
    const box = view.viewport;
    if (!isObject(box) || !["left", "top", "right", "bottom"].every((key) => isNumber(box[key]))) {
      throw new ViewsFormatError(`${where}.viewport: must be {left, top, right, bottom} numbers`);
    }
    picture.viewport = { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
  }
  if (view.positions !== undefined) {
    if (!isObject(view.positions)) throw new ViewsFormatError(`${where}.positions: must be {id: [x, y]}`);
    for (const [id, place] of Object.entries(view.positions)) {
      if (!Array.isArray(place) || place.length !== 2 || !place.every(isNumber)) {
        throw new ViewsFormatError(`${where}.positions.${id}: must be [x, y] numbers`);
      }
    }
    picture.positions = view.positions;
  }
  return picture;
}

/**
 * Check a views document as `serve --views` does and return its views
 * ([{name, state, camera?, viewport?, positions?}], state without a leading
 * "?"). Throws ViewsFormatError naming the place ("views.2.name: ...").
 */
export function checkViews(document) {
  if (!isObject(document)) throw new ViewsFormatError('not an object holding "views"');
  const extra = Object.keys(document).filter((key) => key !== "views");
  if (extra.length) throw new ViewsFormatError(`${extra[0]}: not a field of a views file`);
  if (!Array.isArray(document.views)) throw new ViewsFormatError("views: must be a list");
  return document.views.map((view, index) => {
    const where = `views.${index}`;
    if (!isObject(view)) throw new ViewsFormatError(`${where}: must be an object with name and state`);
    const unknown = Object.keys(view).filter((key) => !VIEW_FIELDS.includes(key));
    if (unknown.length) throw new ViewsFormatError(`${where}.${unknown[0]}: not a field of a view`);
    if (typeof view.name !== "string" || view.name.length === 0) {
      throw new ViewsFormatError(`${where}.name: must be a text of at least one character`);
    }
    if (typeof view.state !== "string") throw new ViewsFormatError(`${where}.state: must be a text`);
    const state = view.state.replace(/^\?/, "");
    if (new URLSearchParams(state).has("token")) {
      throw new ViewsFormatError(`${where}.state: holds a token; a shared view must not`);
    }
    return { name: view.name, state, ...checkPicture(view, where) };
  });
}

/** Offer a file to the reader (a download of `blob` named `name`). */
export function download(blob, name) {
  const address = URL.createObjectURL(blob);
  const link = el("a", { href: address, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled.
  setTimeout(() => URL.revokeObjectURL(address), 60_000);
}

/**
 * Show the view `query` (a query string, without the token): the state is
 * replaced, the controls follow, and the picture is drawn afresh and framed.
 * With a saved view's `picture` ({camera, positions}), its nodes go back where
 * they were and the camera to where it was. Other features listen for
 * "graphmodel:view-applied" to bring their own controls in line with the new state.
 */
export async function applyView(explorer, query, picture = {}) {
  explorer.state = ViewState.fromSearch(query, explorer.known);
  explorer.handsOn?.use(picture.positions);
  explorer.syncControls();
  explorer.search.input.value = "";
  explorer.search.status.textContent = "";
  explorer.root.dispatchEvent(new CustomEvent("graphmodel:view-applied", { detail: { state: query } }));
  const camera = picture.camera;
  explorer.keptView = camera ? { state: explorer.state.toString(), picture } : null;
  await explorer.update({ reframe: !camera, centre: camera ? null : explorer.state.focus });
  restoreCamera(explorer, picture);
}

/**
 * Set a saved view's camera (renderer.js, savedCamera). The explorer keeps it for
 * as long as its state is the view's: a new frame (an answer view laid out again
 * for another size, as when presenting) shows it again rather than the frame's own.
 */
export function restoreCamera(explorer, picture) {
  if (!picture.camera || !explorer.renderer) return;
  explorer.renderer.savedCamera(picture);
}

/** What a saved view keeps of the picture: the camera, the graph's box on screen, the places. */
export function pictureOf(explorer) {
  const sigma = explorer.renderer?.sigma;
  if (!sigma) return {};
  const { x, y, ratio } = sigma.getCamera().getState();
  const { width, height } = sigma.getDimensions();
  const topLeft = sigma.viewportToGraph({ x: 0, y: 0 });
  const bottomRight = sigma.viewportToGraph({ x: width, y: height });
  const round = (value) => Math.round(value * 1000) / 1000;
  const picture = {
    camera: { x: round(x), y: round(y), ratio: round(ratio) },
    viewport: {
      left: round(topLeft.x),
      top: round(topLeft.y),
      right: round(bottomRight.x),
      bottom: round(bottomRight.y),
    },
  };
  const positions = explorer.handsOn?.snapshot();
  if (positions) picture.positions = positions;
  return picture;
}

/** The strategist's own views in the browser's storage. */
export class ViewStore {
  constructor(storage = window.localStorage) {
    this.storage = storage;
  }

  list() {
    const text = this.storage.getItem(STORAGE_KEY);
    if (!text) return [];
    try {
      return checkViews(JSON.parse(text));
    } catch {
      return []; // a damaged entry is not the reader's problem: start again
    }
  }

  write(views) {
    this.storage.setItem(STORAGE_KEY, JSON.stringify({ views }));
  }

  /** Save (or replace) a view by name; true when one of that name was replaced. */
  save(name, state, picture = {}) {
    const views = this.list();
    const at = views.findIndex((view) => view.name === name);
    const view = { name, state, ...picture };
    if (at >= 0) views[at] = view;
    else views.push(view);
    this.write(views);
    return at >= 0;
  }

  rename(from, to) {
    const views = this.list().filter((view) => view.name !== to || view.name === from);
    const view = views.find((item) => item.name === from);
    if (view) view.name = to;
    this.write(views);
  }

  remove(name) {
    this.write(this.list().filter((view) => view.name !== name));
  }

  /** Add views (an imported file): a view of a name already kept replaces it. */
  merge(incoming) {
    const views = this.list();
    for (const view of incoming) {
      const at = views.findIndex((item) => item.name === view.name);
      if (at >= 0) views[at] = view;
      else views.push(view);
    }
    this.write(views);
  }

  /** The export file's text: the views file format, one view a line or so. */
  exportText() {
    return `${JSON.stringify({ views: this.list() }, null, 2)}\n`;
  }
}

/** The Views panel: save, open, rename, delete, export, import, the shared list, presenting. */
export class ViewsPanel {
  constructor(root, explorer, { present }) {
    this.root = root;
    this.explorer = explorer;
    this.store = new ViewStore();
    this.shared = [];
    this.present = present;
    this.form = root.getElementById("save-view");
    this.nameInput = root.getElementById("view-name");
    this.ownList = root.getElementById("own-views");
    this.sharedSection = root.getElementById("shared-views");
    this.sharedList = this.sharedSection.querySelector("ul");
    this.status = root.getElementById("views-status");
    this.importInput = root.getElementById("import-views");
    this.presentButton = root.getElementById("present-views");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveCurrent();
    });
    root.getElementById("export-views").addEventListener("click", () => this.exportViews());
    this.importInput.addEventListener("change", () => this.importViews());
    this.presentButton.addEventListener("click", () => this.present(this.all()));
    this.render();
  }

  /** Fetch the team's shared views (serve --views); an older server has none. */
  async loadShared() {
    try {
      this.shared = checkViews(await getJSON("/api/views"));
    } catch (error) {
      this.shared = [];
      this.say(`The shared views could not be read: ${error.message}`);
    }
    this.render();
  }

  /** Every view, in the order a presentation shows them: the team's, then one's own. */
  all() {
    return [...this.shared.map((view) => ({ ...view, shared: true })), ...this.store.list()];
  }

  say(text) {
    this.status.textContent = text;
  }

  saveCurrent() {
    const name = this.nameInput.value.trim();
    if (!name) {
      this.say("Give the view a name first.");
      this.nameInput.focus();
      return;
    }
    const replaced = this.store.save(name, this.explorer.state.toString(), pictureOf(this.explorer));
    this.nameInput.value = "";
    this.render();
    this.say(replaced ? `View “${name}” replaced by what is shown now.` : `View “${name}” saved.`);
  }

  open(view) {
    this.say(`Showing “${view.name}”.`);
    return applyView(this.explorer, view.state, view);
  }

  exportViews() {
    const views = this.store.list();
    download(new Blob([this.store.exportText()], { type: "application/json" }), "graphmodel-views.json");
    this.say(`Exported ${plural(views.length, "view")} to graphmodel-views.json.`);
  }

  async importViews() {
    const file = this.importInput.files?.[0];
    if (!file) return;
    try {
      let document;
      try {
        document = JSON.parse(await file.text());
      } catch (error) {
        throw new ViewsFormatError(`not JSON (${error.message})`);
      }
      const views = checkViews(document);
      this.store.merge(views);
      this.render();
      this.say(`Imported ${plural(views.length, "view")} from ${file.name}.`);
    } catch (error) {
      this.say(`${file.name}: ${error.message}`);
    } finally {
      this.importInput.value = "";
    }
  }

  /** Turn a view's row into a name box: Enter keeps the new name, Escape goes back. */
  startRename(item, view) {
    const input = el("input", {
      type: "text",
      value: view.name,
      "aria-label": `New name for the view “${view.name}”`,
      class: "rename-input",
    });
    const finish = (keep) => {
      const name = input.value.trim();
      if (keep && name && name !== view.name) {
        this.store.rename(view.name, name);
        this.say(`View “${view.name}” renamed “${name}”.`);
      }
      this.render();
      this.ownList.querySelector(`button[data-view-open="${CSS.escape(keep && name ? name : view.name)}"]`)?.focus();
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        finish(true);
      } else if (event.key === "Escape") {
        event.preventDefault();
        finish(false);
      }
    });
    const keep = el("button", { type: "button", text: "Keep", onclick: () => finish(true) });
    const cancel = el("button", { type: "button", text: "Cancel", onclick: () => finish(false) });
    item.replaceChildren(input, el("span", { class: "view-actions" }, keep, cancel));
    input.focus();
    input.select();
  }

  viewItem(view, { shared }) {
    const item = el("li", { class: "view-item" });
    const open = el("button", {
      type: "button",
      class: "view-open text-button",
      text: view.name,
      title: view.state ? `Show this view (${view.state})` : "Show this view (the overview as it opens)",
      dataset: { viewOpen: view.name },
      onclick: () => this.open(view),
    });
    item.append(open);
    if (shared) {
      item.append(el("span", { class: "shared-tag", text: "shared" }));
    } else {
      item.append(
        el(
          "span",
          { class: "view-actions" },
          el("button", {
            type: "button",
            text: "Rename",
            "aria-label": `Rename the view “${view.name}”`,
            onclick: () => this.startRename(item, view),
          }),
          el("button", {
            type: "button",
            text: "Delete",
            "aria-label": `Delete the view “${view.name}”`,
            onclick: () => {
              this.store.remove(view.name);
              this.render();
              this.say(`View “${view.name}” deleted.`);
              this.nameInput.focus();
            },
          }),
        ),
      );
    }
    return item;
  }

  render() {
    const own = this.store.list();
    this.ownList.replaceChildren(...own.map((view) => this.viewItem(view, { shared: false })));
    this.root.getElementById("no-own-views").hidden = own.length > 0;
    this.sharedSection.hidden = this.shared.length === 0;
    this.sharedList.replaceChildren(...this.shared.map((view) => this.viewItem(view, { shared: true })));
    this.presentButton.disabled = this.all().length === 0;
  }
}
