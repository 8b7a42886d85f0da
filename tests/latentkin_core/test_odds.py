"""Exact fusion odds (latentkin_core/odds.py) against hand-computed cases and against 100,000 sampled seeds."""

import random
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest

from latentkin_core.errors import InvalidGenomeError
from latentkin_core.genome import FusionMode, Genome, fusion_outcome, random_genome
from latentkin_core.odds import (
    fusion_odds,
    gene_distribution,
    marginals,
    mutation_chance,
    passing_odds,
    trait_distribution,
)
from support.fusion_sampling import chi2_fits, fusion_words, sample_children, within_error

SAMPLES = 100_000
RNG_SEED = 24  # fixed: the sampled seeds, hence every statistic, reproduce


def _pairs() -> list[tuple[str, Genome, Genome]]:
    rng = random.Random(RNG_SEED)
    x, y = random_genome(rng), random_genome(rng)
    # Shared values: X's main is Y's sub in trait 0, main == sub in trait 1 for both, equal traits in 2.
    shared = Genome.from_parts(
        list(x.genes[:32]) + [15 - g for g in x.genes[32:]], [5, 9, 3, 0, 15, 1, 2, 7], [12, 9, 4, 0, 15, 14, 2, 7]
    )
    other = Genome.from_parts(
        [15 - g for g in shared.genes[:32]] + list(y.genes[32:]), [12, 9, 3, 1, 14, 0, 6, 7], [5, 9, 4, 1, 14, 3, 8, 7]
    )
    return [("random", x, y), ("shared values", shared, other), ("identical", x, x)]


PAIRS = _pairs()
CASES = [(name, x, y, mode) for name, x, y in PAIRS for mode in FusionMode]


@pytest.fixture(scope="module")
def words() -> np.ndarray:
    rng = random.Random(RNG_SEED)
    return fusion_words([rng.getrandbits(256) for _ in range(SAMPLES)])


# -- hand-computed --------------------------------------------------------------------------------


def test_identical_parents_keep_their_main_three_times_in_four():
    joint = trait_distribution(3, 11, 3, 11)
    m = Fraction(31, 32)  # no mutation; a mutation (1/32) makes the main each nibble with 1/16, the sub stays
    assert joint[3, 3] == Fraction(9, 16) * m + Fraction(3, 4) / 32 / 16
    assert joint[11, 3] == Fraction(3, 16) * m + Fraction(3, 4) / 32 / 16
    assert joint[3, 11] == Fraction(3, 16) * m + Fraction(1, 4) / 32 / 16
    assert joint[11, 11] == Fraction(1, 16) * m + Fraction(1, 4) / 32 / 16
    assert joint[0, 3] == Fraction(3, 4) / 32 / 16
    main, sub = marginals(joint)
    assert sub == {3: Fraction(3, 4), 11: Fraction(1, 4)}
    assert main[3] == Fraction(3, 4) * m + Fraction(1, 512) and main[11] == Fraction(1, 4) * m + Fraction(1, 512)
    assert sum(joint.values()) == 1 and len(joint) == 2 * 16


def test_main_equal_to_sub_is_passed_whatever_the_offer():
    main, sub = marginals(trait_distribution(6, 6, 6, 6))
    assert sub == {6: 1}
    assert main[6] == Fraction(31, 32) + Fraction(1, 512) and main[0] == Fraction(1, 512)


def test_distinct_parents_trait_by_hand():
    # X = (main 1, sub 2), Y = (main 3, sub 4): each offer 3/4 main, the swap bit 1/2.
    main, sub = marginals(trait_distribution(1, 2, 3, 4))
    m = Fraction(31, 32)
    assert sub == {1: Fraction(3, 8), 2: Fraction(1, 8), 3: Fraction(3, 8), 4: Fraction(1, 8)}
    assert main[1] == main[3] == Fraction(3, 8) * m + Fraction(1, 512)
    assert main[2] == main[4] == Fraction(1, 8) * m + Fraction(1, 512)
    assert main[9] == Fraction(1, 512)


