// The genome drawn as a barcode: 64 code genes as 4 bit-stripes each (gene 0 on the left),
// then the 8 traits, each a main nibble (dark) and a hidden sub nibble (pale).
import { svg } from "./dom.js";

const BAR = 3; // px per bit stripe
const GAP = 6; // px between the code and the traits

/** An <svg> barcode of a parsed genome, with a text alternative for screen readers. */
export function barcode(genome, { height = 56 } = {}) {
  const parts = [];
  let x = 0;
  genome.genes.forEach((g, j) => {
    for (let b = 3; b >= 0; b--) {
      if ((g >> b) & 1) parts.push(svg("rect", { x, y: 0, width: BAR, height, class: "bar-code" }));
      x += BAR;
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
