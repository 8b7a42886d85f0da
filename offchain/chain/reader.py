"""Read-only view of the LatentKin contract over any JSON-RPC endpoint (web3.py).

Every call that fails because the node cannot be reached raises :class:`ChainUnavailableError`,
so callers can serve what they have and answer 503 for the rest.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import requests
import requests.adapters
import requests.utils
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import (
    BadFunctionCallOutput,
    BlockNotFound,
    ContractLogicError,
    ProviderConnectionError,
    RequestTimedOut,
    TimeExhausted,
    TooManyRequests,
)
from web3.types import BlockIdentifier, RPCEndpoint

from latentkin_core.genome import FusionMode, Genome
from offchain.chain.artifacts import latentkin_abi
from offchain.chain.batch_calls import ContractFunction, call_many
from offchain.chain.circuit_breaker import CircuitBreaker
from offchain.chain.deployment import Deployment
from offchain.chain.log_reader import EventDecoder, event_decoders, fetch_logs
from offchain.errors import ChainUnavailableError, ContractMissingError, DeploymentNotFoundError, NotFoundError
from offchain.settings import Settings
from offchain.token.info import TokenInfo

try:  # eth-tester (tests, in-process chains) raises its own revert error instead of web3's
    from eth_tester.exceptions import TransactionFailed as _TesterRevert

    _REVERTED: tuple[type[Exception], ...] = (ContractLogicError, _TesterRevert)
except ImportError:  # pragma: no cover
    _REVERTED = (ContractLogicError,)
REVERTED = _REVERTED  # what a reverted contract call raises here (eth-tester's error too, where it is installed)

T = TypeVar("T")

# What a dead, slow or flooded node raises (requests' errors are OSErrors).
_UNREACHABLE = (OSError, ProviderConnectionError, RequestTimedOut, TimeExhausted, TooManyRequests)

# Events the indexer follows; others in the ABI are ignored.
RPC_CONNECTIONS = 32  # kept open to the node: the bulkhead's calls, the order multicalls and batch threads

INDEXED_EVENTS = (
    "Transfer",
    "FusionRequested",
    "Fused",
    "PublicMinted",
    "RendererHashChanged",
    "MetadataUpdate",
    "FusionOfferSet",
    "FusionOfferCancelled",
)


@dataclass(frozen=True, slots=True)
class Lineage:
    """``lineageOf(id)``: parents (0 = none), generation, fusions so far, cooldown end block, and the
    fusion mode it was made by (0 crossover, 1 blend; 0 for gen-0)."""

    parent_a: int
    parent_b: int
    generation: int
    fusion_count: int
    cooldown_until: int
    mode: int = 0


@dataclass(frozen=True, slots=True)
class ChainEvent:
    """One decoded contract log."""

    name: str
    args: dict[str, Any]
    block_number: int
    block_hash: str
    log_index: int
    tx_hash: str


def _guard(fn: Callable[..., T]) -> Callable[..., T]:
    """Map a dead node's errors to ChainUnavailableError, through the reader's circuit breaker (``self.breaker``:
    a ChainReader's, or the market readers', which share it)."""

    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            if self.breaker is None:
                return fn(self, *args, **kwargs)
            with self.breaker.guard(_UNREACHABLE):
                return fn(self, *args, **kwargs)
        except ChainUnavailableError:
            raise
        except _UNREACHABLE as exc:
            raise ChainUnavailableError(f"chain unreachable ({exc.__class__.__name__})") from exc
        except BadFunctionCallOutput as exc:  # empty return data: no code at the address
            raise ContractMissingError(
                "the chain holds no contract at the deployment's address (was the chain reset?)"
            ) from exc

    return wrapper


def http_web3(rpc_url: str, timeout: float) -> Web3:
    """A Web3 over HTTP that fails fast (no silent retries) so a dead node is noticed at once.

    ``eth_chainId`` is cached: web3.py's validation asks for it before every ``eth_call``, which made 23 HTTP
    round trips of an order's ten reads (issue 25, item 5). Every thread shares one :func:`rpc_session`.
    """
    provider = Web3.HTTPProvider(
        rpc_url,
        request_kwargs={"timeout": timeout},
        session=rpc_session(rpc_url),
        exception_retry_configuration=None,
        cache_allowed_requests=True,
        cacheable_requests={RPCEndpoint("eth_chainId")},
    )
    return Web3(provider)


def rpc_session(rpc_url: str) -> requests.Session:
    """The HTTP session of a node's JSON-RPC calls: the environment's proxy for ``rpc_url`` read once, here, and
    nothing of the environment per request. With ``trust_env`` (requests' default) every call looked for a
    ``~/.netrc`` and re-read the proxy variables (``get_netrc_auth`` and ``os.environ`` under every call in py-spy,
    benchmarks/order_burst.py): ~0.4 ms of CPU a call against a local node. Credentials go in ``rpc_url``.
    Connections are pooled for as many threads as may call at once."""
    session = requests.Session()
    session.trust_env = False
    session.proxies.update(requests.utils.get_environ_proxies(rpc_url))
    adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=RPC_CONNECTIONS)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class ChainReader:
    """Typed, read-only calls and log decoding for one LatentKin deployment.

    The deployment is resolved lazily (on first use) so a service can start while its node is
    down: from ``deployment`` if given, else ``deployment_file``, else
    ``deployments_dir/<chainId>.json`` once the chain answers. With a ``breaker`` (the service's,
    see offchain/chain/circuit_breaker.py) a hung node costs one RPC timeout, not one per caller.
    """

    def __init__(
        self,
        w3: Web3,
        *,
        deployment: Deployment | None = None,
        deployment_file: Path | None = None,
        deployments_dir: Path | None = None,
        abi: list[dict[str, Any]] | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.w3 = w3
        self.breaker = breaker
        self._deployment = deployment
        self._deployment_file = deployment_file
        self._deployments_dir = deployments_dir
        self._abi = abi
        self._contract: Contract | None = None
        self._decoders: dict[bytes, EventDecoder] | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, w3: Web3 | None = None) -> ChainReader:
        """Reader for ``settings.rpc_url`` (or an already built ``w3``, e.g. eth-tester)."""
        return cls(
            w3 or http_web3(settings.rpc_url, settings.rpc_timeout),
            deployment_file=settings.deployment_file,
            deployments_dir=settings.deployments_dir,
            breaker=CircuitBreaker(settings.rpc_cooldown, settings.rpc_max_in_flight),
        )

    # -- deployment ---------------------------------------------------------------------------
    @property
    def deployment(self) -> Deployment:
        """The deployment in use (resolving it may need the chain id)."""
        if self._deployment is None:
            if self._deployment_file is not None:
                self._deployment = Deployment.read(self._deployment_file)
            else:
                if self._deployments_dir is None:
                    raise DeploymentNotFoundError("no deployment, deployment file or folder given")
                self._deployment = Deployment.read(self._deployments_dir / f"{self.chain_id()}.json")
        return self._deployment

    @property
    def contract(self) -> Contract:
        """The web3 contract object (ABI from the compiled artifact)."""
        with self._lock:
            if self._contract is None:
                address = self.deployment.address
                abi = self._abi if self._abi is not None else latentkin_abi()
                self._contract = self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi)
            return self._contract

    # -- blocks and logs ----------------------------------------------------------------------
    @_guard
    def chain_id(self) -> int:
        """``eth_chainId``."""
        return int(self.w3.eth.chain_id)

    @_guard
    def contract_deployed(self) -> bool:
        """Whether the deployment's address holds code on this chain (False after a chain reset)."""
        return len(self.w3.eth.get_code(Web3.to_checksum_address(self.deployment.address))) > 0

    @_guard
    def head(self) -> int:
        """The latest block number."""
        return int(self.w3.eth.block_number)

    @_guard
    def block_hash(self, number: int) -> str | None:
        """0x-hash of block ``number``, or None if the chain has no such block (yet)."""
        try:
            return "0x" + bytes(self.w3.eth.get_block(number)["hash"]).hex()
        except BlockNotFound:
            return None

    @_guard
    def events(self, from_block: int, to_block: int) -> list[ChainEvent]:
        """Decoded logs of the indexed events emitted by the contract in [from_block, to_block]
        (offchain/chain/log_reader.py: eth-abi, not web3's formatters)."""
        if self._decoders is None:
            self._decoders = event_decoders(self._abi if self._abi is not None else latentkin_abi(), INDEXED_EVENTS)
        out = []
        for log in fetch_logs(self.w3, self.contract.address, from_block, to_block):
            decoder = self._decoders.get(log.topics[0]) if log.topics else None
            if decoder is not None:
                out.append(
                    ChainEvent(
                        decoder.name, decoder.args(log), log.block_number, log.block_hash, log.log_index, log.tx_hash
                    )
                )
        return out

    # -- token state --------------------------------------------------------------------------
    def token(self, token_id: int, block: BlockIdentifier = "latest") -> TokenInfo:
        """Owner, genome and lineage of a token in three reads; NotFoundError if it does not exist
        (the owner read reverts first, so an unknown id costs one call)."""
        owner = self.owner_of(token_id, block)
        lineage = self.lineage_of(token_id, block)
        fused = bool(lineage.parent_a and lineage.parent_b)
        return TokenInfo(
            token_id,
            owner,
            self.genome_of(token_id, block),
            lineage.parent_a,
            lineage.parent_b,
            lineage.generation,
            lineage.fusion_count,
            lineage.cooldown_until,
            fusion_mode=FusionMode(lineage.mode) if fused else None,
        )

    @_guard
    def genome_of(self, token_id: int, block: BlockIdentifier = "latest") -> Genome:
        """The token's genome; NotFoundError if it does not exist."""
        try:
            code, attrs = self.contract.functions.genomeOf(token_id).call(block_identifier=block)
        except _REVERTED as exc:
            raise NotFoundError(f"token {token_id} does not exist") from exc
        return Genome(int(code), int(attrs))

    @_guard
    def lineage_of(self, token_id: int, block: BlockIdentifier = "latest") -> Lineage:
        """The token's lineage record; NotFoundError if it does not exist."""
        try:
            raw = self.contract.functions.lineageOf(token_id).call(block_identifier=block)
        except _REVERTED as exc:
            raise NotFoundError(f"token {token_id} does not exist") from exc
        return Lineage(*(int(v) for v in raw))

    @_guard
    def owner_of(self, token_id: int, block: BlockIdentifier = "latest") -> str:
        """The token's owner (checksummed); NotFoundError if it does not exist."""
        try:
            return str(self.contract.functions.ownerOf(token_id).call(block_identifier=block))
        except _REVERTED as exc:
            raise NotFoundError(f"token {token_id} does not exist") from exc

    @_guard
    def fusion_offer(self, token_id: int, block: BlockIdentifier = "latest") -> tuple[str, int]:
        """(fuser, price in wei) of the owner's current fusion offer on ``token_id``.

        The zero address with a price is an offer to anyone; (zero address, 0) is no offer.
        NotFoundError if the token does not exist.
        """
        try:
            fuser, price = self.contract.functions.fusionOffer(token_id).call(block_identifier=block)
        except _REVERTED as exc:
            raise NotFoundError(f"token {token_id} does not exist") from exc
        return str(fuser), int(price)

    @_guard
    def lineages_and_genomes(
        self, lineage_ids: list[int], genome_ids: list[int], block: int
    ) -> tuple[dict[int, Lineage], dict[int, Genome]]:
        """Lineages of ``lineage_ids`` and genomes of ``genome_ids`` as of ``block``, in JSON-RPC batches
        (offchain/chain/batch_calls.py); NotFoundError if one of the tokens does not exist."""
        abi = self._abi if self._abi is not None else latentkin_abi()
        lineage_of, genome_of = ContractFunction(abi, "lineageOf"), ContractFunction(abi, "genomeOf")
        calls = [(lineage_of, (i,)) for i in lineage_ids] + [(genome_of, (i,)) for i in genome_ids]
        try:
            results = call_many(self.w3, self.contract.address, calls, block)
        except _REVERTED as exc:  # eth-tester raises where a node answers an error
            raise NotFoundError(f"a token of {lineage_ids + genome_ids} does not exist at block {block}") from exc
        lineages = {i: Lineage(*(int(v) for v in r[0])) for i, r in zip(lineage_ids, results, strict=False)}
        genomes = {
            i: Genome(int(r[0]), int(r[1])) for i, r in zip(genome_ids, results[len(lineage_ids) :], strict=True)
        }
        return lineages, genomes

    @_guard
    def last_token_id(self) -> int:
        """The highest id handed out so far, to a token or to a pending request (``lastTokenId``)."""
        return int(self.contract.functions.lastTokenId().call())

    @_guard
    def block_timestamp(self, number: BlockIdentifier = "latest") -> int:
        """Unix time of block ``number``."""
        return int(self.w3.eth.get_block(number)["timestamp"])

    @_guard
    def mint_terms(self) -> tuple[int, int, int, int]:
        """(public mint price in wei, public mint cap, public mints so far, fusion fee in wei)."""
        f = self.contract.functions
        return (
            int(f.publicMintPrice().call()),
            int(f.publicMintCap().call()),
            int(f.publicMinted().call()),
            int(f.fusionFee().call()),
        )

    @_guard
    def renderer_hash(self, block: BlockIdentifier = "latest") -> bytes:
        """The contract's ``rendererHash`` (32 bytes)."""
        return bytes(self.contract.functions.rendererHash().call(block_identifier=block))

    @_guard
    def name(self) -> str:
        """The collection's ERC-721 name."""
        return str(self.contract.functions.name().call())

    @_guard
    def fusion_outcome(self, x: Genome, y: Genome, seed: int, mode: FusionMode = FusionMode.CROSSOVER) -> Genome:
        """The contract's own fusion rule of ``mode`` (pure view), for checking the Python one."""
        rule = (
            self.contract.functions.blendOutcome if mode == FusionMode.BLEND else self.contract.functions.fusionOutcome
        )
        code, attrs = rule(x.code, x.attrs, y.code, y.attrs, seed).call()
        return Genome(int(code), int(attrs))


# Public names for the other chain readers (offchain/market/seaport.py): the same guard and revert types.
chain_call = _guard
REVERTED = _REVERTED
