// The WebGL drawing: sigma 4 over a graphology multi graph.
//
// Each node type has a shape as well as a colour (graphmodel.visuals.palette:
// the network views' shapes), so colour never carries meaning alone. sigma
// has circles, squares, triangles and diamonds; the hexagon, the star and the
// downward triangle are signed-distance functions of our own, in sigma's
// format for custom shapes. A thin dark outline keeps pale colours (the
// initiatives' yellow) visible on the light canvas; groups get a thick one.

import {
  Sigma,
  extremityArrow,
  layerDashed,
  layerFill,
  layerPlain,
  pathCurved,
  pathLine,
  sdfCircle,
  sdfDiamond,
  sdfSquare,
  sdfTriangle,
} from "./vendor.js";
import { reducedMotion } from "./dom.js";

/** The network views' shape names (vis-network) and the drawing's. */
export const SHAPES = {
  dot: "circle",
  square: "square",
  diamond: "diamond",
  triangle: "triangle",
  triangleDown: "triangledown",
  hexagon: "hexagon",
  star: "star",
};

// Signed distances (negative inside) in the node's square, uv in [-1, 1] and
// `size` the shape's radius, after Inigo Quilez's 2D distance functions.
const HEXAGON = {
  name: "hexagon",
  inradiusFactor: 0.866,
  glsl: `
float sdf_hexagon(vec2 uv, float size) {
  const vec3 k = vec3(-0.866025404, 0.5, 0.577350269);
  float r = size * 0.866025404;
  vec2 p = abs(uv.yx);
  p -= 2.0 * min(dot(k.xy, p), 0.0) * k.xy;
  p -= vec2(clamp(p.x, -k.z * r, k.z * r), r);
  return length(p) * sign(p.y);
}`,
};

const STAR = {
  name: "star",
  inradiusFactor: 0.45,
  glsl: `
float sdf_star(vec2 uv, float size) {
  const vec2 k1 = vec2(0.809016994375, -0.587785252292);
  const vec2 k2 = vec2(-0.809016994375, -0.587785252292);
  vec2 p = vec2(abs(uv.x), uv.y);
  p -= 2.0 * max(dot(k1, p), 0.0) * k1;
  p -= 2.0 * max(dot(k2, p), 0.0) * k2;
  p.x = abs(p.x);
  p.y -= size;
  vec2 ba = 0.5 * vec2(-k1.y, k1.x) - vec2(0.0, 1.0);
  float h = clamp(dot(p, ba) / dot(ba, ba), 0.0, size);
  return length(p - ba * h) * sign(p.y * ba.x - p.x * ba.y);
}`,
};

const TRIANGLE_DOWN = {
  name: "triangledown",
  inradiusFactor: 0.5,
  glsl: `
float sdf_triangledown(vec2 uv, float size) {
  const float k = 1.732050808;
  float r = size * k / 2.0;
  vec2 p = vec2(abs(uv.x) - r, -uv.y + r / k);
  if (p.x + k * p.y > 0.0) {
    p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
  }
  p.x -= clamp(p.x, -2.0 * r, 0.0);
  return -length(p) * sign(p.y);
}`,
};

/** The outline: a band of `outlineWidth` pixels inside the shape's edge. */
/** @type {import("sigma/primitives").NodeLayerSpec} */
const OUTLINE = {
  name: "outline",
  uniforms: [],
  attributes: [
    {
      name: "outlineColor",
      size: 4,
      type: WebGL2RenderingContext.UNSIGNED_BYTE,
      normalized: true,
      source: "outlineColor",
    },
    { name: "outlineWidth", size: 1, type: WebGL2RenderingContext.FLOAT, source: "outlineWidth" },
  ],
  glsl: `
vec4 layer_outline(vec4 v_outlineColor, float v_outlineWidth) {
  float width = v_outlineWidth * context.pixelToUV;
  return context.sdf > -width ? v_outlineColor : vec4(0.0);
}`,
};

