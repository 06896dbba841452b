// The types of assets/vendor.js, the bundle of bundle/entry.js: the same exports, typed by
// the libraries' own declarations (the type check reads this instead of the bundle).
export { MultiGraph, UndirectedGraph } from "graphology";
export { default as Sigma } from "sigma";
export {
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
} from "sigma/rendering";
export { default as forceAtlas2 } from "graphology-layout-forceatlas2";
// d3-polygon ships no declarations (they live in @types/d3-polygon): its one function used.
/** The convex hull of the points, counter-clockwise; null for fewer than three points. */
export function polygonHull(points: Array<[number, number]>): Array<[number, number]> | null;
// ForceAtlas2's helpers module is untyped JavaScript: the one helper used, declared here.
/** The graph as ForceAtlas2's typed arrays (nodes' and edges' matrices), as its worker takes them. */
export function graphToByteArrays(
  graph: import("graphology-types").default,
  getEdgeWeight?: (edge: string, attributes: Record<string, unknown>) => number,
): { nodes: Float32Array; edges: Float32Array };
