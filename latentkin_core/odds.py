"""Exact fusion odds: the distribution of the child of X and Y over all seeds, from the rule's structure.

The fusion rule (:func:`latentkin_core.genome.fusion_outcome`) expands a seed into four words
``R0..R3 = keccak256(seed, k)``; like every analysis of a keccak-seeded rule, the odds take them as
independent uniform 256-bit words. Each output of the rule reads its own bits::

    gene j     bit j of R0               crossover: Y's gene if set, else X's;  blend: rounding up if set
               byte j % 32 of R1 (j < 32) or R2 (j >= 32)
                                         m < 8 mutates: gene ^= 1 << (m & 3)
    trait i    byte i of R3              X offers its main if < 192, else its sub
               byte 8 + i of R3          Y's offer, the same way
               bit 64 + i of R0          set: Y's offer is the main, X's the sub; clear: the other way round
               byte 16 + i of R3         m < 8 mutates the main (never the sub) ...
               byte 24 + i of R3         ... into this byte's low nibble

No bit is read by two outputs, so the 64 genes and 8 traits are mutually independent and the child's
distribution is the product of 72 small ones. Within a trait, main and sub share the swap bit (and
the offers), so their joint distribution is enumerated and the marginals read off it. Each small
distribution is counted exactly in integer weights over the bits it reads, handed out as
:class:`fractions.Fraction` (:func:`gene_distribution`, :func:`trait_distribution`) and as floats
in :class:`FusionOdds`. Pure; the per-gene and per-trait tables are memoised (512 and 65,536 keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from math import prod
from typing import Any

from latentkin_core.errors import InvalidGenomeError
from latentkin_core.genome import (
    GENES,
    MAIN_PROBABILITY_THRESHOLD,
    MUTATION_THRESHOLD,
    TRAITS,
    FusionMode,
    Genome,
)

BYTE = 256
MUTATION = Fraction(MUTATION_THRESHOLD, BYTE)  # per gene and per trait: 1/32
_MAIN_OFFER = MAIN_PROBABILITY_THRESHOLD  # of 256 byte values, how many offer the main (the rest the sub)
_FLIP_WEIGHT = MUTATION_THRESHOLD // 4  # byte values below 8 flipping each of the 4 bits: 2 each
_MUTATION_CHANCES = GENES + TRAITS  # independent mutation bytes a fusion reads


@dataclass(frozen=True, slots=True)
class TraitOdds:
    """One trait of the child: probability of each nibble as its main and as its sub (nibbles of
    probability 0 left out), and of a main that neither parent shows as its main."""

    main: dict[int, float]
    sub: dict[int, float]
    novel: float


@dataclass(frozen=True, slots=True)
class FusionOdds:
    """The exact odds of a fusion's child over all seeds (see the module docstring)."""

    mode: FusionMode
    traits: tuple[TraitOdds, ...]  # trait 0 first
    genes: tuple[dict[int, float], ...]  # gene 0 first: nibble -> probability
    mutation: float  # at least one mutation byte fires, anywhere (64 genes and 8 mains; independent of the
    #                  parents, and a main's mutant may land on the value it replaces)
    trait_mutation: float  # at least one main trait's mutation byte fires
    novel: float  # at least one main trait showing a value neither parent shows


@dataclass(frozen=True, slots=True)
class PassingOdds:
    """What one trait of a parent passes on through that parent alone, whoever the partner is:
    per nibble (its main and its sub), the chance it becomes the child's main (unmutated) and the
    chance it is carried as the child's sub."""

    main: int
    sub: int
    expressed: dict[int, float]
    carried: dict[int, float]


def _fractions(weights: dict[Any, int], total: int) -> dict[Any, Fraction]:
    return {key: Fraction(w, total) for key, w in sorted(weights.items()) if w}


def _check_nibbles(*values: int) -> None:
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 0xF:
            raise InvalidGenomeError(f"genes and traits are nibbles (0..15), got {v!r}")


_GENE_TOTAL = 2 * BYTE  # the pick / rounding bit, the mutation byte


@cache
def _gene_weights(gx: int, gy: int, mode: FusionMode) -> tuple[tuple[int, int], ...]:
    """Integer weights of each child gene out of :data:`_GENE_TOTAL`, nibble order (see gene_distribution)."""
    weights: dict[int, int] = {}
    for bit in (0, 1):
        base = (gy if bit else gx) if mode is FusionMode.CROSSOVER else (gx + gy + bit) >> 1
        weights[base] = weights.get(base, 0) + BYTE - MUTATION_THRESHOLD
        for k in range(4):
            weights[base ^ (1 << k)] = weights.get(base ^ (1 << k), 0) + _FLIP_WEIGHT
    return tuple(sorted(weights.items()))


def gene_distribution(gx: int, gy: int, mode: FusionMode | int | str) -> dict[int, Fraction]:
    """Exact distribution of a child gene whose parents' genes are ``gx`` and ``gy`` under ``mode``.

    Reads one bit of R0 (weights 1 and 1) and one mutation byte (248 values keep the gene, 2 flip
    each of its four bits): out of 2 * 256."""
    _check_nibbles(gx, gy)
    return _fractions(dict(_gene_weights(gx, gy, FusionMode.parse(mode))), _GENE_TOTAL)


_TRAIT_TOTAL = BYTE**4 * 2  # two offer bytes, the mutation byte, the mutant byte, the swap bit


