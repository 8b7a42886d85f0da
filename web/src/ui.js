// Small shared pieces of the views: cards, messages, formatting.
import { formatEther } from "ethers";
import { api } from "./api.js";
import { h } from "./dom.js";
import { link } from "./router.js";

/** 0x1234…abcd */
export function shortAddress(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : "—";
}

/** "0.01 ETH" from wei (bigint or decimal string). */
export function eth(wei) {
  return `${formatEther(BigInt(wei ?? 0))} ETH`;
}

export function sameAddress(a, b) {
  return Boolean(a && b) && a.toLowerCase() === b.toLowerCase();
}

/** A clickable gallery card of a token (image, id, generation). */
export function tokenCard(token, { size = 128 } = {}) {
  return h("li", { class: "card" }, [
    h("a", { href: link("token", token.id), class: "card-link" }, [
      h("img", {
        src: api.tokenImage(token.id, size), width: size, height: size, loading: "lazy",
        alt: `Portrait of character #${token.id}`,
      }),
      h("span", { class: "card-title" }, [`#${token.id}`]),
      h("span", { class: "card-meta" }, [`generation ${token.generation ?? "?"}`]),
    ]),
  ]);
}

/** A message box; kind = info | error | ok. Errors are announced (role=alert). */
export function message(text, kind = "info") {
  return h("p", { class: `msg msg-${kind}`, role: kind === "error" ? "alert" : "status" }, [text]);
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
