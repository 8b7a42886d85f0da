// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ERC-7496: NFT Dynamic Traits
 * @notice The interface exactly as the ERC (ethereum/ERCs, ERCS/erc-7496.md) declares it; no npm package ships
 * it (OpenZeppelin Contracts 5 does not), so it is declared here. ERC-165 id `0xaf332f3e`. Trait keys are
 * `keccak256` of a trait's name; values are `bytes32`; the trait metadata JSON (see {getTraitMetadataURI}) says
 * how to read and display them and which must stay unchanged during a sale (`validateOnSale`).
 */
interface IERC7496 {
    /// @notice Thrown when `traitKey` is not a trait of this contract.
    error TraitKeyUnknown(bytes32 traitKey);

    /// @notice Thrown when `tokenId` does not exist (ERC-721 contracts may use their own error instead).
    error TokenDoesNotExist(uint256 tokenId);

    /// @notice Emitted when trait `traitKey` of `tokenId` changes to `traitValue`.
    event TraitUpdated(bytes32 indexed traitKey, uint256 tokenId, bytes32 traitValue);

    /// @notice Emitted when trait `traitKey` changes for the ids `fromTokenId..toTokenId` (inclusive).
    event TraitUpdatedRange(bytes32 indexed traitKey, uint256 fromTokenId, uint256 toTokenId);

    /// @notice Emitted when trait `traitKey` becomes `traitValue` for the ids `fromTokenId..toTokenId`.
    event TraitUpdatedRangeUniformValue(
        bytes32 indexed traitKey, uint256 fromTokenId, uint256 toTokenId, bytes32 traitValue
    );

    /// @notice Emitted when trait `traitKey` changes for the ids `tokenIds`.
    event TraitUpdatedList(bytes32 indexed traitKey, uint256[] tokenIds);

    /// @notice Emitted when trait `traitKey` becomes `traitValue` for the ids `tokenIds`.
    event TraitUpdatedListUniformValue(bytes32 indexed traitKey, uint256[] tokenIds, bytes32 traitValue);

    /// @notice Emitted when {getTraitMetadataURI} changes.
    event TraitMetadataURIUpdated();

    /**
     * @notice The value of trait `traitKey` of `tokenId`.
     * @dev Reverts with {TraitKeyUnknown} for an unknown key and with the token contract's "no such token"
     * error for a token that does not exist.
     */
    function getTraitValue(uint256 tokenId, bytes32 traitKey) external view returns (bytes32 traitValue);

    /// @notice The values of traits `traitKeys` of `tokenId`, in the same order ({getTraitValue} for each).
    function getTraitValues(uint256 tokenId, bytes32[] calldata traitKeys)
        external
        view
        returns (bytes32[] memory traitValues);

    /// @notice URI of the trait metadata JSON (ERC-7496 schema): each trait's name, display and sale validation.
    function getTraitMetadataURI() external view returns (string memory uri);

    /**
     * @notice Sets trait `traitKey` of `tokenId` to `newValue`, where the trait lets the caller do so.
     * @dev Reverts when the value is not valid or the caller may not set it; emits {TraitUpdated} otherwise.
     */
    function setTrait(uint256 tokenId, bytes32 traitKey, bytes32 newValue) external;
}
