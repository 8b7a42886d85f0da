// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title GenomeLib: the genome v1 layout and fusion rule
 * @notice Bit for bit the same as `latentkin_core/genome.py`.
 *
 * A genome is `(uint256 code, uint64 attrs)`:
 *
 *     code   255                                                            0
 *            | gene 63 | gene 62 | ...................... | gene 1 | gene 0 |     gene j = (code >> 4j) & 0xF
 *
 *     attrs  63                                                             0
 *            | sub7 main7 | sub6 main6 | ............... | sub0 main0 |          trait i = byte i of attrs
 *                                                                                main_i = (attrs >> 8i) & 0xF
 *                                                                                sub_i  = (attrs >> (8i + 4)) & 0xF
 *
 * Fusion of X and Y under a 256-bit seed, with R_k = uint256(keccak256(abi.encode(seed, k))), in one of two
 * modes that differ only in how gene j is first drawn from the parents' genes:
 *
 *     gene j  : crossover ({fuse}): from Y if bit j of R0 is set, else from X;
 *               blend ({blend}): (X.gene[j] + Y.gene[j] + bit j of R0) >> 1, the mean rounded by a random bit;
 *               then, in both modes, if m = byte (j % 32) of (j < 32 ? R1 : R2) is below 8, bit (m & 3) of the
 *               gene flips (point mutation, p = 8/256 per gene)
 *     trait i : sx = byte i of R3 < 192 ? X.main : X.sub (p = 75 % main), sy likewise with byte 8+i of R3;
 *               (main, sub) = bit 64+i of R0 ? (sy, sx) : (sx, sy); if byte 16+i of R3 is below 8 the main
 *               becomes the low nibble of byte 24+i of R3
 *
 * Both modes evaluate all 64 genes and 8 traits at once with masks (SWAR) instead of loops, sharing the random
 * words, the mutation and the traits; the differential tests check them against the loop-per-gene Python twin.
 */
