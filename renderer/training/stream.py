"""An endless, reproducible stream of (reference portrait, trait values, code genes) batches for training.

Batch ``k`` of a stream with ``seed`` is a pure function of ``(seed, k)``: its genomes come from a hash
of both, its pictures from :func:`renderer.portrait.draw.draw_portrait`. No batch repeats, so a
generator cannot learn the corpus by heart, and a resumed run continues with exactly the batches it
would have seen. Pictures are drawn by ``workers`` processes a few batches ahead of the trainer.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections import deque
from dataclasses import dataclass

import numpy as np

from renderer.portrait.draw import reference_portraits
from renderer.table import Table

STREAM_VERSION = 3
GENES, TRAITS = 64, 8


@dataclass(frozen=True, slots=True)
class Batch:
    """Reference portraits (B, H, W, 3) uint8, trait value indices (B, 8) int64, code genes (B, 64) uint8."""

    images: np.ndarray
    values: np.ndarray
    genes: np.ndarray


def batch_genomes(seed: int, k: int, size: int, table: Table) -> tuple[np.ndarray, np.ndarray]:
    """(genes (size, 64) uint8, trait values (size, 8) int64) of batch k: uniform nibbles, values via the table."""
    digest = hashlib.sha256(f"latentkin-stream-v{STREAM_VERSION}:{seed}:{k}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    genes = rng.integers(0, 16, size=(size, GENES), dtype=np.uint8)
    mains = rng.integers(0, 16, size=(size, TRAITS))
    values = np.stack([table.nibble_to_value[i, mains[:, i]] for i in range(TRAITS)], axis=1).astype(np.int64)
    return genes, values


def _draw_batch(job: tuple[np.ndarray, np.ndarray, int]) -> np.ndarray:
    return reference_portraits(*job)


class PortraitStream:
    """Batches k, k+1, ... of the stream (``next_batch``), drawn ``ahead`` batches in advance."""

    def __init__(self, seed: int, batch: int, px: int, table: Table, start: int = 0, workers: int = 1, ahead: int = 3):
        self.seed, self.batch, self.px, self.table = seed, batch, px, table
        self.position = start  # the index of the next batch next_batch returns
        self._pool = mp.get_context("spawn").Pool(workers) if workers > 0 else None
        self._queue: deque = deque()
        self._ahead = ahead

    def _submit(self, k: int) -> None:
        genes, values = batch_genomes(self.seed, k, self.batch, self.table)
        job = (genes, values, self.px)
        pending = self._pool.apply_async(_draw_batch, (job,)) if self._pool else None
        self._queue.append((genes, values, pending if pending else _draw_batch(job)))

    def next_batch(self) -> Batch:
        """Batch ``position`` of the stream; then position moves on by one."""
        while len(self._queue) < 1 + self._ahead:
            self._submit(self.position + len(self._queue))
        genes, values, images = self._queue.popleft()
        self.position += 1
        return Batch(images.get() if hasattr(images, "get") else images, values, genes)

    def close(self) -> None:
        """Stop the drawing processes."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
