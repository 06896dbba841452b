// The answer views' layout (docs/explorer.md, "Answer views"): an answer's
// blocks (a framework area and its competencies, a layer of a driver's reach,
// a duplicate cluster) placed as columns of rows in the drawing's own pixels,
// so that no two nodes overlap and every name is shown without touching
// another.
//
// Names are drawn at 12 px to the right of their node (renderer.js), so a
// layout is readable when rows are at least a name's height apart and each
// column is as wide as the longest name in it. Columns are filled top to
// bottom; when they do not fit the drawing's width, names are shortened
// (ending in "…", the whole name on hover and in the table), then rows are
// packed closer, then the last context nodes are left out (the answer list
// keeps them). layoutAnswer() is a pure function of its input: the same
// answer in the same drawing always gets the same picture.

/** Names' size in pixels (renderer.js draws labels at this size). */
export const LABEL_SIZE = 12;
/** Row pitch: comfortable, and the closest allowed (two names' boxes may touch by 2 px). */
const PITCH = 17;
const MIN_PITCH = 12.5;
/** Between a node and its name (sigma's label margin and the readability measure's). */
const LABEL_GAP = 5;
const INDENT = 16;
const GUTTER = 22;
const MIN_LABEL = 72;
/** The last resort: names of two or three letters and an ellipsis, marks whole. */
const SHORTEST_LABEL = 26;
const TITLE_ROWS = 1;
const ELLIPSIS = "…";

/** A column of rows: {nodes: [{id, depth}], titles: [{row, text}]}. */
function newColumn() {
  return { rows: [], titles: [] };
}

/**
 * Flow blocks into columns of at most `rows` rows. A block starts with its
 * title row; a block longer than what is left starts a new column, and one
 * longer than a column continues in the next (without its title again).
 */
function flow(blocks, rows) {
  const columns = [newColumn()];
  let column = columns[0];
  let layer = blocks[0]?.layer;
  for (const block of blocks) {
    const needed = block.items.length + (block.title ? TITLE_ROWS : 0);
    // A new layer (a driver's responders, what they touch, the candidates) starts a column.
    const newLayer = block.layer !== layer;
    layer = block.layer;
    if (column.rows.length && (newLayer || column.rows.length + Math.min(needed, rows) > rows)) {
      column = newColumn();
      columns.push(column);
    }
    if (block.title) {
      // The block's first node anchors its title: a title follows it when it moves.
      column.titles.push({ row: column.rows.length, text: block.title, id: block.id, anchor: block.items[0]?.id });
      column.rows.push(null);
    }
    for (const item of block.items) {
      if (column.rows.length >= rows) {
        column = newColumn();
        columns.push(column);
      }
      column.rows.push(item);
    }
  }
  return columns.filter((c) => c.rows.some((row) => row !== null));
}

/**
 * The widest a column's rows need: indent, node, gap, name (at most `labelLimit`:
 * names are shortened) and marks (never shortened).
 */
function columnWidth(column, widthOf, radius, labelLimit) {
  let width = 0;
  for (const row of column.rows) {
    if (!row) continue;
    const { name, badge } = widthOf(row.id);
    const label = Math.min(name, labelLimit) + badge;
    width = Math.max(width, row.depth * INDENT + 2 * radius + LABEL_GAP + label);
  }
  return width;
}

/**
 * Shorten `text` to at most `limit` pixels, ending in an ellipsis; a `badge`
 * (" [gap]") follows the shortened name whole, so the mark is never cut off.
 */
export function shorten(text, limit, measure, badge = "") {
  if (badge) {
    if (measure(text + badge) <= limit) return text + badge;
    return shorten(text, Math.max(limit - measure(badge), measure("Wo…")), measure) + badge;
  }
  if (measure(text) <= limit) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(text.slice(0, middle).trimEnd() + ELLIPSIS) <= limit) low = middle;
    else high = middle - 1;
  }
  return text.slice(0, Math.max(low, 1)).trimEnd() + ELLIPSIS;
}

/**
 * Arrange physical columns for a layout: "radial" puts the centre column in
 * the middle, the first columns next to it (right, left, right...); "layers"
 * and the others read left to right, the centre (a driver) first.
 */
function arrange(layout, centreColumn, columns) {
  if (!centreColumn) return columns;
  if (layout !== "radial") return [centreColumn, ...columns];
  const right = [];
  const left = [];
  columns.forEach((column, index) => (index % 2 === 0 ? right : left).push(column));
  return [...left.reverse(), centreColumn, ...right];
}