// sigma's style rules: their types are not exported from sigma's public entry points.
/** @type {any[]} */
const NODE_STYLES = [
  {
    x: { attribute: "x" },
    y: { attribute: "y" },
    size: { attribute: "size" },
    color: { attribute: "color" },
    shape: { attribute: "shape" },
    label: { attribute: "caption" },
    outlineColor: { attribute: "outlineColor" },
    outlineWidth: { attribute: "outlineWidth" },
    labelColor: "#1f2933",
    labelSize: 12,
    cursor: "pointer",
    depth: "nodes",
    visibility: { whenState: "isHidden", then: "hidden", else: "visible" },
    // Names where there is room (the larger nodes, groups among them, first).
    labelVisibility: { whenData: { pinned: true }, then: "visible", else: "auto" },
    // Groups above the nodes round them: what they stand for stays in view.
    zIndex: { whenData: { group: true }, then: 1, else: 0 },
  },
  {
    whenState: "isHovered",
    then: {
      depth: "topNodes",
      // A name shortened to fit an answer view is shown whole on hover.
      label: { attribute: "name" },
      labelVisibility: "visible",
      backdropVisibility: "visible",
      backdropColor: "#ffffff",
      backdropShadowColor: "rgba(0, 0, 0, 0.35)",
      backdropShadowBlur: 10,
      backdropPadding: 5,
    },
  },
  {
    // The focus: a card with a dark border round the node and its name.
    whenState: "isHighlighted",
    then: {
      depth: "topNodes",
      labelVisibility: "visible",
      labelSize: 14,
      backdropVisibility: "visible",
      backdropColor: "#fff4c2",
      backdropBorderColor: "#1f2933",
      backdropBorderWidth: 2,
      backdropPadding: 6,
      backdropShadowColor: "rgba(0, 0, 0, 0.3)",
      backdropShadowBlur: 8,
    },
  },
];

/** @type {any[]} */
const EDGE_STYLES = [
  {
    size: { attribute: "size" },
    color: { attribute: "color" },
    label: { attribute: "caption" },
    labelColor: "#52606d",
    labelSize: 11,
    path: "straight",
    parallelPath: "curved",
    head: "arrow",
    depth: "edges",
    visibility: { whenState: "isHidden", then: "hidden", else: "visible" },
    labelVisibility: "hidden",
    // Dashes (the what-if's hypothetical links): gaps painted in the canvas' colour.
    dashGap: { attribute: "dashGap" },
    gapColor: { attribute: "gapColor" },
  },
  {
    // An analysis' scored links (a duplicate pair, a suggested response) say their score.
    whenData: { pinned: true },
    then: { labelVisibility: "visible", depth: "topEdges" },
  },
  {
    // The focus' relationships stand out, and say their type.
    whenState: "isHighlighted",
    then: { color: "#3e4c59", depth: "topEdges", labelVisibility: "visible" },
  },
];

/** The drawing's background (explorer.css --canvas): a dashed edge's gaps. */
const CANVAS_COLOUR = "#fbfbf8";

/** Above this many relationships, edges are not drawn while the camera moves. */
const QUICK_MOVE_EDGES = 5000;

