// Normalises the service's token JSON (issue #4) into the shape the views use.

/** {id, name, owner, genome, seed, completedBy, generation, fusionCount, cooldownUntil, parents[], attributes[]} */
export function normToken(t) {
  const id = Number(t.id ?? t.token_id ?? t.tokenId);
  const parents = (t.parents ?? [t.parent_a, t.parent_b]).map((p) => Number(p?.id ?? p ?? 0)).filter((p) => p > 0);
  return {
    id,
    name: t.name ?? `Character #${id}`,
    description: t.description ?? "",
    owner: t.owner ?? null,
    genome: t.genome ?? t.genome_hex ?? null,
    seed: t.seed ?? null,
    completedBy: t.completed_by ?? null,
    generation: t.generation ?? null,
    fusionCount: t.fusion_count ?? t.fusionCount ?? null,
    cooldownUntil: t.cooldown_until ?? t.cooldownUntil ?? null,
    parents,
    attributes: Array.isArray(t.attributes) ? t.attributes : [],
    raw: t,
  };
}

/** {items, next}: a page of tokens and the cursor of the next page (null at the end). */
export function normPage(res) {
  const items = Array.isArray(res) ? res : res.items ?? res.tokens ?? res.results ?? [];
  return { items: items.map(normToken), next: res.next_cursor ?? res.nextCursor ?? res.next ?? null };
}
