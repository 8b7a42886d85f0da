"""Differential tests: GenomeLib on the EVM against latentkin_core/genome.py, bit for bit.

The contract side runs as eth_call on the deployed contracts (fast, no transactions).
"""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latentkin_core.genome import Genome, blend, fuse, fusion_word, genome_from_seed

VECTORS = json.loads((Path(__file__).parent / "vectors" / "genome_v1.json").read_text())
M256, M64 = 2**256 - 1, 2**64 - 1


def _edgy(bits: int) -> st.SearchStrategy[int]:
    """Uniform integers mixed with the values that break bit tricks: 0, all ones, single bits, patterns."""
    top = 2**bits - 1
    patterns = [0, top, 1, 1 << (bits - 1), top // 3, top // 5, top // 15, top // 17, top // 255 * 7]
    return st.one_of(st.integers(0, top), st.sampled_from(patterns), st.integers(0, bits - 1).map(lambda k: 1 << k))


genomes = st.builds(Genome, _edgy(256), _edgy(64))
seeds = _edgy(256)
# Parents whose genes sum to 15 everywhere (every sum odd: each gene rounds by its bit of R0), or that differ
# in one gene only, beside independent ones.
parent_pairs = st.one_of(
    st.tuples(genomes, genomes),
    st.builds(lambda x, a: (x, Genome(M256 ^ x.code, a)), genomes, _edgy(64)),
    st.builds(
        lambda x, j, g: (x, Genome(x.code & ~(0xF << 4 * j) | (g << 4 * j), x.attrs)),
        genomes,
        st.integers(0, 63),
        st.integers(0, 15),
    ),
)
DIFFERENTIAL = settings(
    max_examples=520, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@DIFFERENTIAL
@given(x=genomes, y=genomes, seed=seeds)
def test_contract_fusion_outcome_equals_python_fuse(latentkin_readonly, x, y, seed):
    code, attrs = latentkin_readonly.functions.fusionOutcome(x.code, x.attrs, y.code, y.attrs, seed).call()
    assert Genome(code, attrs) == fuse(x, y, seed)


@DIFFERENTIAL
@given(pair=parent_pairs, seed=seeds)
def test_contract_blend_outcome_equals_python_blend(latentkin_readonly, pair, seed):
    x, y = pair
    code, attrs = latentkin_readonly.functions.blendOutcome(x.code, x.attrs, y.code, y.attrs, seed).call()
    assert Genome(code, attrs) == blend(x, y, seed)


def test_contract_blend_rounds_every_pair_of_genes_both_ways_as_python(latentkin_readonly):
    """Every (X gene, Y gene, rounding bit) of the 512 goes through the EVM and matches Python."""
    seen = set()
    for first in range(0, 256, 64):
        pairs = [divmod(k, 16) for k in range(first, first + 64)]
        x = Genome.from_parts([a for a, _ in pairs], [0] * 8, [0] * 8)
        y = Genome.from_parts([b for _, b in pairs], list(range(8)), list(range(8, 16)))
        for seed in range(12):
            code, attrs = latentkin_readonly.functions.blendOutcome(x.code, x.attrs, y.code, y.attrs, seed).call()
            assert Genome(code, attrs) == blend(x, y, seed)
            r0 = fusion_word(seed, 0)
            seen.update((a, b, (r0 >> j) & 1) for j, (a, b) in enumerate(pairs))
    assert len(seen) == 512


@settings(max_examples=40, derandomize=True, deadline=None, database=None)
@given(g=genomes, seed=seeds, j=st.integers(0, 63), i=st.integers(0, 7), k=st.integers(0, 3))
def test_harness_accessors_and_words_equal_python(genome_harness, latentkin_readonly, g, seed, j, i, k):
    h = genome_harness.functions
    assert h.gene(g.code, j).call() == g.gene(j)
    assert h.mainTrait(g.attrs, i).call() == g.main(i)
    assert h.subTrait(g.attrs, i).call() == g.sub(i)
    assert h.word(seed, k).call() == fusion_word(seed, k)
    assert Genome(*h.fromSeed(seed).call()) == genome_from_seed(seed)
    complement = Genome(~g.code & M256, g.attrs ^ M64)
    assert Genome(
        *latentkin_readonly.functions.blendOutcome(g.code, g.attrs, complement.code, complement.attrs, seed).call()
    ) == blend(g, complement, seed)


def test_shared_vectors_hold_on_both_sides(genome_harness, latentkin_readonly):
    assert VECTORS["version"] == "genome-v1" and len(VECTORS["fusion"]) >= 10
    for case in VECTORS["fusion"]:
        x, y, seed = Genome.from_hex(case["x"]), Genome.from_hex(case["y"]), int(case["seed"], 16)
        expected = Genome.from_hex(case["child"])
        assert fuse(x, y, seed) == expected, case["name"]
        assert (
            Genome(*latentkin_readonly.functions.fusionOutcome(x.code, x.attrs, y.code, y.attrs, seed).call())
            == expected
        )
    assert len(VECTORS["blend"]) >= 10
    for case in VECTORS["blend"]:
        x, y, seed = Genome.from_hex(case["x"]), Genome.from_hex(case["y"]), int(case["seed"], 16)
        expected = Genome.from_hex(case["child"])
        assert blend(x, y, seed) == expected, case["name"]
        assert (
            Genome(*latentkin_readonly.functions.blendOutcome(x.code, x.attrs, y.code, y.attrs, seed).call())
            == expected
        )
    for case in VECTORS["from_seed"]:
        seed, expected = int(case["seed"], 16), Genome.from_hex(case["genome"])
        assert genome_from_seed(seed) == expected
        assert Genome(*genome_harness.functions.fromSeed(seed).call()) == expected