export class Renderer {
  /**
   * handlers: {select(id), open(id)}. Made before the first answers arrive:
   * compiling the WebGL programs (slow in software GL) overlaps the wait.
   */
  constructor(container, graph, handlers) {
    this.graph = graph;
    this.handlers = handlers;
    this.focused = null;
    this.lit = new Set();
    this.hiddenNodes = new Set();
    this.hiddenEdges = new Set();
    this.sigma = new Sigma(graph, container, {
      primitives: {
        nodes: {
          shapes: [sdfCircle(), sdfSquare(), sdfTriangle(), sdfDiamond(), HEXAGON, STAR, TRIANGLE_DOWN],
          layers: [layerFill(), OUTLINE],
          variables: {
            outlineColor: { type: "color", default: "#2b2f36" },
            outlineWidth: { type: "number", default: 1 },
          },
        },
        edges: {
          paths: [pathLine(), pathCurved()],
          extremities: [extremityArrow()],
          // A dashed layer over the plain one: an edge with a dashGap is dashed.
          layers: [
            layerPlain(),
            layerDashed({
              dashSize: { value: 6, mode: "pixels" },
              gapSize: { attribute: "dashGap", default: 0, mode: "pixels" },
              gapColor: { attribute: "gapColor", default: CANVAS_COLOUR },
            }),
          ],
          variables: {
            dashGap: { type: "number", default: 0 },
            gapColor: { type: "color", default: CANVAS_COLOUR },
          },
        },
      },
      styles: { nodes: NODE_STYLES, edges: EDGE_STYLES },
      settings: {
        itemSizesReference: "screen",
        enableCameraRotation: false,
        enableCameraMouseRotation: false,
        renderEdgeLabels: true,
        hideEdgesOnMove: graph.size > QUICK_MOVE_EDGES,
        minCameraRatio: 0.01,
        maxCameraRatio: 3,
        labelDensity: 0.8,
        labelRenderedSizeThreshold: 7,
        stagePadding: 24,
      },
    });
    // The click itself goes along: a shift-click asks for a path (explorer.pick).
    this.sigma.on("clickNode", ({ node, event }) => handlers.select(node, event?.original ?? null));
    this.sigma.on("doubleClickNode", (payload) => {
      payload.preventSigmaDefault();
      handlers.open(payload.node);
    });
  }

  /** When the next frame begins (after what is drawn now reaches the screen). */
  nextFrame() {
    return new Promise((resolve) => window.requestAnimationFrame(() => resolve(performance.now())));
  }

  /** Keep the drawing's frame to the overview's extent: added nodes never shift the others. */
  frame(bounds) {
    this.sigma.setCustomBBox(bounds);
  }

  /**
   * Which nodes and relationships are hidden (filters), and which node is the
   * focus. Only states that change are set: a picture of 20,000 nodes is not
   * walked on every click.
   */
  show({ hiddenNodes, hiddenEdges, focus }) {
    const { graph, sigma } = this;
    const update = (previous, wanted, exists, state, setStates) => {
      const hide = [...wanted].filter((key) => exists(key) && !state(key).isHidden);
      const reveal = [...previous].filter((key) => !wanted.has(key) && exists(key) && state(key).isHidden);
      if (hide.length) setStates(hide, { isHidden: true });
      if (reveal.length) setStates(reveal, { isHidden: false });
    };
    update(
      this.hiddenNodes,
      hiddenNodes,
      (key) => graph.hasNode(key),
      (key) => sigma.getNodeState(key),
      (keys, state) => sigma.setNodesState(keys, state),
    );
    update(
      this.hiddenEdges,
      hiddenEdges,
      (key) => graph.hasEdge(key),
      (key) => sigma.getEdgeState(key),
      (keys, state) => sigma.setEdgesState(keys, state),
    );
    this.hiddenNodes = hiddenNodes;
    this.hiddenEdges = hiddenEdges;

    if (this.focused !== null && graph.hasNode(this.focused))
      sigma.setNodeState(this.focused, { isHighlighted: false });
    const wasLit = [...this.lit].filter((edge) => graph.hasEdge(edge));
    if (wasLit.length) sigma.setEdgesState(wasLit, { isHighlighted: false });
    this.focused = focus !== null && graph.hasNode(focus) ? focus : null;
    this.lit = new Set(this.focused === null ? [] : graph.edges(this.focused));
    if (this.focused !== null) sigma.setNodeState(this.focused, { isHighlighted: true });
    if (this.lit.size) sigma.setEdgesState([...this.lit], { isHighlighted: true });

    // Changed states and graph changes schedule their own redraw, at the next frame.
    const quick = graph.size > QUICK_MOVE_EDGES;
    if (sigma.getSetting("hideEdgesOnMove") !== quick) sigma.setSetting("hideEdgesOnMove", quick);
  }

