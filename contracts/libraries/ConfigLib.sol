// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev The contract-wide hot slot: the id counter, supply, public-mint counters, pause flag and fusion fee,
 * which mint, requests and completions read together with one SLOAD and update with one SSTORE.
 *
 *     255    232 231              136 135  128 127          96 95           64 63         32 31          0
 *     | spare  |     fusionFee      | paused | publicMintCap | publicMinted | totalSupply | lastTokenId |
 *       24 bits       96 bits         8 bits     32 bits        32 bits        32 bits       32 bits
 *
 * lastTokenId counts ids handed out (tokens and pending requests); totalSupply counts tokens that exist.
 */
type Config is uint256;

using ConfigLib for Config global;

library ConfigLib {
    uint256 private constant _TOTAL_SUPPLY_SHIFT = 32;
    uint256 private constant _PUBLIC_MINTED_SHIFT = 64;
    uint256 private constant _PUBLIC_MINT_CAP_SHIFT = 96;
    uint256 private constant _PAUSED_SHIFT = 128;
    uint256 private constant _FUSION_FEE_SHIFT = 136;
    uint256 private constant _U32 = type(uint32).max;
    uint256 private constant _U96 = type(uint96).max;

    function lastTokenId(Config c) internal pure returns (uint32) {
        return uint32(Config.unwrap(c));
    }

    function totalSupply(Config c) internal pure returns (uint32) {
        return uint32(Config.unwrap(c) >> _TOTAL_SUPPLY_SHIFT);
    }

    function publicMinted(Config c) internal pure returns (uint32) {
        return uint32(Config.unwrap(c) >> _PUBLIC_MINTED_SHIFT);
    }

    function publicMintCap(Config c) internal pure returns (uint32) {
        return uint32(Config.unwrap(c) >> _PUBLIC_MINT_CAP_SHIFT);
    }

    function paused(Config c) internal pure returns (bool) {
        return (Config.unwrap(c) >> _PAUSED_SHIFT) & 1 == 1;
    }

    function fusionFee(Config c) internal pure returns (uint96) {
        return uint96(Config.unwrap(c) >> _FUSION_FEE_SHIFT);
    }

    /// @dev Hands out the next id (checked: reverts with a panic once 2**32 - 1 ids are used).
    function withNextId(Config c) internal pure returns (Config, uint32 id) {
        id = lastTokenId(c) + 1;
        return (_set(c, 0, _U32, id), id);
    }

    /// @dev One more token exists. Cannot overflow: totalSupply <= lastTokenId < 2**32.
    function withTokenMinted(Config c) internal pure returns (Config) {
        unchecked {
            return Config.wrap(Config.unwrap(c) + (uint256(1) << _TOTAL_SUPPLY_SHIFT));
        }
    }

    function withPublicMinted(Config c, uint32 value) internal pure returns (Config) {
        return _set(c, _PUBLIC_MINTED_SHIFT, _U32, value);
    }

    function withPublicMintCap(Config c, uint32 value) internal pure returns (Config) {
        return _set(c, _PUBLIC_MINT_CAP_SHIFT, _U32, value);
    }

    function withPaused(Config c, bool value) internal pure returns (Config) {
        return _set(c, _PAUSED_SHIFT, 1, value ? 1 : 0);
    }

    function withFusionFee(Config c, uint96 value) internal pure returns (Config) {
        return _set(c, _FUSION_FEE_SHIFT, _U96, value);
    }

    /// @dev `c` with the field of `mask` at `shift` replaced by `value` (which fits `mask`).
    function _set(Config c, uint256 shift, uint256 mask, uint256 value) private pure returns (Config) {
        return Config.wrap((Config.unwrap(c) & ~(mask << shift)) | (value << shift));
    }
}
