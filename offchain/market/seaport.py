"""Read-only view of the market on chain: Seaport 1.6, its ConduitController, WETH, and what the order checks
read from LatentKin (owner, approvals, royalty, fusions). Every read is a :func:`offchain.chain.reader.chain_call`
(an unreachable node is ChainUnavailableError)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from cachetools import TTLCache
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import BadFunctionCallOutput

from offchain.chain.artifacts import ZONE, load_artifact
from offchain.chain.call_coalescer import CallCoalescer
from offchain.chain.circuit_breaker import CircuitBreaker
from offchain.chain.market_addresses import MarketAddresses, canonical_market
from offchain.chain.multicall import Answers, Call, multicall
from offchain.chain.reader import REVERTED, ChainReader, chain_call
from offchain.errors import MarketConfigError, MarketNotDeployedError, NotFoundError
from offchain.market.order import ZERO_BYTES32

CONDUIT_TTL = 12.0  # seconds a conduit found stays known (a conduit is never removed, short of a chain reset)
SEAPORT_EVENTS = ("OrderFulfilled", "OrderCancelled", "CounterIncremented")
NO_ANSWER: tuple[type[Exception], ...] = (*REVERTED, BadFunctionCallOutput)  # a call the contract cannot answer


@dataclass(frozen=True, slots=True)
class OrderStatus:
    """Seaport's ``getOrderStatus``."""

    validated: bool
    cancelled: bool
    filled: int
    size: int

    @property
    def fully_filled(self) -> bool:
        """True once nothing is left to fill."""
        return self.size > 0 and self.filled >= self.size


