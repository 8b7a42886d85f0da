"""The smallest v2/v3 network configs the renderer's training tests run in seconds (imports torch)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from renderer.model_v2 import ModelConfigV2

# 16 px, a handful of channels, no trait maps and no part projections
TINY_V2 = ModelConfigV2(
    size=16,
    embed_dim=4,
    w_dim=16,
    mapping_layers=1,
    g_channels={4: 16, 8: 16, 16: 8},
    g_convs={4: 1, 8: 1, 16: 1},
    d_channels={16: 8, 8: 16, 4: 16},
)
# the same with 2-channel trait maps at 8 px (v3's shape)
TINY_V3 = replace(TINY_V2, trait_map_channels=2, trait_map_size=8)


def export_untrained(
    model: ModelConfigV2,
    directory: Path,
    *,
    format_tag: str = "latentkin-generator-v2",
    truncation: float = 1.0,
    seed: int = 0,
    step: int = 0,
    images_seen: int = 0,
    spread: float | None = None,
) -> Path:
    """An untrained v2-architecture generator written as a training checkpoint (``directory/ckpt.pt``, in the
    v3 loop's format) and exported as shipped weights tagged ``format_tag``; ``spread`` redraws the affine
    weights, trait injection, layout and atlas injection with that standard deviation, so codes and traits reach the
    picture."""
    import torch

    from renderer.export import export_generator
    from renderer.model_v2 import GeneratorV2
    from renderer.training.loop import TrainConfigV3

    torch.manual_seed(seed)
    G = GeneratorV2(model)
    if spread is not None:
        for p in G.parameters():
            if p.dim() == 2:
                torch.nn.init.normal_(p, std=spread)
        torch.nn.init.normal_(G.trait_inject.weight, std=spread)
        for conv in (*G.layout_inject.values(), *G.atlas_inject.values()):
            torch.nn.init.normal_(conv.weight, std=spread)
    directory.mkdir(parents=True, exist_ok=True)
    ckpt = {
        "config": TrainConfigV3(model=model).to_dict(),
        "step": step,
        "images_seen": images_seen,
        "G_ema": G.state_dict(),
    }
    torch.save(ckpt, directory / "ckpt.pt")
    name = "generator_v3.safetensors" if format_tag.endswith("v3") else "generator_v2.safetensors"
    return export_generator(directory / "ckpt.pt", directory / name, truncation, format_tag)


def export_untrained_v1(model: object, out: Path, seed: int = 0) -> Path:
    """An untrained v1 generator (``renderer.model.ModelConfig`` ``model``) written as v1 shipped weights."""
    import json

    import torch

    from renderer.model import Generator
    from renderer.weights import FORMAT, write_weights

    torch.manual_seed(seed)
    G = Generator(model)  # type: ignore[arg-type]
    state = {k: v.detach().contiguous().half() for k, v in G.state_dict().items()}
    meta = {"format": FORMAT, "config": json.dumps(model.to_dict(), sort_keys=True), "step": "0"}  # type: ignore[attr-defined]
    return write_weights(state, meta, out)
