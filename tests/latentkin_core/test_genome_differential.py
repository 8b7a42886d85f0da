"""Differential tests: GenomeLib on the EVM against latentkin_core/genome.py, bit for bit.

The contract side runs as eth_call on the deployed contracts (fast, no transactions).
"""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latentkin_core.genome import Genome, fuse, fusion_word, genome_from_seed

VECTORS = json.loads((Path(__file__).parent / "vectors" / "genome_v1.json").read_text())
M256, M64 = 2**256 - 1, 2**64 - 1


def _edgy(bits: int) -> st.SearchStrategy[int]:
    """Uniform integers mixed with the values that break bit tricks: 0, all ones, single bits, patterns."""
    top = 2**bits - 1
    patterns = [0, top, 1, 1 << (bits - 1), top // 3, top // 5, top // 15, top // 17, top // 255 * 7]
    return st.one_of(st.integers(0, top), st.sampled_from(patterns), st.integers(0, bits - 1).map(lambda k: 1 << k))


genomes = st.builds(Genome, _edgy(256), _edgy(64))
seeds = _edgy(256)
DIFFERENTIAL = settings(max_examples=520, derandomize=True, deadline=None, database=None,
                        suppress_health_check=[HealthCheck.too_slow])


@DIFFERENTIAL
@given(x=genomes, y=genomes, seed=seeds)
def test_contract_fusion_outcome_equals_python_fuse(latentkin_readonly, x, y, seed):
    code, attrs = latentkin_readonly.functions.fusionOutcome(x.code, x.attrs, y.code, y.attrs, seed).call()
    assert Genome(code, attrs) == fuse(x, y, seed)


@settings(max_examples=40, derandomize=True, deadline=None, database=None)
@given(g=genomes, seed=seeds, j=st.integers(0, 63), i=st.integers(0, 7), k=st.integers(0, 3))
def test_harness_accessors_and_words_equal_python(genome_harness, g, seed, j, i, k):
    h = genome_harness.functions
    assert h.gene(g.code, j).call() == g.gene(j)
    assert h.mainTrait(g.attrs, i).call() == g.main(i)
    assert h.subTrait(g.attrs, i).call() == g.sub(i)
    assert h.word(seed, k).call() == fusion_word(seed, k)
    assert Genome(*h.fromSeed(seed).call()) == genome_from_seed(seed)


def test_shared_vectors_hold_on_both_sides(genome_harness):
    assert VECTORS["version"] == "genome-v1" and len(VECTORS["fusion"]) >= 10
    for case in VECTORS["fusion"]:
        x, y, seed = Genome.from_hex(case["x"]), Genome.from_hex(case["y"]), int(case["seed"], 16)
        expected = Genome.from_hex(case["child"])
        assert fuse(x, y, seed) == expected, case["name"]
        assert Genome(*genome_harness.functions.fuse(x.code, x.attrs, y.code, y.attrs, seed).call()) == expected
    for case in VECTORS["from_seed"]:
        seed, expected = int(case["seed"], 16), Genome.from_hex(case["genome"])
        assert genome_from_seed(seed) == expected
        assert Genome(*genome_harness.functions.fromSeed(seed).call()) == expected
