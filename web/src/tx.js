// Sends one contract transaction through the wallet and reports every stage to the
// activity panel; failures are explained in plain words and re-thrown as TxError.
import { isDevChain } from "./devchain.js";
import { explain } from "./errors.js";

/** A failed wallet action, already explained: .explained = {kind, text}. */
export class TxError extends Error {
  constructor(explained, cause) {
    super(explained.text, { cause });
    this.explained = explained;
  }
}

function shortHash(hash) {
  return `${hash.slice(0, 10)}…${hash.slice(-4)}`;
}

/**
 * Calls contract method `method(...args, overrides)` with the wallet's signer.
 * Resolves to {receipt, events}: events maps an event name to its parsed args (the first log of each).
 */
export async function send(app, label, method, args = [], overrides = {}) {
  const { wallet, activity } = app;
  const entry = activity.start(label);
  try {
    if (!wallet.connected) await wallet.connect();
    if (wallet.wrongNetwork) {
      throw Object.assign(new Error("wrong network"), { code: "WRONG_NETWORK" });
    }
    const contract = await wallet.contract({ write: true });
    const tx = await contract[method](...args, overrides);
    entry.update("pending", `pending — sent as ${shortHash(tx.hash)}, waiting for a block…`);
    const receipt = await tx.wait();
    entry.update("done", `confirmed in block ${receipt.blockNumber}.`);
    const events = {};
    for (const log of receipt.logs) {
      let parsed = null;
      try {
        parsed = contract.interface.parseLog(log);
      } catch {
        /* a log of another contract */
      }
      if (parsed && !(parsed.name in events)) events[parsed.name] = parsed.args;
    }
    return { receipt, events };
  } catch (err) {
    const explained = err?.code === "WRONG_NETWORK"
      ? { kind: "network", text: "Your wallet is on another network: switch network first." }
      : explain(err, app.abi);
    if (explained.kind === "funds" && isDevChain(app.config.chainId)) {
      explained.text += " This is a development chain: “Get test ETH” (on the Mint page) gives you some for free.";
    }
    entry.update("fail", explained.text);
    throw new TxError(explained, err);
  }
}
