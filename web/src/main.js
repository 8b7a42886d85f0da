// latentkin web page: boots the config, wallet and router, and draws the wallet bar.
import abi from "latentkin:abi";
import { api, setImageSizes } from "./api.js";
import { mount } from "./dom.js";
import { explain } from "./errors.js";
import { startRequestIndicator } from "./requests.js";
import { parseHash, Router } from "./router.js";
import { Activity } from "./status.js";
import { message } from "./ui.js";
import { Wallet } from "./wallet.js";
import { chainName, drawWallet } from "./wallet-bar.js";
import { WalletDirectory } from "./wallets.js";
import { galleryRequest, galleryView } from "./views/gallery.js";
import { PORTRAIT_PX, tokenView } from "./views/token.js";
import { fuseView } from "./views/fuse.js";
import { mintView } from "./views/mint.js";

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
    chainName: raw.chainName ?? chainName(chainId),
    rpcUrl: raw.rpcUrl ?? null,
    traits: Array.isArray(raw.traits) ? raw.traits : [],
  };
}

function markNav(name) {
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** app.chainClock(): the chain's head and pace, mint and fee terms (GET /chain/status, reused for 3 s); null if unreachable. */
function chainClock() {
  let clock = null;
  return async () => {
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
}

/** app.connect / chooseWallet / pickWallet / switchNetwork: the wallet bar's actions, failures in the activity list. */
function walletActions(app) {
  const { wallet, wallets, activity } = app;
  const fail = (what, err) => activity.fail(what, err.code === "NO_WALLET"
    ? "No wallet was found in this browser: install an Ethereum wallet extension, then reload."
    : explain(err, abi).text);
  app.chooseWallet = (open) => {
    app.choosingWallet = open;
    drawWallet(app);
  };
  app.pickWallet = async (choice) => {
    wallets.remember(choice.id);
    app.choosingWallet = false;
    wallet.use(choice);
    drawWallet(app);
    try {
      await wallet.connect();
    } catch (err) {
      fail("Connect", err);
    }
  };
  app.connect = async () => {
    if (wallets.list().length > 1) return app.chooseWallet(true);
    try {
      await wallet.connect();
    } catch (err) {
      fail("Connect", err);
    }
  };
  app.switchNetwork = async () => {
    try {
      await wallet.switchNetwork();
    } catch (err) {
      fail("Switch network", err);
    }
  };
}

/** The views by route name, and the hash parts each route takes. */
function routing(app) {
  const { view } = app;
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
  return new Router(routes, resolve, (name, keepFocus) => {
    markNav(name === "token" ? "" : name);
    // A re-render (keepFocus) leaves focus alone, unless it was inside the view it replaces:
    // then the focused element is gone, and the new heading takes focus instead of <body>.
    // The heading waits for the next frame, and by then the player (or a test) may already have focused a
    // field of the new view: that focus is kept, only one still outside the view moves to the heading.
    const lost = view.contains(document.activeElement);
    if (!keepFocus || lost) {
      requestAnimationFrame(() => {
        if (!view.contains(document.activeElement)) view.querySelector("h1")?.focus();
      });
    }
  });
}

/** Re-attaches silently to the wallet in use, if it already authorised this site. */
async function restoreWallet(wallet) {
  try {
    await wallet.restore();
  } catch {
    /* the wallet is locked or absent: stay disconnected */
  }
}

/** Starts the first view's requests while /config.json is on its way (they need nothing from it). */
function prefetchFirstView() {
  const { parts, params } = parseHash(location.hash);
  api.prefetch.chainStatus();
  if (parts.length === 0 || parts[0] === "gallery") api.prefetch.tokens(galleryRequest(params));
  else if (parts[0] === "token" && /^[1-9]\d{0,15}$/.test(parts[1] ?? "")) {
    api.prefetch.token(Number(parts[1]));
    new Image().src = api.tokenImage(Number(parts[1]), PORTRAIT_PX); // the page's largest paint
  }
}

async function boot() {
  const view = document.getElementById("view");
  prefetchFirstView();
  const wallets = new WalletDirectory(); // asks the browser's wallets to announce themselves (EIP-6963)
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    mount(view, message(`The page cannot start: ${err.message}`, "error"));
    return;
  }
  const activity = new Activity(document.getElementById("activity"));
  const wallet = new Wallet(config, abi, wallets.preferred());
  const app = { abi, api, config, wallet, wallets, activity, view, choosingWallet: false, chainClock: chainClock() };
  walletActions(app);
  const router = routing(app);
  app.router = router;
  /** Moves to `hash` and draws its view before returning: setting location.hash would draw it on the
   * hashchange event, a task later, and a click or keystroke that came first would land on the view being
   * replaced. pushState fires no hashchange (no second render); Back and Forward still fire it. */
  app.go = (hash) => {
    if (location.hash !== hash) history.pushState(null, "", hash);
    return router.show();
  };

  await restoreWallet(wallet);
  wallet.addEventListener("change", () => {
    drawWallet(app);
    router.show({ keepFocus: true });
  });
  // A wallet that announces itself late (its extension loaded after the page) becomes usable at once.
  wallets.addEventListener("change", async () => {
    if (!wallet.connected) {
      wallet.use(wallets.preferred());
      await restoreWallet(wallet);
    }
    drawWallet(app);
  });
  drawWallet(app);
  startRequestIndicator(app, document.getElementById("requests"));
  window.latentkin = app; // handy in the console and for the browser tests
  await router.show();
}

boot();
