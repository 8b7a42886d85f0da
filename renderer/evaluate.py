"""Quality bars of a renderer, measured with a separate trait classifier.

The evaluation classifier is trained from scratch, with its own seed, on a held-out corpus
(drawn with another corpus seed than the GAN's training corpus) and scored on a split of
it the classifier never saw. Then, on random genomes rendered by the renderer:

* trait accuracy: the classifier's reading of each render against the genome's main traits;
* Fréchet distance in the classifier's feature space between renders and held-out corpus
  images, beside the same distance between two equal halves of held-out corpus images;
* diversity: mean pairwise feature distance of renders that share all traits but not the
  code, over the same measure for corpus images that share all labels (free parts random);
* heredity: mean feature distance from a fused child to its parents over the same distance
  from an unrelated random character to those parents (below 1 means children resemble
  their parents), for crossover and for blend children of the same parents and seeds;
* midpoint: mean feature distance from a child to the midpoint of its parents' features over
  the same distance from a stranger, per fusion mode (blended children should sit nearer); also
  measured on the pixels and on the generator's code latents (the table's quantiles), to tell
  what the fusion rule does from what the renderer and the classifier make of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from latentkin_core.genome import FusionMode, Genome, fusion_outcome, random_genome
from renderer.classifier import (
    ClassifierConfig,
    TraitClassifier,
    load_classifier,
    per_trait_accuracy,
    predict,
    save_classifier,
    train_classifier,
)
from renderer.corpus import Corpus, avatar_svg, rasterise
from renderer.render import Renderer
from renderer.vocabulary import TRAIT_NAMES


@dataclass
class EvalConfig:
    """Sizes and seeds of one evaluation."""

    genomes: int = 2000
    diversity_groups: int = 40
    diversity_per_group: int = 6
    heredity_pairs: int = 400
    classifier_seed: int = 11
    classifier_epochs: int = 10
    classifier_train_fraction: float = 0.8
    seed: int = 2026


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to feature sets a (N, D) and b (M, D)."""
    mu_a, mu_b = a.mean(axis=0), b.mean(axis=0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # Tr sqrt(A B) = Tr sqrt(A^1/2 B A^1/2), both symmetric PSD: use eigh, no scipy needed.
    w, v = np.linalg.eigh(cov_a)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    inner = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_sqrt = np.sqrt(np.clip(inner, 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt)


def mean_pairwise_distance(features: np.ndarray) -> float:
    """Mean Euclidean distance over all distinct pairs of rows of (N, D) features."""
    d = np.sqrt(((features[:, None, :] - features[None, :, :]) ** 2).sum(-1))
    n = len(features)
    return float(d.sum() / (n * (n - 1)))


def heredity_measures(
    fa: np.ndarray, fb: np.ndarray, fs: np.ndarray, children: dict[str, np.ndarray]
) -> dict[str, dict[str, float]]:
    """Per fusion mode, from (N, D) features of parents A and B, strangers and each mode's children
    (row i: the child of A[i] and B[i]): ``parents`` = mean child-to-parents distance over the
    stranger's, ``midpoint`` = mean distance to (A + B) / 2 over the stranger's."""
    dist = lambda u, v: np.sqrt(((u - v) ** 2).sum(axis=1))
    midpoint = (fa + fb) / 2
    stranger_to_parents = (dist(fs, fa) + dist(fs, fb)).mean() / 2
    stranger_to_midpoint = dist(fs, midpoint).mean()
    return {
        name: {
            "parents": float((dist(fc, fa) + dist(fc, fb)).mean() / 2 / stranger_to_parents),
            "midpoint": float(dist(fc, midpoint).mean() / stranger_to_midpoint),
        }
        for name, fc in children.items()
    }


def eval_classifier(
    held_out: Corpus, cfg: EvalConfig, cache: Path | None = None, progress: bool = True
) -> tuple[TraitClassifier, np.ndarray, Corpus]:
    """Train (or load) the evaluation classifier; returns it, its per-trait held-out accuracy
    and the part of the held-out corpus it was not trained on."""
    train_part, test_part = held_out.split(1 - cfg.classifier_train_fraction, seed=cfg.classifier_seed)
    if cache is not None and cache.exists():
        model = load_classifier(cache)
    else:
        model = train_classifier(
            train_part.images,
            train_part.labels,
            seed=cfg.classifier_seed,
            epochs=cfg.classifier_epochs,
            cfg=ClassifierConfig(),
            progress=progress,
        )
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            save_classifier(model, cache)
    pred, _ = predict(model, test_part.images)
    return model, per_trait_accuracy(pred, test_part.labels), test_part


def evaluate(
    renderer: Renderer,
    held_out: Corpus,
    cfg: EvalConfig | None = None,
    classifier_cache: Path | None = None,
    progress: bool = True,
) -> dict:
    """All quality measures of ``renderer`` (see module docstring) as a JSON-friendly dict."""
    cfg = cfg or EvalConfig()
    model, cls_acc, test_part = eval_classifier(held_out, cfg, classifier_cache, progress)
    rng = random.Random(cfg.seed)
    table = renderer.table

    genomes = [random_genome(rng) for _ in range(cfg.genomes)]
    renders = renderer.render_pixels(genomes)
    pred, feats = predict(model, renders)
    truth = np.stack([table.trait_indices(g) for g in genomes])
    acc = per_trait_accuracy(pred, truth)

    _, corpus_feats = predict(model, test_part.images)
    half = len(corpus_feats) // 2
    n = min(len(feats), half)
    frechet = frechet_distance(feats[:n], corpus_feats[:n])
    frechet_halves = frechet_distance(corpus_feats[half : half + n], corpus_feats[:n])

    render_div, corpus_div = [], []
    for _ in range(cfg.diversity_groups):
        base = random_genome(rng)
        group = [
            Genome.from_parts([rng.randrange(16) for _ in range(64)], base.mains, base.subs)
            for _ in range(cfg.diversity_per_group)
        ]
        render_div.append(mean_pairwise_distance(predict(model, renderer.render_pixels(group))[1]))
        labels = tuple(int(v) for v in table.trait_indices(base))
        drawn = np.stack(
            [
                np.asarray(rasterise(avatar_svg(labels, random.Random(rng.getrandbits(64))), renderer.native_size))
                for _ in range(cfg.diversity_per_group)
            ]
        )
        corpus_div.append(mean_pairwise_distance(predict(model, drawn)[1]))

    parents_a = [random_genome(rng) for _ in range(cfg.heredity_pairs)]
    parents_b = [random_genome(rng) for _ in range(cfg.heredity_pairs)]
    seeds = [rng.getrandbits(256) for _ in range(cfg.heredity_pairs)]
    strangers = [random_genome(rng) for _ in range(cfg.heredity_pairs)]
    children = {
        mode.label: [fusion_outcome(a, b, seed, mode) for a, b, seed in zip(parents_a, parents_b, seeds)]
        for mode in FusionMode
    }  # the same parents and seeds for every mode
    groups = [parents_a, parents_b, strangers, *children.values()]
    renders = [renderer.render_pixels(gs) for gs in groups]  # (N, H, W, 3) uint8 each
    spaces = {}
    for space, arrays in (
        ("features", [predict(model, r)[1] for r in renders]),
        ("pixels", [r.reshape(len(r), -1).astype(np.float64) for r in renders]),
        ("latent", [np.stack([table.latents(g) for g in gs]).astype(np.float64) for gs in groups]),
    ):
        spaces[space] = heredity_measures(*arrays[:3], dict(zip(children, arrays[3:])))
    heredity = spaces["features"]

    return {
        "trait_accuracy": round(float(acc.mean()), 4),
        "per_trait": {name: round(float(a), 4) for name, a in zip(TRAIT_NAMES, acc)},
        "classifier_accuracy": round(float(cls_acc.mean()), 4),
        "classifier_per_trait": {name: round(float(a), 4) for name, a in zip(TRAIT_NAMES, cls_acc)},
        "frechet": round(frechet, 3),
        "frechet_corpus_halves": round(frechet_halves, 3),
        "diversity_ratio": round(float(np.mean(render_div) / np.mean(corpus_div)), 4),
        "heredity_ratio": round(heredity["crossover"]["parents"], 4),
        "heredity_ratio_blend": round(heredity["blend"]["parents"], 4),
        "midpoint_ratio": {name: round(h["midpoint"], 4) for name, h in heredity.items()},
        "midpoint_ratio_pixels": {name: round(h["midpoint"], 4) for name, h in spaces["pixels"].items()},
        "midpoint_ratio_latent": {name: round(h["midpoint"], 4) for name, h in spaces["latent"].items()},
        "genomes": cfg.genomes,
        "renderer_hash": renderer.renderer_hash().hex(),
    }
