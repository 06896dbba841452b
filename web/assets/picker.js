// A search box that picks one node, optionally of one type (a profession for
// the gaps overlay, a driver for reach, any node for a path): the page's
// search box (search.js) with its own option ids and a label filter.

import { getJSON } from "./api.js";
import { SearchBox } from "./search.js";

export class Picker extends SearchBox {
  /** prefix: unique among the page's ids; label: the node type to search, or null for any. */
  constructor(input, list, status, { prefix, label = null, choose, typeNames }) {
    const api = { search: (q, limit) => getJSON("/api/search", { q, limit, label }) };
    super(input, list, status, api, { choose, typeNames });
    this.prefix = prefix;
    this.label = label;
    // A picker of one type lists its choices as soon as it is empty and focused.
    input.addEventListener("focus", () => {
      if (this.label && !input.value.trim()) this.listAll();
    });
  }

  typed() {
    if (this.label && !this.input.value.trim()) {
      window.clearTimeout(this.timer);
      this.listAll();
      return;
    }
    super.typed();
  }

  /** Every node of the picker's type, by name (the first page; typing narrows it). */
  listAll() {
    this.asked = "";
    this.pending = this.api
      .search("", 50)
      .then((answer) => {
        if (this.input.value.trim()) return this.results;
        this.results = answer.results;
        this.show(answer.total);
        return this.results;
      })
      .catch((error) => {
        this.status.textContent = error.message;
        return [];
      });
    return this.pending;
  }

  show(total) {
    super.show(total);
    [...this.list.children].forEach((option, index) => {
      option.id = `${this.prefix}-option-${index}`;
    });
  }

  /** Show a chosen node's name without asking anything (the state came from the URL). */
  showChosen(text) {
    if (document.activeElement !== this.input) this.input.value = text;
  }
}
