// The header's indicator of open requests (fusions and mints waiting to be completed), on every
// page: how many, whether their reveal block has come, and a one-click "Complete" for each.
import { ZERO_ADDRESS } from "./ether-units.js";
import { h, mount } from "./dom.js";
import { listPending, PENDING_CHANGED, removePending } from "./pending.js";
import { link } from "./router.js";
import { send } from "./tx.js";

const POLL_MS = 2000;
const COMPLETE = { fusion: "completeFusion", mint: "completePublicMint" };
// How far back the first look at the chain goes for an account's requests (~2 weeks of 12 s blocks).
const LOOKBACK_BLOCKS = 100_000;

/** Starts the indicator in `box` (#requests); it redraws on wallet and list changes and polls the chain. */
export function startRequestIndicator(app, box) {
  let timer = null;
  let busy = false;
  let shown = null;
  const seen = { account: null, next: 0, found: new Map() };
  const draw = async () => {
    clearTimeout(timer);
    if (!app.wallet.ready) {
      box.hidden = true;
      box.replaceChildren();
      shown = null;
      return;
    }
    let pending = listPending(app);
    let head = null;
    const states = new Map();
    try {
      const contract = await app.wallet.contract();
      head = await app.wallet.blockNumber();
      pending = mergeRequests(pending, await requestsOnChain(app, contract, head, seen));
      for (const r of pending) states.set(r.requestId, await contract.fusionRequest(r.requestId));
      for (const [id, state] of states) if (state[0] === ZERO_ADDRESS) seen.found.delete(id); // done for good
    } catch { /* the chain is unreachable: show what is remembered */ }
    // Completed by anyone (the keeper, usually), or from an earlier dev chain: not waiting any more. The
    // fuse and mint pages say what became of it and forget it; here it just stops counting.
    const open = pending.filter((r) => states.get(r.requestId)?.[0] !== ZERO_ADDRESS);
    box.hidden = open.length === 0;
    // Redrawn only when something changed, keeping the panel open (and focus) across polls.
    const signature = JSON.stringify(open.map((r) => [r.requestId, head !== null && head > r.revealBlock]));
    if (!busy && signature !== shown) {
      shown = signature;
      const wasOpen = box.querySelector("details")?.open ?? false;
      mount(box, open.length === 0 ? null : h("details", { class: "requests-box", open: wasOpen }, [
        h("summary", {}, [h("span", { class: "requests-count" }, [String(open.length)]),
          ` request${open.length === 1 ? "" : "s"} waiting`]),
        h("ul", {}, open.map((r) => requestLine(app, r, head, () => { busy = true; }, () => { busy = false; draw(); }))),
      ]));
    }
    timer = setTimeout(draw, POLL_MS);
  };
  window.addEventListener(PENDING_CHANGED, () => draw());
  app.wallet.addEventListener("change", () => draw());
  draw();
}

/**
 * The connected account's requests made anywhere (this page, the command line, another device), read from
 * the contract's FusionRequested and PublicMintRequested logs; each poll reads only the blocks since the last.
 */
async function requestsOnChain(app, contract, head, seen) {
  const account = app.wallet.account;
  if (!account) return [];
  if (seen.account !== account) Object.assign(seen, { account, next: Math.max(0, head - LOOKBACK_BLOCKS), found: new Map() });
  if (head >= seen.next) {
    const [fusions, mints] = await Promise.all([
      contract.queryFilter(contract.filters.FusionRequested(null, account), seen.next, head),
      contract.queryFilter(contract.filters.PublicMintRequested(null, account), seen.next, head),
    ]);
    for (const { args } of fusions) {
      seen.found.set(Number(args.requestId), { kind: "fusion", requestId: Number(args.requestId),
        revealBlock: Number(args.revealBlock), a: Number(args.parentA), b: Number(args.parentB) });
    }
    for (const { args } of mints) {
      seen.found.set(Number(args.requestId), { kind: "mint", requestId: Number(args.requestId),
        revealBlock: Number(args.revealBlock) });
    }
    seen.next = head + 1;
  }
  return [...seen.found.values()];
}

/** `remembered` (this browser's, with their details) plus those only the chain knows, by request id. */
function mergeRequests(remembered, onChain) {
  const ids = new Set(remembered.map((r) => r.requestId));
  return [...remembered, ...onChain.filter((r) => !ids.has(r.requestId))].sort((x, y) => x.requestId - y.requestId);
}

function requestLine(app, r, head, start, end) {
  const due = head !== null && head > r.revealBlock; // the reveal block's hash must be readable
  const label = r.kind === "mint" ? `Mint #${r.requestId}` : `Fusion #${r.requestId}${r.a ? ` (#${r.a} × #${r.b})` : ""}`;
  const button = h("button", {
    type: "button", class: "primary complete-request", disabled: !due, "data-request": r.requestId,
    title: due ? "" : `waits for block ${r.revealBlock + 1}`,
  }, [`Complete #${r.requestId}`]);
  button.addEventListener("click", async () => {
    start();
    button.disabled = true;
    try {
      await send(app, `Complete ${r.kind} #${r.requestId}`, COMPLETE[r.kind], [r.requestId]);
      removePending(app, r.requestId);
      app.go(link("token", r.requestId));
    } catch { /* explained in the activity panel */ }
    end();
  });
  return h("li", {}, [
    h("span", {}, [label, due ? ": ready to complete " : `: waiting for block ${r.revealBlock + 1} `]),
    button,
  ]);
}
