// Requests waiting for their reveal block, remembered per chain and account in localStorage
// so a reload (or a closed tab) can still complete them.

function key(app) {
  return `latentkin:pending:${app.config.chainId}:${app.config.address.toLowerCase()}:${(app.wallet.account ?? "").toLowerCase()}`;
}

/** The pending requests of the connected account: [{kind, requestId, revealBlock, a?, b?}]. */
export function listPending(app) {
  if (!app.wallet.account) return [];
  try {
    return JSON.parse(localStorage.getItem(key(app)) ?? "[]");
  } catch {
    return [];
  }
}

/** Fired on window whenever the list changes (the header's indicator listens). */
export const PENDING_CHANGED = "latentkin:pending";

export function addPending(app, request) {
  const all = listPending(app).filter((r) => r.requestId !== request.requestId);
  localStorage.setItem(key(app), JSON.stringify([...all, request]));
  window.dispatchEvent(new Event(PENDING_CHANGED));
}

export function removePending(app, requestId) {
  const before = listPending(app);
  const after = before.filter((r) => r.requestId !== requestId);
  if (after.length === before.length) return;
  localStorage.setItem(key(app), JSON.stringify(after));
  window.dispatchEvent(new Event(PENDING_CHANGED));
}
