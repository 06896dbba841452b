// The view's state, and its place in the URL.
//
// Everything that decides what is drawn lives here, and the address bar holds
// it (history.replaceState), so a reload or a shared link shows the same
// view. Each piece of state is a *field* that reads itself from the query
// string and writes itself back; later features (overlays, a time window)
// add their own fields with registerField().
//
// Parameters (all optional; absent means the default):
//   max_nodes=N         the overview's size (default 2000)
//   expand=GROUP        a group shown as its members (repeatable, in order)
//   focus=ID            the chosen node (highlighted, framed, details shown)
//   depth=D             around the focus, neighbours to D steps (0-2, default 0)
//   hide_label=LABEL    a node type not drawn (repeatable)
//   hide_type=TYPE      a relationship type not drawn (repeatable)
//   open=ID or ID;N     a node with its neighbours shown, N pages of them (repeatable)
//   token=...           kept as it was: the server's secret, not view state

export const DEFAULT_MAX_NODES = 2000;
export const MAX_NODES_CHOICES = [200, 500, 1000, 2000, 5000, 10000, 20000];
export const MAX_DEPTH = 2;

function wholeNumber(text, low, high) {
  if (text === null || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= low && value <= high ? value : null;
}

function unique(values) {
  return [...new Set(values.filter((value) => value !== ""))];
}

/** The fields of part 1; each reads from URLSearchParams and writes to it. */
/**
 * One parameter of the page's state, kept in the address: its name on the state, its value
 * when the page opens, how it is read from and written to the query string.
 * @typedef {object} StateField
 * @property {string} name
 * @property {() => any} initial
 * @property {(params: URLSearchParams, known: any) => any} read
 * @property {(value: any, params: URLSearchParams, known: any, state: ViewState) => void} write
 */

/** @type {StateField[]} */
const FIELDS = [
  {
    name: "maxNodes",
    initial: () => DEFAULT_MAX_NODES,
    read: (params) => wholeNumber(params.get("max_nodes"), 1, 50000) ?? DEFAULT_MAX_NODES,
    write: (value, params) => {
      if (value !== DEFAULT_MAX_NODES) params.set("max_nodes", String(value));
    },
  },
  {
    name: "expand",
    initial: () => [],
    read: (params) => unique(params.getAll("expand")),
    write: (value, params) => value.forEach((group) => params.append("expand", group)),
  },
  {
    name: "focus",
    initial: () => null,
    read: (params) => params.get("focus") || null,
    write: (value, params) => {
      if (value !== null) params.set("focus", value);
    },
  },
  {
    name: "depth",
    initial: () => 0,
    read: (params) => wholeNumber(params.get("depth"), 0, MAX_DEPTH) ?? 0,
    write: (value, params) => {
      if (value !== 0) params.set("depth", String(value));
    },
  },
  {
    name: "hiddenLabels",
    initial: () => new Set(),
    read: (params, known) => new Set(params.getAll("hide_label").filter((label) => known.labels.includes(label))),
    write: (value, params, known) =>
      known.labels.filter((label) => value.has(label)).forEach((label) => params.append("hide_label", label)),
  },
  {
    name: "hiddenTypes",
    initial: () => new Set(),
    read: (params, known) => new Set(params.getAll("hide_type").filter((type) => known.types.includes(type))),
    write: (value, params, known) =>
      known.types.filter((type) => value.has(type)).forEach((type) => params.append("hide_type", type)),
  },
  {
    name: "open",
    initial: () => new Map(),
    read: (params) => {
      const open = new Map();
      for (const item of params.getAll("open")) {
        // Node ids never hold ";" (the model forbids it): "ID;N" is unambiguous.
        const cut = item.lastIndexOf(";");
        const pages = cut < 0 ? 1 : wholeNumber(item.slice(cut + 1), 1, 1000);
        const id = cut < 0 ? item : item.slice(0, cut);
        if (id && pages) open.set(id, pages);
      }
      return open;
    },
    write: (value, params) => {
      for (const [id, pages] of value) params.append("open", pages === 1 ? id : `${id};${pages}`);
    },
  },
];

/** Add a field to the state (a later feature's parameters); write() gets the whole state fourth. */
export function registerField(field) {
  if (FIELDS.some((known) => known.name === field.name)) throw new Error(`state field ${field.name} exists`);
  FIELDS.push(field);
}

export class ViewState {
  // The fields above, each set from FIELDS by the constructor (declared for the type check;
  // fields registered later are set the same way).
  /** @type {number} */ maxNodes;
  /** @type {string[]} */ expand;
  /** @type {string | null} */ focus;
  /** @type {number} */ depth;
  /** @type {Set<string>} */ hiddenLabels;
  /** @type {Set<string>} */ hiddenTypes;
  /** @type {Map<string, number>} */ open;
  // Fields the page's features register (registerField), those other modules read.
  /** @type {string | null} */ overlay; // overlays.js
  /** @type {string | null} */ whatIf; // whatif.js
  /** @type {string | null} */ pathTo; // explain.js
  /** @type {string | null} */ context; // answers.js

  /** `known`: the model's node labels and relationship types, to check the URL against. */
  constructor(known) {
    this.known = known;
    for (const field of FIELDS) this[field.name] = field.initial();
  }

  static fromSearch(search, known) {
    const params = new URLSearchParams(search);
    const state = new ViewState(known);
    for (const field of FIELDS) state[field.name] = field.read(params, known);
    return state;
  }

  toSearchParams() {
    const params = new URLSearchParams();
    for (const field of FIELDS) field.write(this[field.name], params, this.known, this);
    return params;
  }

  /** The state's query string (without the token), as the address bar holds it. */
  toString() {
    return this.toSearchParams().toString();
  }

  /** Back to the defaults (the overview as it first opens). */
  reset() {
    for (const field of FIELDS) this[field.name] = field.initial();
  }

  /** Write the state into the address bar, keeping the token the page was opened with. */
  writeToLocation() {
    const current = new URLSearchParams(window.location.search);
    const params = new URLSearchParams();
    if (current.has("token")) params.set("token", current.get("token"));
    for (const [key, value] of this.toSearchParams()) params.append(key, value);
    const query = params.toString();
    const address = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
    if (address !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(null, "", address);
    }
  }
}
