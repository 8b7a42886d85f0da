"""Follow the contract's events into the database: tokens, owners, genomes, lineage, seeds, offers, fusion modes;
and, through a :class:`offchain.market.follower.MarketFollower`, Seaport's sales and the order book's retirements.

One :meth:`Indexer.step` reads at most ``batch_blocks`` confirmed blocks and commits them in one
transaction, so a crash at any point resumes from the last committed block. Before each step the
newest stored block hashes are compared with the chain; on a mismatch the index rolls back to the
newest block both still agree on (the fork point) and reads forward again.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from offchain.chain.reader import ChainEvent, ChainReader
from offchain.errors import ChainUnavailableError, DeploymentNotFoundError
from offchain.index.bulk_apply import apply_facts, read_facts
from offchain.market.follower import MarketFollower
from offchain.store.models import ZERO_ADDRESS, Checkpoint, Event, State, Token

log = logging.getLogger("latentkin.indexer")

CHECKPOINTS_KEPT = 256
CHECKPOINTS_VERIFIED = 3
# What a token row holds: "2" added fusion offers, "3" the fusion mode, "4" completers, "5" the market's sales
# beside them (older rows are backfilled: offers and modes from the chain, completers from the stored events,
# past sales from Seaport's logs).
ROW_VERSION = "5"
RETRY_CHECK = 0.1  # seconds between looks at retry_now() while backing off


@dataclass(slots=True)
class IndexerStatus:
    """What /healthz shows about the indexer."""

    cursor: int | None = None
    head: int | None = None
    running: bool = False
    reorgs: int = 0
    last_error: str | None = None
    superseded: str | None = None  # why the index is kept though the chain no longer holds it (a reset)
    version: int = 0  # bumped on every commit; lets readers drop cached responses


@dataclass(slots=True)
class StepResult:
    """What one step did."""

    from_block: int
    to_block: int
    events: int
    rolled_back_to: int | None = None
    tokens: set[int] = field(default_factory=set)


def get_state(session: Session, key: str) -> str | None:
    """A value of the key/value state table, or None."""
    row = session.get(State, key)
    return row.value if row else None


def set_state(session: Session, key: str, value: str) -> None:
    """Insert or update a state value (flushed with the session)."""
    row = session.get(State, key)
    if row is None:
        session.add(State(key=key, value=value))
    else:
        row.value = value


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, tuple)):  # Seaport's item arrays
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class Indexer:
    """Incremental, reorg-safe indexer of one LatentKin deployment."""

    def __init__(
        self,
        chain: ChainReader,
        sessions: sessionmaker[Session],
        *,
        confirmations: int = 2,
        batch_blocks: int = 2000,
        market: MarketFollower | None = None,
    ) -> None:
        self.chain = chain
        self.market = market
        self.sessions = sessions
        self.confirmations = confirmations
        self.batch_blocks = batch_blocks
        self.status = IndexerStatus()
        self._identity: str | None = None
        self._retry = threading.Event()  # cuts run()'s backoff short
        self._attempted = threading.Event()  # set after each of run()'s attempts

    # -- public loop --------------------------------------------------------------------------
    def step(self) -> StepResult | None:
        """Index the next batch of confirmed blocks; None when already up to date."""
        with self.sessions() as session:
            cursor = self._ensure_identity(session)
            fork = self._find_fork(session, cursor)
            if fork is not None and fork < self.chain.deployment.block:  # nothing indexed is on the chain now
                return self._replace_chain(session, cursor)
            if fork is not None:
                self._rollback(session, fork)
                session.commit()
                self.status.reorgs += 1
                self.status.cursor = fork
                self.status.version += 1
                return StepResult(fork + 1, fork, 0, rolled_back_to=fork)
            head = self.chain.head()
            self.status.head = head
            target = head - self.confirmations
            self.status.cursor = cursor
            if target <= cursor:
                return None
            to_block = min(target, cursor + self.batch_blocks)
            to_hash = self.chain.block_hash(to_block)
            events = self.chain.events(cursor + 1, to_block)
            trades = self.market.events(cursor + 1, to_block) if self.market else []
            if to_hash is None or self.chain.block_hash(to_block) != to_hash:
                return None  # the chain moved under us; the next step retries
            touched = self._apply(session, events, to_block)
            self._store(session, trades)
            if self.market:
                self.market.apply(session, trades, touched, to_block)
            session.add(Checkpoint(number=to_block, hash=to_hash))
            set_state(session, "cursor", str(to_block))
            self._prune_checkpoints(session)
            session.commit()
        self.status.cursor = to_block
        self.status.version += 1
        return StepResult(cursor + 1, to_block, len(events) + len(trades), tokens=touched)

    def heartbeat(self) -> None:
        """Record in the index that this indexer is alive now (read by a service that does not index)."""
        with self.sessions() as session:
            set_state(session, "heartbeat", f"{time.time():.3f}")
            session.commit()

    def _heartbeat_quietly(self) -> None:
        """A heartbeat while the chain is down (the process is alive); a database error is only logged."""
        try:
            self.heartbeat()
        except Exception:
            log.exception("indexer heartbeat failed")

    def sync(self, max_steps: int = 10_000) -> int:
        """Step until up to date; returns the cursor."""
        for _ in range(max_steps):
            if self.step() is None:
                break
        self.heartbeat()
        return self.status.cursor if self.status.cursor is not None else -1

    def run(self, stop: threading.Event, poll_interval: float = 1.0) -> None:
        """Index until ``stop`` is set, surviving a dead node or a missing deployment."""
        self.status.running = True
        delay = poll_interval
        try:
            while not stop.is_set():
                try:
                    result = self.step()
                    self.heartbeat()  # after the step: a first step may wipe a foreign index, state included
                    self.status.last_error = None
                    delay = poll_interval
                    if result is not None and result.rolled_back_to is None:
                        continue  # more to read: no sleep
                except (ChainUnavailableError, DeploymentNotFoundError) as exc:
                    if self.status.last_error != str(exc):
                        log.warning("indexer waiting: %s", exc)
                    self.status.last_error = str(exc)
                    delay = min(delay * 2, 30 * poll_interval)
                    self._heartbeat_quietly()
                except Exception as exc:
                    log.exception("indexer step failed")
                    self.status.last_error = f"{exc.__class__.__name__}: {exc}"
                    delay = min(delay * 2, 30 * poll_interval)
                finally:
                    self._attempted.set()
                self._pause(stop, delay)
        finally:
            self.status.running = False

    def retry_now(self, timeout: float) -> None:
        """End run()'s backoff (the chain answers again, its last error is stale) and wait up to ``timeout``
        seconds for the attempt that follows to finish."""
        self._attempted.clear()
        self._retry.set()
        self._attempted.wait(timeout)

    def _pause(self, stop: threading.Event, delay: float) -> None:
        """Wait ``delay`` seconds, less if ``stop`` is set or :meth:`retry_now` is called."""
        deadline = time.monotonic() + delay
        while not stop.is_set() and not self._retry.is_set() and (left := deadline - time.monotonic()) > 0:
            stop.wait(min(left, RETRY_CHECK))
        self._retry.clear()

    # -- identity, reorgs ---------------------------------------------------------------------
    def _ensure_identity(self, session: Session) -> int:
        """Wipe the index if it belongs to another chain or contract; return the cursor."""
        deployment = self.chain.deployment
        if self._identity is None:
            self._identity = f"{self.chain.chain_id()}:{deployment.address}"
        identity = self._identity
        cursor = get_state(session, "cursor")
        previous = get_state(session, "identity")
        if previous != identity or cursor is None:
            if cursor is not None:
                log.warning("index belonged to another deployment; starting over for %s", identity)
            self._start_over(session, wipe_market=previous not in (None, identity))  # orders for another market
            return deployment.block - 1
        row_version = get_state(session, "row_version")
        if row_version != ROW_VERSION:
            if row_version is None or int(row_version) < 3:
                self._backfill(session, int(cursor))
            if row_version is None or int(row_version) < 4:
                self._backfill_completers(session)
            if self.market is not None:  # sales before this version
                self.market.backfill(session, deployment.block, int(cursor), self.batch_blocks)
            set_state(session, "row_version", ROW_VERSION)
            session.commit()
        return int(cursor)

    def _start_over(self, session: Session, *, wipe_market: bool) -> None:
        """Forget everything indexed (the market's book and sales too if ``wipe_market``) and read from the
        deployment's block; committed."""
        if wipe_market and self.market is not None:
            self.market.wipe(session)
        self._wipe(session)
        set_state(session, "identity", self._identity or "")
        set_state(session, "cursor", str(self.chain.deployment.block - 1))
        set_state(session, "row_version", ROW_VERSION)
        session.commit()

    def _replace_chain(self, session: Session, cursor: int) -> StepResult | None:
        """No indexed block is on the chain any more: it was reset (or reorganised past every checkpoint).

        Until the chain holds the contract again, the index stays as it was, readable and marked superseded
        (state ``superseded``: /healthz and the ``X-Index-Superseded`` header of every answer say so). Once
        the contract answers on the new chain, everything is dropped, the market's book and sales included
        (none of them happened on this chain), and the index is read again from the deployment's block.
        """
        if not self.chain.contract_deployed() or self.chain.head() < self.chain.deployment.block:
            if get_state(session, "superseded") is None:
                log.warning("the chain no longer holds block %d as indexed: index kept, marked superseded", cursor)
                set_state(
                    session,
                    "superseded",
                    f"the chain was reset at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}: "
                    f"this index of blocks up to {cursor} is kept until the contract is back on the new chain",
                )
                session.commit()
                self.status.version += 1
            self.status.superseded = get_state(session, "superseded")
            return None
        log.warning("the chain was replaced: re-indexing from block %d, market included", self.chain.deployment.block)
        self._start_over(session, wipe_market=True)
        fork = self.chain.deployment.block - 1
        self.status.reorgs += 1
        self.status.cursor, self.status.superseded = fork, None
        self.status.version += 1
        return StepResult(fork + 1, fork, 0, rolled_back_to=fork)

    def _backfill(self, session: Session, block: int) -> None:
        """Read what older versions did not keep (fusion offers, fusion modes) for every indexed token
        as of ``block``; everything stored stays as it is."""
        tokens = session.scalars(select(Token)).all()
        log.warning("reading offers and fusion modes of %d indexed tokens (index from an older version)", len(tokens))
        for token in tokens:
            self._read_offer(token, block)
            if token.parent_a and token.parent_b:
                token.fusion_mode = self.chain.lineage_of(token.id, block).mode
            token.updated_block = max(token.updated_block, block)  # a reorg below ``block`` re-reads it

    def _backfill_completers(self, session: Session) -> None:
        """Fill in who completed each token's request from the stored Fused / PublicMinted events (an index
        from before completers)."""
        for event in session.scalars(select(Event).where(Event.name.in_(("Fused", "PublicMinted")))):
            args = json.loads(event.args)
            token = session.get(Token, int(args["childId"] if event.name == "Fused" else args["tokenId"]))
            if token is not None and args.get("completer"):
                token.completer = args["completer"]

    def _find_fork(self, session: Session, cursor: int) -> int | None:
        """None if the newest checkpoints still match the chain, else the block to roll back to."""
        newest = session.scalars(
            select(Checkpoint).order_by(Checkpoint.number.desc()).limit(CHECKPOINTS_VERIFIED)
        ).all()
        if all(self.chain.block_hash(c.number) == c.hash for c in newest):
            return None
        for checkpoint in session.scalars(select(Checkpoint).order_by(Checkpoint.number.desc())):
            if self.chain.block_hash(checkpoint.number) == checkpoint.hash:
                log.warning("reorg: rolling back from block %d to %d", cursor, checkpoint.number)
                return checkpoint.number
        start = self.chain.deployment.block - 1
        log.warning("reorg deeper than every checkpoint: re-indexing from block %d", start + 1)
        return start

    def _rollback(self, session: Session, fork: int) -> None:
        """Forget everything after block ``fork`` and re-read touched tokens as of ``fork``."""
        session.execute(delete(Event).where(Event.block_number > fork))
        if self.market is not None:
            self.market.rollback(session, fork)
        session.execute(delete(Token).where(Token.minted_block > fork))
        session.execute(delete(Checkpoint).where(Checkpoint.number > fork))
        for token in session.scalars(select(Token).where(Token.updated_block > fork)):
            self._refresh(session, token.id, fork, token)
        set_state(session, "renderer_hash", "0x" + self.chain.renderer_hash(fork).hex())
        set_state(session, "cursor", str(fork))

    def _wipe(self, session: Session) -> None:
        for table in (Event, Token, Checkpoint, State):
            session.execute(delete(table))

    def _prune_checkpoints(self, session: Session) -> None:
        keep = select(Checkpoint.number).order_by(Checkpoint.number.desc()).limit(CHECKPOINTS_KEPT)
        session.execute(delete(Checkpoint).where(Checkpoint.number.not_in(keep)))

    # -- applying events ----------------------------------------------------------------------
    def _apply(self, session: Session, events: list[ChainEvent], block: int) -> set[int]:
        """Store events and bring every token they touch up to ``block`` (offchain/index/bulk_apply.py)."""
        self._store(session, events)
        facts = read_facts(events)
        if facts.renderer_hash is not None:
            set_state(session, "renderer_hash", facts.renderer_hash)
        apply_facts(session, self.chain, facts, block)
        return facts.touched

    def _store(self, session: Session, events: list[ChainEvent]) -> None:
        """Keep the decoded logs (history; rolled back with the blocks they came from), in one statement."""
        rows = [
            dict(
                block_number=ev.block_number,
                block_hash=ev.block_hash,
                log_index=ev.log_index,
                tx_hash=ev.tx_hash,
                name=ev.name,
                args=json.dumps({k: _jsonable(v) for k, v in ev.args.items()}),
            )
            for ev in events
        ]
        for start in range(0, len(rows), 5000):
            session.execute(insert(Event), rows[start : start + 5000])

    def _refresh(
        self, session: Session, token_id: int, block: int, token: Token | None, minted_block: int | None = None
    ) -> Token:
        """Read owner and lineage (and the genome, once) of a token as of ``block``."""
        lineage = self.chain.lineage_of(token_id, block)
        owner = self.chain.owner_of(token_id, block)
        if token is None:
            genome = self.chain.genome_of(token_id, block)
            token = Token(id=token_id, genome=genome.to_hex(), minted_block=minted_block or block)
            session.add(token)
        token.owner = owner
        token.parent_a, token.parent_b = lineage.parent_a, lineage.parent_b
        token.generation, token.fusion_count = lineage.generation, lineage.fusion_count
        token.cooldown_until = lineage.cooldown_until
        token.fusion_mode = lineage.mode if lineage.parent_a and lineage.parent_b else None
        token.updated_block = block
        self._read_offer(token, block)
        return token

    def _read_offer(self, token: Token, block: int) -> None:
        """Store the current owner's fusion offer on ``token`` as of ``block`` (NULLs: none)."""
        fuser, price = self.chain.fusion_offer(token.id, block)
        offered = price > 0 or fuser != ZERO_ADDRESS
        token.offer_fuser = fuser if offered else None
        token.offer_price = str(price) if offered else None
