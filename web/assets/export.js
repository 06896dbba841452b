// Export what is shown: the picture as PNG (twice the screen's size) or SVG
// (for print), each with its title, legend, caption, source and date
// (picture.js); the nodes shown as the offline HTML page `graphmodel view`
// writes or as GraphML (both from /api/export, with the relationships among
// those nodes); the "Nodes shown" table as CSV; and the saved views as a slide
// deck (/api/slides: the deck `graphmodel slides` writes).
//
// The PNG, the SVG and the CSV are made in the page. Groups of a rolled-up overview
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
import { pictureFacts, pictureSvg, pngBlob, svgText } from "./picture.js";
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
    root.getElementById("export-svg").addEventListener("click", () => this.run(() => this.svg()));
    root.getElementById("export-slides").addEventListener("click", () => this.run(() => this.slides()));
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

  /** The picture of what is shown (title: the view presented, else what the state asks). */
  picture() {
    const presenting = this.explorer.presentation?.active ? this.explorer.presentation.title.textContent : null;
    const facts = pictureFacts(this.explorer, { title: presenting });
    return pictureSvg(this.explorer, facts);
  }

  async png() {
    const made = await pngBlob(this.picture(), 2);
    download(made.blob, "graphmodel-view.png");
    return `Saved the picture as graphmodel-view.png (${count(made.width)} × ${count(made.height)} pixels, with its title, legend and caption).`;
  }

  svg() {
    const picture = this.picture();
    download(new Blob([svgText(picture)], { type: "image/svg+xml" }), "graphmodel-view.svg");
    return `Saved the picture as graphmodel-view.svg (for print: it scales without blur).`;
  }

  /** The saved views (the team's, then this browser's) as a slide deck, from /api/slides. */
  async slides() {
    const views = this.explorer.views?.all() ?? [];
    if (!views.length) throw new Error("no view is saved yet: save one (Saved views), then export the deck");
    const address = new URL("/api/slides", window.location.origin);
    for (const view of views) {
      const kept = { ...view };
      delete kept.shared; // a mark of the list, not of the view
      address.searchParams.append("view", JSON.stringify(kept));
    }
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
    download(await response.blob(), "graphmodel-views.pptx");
    return `Saved ${plural(views.length, "slide")} as graphmodel-views.pptx (one per saved view).`;
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
