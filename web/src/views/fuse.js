// Fuse page: pick two characters (yours, or offered for fusion) and a fusion mode, preview possible
// children of both modes side by side, send requestFusion, watch the reveal block, complete, then
// land on the child's page.
import { ZERO_ADDRESS } from "../ether-units.js";
import { h, mount } from "../dom.js";
import { explain } from "../errors.js";
import { addPending, listPending } from "../pending.js";
import { revealPanel } from "../reveal.js";
import { link } from "../router.js";
import { normPage, normToken } from "../tokens.js";
import { send } from "../tx.js";
import { restState } from "../clock.js";
import { connectPrompt, costText, eth, heading, message, sameAddress, shortAddress } from "../ui.js";
import { confirmListedFusion } from "../market/listed-guard.js";
import { oddsPanel } from "./fuse-odds.js";
import { MODES, PREVIEW_ASKED, previewColumns } from "./fuse-preview.js";

export { MODES };


/** A random 64-bit preview salt (decimal), shared by both modes' previews so child i has the same seed. */
function randomSalt() {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(words[0]) << 32n) | BigInt(words[1])).toString();
}

/** What it takes to fuse with `token`: {ok, cost, text, why}; `why` says what stops it (resting, not offered). */
async function parentTerms(app, contract, token, block, blockSeconds) {
  const yours = sameAddress(token.owner, app.wallet.account);
  const [lineage, max] = await Promise.all([contract.lineageOf(token.id), contract.MAX_FUSIONS()]);
  // The chain's word, fresher than the index.
  const rest = restState({ cooldownUntil: Number(lineage.cooldownUntil), fusionCount: Number(lineage.fusionCount) }, block,
    blockSeconds, Number(max));
  const resting = rest.ready ? "" : ` It is ${rest.text}.`;
  const restWhy = rest.ready ? null : rest.worn ? `#${token.id} has ${rest.text}.` : `#${token.id} is ${rest.text} (from block ${rest.until}).`;
  if (yours) return { ok: rest.ready, cost: 0n, text: `Yours.${resting}`, title: rest.title, why: restWhy };
  const [fuser, price] = await contract.fusionOffer(token.id);
  const offered = (fuser !== ZERO_ADDRESS || price > 0n) && (fuser === ZERO_ADDRESS || sameAddress(fuser, app.wallet.account));
  if (!offered) {
    return { ok: false, cost: 0n, text: `Owned by ${shortAddress(token.owner)}, who offers you no fusion.`, why: `#${token.id} is not yours and not offered to you.` };
  }
  return { ok: rest.ready, cost: price, text: `Offered for fusion by ${shortAddress(token.owner)} for ${eth(price)} (single use).${resting}`, title: rest.title, why: restWhy };
}

const OFFERS_SHOWN = 12;

/** Characters of others whose open offer the connected account may use (from the index): [{id, price}]. */
async function offeredToMe(app) {
  const page = await app.api.offers({ fuser: app.wallet.account, limit: OFFERS_SHOWN });
  return page.items.map((offer) => ({ id: offer.token_id, price: BigInt(offer.price_wei) }));
}

/** Thumbnail buttons that fill the next parent slot; a resting character is greyed out with the time left. */
function pickButtons(app, items, pick) {
  return items.map((t) => {
    const resting = t.rest && !t.rest.ready;
    return h("li", {}, [
      h("button", {
        type: "button", class: "pick", onclick: () => pick(t.id), "data-token": t.id, disabled: resting,
        title: resting ? t.rest.title : null,
        "aria-label": `Pick character #${t.id}${t.price !== undefined ? ` (offered for ${eth(t.price)})` : ""}${resting ? `: ${t.rest.text}` : ""}`,
      }, [
        h("img", { src: app.api.tokenImage(t.id, 64), width: 64, height: 64, alt: "" }),
        h("span", {}, [`#${t.id}`]),
        t.price !== undefined ? h("span", { class: "pick-price" }, [eth(t.price)]) : null,
        h("span", { class: "pick-reason" }, [resting ? t.rest.text.replace(/^resting: /, "resting, ") : ""]),
      ]),
    ]);
  });
}

/** What the page shows instead of the form while the wallet is on another network. */
function wrongNetworkBox(app) {
  return h("div", { class: "msg msg-error", role: "alert" }, [
    h("p", {}, ["Your wallet is on another network, so your characters, offers and fusions cannot be read or sent from here. Switch your wallet to the right network to fuse."]),
    h("button", { type: "button", class: "primary", onclick: () => app.switchNetwork() }, ["Switch network"]),
  ]);
}

