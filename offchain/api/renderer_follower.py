"""Every worker follows the contract's renderer switch as soon as it is indexed, not only on /healthz.

``setRendererHash`` emits ``RendererHashChanged`` (and ERC-4906 ``BatchMetadataUpdate``); the indexer, in this
process or in ``latentkin index``, writes the new hash to the index's state (``renderer_hash``). Each worker
process runs this loop: once a second it reads that state (one row, no RPC) and, when it differs from the hash
the worker last read from the contract, re-reads the contract and switches renderers at once. Before, a worker
re-read the contract only when its own /healthz was asked after a 15 s cache had run out (issue 25, item 6).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from offchain.index.indexer import get_state

if TYPE_CHECKING:
    from offchain.api.services import Services

log = logging.getLogger("latentkin.service")


def indexed_renderer_hash(services: Services) -> bytes | None:
    """The renderer hash the index last saw the contract emit, or None."""
    with services.sessions() as session:
        value = get_state(session, "renderer_hash")
    return bytes.fromhex(value[2:]) if value else None


def follow_renderer(services: Services, stop: threading.Event, interval: float) -> None:
    """Until ``stop`` is set: switch renderers whenever the indexed hash differs from the contract's last read."""
    while not stop.wait(interval):
        try:
            indexed = indexed_renderer_hash(services)
            if indexed is not None and indexed != services.renderer_check.contract:
                services.check_renderer_hash(force=True)
        except Exception:  # a database or chain hiccup: the next round retries
            log.exception("following the renderer hash failed")
