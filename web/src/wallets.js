// Which wallets this browser holds: EIP-6963 discovery (each installed wallet announces itself with a
// name and an icon when the page asks), with the legacy window.ethereum as the fallback, and the
// player's choice remembered in localStorage.

const STORAGE_KEY = "latentkin.wallet";
export const LEGACY_ID = "legacy";

/** EIP-6963 icons are data URIs of images; anything else is not shown (no remote fetch, no script). */
function safeIcon(icon) {
  return typeof icon === "string" && /^data:image\/(svg\+xml|png|jpeg|webp|gif)[;,]/.test(icon) ? icon : null;
}

/**
 * The wallets on offer: {id, name, icon, provider}, announced ones first in announcement order.
 * Fires "change" when a wallet announces itself after the page asked.
 */
export class WalletDirectory extends EventTarget {
  #announced = new Map();

  constructor(target = globalThis.window, legacy = globalThis.ethereum, storage = globalThis.localStorage) {
    super();
    this.legacy = legacy ?? null;
    this.storage = storage ?? null;
    target?.addEventListener("eip6963:announceProvider", (event) => this.#add(event.detail));
    target?.dispatchEvent(new Event("eip6963:requestProvider"));
  }

  #add(detail) {
    const info = detail?.info;
    if (!info?.uuid || !info.name || typeof detail.provider?.request !== "function") return;
    const id = info.rdns || info.uuid;
    const known = this.#announced.get(id);
    if (known?.provider === detail.provider) return;
    this.#announced.set(id, { id, name: String(info.name), icon: safeIcon(info.icon), provider: detail.provider });
    this.dispatchEvent(new Event("change"));
  }

  /** Every wallet the player can pick; window.ethereum only when no announced wallet is that provider. */
  list() {
    const announced = [...this.#announced.values()];
    if (this.legacy && !announced.some((w) => w.provider === this.legacy)) {
      announced.push({ id: LEGACY_ID, name: "Browser wallet", icon: null, provider: this.legacy });
    }
    return announced;
  }

  /** The wallet to use before the player picks: the remembered one, else the only one, else window.ethereum. */
  preferred() {
    const choices = this.list();
    const remembered = this.storage?.getItem(STORAGE_KEY);
    return choices.find((w) => w.id === remembered)
      ?? (choices.length === 1 ? choices[0] : choices.find((w) => w.id === LEGACY_ID || w.provider === this.legacy))
      ?? choices[0] ?? null;
  }

  /** The id of the wallet the player picked last time, if any. */
  remembered() {
    return this.storage?.getItem(STORAGE_KEY) ?? null;
  }

  /** Remembers the player's pick for the next visit. */
  remember(id) {
    try {
      this.storage?.setItem(STORAGE_KEY, id);
    } catch {
      /* storage full or disabled: the choice lasts this visit only */
    }
  }
}
