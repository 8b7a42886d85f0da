"""Token lookups for the API: index first (cached per index version), chain for what is not indexed.

Everything here is blocking (database, RPC); the API calls it through a thread pool, except the
in-memory cache hit, which is answered on the event loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from cachetools import LRUCache

from latentkin_core.genome import Genome
from offchain.api.services import Services
from offchain.errors import NotFoundError, PendingTokenError
from offchain.store.queries import indexed_token
from offchain.token.info import TokenInfo
from offchain.token.metadata import TokenMetadata, genome_image_url, token_metadata

CACHE_ENTRIES = 4096
GENOME_ENTRIES = 1_000_000  # 40 bytes of genome and a few objects each: ~200 MB at the most
EXTERNAL_INDEX_TTL = 2.0  # seconds a memo lives when another process (`latentkin index`) indexes


class Catalog:
    """Token info and metadata JSON, memoised until the indexer commits again."""

    def __init__(self, services: Services, clock: Callable[[], float] = time.monotonic) -> None:
        self.services = services
        self.clock = clock  # seconds, for the memo's lifetime under an external indexer
        self._metadata: LRUCache[int, tuple[tuple[int, bytes | None], bytes]] = LRUCache(CACHE_ENTRIES)
        self._genomes: LRUCache[int, Genome] = LRUCache(GENOME_ENTRIES)
        self._genomes_epoch = 0
        self._lock = threading.Lock()

    def _version(self) -> tuple[int, bytes | None]:
        """Changes whenever the index may have changed (on every commit of the in-service indexer,
        or every couple of seconds when another process indexes) or another renderer became active."""
        if self.services.settings.index_in_service:
            return self.services.indexer.status.version, self.services.renderer_hash
        return -int(self.clock() // EXTERNAL_INDEX_TTL), self.services.renderer_hash

    def _epoch(self) -> int:
        """Changes after a reorg (or, with an external indexer, every minute)."""
        if self.services.settings.index_in_service:
            return self.services.indexer.status.reorgs
        return -int(self.clock() // 60)

    def cached_metadata(self, token_id: int) -> bytes | None:
        """Metadata JSON from memory if still current, else None (cheap, non-blocking)."""
        version = self._version()
        with self._lock:
            hit = self._metadata.get(token_id)  # a hit counts as a use (least recently used goes first)
        return hit[1] if hit is not None and hit[0] == version else None

    def cached_genome(self, token_id: int) -> Genome | None:
        """A token's genome if seen before (genomes never change; a reorg clears the memo)."""
        epoch = self._epoch()
        with self._lock:
            if self._genomes_epoch != epoch:
                self._genomes.clear()
                self._genomes_epoch = epoch
            return self._genomes.get(token_id)

    def genome(self, token_id: int) -> Genome:
        """A token's genome (blocking on a memo miss)."""
        genome = self.cached_genome(token_id)
        if genome is None:
            info, indexed = self.token(token_id)
            genome = info.genome
            if indexed:
                with self._lock:
                    self._genomes[token_id] = genome
        return genome

    def token(self, token_id: int) -> tuple[TokenInfo, bool]:
        """(info, indexed): from the index, else live from the chain (NotFound / ChainUnavailable)."""
        with self.services.sessions() as session:
            info = indexed_token(session, token_id)
        if info is not None:
            return info, True
        try:
            return self.services.chain.token(token_id), False
        except NotFoundError:
            last = self.services.chain.last_token_id()
            if token_id <= last:
                raise PendingTokenError(
                    f"token {token_id} is a request waiting to be completed: it exists once someone completes it"
                ) from None
            raise NotFoundError(f"token {token_id} does not exist: the last id handed out is {last}") from None

    def metadata(self, token_id: int) -> bytes:
        """Metadata JSON of a token (blocking on a cache miss)."""
        version = self._version()
        info, indexed = self.token(token_id)
        body = self.document(info).model_dump_json().encode()
        if indexed:
            with self._lock:
                self._metadata[token_id] = (version, body)
        return body

    def document(self, info: TokenInfo) -> TokenMetadata:
        """The metadata of ``info`` with this service's URLs and image version."""
        settings = self.services.settings
        doc = token_metadata(info, self.services.table, settings.public_base_url, settings.image_default_size)
        if self.services.renderer_hash is not None:  # content-addressed: marketplaces may cache it for ever
            doc.image = genome_image_url(
                settings.public_base_url, info.genome, settings.image_default_size, self.services.renderer_hash
            )
        return doc
