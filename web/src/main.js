// latentkin web page: boots the config, wallet and router, and draws the wallet bar.
import abi from "latentkin:abi";
import { api, setImageSizes } from "./api.js";
import { h, mount } from "./dom.js";
import { explain } from "./errors.js";
import { startRequestIndicator } from "./requests.js";
import { Router } from "./router.js";
import { Activity } from "./status.js";
import { message, shortAddress } from "./ui.js";
import { Wallet } from "./wallet.js";
import { galleryView } from "./views/gallery.js";
import { tokenView } from "./views/token.js";
import { fuseView } from "./views/fuse.js";
import { mintView } from "./views/mint.js";

const CHAIN_NAMES = { 1: "Ethereum", 11155111: "Sepolia", 31337: "Hardhat (local)", 1337: "Local chain" };

/** The service's chain and contract: {chainId, address, chainName, rpcUrl} from /config.json (or /contract). */
async function loadConfig() {
  let raw;
  try {
    raw = await api.config();
  } catch (err) {
    if (err.status !== 404) throw err;
    raw = await api.contract();
  }
  const chainId = Number(raw.chainId ?? raw.chain_id);
  const address = raw.address;
  if (!chainId || !address) throw new Error("the service does not know the chain or contract yet; try again in a moment.");
  setImageSizes(raw.imageSizes);
  return {
    chainId,
    address,
    chainName: raw.chainName ?? CHAIN_NAMES[chainId] ?? `chain ${chainId}`,
    rpcUrl: raw.rpcUrl ?? null,
    traits: Array.isArray(raw.traits) ? raw.traits : [],
  };
}

function chainLabel(id) {
  return CHAIN_NAMES[id] ? `${CHAIN_NAMES[id]} (${id})` : `chain ${id}`;
}

function drawWallet(app) {
  const { wallet } = app;
  const box = document.getElementById("wallet");
  if (!wallet.available) {
    mount(box, h("span", { class: "muted" }, ["No wallet found"]));
  } else if (!wallet.connected) {
    mount(box, h("button", { type: "button", class: "primary", onclick: () => app.connect() }, ["Connect wallet"]));
  } else {
    mount(box,
      h("span", { class: "account", title: wallet.account }, [
        h("span", { class: "visually-hidden" }, ["Connected account "]), shortAddress(wallet.account),
      ]),
      h("span", { class: wallet.wrongNetwork ? "chip chip-bad" : "chip" }, [chainLabel(wallet.chainId)]));
  }
  const banner = document.getElementById("network");
  if (wallet.wrongNetwork) {
    mount(banner,
      h("p", {}, [
        `Your wallet is on ${chainLabel(wallet.chainId)}, but latentkin lives on ${chainLabel(app.config.chainId)}. `,
        "Switch network to mint or fuse.",
      ]),
      h("button", { type: "button", class: "primary", onclick: () => app.switchNetwork() }, ["Switch network"]));
    banner.hidden = false;
  } else {
    banner.hidden = true;
    banner.replaceChildren();
  }
}

function markNav(name) {
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

async function boot() {
  const view = document.getElementById("view");
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    mount(view, message(`The page cannot start: ${err.message}`, "error"));
    return;
  }
  const activity = new Activity(document.getElementById("activity"));
  const wallet = new Wallet(config, abi);
  const app = { abi, api, config, wallet, activity, view };
  let clock = null;
  /** The chain's head and pace, mint and fee terms (GET /chain/status, reused for 3 s); null if unreachable. */
  app.chainClock = async () => {
    if (clock && Date.now() - clock.at < 3000) return clock.value;
    try {
      const s = await api.chainStatus();
      const value = {
        head: s.head, blockSeconds: s.block_seconds, mintPrice: BigInt(s.mint_price_wei), mintCap: s.mint_cap,
        minted: s.minted, fusionFee: BigInt(s.fusion_fee_wei),
      };
      clock = { at: Date.now(), value };
      return value;
    } catch {
      return null;
    }
  };

  app.connect = async () => {
    try {
      await wallet.connect();
    } catch (err) {
      activity.fail("Connect", err.code === "NO_WALLET" ? "No wallet was found in this browser." : explain(err, abi).text);
    }
  };
  app.switchNetwork = async () => {
    try {
      await wallet.switchNetwork();
    } catch (err) {
      activity.fail("Switch network", explain(err, abi).text);
    }
  };

  const routes = {
    gallery: (ctx) => galleryView(app, ctx, { mine: false }),
    mine: (ctx) => galleryView(app, ctx, { mine: true }),
    token: (ctx) => tokenView(app, ctx),
    fuse: (ctx) => fuseView(app, ctx),
    mint: (ctx) => mintView(app, ctx),
    missing: () => mount(view, message("There is no such page.", "error")),
  };
  const resolve = (parts) => {
    if (parts.length === 0 || parts[0] === "gallery") return ["gallery", []];
    if (parts[0] === "token" && /^\d+$/.test(parts[1] ?? "")) return ["token", [Number(parts[1])]];
    if (["mine", "fuse", "mint"].includes(parts[0])) return [parts[0], parts.slice(1)];
    return ["missing", []];
  };
  const router = new Router(routes, resolve, (name, keepFocus) => {
    markNav(name === "token" ? "" : name);
    // A re-render (keepFocus) leaves focus alone, unless it was inside the view it replaces:
    // then the focused element is gone, and the new heading takes focus instead of <body>.
    const lost = view.contains(document.activeElement);
    if (!keepFocus || lost) requestAnimationFrame(() => view.querySelector("h1")?.focus());
  });
  app.router = router;
  app.go = (hash) => {
    if (location.hash === hash) router.show();
    else location.hash = hash;
  };

  try {
    await wallet.restore();
  } catch {
    /* the wallet is locked or absent: stay disconnected */
  }
  wallet.addEventListener("change", () => {
    drawWallet(app);
    router.show({ keepFocus: true });
  });
  drawWallet(app);
  startRequestIndicator(app, document.getElementById("requests"));
  window.latentkin = app; // handy in the console and for the browser tests
  await router.show();
}

boot();
