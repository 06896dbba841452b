// The "Nodes shown" table (docs/explorer.md): the drawing's text alternative.
//
// One row per node drawn (after the filters), columns id, name, type,
// highlight. It is one stop in the tab order (a roving tabindex over its
// rows): the arrow keys, Home, End, Page Up and Page Down move between rows,
// and Enter or Space (or a click) chooses the row's node. A heading's button
// sorts by its column (again: the other way); "Show" keeps the nodes carrying
// one mark (a highlight word).

import { count, el } from "./dom.js";

const PAGE_ROWS = 10;

export class NodesTable {
  /** choose(id) is called when a row is chosen. */
  constructor(table, { choose, filter = null }) {
    this.table = table;
    this.body = table.tBodies[0];
    this.captionElement = table.caption;
    this.total = null;
    this.choose = choose;
    this.rows = [];
    this.allRows = [];
    this.sortKey = null;
    this.descending = false;
    this.mark = "";
    this.filter = filter;
    this.lastOptions = { focus: null, total: null };
    for (const button of table.querySelectorAll(".sort-button")) {
      button.addEventListener("click", () => this.sortBy(button.dataset.sort));
    }
    filter?.addEventListener("change", () => {
      this.mark = filter.value;
      this.render(this.allRows, this.lastOptions);
    });
    this.current = null; // the id of the row in the tab order
    this.body.addEventListener("keydown", (event) => this.key(event));
    this.body.addEventListener("click", (event) => {
      const row = event.target.closest("tr");
      if (row) this.pick(row);
    });
    this.body.addEventListener("focusin", (event) => {
      const row = event.target.closest("tr");
      if (row) this.rove(row, false);
    });
  }

  /**
   * Show these rows ({id, name, label, highlight}); `focus` is the focused
   * node's id (its row is marked current); `total` the nodes in the graph.
   */
  render(allRows, { focus, total }) {
    this.allRows = allRows;
    this.lastOptions = { focus, total };
    this.offerMarks(allRows);
    const keyOf = { id: "id", name: "name", type: "label", highlight: "highlight" };
    let rows = this.mark ? allRows.filter((row) => row.highlight.split(", ").includes(this.mark)) : [...allRows];
    if (this.sortKey) {
      const key = keyOf[this.sortKey];
      const sign = this.descending ? -1 : 1;
      rows.sort(
        (a, b) =>
          sign * String(a[key]).localeCompare(String(b[key]), "en", { sensitivity: "base", numeric: true }) ||
          (a.id < b.id ? -1 : 1),
      );
    }
    this.rows = rows;
    const fragment = document.createDocumentFragment();
    let keep = null;
    for (const row of rows) {
      const tr = el(
        "tr",
        { tabindex: "-1", dataset: { id: row.id } },
        el("td", { text: row.id }),
        el("td", { text: row.name }),
        el("td", { text: row.label }),
        el("td", { text: row.highlight }),
      );
      if (row.id === focus) tr.setAttribute("aria-current", "true");
      if (row.id === this.current) keep = tr;
      fragment.append(tr);
    }
    const hadFocus = this.body.contains(document.activeElement);
    this.body.replaceChildren(fragment);
    const roving = keep ?? this.body.querySelector('tr[aria-current="true"]') ?? this.body.rows[0] ?? null;
    if (roving) {
      roving.tabIndex = 0;
      this.current = roving.dataset.id;
      if (hadFocus) roving.focus({ preventScroll: true });
    }
    this.caption(total);
  }

  /** The filter's choices: every mark some row carries. */
  offerMarks(rows) {
    if (!this.filter) return;
    const marks = [...new Set(rows.flatMap((row) => (row.highlight ? row.highlight.split(", ") : [])))];
    const wanted = ["", ...marks];
    if ([...this.filter.options].map((o) => o.value).join() !== wanted.join()) {
      this.filter.replaceChildren(
        el("option", { value: "", text: "every node shown" }),
        ...marks.map((mark) => el("option", { value: mark, text: `only nodes marked ${mark}` })),
      );
    }
    if (!marks.includes(this.mark)) this.mark = "";
    this.filter.value = this.mark;
  }

  sortBy(key) {
    this.descending = this.sortKey === key ? !this.descending : false;
    this.sortKey = key;
    for (const th of this.table.tHead.querySelectorAll("th")) {
      const button = th.querySelector(".sort-button");
      th.setAttribute(
        "aria-sort",
        button?.dataset.sort === key ? (this.descending ? "descending" : "ascending") : "none",
      );
    }
    this.render(this.allRows, this.lastOptions);
  }

  /**
   * "Nodes shown: 140 of 140 in the graph" (the total once known); a node
   * the graph does not hold (the what-if's driver, ids "hypothetical;...";
   * a plan's offers, ids "offer;...") is counted apart: "..., and 1
   * hypothetical", "..., and 2 offers".
   */
  caption(total = this.total) {
    this.total = total ?? null;
    const hypothetical = this.rows.filter((row) => row.id.startsWith("hypothetical;")).length;
    const offers = this.rows.filter((row) => row.id.startsWith("offer;")).length;
    const of = this.total !== null ? ` of ${count(this.total)} in the graph` : "";
    let apart = hypothetical ? `, and ${count(hypothetical)} hypothetical` : "";
    if (offers) apart += `, and ${count(offers)} ${offers === 1 ? "offer" : "offers"}`;
    const only = this.mark ? ` (only those marked ${this.mark}, of ${count(this.allRows.length)} drawn)` : "";
    const inGraph = this.rows.length - hypothetical - offers;
    this.captionElement.textContent = `Nodes shown: ${count(inGraph)}${of}${apart}${only}`;
  }

  rove(row, focus = true) {
    for (const other of this.body.querySelectorAll('tr[tabindex="0"]')) {
      if (other !== row) other.tabIndex = -1;
    }
    row.tabIndex = 0;
    this.current = row.dataset.id;
    if (focus) {
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  key(event) {
    const row = event.target.closest("tr");
    if (!row) return;
    const rows = this.body.rows;
    const at = row.sectionRowIndex;
    const moves = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: rows.length - 1,
      PageDown: at + PAGE_ROWS,
      PageUp: at - PAGE_ROWS,
    };
    if (event.key in moves) {
      event.preventDefault();
      const target = rows[Math.max(0, Math.min(rows.length - 1, moves[event.key]))];
      if (target) this.rove(target);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.pick(row);
    }
  }

  pick(row) {
    this.rove(row, false);
    this.choose(row.dataset.id);
  }

  /** Scroll the table (only the table, not the page) to a node's row. */
  reveal(id) {
    const row = [...this.body.rows].find((tr) => tr.dataset.id === id);
    const box = this.table.parentElement;
    if (!row || !box) return;
    const top = row.offsetTop - this.table.tHead.offsetHeight;
    if (top < box.scrollTop || top + row.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }
}
