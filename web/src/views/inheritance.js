// The character page's "What it could pass on": each trait's hidden value and its chance to surface in a
// child, and the shown value's chance, through this character alone (GET /tokens/{id}/inheritance).
import { h } from "../dom.js";
import { percentText } from "./fuse-odds.js";

function item(t) {
  const rarity = h("span", { class: `rarity rarity-${t.hidden_rarity}` }, [`(${t.hidden_rarity})`]);
  const words = t.value === t.hidden
    ? [`hides ${t.hidden} `, rarity, `, the value it shows: ${percentText(t.value_percent)} of children show it.`]
    : [`hides ${t.hidden} `, rarity, `: it surfaces in ${percentText(t.hidden_surfaces_percent)} of children and stays hidden in ${percentText(t.hidden_carried_percent)}; `,
      `the shown ${t.value}: ${percentText(t.value_percent)}.`];
  return h("li", { "data-trait": t.trait }, [h("strong", {}, [t.trait]), " ", ...words]);
}

/** The section for an Inheritance body; the chances count this character's own offer only (the partner may add). */
export function inheritanceSection(body) {
  return h("section", { class: "inheritance", "aria-labelledby": "inheritance-title" }, [
    h("h2", { id: "inheritance-title" }, ["What it could pass on"]),
    h("p", { class: "hint" }, [
      "A child gets one value per trait from each parent: the shown one three times in four, else the hidden one. ",
      "These chances count this character alone; the partner may bring the same values too.",
    ]),
    h("ul", { class: "inheritance-traits" }, body.traits.map(item)),
  ]);
}
