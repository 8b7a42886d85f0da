// Fuse page: pick two characters (yours, or offered for fusion) and a fusion mode, preview possible
// children of both modes side by side, send requestFusion, watch the reveal block, complete, then
// land on the child's page.
import { ZeroAddress } from "ethers";
import { h, mount } from "../dom.js";
import { explain } from "../errors.js";
import { addPending, listPending } from "../pending.js";
import { revealPanel } from "../reveal.js";
import { link } from "../router.js";
import { normPage, normToken } from "../tokens.js";
import { send } from "../tx.js";
import { connectPrompt, eth, heading, message, sameAddress, shortAddress } from "../ui.js";

const PREVIEW_COUNT = 6;

/** The fusion modes, in the contract's order (requestFusion's `mode` is the index). */
export const MODES = [
  { name: "crossover", label: "Crossover", hint: "each gene from one parent: children scatter around both" },
  { name: "blend", label: "Blend", hint: "each gene the mean of both parents: children sit between them" },
];

/** A random 64-bit preview salt (decimal), shared by both modes' previews so child i has the same seed. */
function randomSalt() {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(words[0]) << 32n) | BigInt(words[1])).toString();
}

/** What it takes to fuse with `token`: {ok, cost, text}. */
async function parentTerms(app, contract, token, block) {
  const yours = sameAddress(token.owner, app.wallet.account);
  const [lineage, max] = await Promise.all([contract.lineageOf(token.id), contract.MAX_FUSIONS()]);
  const cooldown = Number(lineage.cooldownUntil); // the chain's word, fresher than the index
  const worn = Number(lineage.fusionCount) >= Number(max) ? ` It has reached the limit of ${max} fusions.` : "";
  const resting = worn || (cooldown > block ? ` It is resting until block ${cooldown}.` : "");
  if (yours) return { ok: true, cost: 0n, text: `Yours.${resting}` };
  const [fuser, price] = await contract.fusionOffer(token.id);
  const offered = (fuser !== ZeroAddress || price > 0n) && (fuser === ZeroAddress || sameAddress(fuser, app.wallet.account));
  if (!offered) return { ok: false, cost: 0n, text: `Owned by ${shortAddress(token.owner)}, who offers you no fusion.` };
  return { ok: true, cost: price, text: `Offered for fusion by ${shortAddress(token.owner)} for ${eth(price)}.${resting}` };
}

const OFFERS_SHOWN = 12;

/** Characters of others whose open offer the connected account may use (from the index): [{id, price}]. */
async function offeredToMe(app) {
  const page = await app.api.offers({ fuser: app.wallet.account, limit: OFFERS_SHOWN });
  return page.items.map((offer) => ({ id: offer.token_id, price: BigInt(offer.price_wei) }));
}

/** Thumbnail buttons that fill the next parent slot. */
function pickButtons(app, items, pick) {
  return items.map((t) => h("li", {}, [
    h("button", {
      type: "button", class: "pick", onclick: () => pick(t.id), "data-token": t.id,
      "aria-label": `Pick character #${t.id}${t.price !== undefined ? ` (offered for ${eth(t.price)})` : ""}`,
    }, [
      h("img", { src: app.api.tokenImage(t.id, 64), width: 64, height: 64, alt: "" }),
      h("span", {}, [`#${t.id}`]),
      t.price !== undefined ? h("span", { class: "pick-price" }, [eth(t.price)]) : null,
    ]),
  ]));
}

/** The service's FusionPreview: the possible children and a link to their contact sheet. */
function previewGrid(app, json) {
  return h("div", { class: "preview" }, [
    h("ul", { class: "grid grid-small", "aria-label": "Possible children" }, json.children.map((c, i) => {
      const src = app.api.genomeImage(c.genome, 128);  // at the screen's pixel ratio, not the service's default size
      return h("li", { class: "card" }, [
        h("img", {
          src, width: 128, height: 128,
          alt: `Possible child ${i + 1}: ${c.traits.map((t) => `${t.trait} ${t.value}`).join(", ")}`,
        }),
        h("span", { class: "card-meta" }, [`possibility ${i + 1}`]),
      ]);
    })),
    h("p", {}, [h("a", { href: json.contact_sheet, target: "_blank", rel: "noopener" }, ["Open the contact sheet"])]),
  ]);
}

/** Both modes' previews side by side; `choose(name)` picks a mode, `chosen` is the picked one. */
function previewColumns(app, previews, chosen, choose) {
  return h("div", { class: "preview-modes" }, MODES.map((mode, i) => h("section", {
    class: `preview-mode${mode.name === chosen ? " chosen" : ""}`, "data-mode": mode.name, "aria-label": `${mode.label} children`,
  }, [
    h("h3", {}, [mode.label]),
    h("p", { class: "hint" }, [mode.hint]),
    previewGrid(app, previews[i]),
    h("button", {
      type: "button", class: "choose-mode", "aria-pressed": String(mode.name === chosen), onclick: () => choose(mode.name),
    }, [`Fuse by ${mode.name}`]),
  ])));
}

