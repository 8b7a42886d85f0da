"""Tiny v3 training runs for the renderer's training tests: a config that trains in seconds, and a run
resumed from a checkpoint for a few more steps (imports torch)."""

from __future__ import annotations

from pathlib import Path

from renderer.model_v2 import ModelConfigV2
from renderer.training.checkpoint import load_checkpoint, save_atomic
from renderer.training.loop import TrainConfigV3, train_v3
from support.tiny_models import TINY_V3


def tiny_run_config(run_dir: Path, steps: int, model: ModelConfigV2 = TINY_V3, **overrides: object) -> TrainConfigV3:
    """A run of ``steps`` steps of batch 4 on one thread, drawing in-process, its EMA half-life 8 images."""
    settings: dict = dict(batch=4, threads=1, ema_half_life_images=8, draw_workers=0) | overrides
    return TrainConfigV3(run_dir=str(run_dir), max_steps=steps, model=model, **settings)


def trained_for(cfg: TrainConfigV3) -> dict:
    """The checkpoint of a new run of ``cfg`` (no committed checkpoint to resume, no v2 to graft)."""
    return load_checkpoint(train_v3(cfg, resume_path=None, graft_path=None, progress=False))


def resumed_for(ck: dict, run_dir: Path, more_steps: int) -> dict:
    """Checkpoint ``ck`` written as ``run_dir``'s own, the run resumed from it for ``more_steps`` steps, its
    checkpoint then."""
    save_atomic(ck, run_dir / "ckpt.pt")
    cfg = TrainConfigV3.from_dict(ck["config"])
    cfg.run_dir, cfg.max_steps = str(run_dir), ck["step"] + more_steps
    return trained_for(cfg)
