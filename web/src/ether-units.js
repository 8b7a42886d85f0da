// Ether amounts and addresses without ethers: what the first paint needs (ethers itself, ~85 KB gzipped, is
// loaded only when a wallet is in play, see ethers-lazy.js). Each function answers exactly as its ethers v6
// namesake does (tests/web/js/units.test.mjs compares them on random values).

/** The zero address, ethers' ZeroAddress. */
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const WEI_PER_ETHER = 10n ** 18n;

/** Wei (bigint, number or decimal string) as ether: "1.0", "0.001", "-0.5" (ethers' formatEther). */
export function formatEther(wei) {
  const value = BigInt(wei);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const fraction = (abs % WEI_PER_ETHER).toString().padStart(18, "0").replace(/0+$/, "") || "0";
  return `${sign}${abs / WEI_PER_ETHER}.${fraction}`;
}

/** "0.05" ether -> wei (bigint); throws on anything but a decimal number with at most 18 decimals. */
export function parseEther(text) {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(text));
  if (!match || (match[2] === "" && !match[3])) throw new SyntaxError(`invalid decimal value: ${text}`);
  const fraction = (match[3] ?? "").replace(/0+$/, "");
  if (fraction.length > 18) throw new RangeError(`too many decimals for ether: ${text}`);
  const wei = BigInt(match[2] || "0") * WEI_PER_ETHER + BigInt(fraction.padEnd(18, "0"));
  return match[1] ? -wei : wei;
}

/** A whole number as a JSON-RPC quantity, "0x8ac7230489e80000" (ethers' toQuantity). */
export function toQuantity(value) {
  return `0x${BigInt(value).toString(16)}`;
}
