"""Export a training checkpoint's EMA generator as shipped weights (:mod:`renderer.weights` format)."""

from __future__ import annotations

import json
from pathlib import Path

from renderer.train import TrainConfig, load_checkpoint
from renderer.weights import FORMAT, FORMAT_V2, FORMAT_V3, WEIGHTS_V1, WEIGHTS_V2, check_truncation, write_weights


def export_generator(ckpt_path: str | Path, out_path: str | Path = WEIGHTS_V1, truncation: float = 1.0) -> Path:
    """Write the EMA generator of ``ckpt_path`` to ``out_path`` (+ a sibling ``.json``).

    ``truncation`` (0 < t <= 1) scales the code latent at render time (the truncation trick):
    below 1 it trades some code-driven variety for fidelity.
    """
    check_truncation(truncation)
    ckpt = load_checkpoint(ckpt_path)
    cfg = TrainConfig.from_dict(ckpt["config"])
    cfg.model.truncation = truncation
    state = {k: v.detach().contiguous().half() for k, v in ckpt["G_ema"].items()}  # fp16 halves the file
    meta = {
        "format": FORMAT,
        "config": json.dumps(cfg.model.to_dict(), sort_keys=True),
        "step": str(ckpt["step"]),
        "train_config": json.dumps(cfg.to_dict(), sort_keys=True),
    }
    return write_weights(state, meta, out_path)


def export_generator_v2(
    ckpt_path: str | Path, out_path: str | Path = WEIGHTS_V2, truncation: float = 1.0, format_tag: str = FORMAT_V2
) -> Path:
    """Write the EMA generator of a v2 or v3 checkpoint (full, compact or snapshot) as float16 safetensors
    tagged ``format_tag`` (:data:`FORMAT_V3` for a v3 run: its generator reads table v2)."""
    from renderer.train_v2 import load_checkpoint_v2

    check_truncation(truncation)
    if format_tag not in (FORMAT_V2, FORMAT_V3):
        raise ValueError(f"a v2-architecture generator is exported as {FORMAT_V2} or {FORMAT_V3}, not {format_tag!r}")
    ckpt = load_checkpoint_v2(ckpt_path)
    model = dict(ckpt["config"]["model"], truncation=truncation)
    state = {k: v.detach().contiguous().half() for k, v in ckpt["G_ema"].items()}
    meta = {
        "format": format_tag,
        "config": json.dumps(model, sort_keys=True),
        "step": str(ckpt["step"]),
        "images_seen": str(ckpt.get("images_seen", 0)),
        "train_config": json.dumps(ckpt["config"], sort_keys=True),
    }
    return write_weights(state, meta, out_path)
