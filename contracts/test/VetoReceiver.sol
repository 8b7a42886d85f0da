// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {ILatentKin} from "../interfaces/ILatentKin.sol";

/// @dev Test attacker from the security review (issue 11): a requester contract that looks at every token it
/// receives and refuses (reverts in onERC721Received) the ones it does not like, to veto outcomes and grind
/// for a wanted one. It also refuses ETH. `wantedGene0`: gene 0 of the genome it accepts (16: accept nothing).
contract VetoReceiver is IERC721Receiver {
    error Vetoed(uint256 tokenId, uint256 code);

    ILatentKin public immutable target;
    uint256 public wantedGene0 = 16;
    uint256 public callbacks;

    constructor(ILatentKin target_) {
        target = target_;
    }

    function setWantedGene0(uint256 gene) external {
        wantedGene0 = gene;
    }

    function requestFusion(uint256 parentA, uint256 parentB) external payable returns (uint256) {
        return target.requestFusion{value: msg.value}(parentA, parentB, 0, msg.value);
    }

    function requestPublicMint() external payable returns (uint256) {
        return target.requestPublicMint{value: msg.value}(msg.value);
    }

    function setFusionOffer(uint256 tokenId, address fuser, uint256 price) external {
        target.setFusionOffer(tokenId, fuser, price);
    }

    function onERC721Received(address, address, uint256 tokenId, bytes calldata) external returns (bytes4) {
        callbacks += 1;
        (uint256 code,) = target.genomeOf(tokenId);
        if (code & 0xF != wantedGene0) revert Vetoed(tokenId, code);
        return IERC721Receiver.onERC721Received.selector;
    }

    receive() external payable {
        revert Vetoed(0, 0);
    }
}
