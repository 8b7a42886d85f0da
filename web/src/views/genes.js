// The character page's "What its code genes do": every code gene the renderer gives a role (GET /genes),
// grouped by the part it shapes, with this character's value on the gene's scale from 0 to 15.
import { h } from "../dom.js";

function row(role, value) {
  return h("tr", { "data-gene": role.index }, [
    h("th", { scope: "row" }, [`${role.index}`]),
    h("td", {}, [role.name.replaceAll("_", " ")]),
    h("td", {}, [role.low]),
    h("td", { class: "gene-value" }, [
      h("meter", { min: 0, max: 15, value, "aria-label": `${role.name.replaceAll("_", " ")}: ${value} of 15` }),
      ` ${value}`,
    ]),
    h("td", {}, [role.high]),
  ]);
}

/** A collapsed section listing each code gene's role and this character's value; null without a gene map. */
export function genesSection(genome, roles) {
  if (!roles?.length) return null;
  const groups = new Map();
  for (const role of roles) groups.set(role.group, [...(groups.get(role.group) ?? []), role]);
  return h("details", { class: "genes" }, [
    h("summary", {}, ["What its 64 code genes do"]),
    h("p", { class: "hint" }, [
      "Each code gene moves one feature smoothly from its low end (0) to its high end (15). ",
      "A child takes each gene from a parent (crossover) or between the two (blend), sometimes mutated.",
    ]),
    ...[...groups].map(([group, members]) => h("table", { class: "gene-table" }, [
      h("caption", {}, [group[0].toUpperCase() + group.slice(1)]),
      h("thead", {}, [h("tr", {}, ["Gene", "Drives", "At 0", "Here", "At 15"].map((t) => h("th", { scope: "col" }, [t])))]),
      h("tbody", {}, members.map((role) => row(role, genome.genes[role.index]))),
    ])),
  ]);
}
