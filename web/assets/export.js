// Export what is shown: the drawing as a PNG picture, the nodes shown as the
// offline HTML page `graphmodel view` writes or as GraphML (both from
// /api/export, with the relationships among those nodes), and the "Nodes
// shown" table as CSV.
//
// The PNG and the CSV are made in the page. Groups of a rolled-up overview
// stand for many nodes and are not nodes of the graph: the HTML and GraphML
// files hold the nodes drawn one by one.
//
// CSV and spreadsheets: a cell that starts with =, +, -, @ (or a tab or a
// carriage return) would be read by Excel, LibreOffice or Google Sheets as a
// formula, so a name written by someone else could run one ("CSV injection").
// Such a cell gets a leading apostrophe, which spreadsheets show as text and
// do not display; every cell is quoted, lines end CRLF (RFC 4180), and the
// file starts with a byte-order mark so Excel reads it as UTF-8.

import { ApiError } from "./api.js";
import { count, plural } from "./dom.js";
import { download } from "./views.js";

export const CSV_COLUMNS = ["id", "name", "type", "highlight"];

/** A cell a spreadsheet would take for a formula, made plain text. */
export function guardCell(text) {
  const value = String(text ?? "");
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The table's rows ({id, name, label, highlight}) as CSV text. */
export function tableCsv(rows) {
  const line = (cells) => cells.map((cell) => `"${guardCell(cell).replace(/"/g, '""')}"`).join(",");
  const lines = [line(CSV_COLUMNS), ...rows.map((row) => line([row.id, row.name, row.label, row.highlight]))];
  return `\ufeff${lines.join("\r\n")}\r\n`;
}

/** The drawing as one canvas: sigma's layers, one over the other, on the page's background. */
export function drawingCanvas(sigma, background) {
  // Drawn now, in this task, so the WebGL layers still hold their picture.
  sigma.refresh();
  const layers = [...sigma.getContainer().querySelectorAll("canvas")];
  const width = Math.max(...layers.map((layer) => layer.width));
  const height = Math.max(...layers.map((layer) => layer.height));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = background;
  context.fillRect(0, 0, width, height);
  // In the order the page stacks them (the drawing under its labels).
  for (const layer of layers) context.drawImage(layer, 0, 0, width, height);
  return canvas;
}

export class ExportPanel {
  constructor(root, explorer) {
    this.root = root;
    this.explorer = explorer;
    this.status = root.getElementById("export-status");
    root.getElementById("export-png").addEventListener("click", () => this.run(() => this.png()));
    root.getElementById("export-html").addEventListener("click", () => this.run(() => this.fromServer("html")));
    root.getElementById("export-graphml").addEventListener("click", () => this.run(() => this.fromServer("graphml")));
    root.getElementById("export-csv").addEventListener("click", () => this.run(() => this.csv()));
  }

  async run(action) {
    await this.explorer.whenIdle(); // what is shown once the last change is drawn
    try {
      this.status.textContent = await action();
    } catch (error) {
      this.status.textContent = `Could not export: ${error.message}`;
    }
  }

  /** The ids of the nodes shown, groups left out. */
  nodesShown() {
    return this.explorer.visible.nodes.filter((id) => !this.explorer.graph.getNodeAttribute(id, "group"));
  }

  async png() {
    const sigma = this.explorer.renderer.sigma;
    const background = getComputedStyle(this.explorer.container).backgroundColor || "#ffffff";
    const canvas = drawingCanvas(sigma, background);
    const blob = await new Promise((resolve, reject) =>
      canvas.toBlob((made) => (made ? resolve(made) : reject(new Error("the browser made no picture"))), "image/png"),
    );
    download(blob, "graphmodel-view.png");
    return `Saved the drawing as graphmodel-view.png (${count(canvas.width)} × ${count(canvas.height)} pixels).`;
  }

  csv() {
    const rows = this.explorer.table.rows;
    download(new Blob([tableCsv(rows)], { type: "text/csv;charset=utf-8" }), "graphmodel-nodes-shown.csv");
    return `Saved the table (${plural(rows.length, "row")}) as graphmodel-nodes-shown.csv.`;
  }

  async fromServer(format) {
    const ids = this.nodesShown();
    if (!ids.length) throw new Error("no node is drawn one by one (groups stand for many nodes)");
    const address = new URL("/api/export", window.location.origin);
    address.searchParams.set("format", format);
    for (const id of ids) address.searchParams.append("id", id);
    const response = await fetch(address, { credentials: "same-origin" });
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try {
        message = (await response.json()).error ?? message;
      } catch {
        // not JSON: keep the status
      }
      throw new ApiError(response.status, message);
    }
    const name = format === "html" ? "graphmodel-view.html" : "graphmodel-view.graphml";
    download(await response.blob(), name);
    const groups = this.explorer.visible.nodes.length - ids.length;
    const left = groups ? ` (${plural(groups, "group")} left out)` : "";
    return `Saved ${plural(ids.length, "node")} as ${name}${left}.`;
  }
}
