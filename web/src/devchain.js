// Dev chains only (hardhat, chain id from /config.json): a "get test ETH" button that tops the
// account up with the dev node's hardhat_setBalance. Asked through the wallet's own RPC (it talks
// to the same node), falling back to the RPC URL /config.json names; never shown on a real chain.
import { parseEther, toQuantity } from "./ether-units.js";
import { h } from "./dom.js";
import { explain } from "./errors.js";

/** Chain ids of local development nodes (hardhat, ganache / anvil's default). */
export const DEV_CHAINS = new Set([31337, 1337]);
const TOP_UP = parseEther("10");

export function isDevChain(chainId) {
  return DEV_CHAINS.has(Number(chainId));
}

async function rpc(url, method, params) {
  const response = await fetch(url, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code });
  return body.result;
}

/** Sets the connected account's balance to 10 ETH on the dev node (never lowers it). */
export async function getTestEth(app) {
  const { wallet, config } = app;
  if (!isDevChain(config.chainId)) throw new Error("test ETH exists on development chains only");
  if (!wallet.connected) await wallet.connect();
  if (wallet.wrongNetwork) throw Object.assign(new Error("wrong network"), { code: 4901 });
  const balance = await wallet.balance();
  if (balance >= TOP_UP) return balance;
  const params = [wallet.account, toQuantity(TOP_UP)];
  try {
    await wallet.ethereum.request({ method: "hardhat_setBalance", params });
  } catch (err) {
    if (!config.rpcUrl) throw err; // the wallet refuses node methods and no node URL is known
    await rpc(config.rpcUrl, "hardhat_setBalance", params);
  }
  return TOP_UP;
}

/** The button (null on a real chain); the result goes to the activity panel. */
export function testEthButton(app, { onDone } = {}) {
  if (!isDevChain(app.config.chainId)) return null;
  const button = h("button", { type: "button", class: "test-eth" }, ["Get test ETH"]);
  button.addEventListener("click", async () => {
    button.disabled = true;
    const entry = app.activity.start("Test ETH", "asking the development node…");
    try {
      await getTestEth(app);
      entry.update("done", "your account holds 10 ETH of this development chain (worth nothing elsewhere).");
      onDone?.();
    } catch (err) {
      entry.update("fail", explain(err, app.abi).text);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
