// Live data: the page follows the served dataset as a strategist edits it.
//
// The page asks /api/status every few seconds. When the graph's `version`
// changes the server has read a changed dataset: the page forgets every
// answer it kept and draws the same view (the state in the address) from the
// new graph. When the last reading found problems the server keeps the last
// good graph; the page says so in a status region (announced by screen
// readers) and lists the problems one a line, as `graphmodel validate`
// words them. A Neo4j database is not followed (`watching` false): the page
// stops asking.

import { el, plural } from "./dom.js";

/** How often the page asks whether the data changed, in milliseconds. */
export const POLL_MS = 2000;

function clock(stamp) {
  const date = new Date(stamp);
  return Number.isNaN(date.getTime()) ? stamp : date.toLocaleTimeString("en-GB");
}

export class LiveData {
  constructor(root, explorer, { interval = POLL_MS } = {}) {
    this.root = root;
    this.explorer = explorer;
    this.interval = interval;
    this.region = root.getElementById("live-status");
    this.version = null;
    this.problems = [];
    this.timer = null;
    this.reloads = 0;
    this.checks = 0;
  }

  start() {
    this.check();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), this.interval);
  }

  async check() {
    let status;
    try {
      const response = await fetch(new URL("/api/status", window.location.origin), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`${response.status}`);
      status = await response.json();
    } catch {
      // The server is restarting or gone: ask again later, say nothing yet.
      this.schedule();
      return;
    }
    this.checks += 1;
    const changed = this.version !== null && status.version !== this.version;
    this.version = status.version;
    if (changed) await this.reload();
    this.show(status, changed);
    if (status.watching) this.schedule();
  }

  /** The same view, drawn from the new graph. */
  async reload() {
    const explorer = this.explorer;
    explorer.api.forget();
    this.root.dispatchEvent(new CustomEvent("graphmodel:data-changed"));
    await explorer.update();
    try {
      explorer.summary = await explorer.api.summary();
      explorer.filters.counts(explorer.summary);
      explorer.table.caption(explorer.totalNodes());
    } catch (error) {
      explorer.fail(error);
    }
    this.reloads += 1;
  }

  show(status, changed) {
    const problems = status.problems ?? [];
    const same = problems.length === this.problems.length && problems.every((line, i) => line === this.problems[i]);
    if (same && !changed) return;
    this.problems = problems;
    if (problems.length) {
      this.region.classList.add("problems");
      this.region.replaceChildren(
        el(
          "p",
          {},
          el("strong", { text: "The data has problems: " }),
          `the last good graph is shown (read at ${clock(status.loaded_at)}). `,
          `${plural(problems.length, "problem")} found at ${clock(status.checked_at)}, as graphmodel validate words them:`,
        ),
        el("ul", {}, ...problems.map((line) => el("li", {}, el("code", { text: line })))),
      );
    } else if (changed) {
      this.region.classList.remove("problems");
      this.region.replaceChildren(
        el("p", {
          text: `The data changed: the graph was read again at ${clock(status.loaded_at)}; the view is kept.`,
        }),
      );
    }
  }
}
