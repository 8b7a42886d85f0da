// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ILatentKin} from "../interfaces/ILatentKin.sol";

/// @dev Test attacker of issue 23, finding 3: makes `count` public-mint requests in one transaction (about 26,000
/// gas each), so all of them reveal in the same block and wait for the keepers together. The tokens come to this
/// contract: completions mint without a receiver hook.
contract BurstRequester {
    function burst(ILatentKin kin, uint256 count) external payable {
        uint256 price = kin.publicMintPrice();
        for (uint256 i; i < count; ++i) {
            kin.requestPublicMint{value: price}(price);
        }
    }
}
