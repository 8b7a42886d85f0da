// Waiting for a request's reveal block, then completing it: shared by fusion and public mint.
// Shows the block countdown, lets the player send the completion (or notices that someone
// else completed it) and hands the new token id (== the request id) to `onBorn`.
import { ZERO_ADDRESS } from "./ether-units.js";
import { isDevChain } from "./devchain.js";
import { h, mount } from "./dom.js";
import { explain } from "./errors.js";
import { removePending } from "./pending.js";
import { link } from "./router.js";
import { send } from "./tx.js";
import { message, sameAddress, shortAddress } from "./ui.js";

const STALL_MS = 15_000;

const KINDS = {
  fusion: { label: "Fusion", complete: "completeFusion", event: "Fused", idIndex: 0 },
  mint: { label: "Mint", complete: "completePublicMint", event: "PublicMinted", idIndex: 0 },
};

/** The panel's parts, mounted into `box`: heading, status, meter, hints, the Complete button, an error slot. */
function panelParts(box, kind, request) {
  const status = h("p", { class: "reveal-status", role: "status" });
  const meter = h("progress", { max: 1, value: 0, "aria-label": "Blocks until the reveal" });
  const button = h("button", { type: "button", class: "primary", disabled: true }, [`Complete ${kind.label.toLowerCase()}`]);
  const error = h("div", { class: "reveal-error" });
  mount(box,
    h("h3", {}, [`${kind.label} request #${request.requestId}`]),
    status, meter,
    h("p", { class: "hint" }, [
      "The outcome is drawn from the hash of the reveal block, so nobody can know it in advance. ",
      "Once that block has arrived, anyone may complete the request: press the button, or wait for a keeper ",
      "where one runs (the demo runs one; it completes within a block or two). The new character goes to you either way, ",
      "and waiting changes nothing.",
    ]),
    h("div", { class: "actions" }, [button]), error);
  const stall = h("p", { class: "hint", hidden: true }, [
    "No new block for a while. A local development chain mines only when it gets a transaction: ",
    "turn on interval mining (evm_setIntervalMining) or send any transaction.",
  ]);
  status.after(stall);
  const byLine = h("p", { class: "hint completer", hidden: true });
  status.after(byLine);
  return { status, meter, button, error, stall, byLine };
}

/** A restarted dev chain reuses contract addresses: a remembered request must be on this chain. */
async function onThisChain(app, request) {
  const block = await app.wallet.provider.getBlock(request.requestBlock);
  return block?.hash === request.requestBlockHash;
}

/** The meter and status while the request waits: blocks to go, or that it can be completed now. */
function drawCountdown({ status, meter, button }, { current, reveal, startBlock, sending }) {
  meter.max = Math.max(1, reveal + 1 - startBlock);
  meter.value = Math.min(meter.max, Math.max(0, current - startBlock));
  // Completion reads blockhash(reveal), so it must run in a later block. Wallets estimate gas
  // against the latest block (geth) or the pending one (hardhat): wait until latest > reveal.
  if (current > reveal) {
    status.textContent = `The reveal block ${reveal} has arrived (now at block ${current}): the request can be completed.`;
    if (!sending) button.disabled = false;
  } else {
    status.textContent = `Waiting for the reveal block ${reveal}: now at block ${current}, ${reveal + 1 - current} to go.`;
  }
}

/**
 * Draws into `box` the reveal panel of `request` = {kind, requestId, revealBlock, requestBlock?, requestBlockHash?, a?, b?}
 * and polls the chain until the token is born; calls onBorn(tokenId).
 */
export function revealPanel(app, box, request, { signal, onBorn }) {
  const kind = KINDS[request.kind];
  const { status, meter, button, error, stall, byLine } = panelParts(box, kind, request);

  let startBlock = request.requestBlock ?? null;
  let lastHead = null;
  let stillSince = Date.now();
  let finished = false;
  let sending = false;
  let seenPending = false;
  let checkedChain = !request.requestBlockHash;
  const completedBy = (completer) => {
    if (!completer) return;
    byLine.hidden = false;
    byLine.textContent = sameAddress(completer, app.wallet.account)
      ? "Completed by you."
      : `Completed by ${shortAddress(completer)} (a keeper or another player: anyone may complete, the character is yours).`;
  };
  /** Reads who completed the request from its Fused / PublicMinted event. */
  const findCompleter = async () => {
    try {
      const contract = await app.wallet.contract();
      const filter = contract.filters[kind.event](request.requestId);
      const logs = await contract.queryFilter(filter, Number(request.revealBlock ?? 0));
      completedBy(logs[0]?.args?.completer);
    } catch { /* the token page shows it once indexed */ }
  };
  const born = (tokenId) => {
    if (finished) return;
    finished = true;
    removePending(app, request.requestId);
    status.textContent = `Born: character #${tokenId}.`;
    onBorn(tokenId);
  };

  button.addEventListener("click", async () => {
    sending = true;
    button.disabled = true;
    mount(error);
    try {
      const { events } = await send(app, `Complete ${kind.label.toLowerCase()} #${request.requestId}`, kind.complete, [request.requestId]);
      const args = events[kind.event];
      if (args) {
        completedBy(args.completer);
        born(Number(args[kind.idIndex]));
      }
    } catch (err) {
      mount(error, message(err.explained?.text ?? explain(err, app.abi).text, "error"));
      button.disabled = false;
    } finally {
      sending = false;
    }
  });

  const tick = async () => {
    if (signal.aborted || finished) return;
    try {
      if (!checkedChain) {
        if (!(await onThisChain(app, request))) {
          finished = true;
          removePending(app, request.requestId);
          mount(box, message(`Request #${request.requestId} was made on an earlier chain and is forgotten.`));
          return;
        }
        checkedChain = true;
      }
      const contract = await app.wallet.contract();
      const [head, onChain] = await Promise.all([app.wallet.blockNumber(), contract.fusionRequest(request.requestId)]);
      const current = Math.max(head, request.requestBlock ?? 0);
      if (head !== lastHead) [lastHead, stillSince] = [head, Date.now()];
      stall.hidden = !(isDevChain(app.config.chainId) && current <= Number(onChain[3]) && Date.now() - stillSince > STALL_MS);
      if (signal.aborted || finished) return;
      if (onChain[0] === ZERO_ADDRESS) {
        // Completed (by anyone): the new token's id is the request's id.
        if (seenPending) {
          if (!sending) {
            await findCompleter();
            born(Number(request.requestId));
          }
        } else {
          // Completed while the page was away: say so instead of jumping to another page.
          finished = true;
          removePending(app, request.requestId);
          mount(box, message([`${kind.label} request #${request.requestId} is complete: `,
            h("a", { href: link("token", request.requestId) }, [`see character #${request.requestId}`]), "."]));
        }
      } else {
        seenPending = true;
        const reveal = Number(onChain[3]);
        request.revealBlock = reveal;
        startBlock ??= Math.min(current, reveal - 1);
        drawCountdown({ status, meter, button }, { current, reveal, startBlock, sending });
      }
    } catch (err) {
      status.textContent = `Cannot read the chain: ${explain(err, app.abi).text}`;
    }
    if (!signal.aborted && !finished) setTimeout(tick, 1000);
  };
  tick();
}
