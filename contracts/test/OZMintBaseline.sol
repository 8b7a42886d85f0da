// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @dev Gas baseline for benchmarks/gas.py: a plain OpenZeppelin `_mint`, and one that also stores a
/// two-slot genome the naive way (a struct of uint256 + uint64, no packing beside it).
contract OZMintBaseline is ERC721 {
    struct Genome {
        uint256 code;
        uint64 attrs;
    }

    uint256 private _lastId;
    mapping(uint256 tokenId => Genome) private _genomes;

    constructor() ERC721("Baseline", "BASE") {}

    function mint(address to) external returns (uint256 tokenId) {
        tokenId = ++_lastId;
        _mint(to, tokenId);
    }

    function mintWithGenome(address to, uint256 code, uint64 attrs) external returns (uint256 tokenId) {
        tokenId = ++_lastId;
        _genomes[tokenId] = Genome(code, attrs);
        _mint(to, tokenId);
    }
}
