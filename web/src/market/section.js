// The market section of a character page: its listing (fixed price or Dutch auction, with the royalty shown),
// last sale and open offers; for its owner the forms to list, cancel, accept an offer or transfer; for anyone
// else buy now (through the buy dialog) and make an offer in WETH.
import { parseEther } from "../ether-units.js";
import { loadEthers } from "../ethers-lazy.js";
import { h } from "../dom.js";
import { send } from "../tx.js";
import { eth, message, sameAddress, shortAddress, weth } from "../ui.js";
import { cancel, fill, list, offer } from "./actions.js";
import { market, openOrders, sales } from "./book.js";
import { confirmPurchase } from "./buy-dialog.js";
import { auctionState } from "./price.js";
import { royalty, traitsNow } from "./seaport.js";

const HOUR = 3600;

function field(id, label, attrs = {}) {
  return [h("label", { for: id }, [label]), h("input", { id, name: id, autocomplete: "off", ...attrs })];
}

/** A form whose submit runs `action(values)`; bad input and refusals show in its own alert line. */
function form(id, title, fields, button, action) {
  const error = h("p", { class: "form-error", role: "alert" });
  const el = h("form", { class: "market-form", id }, [h("h3", {}, [title]), ...fields, error,
    h("div", { class: "actions" }, [h("button", { type: "submit", class: "primary" }, [button])])]);
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      await action(Object.fromEntries(new FormData(el)));
    } catch (err) {
      error.textContent = err.explained?.text ?? err.message;
    }
  });
  return el;
}

function wei(text, what) {
  try {
    const value = parseEther(String(text).trim());
    if (value > 0n) return value;
  } catch { /* below */ }
  throw new Error(`${what} must be a positive number of ETH, such as 0.05.`);
}

function listingText(view, now) {
  const auction = auctionState(view, now);
  const price = `${eth(view.current_price)} (royalty ${eth(view.royalty)} included)`;
  if (!auction) return `For sale at ${price}.`;
  const hours = (auction.secondsLeft / HOUR).toFixed(1);
  return `Dutch auction: now ${price}, falling from ${eth(auction.from)} to ${eth(auction.to)}, ${hours} h left.`;
}

function ownerForms(app, token, listing, offers, refresh) {
  const out = [];
  if (listing) {
    out.push(h("button", { type: "button", id: "listing-cancel",
      onclick: () => cancel(app, listing).then(refresh, () => {}) }, ["Cancel listing"]));
  } else {
    out.push(form("list-form", "Sell this character", [
      ...field("list-price", "Sale price, ETH (an auction's start price)", { inputmode: "decimal", required: true }),
      ...field("list-end", "Dutch auction: end price, ETH (empty: a fixed price)", { inputmode: "decimal" }),
      ...field("list-hours", "Runs for (hours)", { inputmode: "numeric", value: "168", required: true }),
    ], "List", async (v) => {
      const start = wei(v["list-price"], "The price");
      const end = v["list-end"].trim() ? wei(v["list-end"], "The end price") : start;
      const hours = Number(v["list-hours"]);
      if (!(hours > 0)) throw new Error("The duration must be a positive number of hours.");
      await list(app, token.id, start, end, Math.round(hours * HOUR));
      refresh();
    }));
  }
  for (const o of offers) {
    out.push(h("p", { class: "market-offer" }, [`Offer: ${weth(o.start_price)} from ${shortAddress(o.maker)} `,
      h("button", { type: "button", class: "accept-offer", "data-hash": o.hash,
        onclick: () => fill(app, `Accept offer on #${token.id}`, o).then(refresh, () => {}) }, ["Accept"])]));
  }
  out.push(form("transfer-form", "Transfer this character", field("transfer-to", "To address", { required: true }),
    "Transfer", async (v) => {
      const to = v["transfer-to"].trim();
      if (!(await loadEthers()).isAddress(to)) throw new Error("The address is not a valid Ethereum address.");
      await send(app, `Transfer #${token.id}`, "safeTransferFrom(address,address,uint256)", [app.wallet.account, to, token.id]);
      refresh();
    }));
  return out;
}

