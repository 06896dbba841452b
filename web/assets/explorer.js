// The explorer: the view's state, the API's answers, the drawing and the
// panels, kept in step.
//
// Every action changes the state (state.js) and asks for an update; an update
// gathers the answers the state needs (the overview, the focus, each
// expansion), composes the picture (scene.js), brings the drawing to it,
// then refreshes the filters' effect, the table, the details and the address
// bar. Updates run one after another, so quick clicks never interleave.
//
// Later features (the analyses' overlays, a time window) hook in without
// touching this flow: registerField() (state.js) for their URL parameters,
// and addExtension() for what they fetch, how they mark the picture and the
// words they put in the table's highlight column. hooks() exposes the
// explorer to tests and benchmarks.

import { MultiGraph } from "./vendor.js";
import { Api, ApiError } from "./api.js";
import { DetailsPanel } from "./details.js";
import { count, el, plural } from "./dom.js";
import { Filters } from "./filters.js";
import { Renderer, SHAPES } from "./renderer.js";
import { Scene, compose } from "./scene.js";
import { SearchBox } from "./search.js";
import { ViewState } from "./state.js";
import { NodesTable } from "./table.js";
import { HIGHLIGHT_WORDS, useMarks } from "./marks.js";

/** Neighbours asked for at a time. */
export const PAGE_SIZE = 100;

/** Two steps out from the focus: at most this many neighbours of each first-step node. */
export const SECOND_STEP_LIMIT = 20;

/** The highlight words (graphmodel/marks.py), in the order the table lists them. */
export { HIGHLIGHT_WORDS } from "./marks.js";

const GROUP_PREFIX = "group;";

function isGroup(id) {
  return id.startsWith(GROUP_PREFIX);
}

