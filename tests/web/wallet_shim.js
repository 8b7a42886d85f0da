// A test wallet: an EIP-1193 provider injected as window.ethereum (Playwright add_init_script).
// It forwards JSON-RPC to the hardhat node, whose dev accounts are unlocked, so
// eth_sendTransaction is signed by the node. Tests steer it through window.__wallet:
//   __wallet.setChain("0x1")        pretend the user's wallet is on another network
//   __wallet.rejectNext("eth_sendTransaction")   the user presses "Reject" once (error 4001)
//   __wallet.switchAccount("0x…")   the user picks another account
// Configuration arrives as window.__LATENTKIN_WALLET__ = {rpcUrl, chainId, accounts, knownChains}:
// chainId is the network the wallet starts on, knownChains those it can switch to without adding.
(() => {
  const config = window.__LATENTKIN_WALLET__;
  if (!config) return;
  const listeners = {};
  const state = {
    // Like a real wallet, it remembers that this site was authorised (across reloads).
    chainId: config.chainId, account: config.accounts[0], connected: localStorage.getItem("testWalletConnected") === "1",
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

  window.__wallet = {
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

  window.ethereum = {
    isLatentkinTestWallet: true,
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
          localStorage.setItem("testWalletConnected", "1");
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
          window.__wallet.setChain(params[0].chainId);
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
})();
