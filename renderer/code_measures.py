"""What the code genes do in a renderer's pictures, in one report: each gene's say (live, smooth; see
:mod:`renderer.gene_effects`) and code-only inheritance (:mod:`renderer.inheritance`). ``evaluate``,
``gene-effects`` and ``curve`` report it."""

from __future__ import annotations

from renderer.gene_effects import Draw, gene_effects, random_genomes, summary
from renderer.inheritance import inheritance
from renderer.portrait.genes import GENE_MAP
from renderer.table import Table


def code_measures(draw: Draw, table: Table, genomes: int, seed: int = 7) -> dict:
    """Each gene's say over ``genomes`` random genomes (rows named by the gene map) and code-only
    inheritance over as many parent pairs (at least 16)."""
    genes, values = random_genomes(genomes, seed, table)
    result = summary(gene_effects(draw, genes, values))
    for row in result["genes"]:
        row["name"] = GENE_MAP[row["index"]].name
    return {"genes": result, "inheritance": inheritance(draw, table, pairs=max(genomes, 16), seed=seed)}
