"""Rendered images on disk, keyed by (genome, renderer hash, size, format): bounded in bytes with LRU
eviction, plus a small in-memory LRU on top. PNG is what the renderer draws; WebP is the page's smaller copy
of it (offchain/render/webp.py).

An image never changes for a given key, so the ETag is derived from the key alone and a
conditional request can be answered without touching the disk. Any caller may ask for any genome,
so the disk holds at most ``disk_bytes``: the least recently used files are deleted beyond it.
The LRU order survives restarts: it is rebuilt from the files' access/modification times (a disk
hit touches its file). A failed write (full disk, read-only directory) is logged and counted, and
the image is served anyway. Each process bounds what it has written or seen; several workers on one
directory stay under ``disk_bytes`` each.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from cachetools import LRUCache

from latentkin_core.genome import Genome

log = logging.getLogger("latentkin.image_cache")

ImageFormat = Literal["png", "webp"]
VERSIONS = "by-version"  # <renderer hash prefix> -> ../<renderer hash>, for nginx (see ImageCache.name_version)
VERSION_DIGITS = 16  # the hash prefix in content-addressed URLs (offchain/token/metadata.py: genome_image_url)
FORMATS: tuple[str, ...] = get_args(ImageFormat)


@dataclass(frozen=True, slots=True)
class ImageKey:
    """What an image is a pure function of."""

    genome: Genome
    renderer_hash: bytes
    size: int
    format: ImageFormat = "png"

    @property
    def etag(self) -> str:
        """Strong ETag (quoted) naming this exact image (a PNG's has no format suffix, as before WebP)."""
        suffix = "" if self.format == "png" else f"-{self.format}"
        return f'"{self.renderer_hash.hex()[:16]}-{self.size}-{self.genome.to_hex()}{suffix}"'

    def relative_path(self) -> Path:
        """``<renderer hash>/<size>/<genome hex>.<format>``."""
        return Path(self.renderer_hash.hex()) / str(self.size) / f"{self.genome.to_hex()}.{self.format}"


class DiskIndex(LRUCache["ImageKey", int]):
    """image key -> file size in bytes, bounded by the total; evicting an entry deletes its file
    (cachetools' documented hook: override ``popitem``)."""

    def __init__(self, max_bytes: int, on_evict: Callable[[ImageKey], None]) -> None:
        super().__init__(max_bytes, getsizeof=lambda size: size)
        self._on_evict = on_evict

    def popitem(self) -> tuple[ImageKey, int]:
        """Drop the least recently used file."""
        key, size = super().popitem()
        self._on_evict(key)
        return key, size
        return key, size


class ImageCache:
    """Byte-bounded LRU disk cache (atomic writes, survives restarts) plus a byte-bounded memory LRU."""

    def __init__(self, directory: Path, disk_bytes: int = 1 << 30, memory_bytes: int = 32 * 1024 * 1024) -> None:
        self.directory = Path(directory)
        self.memory_bytes = memory_bytes
        self._memory: LRUCache[ImageKey, bytes] = LRUCache(memory_bytes, getsizeof=len)
        self._disk = DiskIndex(disk_bytes, self._delete)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.evictions = 0
        self.write_errors = 0
        self._scan()

    @property
    def disk_bytes(self) -> int:
        """Bytes of the files this cache holds on disk."""
        return int(self._disk.currsize)

    @property
    def files(self) -> int:
        """Files this cache holds on disk."""
        return len(self._disk)

    def path(self, key: ImageKey) -> Path:
        """Where ``key``'s image lives on disk."""
        return self.directory / key.relative_path()

    def get(self, key: ImageKey) -> bytes | None:
        """The cached image, or None."""
        with self._lock:
            data = self._memory.get(key)
            if data is not None:
                self.hits += 1
                self._disk.get(key)  # a use: the file goes to the fresh end of the disk LRU too
                return data
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            with self._lock:
                self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used, also for the next process that scans the directory
        with self._lock:
            self.hits += 1
            self._track(key, len(data))
        self._remember(key, data)
        return data

    def put(self, key: ImageKey, data: bytes) -> None:
        """Store a image (atomically: a reader never sees half a file). A write that fails (full disk,
        read-only directory) is logged and counted; the image is still remembered in memory."""
        self._remember(key, data)
        if len(data) > self._disk.maxsize:
            return
        target = self.path(key)
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            os.fchmod(fd, 0o644)  # public pictures: nginx (another user) may send the file itself
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except OSError as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            with self._lock:
                self.write_errors += 1
            log.warning("image not cached on disk (%s): %s", exc.__class__.__name__, exc)
            return
        with self._lock:
            self._track(key, len(data))

    def name_version(self, renderer_hash: bytes) -> None:
        """Link ``by-version/<first 16 hex digits>`` to the renderer's directory, so the URLs the metadata hands out
        (``/genomes/<hex>/image.png?size=<n>&v=<16 hex>``) name a file nginx can send by itself (deploy/nginx.conf).
        A failure (read-only directory) is logged: the workers serve those images as before."""
        prefix = renderer_hash.hex()[:VERSION_DIGITS]
        link = self.directory / VERSIONS / prefix
        try:
            if link.is_symlink() and os.readlink(link) == f"../{renderer_hash.hex()}":
                return
            (self.directory / renderer_hash.hex()).mkdir(parents=True, exist_ok=True)
            link.parent.mkdir(exist_ok=True)
            tmp = link.with_name(f"{prefix}.{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(f"../{renderer_hash.hex()}")
            os.replace(tmp, link)  # atomic: several workers may link the same renderer at once
        except OSError as exc:
            log.warning("image directory of renderer %s not linked by version: %s", prefix, exc)

    def _track(self, key: ImageKey, size: int) -> None:
        """Count a file as most recently used (evicting beyond the bound); caller holds the lock."""
        self._disk[key] = size

    def _delete(self, key: ImageKey) -> None:
        self.evictions += 1
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            pass  # another worker evicted it first
        except OSError as exc:
            log.warning("could not evict %s: %s", self.path(key), exc)

    def _scan(self) -> None:
        """Rebuild the LRU order from the files on disk, least recently used first (evicting what
        exceeds the bound now); leftovers of interrupted writes are removed."""
        found = []
        for path in self.directory.glob("*/*/*"):
            try:
                if path.suffix == ".tmp":
                    path.unlink()
                    continue
                st = path.stat()
            except OSError:
                continue
            key = _key_of(path)
            if key is not None:
                found.append((max(st.st_atime, st.st_mtime), key, st.st_size))
        with self._lock:
            for _, key, size in sorted(found, key=lambda entry: entry[0]):
                if size <= self._disk.maxsize:
                    self._track(key, size)

    def _remember(self, key: ImageKey, data: bytes) -> None:
        if len(data) > self.memory_bytes:
            return
        with self._lock:
            if key not in self._memory:
                self._memory[key] = data  # evicts the least recently used beyond memory_bytes


def _key_of(path: Path) -> ImageKey | None:
    """The key of a cached file ``<renderer hash>/<size>/<genome hex>.<format>``, None for anything else."""
    try:
        fmt = path.suffix.removeprefix(".")
        if fmt not in FORMATS:
            return None
        genome = Genome.from_hex(path.stem)
        return ImageKey(genome, bytes.fromhex(path.parent.parent.name), int(path.parent.name), cast(ImageFormat, fmt))
    except (ValueError, LookupError):
        return None
