// Prices of Seaport orders, computed the way Seaport does (pure: no DOM, no chain).

/** The amount of an item at unix time `now`: linear from start to end over [startTime, endTime]; consideration
 * items round up (roundUp), offer items down. All bigint. */
export function currentAmount(start, end, startTime, endTime, now, roundUp) {
  if (start === end) return end;
  const duration = endTime - startTime;
  let elapsed = now - startTime;
  if (elapsed < 0n) elapsed = 0n;
  if (elapsed > duration) elapsed = duration;
  const total = start * (duration - elapsed) + end * elapsed;
  if (total === 0n) return 0n;
  return roundUp ? (total - 1n) / duration + 1n : total / duration;
}

/** What a listing costs at `now` and who gets what: {total, parts: [{recipient, amount}]} (bigint amounts). */
export function listingBreakdown(parameters, now) {
  const startTime = BigInt(parameters.startTime);
  const endTime = BigInt(parameters.endTime);
  const parts = parameters.consideration
    .filter((i) => Number(i.itemType) <= 1) // native or ERC-20: the payments
    .map((i) => ({ recipient: i.recipient, amount: currentAmount(BigInt(i.startAmount), BigInt(i.endAmount), startTime, endTime, BigInt(now), true) }));
  return { total: parts.reduce((sum, p) => sum + p.amount, 0n), parts };
}

/** "falls from A to B until <date>" facts of a Dutch auction, or null for a fixed price. */
export function auctionState(order, now) {
  if (order.start_price === order.end_price) return null;
  const ends = Number(order.end_time);
  return { from: BigInt(order.start_price), to: BigInt(order.end_price), ends, secondsLeft: Math.max(0, ends - now) };
}
