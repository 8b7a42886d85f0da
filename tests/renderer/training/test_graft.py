"""Starting v3 from v2: every weight kept; the grown generator first draws v2's picture upsampled."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from renderer.model_v2 import DiscriminatorV2, GeneratorV2, ModelConfigV2
from renderer.training.graft import adopt, grafts_from_v2
from support.tiny_models import TINY_V3

SMALL = replace(TINY_V3, part_sizes=(3, 4))
GROWN = replace(
    SMALL,
    size=32,
    part_sizes=(),
    g_channels={**SMALL.g_channels, 32: 4},
    g_convs={**SMALL.g_convs, 32: 1},
    d_channels={32: 4, **SMALL.d_channels},
)


def _checkpoint(cfg: ModelConfigV2) -> dict:
    torch.manual_seed(0)
    G, D = GeneratorV2(cfg), DiscriminatorV2(cfg)
    return {"config": {"model": cfg.to_dict()}, "G": G.state_dict(), "G_ema": G.state_dict(), "D": D.state_dict()}


def _inputs(n: int = 3):
    rng = np.random.default_rng(0)
    return torch.randn(n, 64), torch.from_numpy(np.stack([rng.integers(0, k, n) for k in SMALL.trait_sizes], 1))


def test_grown_generator_starts_as_the_small_one_upsampled():
    ck = _checkpoint(SMALL)
    small = GeneratorV2(SMALL)
    small.load_state_dict(ck["G"])
    G, D, G_ema = GeneratorV2(GROWN), DiscriminatorV2(GROWN), GeneratorV2(GROWN)
    adopt(G, D, G_ema, ck)
    z, y = _inputs()
    with torch.no_grad():
        pre_tanh = torch.atanh(small(z, y).clamp(-0.999999, 0.999999))
        expected = torch.tanh(F.interpolate(pre_tanh, scale_factor=2, mode="bilinear", align_corners=False))
        assert torch.allclose(G(z, y), expected, atol=1e-4)
    assert torch.equal(
        D.blocks[1].conv1.parametrizations.weight.original, ck["D"]["blocks.0.conv1.parametrizations.weight.original"]
    )


def test_same_size_keeps_every_weight_but_the_part_projection():
    ck = _checkpoint(SMALL)
    target = replace(SMALL, part_sizes=())
    G, D, G_ema = GeneratorV2(target), DiscriminatorV2(target), GeneratorV2(target)
    adopt(G, D, G_ema, ck)
    for k, v in G.state_dict().items():
        assert torch.equal(v, ck["G"][k]), k
    assert not hasattr(D, "part_project")


def test_refuses_networks_it_cannot_grow_from():
    other = replace(SMALL, w_dim=32)
    assert not grafts_from_v2(other, GROWN)
    with pytest.raises(ValueError, match="neither this model"):
        adopt(GeneratorV2(GROWN), DiscriminatorV2(GROWN), GeneratorV2(GROWN), _checkpoint(other))
