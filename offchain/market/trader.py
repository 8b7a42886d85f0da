"""Trading latentkin tokens on Seaport as one account: list (fixed price or Dutch auction), offer in WETH, buy,
accept an offer, cancel. Used by the command line, the demo and the tests; the page does the same through
seaport-js. Where the market has the collection's LatentKinZone, every listing and offer made here is protected:
restricted to the zone, its zoneHash committing to the character's traits now, so it no longer fills once the
character was fused. Every order made here passes :func:`offchain.market.validation.validate_order` before it is
returned, and every order filled here passes it first, so nothing is signed or paid for that the book would
refuse."""

from __future__ import annotations

import json
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.types import RPCEndpoint, TxReceipt

from offchain.chain.transactions import Sender, send
from offchain.market import build
from offchain.market.order import (
    ZERO_ADDRESS,
    ZERO_BYTES32,
    ItemType,
    OrderParameters,
    SignedOrder,
    as_tuple,
    current_amount,
    sign_order,
    typed_data,
)
from offchain.market.seaport import MarketChain
from offchain.market.validation import Side, ValidOrder, validate_order

DAY = 86_400


def _json_typed_data(params: OrderParameters, chain_id: int, seaport: str) -> str:
    """The EIP-712 document as JSON for a node's ``eth_signTypedData_v4`` (bytes as hex, integers as strings)."""

    def plain(value: Any) -> Any:
        if isinstance(value, bytes):
            return "0x" + value.hex()
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return str(value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    document = typed_data(params, chain_id, seaport)
    document["types"] = {
        "EIP712Domain": [
            {"name": "name", "type": "string"},
            {"name": "version", "type": "string"},
            {"name": "chainId", "type": "uint256"},
            {"name": "verifyingContract", "type": "address"},
        ],
        **document["types"],
    }
    document["domain"]["chainId"] = int(chain_id)
    return json.dumps({**document, "message": plain(document["message"])})


class Trader:
    """Seaport orders and fills for one account on one market."""

    def __init__(self, market: MarketChain, sender: Sender) -> None:
        self.market = market
        self.sender = sender
        self.address = Web3.to_checksum_address(sender.address if isinstance(sender, LocalAccount) else sender)

    @property
    def w3(self) -> Web3:
        """The market's Web3."""
        return self.market.w3

    def send_call(self, call: Any, value: int = 0) -> TxReceipt:
        """Send a contract call as this account (offchain.chain.transactions.send)."""
        return send(self.w3, self.sender, call, value=value)

    def sign(self, params: OrderParameters) -> SignedOrder:
        """Sign ``params`` for this chain's Seaport: here with a local key, else by the node
        (``eth_signTypedData_v4``)."""
        chain_id, seaport = self.market.reader.chain_id(), self.market.addresses.seaport
        if isinstance(self.sender, LocalAccount):
            return sign_order(params, self.sender, chain_id, seaport)
        answer = self.w3.provider.make_request(
            RPCEndpoint("eth_signTypedData_v4"), [self.address, _json_typed_data(params, chain_id, seaport)]
        )
        if "error" in answer:
            raise ValueError(f"the node did not sign the order: {answer['error']}")
        return SignedOrder(parameters=params, signature=answer["result"])

    # -- approvals and WETH ---------------------------------------------------------------------
    def approve_collection(self) -> None:
        """Let Seaport move this account's characters (once)."""
        kin, seaport = self.market.kin, self.market.addresses.seaport
        if not kin.functions.isApprovedForAll(self.address, seaport).call():
            self.send_call(kin.functions.setApprovalForAll(seaport, True))

    def fund_weth(self, amount: int, *, wrap: bool = True) -> None:
        """Let Seaport spend ``amount`` of this account's WETH, wrapping the ETH it lacks (unless not ``wrap``)."""
        weth, seaport = self.market.weth, self.market.addresses.seaport
        balance, allowance = self.market.weth_funds(self.address, seaport)
        if wrap and balance < amount:
            self.send_call(weth.functions.deposit(), value=amount - balance)
        if allowance < amount:
            self.send_call(weth.functions.approve(seaport, amount))

    # -- making orders --------------------------------------------------------------------------
    def _protection(self, token_id: int) -> build.Protection | None:
        """The zone and the token's current traits, where the market has a zone (else None: an open order)."""
        zone = self.market.addresses.zone
        if zone is None:
            return None
        fusions, resting_until = self.market.fusions(token_id)
        return build.Protection(zone, fusions, resting_until)

    def _royalty(self, token_id: int, start: int, end: int) -> build.Royalty:
        receiver, at_start = self.market.royalty(token_id, start)
        return build.Royalty(receiver, at_start, self.market.royalty(token_id, end)[1])

    def list(
        self,
        token_id: int,
        start_price: int,
        end_price: int | None = None,
        duration: int = 7 * DAY,
        currency: str = ZERO_ADDRESS,
        *,
        start_time: int | None = None,
        salt: int | None = None,
    ) -> ValidOrder:
        """List ``token_id`` at ``start_price`` (falling linearly to ``end_price`` over ``duration`` seconds from
        ``start_time``, default now: a Dutch auction; default a fixed price), royalty included; approves Seaport
        first if needed. ``salt`` defaults to a random one."""
        end_price = start_price if end_price is None else end_price
        self.approve_collection()
        now = self.market.now() if start_time is None else start_time
        params = build.listing(
            seller=self.address,
            collection=self.market.kin.address,
            token_id=token_id,
            start_price=start_price,
            end_price=end_price,
            royalty=self._royalty(token_id, start_price, end_price),
            start_time=now,
            end_time=now + duration,
            counter=self.market.counter(self.address),
            currency=currency,
            salt=salt,
            protection=self._protection(token_id),
        )
        return validate_order(self.sign(params), self.market)

    def offer(
        self,
        token_id: int,
        price: int,
        duration: int = 7 * DAY,
        *,
        start_time: int | None = None,
        salt: int | None = None,
    ) -> ValidOrder:
        """Offer ``price`` WETH for ``token_id`` (wrapping ETH and approving Seaport as needed)."""
        self.fund_weth(price)
        now = self.market.now() if start_time is None else start_time
        params = build.offer(
            buyer=self.address,
            collection=self.market.kin.address,
            token_id=token_id,
            price=price,
            weth=self.market.addresses.weth,
            royalty=self._royalty(token_id, price, price),
            start_time=now,
            end_time=now + duration,
            counter=self.market.counter(self.address),
            salt=salt,
            protection=self._protection(token_id),
        )
        return validate_order(self.sign(params), self.market)

    # -- filling and cancelling -----------------------------------------------------------------
    def price_of(self, order: SignedOrder, at: int | None = None) -> int:
        """What filling a listing costs at time ``at`` (default: the latest block's), as Seaport computes it."""
        p = order.parameters
        at = self.market.now() if at is None else at
        return sum(
            current_amount(i.start_amount, i.end_amount, p.start_time, p.end_time, at, round_up=True)
            for i in p.consideration
            if i.item_type in (ItemType.NATIVE, ItemType.ERC20)
        )

    def buy(self, order: SignedOrder) -> TxReceipt:
        """Fill a listing (checked first, like the book checks it), paying its current price."""
        valid = validate_order(order, self.market)
        if valid.terms.side != Side.LISTING:
            raise ValueError("not a listing: accept an offer with `accept`")
        price = self.price_of(order)
        if valid.terms.currency == ZERO_ADDRESS:
            return self.send_call(
                self.market.seaport.functions.fulfillOrder(as_tuple(order), ZERO_BYTES32), value=price
            )
        self.fund_weth(price)
        return self.send_call(self.market.seaport.functions.fulfillOrder(as_tuple(order), ZERO_BYTES32))

    def accept(self, order: SignedOrder) -> TxReceipt:
        """Accept an offer for a token this account owns (checked first): the token goes, the WETH comes. Seaport
        has the fulfiller pay the consideration items (the royalty) out of the WETH just received, so Seaport
        needs an allowance for them too."""
        terms = validate_order(order, self.market).terms
        if terms.side != Side.OFFER:
            raise ValueError("not an offer: buy a listing with `buy`")
        self.approve_collection()
        paid_out = sum(i.start_amount for i in terms.payments)
        if paid_out:
            self.fund_weth(paid_out, wrap=False)
        return self.send_call(self.market.seaport.functions.fulfillOrder(as_tuple(order), ZERO_BYTES32))

    def cancel(self, *orders: SignedOrder) -> TxReceipt:
        """Cancel this account's ``orders`` on Seaport."""
        components = []
        for order in orders:
            if order.parameters.offerer != self.address:
                raise ValueError(f"order by {order.parameters.offerer}, not this account: only its offerer cancels it")
            parameters, _ = as_tuple(order)
            components.append(parameters[:10] + (order.parameters.counter,))
        return self.send_call(self.market.seaport.functions.cancel(components))
