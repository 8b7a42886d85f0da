// Blocks as time: a cooldown of N blocks reads "ready in ~12 min", from the chain's own pace
// (GET /chain/status: seconds per block over the last blocks). Pure: no DOM, no fetch.

/** "~40 s", "~12 min", "~3 h", "~2 days" for a number of seconds (never "0"). */
export function approxDuration(seconds) {
  const s = Math.max(1, Math.round(seconds));
  if (s < 90) return `~${s} s`;
  if (s < 90 * 60) return `~${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `~${Math.round(s / 3600)} h`;
  return `~${Math.round(s / 86400)} days`;
}

/**
 * Where a character stands: {ready, text, title}. Resting while cooldownUntil > head (the chain's word
 * "can fuse again from block N"); worn out once it has fused maxFusions times. `title` names the block.
 */
export function restState({ cooldownUntil, fusionCount }, head, blockSeconds, maxFusions = 16) {
  if (fusionCount !== null && fusionCount !== undefined && fusionCount >= maxFusions) {
    return { ready: false, worn: true, text: `fused ${maxFusions} times: no more fusions`, title: "" };
  }
  const until = Number(cooldownUntil ?? 0);
  if (head === null || head === undefined || until <= head) {
    return { ready: true, text: "ready to fuse", title: until ? `cooldown ended at block ${until}` : "" };
  }
  const blocks = until - head;
  return {
    ready: false,
    until,
    text: `resting: ready in ${approxDuration(blocks * blockSeconds)}`,
    title: `ready from block ${until} (now ${head}, ${blocks} block${blocks === 1 ? "" : "s"} to go)`,
  };
}
