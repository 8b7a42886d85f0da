"""Sampling the fusion rule for many seeds at once, and the statistics that compare samples with exact odds.

:func:`fusion_words` expands seeds into R0..R3 as bytes (keccak, as ``fusion_word``); :func:`sample_children`
is the Python twin (``latentkin_core.genome.fusion_outcome``) written over numpy arrays of those bytes, so
100,000 children take a fraction of a second. A test checks it equals the twin child for child.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from eth_utils import keccak

from latentkin_core.genome import GENES, MAIN_PROBABILITY_THRESHOLD, MUTATION_THRESHOLD, TRAITS, FusionMode, Genome

WORDS = 4


def fusion_words(seeds: Sequence[int]) -> np.ndarray:
    """(N, 4, 32) uint8: ``[:, k, n]`` is byte n (from the least significant) of R_k = keccak(seed, k)."""
    raw = b"".join(keccak(seed.to_bytes(32, "big") + k.to_bytes(32, "big")) for seed in seeds for k in range(WORDS))
    return np.frombuffer(raw, dtype=np.uint8).reshape(len(seeds), WORDS, 32)[:, :, ::-1]


def _bits(word: np.ndarray, first: int, count: int) -> np.ndarray:
    """(N, count) bits first..first+count-1 of a (N, 32) little-endian byte word."""
    n = np.arange(first, first + count)
    return (word[:, n // 8] >> (n % 8)) & 1


def sample_children(x: Genome, y: Genome, words: np.ndarray, mode: FusionMode) -> tuple[np.ndarray, ...]:
    """The children of x and y for every seed's words: genes (N, 64), mains (N, 8), subs (N, 8), and
    whether any mutation byte fired (N,)."""
    r0, r1, r2, r3 = (words[:, k].astype(np.int64) for k in range(WORDS))
    gx, gy = np.array(x.genes), np.array(y.genes)
    pick = _bits(r0, 0, GENES)
    genes = np.where(pick == 1, gy, gx) if mode is FusionMode.CROSSOVER else (gx + gy + pick) >> 1
    m = np.concatenate([r1, r2], axis=1)  # byte j of R1 for j < 32, byte j - 32 of R2 after
    gene_mutated = m < MUTATION_THRESHOLD
    genes = np.where(gene_mutated, genes ^ (1 << (m & 3)), genes)

    xm, xs, ym, ys = (np.array(v) for v in (x.mains, x.subs, y.mains, y.subs))
    sx = np.where(r3[:, 0:8] < MAIN_PROBABILITY_THRESHOLD, xm, xs)
    sy = np.where(r3[:, 8:16] < MAIN_PROBABILITY_THRESHOLD, ym, ys)
    swap = _bits(r0, 64, TRAITS) == 1
    mains, subs = np.where(swap, sy, sx), np.where(swap, sx, sy)
    trait_mutated = r3[:, 16:24] < MUTATION_THRESHOLD
    mains = np.where(trait_mutated, r3[:, 24:32] & 0xF, mains)
    mutated = gene_mutated.any(axis=1) | trait_mutated.any(axis=1)
    return genes, mains, subs, mutated


def chi2_critical(df: int, z: float = 4.753) -> float:
    """Upper critical value of chi-square with ``df`` degrees of freedom at the normal quantile ``z``
    (Wilson-Hilferty; z = 4.753 is a one-sided p of 1e-6)."""
    a = 2 / (9 * df)
    return df * (1 - a + z * math.sqrt(a)) ** 3


def chi2_fits(counts: Mapping, expected: Mapping, n: int, min_expected: float = 5.0) -> tuple[bool, str]:
    """Chi-square goodness of fit of sampled ``counts`` to ``expected`` probabilities (keys the outcomes).

    Outcomes with fewer than ``min_expected`` expected samples are pooled into one bin; an outcome
    sampled but of probability 0 fails outright. Returns (fits, explanation)."""
    impossible = {k: c for k, c in counts.items() if c and not expected.get(k)}
    if impossible:
        return False, f"sampled outcomes of probability 0: {impossible}"
    bins, pooled_obs, pooled_exp = [], 0, 0.0
    for key, p in expected.items():
        if n * p >= min_expected:
            bins.append((counts.get(key, 0), n * p))
        else:
            pooled_obs, pooled_exp = pooled_obs + counts.get(key, 0), pooled_exp + n * p
    if pooled_exp > 0:
        bins.append((pooled_obs, pooled_exp))
    if len(bins) < 2:
        return True, "one bin"
    stat = sum((o - e) ** 2 / e for o, e in bins)
    critical = chi2_critical(len(bins) - 1)
    return stat <= critical, f"chi2 {stat:.1f} vs critical {critical:.1f} with {len(bins) - 1} df"


def within_error(sampled: float, p: float, n: int, sigmas: float = 5.0) -> bool:
    """Whether a sampled frequency is within ``sigmas`` standard errors of the probability ``p``."""
    return abs(sampled - p) <= sigmas * math.sqrt(max(p * (1 - p), 1 / n) / n)
