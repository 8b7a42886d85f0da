// Mint page: the public mint. requestPublicMint pays the price; after the reveal block,
// completePublicMint draws the genome from the block hash and the new character is yours.
import { h, mount } from "../dom.js";
import { explain } from "../errors.js";
import { addPending, listPending } from "../pending.js";
import { revealPanel } from "../reveal.js";
import { link } from "../router.js";
import { send } from "../tx.js";
import { testEthButton } from "../devchain.js";
import { connectPrompt, eth, heading, message } from "../ui.js";

/** On a development chain: where ETH comes from, and the button that gives some. */
function fundsHint(app) {
  const button = testEthButton(app);
  return button ? h("p", { class: "hint dev-eth" }, ["On this development chain ETH is free: ", button]) : null;
}

/** Renders the public mint page. */
export async function mintView(app, { signal }) {
  const body = h("div", { class: "mint-body" });
  mount(app.view, heading("Mint a character"), body);
  if (!app.wallet.ready) {
    // Price and supply come from the service, so they show before any wallet is connected.
    const clock = await app.chainClock();
    if (signal.aborted) return;
    const terms = clock ? h("p", { class: "mint-terms" }, [
      clock.mintCap === 0 ? "The public mint is not open." : `A character costs ${eth(clock.mintPrice)}; ${clock.minted} of ${clock.mintCap} minted so far.`,
    ]) : null;
    const ask = app.wallet.connected
      ? message("Switch your wallet to the right network to mint.", "error")
      : connectPrompt(app, "Connect your wallet to mint a character.");
    mount(body, terms, ask, fundsHint(app));
    return;
  }
  const onBorn = (id) => app.go(link("token", id));
  let price;
  let cap;
  let minted;
  try {
    const contract = await app.wallet.contract();
    [price, cap, minted] = await Promise.all([contract.publicMintPrice(), contract.publicMintCap(), contract.publicMinted()]);
  } catch (err) {
    if (!signal.aborted) mount(body, message(`The mint could not be read: ${explain(err, app.abi).text}`, "error"));
    return;
  }
  if (signal.aborted) return;
  const reveal = h("section", { class: "panel reveal", hidden: true });
  const error = h("div", { class: "form-error" });
  const soldOut = cap > 0n && minted >= cap;
  const closed = cap === 0n;
  const button = h("button", { type: "button", class: "primary", id: "mint", disabled: soldOut || closed }, [`Mint for ${eth(price)}`]);
  const pending = listPending(app).filter((r) => r.kind === "mint").map((r) => {
    const box = h("section", { class: "panel reveal" });
    revealPanel(app, box, r, { signal, onBorn });
    return box;
  });
  const offer = h("section", { class: "panel" }, [
    h("p", {}, [
      "A new first-generation character with a genome drawn from a future block hash. ",
      closed ? "The public mint is not open." : `${minted} of ${cap} minted so far.`,
    ]),
    soldOut ? message("The public mint is sold out.") : null,
    h("div", { class: "actions" }, [button]),
    error,
    fundsHint(app),
  ]);
  button.addEventListener("click", async () => {
    mount(error);
    button.disabled = true;
    try {
      const { events, receipt } = await send(app, "Mint request", "requestPublicMint", [price], { value: price });
      const args = events.PublicMintRequested;
      const request = { kind: "mint", requestId: Number(args.requestId), revealBlock: Number(args.revealBlock), requestBlock: receipt.blockNumber, requestBlockHash: receipt.blockHash };
      addPending(app, request);
      offer.hidden = true;
      reveal.hidden = false;
      revealPanel(app, reveal, request, { signal, onBorn });
    } catch (err) {
      mount(error, message(err.explained?.text ?? explain(err, app.abi).text, "error"));
      button.disabled = false;
    }
  });
  mount(body, ...pending, offer, reveal);
}
