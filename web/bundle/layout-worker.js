// The ForceAtlas2 web worker (assets/layout-worker.js): the library's own worker
// code, served by the explorer itself so that the page's Content-Security-Policy
// needs no blob: worker (the library's supervisor would make one). layout.js
// posts it {settings, nodes, edges} and it answers each message with the nodes
// after one iteration.
import worker from "graphology-layout-forceatlas2/webworker.js";

worker.call(self);