/** "TrainingEvent" -> "Training event". */
function words(label) {
  const spaced = label.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Each node type's colour, shape, names and legend swatch, as the page's legend holds them. */
function readStyles(root) {
  const styles = new Map();
  for (const item of root.querySelectorAll(".legend-item")) {
    const label = item.dataset.label;
    styles.set(label, {
      colour: item.dataset.colour,
      shape: SHAPES[item.dataset.shape] ?? "circle",
      name: item.dataset.name,
      singular: label === "Driver" ? "Policy driver" : words(label),
      swatch: item.querySelector("svg"),
    });
  }
  return styles;
}

export class Explorer {
  constructor(root) {
    this.root = root;
    this.api = new Api();
    this.styles = readStyles(root);
    this.known = {
      labels: [...this.styles.keys()],
      types: [...root.querySelectorAll("input[data-type]")].map((box) => box.dataset.type),
    };
    this.state = ViewState.fromSearch(window.location.search, this.known);
    this.graph = new MultiGraph();
    this.scene = new Scene(this.graph);
    this.renderer = null;
    /** @type {{state: string, picture: any} | null} a saved view shown: its camera, kept while its state is */
    this.keptView = null;
    this.summary = null;
    this.overview = null;
    this.focusDoc = null;
    this.focusPage = null;
    this.sceneProvider = null;
    this.hypothetical = null;
    this.groupNames = new Map();
    this.notices = [];
    this.extensions = [];
    this.extensionData = new Map();
    this.addExtension({
      name: "focus",
      highlight: (explorer) => new Map(explorer.state.focus ? [[explorer.state.focus, ["focus"]]] : []),
    });
    this.queue = Promise.resolve();
    this.firstFrame = null;
    this.error = null;
    this.updates = 0;
    this.visible = { nodes: [], edges: [] };

    this.container = root.getElementById("graph");
    this.statusLine = root.getElementById("graph-status");
    this.table = new NodesTable(root.getElementById("nodes-shown"), {
      filter: root.getElementById("nodes-filter"),
      choose: (id) => this.select(id, { centre: true }),
    });
    this.details = new DetailsPanel(root.getElementById("details-body"), this.styles, {
      open: (id) => this.open(id),
      more: (id) => this.more(id),
      close: (id) => this.close(id),
      expandGroup: (id) => this.expandGroup(id),
      centre: (id) => this.renderer?.centreOn(id),
      choose: (id) => this.select(id, { centre: true }),
    });
    this.filters = new Filters(root.querySelector(".controls"), {
      change: ({ hiddenLabels, hiddenTypes }) => {
        this.state.hiddenLabels = hiddenLabels;
        this.state.hiddenTypes = hiddenTypes;
        this.update();
      },
    });
    this.search = new SearchBox(
      root.getElementById("search"),
      root.getElementById("search-results"),
      root.getElementById("search-status"),
      this.api,
      {
        choose: (result) => this.select(result.id, { centre: true }),
        typeNames: new Map([...this.styles].map(([label, style]) => [label, style.singular])),
      },
    );
    this.bindControls();
  }

  bindControls() {
    const root = this.root;
    root.getElementById("zoom-in").addEventListener("click", () => this.renderer?.zoom(1.6));
    root.getElementById("zoom-out").addEventListener("click", () => this.renderer?.zoom(1 / 1.6));
    root.getElementById("fit").addEventListener("click", () => this.renderer?.fit(this.visible.nodes));
    root.getElementById("reset").addEventListener("click", () => this.reset());
    this.maxNodes = root.getElementById("max-nodes");
    this.maxNodes.addEventListener("change", () => {
      this.state.maxNodes = Number(this.maxNodes.value);
      this.state.expand = [];
      this.update({ reframe: true });
    });
    this.depth = root.getElementById("depth");
    this.depth.addEventListener("change", () => {
      this.state.depth = Number(this.depth.value);
      this.update({ centre: this.state.focus });
    });
  }

  /** Show the controls as the state says (after a reset, or on opening). */
  syncControls() {
    const state = this.state;
    this.filters.set(state);
    if (![...this.maxNodes.options].some((option) => Number(option.value) === state.maxNodes)) {
      this.maxNodes.append(el("option", { value: state.maxNodes, text: `up to ${count(state.maxNodes)} nodes` }));
    }
    this.maxNodes.value = String(state.maxNodes);
    this.depth.value = String(state.depth);
  }

  start() {
    this.syncControls();
    // Ask first, then build the drawing while the server answers: compiling
    // the WebGL programs is the slowest part of opening in software GL.
    this.api.marks().catch(() => null);
    const answering = this.state.overlay || this.state.whatIf || this.state.pathTo;
    if (!answering || this.state.context === "all") {
      this.api.overview(this.overviewQuestion(this.state)).catch(() => null);
    }
    this.renderer = new Renderer(this.container, this.graph, {
      select: (id, click) => this.pick(id, click),
      open: (id) => this.openFromDrawing(id),
    });
    performance.mark("explorer:webgl");
    this.ready = this.update({ centre: this.state.focus, first: true });
    // The counts (legend, caption) once the picture is up: the server reads
    // the whole graph for them, which would only delay the overview.
    this.ready
      .then(() => this.api.summary())
      .then((summary) => {
        this.summary = summary;
        this.filters.counts(summary);
        this.table.caption(this.totalNodes());
      })
      .catch((error) => this.fail(error));
    return this.ready;
  }

  // -- actions ---------------------------------------------------------------------

  select(id, { centre = false } = {}) {
    this.state.focus = id;
    return this.update({ centre: centre ? id : null });
  }

  /** A click in the drawing: an extension may take it (a shift-click's path), else it chooses. */
  pick(id, click = null) {
    if (this.extensions.some((extension) => extension.pick?.(this, id, click))) return this.queue;
    return this.select(id);
  }

  open(id) {
    if (!this.state.open.has(id)) this.state.open.set(id, 1);
    this.state.focus = id;
    return this.update();
  }

  more(id) {
    // A first page may already be shown by the depth round the focus.
    this.state.open.set(id, (this.state.open.get(id) ?? 1) + 1);
    return this.update();
  }

  close(id) {
    this.state.open.delete(id);
    return this.update();
  }

  /** A double-click in the drawing: a group shows its members, a node its neighbours. */
  openFromDrawing(id) {
    return isGroup(id) ? this.expandGroup(id) : this.open(id);
  }

  expandGroup(id) {
    if (!this.state.expand.includes(id)) this.state.expand.push(id);
    if (this.state.focus === id) this.state.focus = null;
    return this.update();
  }

  collapseGroup(id) {
    // The groups shown inside it go with it.
    this.state.expand = this.state.expand.filter((group) => group !== id && !group.startsWith(`${id};`));
    return this.update();
  }

  reset() {
    this.keptView = null; // the picture framed afresh, even if a saved view showed the same state
    this.state.reset();
    this.syncControls();
    this.search.input.value = "";
    this.search.status.textContent = "";
    return this.update({ reframe: true });
  }

  /**
   * Add a feature to every update. An extension is {name, gather, decorate,
   * highlight}, each optional:
   *   gather(explorer) -> Promise(data): what it needs from the API for the
   *     current state (called on every update; answers are remembered by Api);
   *   decorate(picture, data, explorer): change the composed picture's node
   *     and edge attributes (colours, outlines) before it is drawn;
   *   highlight(explorer, data) -> Map(id -> [word]): words for the table's
   *     highlight column (ordered as HIGHLIGHT_WORDS);
   *   panel(explorer, data): add to the details panel once it is filled;
   *   pick(explorer, id, click) -> true when it takes a click on a node.
   * gather also receives the update's sources ({overview, focus, expansions}).
   * Returns the update that applies it (none before start()).
   */
  addExtension(extension) {
    this.extensions.push(extension);
    return this.renderer ? this.update() : Promise.resolve();
  }

  // -- updating --------------------------------------------------------------------

  /** Queue an update to the current state; resolves when it is drawn. */
  update(options = {}) {
    const run = this.queue.then(() => this.rebuild(options)).catch((error) => this.fail(error));
    this.queue = run;
    return run;
  }

  /** Resolves once no update is queued. */
  async whenIdle() {
    let seen;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  notice(text) {
    this.notices.push(text);
  }

  fail(error) {
    if (!(error instanceof ApiError)) console.error(error);
    this.error = error.message;
    this.statusLine.textContent = `Could not show the view: ${error.message}`;
    this.statusLine.classList.add("error");
    this.container.setAttribute("aria-busy", "false");
  }

  neighbourFilters() {
    const state = this.state;
    return {
      labels: state.hiddenLabels.size ? this.known.labels.filter((label) => !state.hiddenLabels.has(label)) : null,
      types: state.hiddenTypes.size ? this.known.types.filter((type) => !state.hiddenTypes.has(type)) : null,
    };
  }

  /** The overview the state asks for (rollUp: a field of communities.js). */
  overviewQuestion(state) {
    return { maxNodes: state.maxNodes, expand: state.expand, rollUp: state.rollUp ?? null };
  }

  async overviewFor(state) {
    try {
      return await this.api.overview(this.overviewQuestion(state));
    } catch (error) {
      // An address from another graph (or an older overview) may name groups this one lacks.
      // A group id of no group here is a 404; anything but a group id, a 400.
      const refused = error instanceof ApiError && (error.status === 404 || error.status === 400);
      if (!refused || !state.expand.length) throw error;
      this.notice(`Groups left folded: ${error.message}.`);
      state.expand = [];
      return this.api.overview({ ...this.overviewQuestion(state), expand: [] });
    }
  }

  /** A node's document, or null (with a notice) when the graph has no such node. */
  async nodeDoc(id) {
    // A what-if's hypothetical node is not in the graph: an extension describes it.
    if (id.startsWith("hypothetical;")) return this.hypothetical?.(id) ?? null;
    try {
      return await this.api.node(id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.notice(error.message);
        return null;
      }
      throw error;
    }
  }

  /** Every answer the state needs, fetched (or remembered). */
  async gather() {
    const state = this.state;
    if (!HIGHLIGHT_WORDS.length) useMarks(await this.api.marks());
    // An answer view (answers.js) is drawn instead of the overview: no overview is asked for.
    const provided = this.sceneProvider ? await this.sceneProvider(state) : null;
    const overview = provided ?? (await this.overviewFor(state));
    for (const node of overview.nodes) if (node.group) this.groupNames.set(node.id, node.name);
    const filters = this.neighbourFilters();
    const page = (id, offset = 0, limit = PAGE_SIZE) => this.api.neighbours(id, { limit, offset, ...filters });

    let focus = null;
    this.focusDoc = null;
    this.focusPage = null;
    if (state.focus !== null && isGroup(state.focus)) {
      if (!overview.nodes.some((node) => node.id === state.focus)) state.focus = null;
    } else if (state.focus !== null) {
      const doc = await this.nodeDoc(state.focus);
      if (doc === null) state.focus = null;
      else {
        this.focusDoc = doc;
        const degree = Object.values(doc.degree).reduce((sum, n) => sum + n, 0);
        const neighbours = doc.hypothetical ? { nodes: [], relationships: [], total: 0 } : await page(doc.id);
        focus = { named: { id: doc.id, label: doc.label, name: doc.name }, degree, page: neighbours };
        this.focusPage = neighbours;
      }
    }

    const expansions = [];
    const opened = [...state.open];
    const docs = await Promise.all(opened.map(([id]) => (isGroup(id) ? null : this.nodeDoc(id))));
    const pages = await Promise.all(
      opened.map(([id, pageCount], index) =>
        docs[index] ? Promise.all(Array.from({ length: pageCount }, (_, n) => page(id, n * PAGE_SIZE))) : null,
      ),
    );
    opened.forEach(([id], index) => {
      const doc = docs[index];
      if (!doc) {
        state.open.delete(id);
        return;
      }
      expansions.push({ named: { id: doc.id, label: doc.label, name: doc.name }, pages: pages[index] });
    });

    if (focus && state.depth >= 1) {
      expansions.push({ named: focus.named, pages: [focus.page] });
      if (state.depth >= 2) {
        const ring = focus.page.nodes;
        const second = await Promise.all(ring.map((node) => page(node.id, 0, SECOND_STEP_LIMIT)));
        ring.forEach((node, index) => expansions.push({ named: node, pages: [second[index]] }));
      }
    }
    const sources = { overview, focus, expansions };
    const extended = await Promise.all(this.extensions.map((extension) => extension.gather?.(this, sources)));
    this.extensions.forEach((extension, index) => this.extensionData.set(extension.name, extended[index]));
    return sources;
  }

  async rebuild({ centre = null, reframe = false, first = false } = {}) {
    this.container.setAttribute("aria-busy", "true");
    const sources = await this.gather();
    if (first) performance.mark("explorer:answers");
    const overviewChanged = sources.overview !== this.overview;
    // Between an answer view and the overview (or another answer), the frame changes.
    const frameChanged = Boolean(sources.overview.answer) || Boolean(this.overview?.answer);
    this.overview = sources.overview;
    const picture = compose(sources, this.styles);
    for (const extension of this.extensions) {
      extension.decorate?.(picture, this.extensionData.get(extension.name), this);
    }
    this.scene.sync(picture);
    if (first) performance.mark("explorer:composed");
    const newFrame = first || (overviewChanged && (reframe || frameChanged));
    if (newFrame) {
      // A new frame: every position is placed afresh, at once.
      this.renderer.frame(Scene.bounds(sources.overview));
      this.draw();
      this.renderer.sigma.refresh();
      const kept = this.keptView;
      if (kept && kept.state === this.state.toString()) this.renderer.savedCamera(kept.picture);
      else if (sources.overview.answer) this.renderer.exactCamera();
    } else {
      this.draw();
      // Redrawn now, in this task: until sigma's next frame its picking buffer still holds
      // the nodes the sync dropped, and a pointer event in between would hover a node the
      // graph no longer has (sigma 4.0.4 then fails on every frame).
      this.renderer.sigma.refresh();
    }
    if (first) {
      // The drawing first; the panels (a table of up to 20,000 rows) after it shows.
      performance.mark("explorer:drawn");
      this.firstFrame = await this.renderer.nextFrame();
    }
    this.fillPanels();
    if (reframe && !newFrame) this.renderer.resetCamera();
    else if (reframe && !sources.overview.answer) this.renderer.resetCamera();
    const target = centre ?? null;
    if (target !== null && this.graph.hasNode(target)) {
      // An answer view fits the drawing: only a node out of sight moves the camera.
      if (sources.overview.answer) this.renderer.reveal(target);
      else this.renderer.centreOn(target);
    }
    if (centre !== null && first === false) this.table.reveal(centre);
    this.updates += 1;
    this.error = null;
    this.container.setAttribute("aria-busy", "false");
  }

  /** The highlight words of every node marked, in HIGHLIGHT_WORDS' order. */
  highlights() {
    const marked = new Map();
    for (const extension of this.extensions) {
      if (!extension.highlight) continue;
      for (const [id, found] of extension.highlight(this, this.extensionData.get(extension.name))) {
        const words = marked.get(id) ?? new Set();
        found.forEach((word) => words.add(word));
        marked.set(id, words);
      }
    }
    const order = (word) => {
      const at = HIGHLIGHT_WORDS.indexOf(word);
      return at < 0 ? HIGHLIGHT_WORDS.length : at;
    };
    return new Map([...marked].map(([id, found]) => [id, [...found].sort((a, b) => order(a) - order(b)).join(", ")]));
  }

  /** The filters' and the focus' effect on the drawing, and what it now shows. */
  draw() {
    const state = this.state;
    const graph = this.graph;
    const hiddenNodes = new Set(graph.filterNodes((_, node) => state.hiddenLabels.has(node.kind)));
    const hiddenEdges = new Set(
      graph.filterEdges(
        (_, edge, source, target) =>
          state.hiddenTypes.has(edge.type) || hiddenNodes.has(source) || hiddenNodes.has(target),
      ),
    );
    this.renderer.show({ hiddenNodes, hiddenEdges, focus: state.focus });
    const nodes = graph.filterNodes((node) => !hiddenNodes.has(node));
    const edges = graph.filterEdges((edge) => !hiddenEdges.has(edge));
    this.visible = { nodes, edges };
    this.describe(nodes.length, edges.length, hiddenNodes.size);
  }

  /** The table, the details, the lists of expansions and the address bar, for what is drawn. */
  fillPanels() {
    const state = this.state;
    const graph = this.graph;
    const highlights = this.highlights();
    const order = new Map(this.known.labels.map((label, index) => [label, index]));
    const rows = this.visible.nodes.map((id) => {
      const node = graph.getNodeAttributes(id);
      return { id, name: node.name, label: node.kind, highlight: highlights.get(id) ?? "" };
    });
    rows.sort(
      (a, b) =>
        (order.get(a.label) ?? 99) - (order.get(b.label) ?? 99) ||
        a.name.localeCompare(b.name, "en", { sensitivity: "base" }) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    this.table.render(rows, { focus: state.focus, total: this.totalNodes() });
    const detailsBody = this.root.getElementById("details-body");
    const hadFocus = detailsBody.contains(document.activeElement);
    this.showDetails();
    for (const extension of this.extensions) extension.panel?.(this, this.extensionData.get(extension.name));
    // A choice made in the details panel ("Choose" a near miss, a related node) redraws it:
    // the keyboard goes to the new node's name, not back to the top of the page.
    if (hadFocus && !detailsBody.contains(document.activeElement)) {
      detailsBody.querySelector(".details-name")?.focus({ preventScroll: false });
    }
    this.listExpansions();
    state.writeToLocation();
  }

  /** Nodes in the whole graph (null until /api/summary answers). */
  totalNodes() {
    return this.summary ? Object.values(this.summary.nodes).reduce((sum, n) => sum + n, 0) : null;
  }

  describe(nodes, edges, hidden) {
    const overview = this.overview;
    const parts = [`Drawing ${plural(nodes, "node")} and ${plural(edges, "relationship")}.`];
    if (overview.rolled_up) parts.push("Rolled up: each pale shape is a group of many nodes.");
    if (overview.relationships_total > overview.relationships.length) {
      parts.push(
        `The overview lists the ${count(overview.relationships.length)} relationships standing for most, of ${count(overview.relationships_total)}.`,
      );
    }
    if (hidden) parts.push(`${plural(hidden, "node")} hidden by the filters.`);
    parts.push(...this.notices);
    this.notices = [];
    this.statusLine.classList.remove("error");
    this.statusLine.textContent = parts.join(" ");
    this.container.setAttribute(
      "aria-label",
      `Network drawing of ${plural(nodes, "node")} and ${plural(edges, "relationship")}. The table “Nodes shown” below lists the same nodes.`,
    );
  }

  showDetails() {
    const focus = this.state.focus;
    if (focus === null || !this.graph.hasNode(focus)) {
      this.details.clear();
    } else if (isGroup(focus)) {
      this.details.showGroup(focus, this.graph.getNodeAttributes(focus));
    } else if (this.focusDoc) {
      this.details.showNode(this.focusDoc, {
        expansion: this.scene.expansions.get(focus) ?? null,
        pages: this.state.open.get(focus) ?? 0,
        pageSize: PAGE_SIZE,
        related: this.focusPage,
      });
    }
  }

  groupName(id) {
    if (this.groupNames.has(id)) return this.groupNames.get(id);
    const [, label, anchor] = id.split(";");
    const name = this.styles.get(label)?.name ?? label;
    return anchor === undefined ? name : `${name}: ${anchor || "none"}`;
  }

  listExpansions() {
    const list = (sectionId, items, button) => {
      const section = this.root.getElementById(sectionId);
      section.hidden = items.length === 0;
      section.querySelector("ul").replaceChildren(
        ...items.map(([id, text]) =>
          el(
            "li",
            {},
            el("span", { text }),
            el("button", {
              type: "button",
              text: button.text,
              "aria-label": `${button.text}: ${text}`,
              onclick: () => button.action(id),
            }),
          ),
        ),
      );
    };
    list(
      "expanded-groups",
      this.state.expand.map((id) => [id, this.groupName(id)]),
      { text: "Fold", action: (id) => this.collapseGroup(id) },
    );
    list(
      "opened-nodes",
      [...this.state.open.keys()].map((id) => [
        id,
        this.graph.hasNode(id) ? this.graph.getNodeAttribute(id, "name") : id,
      ]),
      { text: "Hide", action: (id) => this.close(id) },
    );
  }

  /** What tests and benchmarks read (window.graphmodelExplorer). */
  hooks() {
    const explorer = this;
    return {
      explorer,
      get firstFrame() {
        return explorer.firstFrame;
      },
      get updates() {
        return explorer.updates;
      },
      /** The last failure shown, or null. */
      get error() {
        return explorer.error;
      },
      get graph() {
        return explorer.graph;
      },
      get sigma() {
        return explorer.renderer?.sigma ?? null;
      },
      whenIdle: () => explorer.whenIdle(),
      state: () => explorer.state.toString(),
      /** What is drawn now: node ids and [source, type, target] of each relationship. */
      drawn: () => ({
        nodes: [...explorer.visible.nodes],
        edges: explorer.visible.edges.map((edge) => {
          const attributes = explorer.graph.getEdgeAttributes(edge);
          return [attributes.source, attributes.type, attributes.target];
        }),
      }),
    };
  }
}
