// ethers v6 on demand: it is most of the page's script (~85 KB of ~115 KB gzipped), and only a wallet needs it
// (a provider, contracts, signatures). The wallet loads it as soon as one is attached (wallet.js); a visitor
// without a wallet never downloads it. esbuild puts it in its own chunk (splitting is on, web/build.mjs).

let loaded = null;
let loading = null;

/** The ethers module, fetched on first call (one request however many callers). */
export function loadEthers() {
  loading ??= import("ethers").then((module) => (loaded = module));
  return loading;
}

/** The ethers module if already loaded, else null: for sync code that only meets data a wallet produced (a
 * revert from a wallet's call means the wallet loaded ethers first). */
export function loadedEthers() {
  return loaded;
}
