// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GenomeLib} from "../libraries/GenomeLib.sol";

/// @dev Test wrapper: exposes {GenomeLib}'s accessors and words so that Python checks them against
/// `latentkin_core/genome.py` (fusion itself is public on the contract: `fusionOutcome`, `blendOutcome`).
contract GenomeLibHarness {
    function gene(uint256 code, uint256 j) external pure returns (uint256) {
        return GenomeLib.gene(code, j);
    }

    function mainTrait(uint64 attrs, uint256 i) external pure returns (uint256) {
        return GenomeLib.mainTrait(attrs, i);
    }

    function subTrait(uint64 attrs, uint256 i) external pure returns (uint256) {
        return GenomeLib.subTrait(attrs, i);
    }

    function word(uint256 seed, uint256 k) external pure returns (uint256) {
        return GenomeLib.word(seed, k);
    }

    function fromSeed(uint256 seed) external pure returns (uint256 code, uint64 attrs) {
        GenomeLib.Genome memory g = GenomeLib.fromSeed(seed);
        return (g.code, g.attrs);
    }
}
