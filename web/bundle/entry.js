// The explorer page (web/assets/*.js) imports sigma, graphology, ForceAtlas2's
// helpers and d3's convex hull from this one module: `npm run build` bundles it
// into assets/vendor.js.
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
export { graphToByteArrays } from "graphology-layout-forceatlas2/helpers.js";
export { polygonHull } from "d3-polygon";
