"""Export a training checkpoint's EMA generator as shipped ``safetensors`` weights.

Weights are stored as float16 (half the bytes; the renderer computes in float32). The
weights file carries its own config in the safetensors metadata (``config`` JSON,
``format``, ``step``), so :class:`renderer.render.Renderer` needs nothing else; a sibling
``.json`` repeats the metadata for humans and tools.
"""

from __future__ import annotations

import json
from pathlib import Path

from safetensors.torch import load as load_safetensors
from safetensors.torch import save_file

from renderer.train import TrainConfig, load_checkpoint

FORMAT = "latentkin-generator-v1"
FORMAT_V2 = "latentkin-generator-v2"
SHIPPED_WEIGHTS = Path(__file__).parent / "data" / "generator_v1.safetensors"
WEIGHTS_V2 = Path(__file__).parent / "data" / "generator_v2.safetensors"


def export_generator(ckpt_path: str | Path, out_path: str | Path = SHIPPED_WEIGHTS, truncation: float = 1.0) -> Path:
    """Write the EMA generator of ``ckpt_path`` to ``out_path`` (+ a sibling ``.json``).

    ``truncation`` (0 < t <= 1) scales the code latent at render time (the truncation trick):
    below 1 it trades some code-driven variety for fidelity.
    """
    _check_truncation(truncation)
    ckpt = load_checkpoint(ckpt_path)
    cfg = TrainConfig.from_dict(ckpt["config"])
    cfg.model.truncation = truncation
    state = {k: v.detach().contiguous().half() for k, v in ckpt["G_ema"].items()}  # fp16 halves the file
    meta = {"format": FORMAT, "config": json.dumps(cfg.model.to_dict(), sort_keys=True),
            "step": str(ckpt["step"]), "train_config": json.dumps(cfg.to_dict(), sort_keys=True)}
    return _write(state, meta, Path(out_path))


def export_generator_v2(ckpt_path: str | Path, out_path: str | Path = WEIGHTS_V2, truncation: float = 1.0) -> Path:
    """Write the EMA generator of a v2 checkpoint (full, compact or snapshot) as float16 safetensors."""
    from renderer.train_v2 import load_checkpoint_v2

    _check_truncation(truncation)
    ckpt = load_checkpoint_v2(ckpt_path)
    model = dict(ckpt["config"]["model"], truncation=truncation)
    state = {k: v.detach().contiguous().half() for k, v in ckpt["G_ema"].items()}
    meta = {"format": FORMAT_V2, "config": json.dumps(model, sort_keys=True), "step": str(ckpt["step"]),
            "images_seen": str(ckpt.get("images_seen", 0)), "train_config": json.dumps(ckpt["config"], sort_keys=True)}
    return _write(state, meta, Path(out_path))


def set_truncation(weights_path: str | Path, truncation: float, out_path: str | Path | None = None) -> Path:
    """Rewrite exported weights with another render-time ``truncation`` (tensors unchanged).

    For weights whose training checkpoint is gone; writes ``out_path`` (default: in place).
    """
    _check_truncation(truncation)
    from renderer.render import Renderer, _metadata

    Renderer.load(weights_path)  # refuses a missing or corrupt file with a clear error
    raw = Path(weights_path).read_bytes()
    meta = _metadata(raw)
    model = json.loads(meta["config"])
    model["truncation"] = truncation
    meta["config"] = json.dumps(model, sort_keys=True)
    return _write(load_safetensors(raw), meta, Path(out_path or weights_path))


def _check_truncation(truncation: float) -> None:
    if not 0 < truncation <= 1:
        raise ValueError(f"truncation must be in (0, 1], got {truncation}")


def _write(state: dict, meta: dict[str, str], out: Path) -> Path:
    """Atomically write safetensors ``out`` with ``meta``, and its sibling ``.json``."""
    sidecar = {"format": meta["format"], "step": int(meta.get("step", 0)), "model": json.loads(meta["config"]),
               "train": json.loads(meta.get("train_config", "{}")),
               "parameters": sum(v.numel() for v in state.values())}  # built first: a bad meta writes nothing
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    save_file(state, str(tmp), metadata=meta)
    tmp.replace(out)
    out.with_suffix(".json").write_text(json.dumps(sidecar, indent=1, sort_keys=True) + "\n")
    return out
