// Every failure in plain words: wallet refusals, balance problems and the contract's
// custom errors (decoded from revert data with the contract's ABI). Pure: no DOM.
import { formatEther } from "./ether-units.js";
import { loadedEthers } from "./ethers-lazy.js";

/** Plain-words templates for the contract's custom errors, keyed by error name. */
const CUSTOM = {
  LatentKinNotAuthorized: (a) => `You may not use character #${a[1]}: you neither own it, nor are approved for it, nor hold a fusion offer on it.`,
  LatentKinOnCooldown: (a) => `Character #${a[0]} is on cooldown after its last fusion: it can fuse again from block ${a[1]}.`,
  LatentKinUnknownFusionMode: (a) => `Fusion mode ${a[0]} does not exist: choose crossover or blend.`,
  LatentKinSelfFusion: (a) => `A character cannot fuse with itself (#${a[0]}): pick two different characters.`,
  LatentKinFusionLimit: (a) => `Character #${a[0]} has reached its fusion limit and cannot fuse again.`,
  LatentKinRevealTooEarly: (a) => `Too early: request #${a[0]} can be completed once block ${a[1]} has been mined.`,
  LatentKinUnknownRequest: (a) => `There is no pending request #${a[0]}; it may already be completed.`,
  LatentKinFeeTooLow: (a) => `Not enough ether sent: ${formatEther(a[0])} ETH, but ${formatEther(a[1])} ETH is required.`,
  LatentKinNothingToWithdraw: () => "You have nothing to withdraw.",
  LatentKinMintCapReached: (a) => (BigInt(a[0]) === 0n
    ? "The public mint is closed."
    : `The public mint is sold out: all ${a[0]} have been minted.`),
  LatentKinInvalidOffer: () => "An offer to anyone must have a price: set a price above 0, or name who may fuse for free.",
  LatentKinNotTokenOwner: (a) => `Only the owner of character #${a[1]} can manage its fusion offer.`,
  LatentKinPaused: () => "The contract is paused for now; please try again later.",
  LatentKinPriceAboveMax: (a) => `The price went up to ${formatEther(a[0])} ETH since you looked (you agreed to at most ${formatEther(a[1])} ETH): nothing was paid. Check the new price and try again.`,
  LatentKinAdminIsOwner: () => "The admin role belongs to the contract owner alone; it moves only with ownership.",
  LatentKinGenerationLimit: (a) => `Character #${a[0]} is of the last generation (65,535): its child could not be recorded, so it cannot fuse. Nothing was paid.`,
  LatentKinTraitNotSettable: () => "A character's fusions and rest follow from its fusions alone: nobody sets them.",
  LatentKinOwnershipNotRenounceable: () => "The contract always keeps an owner: hand ownership over instead of renouncing it.",
  ERC2981InvalidDefaultRoyalty: (a) => `A royalty of ${a[0]} basis points is more than 100%.`,
  ERC2981InvalidDefaultRoyaltyReceiver: () => "The royalty needs a receiver: name an address, or remove the royalty.",
  LatentKinNotPaused: () => "The contract is not paused.",
  ERC721NonexistentToken: (a) => `Character #${a[0]} does not exist.`,
  ERC721IncorrectOwner: (a) => `Character #${a[1]} belongs to someone else.`,
  ERC721InsufficientApproval: (a) => `You are not approved for character #${a[1]}.`,
  OwnableUnauthorizedAccount: () => "Only the contract owner may do that.",
  AccessControlUnauthorizedAccount: () => "Your account lacks the role needed for that.",
};

/** "LatentKinFooBar" -> "foo bar": a readable fallback for an error without a template. */
function humanize(name) {
  const words = name.replace(/^LatentKin/, "").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function* causes(err, depth = 0) {
  if (!err || typeof err !== "object" || depth > 6) return;
  yield err;
  for (const key of ["error", "info", "cause", "data", "payload"]) yield* causes(err[key], depth + 1);
}

/** The first 0x revert data found anywhere in an error chain, or null. */
export function revertData(err) {
  for (const e of causes(err)) {
    for (const v of [e.data, e.data?.data, e.result]) {
      if (typeof v === "string" && /^0x[0-9a-fA-F]{8,}$/.test(v)) return v;
    }
  }
  return null;
}

function rpcCode(err) {
  for (const e of causes(err)) if (typeof e.code === "number") return e.code;
  return null;
}

function messages(err) {
  return [...causes(err)].map((e) => `${e.shortMessage ?? ""} ${e.message ?? ""}`).join(" ");
}

/** Decodes a custom error into plain words; null when the data is not one of the ABI's errors, or when ethers
 * is not loaded (revert data comes from a wallet's call, and the wallet loads ethers first). */
export function decodeCustomError(data, abi) {
  const ethers = loadedEthers();
  if (!ethers) return null;
  let parsed;
  try {
    parsed = new ethers.Interface(abi).parseError(data);
  } catch {
    return null;
  }
  if (!parsed) return null;
  const args = [...parsed.args];
  const template = CUSTOM[parsed.name];
  return { name: parsed.name, text: template ? template(args) : `${humanize(parsed.name)} (${args.join(", ")}).` };
}

/**
 * Explains any failure from the wallet, ethers or the contract in plain words.
 * Returns {kind, text}: kind is one of rejected, funds, contract, network, wallet, other.
 */
export function explain(err, abi) {
  const code = rpcCode(err);
  const text = messages(err);
  if (err?.code === "ACTION_REJECTED" || code === 4001 || /user (rejected|denied)/i.test(text)) {
    return { kind: "rejected", text: "You rejected the request in your wallet. Nothing was sent." };
  }
  if (err?.code === "INSUFFICIENT_FUNDS" || /insufficient funds|doesn't have enough funds/i.test(text)) {
    return { kind: "funds", text: "Your account does not have enough ether to pay for this (price plus gas)." };
  }
  const data = revertData(err);
  const custom = data && abi ? decodeCustomError(data, abi) : null;
  if (custom) return { kind: "contract", name: custom.name, text: custom.text };
  if (err?.revert?.name) return { kind: "contract", name: err.revert.name, text: `${humanize(err.revert.name)}.` };
  if (err?.code === "CALL_EXCEPTION") {
    const reason = err.reason ? `: ${err.reason}` : "";
    return { kind: "contract", text: `The contract refused the transaction${reason}.` };
  }
  if (err?.code === "NO_WALLET") {
    return { kind: "wallet", text: "No wallet was found in this browser: install an Ethereum wallet extension (MetaMask, Rabby, …), reload the page, then try again." };
  }
  if (code === -32002) return { kind: "wallet", text: "Your wallet already has a request waiting: open it to answer." };
  if (code === 4100) return { kind: "wallet", text: "Your wallet has not authorised this site: connect first." };
  if (code === 4900 || code === 4901) return { kind: "wallet", text: "Your wallet is not connected to the network." };
  if (err?.code === "NETWORK_ERROR" || /failed to fetch|network/i.test(text)) {
    return { kind: "network", text: "The network could not be reached. Check your connection and try again." };
  }
  const short = err?.shortMessage ?? err?.message ?? String(err);
  return { kind: "other", text: `Something went wrong: ${short}` };
}
