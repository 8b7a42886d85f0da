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
    raw: t,
  };
}

/** {items, next}: a page of tokens (TokenPage) and the cursor of the next page (null at the end). */
export function normPage(res) {
  return { items: res.items.map(normToken), next: res.next_cursor };
}
