// What a player does on the market, through the wallet and seaport-js: list (fixed price or Dutch auction),
// offer WETH (wrapping ETH first when short), buy, accept an offer, cancel; each reported in the activity
// panel. The ERC-2981 royalty is added to every order as a fee item, paid out of the price; every order is
// restricted to the collection's LatentKinZone with the token's traits (it no longer fills once the token fused).
import { ApiError } from "../api.js";
import { market, submitOrder } from "./book.js";
import { explainTrade } from "./market-errors.js";
import { protection, royalty, seaport, weth } from "./seaport.js";

const ERC721 = 2; // Seaport's ItemType.ERC721 (seaport-js itself is loaded only when an order is made)

/** Runs `fn(entry)` as one line of the activity panel; failures are explained there and re-thrown. */
async function act(app, label, fn) {
  const entry = app.activity.start(label);
  try {
    const done = await fn(entry);
    entry.update("done", done ?? "done.");
  } catch (err) {
    const text = err instanceof ApiError ? err.message : explainTrade(err, app.abi).text;
    entry.update("fail", text);
    throw Object.assign(err, { explained: { text } });
  }
}

async function chainTime(app) {
  return (await app.wallet.provider.getBlock("latest")).timestamp;
}

async function fees(app, tokenId) {
  const { receiver, basisPoints } = await royalty(app, tokenId);
  return basisPoints ? [{ recipient: receiver, basisPoints }] : [];
}

/** Signs an order through seaport-js (its approvals first) and puts it in the service's book. */
async function createAndSubmit(app, entry, input) {
  const sdk = await seaport(app);
  const { executeAllActions } = await sdk.createOrder(input, app.wallet.account);
  entry.update("pending", "approve and sign in your wallet…");
  const order = await executeAllActions();
  return submitOrder(order);
}

/** Lists `tokenId` at `start` wei falling linearly to `end` over `seconds` (start = end: a fixed price). */
export function list(app, tokenId, start, end, seconds) {
  return act(app, `List #${tokenId}`, async (entry) => {
    const now = await chainTime(app);
    const stored = await createAndSubmit(app, entry, {
      offer: [{ itemType: ERC721, token: app.config.address, identifier: String(tokenId) }],
      consideration: [{ amount: start.toString(), endAmount: end.toString(), recipient: app.wallet.account }],
      fees: await fees(app, tokenId), startTime: String(now), endTime: String(now + seconds),
      ...(await protection(app, tokenId)),
    });
    return `listed; order ${stored.hash.slice(0, 10)}… is in the book.`;
  });
}

/** Wraps ETH into WETH until the account holds `amount`. */
export async function wrapUpTo(app, amount, entry) {
  const held = await (await weth(app)).balanceOf(app.wallet.account);
  if (held >= amount) return;
  entry?.update("pending", "wrap ETH into WETH in your wallet…");
  const tx = await (await weth(app, { write: true })).deposit({ value: amount - held });
  await tx.wait();
}

/** Offers `amount` WETH for `tokenId` for `seconds`. */
export function offer(app, tokenId, amount, seconds) {
  return act(app, `Offer for #${tokenId}`, async (entry) => {
    await wrapUpTo(app, amount, entry);
    const now = await chainTime(app);
    const where = await market();
    const stored = await createAndSubmit(app, entry, {
      offer: [{ token: where.weth, amount: amount.toString() }],
      consideration: [{ itemType: ERC721, token: app.config.address, identifier: String(tokenId),
                        recipient: app.wallet.account }],
      fees: await fees(app, tokenId), startTime: String(now), endTime: String(now + seconds),
      ...(await protection(app, tokenId)),
    });
    return `offer ${stored.hash.slice(0, 10)}… is in the book.`;
  });
}

/** Fills a book order (buy a listing, or accept an offer) through seaport-js. */
export function fill(app, label, view) {
  return act(app, label, async (entry) => {
    const sdk = await seaport(app);
    const { executeAllActions } = await sdk.fulfillOrder({ order: view.order, accountAddress: app.wallet.account });
    entry.update("pending", "approve and confirm in your wallet…");
    const tx = await executeAllActions();
    const receipt = await tx.wait();
    return `confirmed in block ${receipt.blockNumber}.`;
  });
}

/** Cancels the account's book order on Seaport. */
export function cancel(app, view) {
  return act(app, `Cancel order ${view.hash.slice(0, 10)}…`, async () => {
    const { totalOriginalConsiderationItems, ...components } = view.order.parameters;
    const tx = await (await seaport(app)).cancelOrders([components], app.wallet.account).transact();
    const receipt = await tx.wait();
    return `cancelled in block ${receipt.blockNumber}.`;
  });
}
