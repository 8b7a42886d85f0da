// A test wallet: an EIP-1193 provider injected as window.ethereum (Playwright add_init_script).
// It forwards JSON-RPC to the hardhat node, whose dev accounts are unlocked, so
// eth_sendTransaction is signed by the node. Tests steer it through window.__wallet:
//   __wallet.setChain("0x1")        pretend the user's wallet is on another network
//   __wallet.rejectNext("eth_sendTransaction")   the user presses "Reject" once (error 4001)
//   __wallet.switchAccount("0x…")   the user picks another account
// Configuration arrives as window.__LATENTKIN_WALLET__ = {rpcUrl, chainId, accounts, knownChains}:
// chainId is the network the wallet starts on, knownChains those it can switch to without adding.
//
// Several wallets in one browser: with `announce: [{name, rdns, icon, account?}, …]` each entry is one more
// wallet that announces itself through EIP-6963 (answering "eip6963:requestProvider"), steered by
// window.__wallets[rdns]; `legacy: false` leaves window.ethereum out.
(() => {
  const config = window.__LATENTKIN_WALLET__;
  if (!config) return;

  /** One wallet: its EIP-1193 provider and the controls the tests steer it by. */
  function makeWallet(config, label) {
    const storageKey = `testWalletConnected:${label}`;
    const listeners = {};
    const state = {
      // Like a real wallet, it remembers that this site was authorised (across reloads).
      chainId: config.chainId, account: config.accounts[0], connected: localStorage.getItem(storageKey) === "1",
      reject: [], log: [],
      known: config.knownChains.map((c) => c.toLowerCase()), added: [],
    };
    const emit = (event, value) => (listeners[event] ?? []).slice().forEach((fn) => fn(value));
    let nextId = 1;

    async function forward(method, params) {
      const response = await fetch(config.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params ?? [] }),
      });
      const body = await response.json();
      if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
      return body.result;
    }

    function rejectIfAsked(method) {
      const i = state.reject.indexOf(method);
      if (i < 0) return;
      state.reject.splice(i, 1);
      throw Object.assign(new Error("User rejected the request."), { code: 4001 });
    }

    const control = {
      label,
      state,
      setChain(chainId) {
        state.chainId = chainId;
        emit("chainChanged", chainId);
      },
      rejectNext(method) {
        state.reject.push(method);
      },
      switchAccount(account) {
        state.account = account;
        if (state.connected) emit("accountsChanged", [account]);
      },
    };

    const provider = {
      isLatentkinTestWallet: true,
      label,
      on(event, fn) {
        (listeners[event] ??= []).push(fn);
        return this;
      },
      removeListener(event, fn) {
        listeners[event] = (listeners[event] ?? []).filter((f) => f !== fn);
        return this;
      },
      async request({ method, params }) {
        state.log.push(method);
        rejectIfAsked(method);
        switch (method) {
          case "eth_requestAccounts":
            state.connected = true;
            localStorage.setItem(storageKey, "1");
            emit("connect", { chainId: state.chainId });
            emit("accountsChanged", [state.account]);
            return [state.account];
          case "eth_accounts":
            return state.connected ? [state.account] : [];
          case "eth_chainId":
            return state.chainId;
          case "wallet_switchEthereumChain":
            if (!state.known.includes(params[0].chainId.toLowerCase())) {
              throw Object.assign(new Error("Unrecognized chain."), { code: 4902 });
            }
            control.setChain(params[0].chainId);
            return null;
          case "wallet_addEthereumChain":
            state.known.push(params[0].chainId.toLowerCase());
            state.added.push(params[0]);
            return null;
          case "eth_sendTransaction":
            if (!state.connected) throw Object.assign(new Error("Unauthorized"), { code: 4100 });
            return forward(method, [{ ...params[0], from: state.account }]);
          default:
            return forward(method, params);
        }
      },
    };
    return { provider, control };
  }

  if (config.legacy !== false) {
    const legacy = makeWallet(config, "legacy");
    window.ethereum = legacy.provider;
    window.__wallet = legacy.control;
  }
  window.__wallets = {};
  for (const { account, ...info } of config.announce ?? []) {
    const { provider, control } = makeWallet({ ...config, accounts: [account ?? config.accounts[0]] }, info.rdns);
    window.__wallets[info.rdns] = control;
    const detail = Object.freeze({ info: Object.freeze({ uuid: crypto.randomUUID(), ...info }), provider });
    const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  }
})();