function buyerForms(app, token, listing, offers, context, refresh) {
  const out = [];
  if (listing) {
    out.push(h("button", { type: "button", class: "primary", id: "buy-now", onclick: async () => {
      const fresh = await freshState(app, token.id); // right before the fill, not as the page loaded
      if (await confirmPurchase(app, token, listing, { ...context, ...fresh })) {
        fill(app, `Buy #${token.id}`, listing).then(refresh, () => {});
      }
    } }, ["Buy now"]));
  }
  for (const o of offers.filter((x) => sameAddress(x.maker, app.wallet.account))) {
    out.push(h("p", { class: "market-offer" }, [`Your offer: ${weth(o.start_price)} `,
      h("button", { type: "button", onclick: () => cancel(app, o).then(refresh, () => {}) }, ["Cancel offer"])]));
  }
  out.push(form("bid-form", "Make an offer in WETH (ETH is wrapped first if needed)", [
    ...field("bid-price", "Offer in WETH", { inputmode: "decimal", required: true }),
    ...field("bid-hours", "Valid for (hours)", { inputmode: "numeric", value: "72", required: true }),
  ], "Make offer", async (v) => {
    const hours = Number(v["bid-hours"]);
    if (!(hours > 0)) throw new Error("The duration must be a positive number of hours.");
    await offer(app, token.id, wei(v["bid-price"], "The offer"), Math.round(hours * HOUR));
    refresh();
  }));
  return out;
}

/** The token's traits and the chain's head now ({fresh: null} where they cannot be read: the dialog says so). */
async function freshState(app, tokenId) {
  try {
    const [traits, block] = await Promise.all([traitsNow(app, tokenId), app.wallet.provider.getBlockNumber()]);
    return { fresh: traits, block };
  } catch {
    return { fresh: null };
  }
}

/** The <section> with the market of `token` (orders from the service's book, actions through the wallet). */
export async function marketSection(app, token, signal, currentBlock = null) {
  const section = h("section", { class: "panel", id: "market", "aria-labelledby": "market-title" }, [
    h("h2", { id: "market-title" }, ["Market"])]);
  let orders, history;
  try {
    if (!(await market())) {
      section.append(message("There is no Seaport market on this chain."));
      return section;
    }
    [orders, history] = await Promise.all([openOrders({ token: token.id }), sales(token.id)]);
  } catch (err) {
    section.append(message(`The market could not be loaded: ${err.message}`, "error"));
    return section;
  }
  if (signal.aborted) return section;
  const now = Math.floor(Date.now() / 1000);
  const listing = orders.find((o) => o.side === "listing" && sameAddress(o.maker, token.owner));
  const offers = orders.filter((o) => o.side === "offer");
  section.append(h("p", { id: "market-status" }, [listing ? listingText(listing, now) : "Not for sale."]));
  if (history.length) {
    const last = history[0];
    section.append(h("p", { id: "last-sale" }, [`Last sale: ${eth(last.price)} to ${shortAddress(last.buyer)} `
      + `on ${new Date(last.timestamp * 1000).toLocaleDateString()}.`]));
  }
  if (!app.wallet.ready) {
    section.append(message("Connect your wallet on the right network to buy, sell or make an offer."));
    return section;
  }
  const refresh = () => app.router.show({ keepFocus: true });
  if (sameAddress(token.owner, app.wallet.account)) {
    section.append(...ownerForms(app, token, listing, offers, refresh));
  } else {
    const chainNow = (await app.wallet.provider.getBlock("latest")).timestamp;
    const { receiver } = await royalty(app, token.id);
    section.append(...buyerForms(app, token, listing, offers,
      { now: chainNow, block: currentBlock, royaltyReceiver: receiver }, refresh));
  }
  return section;
}
