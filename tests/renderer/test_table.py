"""Correspondence table: parse, round trip, determinism, rarity tiers, errors."""

from __future__ import annotations

import json
import random
from collections import Counter

import numpy as np
import pytest

from latentkin_core.genome import Genome, random_genome
from renderer.errors import TableError
from renderer.table import DEFAULT_TABLE, TIERS, load_table, parse_table
from renderer.vocabulary import VOCABULARY


@pytest.fixture(scope="module")
def table():
    return load_table()


def test_trait_names_match_vocabulary(table):
    assert table.trait_names == tuple(t.name for t in VOCABULARY)
    assert len(table.trait_names) == 8
    assert "Hair style" in table.trait_names


def test_every_nibble_round_trips(table):
    for i, trait in enumerate(VOCABULARY):
        seen = set()
        for value in range(len(trait)):
            nibbles = table.nibbles_of(i, value)
            assert nibbles, f"{trait.name}/{trait.values[value]} is unreachable"
            for n in nibbles:
                assert table.value_index(i, n) == value
                assert table.trait_value(i, n) == trait.values[value]
            seen.update(nibbles)
        assert seen == set(range(16))


def test_rarity_tiers_follow_counts(table):
    for i in range(8):
        counts = Counter(int(v) for v in table.nibble_to_value[i])
        for n in range(16):
            tier = table.rarity(i, n)
            assert tier in TIERS
            count = counts[table.value_index(i, n)]
            if tier in ("rare", "legendary"):
                assert count == 1
            if tier == "common":
                assert count >= 3
    all_tiers = {table.rarity(i, n) for i in range(8) for n in range(16)}
    assert all_tiers == set(TIERS)


def test_gene_values_are_standard_normal_quantiles(table):
    from statistics import NormalDist

    expected = [NormalDist().inv_cdf((k + 0.5) / 16) for k in range(16)]
    np.testing.assert_allclose(table.gene_values, expected, atol=1e-6)


def test_latents_are_pure_and_match_vectorised_decode(table):
    rng = random.Random(7)
    genomes = [random_genome(rng) for _ in range(20)]
    z, y = table.decode(np.array([g.genes for g in genomes]), np.array([g.mains for g in genomes]))
    for k, g in enumerate(genomes):
        np.testing.assert_array_equal(table.latents(g), z[k])
        np.testing.assert_array_equal(table.latents(g), table.latents(Genome(g.code, g.attrs)))
        np.testing.assert_array_equal(table.trait_indices(g), y[k])
    assert z.dtype == np.float32 and z.shape == (20, 64)


def test_sub_traits_do_not_reach_the_latents(table):
    g = Genome.from_parts([3] * 64, [1, 2, 3, 4, 5, 6, 7, 8], [0] * 8)
    h = Genome.from_parts([3] * 64, [1, 2, 3, 4, 5, 6, 7, 8], [15] * 8)
    np.testing.assert_array_equal(table.trait_indices(g), table.trait_indices(h))
    np.testing.assert_array_equal(table.latents(g), table.latents(h))


def test_random_batch_is_deterministic_by_seed(table):
    a = table.random_batch(np.random.default_rng(5), 8)
    b = table.random_batch(np.random.default_rng(5), 8)
    c = table.random_batch(np.random.default_rng(6), 8)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_raw_is_the_file_bytes(table):
    assert table.raw == DEFAULT_TABLE.read_bytes()  # what the renderer hash covers


@pytest.mark.parametrize("i, nibble", [(8, 0), (-1, 0), (0, 16), (0, -1), (0, True)])
def test_bad_lookups_raise(table, i, nibble):
    with pytest.raises(TableError):
        table.trait_value(i, nibble)


def _mutated(fn) -> bytes:
    doc = json.loads(DEFAULT_TABLE.read_bytes())
    fn(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["traits"][0]["values"][0]["nibbles"].pop(),  # a nibble names nothing
        lambda d: d["traits"][1]["values"][0]["nibbles"].append(15),  # a nibble listed twice
        lambda d: d["traits"][2].__setitem__("name", "Ears"),  # wrong trait
        lambda d: d["traits"][3]["values"][0].__setitem__("tier", "mythic"),  # unknown tier
        lambda d: d.__setitem__("gene_values", d["gene_values"][::-1]),  # not increasing
        lambda d: d["traits"].pop(),  # 7 traits
    ],
)
def test_malformed_tables_are_rejected(mutate):
    with pytest.raises(TableError):
        parse_table(_mutated(mutate))


def test_garbage_and_missing_files_are_rejected(tmp_path):
    with pytest.raises(TableError):
        parse_table(b"not json")
    with pytest.raises(TableError):
        load_table(tmp_path / "absent.json")


# --- table v2: the gene map ------------------------------------------------------------------------


def test_table_v2_is_table_v1_with_the_portraits_gene_map():
    """The committed table v2 is exactly what with_gene_map writes from table v1 and GENE_MAP (a gene
    renamed in the portrait without rewriting the table fails here), and every trait reads the same."""
    from renderer.portrait.genes import GENE_MAP
    from renderer.table import TABLE_V1, TABLE_V2, with_gene_map

    assert TABLE_V2.read_bytes() == with_gene_map(TABLE_V1.read_bytes(), GENE_MAP)
    v1, v2 = load_table(TABLE_V1), load_table(TABLE_V2)
    assert (v2.version, v1.version, v1.genes) == (2, 1, ())
    assert np.array_equal(v1.nibble_to_value, v2.nibble_to_value) and np.array_equal(v1.gene_values, v2.gene_values)
    assert v1.value_tiers == v2.value_tiers
    assert [g.name for g in v2.genes] == [g.name for g in GENE_MAP] and len(v2.genes) == 64
    assert v2.genes[0].describes == "Face width: narrow (0) to wide (15)"


def _mutated_v2(fn) -> bytes:
    from renderer.table import TABLE_V2

    doc = json.loads(TABLE_V2.read_bytes())
    fn(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["genes"].pop(),  # 63 genes
        lambda d: d["genes"][3].__setitem__("index", 4),  # out of order
        lambda d: d["genes"][5].__setitem__("name", d["genes"][6]["name"]),  # a name twice
        lambda d: d["genes"][7].pop("high"),  # a field missing
        lambda d: d["genes"][8].__setitem__("extra", "x"),  # a field too many
        lambda d: d["genes"][9].__setitem__("low", ""),  # an empty description
        lambda d: d["genes"].__setitem__(10, "face_width"),  # not an entry
        lambda d: d.pop("genes"),  # version 2 without a map
        lambda d: d.__setitem__("version", 1),  # version 1 with a map
    ],
)
def test_malformed_gene_maps_are_rejected(mutate):
    with pytest.raises(TableError):
        parse_table(_mutated_v2(mutate))


def test_a_gene_map_is_added_to_version_1_tables_only():
    from renderer.portrait.genes import GENE_MAP
    from renderer.table import TABLE_V2, with_gene_map

    with pytest.raises(TableError):
        with_gene_map(TABLE_V2.read_bytes(), GENE_MAP)
    with pytest.raises(TableError):  # the map must cover every gene
        with_gene_map(DEFAULT_TABLE.read_bytes(), GENE_MAP[:63])


def test_genes_of_latents_inverts_latents_and_interpolates_between_nibbles():
    from renderer.table import load_table

    table = load_table()
    nibbles = np.arange(16)
    assert np.array_equal(table.genes_of_latents(table.gene_values[nibbles]), nibbles)
    middle = (table.gene_values[3] + table.gene_values[4]) / 2
    assert 3 < table.genes_of_latents(np.array([middle]))[0] < 4
