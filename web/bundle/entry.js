// The explorer page (web/assets/*.js) imports sigma and
// graphology from this one module: `npm run build` bundles it into
// assets/vendor.js.
export { MultiGraph } from "graphology";
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
