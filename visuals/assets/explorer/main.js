// The explorer page's entry point (visuals/templates/explorer.html.j2 loads it).
import { Explorer } from "./explorer.js";
import { installAnalyses } from "./analyses.js";

performance.mark("explorer:modules");

const explorer = new Explorer(document);
// Tests and benchmarks read the drawing's state from here.
window.graphmodelExplorer = explorer.hooks();
installAnalyses(explorer);
explorer.start();
