// Plain sentences for what Seaport and the collection's LatentKinZone revert with when a fill is refused
// (the contract's own errors stay with errors.js): decoded from the revert data with these errors' ABI, through
// ethers once the wallet has loaded it (revert data only comes from a wallet's call).
import { explain, revertData } from "../errors.js";
import { loadedEthers } from "../ethers-lazy.js";

const ERRORS = [
  "error LatentKinZoneTraitsChanged(bytes32 orderHash, bytes32 signedZoneHash, bytes32 currentZoneHash)",
  "error InvalidRestrictedOrder(bytes32 orderHash)",
  "error OrderIsCancelled(bytes32 orderHash)",
  "error OrderAlreadyFilled(bytes32 orderHash)",
  "error InvalidTime(uint256 startTime, uint256 endTime)",
];

const SENTENCES = {
  LatentKinZoneTraitsChanged: () => "The character was fused (or started resting) after this order was signed, so "
    + "the market's zone refused the trade: the sale did not happen. Reload the page to see the character as it is now.",
  InvalidRestrictedOrder: () => "The market's zone refused this order: the sale did not happen.",
  OrderIsCancelled: () => "This order was cancelled by its maker: the sale did not happen.",
  OrderAlreadyFilled: () => "This order was already filled: the sale did not happen.",
  InvalidTime: () => "This order has expired (or has not started yet): the sale did not happen.",
};

/** The zone's or Seaport's refusal in plain words, or null when `err` carries none of their errors. */
export function explainMarketError(err) {
  const data = revertData(err);
  const ethers = loadedEthers();
  if (!data || !ethers) return null;
  let parsed = null;
  try {
    parsed = new ethers.Interface(ERRORS).parseError(data);
  } catch { /* not one of these */ }
  return parsed ? { kind: "contract", name: parsed.name, text: SENTENCES[parsed.name]() } : null;
}

/** Like errors.js's explain, with the market's errors understood first. */
export function explainTrade(err, abi) {
  return explainMarketError(err) ?? explain(err, abi);
}
