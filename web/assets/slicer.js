// The time slicer: a histogram of the months training events and initiatives
// start in (/api/timeline), with a window over it that can be dragged (the
// window, or either end) or moved with the keyboard. The window filters what
// is drawn: a training event or initiative whose dates (/api/periods) miss the
// window is hidden (faded under showcase); one without dates always stays, as
// in the command line. The window is the analyses' `from` and `to` too, so
// the overlays (gaps among them) follow it.
//
// URL: from=YYYY-MM-DD, to=YYYY-MM-DD (the window's first and last day).

import { count, plural } from "./dom.js";
import { ask, fade } from "./marks.js";

/** Node types with dates. */
export const DATED = ["TrainingEvent", "Initiative"];
/** Ids asked of /api/periods at a time (the address stays short). */
const PERIODS_BATCH = 100;
/** Wait this long after a key or a drag before asking for the new window. */
const SETTLE_MS = 250;
const MONTH_NAMES = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

function monthText(month) {
  return MONTH_NAMES.format(new Date(`${month}-01T00:00:00Z`));
}

function lastDay(month) {
  const [year, number] = month.split("-").map(Number);
  const day = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

/** Whether a period [start, end or start] meets the window (both ends inclusive); no start: always. */
export function inWindow(period, from, to) {
  if (!period || !period.start_date) return true;
  const end = period.end_date ?? period.start_date;
  return (to === null || period.start_date <= to) && (from === null || end >= from);
}

export class Slicer {
  /** layers: the analyses whose nodes are added to the picture (their `pending` answers). */
  constructor(explorer, layers) {
    this.explorer = explorer;
    this.layers = layers;
    this.periods = new Map();
    this.months = [];
    this.dragging = null;
    this.timer = null;
    this.range = null; // [first, last] month index shown while dragging or typing
    const root = explorer.root;
    this.section = root.getElementById("slicer");
    this.chart = root.getElementById("slicer-chart");
    this.bars = root.getElementById("slicer-bars");
    this.axis = root.getElementById("slicer-axis");
    this.window = root.getElementById("slicer-window");
    this.start = root.getElementById("slicer-start");
    this.end = root.getElementById("slicer-end");
    this.status = root.getElementById("slicer-status");
    root.getElementById("slicer-clear").addEventListener("click", () => this.commit(null));
    for (const [element, part] of [
      [this.window, "both"],
      [this.start, "start"],
      [this.end, "end"],
    ]) {
      element.addEventListener("keydown", (event) => this.key(event, part));
      element.addEventListener("pointerdown", (event) => this.grab(event, part));
    }
    this.chart.addEventListener("pointermove", (event) => this.drag(event));
    this.chart.addEventListener("pointerup", () => this.drop());
    this.chart.addEventListener("pointercancel", () => this.drop());
  }

  extension() {
    return {
      name: "slicer",
      gather: (explorer, sources) => this.gather(explorer, sources),
      decorate: (picture, data, explorer) => this.decorate(picture, data, explorer),
      panel: () => this.show(),
    };
  }

  async gather(explorer, sources) {
    const timeline = await ask(explorer, "/api/timeline");
    if (timeline.months !== this.timeline?.months) this.draw(timeline);
    const state = explorer.state;
    if (!state.dateFrom && !state.dateTo) return null;
    // Every dated node the picture may hold: the answers' and the analyses'.
    const named = [...sources.overview.nodes];
    if (sources.focus) named.push(sources.focus.named, ...sources.focus.page.nodes);
    for (const expansion of sources.expansions) {
      named.push(expansion.named, ...expansion.pages.flatMap((page) => page.nodes));
    }
    for (const answer of await Promise.all(this.layers.map((layer) => layer.pending))) {
      named.push(...(answer?.doc?.nodes ?? []), ...(answer?.named ?? []));
      for (const found of Object.entries(answer?.path?.doc?.nodes ?? {}))
        named.push({ id: found[0], label: found[1].label });
    }
    const wanted = [
      ...new Set(named.filter((node) => DATED.includes(node.label) && !node.id.includes(";")).map((node) => node.id)),
    ].filter((id) => !this.periods.has(id));
    for (let at = 0; at < wanted.length; at += PERIODS_BATCH) {
      const batch = wanted.slice(at, at + PERIODS_BATCH);
      const answer = await ask(explorer, "/api/periods", { id: batch });
      batch.forEach((id) => this.periods.set(id, null));
      for (const period of answer.periods) this.periods.set(period.id, period);
    }
    return { from: state.dateFrom, to: state.dateTo };
  }

  decorate(picture, window, explorer) {
    if (!window) return;
    const state = explorer.state;
    const outside = new Set();
    for (const [id, node] of picture.nodes) {
      if (!DATED.includes(node.kind) || node.group || id === state.focus) continue;
      if (!inWindow(this.periods.get(id), window.from, window.to)) outside.add(id);
    }
    if (state.fade) {
      for (const id of outside) {
        const node = picture.nodes.get(id);
        node.color = fade(node.color);
        node.outlineColor = fade(node.outlineColor);
        node.caption = "";
        node.pinned = false;
        node.faded = true;
      }
      return;
    }
    for (const id of outside) picture.nodes.delete(id);
    for (const [key, edge] of picture.edges) {
      if (outside.has(edge.source) || outside.has(edge.target)) picture.edges.delete(key);
    }
  }

  // -- the histogram ---------------------------------------------------------------

  draw(timeline) {
    this.timeline = timeline;
    this.months = timeline.months;
    this.section.hidden = this.months.length === 0;
    const totals = this.months.map((_, index) =>
      DATED.reduce((sum, label) => sum + (timeline.counts[label]?.[index] ?? 0), 0),
    );
    const highest = Math.max(...totals, 1);
    const colours = new Map(DATED.map((label) => [label, this.explorer.styles.get(label)?.colour ?? "#7b8794"]));
    const bars = this.months.map((month, index) => {
      const bar = document.createElement("div");
      bar.className = "slicer-bar";
      for (const label of DATED) {
        const n = timeline.counts[label]?.[index] ?? 0;
        if (!n) continue;
        const part = document.createElement("div");
        part.style.height = `${(100 * n) / highest}%`;
        part.style.background = colours.get(label);
        bar.append(part);
      }
      bar.title = `${monthText(month)}: ${count(totals[index])} starting`;
      return bar;
    });
    this.bars.replaceChildren(...bars);
    const ticks = this.months
      .map((month, index) => [month, index])
      .filter(([month], index) => month.endsWith("-01") || index === 0);
    this.axis.replaceChildren(
      ...ticks.map(([month, index]) => {
        const tick = document.createElement("span");
        tick.textContent = month.slice(0, 4);
        tick.style.left = `${(100 * index) / this.months.length}%`;
        return tick;
      }),
    );
    const undated = Object.values(timeline.undated).reduce((sum, n) => sum + n, 0);
    this.undated = undated;
  }

  /** The window as month indexes [first, last], from the state (or the drag under way). */
  indexes() {
    if (this.range) return this.range;
    const state = this.explorer.state;
    const last = this.months.length - 1;
    const find = (date, fallback) => {
      if (!date) return fallback;
      const month = date.slice(0, 7);
      if (month < this.months[0]) return 0;
      if (month > this.months[last]) return last;
      return this.months.indexOf(month);
    };
    return [find(state.dateFrom, 0), find(state.dateTo, last)];
  }

  show() {
    if (!this.months.length) return;
    const [first, last] = this.indexes();
    const n = this.months.length;
    const state = this.explorer.state;
    const whole = this.range === null && !state.dateFrom && !state.dateTo;
    this.window.style.left = `${(100 * first) / n}%`;
    this.window.style.width = `${(100 * (last - first + 1)) / n}%`;
    this.start.style.left = `${(100 * first) / n}%`;
    this.end.style.left = `${(100 * (last + 1)) / n}%`;
    this.window.classList.toggle("whole", whole);
    const from = monthText(this.months[first]);
    const to = monthText(this.months[last]);
    for (const [element, value, text] of [
      [this.start, first, from],
      [this.end, last, to],
      [this.window, first, `${from} to ${to}`],
    ]) {
      element.setAttribute("aria-valuemin", "0");
      element.setAttribute("aria-valuemax", String(n - 1));
      element.setAttribute("aria-valuenow", String(value));
      element.setAttribute("aria-valuetext", text);
    }
    const undated = this.undated ? ` (${plural(this.undated, "node")} without dates always shown)` : "";
    this.status.textContent = whole
      ? `Every date: ${from} to ${to}.`
      : `Training events and initiatives running ${state.dateFrom ?? "any time"} to ${state.dateTo ?? "any time"}${undated}.`;
  }

  // -- moving the window ---------------------------------------------------------------

  move(part, step, to = null) {
    const last = this.months.length - 1;
    let [first, end] = this.indexes();
    if (part === "both") {
      const width = end - first;
      first = to !== null ? to : first + step;
      first = Math.max(0, Math.min(last - width, first));
      end = first + width;
    } else if (part === "start") {
      first = Math.max(0, Math.min(end, to !== null ? to : first + step));
    } else {
      end = Math.min(last, Math.max(first, to !== null ? to : end + step));
    }
    this.range = [first, end];
    this.show();
  }

  key(event, part) {
    const last = this.months.length - 1;
    const steps = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -12, PageUp: 12 };
    if (event.key in steps) this.move(part, steps[event.key]);
    else if (event.key === "Home") this.move(part, 0, 0);
    else if (event.key === "End") this.move(part, 0, part === "both" ? last : last);
    else return;
    event.preventDefault();
    this.settle();
  }

  /** The month under a pointer. */
  monthAt(event) {
    const box = this.chart.getBoundingClientRect();
    const at = Math.floor(((event.clientX - box.left) / box.width) * this.months.length);
    return Math.max(0, Math.min(this.months.length - 1, at));
  }

  grab(event, part) {
    event.preventDefault();
    event.stopPropagation();
    event.currentTarget.focus();
    this.chart.setPointerCapture(event.pointerId);
    const [first] = this.indexes();
    this.dragging = { part, offset: this.monthAt(event) - first };
  }

  drag(event) {
    if (!this.dragging) return;
    const at = this.monthAt(event);
    const { part, offset } = this.dragging;
    this.move(part, 0, part === "both" ? at - offset : at);
  }

  drop() {
    if (!this.dragging) return;
    this.dragging = null;
    this.settle(0);
  }

  /** Ask for the window shown once the keys or the pointer rest. */
  settle(wait = SETTLE_MS) {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      const [first, last] = this.range ?? this.indexes();
      this.commit([first, last]);
    }, wait);
  }

  commit(range) {
    window.clearTimeout(this.timer);
    this.range = null;
    const state = this.explorer.state;
    state.dateFrom = range ? `${this.months[range[0]]}-01` : null;
    state.dateTo = range ? lastDay(this.months[range[1]]) : null;
    this.show();
    return this.explorer.update();
  }
}
