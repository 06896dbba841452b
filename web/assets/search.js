// The search box: an ARIA 1.2 combobox with a listbox of matches, asked of
// /api/search as the reader types.
//
// Keys: Down and Up move through the matches, Enter chooses the active match
// (or the best one), Escape closes the list (a second Escape clears the box).

import { el, plural } from "./dom.js";

const WAIT_MS = 150;
const LIMIT = 12;

export class SearchBox {
  /** choose(result) is called with {id, label, name}; typeNames maps a label to words. */
  constructor(input, list, status, api, { choose, typeNames }) {
    this.input = input;
    this.list = list;
    this.status = status;
    this.api = api;
    this.choose = choose;
    this.typeNames = typeNames;
    this.results = [];
    this.active = -1;
    this.asked = "";
    this.timer = null;
    this.pending = null;
    input.addEventListener("input", () => this.typed());
    input.addEventListener("keydown", (event) => this.key(event));
    input.addEventListener("blur", () => window.setTimeout(() => this.close(), 150));
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the input focused
  }

  typed() {
    window.clearTimeout(this.timer);
    const text = this.input.value.trim();
    if (!text) {
      this.results = [];
      this.close();
      this.status.textContent = "";
      return;
    }
    this.timer = window.setTimeout(() => this.ask(text), WAIT_MS);
  }

  /** Ask for matches to `text` (once per text); returns the results. */
  ask(text) {
    if (this.pending && this.asked === text) return this.pending;
    this.asked = text;
    this.pending = this.api
      .search(text, LIMIT)
      .then((answer) => {
        if (this.asked !== text) return this.results;
        this.results = answer.results;
        this.show(answer.total);
        return this.results;
      })
      .catch((error) => {
        this.results = [];
        this.close();
        this.status.textContent = error.message;
        return [];
      });
    return this.pending;
  }

  show(total) {
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (!this.results.length) {
      this.close();
      this.status.textContent = `No node matches “${this.asked}”.`;
      return;
    }
    this.list.replaceChildren(
      ...this.results.map((result, index) =>
        el(
          "li",
          {
            id: `search-option-${index}`,
            role: "option",
            "aria-selected": "false",
            onclick: () => this.pick(index),
          },
          el("span", { class: "result-name", text: result.name }),
          el("span", {
            class: "result-meta",
            text: `${this.typeNames.get(result.label) ?? result.label} · ${result.id}`,
          }),
        ),
      ),
    );
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    const more = total > this.results.length ? ` (the first ${this.results.length} shown)` : "";
    this.status.textContent = `${plural(total, "match", "matches")}${more}.`;
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  move(step) {
    if (!this.results.length) return;
    if (this.list.hidden) {
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }
    const count = this.results.length;
    this.active = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    [...this.list.children].forEach((option, index) =>
      option.setAttribute("aria-selected", String(index === this.active)),
    );
    const option = this.list.children[this.active];
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  async key(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      this.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const text = this.input.value.trim();
      // A listed choice (a picker lists its type's nodes while empty) is taken as it is.
      if (this.active >= 0 && (this.asked === text || !text)) {
        this.pick(this.active);
        return;
      }
      if (!text) return;
      if (this.active >= 0 && this.asked === text) {
        this.pick(this.active);
        return;
      }
      // Enter before the list arrived: ask now and take the best match.
      window.clearTimeout(this.timer);
      const results = await this.ask(text);
      if (results.length && this.asked === text) this.pick(0);
    } else if (event.key === "Escape") {
      if (!this.list.hidden) {
        event.preventDefault();
        this.close();
      } else if (this.input.value) {
        event.preventDefault();
        this.input.value = "";
        this.status.textContent = "";
      }
    }
  }

  pick(index) {
    const result = this.results[index];
    if (!result) return;
    this.close();
    this.input.value = result.name;
    this.status.textContent = `Showing ${result.name}.`;
    this.choose(result);
  }
}
