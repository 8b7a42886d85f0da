"""Many read-only calls in one ``eth_call``, on any node, with nothing deployed (contracts/DeploylessMulticall.sol).

The calls go as constructor arguments of DeploylessMulticall's creation code, sent with no ``to``; the answer
carries the block's number and timestamp beside each call's success and return data, all read at one block.
At most :data:`MAX_CALLS` calls go in one ``eth_call`` (the answer is returned as contract code, which EIP-170
caps at 24,576 bytes; a call's answer takes about 200 of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

from web3 import Web3
from web3.types import RPCEndpoint, TxParams

from offchain.chain.abi_words import decode_answer, encode_calls
from offchain.chain.artifacts import load_artifact
from offchain.errors import ChainUnavailableError

MAX_CALLS = 80  # calls per eth_call: ~16 KB of answer, under the 24,576-byte code size limit


@dataclass(frozen=True, slots=True)
class Call:
    """One read: the contract and the ABI-encoded call data."""

    target: str
    data: bytes


@dataclass(frozen=True, slots=True)
class CallResult:
    """One answer: whether the call succeeded, and its return (or revert) data."""

    success: bool
    data: bytes


@dataclass(frozen=True, slots=True)
class Answers:
    """The answers of one multicall, in the order of the calls, and the block they were read at."""

    block: int
    timestamp: int
    results: tuple[CallResult, ...]


@cache
def _creation_code() -> str:
    """DeploylessMulticall's creation code, 0x-hex (the arguments follow it)."""
    return "0x" + load_artifact("DeploylessMulticall").bytecode.removeprefix("0x")


def _answer(raw: bytes) -> Answers:
    block, timestamp, results = decode_answer(raw)  # by hand: offchain/chain/abi_words.py
    return Answers(block, timestamp, tuple([CallResult(ok, data) for ok, data in results]))


def multicall(w3: Web3, calls: Sequence[Call]) -> Answers:
    """Every call of ``calls`` (at most :data:`MAX_CALLS`) at the latest block, in one ``eth_call``.
    ChainUnavailableError if the node answers with an error of its own."""
    if len(calls) > MAX_CALLS:
        raise ValueError(f"at most {MAX_CALLS} calls in one multicall, not {len(calls)}")
    data = _creation_code() + encode_calls([(c.target, c.data) for c in calls]).hex()
    if type(w3.provider).__name__ == "HTTPProvider":  # the raw request: web3's formatters cost more than the node
        response = w3.provider.make_request(RPCEndpoint("eth_call"), [{"data": data}, "latest"])
        if "error" in response or not isinstance(response.get("result"), str):
            raise ChainUnavailableError(f"the node refused a multicall: {response.get('error')}")
        return _answer(bytes.fromhex(str(response["result"])[2:]))
    return _answer(bytes(w3.eth.call(cast(TxParams, {"data": data}), "latest")))  # eth-tester: web3's formatters


def multicall_all(w3: Web3, calls: Sequence[Call]) -> list[Answers]:
    """:func:`multicall` of ``calls`` in chunks of at most :data:`MAX_CALLS`, one ``eth_call`` each."""
    return [multicall(w3, calls[start : start + MAX_CALLS]) for start in range(0, len(calls), MAX_CALLS)]
