// Genome v1 decoding for display (mirrors latentkin_core/genome.py; pure, no I/O).
//
// hex = 80 digits: 64 of code (uint256, big-endian) then 16 of attrs (uint64, big-endian).
//   gene j  = (code >> 4j) & 0xF              -> code digit 63 - j
//   main i  = (attrs >> 8i) & 0xF             -> attrs digit 15 - 2i
//   sub i   = (attrs >> (8i + 4)) & 0xF       -> attrs digit 14 - 2i

export const GENES = 64;
export const TRAITS = 8;

/** Parses a genome hex (optional 0x) into {hex, genes[64], mains[8], subs[8]}; throws on bad input. */
export function parseGenome(text) {
  const digits = String(text ?? "").replace(/^0x/i, "").toLowerCase();
  if (!/^[0-9a-f]{80}$/.test(digits)) throw new Error(`not a genome: expected 80 hex digits, got "${text}"`);
  const code = digits.slice(0, 64);
  const attrs = digits.slice(64);
  const genes = Array.from({ length: GENES }, (_, j) => parseInt(code[63 - j], 16));
  const mains = Array.from({ length: TRAITS }, (_, i) => parseInt(attrs[15 - 2 * i], 16));
  const subs = Array.from({ length: TRAITS }, (_, i) => parseInt(attrs[14 - 2 * i], 16));
  return { hex: digits, genes, mains, subs };
}

/** Genome hex from the contract's (code, attrs) pair of bigints. */
export function genomeHex(code, attrs) {
  return BigInt(code).toString(16).padStart(64, "0") + BigInt(attrs).toString(16).padStart(16, "0");
}
