"""The smallest v2/v3 network configs the renderer's training tests run in seconds (imports torch)."""

from __future__ import annotations

from dataclasses import replace

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