/**
 * Lay an answer out. `answer`: {layout, centre: [ids], blocks: [{id, title,
 * header, items: [{id, depth}]}]}; `box`: {width, height} in pixels; `label(id)`
 * the text drawn for a node, `measure(text)` its width at 12 px; `radius(id)`
 * a node's drawn radius. Returns {positions: Map(id -> {x, y}), labels:
 * Map(id -> shown text), titles: [{x, y, width, text}], left: [ids not drawn],
 * pitch, bounds: {x: [0, width], y: [0, height]}}; y grows downwards (the
 * caller flips it for sigma).
 */
export function layoutAnswer(answer, box, { label, measure, radius }) {
  if (answer.layout === "row") return layoutRows(answer, box, { label, measure, radius });
  const width = Math.max(box.width, 200);
  const height = Math.max(box.height, 160);
  const maxRadius = Math.max(4, ...[...allIds(answer)].map(radius));
  const blocks = answer.blocks.map((block) => ({
    id: block.id,
    title: block.title,
    layer: answer.layout === "layers" || block.kind === "column" ? (block.layer ?? block.kind) : null,
    items: [...(block.header ? [{ id: block.header, depth: 0, header: true }] : []), ...block.items],
  }));
  const centre = (answer.centre ?? []).map((id) => ({ id, depth: 0 }));
  const fullWidth = new Map();
  const widthOf = (id) => {
    if (!fullWidth.has(id)) {
      const [name, badge] = split(label(id));
      fullWidth.set(id, { name: measure(name), badge: badge ? measure(badge) : 0 });
    }
    return fullWidth.get(id);
  };
  let dropped = [];
  let pitch = PITCH;
  let plan = null;
  let titled = true;
  let shortest = MIN_LABEL;
  // Tighter rows, then shorter names, then fewer context nodes, then no titles, then
  // the shortest names, until it fits; the answer's own nodes are never left out.
  for (let attempt = 0; attempt < 600 && !plan; attempt += 1) {
    const kept = blocks.map((block) => ({
      ...block,
      title: titled ? block.title : null,
      items: block.items.filter((item) => !dropped.includes(item.id)),
    }));
    const totalRows = kept.reduce((sum, block) => sum + block.items.length + (block.title ? TITLE_ROWS : 0), 0);
    let rows = Math.max(3, Math.floor(height / pitch));
    // Round a centre, the blocks go on both sides of it when there are several.
    if (answer.layout === "radial" && blocks.length > 1) rows = Math.min(rows, Math.ceil(totalRows / 2) + 2);
    const columns = flow(kept, rows);
    const centreColumn = centre.length ? { rows: centre, titles: [], centre: true } : null;
    const ordered = arrange(answer.layout, centreColumn, columns);
    const needed = (limit) =>
      ordered.reduce((sum, column) => sum + columnWidth(column, widthOf, maxRadius, limit), 0) +
      GUTTER * Math.max(0, ordered.length - 1);
    const longest = Math.max(shortest, ...allLabels(ordered, widthOf));
    let limit = longest;
    if (needed(limit) > width) {
      let low = shortest;
      let high = longest;
      while (high - low > 1) {
        const middle = (low + high) / 2;
        if (needed(middle) <= width) low = middle;
        else high = middle;
      }
      limit = low;
    }
    const candidate = needed(limit) <= width ? null : lastDroppable(blocks, dropped);
    if (needed(limit) <= width) plan = { ordered, limit, rows };
    else if (pitch > MIN_PITCH) pitch = Math.max(MIN_PITCH, pitch - 1.5);
    else if (candidate !== null) dropped = [...dropped, candidate];
    else if (titled) titled = false;
    else if (shortest > SHORTEST_LABEL) shortest = SHORTEST_LABEL;
    else plan = { ordered, limit: shortest, rows };
  }
  const { ordered, limit } = plan;
  const widths = ordered.map((column) => columnWidth(column, widthOf, maxRadius, limit));
  const used = widths.reduce((sum, w) => sum + w, 0);
  // Columns never overlap: a picture still too wide runs past the drawing's edge (pan to it).
  const gutter =
    ordered.length > 1 ? Math.max(LABEL_GAP, Math.min(GUTTER * 4, (width - used) / (ordered.length - 1))) : 0;
  const spare = Math.max(0, width - used - gutter * Math.max(0, ordered.length - 1));
  const positions = new Map();
  const labels = new Map();
  const titles = [];
  let x = spare / 2;
  // The picture sits in the middle of the drawing; the centre column in the middle of the picture.
  const tallest = Math.max(...ordered.map((column) => column.rows.length)) * pitch;
  const top0 = Math.max(0, (height - tallest) / 2);
  ordered.forEach((column, index) => {
    const count = column.rows.length;
    const top = column.centre ? top0 + Math.max(0, (tallest - count * pitch) / 2) : top0;
    column.rows.forEach((row, rowIndex) => {
      if (!row) return;
      const y = top + rowIndex * pitch + pitch / 2;
      const nodeX = x + row.depth * INDENT + maxRadius;
      positions.set(row.id, { x: nodeX, y });
      const [name, badge] = split(label(row.id));
      labels.set(row.id, shorten(name, limit, measure) + badge);
    });
    for (const title of column.titles) {
      titles.push({
        x,
        y: top + title.row * pitch + pitch / 2,
        width: widths[index],
        text: title.text,
        id: title.id,
        anchor: title.anchor,
      });
    }
    x += widths[index] + gutter;
  });
  return {
    positions,
    labels,
    titles,
    left: dropped,
    pitch,
    bounds: { x: [0, width], y: [0, height] },
  };
}

