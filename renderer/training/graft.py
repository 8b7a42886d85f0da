"""Starting v3 from v2 without losing anything it learned, and growing it to 256 px.

v3 trains first at v2's 128 px (:data:`MODEL_V3_128`: v2's networks, every weight kept), then grows by
one resolution (:data:`MODEL_V3`), as progressive GANs do: the picture's layout is learnt where a step
is cheap, the fine detail last. Grown networks are the smaller ones plus one resolution: the generator
gains a 256 px block whose RGB layer starts at zero, so at the start it draws exactly v2's picture
upsampled; the discriminator gains a first block at 256 px and keeps v2's blocks one index further on.
The discriminator's projection on v2's code-driven parts goes: in v3 every gene shapes the picture continuously.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import torch

from renderer.model_v2 import DiscriminatorV2, GeneratorV2, ModelConfigV2, ModulatedConv

V2_CHECKPOINT = Path(__file__).parent / "resume_v2.pt"  # v2's last training state, where v3 started from
# v2's shipped architecture less the projection on v2's code-driven parts
MODEL_V3_128 = ModelConfigV2(trait_map_channels=16, trait_map_size=32, part_sizes=())
# and grown by one resolution
MODEL_V3 = ModelConfigV2(
    size=256,
    g_channels={4: 256, 8: 192, 16: 128, 32: 64, 64: 32, 128: 12, 256: 8},
    g_convs={4: 1, 8: 1, 16: 1, 32: 1, 64: 1, 128: 1, 256: 1},
    d_channels={256: 12, 128: 24, 64: 48, 32: 96, 16: 192, 8: 256, 4: 256},
    trait_map_channels=16,
    trait_map_size=32,
    part_sizes=(),
)


def grow_generator(G: GeneratorV2, v2_state: dict[str, torch.Tensor]) -> None:
    """Load the weights of a generator one resolution smaller into ``G`` and zero its new RGB layer (its top
    block's, or its sub-pixel layer's) in place."""
    missing, unexpected = G.load_state_dict({k: v.float() for k, v in v2_state.items()}, strict=False)
    top = len(G.convs) - 1
    new = ("subpixel.",) if G.subpixel is not None else (f"convs.{top}.", f"to_rgb.{top}.")
    if unexpected or not missing or any(not k.startswith(new) for k in missing):
        raise ValueError(f"not a generator one resolution smaller: missing {missing}, unexpected {unexpected}")
    rgb = G.subpixel if G.subpixel is not None else G.to_rgb[top]
    assert isinstance(rgb, ModulatedConv)
    with torch.no_grad():
        rgb.weight.zero_()
        rgb.bias.zero_()


def block_moved_on(name: str) -> str:
    """A discriminator parameter's name one resolution larger: ``blocks.k.`` becomes ``blocks.k+1.``."""
    return re.sub(r"^blocks\.(\d+)\.", lambda m: f"blocks.{int(m.group(1)) + 1}.", name)


def grow_discriminator(D: DiscriminatorV2, v2_state: dict[str, torch.Tensor]) -> None:
    """Load the blocks (shifted one index on), last layers and projections of a discriminator one resolution
    smaller into ``D``."""
    moved = {}
    for key, value in v2_state.items():
        if key.startswith(("from_rgb.", "part_project.", "part_gain")):
            continue
        moved[block_moved_on(key)] = value.float()
    missing, unexpected = D.load_state_dict(moved, strict=False)
    if unexpected or any(not k.startswith(("from_rgb.", "blocks.0.")) for k in missing):
        raise ValueError(f"not a discriminator one resolution smaller: missing {missing}, unexpected {unexpected}")


def adopt(G: GeneratorV2, D: DiscriminatorV2, G_ema: GeneratorV2, ck: dict) -> None:
    """Load an older run's networks (checkpoint ``ck``) into v3 networks of its size or one resolution
    larger; the discriminator's projection on v2's code-driven parts is left out."""
    stored = ModelConfigV2.from_dict(ck["config"]["model"])
    if not grafts_from_v2(stored, G.cfg):
        raise ValueError("the checkpoint's networks are neither this model nor one resolution smaller")
    if stored.size == G.cfg.size:
        for net, part in ((G, "G"), (G_ema, "G_ema"), (D, "D")):
            state = {k: v.float() for k, v in ck[part].items() if not k.startswith(("part_project.", "part_gain"))}
            net.load_state_dict(state)
        return
    grow_generator(G, ck["G"])
    grow_generator(G_ema, ck["G_ema"])
    grow_discriminator(D, ck["D"])


def grafts_from_v2(stored: ModelConfigV2, grown: ModelConfigV2 = MODEL_V3) -> bool:
    """True when ``grown`` is ``stored`` (less part projections) or ``stored`` plus one resolution."""
    if stored.size == grown.size:
        return replace(stored, part_sizes=()) == replace(grown, part_sizes=())
    below = {r: c for r, c in grown.g_channels.items() if r < grown.size}
    return (
        stored.size * 2 == grown.size
        and stored.g_channels == below
        and stored.trait_map_channels == grown.trait_map_channels
        and stored.z_dim == grown.z_dim
        and stored.trait_sizes == grown.trait_sizes
        and stored.w_dim == grown.w_dim
    )
