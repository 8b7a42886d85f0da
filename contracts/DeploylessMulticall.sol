// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title DeploylessMulticall
 * @notice Many read-only calls in one `eth_call`, on any node, with nothing deployed: the service sends this
 * contract's creation code with the calls as constructor arguments and no `to`; the constructor makes each call
 * and returns `abi.encode(block.number, block.timestamp, Result[])` in place of the contract's code, which
 * `eth_call` hands back (the "deployless" pattern of viem; Multicall3's `aggregate3` with every failure allowed).
 * Never deployed: a transaction creating it would store the results as code. The results must stay under the
 * 24,576-byte code size limit (EIP-170), so callers send a bounded number of calls at once
 * (offchain/chain/multicall.py).
 */
contract DeploylessMulticall {
    /// @notice One call: the contract to call and the ABI-encoded call data.
    struct Call {
        address target;
        bytes callData;
    }

    /// @notice One answer: whether the call succeeded, and its return (or revert) data.
    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Makes every call (a `staticcall`, so nothing changes) and returns the block's number and time
    /// with the answers, in order, as this creation's output.
    /// @param calls The calls to make.
    constructor(Call[] memory calls) {
        Result[] memory results = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (results[i].success, results[i].returnData) = calls[i].target.staticcall(calls[i].callData);
        }
        bytes memory answer = abi.encode(block.number, block.timestamp, results);
        assembly ("memory-safe") {
            return(add(answer, 32), mload(answer))
        }
    }
}
