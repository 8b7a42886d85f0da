"""``python -m renderer``: corpus, train, export, evaluate, render, grid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="latentkin renderer: corpus, GAN, evaluation.")


@app.command()
def corpus(count: int = 20000, seed: int = 0, size: int = 64, workers: int = 2,
           directory: Path = Path("var/corpus")) -> None:
    """Draw (or load from cache) a labelled corpus and print where it is cached."""
    from renderer.corpus import cache_path, load_or_build

    c = load_or_build(count, seed, size, directory, workers)
    typer.echo(f"{len(c)} images {c.images.shape[1]}px -> {cache_path(count, seed, size, directory)}")


@app.command()
def train(run_dir: Path = Path("var/runs/shipped"), minutes: float = 90.0, max_steps: int = 1_000_000,
          batch: int = 32, corpus_count: int = 20000, corpus_seed: int = 0,
          corpus_dir: Path = Path("var/corpus"), seed: int = 1, teacher_epochs: int = 3,
          ckpt_every_s: float = 240.0, sample_every_s: float = 300.0,
          progress: bool = True) -> None:
    """Train or resume the conditional GAN in RUN_DIR (checkpoints, sample grids, log.jsonl)."""
    from renderer.train import TrainConfig
    from renderer.train import train as run_training

    ckpt = run_dir / "ckpt.pt"
    if ckpt.exists():
        from renderer.train import load_checkpoint
        cfg = TrainConfig.from_dict(load_checkpoint(ckpt)["config"])
        cfg.minutes, cfg.max_steps = minutes, max_steps  # budgets may change on resume
        typer.echo(f"resuming {ckpt}")
    else:
        cfg = TrainConfig(run_dir=str(run_dir), minutes=minutes, max_steps=max_steps, batch=batch,
                          corpus_count=corpus_count, corpus_seed=corpus_seed, corpus_dir=str(corpus_dir),
                          seed=seed, teacher_epochs=teacher_epochs, ckpt_every_s=ckpt_every_s,
                          sample_every_s=sample_every_s)
    path = run_training(cfg, progress=progress)
    typer.echo(f"checkpoint: {path}")