class MarketChain:
    """The market of one LatentKin deployment: recorded beside it (dev chains), else canonical addresses."""

    def __init__(
        self,
        reader: ChainReader,
        *,
        seaport: str | None = None,
        conduit_controller: str | None = None,
        weth: str | None = None,
        zone: str | None = None,
        max_multicalls: int = 2,
    ) -> None:
        self.reader = reader
        self._overrides = (seaport, weth)
        self._conduit_controller = conduit_controller
        self._zone = zone
        self._conduits: TTLCache[str, str] = TTLCache(maxsize=256, ttl=CONDUIT_TTL)
        self._conduits_lock = threading.Lock()
        self.reads = CallCoalescer(self._multicall, max_multicalls)
        """Order checks' reads, coalesced into multicalls (at most ``max_multicalls`` on their way at once)."""

    @cached_property
    def addresses(self) -> MarketAddresses:
        """Seaport, ConduitController, WETH and the zone of this chain; MarketNotDeployedError if none is known.

        What the deployment record names (dev chains), else the canonical addresses; a ``seaport`` (with its
        ``conduit_controller``), ``weth`` or ``zone`` given to the constructor (the ``LATENTKIN_*_ADDRESS``
        settings) wins over both. MarketConfigError when the Seaport and controller do not make a pair."""
        recorded = self.reader.deployment.market
        seaport, weth = self._overrides
        zone = self._zone or (recorded.zone if recorded else None)
        if recorded is not None and seaport is None and weth is None and self._conduit_controller is None:
            return replace(recorded, zone=Web3.to_checksum_address(zone) if zone else None)
        chain_id = self.reader.chain_id()
        known = canonical_market(
            chain_id, seaport, weth or (recorded.weth if recorded else None), zone, self._conduit_controller
        )
        if known is None:
            raise MarketNotDeployedError(
                f"no Seaport market known on chain {chain_id}: deploy one with "
                "`latentkin deploy` on a dev chain, or set LATENTKIN_WETH_ADDRESS"
            )
        return known

    @cached_property
    def chain_id(self) -> int:
        """The chain's id, asked once (the HTTP provider caches ``eth_chainId`` for good too): an order check
        needs it for the signature's domain, and a guarded read per order took one of the bulkhead's slots."""
        return self.reader.chain_id()

    @property
    def w3(self) -> Web3:
        """The reader's Web3."""
        return self.reader.w3

    @property
    def breaker(self) -> CircuitBreaker | None:
        """The reader's circuit breaker (shared: one hung node is noticed once)."""
        return self.reader.breaker

    @cached_property
    def seaport(self) -> Contract:
        """Seaport 1.6 (ABI from @opensea/seaport-js)."""
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(self.addresses.seaport), abi=load_artifact("Seaport").abi
        )

    @cached_property
    def weth(self) -> Contract:
        """WETH9 (ABI from canonical-weth)."""
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(self.addresses.weth), abi=load_artifact("WETH9").abi
        )

    @cached_property
    def conduit_controller(self) -> Contract:
        """Seaport's ConduitController."""
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(self.addresses.conduit_controller),
            abi=load_artifact("ConduitController").abi,
        )

    @cached_property
    def zone(self) -> Contract | None:
        """The collection's LatentKinZone (ABI compiled from contracts/), None where none is known."""
        address = self.addresses.zone
        if address is None:
            return None
        return self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(ZONE).abi)

    @property
    def kin(self) -> Contract:
        """The LatentKin contract."""
        return self.reader.contract

    @chain_call
    def _multicall(self, calls: Sequence[Call]) -> Answers:
        return multicall(self.w3, calls)

    # -- Seaport --------------------------------------------------------------------------------
    @chain_call
    def now(self) -> int:
        """The latest block's timestamp: the time Seaport checks an order's start and end against."""
        return int(self.w3.eth.get_block("latest")["timestamp"])

    @chain_call
    def counter(self, offerer: str) -> int:
        """The offerer's current counter (``incrementCounter`` cancels every order signed under an older one)."""
        return int(self.seaport.functions.getCounter(offerer).call())

    @chain_call
    def status(self, order_hash: bytes) -> OrderStatus:
        """``getOrderStatus``: validated, cancelled, filled / size."""
        validated, cancelled, filled, size = self.seaport.functions.getOrderStatus(order_hash).call()
        return OrderStatus(bool(validated), bool(cancelled), int(filled), int(size))

    def operator(self, conduit_key: str) -> str | None:
        """Who moves the offerer's items: Seaport itself for the zero key, else the conduit (None: no such conduit).
        A conduit found is remembered for :data:`CONDUIT_TTL` seconds (the orders of a burst share a few)."""
        if conduit_key == ZERO_BYTES32:
            return self.addresses.seaport
        with self._conduits_lock:  # cachetools' caches are not thread-safe
            known = self._conduits.get(conduit_key)
        if known is None:
            known = self._conduit(conduit_key)
            if known is not None:
                with self._conduits_lock:
                    self._conduits[conduit_key] = known
        return known

    @chain_call
    def _conduit(self, conduit_key: str) -> str | None:
        conduit, exists = self.conduit_controller.functions.getConduit(bytes.fromhex(conduit_key[2:])).call()
        return str(conduit) if exists else None

    @chain_call
    def check_wiring(self) -> None:
        """MarketConfigError, naming both addresses, unless the configured contracts belong together on chain:
        Seaport was deployed with the configured ConduitController (``information()``), and the zone is this
        collection's (``collection()``). Run at the service's start-up: a zone of another collection would turn
        every protected order's fill into a revert, or check another collection's traits."""
        where = self.addresses
        if self.w3.eth.get_code(Web3.to_checksum_address(where.seaport)):
            controller = Web3.to_checksum_address(self.seaport.functions.information().call()[2])
            if controller != where.conduit_controller:
                raise MarketConfigError(
                    f"the Seaport at {where.seaport} was deployed with the ConduitController {controller}, but "
                    f"the configuration names {where.conduit_controller}: set LATENTKIN_CONDUIT_CONTROLLER_ADDRESS "
                    f"to {controller}"
                )
        if self.zone is None:
            return
        kin = Web3.to_checksum_address(self.kin.address)
        try:
            collection = Web3.to_checksum_address(self.zone.functions.collection().call())
        except NO_ANSWER as exc:  # reverted, or no answer (no code, or a fallback that takes any call)
            raise MarketConfigError(
                f"the zone at {where.zone} is no LatentKinZone (it has no collection()): set LATENTKIN_ZONE_ADDRESS "
                f"to the LatentKinZone of the collection {kin}"
            ) from exc
        if collection != kin:
            raise MarketConfigError(
                f"the zone at {where.zone} protects the collection {collection}, not this one ({kin}): set "
                f"LATENTKIN_ZONE_ADDRESS to this collection's LatentKinZone"
            )

    # -- LatentKin ------------------------------------------------------------------------------
    @chain_call
    def owner_of(self, token_id: int) -> str:
        """The token's owner; NotFoundError if it does not exist."""
        try:
            return str(self.kin.functions.ownerOf(token_id).call())
        except REVERTED as exc:
            raise NotFoundError(f"token {token_id} does not exist") from exc

    @chain_call
    def may_move(self, owner: str, operator: str, token_id: int) -> bool:
        """Whether ``operator`` may transfer ``owner``'s token (approved for all, or for this token)."""
        fns = self.kin.functions
        return bool(fns.isApprovedForAll(owner, operator).call()) or fns.getApproved(token_id).call() == operator

    @chain_call
    def royalty(self, token_id: int, price: int) -> tuple[str, int]:
        """ERC-2981 ``royaltyInfo(token, price)``: (receiver, amount)."""
        receiver, amount = self.kin.functions.royaltyInfo(token_id, price).call()
        return str(receiver), int(amount)

    @chain_call
    def fusions(self, token_id: int) -> tuple[int, int]:
        """(fusions used, cooldown end block) of the token."""
        lineage = self.kin.functions.lineageOf(token_id).call()
        return int(lineage[3]), int(lineage[4])

    # -- WETH -----------------------------------------------------------------------------------
    @chain_call
    def weth_funds(self, owner: str, operator: str) -> tuple[int, int]:
        """(WETH balance, allowance to ``operator``) of ``owner``."""
        fns = self.weth.functions
        return int(fns.balanceOf(owner).call()), int(fns.allowance(owner, operator).call())
