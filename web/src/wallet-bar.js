// The header's wallet bar: "Connect wallet" (with a choice when the browser holds several wallets),
// the connected account and its chain, and the wrong-network banner.
import { h, mount } from "./dom.js";
import { shortAddress } from "./ui.js";

const CHAIN_NAMES = { 1: "Ethereum", 11155111: "Sepolia", 31337: "Hardhat (local)", 1337: "Local chain" };

/** "Ethereum (1)", "chain 5". */
export function chainLabel(id) {
  return CHAIN_NAMES[id] ? `${CHAIN_NAMES[id]} (${id})` : `chain ${id}`;
}

/** The chain's name for the page's config, when the service does not give one. */
export function chainName(id) {
  return CHAIN_NAMES[id] ?? `chain ${id}`;
}

function walletIcon(choice) {
  return choice.icon ? h("img", { src: choice.icon, alt: "", width: 24, height: 24, class: "wallet-icon" }) : null;
}

/** One button per wallet of the browser, the one picked last time first and marked; and Cancel. */
function chooser(app) {
  const remembered = app.wallets.remembered();
  const choices = app.wallets.list().sort((a, b) => (b.id === remembered) - (a.id === remembered));
  return h("div", { class: "wallet-choices", role: "group", "aria-label": "Choose a wallet" }, [
    h("span", { class: "wallet-choices-title" }, ["Connect with:"]),
    ...choices.map((choice) => h("button", {
      type: "button", class: "wallet-choice", dataset: { wallet: choice.id }, onclick: () => app.pickWallet(choice),
    }, [walletIcon(choice), choice.name, choice.id === remembered ? h("span", { class: "muted" }, [" (last used)"]) : null])),
    h("button", { type: "button", class: "wallet-cancel", onclick: () => app.chooseWallet(false) }, ["Cancel"]),
  ]);
}

function accountLine(app) {
  const { wallet } = app;
  const several = app.wallets.list().length > 1;
  const choice = wallet.choice;
  return [
    several && choice
      ? h("button", {
        type: "button", class: "wallet-change", title: `${choice.name}: change wallet`,
        "aria-label": `Change wallet (now ${choice.name})`, onclick: () => app.chooseWallet(true),
      }, [walletIcon(choice) ?? choice.name])
      : null,
    h("span", { class: "account", title: wallet.account }, [
      h("span", { class: "visually-hidden" }, ["Connected account "]), shortAddress(wallet.account),
    ]),
    h("span", { class: wallet.wrongNetwork ? "chip chip-bad" : "chip" }, [chainLabel(wallet.chainId)]),
  ];
}

function drawBanner(app) {
  const { wallet } = app;
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

/** Draws the header's wallet box and the network banner from app.wallet and app.choosingWallet. */
export function drawWallet(app) {
  const { wallet } = app;
  const box = document.getElementById("wallet");
  if (app.choosingWallet) {
    mount(box, chooser(app));
    box.querySelector(".wallet-choice")?.focus();
  } else if (!wallet.available) {
    mount(box, h("span", { class: "muted" }, ["No wallet found"]));
  } else if (!wallet.connected) {
    mount(box, h("button", { type: "button", class: "primary", onclick: () => app.connect() }, ["Connect wallet"]));
  } else {
    mount(box, ...accountLine(app));
  }
  drawBanner(app);
}