/** "Name [gap, area]" -> ["Name", " [gap, area]"]: the marks' words are never shortened. */
function split(text) {
  const found = /^(.*?)( \[[^[\]]*\])$/s.exec(text);
  return found ? [found[1], found[2]] : [text, ""];
}

function* allIds(answer) {
  for (const id of answer.centre ?? []) yield id;
  for (const block of answer.blocks) {
    if (block.header) yield block.header;
    for (const item of block.items) yield item.id;
  }
}

function allLabels(columns, widthOf) {
  const found = [];
  for (const column of columns) for (const row of column.rows) if (row) found.push(widthOf(row.id).name);
  return found;
}

/** The last item of the last block that is context (depth 1 first, then any but headers). */
function lastDroppable(blocks, dropped) {
  for (const depth of [1, 0]) {
    for (let b = blocks.length - 1; b >= 0; b -= 1) {
      const items = blocks[b].items;
      for (let i = items.length - 1; i >= 0; i -= 1) {
        const item = items[i];
        if (!item.header && item.depth === depth && !dropped.includes(item.id) && item.droppable !== false) {
          return item.id;
        }
      }
    }
  }
  return null;
}

/**
 * Chains in rows (a path): each chain's nodes left to right, on two lines in
 * turn, so a name only has to clear the name two steps on; names are
 * shortened when the chain is too long for the width.
 */
function layoutRows(answer, box, { label, measure, radius }) {
  const width = Math.max(box.width, 200);
  const height = Math.max(box.height, 160);
  const positions = new Map();
  const labels = new Map();
  const titles = [];
  const chains = answer.blocks;
  const band = Math.min(140, height / Math.max(chains.length, 1));
  const top = Math.max(0, (height - band * chains.length) / 2);
  chains.forEach((chain, number) => {
    const ids = chain.items.map((item) => item.id).filter((id) => !positions.has(id));
    const r = Math.max(4, ...ids.map(radius));
    // Step between nodes: half the widest name (two lines), within the width.
    const steps = Math.max(ids.length - 1, 1);
    const widest = Math.max(...ids.map((id) => measure(label(id))));
    const clear = 2 * r + LABEL_GAP + GUTTER;
    // steps * (limit + clear) / 2 + limit + 2r + gap <= width
    const fits = (width - (steps * clear) / 2 - 2 * r - LABEL_GAP) / (steps / 2 + 1);
    const limit = Math.max(MIN_LABEL, Math.min(widest, fits));
    const step = (limit + clear) / 2;
    const used = step * (ids.length - 1) + limit + 2 * r + LABEL_GAP;
    const left = Math.max(0, (width - used) / 2) + r;
    const middle = top + number * band + band / 2;
    titles.push({ x: left - r, y: middle - 3 * PITCH, width: used, text: chain.title, id: chain.id, anchor: ids[0] });
    ids.forEach((id, index) => {
      const y = middle + (index % 2 === 0 ? -PITCH : PITCH);
      positions.set(id, { x: left + index * step, y });
      const [name, badge] = split(label(id));
      labels.set(id, shorten(name, limit, measure, badge));
    });
  });
  return { positions, labels, titles, left: [], pitch: PITCH, bounds: { x: [0, width], y: [0, height] } };
}
