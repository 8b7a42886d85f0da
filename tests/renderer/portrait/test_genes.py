"""The gene map: 64 named genes, each a monotone parameter of the look."""

from __future__ import annotations

import pytest

from renderer.portrait.genes import GENE_COUNT, GENE_MAP, GROUPS, Looks


def test_every_gene_is_named_once():
    assert len(GENE_MAP) == GENE_COUNT == 64
    assert [g.index for g in GENE_MAP] == list(range(64))
    assert len({g.name for g in GENE_MAP}) == 64
    assert set(GROUPS) == {g.group for g in GENE_MAP}


def test_looks_maps_nibbles_linearly_onto_ranges():
    genes = [0] * 64
    genes[GENE_MAP[10].index] = 15
    genes[GENE_MAP[11].index] = 5
    looks = Looks(genes)
    assert getattr(looks, GENE_MAP[10].name) == 1.0
    assert looks.span(GENE_MAP[11].name, 2.0, 5.0) == pytest.approx(3.0)
    assert looks.span(GENE_MAP[0].name, 2.0, 5.0) == 2.0


def test_looks_refuses_unknown_names_and_wrong_counts():
    with pytest.raises(AttributeError):
        Looks([0] * 64).no_such_gene  # noqa: B018
    with pytest.raises(ValueError):
        Looks([0] * 63)


def test_descriptions_name_both_ends():
    assert GENE_MAP[0].describes == "Face width: narrow (0) to wide (15)"
