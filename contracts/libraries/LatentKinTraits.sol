// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev LatentKin's ERC-7496 traits: the keys (`keccak256` of each trait's name, as the ERC recommends) and the
 * trait metadata JSON that names them. Both traits are read from the token's packed record
 * ({TokenRecordLib}), so they cost no storage of their own, and both change only in {ILatentKin-requestFusion}.
 * Both are marked `validateOnSale: requireEq`: a sale must see the values its order was made for
 * (see {LatentKinZone}).
 */
library LatentKinTraits {
    /// @dev `keccak256("fusions")`: fusions the token has taken part in as a parent (0..16), as a uint256.
    bytes32 internal constant FUSIONS = keccak256("fusions");

    /// @dev `keccak256("restingUntil")`: the first block at which it may fuse again (0: never fused), as a uint256.
    bytes32 internal constant RESTING_UNTIL = keccak256("restingUntil");

    /// @dev The ERC-7496 trait metadata, as a data URI (fixed with the code, like the traits themselves).
    string internal constant METADATA_URI = 'data:application/json,{"traits":{'
        '"fusions":{"displayName":"Fusions used","dataType":{"type":"decimal","signed":false,"decimals":0,'
        '"minValue":0,"maxValue":16},"validateOnSale":"requireEq"},'
        '"restingUntil":{"displayName":"Resting until block","dataType":{"type":"decimal","signed":false,'
        '"decimals":0},"validateOnSale":"requireEq"}}}';
}
