// Hands on the picture (docs/explorer.md, "Moving nodes and the layout"):
// drag a node to move it; rerun the layout of what is drawn (ForceAtlas2 in a
// web worker, assets/layout-worker.js); move the chosen node with buttons (the
// way without dragging, for the keyboard and a single pointer); go back to the
// server's layout.
//
// Positions given by hand or by a layout are kept over every later update of
// the picture (an extension that places those nodes where they were put), and
// a saved view keeps them with its camera (views.js).

import { UndirectedGraph, forceAtlas2, graphToByteArrays } from "./vendor.js";
import { plural } from "./dom.js";

/** Numbers per node in ForceAtlas2's node matrix (graphology-layout-forceatlas2/helpers.js). */
const PER_NODE = 10;

/** A rerun stops by itself after this long; Stop ends it sooner. */
export const RUN_MILLISECONDS = 5000;

/** And after this many iterations, whichever comes first. */
export const MOST_ITERATIONS = 600;

/** How far a move button moves the chosen node, in pixels on screen. */
const STEP_PIXELS = 24;

/** Links inside a community pull this much harder when the picture is coloured by community. */
const COMMUNITY_PULL = 4;

/** A saved view keeps the place of every node drawn when there are at most this many. */
export const MOST_SAVED_POSITIONS = 5000;

const round = (value) => Math.round(value * 10) / 10;

export class HandsOn {
  constructor(root, explorer) {
    this.root = root;
    this.explorer = explorer;
    this.positions = new Map(); // id -> {x, y}: where a person or a layout put it
    this.worker = null;
    this.running = null;
    this.runButton = root.getElementById("layout-run");
    this.resetButton = root.getElementById("layout-reset");
    this.status = root.getElementById("layout-status");
    this.runButton.addEventListener("click", () => (this.running ? this.stop() : this.run()));
    this.resetButton.addEventListener("click", () => this.reset());
    // Reset goes back to the overview as it opens: the server's layout too (caught on
    // the way down, before the explorer's own handler redraws).
    root.addEventListener("click", (event) => event.target.closest?.("#reset") && this.use(null), true);
    for (const button of root.querySelectorAll("[data-move]")) {
      const [dx, dy] = button.dataset.move.split(",").map(Number);
      button.addEventListener("click", () => this.nudge(dx, dy));
    }
  }

  extension() {
    return {
      name: "positions",
      decorate: (picture) => {
        for (const [id, place] of this.positions) {
          const node = picture.nodes.get(id);
          if (node) {
            node.x = place.x;
            node.y = place.y;
          }
        }
      },
      panel: (explorer) => this.panel(explorer),
    };
  }

  /** Turn dragging on (sigma moves the node; its place is kept once dropped). */
  attach() {
    const sigma = this.explorer.renderer.sigma;
    sigma.setSetting("enableNodeDrag", true);
    sigma.on("nodeDragStart", () => this.stop());
    sigma.on("nodeDragEnd", ({ allDraggedNodes }) => {
      const graph = this.explorer.graph;
      for (const id of allDraggedNodes) {
        if (graph.hasNode(id)) this.keep(id, graph.getNodeAttribute(id, "x"), graph.getNodeAttribute(id, "y"));
      }
      const name = allDraggedNodes.length === 1 ? graph.getNodeAttribute(allDraggedNodes[0], "name") : null;
      this.say(name ? `Moved “${name}”.` : `Moved ${plural(allDraggedNodes.length, "node")}.`);
      this.resetButton.disabled = false;
    });
  }

  keep(id, x, y) {
    this.positions.set(id, { x: round(x), y: round(y) });
  }

  say(text) {
    this.status.textContent = text;
  }

  panel(explorer) {
    this.resetButton.disabled = this.positions.size === 0 && !this.running;
    const chosen = explorer.state.focus;
    const movable = chosen !== null && explorer.graph.hasNode(chosen) && explorer.visible.nodes.includes(chosen);
    for (const button of this.root.querySelectorAll("[data-move]")) button.disabled = !movable;
  }

  /** Every drawn node's place (for a saved view), or null above MOST_SAVED_POSITIONS. */
  snapshot() {
    const graph = this.explorer.graph;
    const nodes = this.explorer.visible.nodes;
    if (nodes.length > MOST_SAVED_POSITIONS) return null;
    const places = {};
    for (const id of nodes)
      places[id] = [round(graph.getNodeAttribute(id, "x")), round(graph.getNodeAttribute(id, "y"))];
    return places;
  }

  /** The places given by hand or by a layout, as {id: [x, y]}. */
  snapshotMoved() {
    return Object.fromEntries([...this.positions].map(([id, place]) => [id, [place.x, place.y]]));
  }

  /** Use these places ({id: [x, y]}, from a saved view; none: the server's layout). */
  use(places) {
    this.stop();
    this.positions = new Map(Object.entries(places ?? {}).map(([id, [x, y]]) => [id, { x, y }]));
  }

