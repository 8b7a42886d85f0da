// The buy dialog: what the buyer pays now and who gets it (seller, royalty), and what the character has left
// of its fusions and whether it is resting, before the wallet is asked to pay.
import { h } from "../dom.js";
import { eth, sameAddress, shortAddress } from "../ui.js";
import { listingBreakdown } from "./price.js";

/** Opens a modal dialog for buying `token` through `view`; resolves true when the player confirms. */
export function confirmPurchase(app, token, view, { now, block, royaltyReceiver }) {
  const { total, parts } = listingBreakdown(view.order.parameters, now);
  const rows = parts.map((p) => {
    const who = sameAddress(p.recipient, view.maker) ? "to the seller"
      : sameAddress(p.recipient, royaltyReceiver) ? `royalty (ERC-2981) to ${shortAddress(p.recipient)}`
        : `to ${shortAddress(p.recipient)}`;
    return h("tr", {}, [h("th", { scope: "row" }, [who]), h("td", {}, [eth(p.amount)])]);
  });
  const cooldown = Number(token.cooldownUntil ?? 0);
  const resting = block !== null && cooldown > block;
  const dialog = h("dialog", { class: "buy-dialog", "aria-labelledby": "buy-title" }, [
    h("h2", { id: "buy-title" }, [`Buy character #${token.id}`]),
    h("table", { class: "breakdown", id: "buy-breakdown" }, [
      h("caption", {}, ["Price breakdown"]),
      h("tbody", {}, [...rows, h("tr", { class: "total" }, [h("th", { scope: "row" }, ["you pay"]), h("td", {}, [eth(total)])])]),
    ]),
    h("p", { id: "buy-fusions" }, [`Fusions used: ${token.fusionCount ?? "?"} of ${token.maxFusions ?? 16}. `,
      resting ? `Resting after its last fusion until block ${cooldown} (now ${block}).` : "Ready to fuse."]),
    view.start_price !== view.end_price
      ? h("p", { class: "muted" }, ["A Dutch auction: the price falls until the sale; any excess is refunded."]) : null,
    h("div", { class: "actions" }, [
      h("button", { type: "button", class: "primary", id: "buy-confirm", value: "yes" }, [`Buy for ${eth(total)}`]),
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