/** A reveal panel for each fusion this browser requested and has not seen completed. */
function pendingReveals(app, signal, onBorn) {
  const pending = listPending(app).filter((r) => r.kind === "fusion");
  return h("div", { class: "pending" }, pending.map((r) => {
    const box = h("section", { class: "panel reveal" });
    if (app.wallet.ready) revealPanel(app, box, r, { signal, onBorn });
    return box;
  }));
}

/** The fuse form and its parts (inputs, parent boxes, mode radios, buttons, pickers), unwired. */
function fuseForm(params, guest) {
  const el = {};
  el.inputA = h("input", { id: "parent-a", name: "a", type: "number", min: 1, inputmode: "numeric", required: true, value: params.get("a") ?? "" });
  el.inputB = h("input", { id: "parent-b", name: "b", type: "number", min: 1, inputmode: "numeric", required: true, value: params.get("b") ?? "" });
  el.infoA = h("div", { class: "parent-info", id: "parent-a-info", "aria-live": "polite" });
  el.infoB = h("div", { class: "parent-info", id: "parent-b-info", "aria-live": "polite" });
  el.costLine = h("p", { class: "cost", "aria-live": "polite" });
  el.previewBox = h("div", { class: "preview-box", "aria-live": "polite" });
  el.error = h("div", { class: "form-error" });
  el.previewButton = h("button", { type: "button", id: "preview" }, ["Preview possible children"]);
  const startMode = MODES.some((m) => m.name === params.get("mode")) ? params.get("mode") : MODES[0].name;
  el.modeInputs = MODES.map((m) => h("input", {
    type: "radio", name: "mode", id: `mode-${m.name}`, value: m.name, checked: m.name === startMode,
  }));
  const modePicker = h("fieldset", { class: "modes" }, [
    h("legend", {}, ["Fusion mode"]),
    ...MODES.map((m, i) => h("div", { class: "mode" }, [
      el.modeInputs[i], h("label", { for: `mode-${m.name}` }, [h("strong", {}, [m.label]), ` — ${m.hint}`]),
    ])),
  ]);
  el.fuseButton = h("button", { type: "submit", class: "primary", id: "request-fusion", disabled: true, "aria-describedby": "fuse-reason" }, ["Request fusion"]);
  el.reason = h("p", { class: "hint", id: "fuse-reason", "aria-live": "polite" }, ["Pick two characters first."]);
  el.mine = h("ul", { class: "picker", "aria-label": "Your characters" });
  el.offered = h("ul", { class: "picker", "aria-label": "Offered to you for fusion" });
  el.form = h("form", { class: "fuse-form", novalidate: true }, [
    h("div", { class: "parents" }, [
      h("div", { class: "parent" }, [h("label", { for: "parent-a" }, ["First character (id)"]), el.inputA, el.infoA]),
      h("div", { class: "parent" }, [h("label", { for: "parent-b" }, ["Second character (id)"]), el.inputB, el.infoB]),
    ]),
    guest ? null : [
      h("h2", {}, ["Your characters"]),
      h("p", { class: "hint" }, ["Pick from your own, or a character whose owner offers it for fusion, or type any id."]),
      el.mine,
      h("h2", {}, ["Offered to you for fusion"]),
      el.offered,
    ],
    modePicker,
    el.costLine,
    h("div", { class: "actions" }, [el.previewButton, el.fuseButton]),
    el.reason,
    el.error,
    el.previewBox,
  ]);
  return el;
}

