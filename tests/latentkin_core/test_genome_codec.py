"""Genome v1 codec (pure Python): layout, validation, encodings, and the fusion rule's own properties."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latentkin_core.errors import InvalidFusionModeError, InvalidGenomeError
from latentkin_core.genome import (
    GENOME_BYTES,
    FusionMode,
    Genome,
    blend,
    fuse,
    fusion_outcome,
    fusion_word,
    genome_from_seed,
    random_genome,
)

codes = st.integers(0, 2**256 - 1)
attrs = st.integers(0, 2**64 - 1)
genomes = st.builds(Genome, codes, attrs)
seeds = st.integers(0, 2**256 - 1)
FAST = settings(max_examples=200, derandomize=True, deadline=None)


def test_layout_follows_the_spec_to_the_bit():
    g = Genome(code=0xA << (4 * 5) | 0x3, attrs=(0x7 << 8 * 2) | (0xC << (8 * 2 + 4)) | 0x1)
    assert g.gene(0) == 0x3 and g.gene(5) == 0xA and g.gene(63) == 0
    assert (g.main(2), g.sub(2)) == (0x7, 0xC)
    assert (g.main(0), g.sub(0)) == (0x1, 0x0)
    assert g.genes[5] == 0xA and g.mains[2] == 0x7 and g.subs[2] == 0xC


@pytest.mark.parametrize("code, attrs_", [(-1, 0), (2**256, 0), (0, -1), (0, 2**64), (1.0, 0), (True, 0), ("1", 0)])
def test_out_of_range_or_wrong_type_is_a_clear_error(code, attrs_):
    with pytest.raises(InvalidGenomeError, match="code|attrs"):
        Genome(code, attrs_)


def test_bad_indices_and_encodings_raise():
    g = Genome(1, 2)
    for bad in (lambda: g.gene(64), lambda: g.gene(-1), lambda: g.main(8), lambda: g.sub(-1)):
        with pytest.raises(InvalidGenomeError, match="index"):
            bad()
    with pytest.raises(InvalidGenomeError, match="40 bytes"):
        Genome.from_bytes(b"\x00" * 39)
    with pytest.raises(InvalidGenomeError, match="80 hex digits"):
        Genome.from_hex("0x1234")
    with pytest.raises(InvalidGenomeError, match="0-9 and a-f"):
        Genome.from_hex("zz" * GENOME_BYTES)
    with pytest.raises(InvalidGenomeError, match="nibble"):
        Genome.from_parts([16] + [0] * 63, [0] * 8, [0] * 8)
    with pytest.raises(InvalidGenomeError, match="seed"):
        fuse(g, g, 2**256)
    with pytest.raises(InvalidGenomeError, match="seed"):
        genome_from_seed(-1)


@FAST
@given(genomes)
def test_bytes_hex_and_parts_round_trip(g):
    assert Genome.from_bytes(g.to_bytes()) == g
    assert Genome.from_hex(g.to_hex()) == g
    assert Genome.from_hex("0X" + g.to_hex().upper()) == g
    assert Genome.from_parts(g.genes, g.mains, g.subs) == g
    assert len(g.to_bytes()) == GENOME_BYTES and str(g) == "0x" + g.to_hex()


@FAST
@given(genomes, genomes, seeds)
def test_fusion_inherits_every_gene_and_trait_from_a_parent_or_mutates_it(x, y, seed):
    """Checks the rule from the R words directly, independently of how fuse() is written."""
    z = fuse(x, y, seed)
    r0, r1, r2, r3 = (fusion_word(seed, k) for k in range(4))
    for j in range(64):
        inherited = y.gene(j) if (r0 >> j) & 1 else x.gene(j)
        m = ((r1 if j < 32 else r2) >> (8 * (j % 32))) & 0xFF
        assert z.gene(j) == (inherited ^ (1 << (m & 3)) if m < 8 else inherited)
    for i in range(8):
        offer_x = x.main(i) if (r3 >> 8 * i) & 0xFF < 192 else x.sub(i)
        offer_y = y.main(i) if (r3 >> 8 * (8 + i)) & 0xFF < 192 else y.sub(i)
        assert {z.sub(i)} <= {offer_x, offer_y}
        if (r3 >> 8 * (16 + i)) & 0xFF >= 8:
            assert sorted((z.main(i), z.sub(i))) == sorted((offer_x, offer_y))


def test_fusion_rates_match_the_spec():
    """Over many seeds: ~50 % of genes from each parent, ~3.1 % gene mutations, ~75 % main offered."""
    x, y = Genome(0, 0xFFFFFFFFFFFFFFFF & 0x0F0F0F0F0F0F0F0F), Genome(2**256 - 1, 0xF0F0F0F0F0F0F0F0)
    from_y = flips = offered_main_x = 0
    n = 300
    for seed in range(n):
        z = fuse(x, y, seed)
        r0, r3 = fusion_word(seed, 0), fusion_word(seed, 3)
        from_y += sum(1 for j in range(64) if (r0 >> j) & 1)
        # x's genes are 0 and y's 0xF: a gene that is neither flipped by exactly one bit
        flips += sum(1 for g in z.genes if g not in (0, 0xF))
        offered_main_x += sum(1 for i in range(8) if (r3 >> 8 * i) & 0xFF < 192)
    assert abs(from_y / (64 * n) - 0.5) < 0.02
    assert abs(flips / (64 * n) - 8 / 256) < 0.01
    assert abs(offered_main_x / (8 * n) - 0.75) < 0.04


def test_genome_from_seed_and_random_genome():
    seed = 12345
    g = genome_from_seed(seed)
    assert g == Genome(fusion_word(seed, 0), fusion_word(seed, 1) % 2**64)
    assert random_genome(random.Random(1)) == random_genome(random.Random(1))
    assert random_genome(random.Random(1)) != random_genome(random.Random(2))


def _expected_gene(inherited: int, seed: int, j: int) -> int:
    m = ((fusion_word(seed, 1) if j < 32 else fusion_word(seed, 2)) >> (8 * (j % 32))) & 0xFF
    return inherited ^ (1 << (m & 3)) if m < 8 else inherited


@FAST
@given(genomes, genomes, seeds)
def test_blend_takes_the_rounded_mean_of_each_gene_and_the_crossover_traits(x, y, seed):
    """Checks blend from the R words directly: gene j = (X.gene[j] + Y.gene[j] + bit(R0, j)) >> 1, then the
    same point mutation as crossover; the traits are exactly crossover's."""
    z = blend(x, y, seed)
    r0 = fusion_word(seed, 0)
    for j in range(64):
        assert z.gene(j) == _expected_gene((x.gene(j) + y.gene(j) + ((r0 >> j) & 1)) >> 1, seed, j)
    assert z.attrs == fuse(x, y, seed).attrs