  /** A node's place in the drawing (processing pending changes if it is new). */
  displayData(node) {
    if (!this.sigma.getNodeDisplayData(node)) this.sigma.refresh();
    return this.sigma.getNodeDisplayData(node);
  }

  camera() {
    return this.sigma.getCamera();
  }

  animation() {
    return { duration: reducedMotion() ? 0 : 400 };
  }

  /** Centre a node, zooming in if the camera is far out. */
  centreOn(node) {
    const data = this.displayData(node);
    if (!data) return;
    const camera = this.camera();
    camera.animate({ x: data.x, y: data.y, ratio: Math.min(camera.ratio, 0.5) }, this.animation());
  }

  /** Frame these nodes (every node drawn when given none). */
  fit(nodes) {
    this.sigma.refresh();
    const low = [Infinity, Infinity];
    const high = [-Infinity, -Infinity];
    for (const node of nodes) {
      const data = this.sigma.getNodeDisplayData(node);
      if (!data) continue;
      low[0] = Math.min(low[0], data.x);
      low[1] = Math.min(low[1], data.y);
      high[0] = Math.max(high[0], data.x);
      high[1] = Math.max(high[1], data.y);
    }
    const camera = this.camera();
    if (low[0] === Infinity) {
      camera.animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, this.animation());
      return;
    }
    const span = Math.max(high[0] - low[0], high[1] - low[1]);
    camera.animate(
      { x: (low[0] + high[0]) / 2, y: (low[1] + high[1]) / 2, ratio: Math.max(span * 1.15, 0.08), angle: 0 },
      this.animation(),
    );
  }

  zoom(factor) {
    const camera = this.camera();
    camera.animate({ ratio: camera.getBoundedRatio(camera.ratio / factor) }, this.animation());
  }

  /**
   * The camera at rest, with one unit of the frame one pixel on screen (an
   * answer view is laid out in the drawing's pixels). At once, not animated.
   */
  exactCamera() {
    const sigma = this.sigma;
    const camera = this.camera();
    camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    const bounds = sigma.getCustomBBox();
    if (!bounds) return;
    const a = sigma.graphToViewport({ x: bounds.x[0], y: bounds.y[0] });
    const b = sigma.graphToViewport({ x: bounds.x[1], y: bounds.y[0] });
    const scale = Math.abs(b.x - a.x) / Math.max(bounds.x[1] - bounds.x[0], 1);
    if (scale > 0 && Math.abs(scale - 1) > 0.002) camera.setState({ ratio: scale });
  }

  /**
   * A saved view's camera ({camera: {x, y, ratio}, viewport?}): its zoom, centred on
   * the middle of what was on screen then. The middle is kept in the graph's own
   * coordinates, so the picture stays centred when the drawing's frame is not the one
   * it was saved in (an answer view laid out again for a larger drawing). At once.
   */
  savedCamera(picture) {
    const sigma = this.sigma;
    let { x, y } = picture.camera;
    const box = picture.viewport;
    if (box) {
      const middle = sigma.graphToFramedGraph({ x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 });
      if (Number.isFinite(middle.x) && Number.isFinite(middle.y)) ({ x, y } = middle);
    }
    const camera = this.camera();
    camera.cancelAnimation();
    camera.setState({ x, y, ratio: picture.camera.ratio, angle: 0 });
  }

  /** Bring a node into sight (a pan, no zoom) if it is outside the drawing. */
  reveal(node) {
    const data = this.displayData(node);
    if (!data) return;
    const point = this.sigma.framedGraphToViewport(data);
    const { width, height } = this.sigma.getDimensions();
    if (point.x >= 0 && point.x <= width && point.y >= 0 && point.y <= height) return;
    this.camera().animate({ x: data.x, y: data.y }, this.animation());
  }

  resetCamera() {
    this.camera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, this.animation());
  }
}
