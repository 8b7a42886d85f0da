"""The service's long-lived parts, built once from Settings: database, chain reader, indexer thread,
renderer, render pool, image cache and metrics. The API reaches them through offchain/api/deps.py.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3

from latentkin_core.errors import LatentkinError
from offchain.api.metrics import Metrics
from offchain.api.order_queue import INDEXER_SHARE, MULTICALLS, OrderQueue
from offchain.api.renderer_follower import follow_renderer
from offchain.chain.keeper import Keeper
from offchain.chain.reader import ChainReader
from offchain.errors import ChainUnavailableError, DeploymentNotFoundError, MarketNotDeployedError
from offchain.index.indexer import Indexer, IndexerStatus, get_state
from offchain.market.book_writer import BookWriter
from offchain.market.follower import MarketFollower
from offchain.market.seaport import MarketChain
from offchain.render.image_cache import ImageCache
from offchain.render.pool import Renderer, RenderPool
from offchain.render.renderer_set import LoadedRenderer, RendererSet
from offchain.settings import Settings
from offchain.store.db import make_engine, make_sessionmaker
from offchain.token.metadata import TraitTable
from renderer.table import load_table

log = logging.getLogger("latentkin.service")

RENDERER_FOLLOW_INTERVAL = 1.0  # seconds between looks at the indexed renderer hash (offchain/api/renderer_follower.py)
RENDERER_HASH_TTL = 15.0  # seconds the contract's rendererHash is trusted before re-reading


@dataclass
class RendererCheck:
    """The service's renderer hash against the contract's (None = not known yet)."""

    local: bytes | None
    contract: bytes | None = None
    checked_at: float = 0.0
    error: str | None = None

    @property
    def match(self) -> bool | None:
        """True/False once both hashes are known."""
        if self.local is None or self.contract is None:
            return None
        return self.local == self.contract


SUPERSEDED_TTL = 1.0  # seconds an answer may carry a stale X-Index-Superseded header


@dataclass
class Services:
    """Everything a request handler may need, with start/close for the lifespan."""

    settings: Settings
    chain: ChainReader
    market: MarketChain
    sessions: sessionmaker[Session]
    engine: Engine
    indexer: Indexer
    cache: ImageCache
    metrics: Metrics
    table: TraitTable
    renderers: RendererSet | None = None
    renderer_error: str | None = None
    renderer_check: RendererCheck = field(default_factory=lambda: RendererCheck(None))
    keeper: Keeper | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _keeper_thread: threading.Thread | None = None
    _renderer_thread: threading.Thread | None = None
    order_queue: OrderQueue = field(default_factory=OrderQueue)
    book_writer: BookWriter = field(init=False)  # accepted orders go to the book through it (routers/orders.py)
    _superseded: tuple[float, str | None] = (float("-inf"), None)  # (read at, monotonic; value)

    def __post_init__(self) -> None:
        self.book_writer = BookWriter(self.sessions)

    @property
    def renderer(self) -> Renderer | None:
        """The active renderer (the one the contract pins, when loaded), None if none loaded."""
        return self.renderers.active.renderer if self.renderers else None

    @property
    def pool(self) -> RenderPool | None:
        """The active renderer's render pool."""
        return self.renderers.active.pool if self.renderers else None

    @property
    def renderer_hash(self) -> bytes | None:
        """Hash of the active renderer (weights + correspondence table), None if none loaded."""
        return self.renderers.active.hash if self.renderers else None

    def image_sizes(self) -> list[int]:
        """The offered sizes the active renderer serves (all offered sizes if none is loaded)."""
        offered = self.settings.image_sizes
        return self.renderers.active.sizes(offered) if self.renderers else offered

    def superseded(self) -> str | None:
        """Why the index is kept though the chain no longer holds it (a reset), or None; re-read at most once a
        second (every answer's ``X-Index-Superseded`` header comes from here)."""
        read_at, value = self._superseded
        if time.monotonic() - read_at > SUPERSEDED_TTL:
            try:
                with self.sessions() as session:
                    value = get_state(session, "superseded")
            except SQLAlchemyError:  # the database is away: the answer it would mark fails on its own
                log.warning("could not read the index's superseded mark", exc_info=True)
            self._superseded = (time.monotonic(), value)
        return value

    def indexer_status(self) -> IndexerStatus:
        """The in-service indexer's status, or (indexer in another process) its cursor from the DB."""
        if self.settings.index_in_service:
            self.indexer.status.superseded = self.superseded()
            return self.indexer.status
        with self.sessions() as session:
            cursor, beat = get_state(session, "cursor"), get_state(session, "heartbeat")
        status = IndexerStatus(cursor=int(cursor) if cursor is not None else None, superseded=self.superseded())
        silent = time.time() - float(beat) if beat is not None else None
        status.running = silent is not None and silent <= self.settings.indexer_stale_after
        if cursor is None:
            status.last_error = "no index yet (is `latentkin index` running?)"
        elif not status.running:
            status.last_error = (
                f"the indexer process has not reported for {silent:.0f} s (is `latentkin index` running?)"
                if silent is not None
                else "no indexer has reported yet"
            )
        return status

    def start(self) -> None:
        """Check the market's wiring, then start the render pool and (unless disabled) the indexer thread."""
        self.check_market()
        if self.renderers is not None:
            self.renderers.start()
        self._stop = threading.Event()
        if self.settings.index_in_service:
            self._thread = threading.Thread(
                target=self.indexer.run, name="indexer", daemon=True, args=(self._stop, self.settings.poll_interval)
            )
            self._thread.start()
        if self.keeper is not None:
            self._keeper_thread = threading.Thread(
                target=self.keeper.run, name="keeper", daemon=True, args=(self._stop, self.settings.poll_interval)
            )
            self._keeper_thread.start()
        self.check_renderer_hash(force=True)
        if self.renderers is not None:
            self._renderer_thread = threading.Thread(
                target=follow_renderer,
                name="renderer-follower",
                daemon=True,
                args=(
                    self.sessions,
                    lambda: self.renderer_check.contract,
                    lambda: self.check_renderer_hash(force=True),
                    self._stop,
                    RENDERER_FOLLOW_INTERVAL,
                ),
            )
            self._renderer_thread.start()

    def check_market(self) -> None:
        """Refuse to serve a market whose configured contracts do not belong together (MarketConfigError, raised
        out of start-up); a chain without a market, or one unreachable now, is logged and served as it is."""
        try:
            self.market.check_wiring()
        except (MarketNotDeployedError, DeploymentNotFoundError, ChainUnavailableError) as exc:
            log.info("market wiring not checked: %s", exc)

    def close(self) -> None:
        """Stop the indexer, the pool and the renderer's workers, release the database."""
        self._stop.set()
        for thread in (self._thread, self._keeper_thread, self._renderer_thread):
            if thread is not None:
                thread.join(10)
        if self.renderers is not None:
            self.renderers.close()  # rendering again later restarts the renderers' workers
        self.order_queue.close()
        self.engine.dispose()

    def check_renderer_hash(self, force: bool = False) -> RendererCheck:
        """Read the contract's ``rendererHash`` (cached for a while), make the renderer it names
        active when it is loaded, and compare."""
        check = self.renderer_check
        if not force and time.monotonic() - check.checked_at < RENDERER_HASH_TTL:
            return check
        check.checked_at = time.monotonic()
        try:
            previous, check.contract = check.contract, self.chain.renderer_hash()
            check.error = None
        except (ChainUnavailableError, DeploymentNotFoundError) as exc:
            check.error = str(exc)
            return check
        if self.renderers is not None:
            check.local = self.renderers.follow(check.contract).hash
        if check.match is False and check.local and check.contract and (force or previous != check.contract):
            log.error(
                "!" * 72 + "\n RENDERER HASH MISMATCH: service renders with 0x%s but the "
                "contract says 0x%s.\n Images served here are not the ones the chain "
                "commits to.\n" + "!" * 72,
                check.local.hex(),
                check.contract.hex(),
            )
        return check


