"""Many read-only contract calls at one block in few round trips: JSON-RPC batches of ``eth_call``.

web3.py's ``batch_requests`` builds a contract call object per request; for thousands of calls the
encoding costs more than the node. Here a call is a function's selector and ABI-encoded arguments,
encoded with eth-abi, sent ``BATCH_SIZE`` to a JSON-RPC batch over the provider, ``PARALLEL_BATCHES`` batches
in flight at once (one ``eth_call``
after another where the provider has no batches, e.g. eth-tester), and decoded with eth-abi.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from eth_abi import decode, encode
from eth_typing import ABIFunction
from eth_utils import function_abi_to_4byte_selector
from eth_utils.abi import collapse_if_tuple
from web3 import Web3
from web3.types import RPCEndpoint, TxParams

from offchain.errors import ChainUnavailableError, ContractMissingError, NotFoundError

BATCH_SIZE = 250  # eth_calls per JSON-RPC batch: large enough to amortise a round trip, small enough for a node
PARALLEL_BATCHES = 4  # batches in flight at once (a hardhat node answered 2,000 calls 1.4x faster with 4 than 1)


class ContractFunction:
    """One function of a contract ABI, encoded and decoded without web3's contract objects."""

    def __init__(self, abi: list[dict[str, Any]], name: str) -> None:
        (entry,) = [e for e in abi if e.get("type") == "function" and e["name"] == name]
        self.name = name
        self.selector = function_abi_to_4byte_selector(cast(ABIFunction, entry))
        self.inputs = [collapse_if_tuple(i) for i in entry["inputs"]]
        self.outputs = [collapse_if_tuple(o) for o in entry["outputs"]]
        self._words_only = all(kind == "uint256" for kind in self.inputs)  # genomeOf(id), lineageOf(id), ...

    def calldata(self, *args: Any) -> str:
        """0x-hex call data of ``name(args)``. Arguments that are all uint256 are written as 32-byte words here,
        the bytes eth-abi writes (its encoder was 6 % of a catch-up's indexing time, benchmarks/index_scale.py)."""
        if self._words_only and len(args) == len(self.inputs) and all(_is_word(a) for a in args):
            return "0x" + self.selector.hex() + "".join(f"{a:064x}" for a in args)
        return "0x" + (self.selector + encode(self.inputs, list(args))).hex()

    def result(self, data: str) -> tuple[Any, ...]:
        """The decoded return values of one call's 0x-hex result."""
        return tuple(decode(self.outputs, bytes.fromhex(data[2:])))


def _is_word(value: Any) -> bool:
    """True for an int a uint256 holds (not a bool: eth-abi refuses those)."""
    return type(value) is int and 0 <= value < 2**256


def call_many(
    w3: Web3, to: str, calls: Sequence[tuple[ContractFunction, tuple[Any, ...]]], block: int
) -> list[tuple[Any, ...]]:
    """Each ``(function, args)`` called on ``to`` at ``block``, results in order. NotFoundError if a call
    reverts (the token it asks about does not exist at ``block``); ChainUnavailableError if the node
    answers a batch with an error of its own."""
    tag = hex(block)
    requests = [(RPCEndpoint("eth_call"), [{"to": to, "data": fn.calldata(*args)}, tag]) for fn, args in calls]
    provider = w3.provider
    chunks = [requests[start : start + BATCH_SIZE] for start in range(0, len(requests), BATCH_SIZE)]
    answers: list[Any] = []
    if type(provider).__name__ == "HTTPProvider":

        def send(chunk: list[tuple[RPCEndpoint, Any]]) -> list[Any]:
            response = provider.make_batch_request(chunk)  # type: ignore[attr-defined]
            if not isinstance(response, list):  # the node refused the whole batch
                raise ChainUnavailableError(f"the node refused a batch of eth_call: {response.get('error')}")
            return response

        with ThreadPoolExecutor(min(PARALLEL_BATCHES, len(chunks) or 1)) as pool:  # a node answers a few at once
            for response in pool.map(send, chunks):
                answers.extend(response)
    else:  # through web3's formatters (eth-tester takes integers, not hex, for block numbers)
        answers.extend(
            {"result": w3.eth.call(cast(TxParams, params[0]), block).to_0x_hex()}
            for chunk in chunks
            for _, params in chunk
        )
    out = []
    for (fn, args), answer in zip(calls, answers, strict=True):
        if "error" in answer:
            raise NotFoundError(f"{fn.name}{args} reverted at block {block}: {answer['error']}")
        if answer.get("result") in (None, "0x"):  # no code at the address
            raise ContractMissingError("the chain holds no contract at the deployment's address (was the chain reset?)")
        out.append(fn.result(answer["result"]))
    return out
