// The fusion section of a character page: a link to fuse with it, its current fusion offer,
// and for its owner the form to set (who may fuse, price) or cancel the offer.
import { parseEther, ZERO_ADDRESS } from "../ether-units.js";
import { loadEthers } from "../ethers-lazy.js";
import { h } from "../dom.js";
import { explain } from "../errors.js";
import { link } from "../router.js";
import { send } from "../tx.js";
import { eth, message, sameAddress, shortAddress } from "../ui.js";

/** The fusion that used the token's last offer: {requestId, requester}, or null (cancelled by hand, or none). */
async function lastUse(app, contract, tokenId) {
  try {
    const ended = await contract.queryFilter(contract.filters.FusionOfferCancelled(tokenId), 0);
    const last = ended.at(-1);
    if (!last) return null;
    const receipt = await app.wallet.provider.getTransactionReceipt(last.transactionHash);
    for (const log of receipt.logs) {
      let parsed = null;
      try {
        parsed = contract.interface.parseLog(log);
      } catch { /* another contract's log */ }
      if (parsed?.name === "FusionRequested") return { requestId: Number(parsed.args.requestId), requester: parsed.args.requester };
    }
  } catch { /* no log access: say nothing more */ }
  return null;
}

/** The <section> with the offer of `token` (read through the wallet, which must be on the chain). */
export async function offerSection(app, token, signal) {
  const section = h("section", { class: "panel", "aria-labelledby": "offer-title" }, [
    h("h2", { id: "offer-title" }, ["Fusion"]),
    h("p", {}, [h("a", { class: "button primary", href: link("fuse", { a: token.id }) }, [`Fuse #${token.id} with…`])]),
  ]);
  if (!app.wallet.ready) {
    section.append(message("Connect your wallet on the right network to see or set fusion offers."));
    return section;
  }
  let offer;
  let contract;
  try {
    contract = await app.wallet.contract();
    offer = await contract.fusionOffer(token.id);
  } catch (err) {
    section.append(message(explain(err, app.abi).text, "error"));
    return section;
  }
  if (signal.aborted) return section;
  const [fuser, price] = [offer[0], offer[1]];
  const active = fuser !== ZERO_ADDRESS || price > 0n;
  const who = fuser === ZERO_ADDRESS ? "anyone" : sameAddress(fuser, app.wallet.account) ? "you" : shortAddress(fuser);
  section.append(
    h("p", { class: "offer" }, [active ? `Fusion offer: ${who} may fuse with #${token.id} for ${eth(price)}.` : "No fusion offer is set."]),
    h("p", { class: "hint offer-rule" }, ["An offer is single-use: it ends with the first fusion that uses it, or when the character changes hands."]));
  if (!active) {
    const used = await lastUse(app, contract, token.id);
    if (used && !signal.aborted) {
      const by = sameAddress(used.requester, app.wallet.account) ? "you" : shortAddress(used.requester);
      section.append(h("p", { class: "offer-used" }, [
        `The last offer on #${token.id} was used by ${by} in fusion request `,
        h("a", { href: link("token", used.requestId) }, [`#${used.requestId}`]), ".",
      ]));
    }
  }
  if (!sameAddress(token.owner, app.wallet.account)) return section;

  const fuserInput = h("input", { id: "offer-fuser", name: "fuser", placeholder: "0x… (empty: anyone)", autocomplete: "off" });
  const priceInput = h("input", { id: "offer-price", name: "price", inputmode: "decimal", value: active ? "" : "0.01", required: true });
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h("form", { class: "offer-form" }, [
    h("h3", {}, ["Offer this character for fusion"]),
    h("label", { for: "offer-fuser" }, ["Who may fuse (address, optional)"]), fuserInput,
    h("label", { for: "offer-price" }, ["Price in ETH"]), priceInput,
    error,
    h("div", { class: "actions" }, [
      h("button", { type: "submit", class: "primary" }, ["Set offer"]),
      active ? h("button", { type: "button", id: "offer-cancel", onclick: () => cancel() }, ["Cancel offer"]) : null,
    ]),
  ]);
  const cancel = async () => {
    try {
      await send(app, `Cancel offer on #${token.id}`, "cancelFusionOffer", [token.id]);
      app.router.show({ keepFocus: true });
    } catch { /* shown in the activity panel */ }
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const who = fuserInput.value.trim() || ZERO_ADDRESS;
    if (!(await loadEthers()).isAddress(who)) {
      error.textContent = "The address is not a valid Ethereum address.";
      return;
    }
    let wei;
    try {
      wei = parseEther(priceInput.value.trim());
    } catch {
      error.textContent = "The price must be a number of ETH, such as 0.05.";
      return;
    }
    try {
      await send(app, `Set offer on #${token.id}`, "setFusionOffer", [token.id, who, wei]);
      app.router.show({ keepFocus: true });
    } catch (err) {
      error.textContent = err.explained?.text ?? String(err);
    }
  });
  section.append(form);
  return section;
}
