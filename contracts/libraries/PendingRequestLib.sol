// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev A pending request, kept in the code slot of the token it will create. The request reserves that
 * token's id; completing it overwrites the slot with the genome's code, so the request costs no slot of its
 * own and needs no clean-up. The requester is never address(0), so a non-zero slot of a token that has no
 * owner yet is a pending request.
 *
 *     255          224 223        192 191        160 159                                         0
 *     |  revealBlock  |   parentB    |   parentA    |                 requester                  |
 *         32 bits        32 bits        32 bits                       160 bits
 *
 * parentA == parentB == 0 marks a public-mint request. A 32-bit block number lasts ~1,600 years at 12 s.
 */
type PendingRequest is uint256;

using PendingRequestLib for PendingRequest global;

library PendingRequestLib {
    uint256 private constant _PARENT_A_SHIFT = 160;
    uint256 private constant _PARENT_B_SHIFT = 192;
    uint256 private constant _REVEAL_SHIFT = 224;

    function pack(address requester_, uint32 parentA_, uint32 parentB_, uint32 revealBlock_)
        internal
        pure
        returns (PendingRequest)
    {
        return PendingRequest.wrap(
            uint256(uint160(requester_)) | (uint256(parentA_) << _PARENT_A_SHIFT)
                | (uint256(parentB_) << _PARENT_B_SHIFT) | (uint256(revealBlock_) << _REVEAL_SHIFT)
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
        return uint32(PendingRequest.unwrap(p) >> _REVEAL_SHIFT);
    }
}
