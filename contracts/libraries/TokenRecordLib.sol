// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev The second storage slot of a token: its 64-bit attrs with the whole lineage hitchhiking beside it,
 * so a fusion updates a parent's fusion count and cooldown with one SSTORE and a child costs two slots
 * (code + this) beyond OpenZeppelin's owner and balance.
 *
 *     255     232 231  224 223              160 159      144 143      128 127     96 95      64 63            0
 *     | (spare) | mode  |   cooldownUntil    | fusionCount | generation | parentB  | parentA  |     attrs     |
 *       24 bits   8 bits       64 bits           16 bits      16 bits     32 bits    32 bits      64 bits
 *
 * `mode` is the fusion mode the token was made by (0 crossover, 1 blend; 0 for gen-0), written with the rest
 * of the child's record, so it costs no storage of its own.
 */
type TokenRecord is uint256;

using TokenRecordLib for TokenRecord global;

library TokenRecordLib {
    uint256 private constant _PARENT_A_SHIFT = 64;
    uint256 private constant _PARENT_B_SHIFT = 96;
    uint256 private constant _GENERATION_SHIFT = 128;
    uint256 private constant _FUSION_COUNT_SHIFT = 144;
    uint256 private constant _COOLDOWN_SHIFT = 160;
    uint256 private constant _MODE_SHIFT = 224;
    uint256 private constant _FUSION_COUNT_AND_COOLDOWN = (uint256(type(uint80).max)) << _FUSION_COUNT_SHIFT;

    /// @dev A record with cooldown 0 and fusion count 0.
    function pack(uint64 attrs_, uint32 parentA_, uint32 parentB_, uint16 generation_, uint8 mode_)
        internal
        pure
        returns (TokenRecord)
    {
        return TokenRecord.wrap(
            uint256(attrs_) | (uint256(parentA_) << _PARENT_A_SHIFT) | (uint256(parentB_) << _PARENT_B_SHIFT)
                | (uint256(generation_) << _GENERATION_SHIFT) | (uint256(mode_) << _MODE_SHIFT)
        );
    }

    function attrs(TokenRecord r) internal pure returns (uint64) {
        return uint64(TokenRecord.unwrap(r));
    }

    function parentA(TokenRecord r) internal pure returns (uint32) {
        return uint32(TokenRecord.unwrap(r) >> _PARENT_A_SHIFT);
    }

    function parentB(TokenRecord r) internal pure returns (uint32) {
        return uint32(TokenRecord.unwrap(r) >> _PARENT_B_SHIFT);
    }

    function generation(TokenRecord r) internal pure returns (uint16) {
        return uint16(TokenRecord.unwrap(r) >> _GENERATION_SHIFT);
    }

    function fusionCount(TokenRecord r) internal pure returns (uint16) {
        return uint16(TokenRecord.unwrap(r) >> _FUSION_COUNT_SHIFT);
    }

    function cooldownUntil(TokenRecord r) internal pure returns (uint64) {
        return uint64(TokenRecord.unwrap(r) >> _COOLDOWN_SHIFT);
    }

    function mode(TokenRecord r) internal pure returns (uint8) {
        return uint8(TokenRecord.unwrap(r) >> _MODE_SHIFT);
    }

    /// @dev `r` with fusion count and cooldown replaced; both fields are rewritten in one go.
    function withFusion(TokenRecord r, uint16 fusionCount_, uint64 cooldownUntil_) internal pure returns (TokenRecord) {
        return TokenRecord.wrap(
            (TokenRecord.unwrap(r) & ~_FUSION_COUNT_AND_COOLDOWN) | (uint256(fusionCount_) << _FUSION_COUNT_SHIFT)
                | (uint256(cooldownUntil_) << _COOLDOWN_SHIFT)
        );
    }
}
