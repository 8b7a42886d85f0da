// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev A pending request, kept in the code slot of the token it will create. The request reserves that
 * token's id; completing it overwrites the slot with the genome's code, so the request costs no slot of its
 * own and needs no clean-up. The requester is never address(0), so a non-zero slot of a token that has no
 * owner yet is a pending request.
 *
 *     255  254      224 223        192 191        160 159                                         0
 *     |mode| revealBlock |   parentB    |   parentA    |                 requester                  |
 *      1 bit   31 bits       32 bits        32 bits                       160 bits
 *
 * parentA == parentB == 0 marks a public-mint request (mode 0). `mode` is the fusion mode ({GenomeLib-CROSSOVER}
 * = 0, {GenomeLib-BLEND} = 1): it hitchhikes in the top bit, so choosing it costs no storage. A 31-bit block
 * number lasts ~800 years at 12 s; a third mode would need a second bit.
 */
type PendingRequest is uint256;

using PendingRequestLib for PendingRequest global;

library PendingRequestLib {
    uint256 private constant _PARENT_A_SHIFT = 160;
    uint256 private constant _PARENT_B_SHIFT = 192;
    uint256 private constant _REVEAL_SHIFT = 224;
    uint256 private constant _MODE_SHIFT = 255;
    /// @notice The largest reveal block a request can hold (31 bits).
    uint32 internal constant MAX_REVEAL_BLOCK = type(uint32).max >> 1;

    /// @dev `revealBlock_` must be at most {MAX_REVEAL_BLOCK} and `mode_` 0 or 1 (callers check both).
    function pack(address requester_, uint32 parentA_, uint32 parentB_, uint32 revealBlock_, uint8 mode_)
        internal
        pure
        returns (PendingRequest)
    {
        return PendingRequest.wrap(
            uint256(uint160(requester_)) | (uint256(parentA_) << _PARENT_A_SHIFT)
                | (uint256(parentB_) << _PARENT_B_SHIFT) | (uint256(revealBlock_) << _REVEAL_SHIFT)
                | (uint256(mode_) << _MODE_SHIFT)
        );
    }

    function requester(PendingRequest p) internal pure returns (address) {
        return address(uint160(PendingRequest.unwrap(p)));
    }

    function parentA(PendingRequest p) internal pure returns (uint32) {
        return uint32(PendingRequest.unwrap(p) >> _PARENT_A_SHIFT);
    }

    function parentB(PendingRequest p) internal pure returns (uint32) {
        return uint32(PendingRequest.unwrap(p) >> _PARENT_B_SHIFT);
    }

    function revealBlock(PendingRequest p) internal pure returns (uint32) {
        return uint32(PendingRequest.unwrap(p) >> _REVEAL_SHIFT) & MAX_REVEAL_BLOCK;
    }

    function mode(PendingRequest p) internal pure returns (uint8) {
        return uint8(PendingRequest.unwrap(p) >> _MODE_SHIFT);
    }

}
