// The analyses' overlays (docs/explorer.md): an analysis' answer drawn on the
// picture, from /api/overlays/{gaps,uncovered,duplicates,reach,brokers,plan}.
//
// The server turns the analysis' JSON into marked nodes (graphmodel/explore/
// overlays.py); the page brings those nodes in if the picture lacks them,
// draws the marks (marks.js: colour, outline and the words after the name),
// the pair scores on SIMILAR_TO and the candidates' SUGGESTED_RESPONSE links,
// a plan's actions as dashed PLANNED links (with their cost; its offers are
// nodes not in the graph),
// sizes brokers by betweenness, lists the marks' meaning in a legend, and
// puts the marks in the table's highlight column.
//
// URL: overlay=NAME, profession=P (gaps; repeatable), driver=D (reach),
// budget=POUNDS (plan), min_evaluation=LEVEL (gaps, uncovered, plan),
// from=DATE, to=DATE (every overlay; the time slicer sets them), as the
// command line's options.

import { ApiError } from "./api.js";
import { el, plural } from "./dom.js";
import { LINK_COLOURS, addLink, ask, bringIn, linkSwatch, markNode, markSwatch } from "./marks.js";
import { Picker } from "./picker.js";
import { registerField } from "./state.js";

export const OVERLAYS = ["gaps", "uncovered", "duplicates", "reach", "brokers", "plan"];
/** The overlays that take --min-evaluation. */
const EVALUATED = ["gaps", "uncovered", "plan"];
export const EVALUATIONS = ["none", "reaction", "learning", "behaviour", "results"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function oneOf(value, choices) {
  return choices.includes(value) ? value : null;
}

/** A budget in pounds from the address (digits, an optional fraction), or null. */
function amount(value) {
  if (value === null || !/^\d+(\.\d+)?$/.test(value)) return null;
  return Number(value);
}

function date(value) {
  return value && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

registerField({
  name: "overlay",
  initial: () => null,
  read: (params) => oneOf(params.get("overlay"), OVERLAYS),
  write: (value, params) => value && params.set("overlay", value),
});
registerField({
  name: "profession",
  initial: () => [],
  read: (params) => [...new Set(params.getAll("profession").filter(Boolean))],
  write: (value, params, _known, state) => {
    if (state?.overlay === "gaps") value.forEach((id) => params.append("profession", id));
  },
});
registerField({
  name: "driver",
  initial: () => null,
  read: (params) => params.get("driver") || null,
  write: (value, params, _known, state) => value && state?.overlay === "reach" && params.set("driver", value),
});
registerField({
  name: "budget",
  initial: () => null,
  read: (params) => amount(params.get("budget")),
  write: (value, params, _known, state) =>
    value !== null && state?.overlay === "plan" && params.set("budget", String(value)),
});
registerField({
  name: "minEvaluation",
  initial: () => null,
  read: (params) => oneOf(params.get("min_evaluation"), EVALUATIONS.slice(1)),
  write: (value, params, _known, state) =>
    value && EVALUATED.includes(state?.overlay) && params.set("min_evaluation", value),
});
registerField({
  name: "dateFrom",
  initial: () => null,
  read: (params) => date(params.get("from")),
  write: (value, params) => value && params.set("from", value),
});
registerField({
  name: "dateTo",
  initial: () => null,
  read: (params) => date(params.get("to")),
  write: (value, params) => value && params.set("to", value),
});

/** The time window as the analyses' query parameters. */
export function windowParameters(state) {
  const parameters = {};
  if (state.dateFrom) parameters.from = state.dateFrom;
  if (state.dateTo) parameters.to = state.dateTo;
  return parameters;
}

/** The query parameters of the state's overlay (what the command line would be given). */
export function overlayParameters(state) {
  const parameters = windowParameters(state);
  if (state.overlay === "gaps") parameters.profession = state.profession;
  if (state.overlay === "reach") parameters.driver = state.driver;
  if (state.overlay === "plan") parameters.budget = state.budget;
  if (EVALUATED.includes(state.overlay) && state.minEvaluation) {
    parameters.min_evaluation = state.minEvaluation;
  }
  return parameters;
}

/** What each overlay's nodes without a mark are. */
const UNMARKED = {
  gaps: "no mark: an active training event that covers a requirement",
  uncovered: "no mark: a profession that requires an uncovered competency",
};

/** Pounds and pence, as the command line prints them. */
function pounds(value) {
  return `£${Number(value).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function summaryText(name, doc) {
  const analysis = doc.analysis;
  const marked = doc.nodes.filter((node) => node.marks.includes("broker")).length;
  switch (name) {
    case "gaps":
      return `${plural(analysis.summary.gaps, "gap")}${"below_level" in analysis.summary ? ` (${analysis.summary.below_level} below the level needed)` : ""} and ${analysis.summary.covered} covered, of ${plural(analysis.summary.requirements, "requirement")}.`;
    case "uncovered":
      return `${plural(analysis.uncovered.length, "competency", "competencies")} no active training covers.`;
    case "duplicates":
      return `${plural(analysis.pairs.length, "pair")} of initiatives that repeat each other, in ${plural(analysis.clusters.length, "cluster")}.`;
    case "reach":
      return `${analysis.name}: ${plural(analysis.responding.length, "initiative")} responding, ${plural(analysis.candidates.length, "candidate")}.`;
    case "brokers":
      return `${plural(marked, "broker")}, drawn larger the more they hold the network together, with their neighbours.`;
    case "plan": {
      const figure = (value) => Number(value).toLocaleString("en-GB");
      const proven = analysis.optimal
        ? "proven optimal"
        : `not proven optimal: no plan closes more than ${figure(analysis.bound)}`;
      return (
        `${plural(analysis.actions.length, "action")} for ${pounds(analysis.cost)} of ${pounds(analysis.budget)} ` +
        `close ${plural(analysis.gaps_closed.length, "gap")} (severity ${figure(analysis.severity_closed)}; ${proven}); ` +
        `the greedy plan closes severity ${figure(analysis.greedy.severity_closed)} for ${pounds(analysis.greedy.cost)}.`
      );
    }
    default:
      return "";
  }
}

export class OverlayLayer {
  constructor(explorer) {
    this.explorer = explorer;
    this.pending = Promise.resolve(null);
    const root = explorer.root;
    this.select = root.getElementById("overlay");
    this.professionBox = root.getElementById("overlay-profession");
    this.driverBox = root.getElementById("overlay-driver");
    this.budgetBox = root.getElementById("overlay-budget");
    this.budget = /** @type {HTMLInputElement} */ (root.getElementById("budget"));
    this.evaluationBox = root.getElementById("overlay-evaluation");
    this.evaluation = root.getElementById("min-evaluation");
    this.status = root.getElementById("overlay-status");
    this.legend = root.getElementById("overlay-legend");
    const typeNames = new Map([...explorer.styles].map(([label, style]) => [label, style.singular]));
    this.profession = new Picker(
      root.getElementById("profession-search"),
      root.getElementById("profession-results"),
      root.getElementById("profession-status"),
      {
        prefix: "profession",
        label: "Profession",
        typeNames,
        choose: (result) => {
          explorer.state.profession = [result.id];
          explorer.update();
        },
      },
    );
    this.driver = new Picker(
      root.getElementById("driver-search"),
      root.getElementById("driver-results"),
      root.getElementById("driver-status"),
      {
        prefix: "driver",
        label: "Driver",
        typeNames,
        choose: (result) => {
          explorer.state.driver = result.id;
          explorer.update();
        },
      },
    );
    this.select.addEventListener("change", () => {
      explorer.state.overlay = this.select.value || null;
      // A new question: its answer view replaces the what-if's.
      if (explorer.state.overlay) explorer.state.whatIf = null;
      this.showParameters();
      explorer.update();
    });
    this.budgetBox.addEventListener("submit", (event) => {
      event.preventDefault();
      explorer.state.budget = amount(this.budget.value.trim());
      explorer.update();
    });
    this.evaluation.addEventListener("change", () => {
      explorer.state.minEvaluation = this.evaluation.value === "none" ? null : this.evaluation.value;
      explorer.update();
    });
  }

  showParameters() {
    const overlay = this.explorer.state.overlay;
    this.professionBox.hidden = overlay !== "gaps";
    this.driverBox.hidden = overlay !== "reach";
    this.budgetBox.hidden = overlay !== "plan";
    this.evaluationBox.hidden = !EVALUATED.includes(overlay);
  }

  /** The controls as the state says (after opening, a reset, a URL). */
  sync() {
    const state = this.explorer.state;
    this.select.value = state.overlay ?? "";
    this.evaluation.value = state.minEvaluation ?? "none";
    if (this.budget.ownerDocument.activeElement !== this.budget) {
      this.budget.value = state.budget === null ? "" : String(state.budget);
    }
    this.showParameters();
    const name = (id) => (this.explorer.graph.hasNode(id) ? this.explorer.graph.getNodeAttribute(id, "name") : id);
    this.profession.showChosen(state.profession.map(name).join(", "));
    this.driver.showChosen(state.driver ? name(state.driver) : "");
  }

  extension() {
    return {
      name: "overlay",
      gather: (explorer) => {
        this.pending = this.fetch(explorer.state);
        return this.pending;
      },
      decorate: (picture, data, explorer) => this.decorate(picture, data, explorer),
      highlight: (_explorer, data) =>
        new Map((data?.doc?.nodes ?? []).filter((node) => node.marks.length).map((node) => [node.id, node.marks])),
      panel: (_explorer, data) => this.panel(data),
    };
  }

  /** {doc} with the overlay's document, {missing: text} or {error: text}, or null for none. */
  async fetch(state) {
    const name = state.overlay;
    if (!name) return null;
    if (name === "gaps" && !state.profession.length) return { name, missing: "Choose a profession to see its gaps." };
    if (name === "reach" && !state.driver) return { name, missing: "Choose a policy driver to see its reach." };
    if (name === "plan" && state.budget === null) return { name, missing: "Give a budget to see a plan for it." };
    try {
      const doc = await ask(this.explorer, `/api/overlays/${name}`, overlayParameters(state));
      this.lastDoc = doc;
      return { name, doc };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      return { name, error: `The ${name} overlay cannot be shown: ${error.message}.` };
    }
  }

  decorate(picture, data, explorer) {
    const doc = data?.doc;
    if (!doc) return;
    // An answer view draws what it laid out; the whole network brings the answer in.
    if (!explorer.overview?.answer) bringIn(picture, doc.nodes, doc.relationships, explorer);
    for (const relationship of doc.relationships) {
      const score = relationship.properties?.score;
      if (relationship.virtual && relationship.type === "PLANNED") {
        // A plan's action: drawn dashed, as something that does not exist yet.
        const { kind, cost } = relationship.properties;
        addLink(picture, relationship, explorer, {
          colour: LINK_COLOURS.PLANNED,
          size: 2.5,
          caption: kind === "covers" ? "planned covers" : `planned ${kind} ${pounds(cost)}`,
          pinned: true,
          dashed: true,
        });
      } else if (relationship.virtual) {
        const words = relationship.type === "SIMILAR_TO" ? "similar" : "suggested response";
        addLink(picture, relationship, explorer, {
          colour: LINK_COLOURS[relationship.type] ?? LINK_COLOURS.mark,
          size: 3,
          caption: `${words} ${Number(score).toFixed(2)}`,
          pinned: true,
        });
      } else {
        addLink(
          picture,
          relationship,
          explorer,
          relationship.marks.length ? { colour: LINK_COLOURS.mark, size: 1.5 } : {},
        );
      }
    }
    const values = doc.nodes.filter((node) => node.value !== undefined).map((node) => node.value);
    const highest = Math.max(...values, 0);
    for (const node of doc.nodes) {
      const sizeFactor = node.value !== undefined && highest > 0 ? 1 + 2 * (node.value / highest) : 1;
      markNode(picture, node.id, node.marks, { sizeFactor });
    }
  }

  panel(data) {
    this.sync();
    const items = [];
    let text = "";
    if (data && (data.missing || data.error)) text = data.missing ?? data.error;
    else if (data) {
      const doc = data.doc;
      text = summaryText(data.name, doc);
      for (const entry of doc.legend) {
        items.push(
          el("li", {}, markSwatch(entry.mark), el("span", {}, el("strong", { text: entry.mark }), `: ${entry.text}`)),
        );
      }
      if (UNMARKED[data.name] && doc.nodes.some((node) => !node.marks.length)) {
        items.push(el("li", {}, el("span", { class: "swatch-gap" }), el("span", { text: UNMARKED[data.name] })));
      }
      const virtual = new Set(doc.relationships.filter((r) => r.virtual).map((r) => r.type));
      if (virtual.has("SIMILAR_TO")) {
        items.push(
          el(
            "li",
            {},
            linkSwatch(LINK_COLOURS.SIMILAR_TO),
            el("span", {}, el("strong", { text: "SIMILAR_TO" }), ": the pair's score (0 to 1)"),
          ),
        );
      }
      if (virtual.has("PLANNED")) {
        items.push(
          el(
            "li",
            {},
            linkSwatch(LINK_COLOURS.PLANNED, true),
            el(
              "span",
              {},
              el("strong", { text: "dashed" }),
              ": a planned action (an event opened to a profession, or an offer commissioned for it, with its cost; an offer's competencies)",
            ),
          ),
        );
      }
      if (virtual.has("SUGGESTED_RESPONSE")) {
        items.push(
          el(
            "li",
            {},
            linkSwatch(LINK_COLOURS.SUGGESTED_RESPONSE),
            el("span", {}, el("strong", { text: "SUGGESTED_RESPONSE" }), ": a candidate's score, best first"),
          ),
        );
      }
      if (doc.nodes.some((node) => node.marks.length)) {
        items.push(
          el("li", {
            class: "legend-note",
            text: "A marked node has a thick outline and its marks after its name, as in the table.",
          }),
        );
      }
    }
    this.status.textContent = text;
    this.legend.replaceChildren(...items);
    this.legend.hidden = items.length === 0;
  }
}
