// Seaport 1.6 through seaport-js, bound to the connected wallet; WETH (wrap, balance) and the collection's
// ERC-2981 royalty, read through the same wallet. seaport-js is imported on first use (its own chunk), so
// pages that never trade do not load it.
import { loadEthers } from "../ethers-lazy.js";
import { market } from "./book.js";

const WETH_ABI = ["function deposit() payable", "function balanceOf(address) view returns (uint256)"];
const TRAIT_NAMES = ["fusions", "restingUntil"]; // ERC-7496 keys are keccak256 of these names

/** The seaport-js SDK on this chain's Seaport, signing with the wallet's account. */
export async function seaport(app) {
  const where = await market();
  if (!where) throw new Error("This chain has no Seaport market.");
  const [sdk, signer] = await Promise.all([import("@opensea/seaport-js"),
    app.wallet.provider.getSigner(app.wallet.account)]);
  const { Seaport } = sdk.Seaport ? sdk : sdk.default; // the package's build reaches esbuild as CommonJS
  return new Seaport(signer, { overrides: { contractAddress: where.seaport, seaportVersion: "1.6" } });
}

/** WETH, for reads (or writes with `write`). */
export async function weth(app, { write = false } = {}) {
  const where = await market();
  const runner = write ? await app.wallet.provider.getSigner(app.wallet.account) : app.wallet.provider;
  const { Contract } = await loadEthers();
  return new Contract(where.weth, WETH_ABI, runner);
}

/**
 * The zone fields of an order on `tokenId`: restricted to the collection's LatentKinZone, with a zoneHash that
 * commits to the token's ERC-7496 traits now (fusions used, resting until), so Seaport refuses the fill once the
 * token was fused; {} where the market has no zone. The hash is keccak256(abi.encode(id, fusions, restingUntil)).
 */
export async function protection(app, tokenId) {
  const where = await market();
  if (!where?.zone) return {};
  const { zoneHash } = await traitsNow(app, tokenId);
  return { zone: where.zone, zoneHash, restrictedByZone: true };
}

/**
 * The token's ERC-7496 traits read from the chain now: {fusions, restingUntil} (numbers) and the zoneHash an
 * order signed now would carry, keccak256(abi.encode(id, fusions, restingUntil)).
 */
export async function traitsNow(app, tokenId) {
  const { AbiCoder, id, keccak256 } = await loadEthers();
  const values = await (await app.wallet.contract()).getTraitValues(tokenId, TRAIT_NAMES.map((name) => id(name)));
  const zoneHash = keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "bytes32", "bytes32"], [tokenId, ...values]));
  return { fusions: Number(BigInt(values[0])), restingUntil: Number(BigInt(values[1])), zoneHash };
}

/** {receiver, basisPoints} of the token's ERC-2981 royalty (royaltyInfo at a price of 10,000 wei). */
export async function royalty(app, tokenId) {
  const contract = await app.wallet.contract();
  const [receiver, amount] = await contract.royaltyInfo(tokenId, 10_000n);
  return { receiver, basisPoints: Number(amount) };
}
