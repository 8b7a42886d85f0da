"""Every renderer a service draws with, each by its renderer hash, and which one is active.

A collection pins its renderer on chain (``rendererHash``). The service loads several (the
shipped v1 and v2 weights, or the configured ones) and serves:

* the *active* renderer, the one whose hash the contract holds (the default one while the
  contract's hash is unknown or names none loaded), for token images and previews;
* any loaded renderer by hash prefix (``?v=``), so an image URL that names its renderer keeps
  drawing the same picture after the collection switches: ``/genomes/{hex}/image.png?v=...``
  is a pure function of (genome, renderer, size).

Each renderer has its own render pool. Sizes above ``MAX_UPSCALE`` x a renderer's native size
are refused: a picture is never stretched more than 4x.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from offchain.errors import InvalidRequestError, NotFoundError
from offchain.render.pool import Renderer, RenderPool
from renderer.table import GeneRole

MAX_UPSCALE = 4
MIN_PREFIX = 8  # hex digits of a renderer hash that name it in a URL


@dataclass
class LoadedRenderer:
    """A renderer, its hash and its render pool."""

    renderer: Renderer
    hash: bytes
    pool: RenderPool

    @property
    def native_size(self) -> int:
        """Side of the pictures it draws, in pixels."""
        return self.renderer.native_size

    @property
    def gene_roles(self) -> tuple[GeneRole, ...]:
        """What each code gene drives in this renderer's pictures: the gene map of its correspondence
        table (table v2 on), or none (v1 and v2 generators, or a renderer without a table)."""
        table = getattr(self.renderer, "table", None)
        return tuple(getattr(table, "genes", ()))

    def sizes(self, offered: list[int]) -> list[int]:
        """The offered sizes this renderer serves (at most MAX_UPSCALE x its native size)."""
        return [s for s in offered if s <= MAX_UPSCALE * self.native_size]

    def check_size(self, size: int) -> None:
        """Refuse (422) a size that would stretch this renderer's picture more than MAX_UPSCALE x."""
        if size > MAX_UPSCALE * self.native_size:
            error = InvalidRequestError(
                f"this renderer draws {self.native_size} px pictures and serves at most "
                f"{MAX_UPSCALE * self.native_size} px, got size {size}"
            )
            error.loc = ["query", "size"]
            raise error


class RendererSet:
    """Loaded renderers by hash; ``default`` serves until the contract names a loaded one."""

    def __init__(self, loaded: list[LoadedRenderer], default: bytes):
        self.by_hash = {entry.hash: entry for entry in loaded}
        if default not in self.by_hash:
            raise ValueError("the default renderer must be one of the loaded ones")
        self.default = default
        self.active_hash = default

    def follow(self, contract_hash: bytes | None) -> LoadedRenderer:
        """Make the contract's renderer active when it is loaded (else the default); return it."""
        self.active_hash = contract_hash if contract_hash in self.by_hash else self.default
        return self.active

    @property
    def active(self) -> LoadedRenderer:
        """The renderer token images and previews are drawn with."""
        return self.by_hash[self.active_hash]

    def select(self, prefix: str | None) -> LoadedRenderer:
        """The renderer a ``?v=`` hash prefix names (the active one for None); 404 if none or ambiguous."""
        if prefix is None or prefix == "":
            return self.active
        prefix = prefix.lower()
        matches = [entry for h, entry in self.by_hash.items() if h.hex().startswith(prefix)]
        if len(prefix) < MIN_PREFIX or len(matches) != 1:
            raise NotFoundError(
                f"no renderer with hash 0x{prefix}… is served here "
                f"(loaded: {', '.join('0x' + h.hex()[:16] for h in self.by_hash)})"
            )
        return matches[0]

    def __iter__(self) -> Iterator[LoadedRenderer]:
        return iter(self.by_hash.values())

    def start(self) -> None:
        """Start every render pool."""
        for entry in self:
            entry.pool.start()

    def close(self) -> None:
        """Stop every pool and renderer (rendering again restarts their workers)."""
        for entry in self:
            entry.pool.close()
            entry.renderer.close()
