"""The independent evaluation against the shipped reader. A perfect renderer (each genome's own
reference portrait) scores about 1 on the Fréchet ratio; one that draws balanced corpus portraits
(right-looking pictures, wrong mix of traits) far more; one that collapses the code-driven parts
shows in diversity and fidelity (the reader's features hardly see eyebrows and noses, so the
Fréchet ratio cannot); fidelity by hand."""

from __future__ import annotations

import numpy as np
import pytest

from latentkin_core.genome import Genome
from renderer.independent_eval import (
    IndependentEvalConfig,
    evaluate_independent,
    fidelity,
    frechet_references,
    portraits_of,
)
from renderer.paired_corpus import build
from renderer.reader import READER_CORPUS_SEED, READER_SIZE, SHIPPED_READER, load_reader
from renderer.table import load_table

# small enough for the suite (about 900 portraits in all), large enough to tell the two apart
SMALL = IndependentEvalConfig(
    genomes=150,
    frechet_samples=150,
    reference_genomes=300,
    fidelity_genomes=30,
    diversity_groups=2,
    diversity_per_group=3,
    heredity_pairs=6,
)


@pytest.fixture(scope="module")
def setting():
    table = load_table()
    return (
        table,
        load_reader(SHIPPED_READER),
        build(150, READER_CORPUS_SEED, READER_SIZE, progress=False),
        frechet_references(table, SMALL),
    )


def test_perfect_renderer_scores_about_one_a_wrong_mix_far_more_and_collapse_shows(setting):
    table, reader, held_out, references = setting

    def perfect(genomes):
        return portraits_of(genomes, table, READER_SIZE, workers=2)

    def collapsed(genomes):  # the code-driven parts of one genome for everyone; traits still right
        same = [Genome.from_parts([0] * 64, g.mains, g.subs) for g in genomes]
        return portraits_of(same, table, READER_SIZE, workers=2)

    def balanced(genomes):  # corpus portraits: drawn right, but each trait value equally often
        return held_out.images[[g.code % len(held_out) for g in genomes]]

    good = evaluate_independent(perfect, table, reader, held_out, SMALL, references=references)
    assert good["frechet_ratio"] < 1.3 and good["frechet_samples"] == 150
    assert good["fidelity"] == {"mae": 0.0, "psnr_db": pytest.approx(148.13, abs=0.01), "genomes": 30}
    assert good["trait_accuracy"] >= 0.95
    assert set(good["balanced_corpus"]) == {"frechet", "frechet_corpus_halves", "frechet_ratio", "frechet_samples"}
    mix = evaluate_independent(balanced, table, reader, held_out, SMALL, references=references)
    assert mix["frechet_ratio"] > 2 * good["frechet_ratio"]
    assert mix["balanced_corpus"]["frechet_ratio"] < good["balanced_corpus"]["frechet_ratio"]
    same = evaluate_independent(collapsed, table, reader, held_out, SMALL, references=references)
    assert same["trait_accuracy"] >= 0.9  # traits still right
    assert same["diversity_ratio"] < 0.5 * good["diversity_ratio"]
    assert same["fidelity"]["mae"] > 5 and same["fidelity"]["psnr_db"] < 30


def test_fidelity_by_hand():
    black, white = np.zeros((2, 4, 4, 3), np.uint8), np.full((2, 4, 4, 3), 255, np.uint8)
    assert fidelity(black, white) == {"mae": 255.0, "psnr_db": 0.0, "genomes": 2}
    grey = black.copy()
    grey[0] = 51  # image 0 off by 51 everywhere: PSNR 20 log10(255 / 51) = 13.98 dB; image 1 exact
    assert fidelity(grey, black)["mae"] == pytest.approx(25.5)
    assert fidelity(grey[:1], black[:1])["psnr_db"] == pytest.approx(13.979, abs=1e-3)
