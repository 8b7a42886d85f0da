// Small shared pieces of the views: cards, messages, formatting.
import { formatEther } from "./ether-units.js";
import { api } from "./api.js";
import { h } from "./dom.js";
import { restState } from "./clock.js";
import { link } from "./router.js";
import { topTraits } from "./tokens.js";

/** 0x1234…abcd */
export function shortAddress(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : "—";
}

const SHOWN_DECIMALS = 4;

/** An amount of wei in ether with at most 4 decimals, rounded to nearest ("0.4997" for 0.49971875), no
 * trailing zeros; `exact` keeps every decimal (what a wallet will be asked to pay). */
export function etherAmount(wei, { exact = false } = {}) {
  let value = BigInt(wei ?? 0);
  if (!exact) {
    const step = 10n ** BigInt(18 - SHOWN_DECIMALS);
    const rounded = ((value < 0n ? -value : value) + step / 2n) / step * step;
    if (rounded === 0n && value !== 0n) return `< ${formatEther(step)}`;
    value = value < 0n ? -rounded : rounded;
  }
  return formatEther(value).replace(/\.0$/, "");
}

/** "0.01 ETH", "1 ETH", "0.4997 ETH" from wei (bigint or decimal string); see etherAmount. */
export function eth(wei, options) {
  return `${etherAmount(wei, options)} ETH`;
}

/** "0.05 WETH": an amount of wrapped ether (18 decimals, like ETH). */
export function weth(wei, options) {
  return `${etherAmount(wei, options)} WETH`;
}

/** "Cost: …" in words: the fee and offer prices, or that only gas is paid. */
export function costText(fee, offers) {
  if (fee + offers === 0n) return "Cost: no fee, you pay only the gas.";
  const parts = [fee ? `fusion fee ${eth(fee)}` : null, offers ? `offers ${eth(offers)}` : null].filter(Boolean);
  return `Cost: ${eth(fee + offers)} (${parts.join(" plus ")}), plus gas.`;
}

export function sameAddress(a, b) {
  return Boolean(a && b) && a.toLowerCase() === b.toLowerCase();
}

/**
 * A gallery card, portrait first: id and generation, the two rarest traits with their rarity, owner
 * ("you" or a short address), ready or resting with the time left (block number on hover), and the
 * market's price slot. `clock` = {head, blockSeconds, account}; `eager` loads the portrait at once, `first`
 * before anything else.
 */
/** Writes a rest state (clock.js restState) into a card's rest line. */
function showRest(line, rest) {
  line.className = `card-rest ${rest.ready ? "is-ready" : "is-resting"}`;
  if (rest.title) line.title = rest.title;
  else line.removeAttribute("title");
  line.textContent = rest.text;
  return line;
}

/** Re-words the rest line of each card under `root` with a later `clock` (the chain's pace arrived). */
export function updateCardRests(root, tokens, clock) {
  for (const token of tokens) {
    const line = root.querySelector(`.card[data-token="${token.id}"] .card-rest`);
    if (line) showRest(line, restState(token, clock.head, clock.blockSeconds ?? 12));
  }
}

export function tokenCard(token, { size = 160, clock = {}, eager = false, first = false } = {}) {
  const rest = restState(token, clock.head, clock.blockSeconds ?? 12);
  const you = sameAddress(token.owner, clock.account);
  const traitText = token.traits.map((t) => `${t.trait} ${t.value}`).join(", ");
  return h("li", { class: "card", "data-token": token.id }, [
    h("a", { href: link("token", token.id), class: "card-link" }, [
      h("img", {
        // Portraits further down wait until they near the screen (see loadNearImages): the browser's own
        // loading="lazy" fetches everything within ~1250-2500 px, which on a phone is the whole page.
        src: eager ? api.tokenImage(token.id, size) : null, "data-src": eager ? null : api.tokenImage(token.id, size),
        width: size, height: size,
        fetchpriority: first ? "high" : null, // the first row's portraits are the page's largest paint
        alt: `Portrait of character #${token.id}${traitText ? `: ${traitText}` : ""}`,
      }),
      h("span", { class: "card-title" }, [`#${token.id}`]),
      h("span", { class: "card-meta" }, [`generation ${token.generation ?? "?"}`]),
    ]),
    h("ul", { class: "card-traits", "aria-label": "Rarest traits" }, topTraits(token.traits).map((t) => h("li", {}, [
      `${t.value} `, h("span", { class: `rarity rarity-${t.rarity}` }, [t.rarity]),
    ]))),
    h("p", { class: "card-owner" }, ["Owner: ", you ? h("strong", {}, ["you"]) : h("span", { title: token.owner ?? "" }, [shortAddress(token.owner)])]),
    showRest(h("p", {}), rest),
    // Market slot (issue 13, web/src/market/): the price when the character is listed for sale is
    // filled into this element by the market code; it stays empty (and takes no room) otherwise.
    h("p", { class: "card-price", "data-slot": "market-price", "data-token": token.id }),
  ]);
}

const NEAR_SCREEN = "100px"; // how close to the screen a waiting portrait starts loading

/** Loads each image of `root` that waits in data-src once it comes within 100 px of the screen; stops with `signal`. */
export function loadNearImages(root, signal) {
  const waiting = [...root.querySelectorAll("img[data-src]")];
  if (waiting.length === 0) return;
  const load = (img) => {
    img.src = img.dataset.src;
    delete img.dataset.src;
  };
  if (typeof IntersectionObserver !== "function") {
    waiting.forEach(load);
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      load(entry.target);
    }
  }, { rootMargin: NEAR_SCREEN });
  waiting.forEach((img) => observer.observe(img));
  signal?.addEventListener("abort", () => observer.disconnect(), { once: true });
}

/** A message box; kind = info | error | ok. Errors are announced (role=alert). */
export function message(text, kind = "info") {
  return h("p", { class: `msg msg-${kind}`, role: kind === "error" ? "alert" : "status" }, [text]);
}

/** An error box that says what went wrong and offers a way on: `ways` are [label, href] links. */
export function failure(text, ...ways) {
  return h("div", { class: "msg msg-error", role: "alert" }, [
    h("p", {}, [text]),
    ways.length ? h("p", { class: "ways" }, ways.flatMap(([label, href], i) => [i ? " · " : null, h("a", { href }, [label])])) : null,
  ]);
}

/** Prompt with a Connect button, for views that need an account. */
export function connectPrompt(app, why) {
  if (!app.wallet.available) {
    return message(`${why} No wallet was found in this browser: install an Ethereum wallet extension, then reload.`);
  }
  return h("div", { class: "msg msg-info" }, [
    h("p", {}, [why]),
    h("button", { type: "button", class: "primary", onclick: () => app.connect() }, ["Connect wallet"]),
  ]);
}

/** Page heading that takes focus after navigation (screen readers hear where they landed); names the tab too. */
export function heading(text) {
  document.title = `${text} — latentkin`;
  return h("h1", { tabindex: "-1" }, [text]);
}

/** Resolves after `ms`, or at once when `signal` aborts (the view was left). */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
