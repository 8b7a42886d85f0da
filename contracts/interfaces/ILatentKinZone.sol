// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZoneInterface} from "seaport-types/src/interfaces/ZoneInterface.sol";
import {ZoneParameters} from "seaport-types/src/lib/ConsiderationStructs.sol";

/**
 * @title LatentKinZone: Seaport 1.6 orders that fill only while the character is as the buyer saw it
 * @notice A restricted Seaport order (order type 2 or 3) naming this zone commits, in its `zoneHash`, to the
 * ERC-7496 traits `fusions` and `restingUntil` of every character it trades:
 *
 *     zoneHash = keccak256(abi.encode(id1, fusions1, restingUntil1, id2, fusions2, restingUntil2, ...))
 *
 * over each ERC-721 item of the collection, the offer's items first, then the consideration's, in order
 * ({traitsHash} computes it for a list of ids). When Seaport fills the order it calls {validateOrder}, after
 * every transfer of the fill, which reverts with {LatentKinZoneTraitsChanged} unless the traits are still those
 * values. Fusing a character raises its `fusions` and moves its `restingUntil`, so a listing or an offer made
 * before a fusion no longer fills after it, whoever fused it and however the transactions were ordered (a
 * fusion put ahead of the fill in the same block included). A fill of an unchanged character goes through.
 *
 * The zone keeps no state and has no owner; the collection it reads is fixed at deployment. Orders on
 * tokens picked by criteria (collection offers) cannot commit to one token's traits and so cannot use it.
 */
interface ILatentKinZone is ZoneInterface {
    /// @notice Thrown when order `orderHash` was signed with zone hash `signedZoneHash` but the characters it
    /// trades are now described by `currentZoneHash`: one of them was fused (or the hash was never right).
    error LatentKinZoneTraitsChanged(bytes32 orderHash, bytes32 signedZoneHash, bytes32 currentZoneHash);

    /**
     * @notice Seaport's call before any transfer of a fill: accepts the order (the check runs after the
     * transfers, in {validateOrder}, where it also sees anything done during the fill).
     * @return authorizedOrderMagicValue this function's selector
     */
    function authorizeOrder(ZoneParameters calldata zoneParameters)
        external
        override
        returns (bytes4 authorizedOrderMagicValue);

    /**
     * @notice Seaport's call after every transfer of a fill: accepts the order only if its `zoneHash` equals
     * the hash of the current traits of the characters it trades (see the notice of this interface).
     * @dev Reverts with {LatentKinZoneTraitsChanged} otherwise, so Seaport reverts the whole fill.
     * @return validOrderMagicValue this function's selector
     */
    function validateOrder(ZoneParameters calldata zoneParameters)
        external
        override
        returns (bytes4 validOrderMagicValue);

    /// @notice The ERC-7496 collection whose characters' traits this zone checks.
    function collection() external view returns (address);

    /// @notice The `zoneHash` that an order trading the characters `tokenIds` (in item order) must carry now.
    /// @dev Reverts with the collection's error for a token that does not exist.
    function traitsHash(uint256[] calldata tokenIds) external view returns (bytes32);
}