/** Fills the pickers: the account's own characters, then those offered to it; `pick` fills a parent slot. */
async function fillPickers(app, { mine, offered }, pick, markPicked, signal) {
  try {
    const [page, clock] = await Promise.all([
      app.api.tokens({ owner: app.wallet.account, limit: 50 }).then(normPage), app.chainClock()]);
    if (signal.aborted) return;
    const head = page.head ?? clock?.head ?? null;
    const items = page.items.map((t) => ({ ...t, rest: restState(t, head, clock?.blockSeconds ?? 12) }));
    if (items.length === 0) mount(mine, h("li", {}, [message("You own no characters yet.")]));
    else mount(mine, ...pickButtons(app, items, pick));
    markPicked();
  } catch (err) {
    if (!signal.aborted) mount(mine, h("li", {}, [message(`Your characters could not be loaded: ${err.message}`, "error")]));
  }
  if (!app.wallet.ready) return;
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

/** Wires the preview button and the mode radios: both modes' possible children beside the exact odds.
 * onMode() runs when the player picks another mode. Returns chosenMode(), the mode the player picked. */
function wirePreview(app, { previewBox, previewButton, modeInputs }, ids, signal, onMode) {
  const chosenMode = () => modeInputs.find((input) => input.checked)?.value ?? MODES[0].name;
  let previews = null;
  let odds = null; // the exact odds of the previewed pair, or the sentence saying why there are none
  let roles = []; // the active renderer's gene map (empty when its genes have no named roles)
  const showPreviews = () => {
    if (!previews) return;
    const [a, b] = previews.ids;
    mount(previewBox, h("h2", {}, ["Possible children"]),
      h("div", { class: "preview-and-odds" }, [previewColumns(app, previews.bodies, chosenMode(), choose),
        typeof odds === "string" ? message(odds, "error") : oddsPanel(odds, a, b, roles)]));
  };
  const choose = (name) => {
    for (const input of modeInputs) input.checked = input.value === name;
    showPreviews();
    onMode();
    modeInputs.find((input) => input.checked)?.focus();
  };
  for (const input of modeInputs) {
    input.addEventListener("change", () => {
      showPreviews();
      onMode();
    });
  }

  previewButton.addEventListener("click", async () => {
    const [a, b] = ids();
    if (!(a > 0 && b > 0)) {
      mount(previewBox, message("Pick two characters first.", "error"));
      return;
    }
    mount(previewBox, message("Drawing possible children…"));
    try {
      const salt = randomSalt();
      const [fetched, exact, geneMap] = await Promise.all([
        Promise.all(MODES.map((m) => app.api.preview(a, b, PREVIEW_ASKED, m.name, salt))),
        app.api.odds(a, b).catch((err) => `The exact odds could not be read: ${err.message}`),
        app.api.genes().catch(() => null)]); // without it the odds name no genes
      if (signal.aborted) return;
      previews = { ids: [a, b], bodies: fetched };
      odds = exact;
      roles = geneMap?.genes ?? [];
      showPreviews();
    } catch (err) {
      if (!signal.aborted) mount(previewBox, message(`No preview: ${err.message}`, "error"));
    }
  });
  return chosenMode;
}

/** Renders the fuse page; params a, b and mode preselect the parents and the fusion mode. */
export async function fuseView(app, { params, signal }) {
  const body = h("div", { class: "fuse-body" });
  mount(app.view, heading("Fuse two characters"), body);
  // Without a wallet the page still previews the children of any two ids; picking and requesting need one.
  const guest = !app.wallet.connected;
  if (app.wallet.wrongNetwork) {
    mount(body, wrongNetworkBox(app));
    return;
  }
  const reveal = h("section", { class: "panel reveal", "aria-label": "Reveal", hidden: true });
  const onBorn = (childId) => app.go(link("token", childId));
  const el = fuseForm(params, guest);
  const { inputA, inputB, infoA, infoB, costLine, error, fuseButton, reason, form } = el;
  mount(body, guest ? connectPrompt(app, "Connect your wallet to pick your characters and request a fusion. Without it you can still preview the children of any two characters.") : null,
    pendingReveals(app, signal, onBorn), form, reveal);

  let terms = { a: null, b: null };
  let fee = 0n;
  const ids = () => [Number(inputA.value), Number(inputB.value)];
  // Each describe() run is numbered, and typing bumps the number too: a run still awaiting the chain for the
  // ids typed before gives up after its next await instead of writing its parents' terms, boxes and cost
  // over those of the ids typed since (Request fusion would then send the old pair's price, and revert).
  let run = 0;
  const describe = async () => {
    const thisRun = ++run;
    const superseded = () => thisRun !== run || signal.aborted;
    try {
      await describeRun(superseded);
    } catch (err) {
      if (!superseded()) throw err; // a failed read for ids typed before is no news about the ids now typed
    }
  };
  const describeRun = async (superseded) => {
    mount(error);
    const [a, b] = ids();
    terms = { a: null, b: null };
    costLine.textContent = "";
    gate();
    if (!app.wallet.ready) {
      for (const [id, box] of [[a, infoA], [b, infoB]]) {
        mount(box, id > 0 ? [h("img", { src: app.api.tokenImage(id, 96), width: 96, height: 96, alt: `Portrait of character #${id}` }),
          h("p", {}, [h("a", { href: link("token", id) }, [`#${id}`])])] : null);
      }
      return;
    }
    const contract = await app.wallet.contract();
    if (superseded()) return;
    const [block, clock] = await Promise.all([app.wallet.blockNumber(), app.chainClock()]);
    if (superseded()) return;
    const runFee = await contract.fusionFee();
    if (superseded()) return;
    const next = { a: null, b: null }; // assigned to `terms` only once both are read, by the latest run
    for (const [id, box, slot] of [[a, infoA, "a"], [b, infoB, "b"]]) {
      if (!(id > 0)) {
        mount(box);
        continue;
      }
      try {
        const token = normToken(await app.api.token(id));
        if (superseded()) return;
        const t = await parentTerms(app, contract, token, block, clock?.blockSeconds ?? 12);
        if (superseded()) return;
        next[slot] = t;
        mount(box,
          h("img", { src: app.api.tokenImage(id, 96), width: 96, height: 96, alt: `Portrait of character #${id}` }),
          h("p", { class: t.ok ? "" : "bad", title: t.title || null }, [h("a", { href: link("token", id) }, [`#${id}`]), ` — ${t.text}`]));
      } catch (err) {
        if (superseded()) return;
        // An id that cannot be read stops the fusion with its own reason, not an endless "Reading…".
        const text = err.status === 404 || err.status === 422
          ? `Character #${id} does not exist: type another id, or pick one of the characters below.`
          : `Character #${id} could not be read: ${err.status !== undefined ? err.message : explain(err, app.abi).text}`;
        next[slot] = { ok: false, failed: true, cost: 0n, why: text };
        mount(box, message(text, "error"));
      }
    }
    terms = next;
    fee = runFee;
    if (terms.a && terms.b && !terms.a.failed && !terms.b.failed) costLine.textContent = costText(fee, terms.a.cost + terms.b.cost);
    gate();
  };
  /** Enables "Request fusion" only when both parents may fuse; otherwise says why. */
  const gate = () => {
    const [a, b] = ids();
    let why;
    if (!(a > 0 && b > 0)) why = "Pick two characters first.";
    else if (a === b) why = "A character cannot fuse with itself: pick two different characters.";
    else if (!app.wallet.ready) why = "Connect your wallet to request a fusion.";
    else if (!terms.a || !terms.b) why = "Reading both characters…";
    else why = terms.a.why ?? terms.b.why ?? null;
    fuseButton.disabled = why !== null;
    reason.textContent = why ?? "Both characters may fuse.";
  };
  const redescribe = () => describe().catch((err) => mount(error, message(explain(err, app.abi).text, "error")));
  let typing = null;
  for (const input of [inputA, inputB]) {
    input.addEventListener("input", () => {
      run += 1; // a describe() under way is for the ids before this keystroke
      terms = { a: null, b: null };
      remember();
      gate();
      clearTimeout(typing);
      typing = setTimeout(redescribe, 400);
    });
  }

  const markPicked = () => {
    for (const button of form.querySelectorAll("button.pick")) {
      const picked = ids().includes(Number(button.dataset.token));
      button.setAttribute("aria-pressed", String(picked));
      const note = button.querySelector(".pick-reason");
      if (note && !button.disabled) note.textContent = picked ? "picked" : "";
    }
  };
  inputA.addEventListener("input", markPicked);
  inputB.addEventListener("input", markPicked);
  const pick = (id) => {
    if (ids().includes(id)) return; // already a parent: a character cannot fuse with itself
    const target = !inputA.value || (inputA.value && inputB.value) ? inputA : inputB;
    if (target === inputA && inputA.value && inputB.value) inputB.value = "";
    target.value = id;
    markPicked();
    remember();
    redescribe();
  };

  // The URL follows the form (replacing its history entry), so a re-render of this view — the wallet
  // connecting, changing account or network, or announcing itself late — draws the ids and mode the player
  // chose, not those the page was opened with.
  const remember = () => {
    if (!signal.aborted) history.replaceState(null, "", link("fuse", { a: inputA.value, b: inputB.value, mode: chosenMode() }));
  };
  const chosenMode = wirePreview(app, el, ids, signal, remember);

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
      if (!(await confirmListedFusion(app, [a, b]))) { // warns of the player's own listings, may cancel them
        fuseButton.disabled = false;
        return;
      }
      if (!terms.a || !terms.b) await describe();
      const [nowA, nowB] = ids();
      if (nowA !== a || nowB !== b || !terms.a || !terms.b) { // the ids changed meanwhile: the terms read are
        gate(); // another pair's, and that pair's own describe() enables the button again
        return;
      }
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

  if (guest) {
    if (inputA.value || inputB.value) describe();
    return;
  }
  await fillPickers(app, el, pick, markPicked, signal);
  if (inputA.value || inputB.value) describe().catch((err) => mount(error, message(explain(err, app.abi).text, "error")));
}
