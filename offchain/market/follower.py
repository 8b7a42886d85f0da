"""What the indexer does for the market: read Seaport's logs, record the sales of latentkin tokens, and retire
orders that are filled, cancelled, under an old counter, expired, whose token changed owner (listings), or whose
token was used in a fusion after the order was made (listings and offers alike: buyer and bidder protection; the
LatentKinZone also makes such an order's fill revert on chain). Undone past a reorg's fork point like the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from offchain.chain.reader import REVERTED, ChainEvent, chain_call
from offchain.errors import MarketNotDeployedError
from offchain.market.book import retire
from offchain.market.order import UINT256_MAX, ZERO_ADDRESS, ItemType
from offchain.market.seaport import SEAPORT_EVENTS, MarketChain
from offchain.market.validation import Side
from offchain.store.models import ACTIVE, MarketOrder, Sale, Token

log = logging.getLogger("latentkin.market")


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()


class MarketFollower:
    """Seaport's side of one :class:`offchain.index.indexer.Indexer` step."""

    def __init__(self, market: MarketChain) -> None:
        self.market = market
        self.breaker = market.breaker  # chain_call's: the reader's circuit breaker
        self._warned = False

    def enabled(self) -> bool:
        """Whether this chain has a market (the indexer still indexes tokens without one)."""
        try:
            _ = self.market.addresses  # resolving them raises if there is no market
        except MarketNotDeployedError as exc:
            if not self._warned:
                log.warning("market not followed: %s", exc)
                self._warned = True
            return False
        return True

    @chain_call
    def events(self, from_block: int, to_block: int) -> list[ChainEvent]:
        """Seaport's OrderFulfilled, OrderCancelled and CounterIncremented logs in [from_block, to_block]."""
        if not self.enabled():
            return []
        seaport = self.market.seaport
        decoders = {
            bytes.fromhex(seaport.events[name]().topic.removeprefix("0x")): seaport.events[name]()
            for name in SEAPORT_EVENTS
        }
        logs = self.market.w3.eth.get_logs(
            {
                "address": seaport.address,
                "fromBlock": from_block,
                "toBlock": to_block,
                "topics": [["0x" + t.hex() for t in decoders]],
            }
        )
        out = []
        for entry in logs:
            decoded = decoders[bytes(entry["topics"][0])].process_log(entry)
            out.append(
                ChainEvent(
                    decoded["event"],
                    dict(decoded["args"]),
                    int(entry["blockNumber"]),
                    _hex(entry["blockHash"]),
                    int(entry["logIndex"]),
                    _hex(entry["transactionHash"]),
                )
            )
        return sorted(out, key=lambda e: (e.block_number, e.log_index))

    @chain_call
    def _timestamp(self, block: int) -> int:
        return int(self.market.w3.eth.get_block(block)["timestamp"])

    def apply(self, session: Session, events: Iterable[ChainEvent], touched: set[int], block: int) -> None:
        """Record sales and retire orders for ``events`` (read up to ``block``), after the tokens in ``touched``
        were refreshed as of ``block``."""
        stamps: dict[int, int] = {}
        for ev in events:
            args = ev.args
            if ev.name == "OrderFulfilled":
                retire(session, ev.block_number, "filled", MarketOrder.hash == _hex(args["orderHash"]))
                if ev.block_number not in stamps:
                    stamps[ev.block_number] = self._timestamp(ev.block_number)
                sale = self._sale(ev, stamps[ev.block_number])
                if sale is not None:
                    session.add(sale)
            elif ev.name == "OrderCancelled":
                retire(session, ev.block_number, "cancelled", MarketOrder.hash == _hex(args["orderHash"]))
            elif ev.name == "CounterIncremented":
                retire(session, ev.block_number, "counter", MarketOrder.maker == args["offerer"])
        in_book = select(MarketOrder.token_id).where(MarketOrder.status == ACTIVE)  # listings and offers alike
        for token_id in _with_orders(session, in_book, touched):
            token = session.get(Token, token_id)
            if token is None:
                continue
            listing = (MarketOrder.side == Side.LISTING.value, MarketOrder.token_id == token_id)
            retire(session, block, "transferred", *listing, MarketOrder.maker != token.owner)
            retire(
                session, block, "fused", MarketOrder.token_id == token_id, MarketOrder.fusion_count < token.fusion_count
            )
        if self.enabled():
            retire(session, block, "expired", MarketOrder.end_time <= self._timestamp(block))
        session.flush()

    def _sale(self, ev: ChainEvent, timestamp: int) -> Sale | None:
        """The sale an OrderFulfilled log records, None if it trades no latentkin token."""
        args, kin = ev.args, self.market.kin.address

        def ours(item: dict[str, Any]) -> bool:
            return bool(item["itemType"] == ItemType.ERC721 and item["token"] == kin)

        offered = [i for i in args["offer"] if ours(i)]
        wanted = [i for i in args["consideration"] if ours(i)]
        if offered:  # a listing bought: the fulfiller paid the consideration
            side, token, seller, buyer = Side.LISTING, offered[0], args["offerer"], args["recipient"]
            payments = [i for i in args["consideration"] if i["itemType"] in (ItemType.NATIVE, ItemType.ERC20)]
            price = sum(i["amount"] for i in payments)
        elif wanted:  # an offer accepted: the offerer's WETH paid the fulfiller, less the other items
            side, token, seller, buyer = Side.OFFER, wanted[0], args["recipient"], args["offerer"]
            payments = [i for i in args["consideration"] if i["itemType"] == ItemType.ERC20]
            price = sum(i["amount"] for i in args["offer"] if i["itemType"] == ItemType.ERC20)
        else:
            return None
        currency = payments[0]["token"] if payments else ZERO_ADDRESS
        token_id = int(token["identifier"])
        if price > UINT256_MAX:  # no token has that many units: items of a worthless token of the seller's own
            log.warning("sale of token %d in %s not recorded: its items sum past 2^256-1", token_id, ev.tx_hash)
            return None
        try:
            receiver, _ = self.market.royalty(token_id, price)
        except REVERTED:  # price * royalty rate overflows (a price no real token can pay): ask at price 0
            receiver, _ = self.market.royalty(token_id, 0)
        royalty = sum(i["amount"] for i in payments if i["recipient"] == receiver) if receiver != seller else 0
        return Sale(
            token_id=token_id,
            order_hash=_hex(args["orderHash"]),
            side=side.value,
            seller=seller,
            buyer=buyer,
            currency=currency,
            price=str(price),
            royalty=str(royalty),
            block_number=ev.block_number,
            log_index=ev.log_index,
            tx_hash=ev.tx_hash,
            timestamp=timestamp,
        )

    def rollback(self, session: Session, fork: int) -> None:
        """Forget sales after block ``fork`` and put back in the book the orders retired after it."""
        session.execute(delete(Sale).where(Sale.block_number > fork))
        session.execute(
            update(MarketOrder)
            .where(MarketOrder.retired_block > fork)
            .values(status=ACTIVE, retired_block=None)
            .execution_options(synchronize_session=False)
        )

    def wipe(self, session: Session) -> None:
        """Forget the book and the sales (the index belonged to another deployment)."""
        session.execute(delete(Sale))
        session.execute(delete(MarketOrder))

    def backfill(self, session: Session, from_block: int, to_block: int, batch: int) -> None:
        """Record the sales in [from_block, to_block] (an index from before the market)."""
        for start in range(from_block, to_block + 1, batch):
            self.apply(session, self.events(start, min(start + batch - 1, to_block)), set(), to_block)


def _with_orders(session: Session, in_book: Select[int], touched: set[int]) -> list[int]:
    """The tokens of ``touched`` with an active order (a catch-up touches thousands, few of them in the book)."""
    ids = sorted(touched)
    out: list[int] = []
    for start in range(0, len(ids), 5000):
        out += session.scalars(in_book.where(MarketOrder.token_id.in_(ids[start : start + 5000])).distinct())
    return out