def test_blend_rounds_every_pair_of_genes_both_ways():
    """All 16 x 16 gene pairs, each under both rounding bits: the odd sums split by the bit, the even do not."""
    seen = set()
    for first in range(0, 256, 64):  # four genome pairs put every (a, b) side by side once
        pairs = [divmod(k, 16) for k in range(first, first + 64)]
        x = Genome.from_parts([a for a, _ in pairs], [0] * 8, [0] * 8)
        y = Genome.from_parts([b for _, b in pairs], [0] * 8, [0] * 8)
        for seed in range(12):
            z, r0 = blend(x, y, seed), fusion_word(seed, 0)
            for j, (a, b) in enumerate(pairs):
                bit = (r0 >> j) & 1
                assert z.gene(j) == _expected_gene((a + b + bit) >> 1, seed, j)
                seen.add((a, b, bit))
    assert len(seen) == 16 * 16 * 2


def test_blend_of_complementary_parents_sits_in_the_middle():
    """Genes 0 and 15 average to 7.5: blend gives 7 or 8 (one each way about half the time), never an end."""
    x, y = Genome(0, 0), Genome(2**256 - 1, 0)
    counts = {7: 0, 8: 0}
    for seed in range(100):
        for j, g in enumerate(blend(x, y, seed).genes):
            if _expected_gene(0, seed, j) == 0:  # not mutated
                counts[g] += 1
    assert abs(counts[7] / (counts[7] + counts[8]) - 0.5) < 0.03


@pytest.mark.parametrize(
    "value, mode",
    [
        (0, FusionMode.CROSSOVER),
        (1, FusionMode.BLEND),
        ("blend", FusionMode.BLEND),
        ("Crossover", FusionMode.CROSSOVER),
        (FusionMode.BLEND, FusionMode.BLEND),
    ],
)
def test_fusion_modes_parse_from_value_or_label(value, mode):
    assert FusionMode.parse(value) is mode
    assert FusionMode.BLEND.label == "blend" and FusionMode.CROSSOVER.label == "crossover"


@pytest.mark.parametrize("bad", [2, -1, True, "average", "", None, 1.0])
def test_unknown_fusion_modes_are_a_clear_error(bad):
    with pytest.raises(InvalidFusionModeError, match="unknown fusion mode"):
        FusionMode.parse(bad)
    with pytest.raises(InvalidFusionModeError):
        fusion_outcome(Genome(1, 2), Genome(3, 4), 5, bad)


def test_fusion_outcome_dispatches_on_the_mode():
    x, y = Genome(0x1234 << 100, 0x55), Genome(0xFEDC << 90, 0xAA)
    for seed in (0, 1, 2**255):
        assert fusion_outcome(x, y, seed) == fusion_outcome(x, y, seed, "crossover") == fuse(x, y, seed)
        assert fusion_outcome(x, y, seed, 1) == fusion_outcome(x, y, seed, FusionMode.BLEND) == blend(x, y, seed)
    with pytest.raises(InvalidGenomeError, match="seed"):
        blend(x, y, -1)
