"""Renderer fixtures: a tiny corpus, a tiny trained run and its exported weights (session-wide).

Everything is small so the renderer suite runs in about a minute on 2 cores; the shipped
model is never trained here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from renderer.corpus import Corpus, build
from renderer.export import export_generator
from renderer.train import TrainConfig, train

torch.set_num_threads(1)  # robust on a shared 2-core machine (see renderer.train.TrainConfig.threads)


@pytest.fixture(scope="session")
def tiny_corpus() -> Corpus:
    """48 labelled 64 px heads, corpus seed 3."""
    return build(48, seed=3, size=64, workers=1, progress=False)


def tiny_config(run_dir: Path, steps: int) -> TrainConfig:
    """A few-step training configuration (batch 8, one teacher epoch)."""
    return TrainConfig(
        run_dir=str(run_dir),
        max_steps=steps,
        batch=8,
        teacher_epochs=1,
        ema_start=1,
        ckpt_every_s=1e9,
        sample_every_s=1e9,
    )


@pytest.fixture(scope="session")
def make_tiny_config():
    """The :func:`tiny_config` factory, for tests that train their own runs."""
    return tiny_config


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory, tiny_corpus) -> Path:
    """Checkpoint of a 3-step training run on the tiny corpus."""
    run = tmp_path_factory.mktemp("run")
    return train(tiny_config(run, 3), corpus=tiny_corpus, progress=False)


@pytest.fixture(scope="session")
def tiny_weights(tmp_path_factory, tiny_run) -> Path:
    """The tiny run's EMA generator exported as safetensors."""
    return export_generator(tiny_run, tmp_path_factory.mktemp("weights") / "generator.safetensors")
