// The explorer's JSON API (docs/explorer.md), asked from the page's own origin.
// The token travels in the cookie the server set when the page was opened.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

function url(path, parameters = {}) {
  const address = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(parameters)) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      address.searchParams.append(key, String(item));
    }
  }
  return address;
}

/** GET a document; a refusal becomes an ApiError carrying the server's one-line message. */
export async function getJSON(path, parameters = {}) {
  const response = await fetch(url(path, parameters), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  let body;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.error === "string" ? body.error : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return body;
}

/**
 * Most relationships an overview of `maxNodes` lists: four per node, at least
 * 2,000 and at most 20,000 (the server's default). Those standing for most
 * come first, so a large picture keeps its structure and stays legible (and
 * quick to draw).
 */
export function relationshipsFor(maxNodes) {
  return Math.min(Math.max(4 * maxNodes, 2000), 20000);
}

function nodePath(id) {
  return `/api/nodes/${encodeURIComponent(id)}`;
}

/**
 * The API with answers kept for the page's life: the same question is asked
 * once (a dataset does not change while served; `forget()` drops everything,
 * for a source that does).
 */
export class Api {
  constructor() {
    this.answers = new Map();
  }

  remembered(key, ask) {
    if (!this.answers.has(key)) {
      const answer = ask();
      this.answers.set(key, answer);
      // A refused request (400, 404) is the server's answer for this source and is kept:
      // asked again while the page opens, it would be refused again (and logged again).
      // Anything else (a server that did not answer) may be asked again.
      answer.catch((error) => {
        if (!(error instanceof ApiError && (error.status === 400 || error.status === 404))) {
          this.answers.delete(key);
        }
      });
    }
    return this.answers.get(key);
  }

  forget() {
    this.answers.clear();
  }

  /** Every mark's word, legend text and colours (graphmodel/marks.py). */
  marks() {
    return this.remembered("marks", () => getJSON("/api/marks"));
  }

  summary() {
    return this.remembered("summary", () => getJSON("/api/summary"));
  }

  search(q, limit = 12) {
    return getJSON("/api/search", { q, limit });
  }

  node(id) {
    return this.remembered(`node\u0000${id}`, () => getJSON(nodePath(id)));
  }

  /** A page of neighbours: `{nodes, relationships, total}`. */
  neighbours(id, { limit = 100, offset = 0, labels = null, types = null } = {}) {
    const parameters = { limit, offset, label: labels, type: types };
    const key = `neighbours\u0000${id}\u0000${JSON.stringify(parameters)}`;
    return this.remembered(key, () => getJSON(`${nodePath(id)}/neighbours`, parameters));
  }

  overview({ maxNodes, expand = [], rollUp = null }) {
    const parameters = { max_nodes: maxNodes, max_relationships: relationshipsFor(maxNodes), expand, roll_up: rollUp };
    const key = `overview\u0000${JSON.stringify(parameters)}`;
    return this.remembered(key, () => getJSON("/api/overview", parameters));
  }
}
