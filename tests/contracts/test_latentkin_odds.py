"""The exact fusion odds (latentkin_core/odds.py) against children the contract itself computes.

A smaller sample than tests/latentkin_core/test_odds.py (which samples 100,000 seeds through the Python
twin): 400 seeds per mode through ``fusionOutcome`` / ``blendOutcome`` as eth_call on py-evm.
"""

import random
from collections import Counter

import pytest

from latentkin_core.genome import FusionMode, Genome, random_genome
from latentkin_core.odds import fusion_odds
from support.fusion_sampling import chi2_fits, within_error

SAMPLES = 400


@pytest.mark.parametrize("mode", list(FusionMode))
def test_contract_children_follow_the_exact_odds(latentkin_readonly, mode):
    rng = random.Random(2024 + mode)
    x = random_genome(rng)
    y = Genome(rng.getrandbits(256), x.attrs ^ 0x0F0F_F0F0_0000_FFFF)  # some traits shared, some not
    outcome = (
        latentkin_readonly.functions.fusionOutcome
        if mode is FusionMode.CROSSOVER
        else latentkin_readonly.functions.blendOutcome
    )
    children = [Genome(*outcome(x.code, x.attrs, y.code, y.attrs, rng.getrandbits(256)).call()) for _ in range(SAMPLES)]
    odds = fusion_odds(x, y, mode)
    failures = []
    for i, trait in enumerate(odds.traits):
        for what, values, expected in (
            ("main", [c.main(i) for c in children], trait.main),
            ("sub", [c.sub(i) for c in children], trait.sub),
        ):
            fits, why = chi2_fits(Counter(values), expected, SAMPLES)
            if not fits:
                failures.append(f"trait {i} {what}: {why}")
    # Genes pooled: how often the child's gene has each probability rank (most likely first) in its own odds.
    ranks, expected = Counter(), Counter()
    for j, gene in enumerate(odds.genes):
        order = sorted(gene, key=lambda g: -gene[g])
        for rank, g in enumerate(order[:3]):
            expected[rank] += gene[g] / 64
        expected[3] += sum(gene[g] for g in order[3:]) / 64
        ranks.update(min(order.index(c.gene(j)), 3) if c.gene(j) in gene else -1 for c in children)
    fits, why = chi2_fits(ranks, dict(expected), SAMPLES * 64)
    if not fits:
        failures.append(f"genes: {why}")
    novel = sum(any(c.main(i) not in (x.main(i), y.main(i)) for i in range(8)) for c in children) / SAMPLES
    if not within_error(novel, odds.novel, SAMPLES):
        failures.append(f"novel: sampled {novel} vs exact {odds.novel}")
    assert not failures, failures
