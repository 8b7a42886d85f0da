// The buy dialog: what the buyer pays now and who gets it (seller, royalty), and what the character has left
// of its fusions and whether it is resting, before the wallet is asked to pay.
import { h } from "../dom.js";
import { eth, sameAddress, shortAddress } from "../ui.js";
import { listingBreakdown } from "./price.js";

/**
 * What changed in `token` between the page's load and `fresh` (its traits read right before the fill), as a
 * sentence; null when nothing did. `stale` is true when the listing's zoneHash no longer matches the traits:
 * the zone would refuse the fill.
 */
export function changeSince(token, view, fresh, block) {
  if (!fresh) return { text: "The character's current state could not be read: it may have changed.", stale: false };
  const stale = Boolean(view.order.parameters.zoneHash) && Number(view.order.parameters.orderType) >= 2
    && view.order.parameters.zoneHash.toLowerCase() !== fresh.zoneHash.toLowerCase();
  const changes = [];
  const before = Number(token.fusionCount ?? 0);
  if (fresh.fusions !== before) changes.push(`it fused since (fusions used: ${before} then, ${fresh.fusions} now)`);
  const wasResting = Number(token.cooldownUntil ?? 0);
  if (fresh.restingUntil !== wasResting && fresh.restingUntil > (block ?? 0)) {
    changes.push(`it is resting until block ${fresh.restingUntil}`);
  }
  if (!changes.length && !stale) return null;
  const what = changes.length ? `Changed since this page loaded: ${changes.join("; ")}. ` : "";
  return { text: what + (stale ? "The listing was signed for the character as it was, so the market's zone will "
    + "refuse this purchase: nothing can be bought through it." : "Check it is still what you want."), stale };
}

/** Opens a modal dialog for buying `token` through `view`; resolves true when the player confirms. `fresh`
 * holds the token's traits read right before (see {changeSince}); the dialog shows those, and warns of changes. */
export function confirmPurchase(app, token, view, { now, block, royaltyReceiver, fresh }) {
  const change = fresh === undefined ? null : changeSince(token, view, fresh, block);
  const fusions = fresh?.fusions ?? token.fusionCount;
  const { total, parts } = listingBreakdown(view.order.parameters, now);
  const rows = parts.map((p) => {
    const who = sameAddress(p.recipient, view.maker) ? "to the seller"
      : sameAddress(p.recipient, royaltyReceiver) ? `royalty (ERC-2981) to ${shortAddress(p.recipient)}`
        : `to ${shortAddress(p.recipient)}`;
    return h("tr", {}, [h("th", { scope: "row" }, [who]), h("td", {}, [eth(p.amount)])]);
  });
  const cooldown = Number(fresh?.restingUntil ?? token.cooldownUntil ?? 0);
  const resting = block !== null && cooldown > block;
  const dialog = h("dialog", { class: "buy-dialog", "aria-labelledby": "buy-title" }, [
    h("h2", { id: "buy-title" }, [`Buy character #${token.id}`]),
    h("table", { class: "breakdown", id: "buy-breakdown" }, [
      h("caption", {}, ["Price breakdown"]),
      h("tbody", {}, [...rows, h("tr", { class: "total" }, [h("th", { scope: "row" }, ["you pay"]), h("td", {}, [eth(total)])])]),
    ]),
    change ? h("p", { id: "buy-changed", class: "form-error", role: "alert" }, [change.text]) : null,
    h("p", { id: "buy-fusions" }, [`Fusions used: ${fusions ?? "?"} of ${token.maxFusions ?? 16}. `,
      resting ? `Resting after its last fusion until block ${cooldown} (now ${block}).` : "Ready to fuse."]),
    view.start_price !== view.end_price
      ? h("p", { class: "muted" }, ["A Dutch auction: the price falls until the sale; any excess is refunded."]) : null,
    h("div", { class: "actions" }, [
      h("button", { type: "button", class: "primary", id: "buy-confirm", value: "yes", disabled: Boolean(change?.stale) },
        [`Buy for ${eth(total)}`]),
      h("button", { type: "button", id: "buy-cancel", value: "no" }, ["Cancel"]),
    ]),
  ]);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (yes) => { dialog.close(); dialog.remove(); resolve(yes); };
    dialog.querySelector("#buy-confirm").addEventListener("click", () => close(true));
    dialog.querySelector("#buy-cancel").addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", () => close(false));
    dialog.showModal();
  });
}
