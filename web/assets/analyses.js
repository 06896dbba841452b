// The analyses inside the explorer: overlays, the time
// slicer, showcase and focus, explain and paths, what-if. Each is an
// extension of the explorer (explorer.js addExtension) with its own URL
// parameters (state.js registerField, at import); installAnalyses() adds
// them in the order they change the picture: first what brings nodes in
// (overlay, what-if, path), then what hides or fades (the window, focus).

import { Explain } from "./explain.js";
import { FocusMode } from "./focus.js";
import { OverlayLayer } from "./overlays.js";
import { Slicer } from "./slicer.js";
import { WhatIf } from "./whatif.js";

export function installAnalyses(explorer) {
  const overlays = new OverlayLayer(explorer);
  const whatIf = new WhatIf(explorer);
  const explain = new Explain(explorer, overlays);
  const slicer = new Slicer(explorer, [overlays, whatIf, explain]);
  const focus = new FocusMode(explorer, ["overlay", "whatif", "explain"]);
  for (const part of [overlays, whatIf, explain, slicer, focus]) explorer.addExtension(part.extension());
  explorer.analyses = { overlays, whatIf, explain, slicer, focus };
  return explorer.analyses;
}
