// The analyses inside the explorer: overlays, the time
// slicer, showcase and focus, explain and paths, what-if, and the answer
// views that draw an overlay's, a path's or a what-if's answer on its own.
// Each is an extension of the explorer (explorer.js addExtension) with its
// own URL parameters (state.js registerField, at import); installAnalyses()
// adds them in the order they change the picture: first what brings nodes in
// (overlay, what-if, path), then the answer view's names and sizes, then what
// hides or fades (the window, focus).

import { AnswerView } from "./answers.js";
import { Explain } from "./explain.js";
import { FocusMode } from "./focus.js";
import { OverlayLayer } from "./overlays.js";
import { Slicer } from "./slicer.js";
import { WhatIf } from "./whatif.js";

export function installAnalyses(explorer) {
  const overlays = new OverlayLayer(explorer);
  const whatIf = new WhatIf(explorer);
  const explain = new Explain(explorer, overlays);
  const answers = new AnswerView(explorer, { overlays, whatIf });
  const slicer = new Slicer(explorer, [overlays, whatIf, explain]);
  const focus = new FocusMode(explorer, ["overlay", "whatif", "explain"]);
  explorer.sceneProvider = (state) => answers.provide(state);
  explorer.hypothetical = (id) => whatIf.describe(id);
  for (const part of [overlays, whatIf, explain, answers, slicer, focus]) explorer.addExtension(part.extension());
  explorer.analyses = { overlays, whatIf, explain, answers, slicer, focus };
  return explorer.analyses;
}