def test_gene_rules_by_hand():
    keep, flip = Fraction(31, 32), Fraction(1, 128)
    assert gene_distribution(3, 3, FusionMode.CROSSOVER) == {3: keep, 2: flip, 1: flip, 7: flip, 11: flip}
    cross = gene_distribution(0, 15, FusionMode.CROSSOVER)
    assert cross[0] == cross[15] == keep / 2 and cross[1] == cross[14] == flip / 2 and sum(cross.values()) == 1
    assert len(cross) == 10
    blend = gene_distribution(3, 4, FusionMode.BLEND)  # (7 + bit) >> 1: 3 or 4
    assert blend[3] == blend[4] == keep / 2 and blend[7] == blend[5] == flip / 2 and len(blend) == 10
    near = gene_distribution(0, 1, FusionMode.CROSSOVER)  # 1 is 0 with bit 0 flipped, and back
    assert near[0] == near[1] == keep / 2 + flip / 2 and near[2] == near[3] == flip / 2
    assert gene_distribution(2, 6, FusionMode.BLEND)[4] == keep  # an even sum has one mean


def test_mutation_and_novelty_by_hand():
    assert mutation_chance() == 1 - Fraction(31, 32) ** 72
    x = Genome.from_parts([0] * 64, [6] * 8, [6] * 8)
    odds = fusion_odds(x, x, "blend")
    assert odds.mode is FusionMode.BLEND
    assert odds.mutation == pytest.approx(1 - (31 / 32) ** 72, rel=1e-15)
    assert odds.trait_mutation == pytest.approx(1 - (31 / 32) ** 8, rel=1e-15)
    # the only new main is a mutant other than 6: 1/32 * 15/16 per trait
    assert odds.traits[0].novel == 15 / 512 and odds.novel == pytest.approx(1 - (1 - 15 / 512) ** 8, rel=1e-14)


def test_passing_odds_by_hand():
    x = Genome.from_parts([0] * 64, [1, 5, 0, 0, 0, 0, 0, 0], [2, 5, 0, 0, 0, 0, 0, 0])
    first, second = passing_odds(x)[:2]
    assert (first.main, first.sub) == (1, 2)
    assert first.expressed == {1: 3 / 8 * 31 / 32, 2: 1 / 8 * 31 / 32} and first.carried == {1: 3 / 8, 2: 1 / 8}
    assert second.expressed == {5: 31 / 64} and second.carried == {5: 0.5}


def test_floats_are_the_exact_fractions_rounded_and_sum_to_one():
    _, x, y = PAIRS[1]
    for mode in FusionMode:
        odds = fusion_odds(x, y, mode)
        for i, trait in enumerate(odds.traits):
            main, sub = marginals(trait_distribution(x.main(i), x.sub(i), y.main(i), y.sub(i)))
            assert trait.main == {k: float(p) for k, p in main.items()}
            assert trait.sub == {k: float(p) for k, p in sub.items()}
        for j, gene in enumerate(odds.genes):
            assert gene == {k: float(p) for k, p in gene_distribution(x.gene(j), y.gene(j), mode).items()}
            assert sum(gene.values()) == pytest.approx(1, abs=1e-12)


def test_the_results_are_the_callers_own():
    _, x, y = PAIRS[0]
    first = fusion_odds(x, y)
    first.traits[0].main.clear()
    first.genes[0].clear()
    again = fusion_odds(x, y)
    assert again.traits[0].main and again.genes[0]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="unknown fusion mode"):
        fusion_odds(PAIRS[0][1], PAIRS[0][2], "average")
    with pytest.raises(ValueError, match="unknown fusion mode"):
        gene_distribution(1, 2, 2)
    for bad in (16, -1, True, 1.0):
        with pytest.raises(InvalidGenomeError, match="nibbles"):
            trait_distribution(1, 2, 3, bad)
        with pytest.raises(InvalidGenomeError, match="nibbles"):
            gene_distribution(bad, 2, "blend")


