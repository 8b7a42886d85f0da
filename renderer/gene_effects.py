"""How much each code gene changes a picture: the measure of issue 21's "every gene has a visible say".

For each of ``n`` random genomes and each gene j, the gene's nibble is moved by +8 and by +1 (mod 16)
and the picture drawn again. The change is the largest mean |Δpixel| over the 8 x 8 blocks of the
128 px picture (in 1/255 units), so a change anywhere counts, however small the part. Over the genomes,
a gene is **live** when the median change at +8 is at least ``LIVE_AT`` (12/255), and **smooth** when
its median change at +1 is at most half its median change at +8 (neighbouring nibbles look alike).

Works on any drawing function of (genes (N, 64) uint8, trait values (N, 8) int) -> images (N, H, W, 3)
uint8: the reference portraits and every generator are measured the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from renderer.table import Table
from renderer.vocabulary import TRAIT_SIZES

GENES = 64
LIVE_AT = 12.0  # /255, largest 8x8 block mean change
BLOCK = 8
Draw = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class GeneEffect:
    """Median largest-block change (1/255 units) when gene ``index`` moves by +8 and by +1."""

    index: int
    change_8: float
    change_1: float

    @property
    def live(self) -> bool:
        """True when the +8 change is at least LIVE_AT."""
        return self.change_8 >= LIVE_AT

    @property
    def smooth(self) -> bool:
        """True when the +1 change is at most half the +8 change (and the gene is live)."""
        return self.live and self.change_1 <= 0.5 * self.change_8


def largest_block_change(a: np.ndarray, b: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """(N,) the largest mean |a - b| over ``block`` x ``block`` blocks of images (N, H, W, 3) uint8."""
    n, h, w, c = a.shape
    diff = np.abs(a.astype(np.int16) - b.astype(np.int16)).astype(np.float32)
    blocks = diff[:, : h - h % block, : w - w % block].reshape(n, h // block, block, w // block, block, c)
    return blocks.mean(axis=(2, 4, 5)).reshape(n, -1).max(axis=1)


def random_genomes(n: int, seed: int, table: Table) -> tuple[np.ndarray, np.ndarray]:
    """(genes (n, 64) uint8, trait values (n, 8) int64) of n uniformly random genomes: uniform nibbles,
    trait values through the correspondence table (so common values are common, as on chain)."""
    rng = np.random.default_rng(seed)
    genes = rng.integers(0, 16, size=(n, GENES), dtype=np.uint8)
    mains = rng.integers(0, 16, size=(n, len(TRAIT_SIZES)))
    values = np.stack([table.nibble_to_value[i, mains[:, i]] for i in range(len(TRAIT_SIZES))], axis=1)
    return genes, values


def gene_effects(draw: Draw, genes: np.ndarray, values: np.ndarray, size_check: int = 128) -> list[GeneEffect]:
    """The effect of every gene over the genomes (genes (N, 64), values (N, 8)), pictures from ``draw``."""
    base = draw(genes, values)
    if base.shape[1] != size_check:
        raise ValueError(f"measure on {size_check} px pictures, got {base.shape[1]} px")
    effects = []
    for j in range(GENES):
        medians = []
        for step in (8, 1):
            moved = genes.copy()
            moved[:, j] = (moved[:, j].astype(np.int64) + step) % 16
            medians.append(float(np.median(largest_block_change(base, draw(moved, values)))))
        effects.append(GeneEffect(j, round(medians[0], 2), round(medians[1], 2)))
    return effects


def summary(effects: list[GeneEffect]) -> dict:
    """Counts of live and smooth genes and the per-gene figures, JSON-friendly."""
    return {
        "live": sum(e.live for e in effects),
        "smooth": sum(e.smooth for e in effects),
        "live_at": LIVE_AT,
        "genes": [asdict(e) | {"live": e.live, "smooth": e.smooth} for e in effects],
    }


def at_measure_size(images: np.ndarray, size: int = 128) -> np.ndarray:
    """Images (N, H, W, 3) uint8 resized to ``size`` px (box filter) when they are not already."""
    if images.shape[1] == size:
        return images
    from PIL import Image

    return np.stack([np.asarray(Image.fromarray(im).resize((size, size), Image.Resampling.BOX)) for im in images])


def generator_drawing(render_latents: Callable[[np.ndarray, np.ndarray], np.ndarray], table: Table) -> Draw:
    """A :data:`Draw` of a renderer's ``render_latents`` (z (N, 64) float32, trait indices (N, 8)): genes go
    through the table (fractional genes between their nibbles' values), pictures come back at 128 px."""

    def draw(genes: np.ndarray, values: np.ndarray) -> np.ndarray:
        z = np.interp(genes, np.arange(16), table.gene_values).astype(np.float32)  # fractional genes in between
        return at_measure_size(render_latents(z, values.astype(np.int64)))

    return draw
