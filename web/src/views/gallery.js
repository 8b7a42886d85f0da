// Gallery of all characters, or of the connected account's ("My characters"), with paging.
import { h, mount } from "../dom.js";
import { explain } from "../errors.js";
import { link } from "../router.js";
import { normPage } from "../tokens.js";
import { send } from "../tx.js";
import { connectPrompt, eth, heading, message, tokenCard } from "../ui.js";

const PAGE_SIZE = 12;

async function withdrawBox(app, signal) {
  const contract = await app.wallet.contract();
  const owed = await contract.pendingWithdrawal(app.wallet.account);
  if (signal.aborted || owed === 0n) return null;
  const button = h("button", { type: "button" }, ["Withdraw"]);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await send(app, "Withdraw", "withdraw");
      app.router.show({ keepFocus: true });
    } catch {
      button.disabled = false;
    }
  });
  return h("div", { class: "msg msg-ok" }, [h("p", {}, [`Your fusion offers earned ${eth(owed)}. `]), button]);
}

/** Renders the gallery; `mine` restricts it to the connected account. */
export async function galleryView(app, { params, signal }, { mine }) {
  const title = mine ? "My characters" : "All characters";
  const body = h("div", { class: "gallery-body" });
  mount(app.view, heading(title), body);
  if (mine && !app.wallet.connected) {
    mount(body, connectPrompt(app, "Connect your wallet to see the characters you own."));
    return;
  }
  const cursor = params.get("cursor") ?? undefined;
  const owner = mine ? app.wallet.account : undefined;
  mount(body, message("Loading characters…"));
  let page;
  try {
    page = normPage(await app.api.tokens({ owner, limit: PAGE_SIZE, cursor }));
  } catch (err) {
    if (!signal.aborted) mount(body, message(`The characters could not be loaded: ${err.message}`, "error"));
    return;
  }
  if (signal.aborted) return;
  const parts = [];
  if (mine && app.wallet.ready) {
    try {
      const box = await withdrawBox(app, signal);
      if (box) parts.push(box);
    } catch (err) {
      parts.push(message(explain(err, app.abi).text, "error"));
    }
  }
  if (page.items.length === 0) {
    parts.push(message(mine ? "You have no characters yet." : "No characters have been minted yet."));
    parts.push(h("p", {}, [h("a", { href: link("mint") }, ["Mint one"])]));
  } else {
    parts.push(h("ul", { class: "grid", "aria-label": title }, page.items.map((t) => tokenCard(t))));
  }
  // The cursors of the earlier pages ride along in the URL, so Previous works from a bookmark too.
  const route = mine ? "mine" : "gallery";
  const trail = (params.get("trail") ?? "").split(",").filter(Boolean);
  const previous = cursor ? { cursor: trail.at(-1) === "0" ? undefined : trail.at(-1), trail: trail.slice(0, -1).join(",") } : null;
  const pager = h("nav", { class: "pager", "aria-label": "Pages" }, [
    previous ? h("a", { href: link(route, previous), class: "button", rel: "prev" }, ["← Previous"]) : h("span"),
    h("span", { class: "page-number" }, [`Page ${trail.length + 1}`]),
    page.next ? h("a", { href: link(route, { cursor: page.next, trail: [...trail, cursor ?? "0"].join(",") }), class: "button", rel: "next" }, ["Next →"]) : h("span"),
  ]);
  if (cursor || page.next) parts.push(pager);
  if (signal.aborted) return;
  mount(body, ...parts);
}
