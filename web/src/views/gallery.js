// Gallery of all characters, or of the connected account's ("My characters"): newest first, with
// sort and filters kept in the URL (#/?sort=oldest&gen=1&trait=Eyes:Happy&ready=1), so a view can be shared.
// Sorts: newest, oldest, rarest (the trait table's chance of the shown values), cheapest and dearest (the
// characters for sale, by their price now: a Dutch auction's as it falls), all answered by GET /tokens.
import { h, mount } from "../dom.js";
import { explain } from "../errors.js";
import { link } from "../router.js";
import { normPage } from "../tokens.js";
import { send } from "../tx.js";
import { connectPrompt, eth, failure, heading, loadNearImages, message, tokenCard, updateCardRests } from "../ui.js";
import { introPanel } from "../intro.js";
import { fillMarketSlots } from "../market/cards.js";

const PAGE_SIZE = 12;
/** The sorts GET /tokens knows besides its default (newest first), with their words in the Sort list. */
export const SORTS = { oldest: "Oldest first", rarest: "Rarest first", cheapest: "Cheapest first", dearest: "Dearest first" };
const PRICE_SORTS = ["cheapest", "dearest"]; // these list only the characters for sale
const FILTER_KEYS = ["sort", "gen", "trait", "ready", "sale", "owner"];

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

/** A sentence for the first "Trait:Value" filter the traits of /config.json do not know, else null. */
export function unknownTrait(traits, filters) {
  if (traits.length === 0) return null; // an older service lists no traits: let it judge
  for (const filter of filters) {
    const [name, value] = filter.split(":").map((part) => part.trim());
    const trait = traits.find((t) => t.name === name);
    if (!trait) return `There is no trait called “${name}”: pick one of ${traits.map((t) => t.name).join(", ")} in the Trait list above.`;
    if (!trait.values.includes(value)) return `${name} has no value “${value}”: pick one of its values in the Trait list above.`;
  }
  return null;
}

/** What the gallery asks GET /tokens for the URL's `params`: the filters, a page, the cursor. */
export function galleryRequest(params) {
  return { ...galleryQuery(params), limit: PAGE_SIZE, cursor: params.get("cursor") ?? undefined };
}

/** The URL's filters -> the service's query (GET /tokens). */
export function galleryQuery(params) {
  const ready = params.get("ready");
  const gen = params.get("gen");
  return {
    sort: Object.hasOwn(SORTS, params.get("sort") ?? "") ? params.get("sort") : undefined, // newest: the default
    generation: gen !== null && /^\d+$/.test(gen) ? gen : undefined,
    trait: params.getAll("trait").filter((t) => t.includes(":")),
    ready: ready === "1" ? "true" : ready === "0" ? "false" : undefined,
    for_sale: params.get("sale") === "1" ? "true" : undefined,
    owner: /^0x[0-9a-fA-F]{40}$/.test(params.get("owner") ?? "") ? params.get("owner") : undefined,
  };
}

function option(value, label, current) {
  return h("option", { value, selected: value === current }, [label]);
}

