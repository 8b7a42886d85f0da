// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {ILatentKin} from "../interfaces/ILatentKin.sol";

/// @dev Test attacker: holds tokens, requests fusions, and when it receives a token (onERC721Received) or
/// ETH (receive) it tries once to call back into LatentKin with `attack`. It swallows the revert so the outer
/// call goes on, and records the revert data so the test can see why the re-entry failed.
contract ReentrantReceiver is IERC721Receiver {
    ILatentKin public immutable target;
    bytes public attack; // calldata to send to `target` on the next callback; empty = do nothing
    bool public attackSucceeded;
    bytes public attackRevertData;
    uint256 public callbacks;

    constructor(ILatentKin target_) {
        target = target_;
    }

    function setAttack(bytes calldata attack_) external {
        attack = attack_;
    }

    function requestFusion(uint256 parentA, uint256 parentB) external payable returns (uint256) {
        return target.requestFusion{value: msg.value}(parentA, parentB, 0, msg.value);
    }

    function withdraw() external {
        target.withdraw();
    }

    function setFusionOffer(uint256 tokenId, address fuser, uint256 price) external {
        target.setFusionOffer(tokenId, fuser, price);
    }

    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        _attack();
        return IERC721Receiver.onERC721Received.selector;
    }

    receive() external payable {
        _attack();
    }

    function _attack() private {
        callbacks += 1;
        bytes memory data = attack;
        if (data.length == 0) return;
        delete attack; // once
        (bool ok, bytes memory ret) = address(target).call(data);
        attackSucceeded = ok;
        attackRevertData = ret;
    }
}
