// Small DOM helpers. Everything that comes from the data goes in as text
// (text nodes, textContent, attribute values): never as HTML.

/**
 * Make an element: el("p", {class: "note", text: "Hello"}, child, "more text").
 * Attribute values are set with setAttribute (so they are never parsed as
 * markup); `on<event>` keys add listeners; strings among the children become
 * text nodes.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = String(value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else element.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

const numbers = new Intl.NumberFormat("en-GB");

/** A count as people read it: 12,345. */
export function count(n) {
  return numbers.format(n);
}

/** "1 node", "2 nodes". */
export function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** Whether the reader asked for less motion (the camera then jumps). */
export function reducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}
