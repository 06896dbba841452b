// The explorer page's entry point (web/templates/explorer.html.j2 loads it).
import { Explorer } from "./explorer.js";
import { installAnalyses } from "./analyses.js";
import { CommunityLayer } from "./communities.js";
import { ExportPanel } from "./export.js";
import { HandsOn } from "./handson.js";
import { LiveData } from "./live.js";
import { Presentation } from "./present.js";
import { ViewsPanel } from "./views.js";

performance.mark("explorer:modules");

const explorer = new Explorer(document);
// Tests and benchmarks read the drawing's state from here.
window.graphmodelExplorer = explorer.hooks();
installAnalyses(explorer);

// The picture: communities (colours, areas), dragging and the layout's rerun.
// Communities colour what the analyses leave unmarked; the places people gave
// nodes come last, over everything. Added before the first drawing (so it is
// drawn once, with them); their hold on sigma once it exists.
const communities = new CommunityLayer(document, explorer);
const handsOn = new HandsOn(document, explorer);
Object.assign(explorer, { communities, handsOn });
explorer.addExtension(communities.extension());
explorer.addExtension(handsOn.extension());
explorer.start();
communities.attach();
handsOn.attach();

// Views, presentation, export and live data.
const presentation = new Presentation(document, explorer);
const views = new ViewsPanel(document, explorer, { present: (list) => presentation.start(list) });
const exports = new ExportPanel(document, explorer);
const live = new LiveData(document, explorer);
Object.assign(explorer, { views, presentation });
Object.assign(window.graphmodelExplorer, { views, presentation, exports, live, communities, handsOn });
explorer.ready.then(() => {
  views.loadShared();
  live.start();
});
