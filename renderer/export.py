"""Export a training checkpoint's EMA generator as shipped weights (:mod:`renderer.weights` format)."""

from __future__ import annotations

import json
from pathlib import Path

from renderer.training.checkpoint import load_checkpoint
from renderer.weights import FORMAT_V2, FORMAT_V3, WEIGHTS_V3, check_truncation, write_weights


def export_generator(
    ckpt_path: str | Path, out_path: str | Path = WEIGHTS_V3, truncation: float = 1.0, format_tag: str = FORMAT_V3
) -> Path:
    """Write the EMA generator of a training checkpoint (full, compact or snapshot) as float16 safetensors
    tagged ``format_tag``: :data:`FORMAT_V3` (a v3 run: its generator reads table v2 and its gene map) or
    :data:`FORMAT_V2` (the same network read with table v1, as v2 was).

    ``truncation`` (0 < t <= 1) scales the code latent at render time (the truncation trick): below 1 it
    trades some code-driven variety for fidelity.
    """
    check_truncation(truncation)
    if format_tag not in (FORMAT_V2, FORMAT_V3):
        raise ValueError(f"a v2-architecture generator is exported as {FORMAT_V2} or {FORMAT_V3}, not {format_tag!r}")
    ckpt = load_checkpoint(ckpt_path)
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
