// Before a fusion: the player's own open listings of either parent. Fusing changes a character under its
// listing; the listing's zone then refuses any fill on chain, but the signed order lives on until cancelled.
// The dialog warns first and offers to cancel those listings on Seaport in the same flow.
import { h } from "../dom.js";
import { eth, sameAddress } from "../ui.js";
import { cancel } from "./actions.js";
import { market, openOrders } from "./book.js";

/** The account's open listings of `ids` in the service's book ([] where the chain has no market). */
export async function ownListings(app, ids) {
  if (!(await market())) return [];
  const found = await Promise.all(ids.map((id) => openOrders({ token: id, side: "listing" })));
  return found.flat().filter((o) => sameAddress(o.maker, app.wallet.account));
}

function ask(listings, protectedByZone) {
  const names = listings.map((o) => `#${o.token_id} (${eth(o.current_price ?? o.start_price)})`).join(" and ");
  const consequence = protectedByZone
    ? "A fusion changes the character, so the market's zone will refuse any purchase of it, but the signed "
      + "listing stays valid on Seaport until it is cancelled."
    : "The listing stays valid after the fusion: a buyer could still buy the fused character at this price.";
  const dialog = h("dialog", { class: "buy-dialog", id: "fuse-listed", "aria-labelledby": "fuse-listed-title" }, [
    h("h2", { id: "fuse-listed-title" }, ["This character is for sale"]),
    h("p", { role: "alert" }, [`You listed ${names}. ${consequence}`]),
    h("div", { class: "actions" }, [
      h("button", { type: "button", class: "primary", id: "fuse-cancel-listing" }, ["Cancel the listing, then fuse"]),
      h("button", { type: "button", id: "fuse-keep-listing" }, ["Fuse and keep the listing"]),
      h("button", { type: "button", id: "fuse-back" }, ["Back"]),
    ]),
  ]);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    dialog.querySelector("#fuse-cancel-listing").addEventListener("click", () => close("cancel"));
    dialog.querySelector("#fuse-keep-listing").addEventListener("click", () => close("keep"));
    dialog.querySelector("#fuse-back").addEventListener("click", () => close("back"));
    dialog.addEventListener("cancel", () => close("back"));
    dialog.showModal();
  });
}

/**
 * Resolves true when the fusion of `ids` may go ahead: none of them is listed by the player, or the player chose
 * to keep the listings, or cancelled them on chain (each cancel is a line of the activity panel). False when the
 * player went back, or a cancel failed.
 */
export async function confirmListedFusion(app, ids) {
  const listings = await ownListings(app, ids);
  if (listings.length === 0) return true;
  const answer = await ask(listings, Boolean((await market())?.zone));
  if (answer === "back") return false;
  if (answer === "keep") return true;
  try {
    for (const listing of listings) await cancel(app, listing);
    return true;
  } catch {
    return false; // explained in the activity panel
  }
}
