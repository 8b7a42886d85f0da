// The genome drawn as a barcode: 64 code genes as 4 bit-stripes each (gene 0 on the left),
// then the 8 traits, each a main nibble (dark) and a hidden sub nibble (pale). With the renderer's gene
// map (GET /genes), each gene's stripes carry a tooltip saying what the gene drives and its value here.
import { svg } from "./dom.js";

const BAR = 3; // px per bit stripe
const GAP = 6; // px between the code and the traits

/** "Gene 12 — Eye height: low eyes (0) to high eyes (15). Here: 9." (without a role: the value only). */
export function geneText(j, value, role) {
  return role ? `Gene ${j} — ${role.describes}. Here: ${value}.` : `Gene ${j}: ${value} of 15.`;
}

/** An <svg> barcode of a parsed genome, with a text alternative for screen readers; `roles` (the gene map,
 * gene 0 first, may be empty) gives each gene a tooltip. */
export function barcode(genome, { height = 56, roles = [] } = {}) {
  const parts = [];
  let x = 0;
  genome.genes.forEach((g, j) => {
    const start = x;
    for (let b = 3; b >= 0; b--) {
      if ((g >> b) & 1) parts.push(svg("rect", { x, y: 0, width: BAR, height, class: "bar-code" }));
      x += BAR;
    }
    if (roles[j]) {
      parts.push(svg("rect", { x: start, y: 0, width: 4 * BAR, height, class: "bar-gene", "data-gene": j },
        [svg("title", {}, [geneText(j, g, roles[j])])]));
    }
    if (j % 8 === 7) x += 1;
  });
  x += GAP;
  genome.mains.forEach((main, i) => {
    for (const [value, cls] of [[main, "bar-main"], [genome.subs[i], "bar-sub"]]) {
      for (let b = 3; b >= 0; b--) {
        if ((value >> b) & 1) parts.push(svg("rect", { x, y: 0, width: BAR, height, class: cls }));
        x += BAR;
      }
    }
    x += 2;
  });
  const label = `Genome barcode: code ${genome.hex.slice(0, 64)}, traits ${genome.hex.slice(64)}`;
  return svg(
    "svg",
    { viewBox: `0 0 ${x} ${height}`, class: "barcode", role: "img", "aria-label": label, preserveAspectRatio: "none" },
    [svg("title", {}, [label]), svg("rect", { x: 0, y: 0, width: x, height, class: "bar-bg" }), ...parts],
  );
}
