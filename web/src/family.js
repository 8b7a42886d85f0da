// Family trees: the service's family JSON flattened to {id -> {id, parents}}, then laid out as
// a picture: ancestors above the character, descendants below. Pure except for the SVG drawing.
import { api } from "./api.js";
import { svg } from "./dom.js";
import { link } from "./router.js";

/**
 * Every node of the service's family JSON (Family: an ancestor tree of nodes with `parents`, a
 * descendant tree of nodes with `children`, each node a `token_id`), keyed by id, with its parent ids.
 */
export function flattenFamily(json) {
  const nodes = new Map();
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== "object") return;
    const id = Number(value.token_id);
    if (id > 0) {
      const parents = (value.parents ?? []).map((p) => Number(p.token_id));
      const known = nodes.get(id) ?? { id, parents: [], generation: null, mode: null };
      for (const p of parents) if (!known.parents.includes(p)) known.parents.push(p);
      known.generation ??= value.generation ?? null;
      known.mode ??= value.fusion_mode ?? null; // "blend" | "crossover" for a fused character
      nodes.set(id, known);
      // A descendant tree lists children instead of parents: record the link on the child.
      for (const child of value.children ?? []) {
        const cid = Number(child.token_id);
        const c = nodes.get(cid) ?? { id: cid, parents: [], generation: child.generation ?? null, mode: child.fusion_mode ?? null };
        if (!c.parents.includes(id)) c.parents.push(id);
        nodes.set(cid, c);
      }
    }
    Object.values(value).forEach((v) => typeof v === "object" && visit(v));
  };
  visit(json);
  return nodes;
}

/**
 * Layout in slot units: [{id, x, level, root?}] and edges [{from, to}] (ids).
 * Ancestor level k (1..depth) sits k rows above the root, descendant level d sits d rows below.
 */
export function layoutFamily(nodes, rootId, depth) {
  const placed = [];
  const edges = [];
  const seen = new Set();
  // Ancestors: slot i of level k is the i-th of 2^k positions (a binary pedigree).
  const span = 2 ** depth;
  const up = (id, level, index) => {
    const node = nodes.get(id);
    const x = ((index + 0.5) * span) / 2 ** level;
    placed.push({ id, x, level: level === 0 ? 0 : -level, root: level === 0 });
    if (!node || level >= depth) return;
    node.parents.slice(0, 2).forEach((p, j) => {
      edges.push({ from: id, fromLevel: -level, fromX: x, to: p, toLevel: -(level + 1), toX: ((2 * index + j + 0.5) * span) / 2 ** (level + 1) });
      up(p, level + 1, 2 * index + j);
    });
  };
  up(rootId, 0, 0);
  // Descendants: a tidy tree, leaves left to right, each parent centred over its children.
  const children = (id) => [...nodes.values()].filter((n) => n.parents.includes(id)).map((n) => n.id).sort((a, b) => a - b);
  const down = [];
  let nextLeaf = 0;
  const walk = (id, level) => {
    seen.add(id);
    const kids = level < depth ? children(id).filter((c) => !seen.has(c)) : [];
    if (kids.length === 0) {
      const x = nextLeaf++;
      down.push({ id, x, level });
      return x;
    }
    const xs = kids.map((c) => walk(c, level + 1));
    const x = (xs[0] + xs.at(-1)) / 2;
    down.push({ id, x, level });
    kids.forEach((c, i) => edges.push({ from: id, fromLevel: level, to: c, toLevel: level + 1, toX: xs[i], down: true }));
    return x;
  };
  const rootDownX = walk(rootId, 0);
  const shift = span / 2 - rootDownX;
  for (const n of down) if (n.level > 0) placed.push({ ...n, x: n.x + shift });
  for (const e of edges) {
    if (!e.down) continue;
    e.fromX = (e.fromLevel === 0 ? rootDownX : down.find((n) => n.id === e.from && n.level === e.fromLevel).x) + shift;
    e.toX += shift;
  }
  return { placed, edges };
}

const SLOT = 108; // px per slot
const ROW = 128; // px per generation row
const IMG = 80; // px per portrait: a face must be recognisable

/** The family tree as an SVG picture; every node links to its character page; blended children are marked
 * (dashed frame, "blend" under the id). */
export function familyPicture(nodes, rootId, depth) {
  const { placed, edges } = layoutFamily(nodes, rootId, depth);
  const xs = placed.map((n) => n.x);
  const levels = placed.map((n) => n.level);
  const minX = Math.min(...xs) - 0.5;
  const maxX = Math.max(...xs) + 0.5;
  const minL = Math.min(...levels);
  const maxL = Math.max(...levels);
  const px = (x) => (x - minX) * SLOT;
  const py = (level) => (level - minL) * ROW + 8;
  const width = (maxX - minX) * SLOT;
  const height = (maxL - minL) * ROW + IMG + 44; // 8 above the top row; the id and a "blend" line below the lowest
  const lines = edges.map((e) => svg("line", {
    x1: px(e.fromX), y1: py(e.fromLevel) + IMG / 2, x2: px(e.toX), y2: py(e.toLevel) + IMG / 2, class: "tree-edge",
  }));
  const boxes = placed.map((n) => {
    const x = px(n.x) - IMG / 2;
    const y = py(n.level);
    const gen = nodes.get(n.id)?.generation;
    const blended = nodes.get(n.id)?.mode === "blend";
    const relation = n.root ? "this character" : n.level < 0 ? "ancestor" : "descendant";
    return svg("a", {
      href: link("token", n.id), class: `tree-node${n.root ? " tree-root" : ""}${blended ? " tree-blend" : ""}`,
      // Starts with the visible text ("#16 blend"), so speech users can say what they see.
      "aria-label": `#${n.id}${blended ? " blend" : ""}: Character #${n.id}, ${relation}${gen !== null && gen !== undefined ? `, generation ${gen}` : ""}${blended ? ", blended from its parents" : ""}`,
      "data-token": n.id,
    }, [
      svg("rect", { x: x - 3, y: y - 3, width: IMG + 6, height: IMG + 6, rx: 8, class: "tree-frame" }),
      svg("image", { href: api.tokenImage(n.id, IMG), x, y, width: IMG, height: IMG }),
      svg("text", { x: x + IMG / 2, y: y + IMG + 18, "text-anchor": "middle", class: "tree-label" }, [`#${n.id}`]),
      blended ? svg("text", { x: x + IMG / 2, y: y + IMG + 31, "text-anchor": "middle", class: "tree-mode" }, ["blend"]) : null,
    ]);
  });
  // Scales down to fit a narrow screen, but not below 60 % (then the box scrolls sideways).
  return svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "tree", role: "group",
    style: `width: 100%; max-width: ${width}px; min-width: ${Math.round(width * 0.6)}px`,
    "aria-label": `Family tree of character #${rootId}: ancestors above, descendants below`,
  }, [...lines, ...boxes]);
}