library GenomeLib {
    /// @notice A genome: 64 four-bit code genes and 8 (main, sub) trait pairs, 320 bits (layout above).
    struct Genome {
        uint256 code;
        uint64 attrs;
    }

    /// @dev 0x0101…01: the lowest bit of every byte.
    uint256 internal constant BYTE_LSB = 0x0101010101010101010101010101010101010101010101010101010101010101;
    /// @dev 0x7F7F…7F: the low seven bits of every byte.
    uint256 private constant _BYTE_LOW7 = 0x7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f;
    /// @dev 0xF8F8…F8: the bits of a byte that must be clear for it to be below 8.
    uint256 private constant _BYTE_HIGH5 = 0xf8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8;
    /// @dev 0x7777…77: the low three bits of every nibble.
    uint256 private constant _NIBBLE_LOW3 = 0x7777777777777777777777777777777777777777777777777777777777777777;
    /// @dev 0x0F0F…0F: the low nibble of every byte.
    uint256 private constant _BYTE_LOW_NIBBLE = 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f;
    /// @dev The low 64 bits.
    uint256 private constant _LOW64 = type(uint64).max;

    // Spreading 64 bits to every fourth bit (bit j -> bit 4j): a chunk of c bits every p bits.
    uint256 private constant _SPREAD32 = 0x000000000000000000000000ffffffff000000000000000000000000ffffffff; // 32 every 128
    uint256 private constant _SPREAD16 = 0x000000000000ffff000000000000ffff000000000000ffff000000000000ffff; // 16 every 64
    uint256 private constant _SPREAD8 = 0x000000ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff; // 8 every 32
    uint256 private constant _SPREAD4 = 0x000f000f000f000f000f000f000f000f000f000f000f000f000f000f000f000f; // 4 every 16
    uint256 private constant _SPREAD2 = 0x0303030303030303030303030303030303030303030303030303030303030303; // 2 every 8
    uint256 private constant _SPREAD1 = 0x1111111111111111111111111111111111111111111111111111111111111111; // 1 every 4

    // Packing the low nibble of each of 32 bytes into 32 consecutive nibbles (byte k -> nibble k).
    uint256 private constant _PACK8 = 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff; // 8 every 16
    uint256 private constant _PACK16 = 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff; // 16 every 32
    uint256 private constant _PACK32 = 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff; // 32 every 64
    uint256 private constant _PACK64 = 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff; // 64 every 128

    /// @notice Gene `j` (0 ≤ j < 64) of `code`, a nibble.
    function gene(uint256 code, uint256 j) internal pure returns (uint256) {
        return (code >> (4 * j)) & 0xF;
    }

    /// @notice Main (expressed) value of trait `i` (0 ≤ i < 8) of `attrs`.
    function mainTrait(uint64 attrs, uint256 i) internal pure returns (uint256) {
        return (uint256(attrs) >> (8 * i)) & 0xF;
    }

    /// @notice Sub (recessive) value of trait `i` (0 ≤ i < 8) of `attrs`.
    function subTrait(uint64 attrs, uint256 i) internal pure returns (uint256) {
        return (uint256(attrs) >> (8 * i + 4)) & 0xF;
    }

    /// @notice R_k = uint256(keccak256(abi.encode(seed, k))), the k-th random word of a fusion.
    function word(uint256 seed, uint256 k) internal pure returns (uint256 r) {
        // keccak256(abi.encode(seed, k)) hashed in the scratch space (0x00-0x3f) Solidity keeps for exactly
        // this, so the four words of a fusion allocate no memory.
        assembly ("memory-safe") {
            mstore(0x00, seed)
            mstore(0x20, k)
            r := keccak256(0x00, 0x40)
        }
    }

    /// @notice The genome of a public gen-0 mint: (R_0, low 64 bits of R_1) of `seed`.
    function fromSeed(uint256 seed) internal pure returns (Genome memory) {
        return Genome(word(seed, 0), uint64(word(seed, 1)));
    }

    /// @notice The fusion mode that takes each gene from one parent ({fuse}).
    uint8 internal constant CROSSOVER = 0;
    /// @notice The fusion mode that takes each gene as the rounded mean of both parents' ({blend}).
    uint8 internal constant BLEND = 1;

    /// @notice The crossover child of `x` and `y` under `seed` (rule above).
    function fuse(Genome memory x, Genome memory y, uint256 seed) internal pure returns (Genome memory) {
        return outcome(x, y, seed, CROSSOVER);
    }

    /// @notice The blend child of `x` and `y` under `seed` (rule above).
    function blend(Genome memory x, Genome memory y, uint256 seed) internal pure returns (Genome memory) {
        return outcome(x, y, seed, BLEND);
    }

    /// @notice The child of `x` and `y` under `seed` by fusion `mode`: {BLEND}, or else {CROSSOVER} (callers
    /// check that `mode` is one of the two).
    function outcome(Genome memory x, Genome memory y, uint256 seed, uint8 mode)
        internal
        pure
        returns (Genome memory child)
    {
        uint256 r0 = word(seed, 0);
        uint256 fromR0 = _spreadBits(r0 & _LOW64); // bit 4j set where bit j of R0 is
        uint256 code = mode == BLEND ? _meanGenes(x.code, y.code, fromR0) : _crossGenes(x.code, y.code, fromR0);
        // Genes 0..31 mutate by the bytes of R1, genes 32..63 by those of R2 (each mask fits 128 bits).
        code ^= _mutationFlips(word(seed, 1)) | (_mutationFlips(word(seed, 2)) << 128);
        child = Genome(code, _fuseAttrs(x.attrs, y.attrs, r0, word(seed, 3)));
    }

    /// @dev Crossover: gene j from Y where bit 4j of `spread` is set, else from X.
    function _crossGenes(uint256 codeX, uint256 codeY, uint256 spread) private pure returns (uint256) {
        uint256 fromY;
        unchecked {
            // Set bits are 4 apart, so times 0xF fills each nibble without a carry; the maximum is 2**256 - 1.
            fromY = spread * 0xF;
        }
        return (codeX & ~fromY) | (codeY & fromY);
    }

    /// @dev Blend: gene j = (X.gene[j] + Y.gene[j] + bit 4j of `spread`) >> 1, all 64 at once.
    function _meanGenes(uint256 codeX, uint256 codeY, uint256 spread) private pure returns (uint256) {
        uint256 odd = codeX ^ codeY; // bit 4j: whether the two genes' sum is odd
        unchecked {
            // Per nibble: floor((x + y) / 2) = (x & y) + ((x ^ y) >> 1), the shifted term masked to its own
            // nibble; the random bit rounds up only an odd sum (x + y + 1 >> 1 = floor + 1 iff odd). An odd sum
            // has floor <= 14, so no nibble exceeds 15: nothing carries into the next gene nor out of 256 bits.
            return (codeX & codeY) + ((odd >> 1) & _NIBBLE_LOW3) + (odd & spread);
        }
    }

    /// @dev Traits, one per byte, computed in the low nibble of each of the low 8 bytes.
    function _fuseAttrs(uint256 x, uint256 y, uint256 r0, uint256 r3) private pure returns (uint64) {
        // Each parent offers its main, or its sub where the byte of R3 is >= 192.
        uint256 offerX = _select(x & _BYTE_LOW_NIBBLE, (x >> 4) & _BYTE_LOW_NIBBLE, _subFlags(r3));
        uint256 offerY = _select(y & _BYTE_LOW_NIBBLE, (y >> 4) & _BYTE_LOW_NIBBLE, _subFlags(r3 >> 64));
        uint256 swap = _bitsToBytes((r0 >> 64) & 0xFF); // 0x01 in byte i where Y's offer becomes the main
        uint256 subValue = _select(offerY, offerX, swap);
        uint256 mainValue = _select(offerX, offerY, swap);
        // Mutation where byte 16+i of R3 is below 8 (the argument's upper 24 bytes are zero: masked off).
        uint256 mutate = _zeroByteFlags((r3 >> 128) & _LOW64 & _BYTE_HIGH5) & _LOW64;
        mainValue = _select(mainValue, (r3 >> 192) & _BYTE_LOW_NIBBLE, mutate);
        // Both values are nibbles in the low 8 bytes, so the result fits 64 bits.
        return uint64(mainValue | (subValue << 4));
    }

    /// @dev Per byte: `b` where the byte of `flags` is 0x01, else `a`. `flags` holds only 0x00/0x01 bytes and
    /// `a`, `b` only low nibbles, so `flags * 0x0F` cannot carry between bytes.
    function _select(uint256 a, uint256 b, uint256 flags) private pure returns (uint256) {
        unchecked {
            uint256 m = flags * 0x0F;
            return (a & ~m) | (b & m);
        }
    }

    /// @dev 0x01 in every byte of the low 8 bytes of `w` that is >= 192 (top two bits set: take the sub).
    function _subFlags(uint256 w) private pure returns (uint256) {
        return (w >> 7) & (w >> 6) & BYTE_LSB & _LOW64;
    }

    /// @dev 0x01 in every byte of `t` that is zero; `t` may only have bits in the top five of each byte.
    function _zeroByteFlags(uint256 t) private pure returns (uint256) {
        unchecked {
            // A byte of (t & 0x7F..) is at most 0x78, so adding 0x7F stays within the byte (<= 0xF7): no carry.
            uint256 y = (t & _BYTE_LOW7) + _BYTE_LOW7;
            // Bit 7 of a byte of y is set iff bits 3..6 of t's byte were not all clear.
            return (~(y | t | _BYTE_LOW7) >> 7) & BYTE_LSB;
        }
    }

    /// @dev Spreads the 8 bits of `b` (< 256) to bit 0 of bytes 0..7.
    function _bitsToBytes(uint256 b) private pure returns (uint256) {
        b = (b | (b << 28)) & 0x0000000F0000000F;
        b = (b | (b << 14)) & 0x0003000300030003;
        return (b | (b << 7)) & 0x0101010101010101;
    }

    /// @dev Bit 4j set for every set bit j of `bits` (< 2**64).
    function _spreadBits(uint256 bits) private pure returns (uint256) {
        // Each step moves the upper half of every chunk to its target; bits only move left and the masks
        // drop the copies left behind, so bit j ends at bit 4j.
        bits = (bits | (bits << 96)) & _SPREAD32;
        bits = (bits | (bits << 48)) & _SPREAD16;
        bits = (bits | (bits << 24)) & _SPREAD8;
        bits = (bits | (bits << 12)) & _SPREAD4;
        bits = (bits | (bits << 6)) & _SPREAD2;
        return (bits | (bits << 3)) & _SPREAD1;
    }

    /// @dev The xor-mask of point mutations for 32 genes driven by the 32 bytes of `w`: nibble k holds
    /// `1 << (b & 3)` if byte k of `w`, b, is below 8, else 0. The result fits 128 bits.
    function _mutationFlips(uint256 w) private pure returns (uint256 flips) {
        uint256 hit = _zeroByteFlags(w & _BYTE_HIGH5); // 0x01 where the byte is below 8
        uint256 b0 = w & hit; // bit 0 of the hit bytes
        uint256 b1 = (w >> 1) & hit; // bit 1 of the hit bytes
        uint256 n0 = b0 ^ hit;
        uint256 n1 = b1 ^ hit;
        // 1 << (b1 b0): exactly one of the four terms is set in a hit byte, so the result is 1, 2, 4 or 8.
        flips = (n0 & n1) | ((b0 & n1) << 1) | ((n0 & b1) << 2) | ((b0 & b1) << 3);
        // Gather the low nibble of byte k into nibble k: halve the spacing five times.
        flips = (flips | (flips >> 4)) & _PACK8;
        flips = (flips | (flips >> 8)) & _PACK16;
        flips = (flips | (flips >> 16)) & _PACK32;
        flips = (flips | (flips >> 32)) & _PACK64;
        flips = (flips | (flips >> 64)) & type(uint128).max;
    }
}