def load_renderer(settings: Settings) -> tuple[Renderer | None, str | None]:
    """(renderer, error): the default renderer (``renderer_path``, else the shipped default, v2), or None
    and why it did not load.

    torch is imported here and in :func:`load_extra_renderers`, not at module level, so the
    service's modules import without it (a service built with injected renderers never loads torch).
    """
    try:
        from renderer.render import Renderer as TorchRenderer

        return TorchRenderer.load(settings.renderer_path, workers=settings.render_threads), None
    except (LatentkinError, ImportError, OSError) as exc:
        log.error("renderer not loaded, images will answer 503: %s", exc)
        return None, f"{exc.__class__.__name__}: {exc}"


def load_extra_renderers(settings: Settings) -> list[Renderer]:
    """Every other renderer served by hash: the shipped weights and ``renderer_paths``, except the
    default (``renderer_path``, else the shipped default, v2), which is loaded once already; unloadable ones
    are logged and skipped."""
    try:
        from renderer.render import Renderer as TorchRenderer
        from renderer.weights import DEFAULT_WEIGHTS, SHIPPED_WEIGHTS
    except ImportError as exc:
        log.error("no extra renderers: %s", exc)
        return []
    default = Path(settings.renderer_path or DEFAULT_WEIGHTS).resolve()
    paths = [p for p in [*SHIPPED_WEIGHTS, *settings.renderer_paths] if p.exists() and Path(p).resolve() != default]
    loaded: list[Renderer] = []
    for path in paths:
        try:
            loaded.append(TorchRenderer.load(path, workers=settings.render_threads))
        except LatentkinError as exc:
            log.error("renderer %s not loaded: %s", path, exc)
    return loaded


