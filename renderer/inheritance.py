"""Do children visibly inherit? Code-only distances between a child's picture, its parents' and a stranger's.

For random parent pairs (A, B) and each fusion mode, a child C is fused with a random seed. Every
picture is drawn with A's trait values, so only the 256-bit code differs between them (the traits'
inheritance is the table's business). Per mode this reports, as mean |Δpixel| in 1/255 units:

* ``to_parents``: C's mean distance to A and to B;
* ``to_stranger``: C's distance to a random code R with the same traits, and ``ratio`` = to_parents /
  to_stranger (below 1: a child looks more like its parents than like a stranger);
* ``to_midpoint``: C's distance to the picture of the parents' midpoint code (every gene halfway,
  half nibbles allowed): blend children should sit nearer it than crossover children.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from latentkin_core.genome import FusionMode, Genome, fusion_outcome
from renderer.gene_effects import Draw
from renderer.table import Table


def _mean_abs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a.astype(np.float32) - b.astype(np.float32)).mean(axis=(1, 2, 3))


def inheritance(draw: Draw, table: Table, pairs: int = 64, seed: int = 5) -> dict:
    """Code-only inheritance figures for crossover and blend over ``pairs`` random parent pairs."""
    rng = np.random.default_rng(seed)

    def genome() -> Genome:
        return Genome.from_bytes(rng.integers(0, 256, 40, dtype=np.uint8).tobytes())

    parents = [(genome(), genome()) for _ in range(pairs)]
    values = np.stack([table.trait_indices(a) for a, _ in parents]).astype(np.int64)
    genes_a = np.array([a.genes for a, _ in parents], np.float32)
    genes_b = np.array([b.genes for _, b in parents], np.float32)
    strangers = rng.integers(0, 16, size=(pairs, 64)).astype(np.float32)
    pic_a, pic_b, pic_r = draw(genes_a, values), draw(genes_b, values), draw(strangers, values)
    pic_mid = draw((genes_a + genes_b) / 2, values)
    result: dict[str, Any] = {"pairs": pairs, "parents_apart": round(float(_mean_abs(pic_a, pic_b).mean()), 3)}
    for mode in FusionMode:
        seeds = [int.from_bytes(rng.integers(0, 256, 32, dtype=np.uint8).tobytes(), "big") for _ in parents]
        children = [fusion_outcome(a, b, s, mode) for (a, b), s in zip(parents, seeds, strict=True)]
        child = np.array([c.genes for c in children], np.float32)
        pic_c = draw(child, values)
        to_parents = (_mean_abs(pic_c, pic_a) + _mean_abs(pic_c, pic_b)) / 2
        to_stranger = _mean_abs(pic_c, pic_r)
        result[mode.label] = {
            "to_parents": round(float(to_parents.mean()), 3),
            "to_stranger": round(float(to_stranger.mean()), 3),
            "ratio": round(float(to_parents.mean() / max(to_stranger.mean(), 1e-9)), 3),
            "to_midpoint": round(float(_mean_abs(pic_c, pic_mid).mean()), 3),
        }
    crossover, blend = result["crossover"]["to_midpoint"], result["blend"]["to_midpoint"]
    result["blend_nearer_midpoint_by"] = round((crossover - blend) / crossover, 3) if crossover > 0 else 0.0
    return result
