// The fuse page's odds: the exact chance of every trait value of the child (GET /fusion/odds, over every
// seed the reveal block may give), beside the sampled previews, and what the two modes do differently.
import { h } from "../dom.js";
import { genesSection } from "./fuse-genes.js";

export const ODDS_SHOWN = 3; // values per trait, most likely first

/** "48.8 %", "0.4 %", "< 0.1 %" (no-break spaces, so a number keeps its sign): a chance at a glance. Pure. */
export function percentText(percent) {
  if (percent > 0 && percent < 0.05) return "<\u00a00.1\u00a0%";
  return `${percent.toFixed(1)}\u00a0%`;
}

/** One trait's line: its likely values with percent and rarity, then its chance of a rare and of a new value. */
function traitItem(trait) {
  const likely = trait.values.slice(0, ODDS_SHOWN);
  return h("li", { class: "odds-trait" }, [
    h("strong", {}, [trait.trait]), ": ",
    likely.flatMap((v, i) => [i ? ", " : "", `${v.value} ${percentText(v.percent)} `, h("span", { class: `rarity rarity-${v.rarity}` }, [`(${v.rarity})`])]),
    h("span", { class: "hint" }, [` — rare ${percentText(trait.rare_percent)}, new ${percentText(trait.new_percent)}`]),
  ]);
}

/** What one mode does to the 64 code genes (the face the named traits leave open), in words. */
export function genesText(mode, a, b) {
  const g = mode.genes;
  return mode.mode === "blend"
    ? `Blend: the face comes out between the parents' — ${percentText(g.between_percent)} of its genes between #${a}'s and #${b}'s, ${percentText(g.shared_percent)} shared by both, ${percentText(g.like_a_percent + g.like_b_percent)} like one of them.`
    : `Crossover: each part of the face comes from one parent — ${percentText(g.like_a_percent)} of its genes like #${a}'s, ${percentText(g.like_b_percent)} like #${b}'s, ${percentText(g.shared_percent)} shared by both.`;
}

/** The odds panel for a FusionOddsBody of both modes (a, b are the ids shown in the words); `roles`, the
 * renderer's gene map, names what the genes that differ most will do. */
export function oddsPanel(odds, a, b, roles = []) {
  const [first] = odds.modes;
  const same = odds.modes.every((m) => JSON.stringify(m.traits) === JSON.stringify(first.traits));
  return h("section", { class: "panel fusion-odds", "aria-labelledby": "odds-title" }, [
    h("h3", { id: "odds-title" }, ["The odds, exactly"]),
    h("p", { class: "hint" }, ["Over every seed the reveal block may give: not a sample."]),
    h("ul", { class: "odds-summary" }, [
      h("li", { "data-odds": "rare" }, [`A rare or legendary value: ${percentText(first.rare_percent)}`]),
      h("li", { "data-odds": "new" }, [`A value neither parent shows: ${percentText(first.new_percent)}`]),
      h("li", { "data-odds": "mutation" }, [`At least one mutation: ${percentText(first.mutation_percent)} (in a shown trait: ${percentText(first.trait_mutation_percent)})`]),
    ]),
    h("ul", { class: "odds-traits", "aria-label": "Likely values of each trait" }, first.traits.map(traitItem)),
    h("h4", {}, ["How the modes differ"]),
    h("p", { class: "odds-modes-same" }, [same
      ? "The traits above have the same odds in both modes: the mode changes only the face."
      : "The traits' odds differ between the modes."]),
    h("ul", { class: "odds-modes" }, odds.modes.map((m) => h("li", { "data-mode": m.mode }, [genesText(m, a, b)]))),
    genesSection(roles, odds, a, b),
  ]);
}
