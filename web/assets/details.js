// The details panel: the chosen node's properties, its relationships counted
// by type, and what can be done with it (its neighbours, a group's members).

import { count, el, plural } from "./dom.js";

function valueText(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** How a relationship reads from the chosen node: [outgoing, incoming]. */
const RELATED = {
  IN_FRAMEWORK: ["In framework", "Competencies"],
  PART_OF: ["Part of", "Items"],
  EQUIVALENT_TO: ["Equivalent to", "Equivalent to"],
  REQUIRES: ["Requires", "Required by"],
  EMPLOYS: ["Employs", "Employed by"],
  MEMBER_OF: ["Member of", "Members"],
  LEADS: ["Leads", "Led by"],
  PARTNER_IN: ["Partner in", "Partners"],
  TARGETS: ["Targets", "Targeted by"],
  COVERS: ["Covers", "Covered by"],
  ADDRESSES: ["Addresses", "Addressed by"],
  RESPONDS_TO: ["Responds to", "Responded to by"],
  BUILDS_ON: ["Builds on", "Built on by"],
  DELIVERS: ["Delivers", "Delivered by"],
};
const NAMES_SHOWN = 12;

export class DetailsPanel {
  /** actions: {open(id), more(id), close(id), expandGroup(id), centre(id)}. */
  constructor(body, styles, actions) {
    this.body = body;
    this.styles = styles;
    this.actions = actions;
    this.hint = [...body.childNodes].map((node) => node.cloneNode(true));
  }

  clear() {
    this.body.replaceChildren(...this.hint.map((node) => node.cloneNode(true)));
  }

  message(text) {
    this.body.replaceChildren(el("p", { class: "hint", text }));
  }

  kindLine(label, words) {
    const style = this.styles.get(label);
    const swatch = style?.swatch ? style.swatch.cloneNode(true) : null;
    return el("p", { class: "details-kind" }, swatch, el("span", { text: words }));
  }

  /**
   * A node: `doc` is /api/nodes/{id}; `expansion` {shown, total} when its
   * neighbours are shown; `pages` how many pages of them the URL asks for.
   */
  /** The related nodes by name, grouped as they read from the node ("Led by: ..."). */
  relatedSection(doc, related) {
    if (!related?.relationships?.length) return null;
    const names = new Map(related.nodes.map((node) => [node.id, node.name]));
    const groups = new Map();
    for (const r of related.relationships) {
      const outgoing = r.source === doc.id;
      const other = outgoing ? r.target : r.source;
      const words = (RELATED[r.type] ?? [r.type, r.type])[outgoing ? 0 : 1];
      if (!groups.has(words)) groups.set(words, []);
      const list = groups.get(words);
      if (!list.includes(other)) list.push(other);
    }
    const list = el("dl", { class: "related-list" });
    for (const [words, ids] of groups) {
      ids.sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b, "en", { sensitivity: "base" }));
      // One name a line: a button wraps as a block, so a comma after a long name
      // would stand alone on the next line.
      const shown = ids.slice(0, NAMES_SHOWN).map((id) =>
        el(
          "li",
          {},
          el("button", {
            type: "button",
            class: "text-button",
            text: names.get(id) ?? id,
            "aria-label": `Choose ${names.get(id) ?? id} (${words.toLowerCase()})`,
            onclick: () => this.actions.choose?.(id),
          }),
        ),
      );
      const more = ids.length > NAMES_SHOWN ? el("li", { text: `and ${count(ids.length - NAMES_SHOWN)} more` }) : null;
      list.append(el("dt", { text: words }), el("dd", {}, el("ul", { class: "related-names" }, shown, more)));
    }
    const partial = related.total > related.nodes.length;
    return el(
      "section",
      { class: "details-section", "aria-label": "Related nodes" },
      el("h3", { text: "Related" }),
      list,
      partial
        ? el("p", {
            class: "hint",
            text: `The first ${count(related.nodes.length)} of ${count(related.total)} neighbours, by id.`,
          })
        : null,
    );
  }

  showNode(doc, { expansion, pages, pageSize, related = null }) {
    const typeName = this.styles.get(doc.label)?.singular ?? doc.label;
    const degreeEntries = Object.entries(doc.degree).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const relationships = degreeEntries.reduce((sum, [, n]) => sum + n, 0);
    const actions = el("div", { class: "details-actions" });
    const paging = el("p", { class: "paging" });
    if (!expansion) {
      actions.append(
        el("button", {
          type: "button",
          class: "primary",
          text: "Show neighbours",
          disabled: relationships === 0,
          onclick: () => this.actions.open(doc.id),
        }),
      );
    } else {
      // Shown by "Show neighbours" (pages > 0) or by the depth around the focus.
      const more = Math.max(expansion.total - expansion.shown, 0);
      paging.textContent =
        more > 0
          ? `Neighbours shown: ${count(expansion.shown)} of ${count(expansion.total)} (${count(more)} more).`
          : `All ${plural(expansion.total, "neighbour")} shown.`;
      if (more > 0) {
        actions.append(
          el("button", {
            type: "button",
            class: "primary",
            text: `Show ${count(Math.min(more, pageSize))} more`,
            onclick: () => this.actions.more(doc.id),
          }),
        );
      }
      if (pages > 0) {
        actions.append(
          el("button", { type: "button", text: "Hide neighbours", onclick: () => this.actions.close(doc.id) }),
        );
      }
    }
    actions.append(el("button", { type: "button", text: "Centre", onclick: () => this.actions.centre(doc.id) }));

    const properties = el("dl");
    for (const [key, value] of Object.entries(doc.properties)) {
      if (key === "id" || value === doc.name) continue; // said above
      properties.append(el("dt", { text: key.replaceAll("_", " ") }), el("dd", { text: valueText(value) }));
    }
    const degree = el(
      "ul",
      { class: "degree-list" },
      degreeEntries.map(([type, n]) =>
        el("li", {}, el("span", { class: "type-name", text: type }), el("span", { class: "count", text: count(n) })),
      ),
    );
    const parts = [
      el("p", { class: "details-name", text: doc.name, tabindex: "-1" }),
      this.kindLine(doc.label, `${typeName} · ${doc.id}`),
      actions,
      paging.textContent ? paging : null,
      this.relatedSection(doc, related),
      el(
        "section",
        { class: "details-section", "aria-label": "Relationships by type" },
        el("h3", { text: `Relationships: ${count(relationships)}` }),
        relationships ? degree : el("p", { class: "hint", text: "None." }),
      ),
      el(
        "section",
        { class: "details-section", "aria-label": "Properties" },
        el("h3", { text: "Properties" }),
        properties,
      ),
    ];
    this.body.replaceChildren(...parts.filter((part) => part !== null));
  }

  /** A group of the overview: what it stands for, and a button to show its members. */
  showGroup(id, attributes) {
    const typeName = this.styles.get(attributes.kind)?.name ?? attributes.kind;
    this.body.replaceChildren(
      el("p", { class: "details-name", text: attributes.name }),
      this.kindLine(attributes.kind, `Group · ${plural(attributes.members, "node")}`),
      el(
        "p",
        {},
        `This group stands for ${count(attributes.members)} ${typeName.toLowerCase()}. `,
        "Showing its members draws them round it (up to 500 at a time, the most connected first).",
      ),
      el(
        "div",
        { class: "details-actions" },
        el("button", {
          type: "button",
          class: "primary",
          text: "Show members",
          onclick: () => this.actions.expandGroup(id),
        }),
        el("button", { type: "button", text: "Centre", onclick: () => this.actions.centre(id) }),
      ),
    );
  }
}
