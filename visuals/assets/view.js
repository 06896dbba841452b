/* Controls of a graphmodel network view: search, type and relationship filters,
 * the neighbourhood of a node, reset and PNG export. Data come from the JSON in
 * #view-data; text from the data is only ever set as textContent. The globals
 * `nodes`, `edges` (vis DataSets holding the whole view), `network` and
 * `graphmodelView` (state and timings) are there for tests and benchmarks. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("view-data").textContent);
  var parsed = performance.now();
  var names = new Map();
  data.nodes.forEach(function (node) {
    names.set(node.id, node.name);
  });
  data.edges.forEach(function (edge) {
    edge.title =
      edge.type + ": " + names.get(edge.from) + " \u2192 " + names.get(edge.to) +
      (edge.detail ? "\n" + edge.detail : "");
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hiddenTypes = new Set();
  var hiddenRelationships = new Set();
  var only = null; // the ids of the neighbourhood shown, or null for every node
  var onlyLabel = "";

  var nodeView = new vis.DataView(nodes, {
    filter: function (node) {
      return !hiddenTypes.has(node.type) && (only === null || only.has(node.id));
    },
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (edge) {
      return !hiddenRelationships.has(edge.type);
    },
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var state = {
    firstFrame: null,
    started: started,
    parsed: parsed,
    network: performance.now(),
    shown: null,
  };
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  window.graphmodelView = state;

  var $ = function (id) {
    return document.getElementById(id);
  };
  var details = $("details");
  var searchStatus = $("search-status");
  var neighbourhoodButton = $("neighbourhood");
  var selected = null;

  // A white background, so that the PNG export is not transparent.
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  // The page opens on the layout computed when it was written. Small views may
  // relax it with a bounded physics run, which always ends with physics off: no
  // endless motion. `firstFrame` is the first frame drawn once nothing moves.
  function settled() {
    network.once("afterDrawing", function () {
      state.firstFrame = performance.now();
    });
    network.redraw();
  }
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      state.stabilised = performance.now();
      network.fit({ animation: false });
      settled();
    });
  } else {
    settled();
  }
  if (nodes.length === 0) {
    $("empty").hidden = false;
  }

  // Dragged nodes keep their place when filters re-add them.
  network.on("dragEnd", function (params) {
    if (params.nodes.length) {
      var moved = network.getPositions(params.nodes);
      nodes.update(
        Object.keys(moved).map(function (id) {
          return { id: id, x: moved[id].x, y: moved[id].y };
        })
      );
    }
  });

  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    var visible = new Set(nodeView.getIds());
    var shownEdges = edgeView.get({
      filter: function (edge) {
        return visible.has(edge.from) && visible.has(edge.to);
      },
    }).length;
    state.shown = { nodes: visible.size, edges: shownEdges };
    var text =
      "Showing " + visible.size.toLocaleString("en") + " of " + nodes.length.toLocaleString("en") +
      " nodes, " + shownEdges.toLocaleString("en") + " of " + edges.length.toLocaleString("en") +
      " relationships";
    $("counts").textContent = only === null ? text : text + " (" + onlyLabel + ")";
  }

  function showDetails(id) {
    selected = id;
    details.textContent = "";
    neighbourhoodButton.disabled = id === null;
    if (id === null) {
      details.textContent = "Click a node for its details.";
      return;
    }
    var lines = String(nodes.get(id).title).split("\n");
    var name = document.createElement("strong");
    name.textContent = lines[0];
    details.appendChild(name);
    details.appendChild(document.createTextNode(lines.slice(1).join("\n")));
  }

  function neighbourhood(id, depth) {
    var adjacent = new Map();
    edgeView.forEach(function (edge) {
      if (!adjacent.has(edge.from)) adjacent.set(edge.from, []);
      if (!adjacent.has(edge.to)) adjacent.set(edge.to, []);
      adjacent.get(edge.from).push(edge.to);
      adjacent.get(edge.to).push(edge.from);
    });
    var found = new Set([id]);
    var frontier = [id];
    for (var hop = 0; hop < depth; hop++) {
      var next = [];
      frontier.forEach(function (node) {
        (adjacent.get(node) || []).forEach(function (other) {
          if (!found.has(other)) {
            found.add(other);
            next.push(other);
          }
        });
      });
      frontier = next;
    }
    return found;
  }

  function showNeighbourhood(id) {
    var depth = Number($("depth").value);
    only = neighbourhood(id, depth);
    onlyLabel = "neighbourhood of " + nodes.get(id).name + ", depth " + depth;
    hiddenTypes.delete(nodes.get(id).type);
    syncCheckboxes();
    refresh();
    network.selectNodes([id]);
    showDetails(id);
    network.fit({ nodes: Array.from(only).filter(function (n) { return nodeView.get(n); }), animation: false });
  }

  function syncCheckboxes() {
    document.querySelectorAll("input[data-type]").forEach(function (box) {
      box.checked = !hiddenTypes.has(box.dataset.type);
    });
    document.querySelectorAll("input[data-relationship]").forEach(function (box) {
      box.checked = !hiddenRelationships.has(box.dataset.relationship);
    });
  }

  function findNode(text) {
    var query = text.trim();
    if (!query) return null;
    var inBrackets = /\(([^()]+)\)$/.exec(query); // "Name (id)" from the suggestions
    if (inBrackets && nodes.get(inBrackets[1])) return inBrackets[1];
    if (nodes.get(query)) return query;
    var lower = query.toLowerCase();
    var all = nodes.get({ fields: ["id", "name"] });
    var tests = [
      function (n) { return n.id.toLowerCase() === lower || n.name.toLowerCase() === lower; },
      function (n) { return n.name.toLowerCase().indexOf(lower) === 0 || n.id.toLowerCase().indexOf(lower) === 0; },
      function (n) { return n.name.toLowerCase().indexOf(lower) >= 0 || n.id.toLowerCase().indexOf(lower) >= 0; },
    ];
    for (var i = 0; i < tests.length; i++) {
      var matches = all.filter(tests[i]);
      if (matches.length) {
        matches.sort(function (a, b) { return a.name.length - b.name.length || (a.id < b.id ? -1 : 1); });
        return matches[0].id;
      }
    }
    return null;
  }

  function search(text) {
    var id = findNode(text);
    if (id === null) {
      searchStatus.textContent = "No node matches \u201c" + text.trim() + "\u201d.";
      return null;
    }
    var node = nodes.get(id);
    if (hiddenTypes.has(node.type) || (only !== null && !only.has(id))) {
      hiddenTypes.delete(node.type);
      if (only !== null && !only.has(id)) only = null;
      syncCheckboxes();
      refresh();
    }
    network.selectNodes([id]);
    showDetails(id);
    state.found = null;
    network.once("animationFinished", function () {
      state.found = id;
    });
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.3),
      animation: { duration: 350, easingFunction: "easeInOutQuad" },
    });
    searchStatus.textContent = "Found " + node.name + " (" + id + ").";
    return id;
  }

  function reset() {
    hiddenTypes.clear();
    hiddenRelationships.clear();
    only = null;
    syncCheckboxes();
    refresh();
    network.unselectAll();
    showDetails(null);
    searchStatus.textContent = "";
    $("search").value = "";
    network.fit({ animation: false });
  }

  function savePng() {
    var canvas = container.querySelector("canvas");
    var link = document.createElement("a");
    link.href = canvas.toDataURL("image/png");
    link.download = (data.filename || "view") + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // Suggestions for the search box: "Name (id)".
  var suggestions = $("search-names");
  var fragment = document.createDocumentFragment();
  nodes.forEach(function (node) {
    var option = document.createElement("option");
    option.value = node.name + " (" + node.id + ")";
    fragment.appendChild(option);
  });
  suggestions.appendChild(fragment);

  $("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search($("search").value);
  });
  document.querySelectorAll("input[data-type]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) hiddenTypes.delete(box.dataset.type);
      else hiddenTypes.add(box.dataset.type);
      refresh();
    });
  });
  document.querySelectorAll("input[data-relationship]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) hiddenRelationships.delete(box.dataset.relationship);
      else hiddenRelationships.add(box.dataset.relationship);
      refresh();
    });
  });
  neighbourhoodButton.addEventListener("click", function () {
    if (selected !== null) showNeighbourhood(selected);
  });
  $("reset").addEventListener("click", reset);
  $("save-png").addEventListener("click", savePng);
  network.on("selectNode", function (params) {
    showDetails(params.nodes[0]);
  });
  network.on("deselectNode", function (params) {
    if (!params.nodes.length) showDetails(null);
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) showNeighbourhood(params.nodes[0]);
  });

  state.search = search;
  state.showNeighbourhood = showNeighbourhood;
  state.reset = reset;
  refresh();
  if (data.selected && nodes.get(data.selected)) {
    network.selectNodes([data.selected]);
    showDetails(data.selected);
  }
})();
