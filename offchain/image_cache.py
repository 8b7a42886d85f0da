"""Rendered PNGs on disk, keyed by (genome, renderer hash, size), with a small in-memory LRU on top.

An image never changes for a given key, so the ETag is derived from the key alone and a
conditional request can be answered without touching the disk.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from cachetools import LRUCache

from latentkin_core.genome import Genome


@dataclass(frozen=True, slots=True)
class ImageKey:
    """What an image is a pure function of."""

    genome: Genome
    renderer_hash: bytes
    size: int

    @property
    def etag(self) -> str:
        """Strong ETag (quoted) naming this exact image."""
        return f'"{self.renderer_hash.hex()[:16]}-{self.size}-{self.genome.to_hex()}"'

    def relative_path(self) -> Path:
        """``<renderer hash>/<size>/<genome hex>.png``."""
        return Path(self.renderer_hash.hex()) / str(self.size) / f"{self.genome.to_hex()}.png"


class ImageCache:
    """Disk cache (atomic writes, survives restarts) plus a byte-bounded in-memory LRU."""

    def __init__(self, directory: Path, memory_bytes: int = 32 * 1024 * 1024) -> None:
        self.directory = Path(directory)
        self.memory_bytes = memory_bytes
        self._memory: LRUCache[ImageKey, bytes] = LRUCache(memory_bytes, getsizeof=len)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def path(self, key: ImageKey) -> Path:
        """Where ``key``'s PNG lives on disk."""
        return self.directory / key.relative_path()

    def get(self, key: ImageKey) -> bytes | None:
        """The cached PNG, or None."""
        with self._lock:
            data = self._memory.get(key)
            if data is not None:
                self.hits += 1
                return data
        try:
            data = self.path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        self._remember(key, data)
        return data

    def put(self, key: ImageKey, data: bytes) -> None:
        """Store a PNG (atomically: a reader never sees half a file)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._remember(key, data)

    def _remember(self, key: ImageKey, data: bytes) -> None:
        if len(data) > self.memory_bytes:
            return
        with self._lock:
            if key not in self._memory:
                self._memory[key] = data  # evicts the least recently used beyond memory_bytes