/** The sort and filter form; any change moves to the URL of the filtered first page. */
function filterForm(app, route, params, mine) {
  const traits = app.config.traits ?? [];
  const [traitName, traitValue] = (params.get("trait") ?? ":").split(":");
  const sorted = params.get("sort") ?? "";
  const sort = h("select", { id: "g-sort", name: "sort" }, [option("", "Newest first", sorted),
    ...Object.entries(SORTS).map(([value, label]) => option(value, label, sorted))]);
  const ready = h("select", { id: "g-ready", name: "ready" }, [option("", "Any", params.get("ready") ?? ""), option("1", "Ready to fuse", params.get("ready") ?? ""), option("0", "Resting", params.get("ready") ?? "")]);
  const sale = h("select", { id: "g-sale", name: "sale" }, [option("", "Any", params.get("sale") ?? ""), option("1", "For sale", params.get("sale") ?? "")]);
  const gen = h("input", { id: "g-gen", name: "gen", type: "number", min: 0, inputmode: "numeric", value: params.get("gen") ?? "", placeholder: "any" });
  const trait = h("select", { id: "g-trait", name: "trait" }, [
    option("", "Any trait", traitName ? `${traitName}:${traitValue}` : ""),
    ...traits.map((t) => h("optgroup", { label: t.name }, t.values.map((v) => option(`${t.name}:${v}`, `${t.name}: ${v}`, `${traitName}:${traitValue}`)))),
  ]);
  const owner = mine ? null : h("input", { id: "g-owner", name: "owner", value: params.get("owner") ?? "", placeholder: "0x… (any)", autocomplete: "off", spellcheck: "false" });
  const field = (id, label, control) => h("div", { class: "filter" }, [h("label", { for: id }, [label]), control]);
  const form = h("form", { class: "filters", role: "search", "aria-label": "Sort and filter characters" }, [
    field("g-sort", "Sort", sort), field("g-sale", "Market", sale), field("g-trait", "Trait", trait), field("g-gen", "Generation", gen),
    field("g-ready", "Fusion", ready), owner ? field("g-owner", "Owner address", owner) : null,
  ]);
  const apply = () => {
    const next = {};
    for (const key of FILTER_KEYS) {
      const v = form.elements[key]?.value?.trim();
      if (v) next[key] = v;
    }
    app.go(link(route, next));
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  return form;
}

/** Renders the gallery; `mine` restricts it to the connected account. */
export async function galleryView(app, { params, signal }, { mine }) {
  const title = mine ? "My characters" : "All characters";
  const body = h("div", { class: "gallery-body" });
  const intro = mine ? null : introPanel(app);
  mount(app.view, heading(title), intro, body);
  if (mine && !app.wallet.connected) {
    mount(body, connectPrompt(app, "Connect your wallet to see the characters you own."));
    return;
  }
  const route = mine ? "mine" : "gallery";
  const query = galleryRequest(params);
  if (mine) query.owner = app.wallet.account;
  // One form for the view's life: what a player types while the cards load stays where it is typed.
  const results = h("div", { class: "gallery-results" });
  mount(body, filterForm(app, route, params, mine), results);
  const unknown = unknownTrait(app.config.traits ?? [], query.trait);
  if (unknown) {
    mount(results, failure(unknown, ["Show every character", link(route)]));
    return;
  }
  mount(results, message("Loading characters…"));
  // The chain's pace only words the rest lines: the cards do not wait for it (GET /chain/status asks the
  // node, slower than the index), their rest lines are re-worded when it comes.
  let clock = null;
  const clockAnswer = app.chainClock().then((value) => (clock = value));
  let page;
  try {
    page = await app.api.tokens(query).then(normPage);
  } catch (err) {
    if (signal.aborted) return;
    const text = err.status === 422
      ? `These filters cannot be used (${err.message}): change them above, or start again from every character.`
      : `The characters could not be loaded: ${err.message} Try again in a moment.`;
    mount(results, failure(text, ["Show every character", link(route)]));
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
  const filtered = FILTER_KEYS.some((k) => k !== "sort" && params.get(k));
  const byPrice = PRICE_SORTS.includes(query.sort);
  if (page.items.length === 0) {
    const none = byPrice && !filtered ? "No character is for sale right now: sorting by price lists only the characters for sale."
      : filtered ? "No character matches these filters." : mine ? "You have no characters yet." : "No characters have been minted yet.";
    parts.push(message(none));
    parts.push(h("p", {}, [h("a", { href: link("mint") }, ["Mint one"])]));
  } else {
    const cardClock = { head: page.head ?? clock?.head ?? null, blockSeconds: clock?.blockSeconds ?? 12, account: app.wallet.account };
    parts.push(h("ul", { class: "grid", "aria-label": title }, page.items.map((t, i) => tokenCard(t, { clock: cardClock, eager: i < 2, first: i < 2 }))));
  }
  // The cursors of the earlier pages ride along in the URL, so Previous works from a bookmark too.
  const keep = Object.fromEntries(FILTER_KEYS.filter((k) => params.get(k)).map((k) => [k, params.get(k)]));
  const cursor = params.get("cursor") ?? undefined;
  const trail = (params.get("trail") ?? "").split(",").filter(Boolean);
  const previous = cursor ? { ...keep, cursor: trail.at(-1) === "0" ? undefined : trail.at(-1), trail: trail.slice(0, -1).join(",") } : null;
  const pager = h("nav", { class: "pager", "aria-label": "Pages" }, [
    previous ? h("a", { href: link(route, previous), class: "button", rel: "prev" }, ["← Previous"]) : h("span"),
    h("span", { class: "page-number" }, [`Page ${trail.length + 1}`]),
    page.next ? h("a", { href: link(route, { ...keep, cursor: page.next, trail: [...trail, cursor ?? "0"].join(",") }), class: "button", rel: "next" }, ["Next →"]) : h("span"),
  ]);
  if (cursor || page.next) parts.push(pager);
  if (signal.aborted) return;
  mount(results, ...parts);
  loadNearImages(results, signal);
  if (!clock && page.items.length) {
    clockAnswer.then((value) => {
      if (value && !signal.aborted) updateCardRests(results, page.items, { head: page.head ?? value.head, blockSeconds: value.blockSeconds });
    });
  }
  fillMarketSlots(results, signal); // each card's price, auction or last sale (web/src/market/cards.js)
}
