// The types of assets/vendor.js, the bundle of bundle/entry.js: the same exports, typed by
// the libraries' own declarations (the type check reads this instead of the bundle).
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
