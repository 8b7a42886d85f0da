"""What an order check reads from the chain, in one coalesced multicall (offchain/chain/call_coalescer.py).

Everything :func:`offchain.market.validation.validate_order` needs once the order's shape is known goes in one
read at one block: the block's number and time, the offerer's Seaport counter, the order's status, the token's
owner, royalty at both prices and fusions, and the token's approvals (a listing) or the offerer's WETH (an
offer). It used to take ten sequential
round trips per order (issue 25, item 5).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from eth_utils import function_signature_to_4byte_selector

from offchain.chain.abi_words import decode_static
from offchain.chain.multicall import Call, CallResult
from offchain.errors import ContractMissingError
from offchain.market.order import checksummed
from offchain.market.order_digest import word
from offchain.market.seaport import MarketChain, OrderStatus


@dataclass(frozen=True, slots=True)
class _Function:
    """A view function by signature, its static arguments and return values encoded and decoded by hand
    (offchain/chain/abi_words.py: eth-abi's per-value dispatch cost more than the rest of the read)."""

    signature: str
    outputs: tuple[str, ...]

    def call(self, target: str, *args: int | str | bytes) -> Call:
        """The call of this function on ``target`` with ``args`` (static types only: uints, addresses, bytes32)."""
        return Call(target, _selector(self.signature) + b"".join([word(a) for a in args]))

    def result(self, answer: CallResult) -> tuple[Any, ...] | None:
        """The decoded return values, None if the call reverted; ContractMissingError if it returned nothing
        (no code at the address: a chain reset, or a market address of another chain)."""
        if not answer.success:
            return None
        if not answer.data:
            raise ContractMissingError(f"{self.signature} returned nothing: no contract at its address")
        return decode_static(self.outputs, answer.data)

    def required(self, answer: CallResult) -> tuple[Any, ...]:
        """The decoded return values; ContractMissingError if the call reverted (a view that never reverts on
        the contract it is meant for)."""
        values = self.result(answer)
        if values is None:
            raise ContractMissingError(f"{self.signature} reverted: not the contract the market expects")
        return values


@cache
def _selector(signature: str) -> bytes:
    return function_signature_to_4byte_selector(signature)


GET_COUNTER = _Function("getCounter(address)", ("uint256",))
GET_ORDER_STATUS = _Function("getOrderStatus(bytes32)", ("bool", "bool", "uint256", "uint256"))
OWNER_OF = _Function("ownerOf(uint256)", ("address",))
IS_APPROVED_FOR_ALL = _Function("isApprovedForAll(address,address)", ("bool",))
GET_APPROVED = _Function("getApproved(uint256)", ("address",))
ROYALTY_INFO = _Function("royaltyInfo(uint256,uint256)", ("address", "uint256"))
LINEAGE_OF = _Function("lineageOf(uint256)", ("uint256",) * 6)
BALANCE_OF = _Function("balanceOf(address)", ("uint256",))
ALLOWANCE = _Function("allowance(address,address)", ("uint256",))


@dataclass(frozen=True, slots=True)
class OrderReads:
    """The chain's state an order is checked against, read at ``block``. ``owner`` is None if the token does
    not exist, ``royalty_*`` None if ``royaltyInfo`` reverted at that price. A listing's read leaves the WETH
    fields at 0 and an offer's the token approvals at False / None: never read, as no check of that side uses
    them (and a check that did would refuse, not accept)."""

    block: int
    timestamp: int
    counter: int
    status: OrderStatus
    owner: str | None
    royalty_start: tuple[str, int] | None
    royalty_end: tuple[str, int] | None
    fusions: int
    cooldown_until: int
    approved_for_all: bool = False
    approved: str | None = None
    weth_balance: int = 0
    weth_allowance: int = 0


def read_order_state(
    market: MarketChain,
    *,
    maker: str,
    order_hash: bytes,
    token_id: int,
    prices: tuple[int, int],
    operator: str,
    listing: bool,
) -> OrderReads:
    """One coalesced read of everything the order of ``maker`` for ``token_id`` is checked against: for a
    ``listing`` the token's approvals toward ``operator``, for an offer the maker's WETH and its allowance toward
    ``operator`` (8 calls, not 10: each side's checks use only its own)."""
    seaport, kin, weth = market.addresses.seaport, market.kin.address, market.addresses.weth
    calls = [
        GET_COUNTER.call(seaport, maker),
        GET_ORDER_STATUS.call(seaport, order_hash),
        OWNER_OF.call(kin, token_id),
        ROYALTY_INFO.call(kin, token_id, prices[0]),
        ROYALTY_INFO.call(kin, token_id, prices[1]),
        LINEAGE_OF.call(kin, token_id),
    ]
    if listing:
        calls += [IS_APPROVED_FOR_ALL.call(kin, maker, operator), GET_APPROVED.call(kin, token_id)]
    else:
        calls += [BALANCE_OF.call(weth, maker), ALLOWANCE.call(weth, maker, operator)]
    answers = market.reads.read(calls)
    r = answers.results
    (counter,) = GET_COUNTER.required(r[0])
    validated, cancelled, filled, size = GET_ORDER_STATUS.required(r[1])
    owner = OWNER_OF.result(r[2])
    royalty_start, royalty_end = ROYALTY_INFO.result(r[3]), ROYALTY_INFO.result(r[4])
    lineage = LINEAGE_OF.result(r[5]) or (0,) * 6
    common = OrderReads(
        block=answers.block,
        timestamp=answers.timestamp,
        counter=int(counter),
        status=OrderStatus(bool(validated), bool(cancelled), int(filled), int(size)),
        owner=checksummed(str(owner[0])) if owner else None,
        royalty_start=(checksummed(str(royalty_start[0])), int(royalty_start[1])) if royalty_start else None,
        royalty_end=(checksummed(str(royalty_end[0])), int(royalty_end[1])) if royalty_end else None,
        fusions=int(lineage[3]),
        cooldown_until=int(lineage[4]),
    )
    if listing:
        approved = GET_APPROVED.result(r[7])
        return replace(
            common,
            approved_for_all=bool(IS_APPROVED_FOR_ALL.required(r[6])[0]),
            approved=checksummed(str(approved[0])) if approved else None,
        )
    return replace(
        common, weth_balance=int(BALANCE_OF.required(r[6])[0]), weth_allowance=int(ALLOWANCE.required(r[7])[0])
    )