def market_of(settings: Settings, chain: ChainReader) -> MarketChain:
    """The Seaport market beside the deployment ``chain`` reads (recorded, else from settings / canonical)."""
    return MarketChain(
        chain,
        seaport=settings.seaport_address,
        conduit_controller=settings.conduit_controller_address,
        weth=settings.weth_address,
        zone=settings.zone_address,
        max_multicalls=max(1, min(MULTICALLS, settings.rpc_max_in_flight - INDEXER_SHARE)),
    )


def build_indexer(
    settings: Settings, chain: ChainReader, sessions: sessionmaker[Session], market: MarketChain | None = None
) -> Indexer:
    """The indexer of ``chain``'s deployment and its market, as ``settings`` tune it."""
    return Indexer(
        chain,
        sessions,
        confirmations=settings.confirmations,
        batch_blocks=settings.index_batch_blocks,
        market=MarketFollower(market or market_of(settings, chain)),
    )


def build_services(
    settings: Settings,
    *,
    w3: Web3 | None = None,
    renderer: Renderer | None = None,
    extra_renderers: list[Renderer] | None = None,
    table: TraitTable | None = None,
) -> Services:
    """Wire every part from ``settings``; ``w3``, ``renderer``, ``extra_renderers`` and ``table`` may
    be injected (tests, demo). ``renderer`` is the default one, the extra ones are served by hash
    too; by default the shipped renderers and correspondence table are loaded."""
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    chain = ChainReader.from_settings(settings, w3)
    market = market_of(settings, chain)
    indexer = build_indexer(settings, chain, sessions, market)
    error = None
    if renderer is None:
        renderer, error = load_renderer(settings)
        if extra_renderers is None and renderer is not None:
            extra_renderers = load_extra_renderers(settings)
    services = Services(
        settings=settings,
        chain=chain,
        market=market,
        sessions=sessions,
        engine=engine,
        indexer=indexer,
        cache=ImageCache(settings.cache_dir, settings.image_cache_bytes),
        metrics=Metrics(settings.metrics_dir),
        table=table or load_table(),
        renderer_error=error,
        order_queue=OrderQueue(),
    )
    if settings.keeper_key is not None and settings.keeper_in_service:
        from eth_account import Account

        services.keeper = Keeper(
            chain, Account.from_key(settings.keeper_key.get_secret_value()), batch_blocks=settings.index_batch_blocks
        )
    if renderer is not None:
        loaded: dict[bytes, LoadedRenderer] = {}
        for r in [renderer, *(extra_renderers or [])]:
            digest = bytes(r.renderer_hash())
            if digest in loaded:
                r.close()  # the same weights twice: keep the first
                continue
            loaded[digest] = LoadedRenderer(
                r,
                digest,
                RenderPool(
                    r.render_images,
                    batch_max=settings.render_batch_max,
                    queue_max=settings.render_queue_max,
                    retry_after=settings.retry_after,
                ),
            )
        services.renderers = RendererSet(list(loaded.values()), default=bytes(renderer.renderer_hash()))
        for digest in loaded:
            services.cache.name_version(digest)  # nginx sends drawn images from disk (deploy/nginx.conf)
        services.renderer_check = RendererCheck(services.renderer_hash)
    services.metrics.bind(services)
    return services
