// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "seaport-types/src/interfaces/IERC165.sol";
import {ZoneInterface} from "seaport-types/src/interfaces/ZoneInterface.sol";
import {ItemType} from "seaport-types/src/lib/ConsiderationEnums.sol";
import {ReceivedItem, Schema, SpentItem, ZoneParameters} from "seaport-types/src/lib/ConsiderationStructs.sol";

import {IERC7496} from "./interfaces/IERC7496.sol";
import {ILatentKinZone} from "./interfaces/ILatentKinZone.sol";
import {LatentKinTraits} from "./libraries/LatentKinTraits.sol";

/**
 * @title LatentKinZone
 * @notice See {ILatentKinZone}. Reads the traits through ERC-7496 ({IERC7496-getTraitValue}, two static calls per
 * character traded: 885 gas less per fill than one {IERC7496-getTraitValues} call with its arrays); keeps no
 * state. Of what a protected fill costs over an open one (benchmarks/gas.txt), about half is Seaport's (its
 * two zone calls), the rest this check.
 */
contract LatentKinZone is ILatentKinZone {
    IERC7496 private immutable _COLLECTION;

    /// @param collection_ the ERC-7496 collection (LatentKin) whose characters' traits orders commit to
    constructor(address collection_) {
        _COLLECTION = IERC7496(collection_);
    }

    /// @inheritdoc ILatentKinZone
    function authorizeOrder(ZoneParameters calldata) external pure returns (bytes4) {
        return this.authorizeOrder.selector;
    }

    /// @inheritdoc ILatentKinZone
    function validateOrder(ZoneParameters calldata zoneParameters) external view returns (bytes4) {
        bytes32 current = _currentHash(zoneParameters.offer, zoneParameters.consideration);
        if (current != zoneParameters.zoneHash) {
            revert LatentKinZoneTraitsChanged(zoneParameters.orderHash, zoneParameters.zoneHash, current);
        }
        return this.validateOrder.selector;
    }

    /// @inheritdoc ILatentKinZone
    function collection() external view returns (address) {
        return address(_COLLECTION);
    }

    /// @inheritdoc ILatentKinZone
    function traitsHash(uint256[] calldata tokenIds) external view returns (bytes32) {
        bytes memory states = "";
        for (uint256 i; i < tokenIds.length; ++i) {
            states = bytes.concat(states, _state(tokenIds[i]));
        }
        return keccak256(states);
    }

    /// @inheritdoc ZoneInterface
    function getSeaportMetadata() external pure returns (string memory name, Schema[] memory schemas) {
        return ("LatentKinZone", new Schema[](0));
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(ZoneInterface).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @dev The hash of the traits of the collection's ERC-721 items in `offer`, then in `consideration`.
    function _currentHash(SpentItem[] calldata offer, ReceivedItem[] calldata consideration)
        private
        view
        returns (bytes32)
    {
        bytes memory states = "";
        address token = address(_COLLECTION);
        for (uint256 i; i < offer.length; ++i) {
            if (offer[i].itemType == ItemType.ERC721 && offer[i].token == token) {
                states = bytes.concat(states, _state(offer[i].identifier));
            }
        }
        for (uint256 i; i < consideration.length; ++i) {
            if (consideration[i].itemType == ItemType.ERC721 && consideration[i].token == token) {
                states = bytes.concat(states, _state(consideration[i].identifier));
            }
        }
        return keccak256(states);
    }

    /// @dev `abi.encode(tokenId, fusions, restingUntil)` of `tokenId` now.
    function _state(uint256 tokenId) private view returns (bytes memory) {
        return abi.encode(
            tokenId,
            _COLLECTION.getTraitValue(tokenId, LatentKinTraits.FUSIONS),
            _COLLECTION.getTraitValue(tokenId, LatentKinTraits.RESTING_UNTIL)
        );
    }
}
