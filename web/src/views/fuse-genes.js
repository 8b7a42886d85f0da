// The fuse page's "What the genes will do": with a renderer whose genes have named roles (GET /genes), the code
// genes where the two parents differ most, and what each mode makes of them, in words.
import { h } from "../dom.js";
import { parseGenome } from "../genome.js";

export const GENES_SHOWN = 4;

/** "Face width: #3 has 3, #7 has 12 (narrow (0) to wide (15)) — crossover gives 3 or 12, blend 7 or 8." Pure.
 * Blend takes the mean, rounded down or up by a random bit; crossover one parent's; either may mutate. */
export function geneLine(role, x, y, a, b) {
  const name = role.name.replaceAll("_", " ");
  const low = (x + y) >> 1;
  const high = (x + y + 1) >> 1;
  const blend = low === high ? `${low}` : `${low} or ${high}`;
  const crossover = x === y ? `${x}` : `${x} or ${y}`;
  return `${name[0].toUpperCase()}${name.slice(1)}: #${a} has ${x}, #${b} has ${y} (${role.low} (0) to ${role.high} (15))`
    + ` — crossover gives ${crossover}, blend ${blend}.`;
}

/** The GENES_SHOWN genes where parents (genome hex) differ most, gene order among equals: [role, x, y]. Pure. */
export function mostDifferent(roles, hexA, hexB, count = GENES_SHOWN) {
  const ga = parseGenome(hexA).genes;
  const gb = parseGenome(hexB).genes;
  return roles
    .map((role) => [role, ga[role.index], gb[role.index]])
    .filter(([, x, y]) => x !== y)
    .sort((p, q) => Math.abs(q[1] - q[2]) - Math.abs(p[1] - p[2]) || p[0].index - q[0].index)
    .slice(0, count);
}

/** The section for the parents of an odds body, or null when the renderer names no gene roles. */
export function genesSection(roles, odds, a, b) {
  if (!roles?.length) return null;
  const genes = mostDifferent(roles, odds.a, odds.b);
  return h("div", { class: "fuse-genes" }, [
    h("h4", {}, ["What the genes will do"]),
    genes.length
      ? h("ul", {}, genes.map(([role, x, y]) => h("li", { "data-gene": role.index }, [geneLine(role, x, y, a, b)])))
      : h("p", {}, ["The two parents have the same code: both modes give a child with their face (barring mutations)."]),
  ]);
}
