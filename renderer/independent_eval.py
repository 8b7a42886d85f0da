"""Quality of a renderer as read by the independent reader (:mod:`renderer.reader`).

Everything here is measured with a network that no training step touched, on a corpus seed
no generator was trained on:

* trait accuracy per trait and recall per trait *value*, and the share of genomes whose 8
  traits are all read right, on random genomes;
* Fréchet distance in the reader's features, renders vs the reference portraits of *other*
  random genomes (drawn by the corpus code from a seed nothing renders or trains on), over the
  same distance between two equal samples of those portraits (the ratio is the figure; both
  sides use the same sample size, 1,000 each by default). A perfect renderer scores about 1.
  Random genomes are not balanced (the table gives "Open" eyes to 32% of them, "Dizzy" to 5.5%),
  so the balanced held-out corpus is the wrong reference: even the exact portraits of random
  genomes score about 6x against it. That figure is still reported, as ``balanced_corpus``;
* fidelity: mean absolute error (0-255) and PSNR of renders against each genome's own
  reference portrait at the render's size (the reader's features barely see softness);
* diversity: mean pairwise feature distance of renders sharing all traits but not the code,
  over the same for reference portraits of the same genomes;
* heredity: feature distance from a fused child to its parents over that of an unrelated
  character, and from the child to its parents' midpoint over the same for the unrelated one,
  for crossover and blend (or the fusion rules passed in), same parents and seeds.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from latentkin_core.genome import Genome, blend, fuse, random_genome
from renderer.distances import frechet_distance, heredity_measures, mean_pairwise_distance
from renderer.paired_corpus import STYLE_AVATARS, PairedCorpus, reference_images
from renderer.reader import READER_SIZE, TraitReader, read
from renderer.table import Table
from renderer.traits import TRAITS

DrawFn = Callable[[list[Genome]], np.ndarray]  # genomes -> uint8 (B, H, W, 3)
FuseFn = Callable[[Genome, Genome, int], Genome]


@dataclass
class IndependentEvalConfig:
    """Sizes and seeds of one independent evaluation."""

    genomes: int = 2000
    frechet_samples: int = 1000
    reference_genomes: int = 2000  # portraits of other random genomes: the Fréchet reference
    reference_seed: int = 5151
    fidelity_genomes: int = 500
    workers: int = 2  # processes drawing reference portraits
    diversity_groups: int = 30
    diversity_per_group: int = 6
    heredity_pairs: int = 300
    seed: int = 4242
    style: str = STYLE_AVATARS  # the reference portraits' style: the one the renderer imitates


def reading_scores(pred: np.ndarray, truth: np.ndarray) -> dict:
    """Accuracy per trait, recall per trait value and the all-8-right rate of predictions."""
    per_trait = (pred == truth).mean(axis=0)
    per_value = {}
    for i, trait in enumerate(TRAITS):
        per_value[trait.name] = {
            name: round(float((pred[truth[:, i] == v, i] == v).mean()), 4)
            for v, name in enumerate(trait.names)
            if (truth[:, i] == v).any()
        }
    return {
        "trait_accuracy": round(float(per_trait.mean()), 4),
        "per_trait": {t.name: round(float(a), 4) for t, a in zip(TRAITS, per_trait, strict=False)},
        "min_value_recall": round(min(r for values in per_value.values() for r in values.values()), 4),
        "all_traits_right": round(float((pred == truth).all(axis=1).mean()), 4),
        "per_value": per_value,
    }


def code_genes(genomes: list[Genome]) -> np.ndarray:
    """(N, 64) uint8 code genes of genomes: where a reader with crops looks for their parts."""
    return np.array([g.genes for g in genomes], np.uint8).reshape(len(genomes), 64)


def trait_labels(genomes: list[Genome], table: Table) -> np.ndarray:
    """(N, 8) uint8 trait value indices of genomes, through ``table``."""
    return np.stack([table.trait_indices(g) for g in genomes]).astype(np.uint8)


def portraits_of(
    genomes: list[Genome], table: Table, size: int, workers: int = 1, style: str = STYLE_AVATARS
) -> np.ndarray:
    """Reference portraits (N, size, size, 3) uint8 of genomes in ``style``: what a perfect renderer would draw."""
    return reference_images(code_genes(genomes), trait_labels(genomes, table), size, workers, style=style)


def frechet_references(table: Table, cfg: IndependentEvalConfig) -> PairedCorpus:
    """The reference portraits (at reader size, with their labels and code genes) of ``cfg.reference_genomes``
    random genomes drawn with ``cfg.reference_seed``, which no evaluation renders."""
    rng = random.Random(cfg.reference_seed)
    genomes = [random_genome(rng) for _ in range(cfg.reference_genomes)]
    genes, labels = code_genes(genomes), trait_labels(genomes, table)
    return PairedCorpus(reference_images(genes, labels, READER_SIZE, cfg.workers, style=cfg.style), labels, genes)


def frechet_ratio(feats: np.ndarray, reference_feats: np.ndarray, samples: int) -> dict:
    """Fréchet distance of ``samples`` render features to as many reference features, over the
    distance between two disjoint reference samples of that size."""
    n = min(samples, len(feats), len(reference_feats) // 2)
    frechet = frechet_distance(feats[:n], reference_feats[:n])
    halves = frechet_distance(reference_feats[n : 2 * n], reference_feats[:n])
    return {
        "frechet": round(frechet, 3),
        "frechet_reference_halves": round(halves, 3),
        "frechet_ratio": round(frechet / halves, 3),
        "frechet_samples": n,
    }


def fidelity(renders: np.ndarray, references: np.ndarray) -> dict:
    """Mean absolute error (0-255 scale) and mean PSNR (dB) of uint8 renders against references."""
    error = renders.astype(np.float64) - references.astype(np.float64)
    mse = np.maximum(np.square(error).mean(axis=(1, 2, 3)), 1e-10)
    return {
        "mae": round(float(np.abs(error).mean()), 3),
        "psnr_db": round(float((10 * np.log10(255.0**2 / mse)).mean()), 3),
        "genomes": len(renders),
    }


def evaluate_independent(
    draw: DrawFn,
    table: Table,
    reader: TraitReader,
    held_out: PairedCorpus,
    cfg: IndependentEvalConfig | None = None,
    fusions: dict[str, FuseFn] | None = None,
    references: PairedCorpus | None = None,
) -> dict:
    """Every independent measure of the renderer behind ``draw`` (see module docstring).

    ``references`` are the Fréchet reference portraits (:func:`frechet_references`, drawn when not
    given; pass them in to measure several renderers against the same ones)."""
    cfg = cfg or IndependentEvalConfig()
    fusions = fusions or {"crossover": fuse, "blend": blend}
    rng = random.Random(cfg.seed)
    genomes = [random_genome(rng) for _ in range(cfg.genomes)]
    renders = draw(genomes)
    pred, feats = read(reader, renders, code_genes(genomes))
    truth = trait_labels(genomes, table)
    report = reading_scores(pred, truth)

    references = frechet_references(table, cfg) if references is None else references
    report.update(frechet_ratio(feats, read(reader, references.images, references.genes)[1], cfg.frechet_samples))
    corpus = frechet_ratio(feats, read(reader, held_out.images, held_out.genes)[1], cfg.frechet_samples)
    report["balanced_corpus"] = {k.replace("reference", "corpus"): v for k, v in corpus.items()}
    few = genomes[: cfg.fidelity_genomes]
    report["fidelity"] = fidelity(
        renders[: len(few)], portraits_of(few, table, renders.shape[1], cfg.workers, cfg.style)
    )

    render_div, reference_div = [], []
    for _ in range(cfg.diversity_groups):
        base = random_genome(rng)
        group = [
            Genome.from_parts([rng.randrange(16) for _ in range(64)], base.mains, base.subs)
            for _ in range(cfg.diversity_per_group)
        ]
        genes = code_genes(group)
        render_div.append(mean_pairwise_distance(read(reader, draw(group), genes)[1]))
        reference = portraits_of(group, table, READER_SIZE, style=cfg.style)
        reference_div.append(mean_pairwise_distance(read(reader, reference, genes)[1]))
    report["diversity_ratio"] = round(float(np.mean(render_div) / np.mean(reference_div)), 4)

    parents_a = [random_genome(rng) for _ in range(cfg.heredity_pairs)]
    parents_b = [random_genome(rng) for _ in range(cfg.heredity_pairs)]
    strangers = [random_genome(rng) for _ in range(cfg.heredity_pairs)]
    seeds = [rng.getrandbits(256) for _ in range(cfg.heredity_pairs)]
    fa, fb, fs = (read(reader, draw(gs), code_genes(gs))[1] for gs in (parents_a, parents_b, strangers))
    children = {}
    for name, rule in fusions.items():
        kids = [rule(a, b, s) for a, b, s in zip(parents_a, parents_b, seeds, strict=False)]
        children[name] = read(reader, draw(kids), code_genes(kids))[1]
    heredity = heredity_measures(fa, fb, fs, children)
    report["heredity_ratio"] = {name: round(h["parents"], 4) for name, h in heredity.items()}
    report["midpoint_ratio"] = {name: round(h["midpoint"], 4) for name, h in heredity.items()}
    report["genomes"] = cfg.genomes
    return report
