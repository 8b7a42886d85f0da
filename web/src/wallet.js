// The wallet, through EIP-1193 (the provider the player picked, see wallets.js) and ethers v6: connect,
// wrong-network detection and switch, account switch, and transactions with pending/confirmed states.
// ethers is fetched once a wallet is attached (ethers-lazy.js): a visitor without a wallet never loads it.
import { loadEthers } from "./ethers-lazy.js";

/** Chain ids arrive as hex strings ("0x7a69") or numbers; both become a Number. */
export function toChainId(value) {
  return typeof value === "string" ? Number.parseInt(value, value.startsWith("0x") ? 16 : 10) : Number(value);
}

/**
 * Wallet state holder. Fires "change" whenever account, chain or connection changes.
 * state: {available, account, chainId, wrongNetwork}
 */
export class Wallet extends EventTarget {
  #listeners = {};
  #ethers = null; // the ethers module, once loaded
  #ready = Promise.resolve(); // settles when ethers is loaded for the attached wallet

  /** `choice` is a wallet of WalletDirectory.list() ({id, name, icon, provider}) or null. */
  constructor(config, abi, choice = null) {
    super();
    this.config = config;
    this.abi = abi;
    this.choice = null;
    this.ethereum = null;
    this.account = null;
    this.chainId = null;
    this.provider = null;
    this.#attach(choice);
  }

  /** Switches to another wallet of the browser: forgets the account until restore() or connect(). */
  use(choice) {
    if (choice?.provider === this.ethereum) {
      this.choice = choice ?? null;
      return;
    }
    for (const [event, fn] of Object.entries(this.#listeners)) this.ethereum?.removeListener?.(event, fn);
    this.#listeners = {};
    this.account = null;
    this.chainId = null;
    this.#attach(choice);
    this.#renewProvider();
    this.dispatchEvent(new Event("change"));
  }

  #attach(choice) {
    this.choice = choice ?? null;
    this.ethereum = choice?.provider ?? null;
    const provider = this.ethereum;
    if (provider && !this.#ethers) {
      this.#ready = loadEthers().then((ethers) => {
        this.#ethers = ethers;
      });
    }
    if (!provider?.on) return;
    // A wallet without removeListener may still speak after the player left it: only the current one counts.
    const current = (fn) => (value) => this.#ready.then(() => provider === this.ethereum && fn(value));
    this.#listeners = {
      accountsChanged: current((accounts) => this.#setAccounts(accounts)),
      chainChanged: current((chainId) => this.#setChain(chainId)),
      disconnect: current(() => this.#setAccounts([])),
    };
    for (const [event, fn] of Object.entries(this.#listeners)) provider.on(event, fn);
  }

  get available() {
    return Boolean(this.ethereum);
  }

  get connected() {
    return Boolean(this.account);
  }

  get wrongNetwork() {
    return this.connected && this.chainId !== null && this.chainId !== this.config.chainId;
  }

  /** Ready to send: connected, on the right chain. */
  get ready() {
    return this.connected && !this.wrongNetwork;
  }

  /** Re-attaches silently to an account the wallet already authorised (no prompt). */
  async restore() {
    if (!this.ethereum) return;
    await this.#ready;
    const [accounts, chainId] = await Promise.all([
      this.ethereum.request({ method: "eth_accounts" }),
      this.ethereum.request({ method: "eth_chainId" }),
    ]);
    this.chainId = toChainId(chainId);
    this.#setAccounts(accounts);
  }

  /** Asks the wallet for an account (the wallet prompts the user). */
  async connect() {
    if (!this.ethereum) throw Object.assign(new Error("No wallet found"), { code: "NO_WALLET" });
    await this.#ready;
    const accounts = await this.ethereum.request({ method: "eth_requestAccounts" });
    this.chainId = toChainId(await this.ethereum.request({ method: "eth_chainId" }));
    this.#setAccounts(accounts);
  }

  /** Forgets the account on this page (wallets have no standard "disconnect" request). */
  disconnect() {
    this.#setAccounts([]);
  }

  /** Asks the wallet to switch to the service's chain, adding it first when the wallet lacks it. */
  async switchNetwork() {
    const chainId = "0x" + this.config.chainId.toString(16);
    await this.#ready;
    try {
      await this.ethereum.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    } catch (err) {
      if (err?.code !== 4902 || !this.config.rpcUrl) throw err;
      await this.ethereum.request({
        method: "wallet_addEthereumChain",
        params: [{
          chainId,
          chainName: this.config.chainName ?? `Chain ${this.config.chainId}`,
          rpcUrls: [this.config.rpcUrl],
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        }],
      });
      // EIP-3085 does not promise a switch after adding; ask for it (a no-op if already done).
      await this.ethereum.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    }
    this.#setChain(await this.ethereum.request({ method: "eth_chainId" }));
  }

  /** The contract bound to the wallet's provider (reads) or signer (writes). */
  async contract({ write = false } = {}) {
    const runner = write ? await this.provider.getSigner(this.account) : this.provider;
    return new this.#ethers.Contract(this.config.address, this.abi, runner);
  }

  /** The head block number, asked afresh (ethers' getBlockNumber may answer from its cache). */
  async blockNumber() {
    return Number(await this.provider.send("eth_blockNumber", []));
  }

  async balance() {
    return this.provider.getBalance(this.account);
  }

  #setAccounts(accounts) {
    const next = accounts?.length ? this.#ethers.getAddress(accounts[0]) : null;
    if (next === this.account && this.provider) return;
    this.account = next;
    this.#renewProvider();
    this.dispatchEvent(new Event("change"));
  }

  #setChain(chainId) {
    const next = toChainId(chainId);
    if (next === this.chainId) return;
    this.chainId = next;
    this.#renewProvider();
    this.dispatchEvent(new Event("change"));
  }

  #renewProvider() {
    this.provider?.destroy();
    this.provider = this.ethereum && this.#ethers ? new this.#ethers.BrowserProvider(this.ethereum, "any", { pollingInterval: 1000 }) : null;
  }
}
