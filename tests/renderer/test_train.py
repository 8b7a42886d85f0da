"""Tiny end-to-end training: checkpoints describe themselves, resume continues exactly."""

from __future__ import annotations

import json

import torch

from renderer.train import TrainConfig, ema_generator, load_checkpoint, train


def test_tiny_run_writes_a_self_describing_checkpoint(tiny_run):
    ckpt = load_checkpoint(tiny_run)
    assert ckpt["step"] == 3
    cfg = TrainConfig.from_dict(ckpt["config"])
    assert cfg.batch == 8 and cfg.model.size == 64
    G = ema_generator(ckpt)
    x = G(torch.zeros(1, 64), torch.zeros(1, 8, dtype=torch.long))
    assert x.shape == (1, 3, 64, 64)
    run = tiny_run.parent
    assert (run / "teacher.pt").exists()
    assert list((run / "samples").glob("step_*.png"))
    lines = (run / "log.jsonl").read_text().splitlines()
    assert all("loss_d" in json.loads(line) for line in lines)


def test_training_changes_the_generator(tiny_run, tmp_path, tiny_corpus):
    torch.manual_seed(1)  # the run's seed: same initial weights
    from renderer.model import Generator

    initial = Generator(TrainConfig().model).state_dict()
    trained = load_checkpoint(tiny_run)["G"]
    assert any(not torch.equal(initial[k], trained[k]) for k in initial)


def test_resume_equals_an_uninterrupted_run(tmp_path, tiny_corpus, make_tiny_config):
    tiny_config = make_tiny_config
    straight = train(tiny_config(tmp_path / "straight", 4), corpus=tiny_corpus, progress=False)
    resumed_dir = tmp_path / "resumed"
    train(tiny_config(resumed_dir, 2), corpus=tiny_corpus, progress=False)
    resumed = train(tiny_config(resumed_dir, 4), corpus=tiny_corpus, progress=False)
    a, b = load_checkpoint(straight), load_checkpoint(resumed)
    assert a["step"] == b["step"] == 4
    for key in ("G", "D", "G_ema"):
        for name, tensor in a[key].items():
            assert torch.allclose(tensor, b[key][name], atol=1e-6), f"{key}.{name} differs after resume"


def test_fake_batches_draw_codes_through_the_table_and_traits_uniformly_or_by_table():
    import numpy as np

    from renderer.table import load_table
    from renderer.train import fake_batch

    table = load_table()
    z, y = fake_batch(table, np.random.default_rng(0), 32000, uniform_traits=True)
    assert set(np.unique(z)) <= set(table.gene_values.tolist())
    for i, n in enumerate(table.trait_sizes):
        np.testing.assert_allclose(np.bincount(y[:, i], minlength=n) / len(y), 1 / n, atol=0.015)
    _, y_table = fake_batch(table, np.random.default_rng(0), 32000, uniform_traits=False)
    np.testing.assert_allclose(
        np.bincount(y_table[:, 5], minlength=4) / len(y_table), table.value_probabilities(5), atol=0.015
    )