/** Renders the fuse page; params a, b and mode preselect the parents and the fusion mode. */
export async function fuseView(app, { params, signal }) {
  const body = h("div", { class: "fuse-body" });
  mount(app.view, heading("Fuse two characters"), body);
  if (!app.wallet.connected) {
    mount(body, connectPrompt(app, "Connect your wallet to fuse characters."));
    return;
  }
  const reveal = h("section", { class: "panel reveal", "aria-label": "Reveal", hidden: true });
  const onBorn = (childId) => app.go(link("token", childId));
  const pending = listPending(app).filter((r) => r.kind === "fusion");
  const pendingBox = h("div", { class: "pending" }, pending.map((r) => {
    const box = h("section", { class: "panel reveal" });
    if (app.wallet.ready) revealPanel(app, box, r, { signal, onBorn });
    return box;
  }));

  const inputA = h("input", { id: "parent-a", name: "a", type: "number", min: 1, inputmode: "numeric", required: true, value: params.get("a") ?? "" });
  const inputB = h("input", { id: "parent-b", name: "b", type: "number", min: 1, inputmode: "numeric", required: true, value: params.get("b") ?? "" });
  const infoA = h("div", { class: "parent-info", id: "parent-a-info", "aria-live": "polite" });
  const infoB = h("div", { class: "parent-info", id: "parent-b-info", "aria-live": "polite" });
  const costLine = h("p", { class: "cost", "aria-live": "polite" });
  const previewBox = h("div", { class: "preview-box", "aria-live": "polite" });
  const error = h("div", { class: "form-error" });
  const previewButton = h("button", { type: "button", id: "preview" }, ["Preview possible children"]);
  const startMode = MODES.some((m) => m.name === params.get("mode")) ? params.get("mode") : MODES[0].name;
  const modeInputs = MODES.map((m) => h("input", {
    type: "radio", name: "mode", id: `mode-${m.name}`, value: m.name, checked: m.name === startMode,
  }));
  const modePicker = h("fieldset", { class: "modes" }, [
    h("legend", {}, ["Fusion mode"]),
    ...MODES.map((m, i) => h("div", { class: "mode" }, [
      modeInputs[i], h("label", { for: `mode-${m.name}` }, [h("strong", {}, [m.label]), ` — ${m.hint}`]),
    ])),
  ]);
  const fuseButton = h("button", { type: "submit", class: "primary", id: "request-fusion" }, ["Request fusion"]);
  const mine = h("ul", { class: "picker", "aria-label": "Your characters" });
  const offered = h("ul", { class: "picker", "aria-label": "Offered to you for fusion" });
  const form = h("form", { class: "fuse-form", novalidate: true }, [
    h("div", { class: "parents" }, [
      h("div", { class: "parent" }, [h("label", { for: "parent-a" }, ["First character (id)"]), inputA, infoA]),
      h("div", { class: "parent" }, [h("label", { for: "parent-b" }, ["Second character (id)"]), inputB, infoB]),
    ]),
    h("h2", {}, ["Your characters"]),
    h("p", { class: "hint" }, ["Pick from your own, or a character whose owner offers it for fusion, or type any id."]),
    mine,
    h("h2", {}, ["Offered to you for fusion"]),
    offered,
    modePicker,
    costLine,
    h("div", { class: "actions" }, [previewButton, fuseButton]),
    error,
    previewBox,
  ]);
  mount(body, pendingBox, form, reveal);

  let terms = { a: null, b: null };
  let fee = 0n;
  const ids = () => [Number(inputA.value), Number(inputB.value)];
  const describe = async () => {
    mount(error);
    const [a, b] = ids();
    terms = { a: null, b: null };
    costLine.textContent = "";
    if (!app.wallet.ready) return;
    const contract = await app.wallet.contract();
    const block = await app.wallet.blockNumber();
    fee = await contract.fusionFee();
    for (const [id, box, slot] of [[a, infoA, "a"], [b, infoB, "b"]]) {
      if (!(id > 0)) {
        mount(box);
        continue;
      }
      try {
        const token = normToken(await app.api.token(id));
        const t = await parentTerms(app, contract, token, block);
        terms[slot] = t;
        mount(box,
          h("img", { src: app.api.tokenImage(id, 96), width: 96, height: 96, alt: `Portrait of character #${id}` }),
          h("p", { class: t.ok ? "" : "bad" }, [h("a", { href: link("token", id) }, [`#${id}`]), ` — ${t.text}`]));
      } catch (err) {
        mount(box, message(err.status === 404 ? `Character #${id} does not exist.` : explain(err, app.abi).text, "error"));
      }
    }
    if (terms.a && terms.b) costLine.textContent = `Cost: ${eth(fee + terms.a.cost + terms.b.cost)} (fusion fee ${eth(fee)}${terms.a.cost + terms.b.cost ? ` plus offers ${eth(terms.a.cost + terms.b.cost)}` : ""}) and gas.`;
  };
  const redescribe = () => describe().catch((err) => mount(error, message(explain(err, app.abi).text, "error")));
  inputA.addEventListener("change", redescribe);
  inputB.addEventListener("change", redescribe);

  const markPicked = () => {
    for (const button of form.querySelectorAll("button.pick")) {
      button.setAttribute("aria-pressed", String(ids().includes(Number(button.dataset.token))));
    }
  };
  inputA.addEventListener("input", markPicked);
  inputB.addEventListener("input", markPicked);
  const pick = (id) => {
    const target = !inputA.value || (inputA.value && inputB.value) ? inputA : inputB;
    if (target === inputA && inputA.value && inputB.value) inputB.value = "";
    target.value = id;
    markPicked();
    redescribe();
  };

  const chosenMode = () => modeInputs.find((input) => input.checked)?.value ?? MODES[0].name;
  let previews = null;
  const showPreviews = () => {
    if (previews) mount(previewBox, h("h2", {}, ["Possible children"]), previewColumns(app, previews, chosenMode(), choose));
  };
  const choose = (name) => {
    for (const input of modeInputs) input.checked = input.value === name;
    showPreviews();
    modeInputs.find((input) => input.checked)?.focus();
  };
  for (const input of modeInputs) input.addEventListener("change", showPreviews);

  previewButton.addEventListener("click", async () => {
    const [a, b] = ids();
    if (!(a > 0 && b > 0)) {
      mount(previewBox, message("Pick two characters first.", "error"));
      return;
    }
    mount(previewBox, message("Drawing possible children…"));
    try {
      const salt = randomSalt();
      const fetched = await Promise.all(MODES.map((m) => app.api.preview(a, b, PREVIEW_COUNT, m.name, salt)));
      if (signal.aborted) return;
      previews = fetched;
      showPreviews();
    } catch (err) {
      if (!signal.aborted) mount(previewBox, message(`No preview: ${err.message}`, "error"));
    }
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    mount(error);
    const [a, b] = ids();
    if (!(a > 0 && b > 0)) {
      mount(error, message("Pick two characters first: enter both ids.", "error"));
      return;
    }
    if (!app.wallet.ready) {
      mount(error, message("Switch your wallet to the right network first.", "error"));
      return;
    }
    fuseButton.disabled = true;
    try {
      if (!terms.a || !terms.b) await describe();
      // The price shown is the most this request may cost: a fee or offer price raised meanwhile makes it
      // revert (LatentKinPriceAboveMax) instead of taking more.
      const value = fee + (terms.a?.cost ?? 0n) + (terms.b?.cost ?? 0n);
      const mode = chosenMode();
      const modeIndex = MODES.findIndex((m) => m.name === mode);
      const { events, receipt } = await send(app, `Fusion request #${a} × #${b} (${mode})`, "requestFusion", [a, b, modeIndex, value], { value });
      const args = events.FusionRequested;
      const request = { kind: "fusion", requestId: Number(args.requestId), revealBlock: Number(args.revealBlock), requestBlock: receipt.blockNumber, requestBlockHash: receipt.blockHash, a, b, mode };
      addPending(app, request);
      form.hidden = true;
      reveal.hidden = false;
      revealPanel(app, reveal, request, { signal, onBorn });
      reveal.querySelector("h3")?.setAttribute("tabindex", "-1");
      reveal.querySelector("h3")?.focus();
    } catch (err) {
      mount(error, message(err.explained?.text ?? explain(err, app.abi).text, "error"));
      fuseButton.disabled = false;
    }
  });

  try {
    const page = normPage(await app.api.tokens({ owner: app.wallet.account, limit: 50 }));
    if (signal.aborted) return;
    if (page.items.length === 0) mount(mine, h("li", {}, [message("You own no characters yet.")]));
    else mount(mine, ...pickButtons(app, page.items, pick));
    markPicked();
  } catch (err) {
    if (!signal.aborted) mount(mine, h("li", {}, [message(`Your characters could not be loaded: ${err.message}`, "error")]));
  }
  if (app.wallet.ready) {
    try {
      const offers = await offeredToMe(app);
      if (!signal.aborted) {
        mount(offered, ...(offers.length ? pickButtons(app, offers, pick) : [h("li", {}, [message("No open offers right now.")])]));
        markPicked();
      }
    } catch (err) {
      if (!signal.aborted) mount(offered, h("li", {}, [message(`The offers could not be read: ${explain(err, app.abi).text}`, "error")]));
    }
  }
  if (inputA.value || inputB.value) describe().catch((err) => mount(error, message(explain(err, app.abi).text, "error")));
}