@cache
def _trait_weights(x_main: int, x_sub: int, y_main: int, y_sub: int) -> dict[tuple[int, int], int]:
    """Integer weights of each child ``(main, sub)`` out of :data:`_TRAIT_TOTAL` (see trait_distribution)."""
    kept: dict[tuple[int, int], int] = {}
    by_sub: dict[int, int] = {}
    for x_offer, wx in ((x_main, _MAIN_OFFER), (x_sub, BYTE - _MAIN_OFFER)):
        for y_offer, wy in ((y_main, _MAIN_OFFER), (y_sub, BYTE - _MAIN_OFFER)):
            for main, sub in ((x_offer, y_offer), (y_offer, x_offer)):  # swap bit clear, set
                kept[main, sub] = kept.get((main, sub), 0) + wx * wy * (BYTE - MUTATION_THRESHOLD) * BYTE
                by_sub[sub] = by_sub.get(sub, 0) + wx * wy
    weights = dict(kept)
    for sub, w in by_sub.items():  # a mutation byte below 8, then 16 of the 256 mutant bytes per nibble
        for mutant in range(16):
            weights[mutant, sub] = weights.get((mutant, sub), 0) + w * MUTATION_THRESHOLD * 16
    return weights


def trait_distribution(x_main: int, x_sub: int, y_main: int, y_sub: int) -> dict[tuple[int, int], Fraction]:
    """Exact joint distribution of a child trait's ``(main, sub)`` from the parents' main and sub nibbles.

    Reads two offer bytes (192 values offer the main, 64 the sub), the swap bit, a mutation byte
    (8 of 256 mutate the main) and the mutant's byte (16 values per nibble): out of 256^4 * 2."""
    _check_nibbles(x_main, x_sub, y_main, y_sub)
    return _fractions(_trait_weights(x_main, x_sub, y_main, y_sub), _TRAIT_TOTAL)


def marginals(joint: dict[tuple[int, int], Fraction]) -> tuple[dict[int, Fraction], dict[int, Fraction]]:
    """The main and the sub distributions of a joint ``(main, sub)`` distribution."""
    main: dict[int, Fraction] = {}
    sub: dict[int, Fraction] = {}
    for (m, s), p in joint.items():
        main[m] = main.get(m, 0) + p
        sub[s] = sub.get(s, 0) + p
    return dict(sorted(main.items())), dict(sorted(sub.items()))


def mutation_chance(outputs: int = _MUTATION_CHANCES) -> Fraction:
    """Exact chance that at least one of ``outputs`` independent mutation bytes fires (all 72 by default)."""
    return 1 - (1 - MUTATION) ** outputs


_ANY_MUTATION = float(mutation_chance())
_TRAIT_MUTATION = float(mutation_chance(TRAITS))


@cache
def _trait_odds(x_main: int, x_sub: int, y_main: int, y_sub: int) -> tuple[TraitOdds, int]:
    """The trait's odds (floats: int / int is correctly rounded, as float(Fraction) is) and its novel weight."""
    main: dict[int, int] = {}
    sub: dict[int, int] = {}
    for (m, s), w in _trait_weights(x_main, x_sub, y_main, y_sub).items():
        main[m] = main.get(m, 0) + w
        sub[s] = sub.get(s, 0) + w
    novel = sum(w for m, w in main.items() if m not in (x_main, y_main))
    odds = TraitOdds(
        {m: w / _TRAIT_TOTAL for m, w in sorted(main.items())},
        {s: w / _TRAIT_TOTAL for s, w in sorted(sub.items())},
        novel / _TRAIT_TOTAL,
    )
    return odds, novel


@cache
def _gene_floats(gx: int, gy: int, mode: FusionMode) -> tuple[tuple[int, float], ...]:
    return tuple((g, w / _GENE_TOTAL) for g, w in _gene_weights(gx, gy, mode))


def fusion_odds(x: Genome, y: Genome, mode: FusionMode | int | str = FusionMode.CROSSOVER) -> FusionOdds:
    """The exact odds of the child of ``x`` and ``y`` by ``mode`` over all seeds (floats, from exact fractions)."""
    mode = FusionMode.parse(mode)
    traits = [_trait_odds(x.main(i), x.sub(i), y.main(i), y.sub(i)) for i in range(TRAITS)]
    genes = tuple(dict(_gene_floats(gx, gy, mode)) for gx, gy in zip(x.genes, y.genes, strict=True))
    novel = 1 - Fraction(prod(_TRAIT_TOTAL - w for _, w in traits), _TRAIT_TOTAL**TRAITS)
    fresh = tuple(TraitOdds(dict(t.main), dict(t.sub), t.novel) for t, _ in traits)  # the memo stays untouched
    return FusionOdds(
        mode=mode, traits=fresh, genes=genes, mutation=_ANY_MUTATION, trait_mutation=_TRAIT_MUTATION, novel=float(novel)
    )


def passing_odds(genome: Genome) -> tuple[PassingOdds, ...]:
    """Per trait, what ``genome`` passes on to any child through its own offer (exact): its main and
    its hidden sub, each with the chance to become the child's main and to be carried as its sub.

    The parent offers its main with 192/256, else its sub; the swap bit puts the offer in the child's
    main or sub with 1/2 each; a main survives unmutated with 31/32 (a mutant may still land on the
    same nibble, which is the partner-independent part left out here)."""
    keep = 1 - MUTATION
    out = []
    for i in range(TRAITS):
        main, sub = genome.main(i), genome.sub(i)
        expressed: dict[int, Fraction] = {}
        carried: dict[int, Fraction] = {}
        for nibble, offered in ((main, Fraction(_MAIN_OFFER, BYTE)), (sub, Fraction(BYTE - _MAIN_OFFER, BYTE))):
            expressed[nibble] = expressed.get(nibble, Fraction(0)) + offered / 2 * keep
            carried[nibble] = carried.get(nibble, Fraction(0)) + offered / 2
        out.append(
            PassingOdds(
                main, sub, {n: float(p) for n, p in expressed.items()}, {n: float(p) for n, p in carried.items()}
            )
        )
    return tuple(out)
