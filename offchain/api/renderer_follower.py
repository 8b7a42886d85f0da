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
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from offchain.index.indexer import get_state

log = logging.getLogger("latentkin.service")


def indexed_renderer_hash(sessions: sessionmaker[Session]) -> bytes | None:
    """The renderer hash the index last saw the contract emit, or None."""
    with sessions() as session:
        value = get_state(session, "renderer_hash")
    return bytes.fromhex(value[2:]) if value else None


def follow_renderer(
    sessions: sessionmaker[Session],
    last_read: Callable[[], bytes | None],
    switch: Callable[[], Any],
    stop: threading.Event,
    interval: float,
) -> None:
    """Until ``stop`` is set: call ``switch`` (re-read the contract, switch renderers) whenever the indexed hash
    differs from ``last_read()``, the hash the worker last read from the contract."""
    while not stop.wait(interval):
        try:
            indexed = indexed_renderer_hash(sessions)
            if indexed is not None and indexed != last_read():
                switch()
        except Exception:  # a database or chain hiccup: the next round retries
            log.exception("following the renderer hash failed")