def test_modes_by_value_or_label_give_the_same_odds():
    assert gene_distribution(3, 4, 1) == gene_distribution(3, 4, "blend") == gene_distribution(3, 4, FusionMode.BLEND)
    assert gene_distribution(0, 15, 0) == gene_distribution(0, 15, "crossover") != gene_distribution(0, 15, 1)
    mutated = gene_distribution(3, 4, 0)
    mutated.clear()  # the caller's own dict: the memo keeps its values
    assert gene_distribution(3, 4, 0)


# -- against sampling -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(FusionMode))
def test_the_vectorised_sampler_is_the_python_twin(words, mode):
    rng = random.Random(RNG_SEED)
    seeds = [rng.getrandbits(256) for _ in range(300)]  # the first seeds the fixture drew
    for _, x, y in PAIRS[:2]:
        genes, mains, subs, _ = sample_children(x, y, words[:300], mode)
        for k, seed in enumerate(seeds):
            child = fusion_outcome(x, y, seed, mode)
            assert (tuple(genes[k]), tuple(mains[k]), tuple(subs[k])) == (child.genes, child.mains, child.subs)


@pytest.mark.parametrize("name, x, y, mode", CASES, ids=[f"{c[0]}-{c[3].label}" for c in CASES])
def test_odds_match_100000_sampled_seeds(words, name, x, y, mode):
    genes, mains, subs, mutated = sample_children(x, y, words, mode)
    odds = fusion_odds(x, y, mode)
    failures = []
    for i in range(8):
        joint = trait_distribution(x.main(i), x.sub(i), y.main(i), y.sub(i))
        pairs = Counter(zip(mains[:, i].tolist(), subs[:, i].tolist(), strict=True))
        checks = [
            ("joint", pairs, {k: float(p) for k, p in joint.items()}),
            ("main", Counter(mains[:, i].tolist()), odds.traits[i].main),
            ("sub", Counter(subs[:, i].tolist()), odds.traits[i].sub),
        ]
        for what, counts, expected in checks:
            fits, why = chi2_fits(counts, expected, SAMPLES)
            if not fits:
                failures.append(f"trait {i} {what}: {why}")
        novel = float(np.mean(~np.isin(mains[:, i], [x.main(i), y.main(i)])))
        if not within_error(novel, odds.traits[i].novel, SAMPLES):
            failures.append(f"trait {i} novel {novel} vs {odds.traits[i].novel}")
    for j in range(64):
        fits, why = chi2_fits(Counter(genes[:, j].tolist()), odds.genes[j], SAMPLES)
        if not fits:
            failures.append(f"gene {j}: {why}")
    any_novel = float(((mains != np.array(x.mains)) & (mains != np.array(y.mains))).any(axis=1).mean())
    for what, sampled, p in (("mutation", float(mutated.mean()), odds.mutation), ("novel", any_novel, odds.novel)):
        if not within_error(sampled, p, SAMPLES):
            failures.append(f"{what}: sampled {sampled} vs exact {p}")
    assert not failures, failures


def test_a_wrong_distribution_is_caught(words):
    """The statistics have teeth: a main trait offered with 70 % instead of 75 % is rejected."""
    _, x, y = PAIRS[0]
    _, mains, _, _ = sample_children(x, y, words, FusionMode.CROSSOVER)
    wrong = {}
    for offer_x, wx in ((x.main(0), 0.70), (x.sub(0), 0.30)):
        for offer_y, wy in ((y.main(0), 0.70), (y.sub(0), 0.30)):
            for main in (offer_x, offer_y):
                wrong[main] = wrong.get(main, 0) + wx * wy / 2 * 31 / 32
    wrong = {k: wrong.get(k, 0) + 1 / 512 for k in range(16)}
    fits, _ = chi2_fits(Counter(mains[:, 0].tolist()), wrong, SAMPLES)
    assert not fits
