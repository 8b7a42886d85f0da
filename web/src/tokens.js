// Normalises the service's token JSON into the shape the views use.

/**
 * {id, name, owner, genome, seed, completedBy, generation, fusionCount, cooldownUntil, parents[], fusionMode,
 * attributes[]}
 * from a gallery entry (TokenSummary) or a metadata document (TokenMetadata): the fields only the
 * metadata document has are null (or empty) for a gallery entry.
 */
export function normToken(t) {
  return {
    id: Number(t.token_id),
    name: t.name,
    description: t.description ?? "",
    owner: t.owner,
    genome: t.genome,
    seed: t.seed ?? null,
    completedBy: t.completed_by ?? null,
    generation: t.generation,
    fusionCount: t.fusion_count ?? null,
    cooldownUntil: t.cooldown_until ?? null,
    parents: t.parents.map(Number),
    fusionMode: t.fusion_mode ?? null, // "crossover" | "blend" for a fused character, null for a founder
    attributes: Array.isArray(t.attributes) ? t.attributes : [],
    traits: Array.isArray(t.traits) ? t.traits : [], // [{trait, value, hidden, rarity}], shown values

    raw: t,
  };
}

/** {items, next, head}: a page of tokens (TokenPage), the next page's cursor (null at the end), the head block. */
export function normPage(res) {
  return { items: res.items.map(normToken), next: res.next_cursor, head: res.head ?? null };
}

const TIER_ORDER = ["legendary", "rare", "uncommon", "common"];

/** The `n` rarest shown traits (rarest first; ties keep the trait order): what a card names. */
export function topTraits(traits, n = 2) {
  const rank = (t) => { const i = TIER_ORDER.indexOf(t.rarity); return i < 0 ? TIER_ORDER.length : i; };
  return traits.map((t, i) => ({ t, i })).sort((x, y) => rank(x.t) - rank(y.t) || x.i - y.i).slice(0, n).map((x) => x.t);
}