  /** Move the chosen node by (dx, dy) steps on screen. */
  nudge(dx, dy) {
    const explorer = this.explorer;
    const id = explorer.state.focus;
    const sigma = explorer.renderer?.sigma;
    if (!sigma || id === null || !explorer.graph.hasNode(id)) return;
    this.stop();
    const graph = explorer.graph;
    const at = sigma.graphToViewport({ x: graph.getNodeAttribute(id, "x"), y: graph.getNodeAttribute(id, "y") });
    const to = sigma.viewportToGraph({ x: at.x + dx * STEP_PIXELS, y: at.y + dy * STEP_PIXELS });
    graph.mergeNodeAttributes(id, { x: to.x, y: to.y });
    this.keep(id, to.x, to.y);
    this.resetButton.disabled = false;
    this.say(`Moved “${graph.getNodeAttribute(id, "name")}”.`);
  }

  /** Back to the server's layout (and the spirals nodes brought in are placed on). */
  reset() {
    this.stop();
    const moved = this.positions.size;
    this.positions.clear();
    this.say(moved ? `Back to the server's layout (${plural(moved, "node")} had been moved).` : "");
    return this.explorer.update();
  }

  /**
   * Rerun the layout of what is drawn: ForceAtlas2 on the nodes and
   * relationships drawn now, in a web worker, from where they are, for
   * RUN_MILLISECONDS or MOST_ITERATIONS. The result is scaled into the box the
   * nodes filled, so the frame stays. Resolves when it stops.
   */
  run() {
    if (this.running) return this.running;
    const explorer = this.explorer;
    const graph = explorer.graph;
    const drawn = explorer.visible.nodes;
    if (drawn.length < 2) {
      this.say("Nothing to lay out: fewer than two nodes are drawn.");
      return Promise.resolve();
    }
    const community = (id) => graph.getNodeAttribute(id, "community") ?? null;
    const sub = new UndirectedGraph({ allowSelfLoops: false });
    for (const id of drawn) {
      const node = graph.getNodeAttributes(id);
      sub.addNode(id, { x: node.x, y: node.y, size: node.size });
    }
    for (const edge of explorer.visible.edges) {
      const source = graph.source(edge);
      const target = graph.target(edge);
      if (source === target) continue;
      const together = community(source) !== null && community(source) === community(target);
      const weight = together ? COMMUNITY_PULL : 1;
      if (sub.hasEdge(source, target)) sub.updateEdgeAttribute(source, target, "weight", (w) => w + weight);
      else sub.addEdge(source, target, { weight });
    }
    const box = bounds(drawn.map((id) => [graph.getNodeAttribute(id, "x"), graph.getNodeAttribute(id, "y")]));
    const order = sub.nodes();
    const matrices = graphToByteArrays(sub, (_edge, attributes) => Number(attributes.weight));
    const settings = { ...forceAtlas2.inferSettings(sub), edgeWeightInfluence: 1 };
    this.worker = new Worker(new URL("./layout-worker.js", import.meta.url));
    this.runButton.textContent = "Stop the layout";
    this.resetButton.disabled = false;
    this.say(`Laying out ${plural(order.length, "node")} (ForceAtlas2)…`);
    const started = performance.now();
    let iterations = 0;
    this.running = new Promise(
      /** @param {(value?: void) => void} resolve */ (resolve) => {
        this.finish = () => {
          this.worker?.terminate();
          this.worker = null;
          this.running = null;
          this.runButton.textContent = "Rerun the layout";
          this.say(
            `Laid out ${plural(order.length, "node")} (${plural(iterations, "iteration")} of ForceAtlas2); a saved view keeps where they are.`,
          );
          resolve();
        };
        this.worker.addEventListener("message", (event) => {
          if (!this.running) return;
          iterations += 1;
          const matrix = new Float32Array(event.data.nodes);
          this.place(order, matrix, box);
          if (performance.now() - started >= RUN_MILLISECONDS || iterations >= MOST_ITERATIONS) {
            this.finish();
            return;
          }
          this.worker.postMessage({ settings, nodes: matrix.buffer }, [matrix.buffer]);
        });
        this.worker.addEventListener("error", (event) => {
          this.say(`The layout stopped: ${event.message || "the worker failed"}.`);
          this.finish?.();
        });
        this.worker.postMessage({ settings, nodes: matrices.nodes.buffer, edges: matrices.edges.buffer }, [
          matrices.nodes.buffer,
          matrices.edges.buffer,
        ]);
      },
    );
    return this.running;
  }

  /** Put the layout's nodes where it says, scaled to fit `box` (keeping its own shape). */
  place(order, matrix, box) {
    const points = order.map((_, index) => [matrix[index * PER_NODE], matrix[index * PER_NODE + 1]]);
    const from = bounds(points);
    // The largest scale that keeps every node inside the box (a line of nodes: its length).
    const fits = [box.width / from.width, box.height / from.height].filter((value) => Number.isFinite(value));
    const scale = fits.length ? Math.min(...fits) : 1;
    const graph = this.explorer.graph;
    order.forEach((id, index) => {
      if (!graph.hasNode(id)) return;
      const [x, y] = points[index];
      const placed = {
        x: box.centre[0] + (x - from.centre[0]) * scale,
        y: box.centre[1] + (y - from.centre[1]) * scale,
      };
      graph.mergeNodeAttributes(id, placed);
      this.keep(id, placed.x, placed.y);
    });
  }

  stop() {
    if (this.running) this.finish();
  }
}

function bounds(points) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const low = [Math.min(...xs), Math.min(...ys)];
  const high = [Math.max(...xs), Math.max(...ys)];
  return {
    width: high[0] - low[0],
    height: high[1] - low[1],
    centre: [(low[0] + high[0]) / 2, (low[1] + high[1]) / 2],
  };
}
