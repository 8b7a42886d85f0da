"""Generator and discriminator shapes, config round trip, FLOP count."""

from __future__ import annotations

import torch

from renderer.model import Discriminator, Generator, ModelConfig, count_parameters, generator_flops
from renderer.traits import TRAIT_SIZES


def _batch(cfg: ModelConfig, b: int = 4):
    torch.manual_seed(0)
    z = torch.randn(b, cfg.z_dim)
    y = torch.stack([torch.randint(0, n, (b,)) for n in cfg.trait_sizes], dim=1)
    return z, y


def test_generator_output_shape_and_range():
    cfg = ModelConfig()
    z, y = _batch(cfg)
    x = Generator(cfg)(z, y)
    assert x.shape == (4, 3, 64, 64)
    assert x.min() >= -1 and x.max() <= 1


def test_discriminator_scores_and_trait_logits():
    cfg = ModelConfig()
    z, y = _batch(cfg)
    score, logits = Discriminator(cfg)(torch.rand(4, 3, 64, 64) * 2 - 1, y)
    assert score.shape == (4,)
    assert [logit.shape for logit in logits] == [(4, n) for n in TRAIT_SIZES]


def test_smaller_native_size_builds():
    cfg = ModelConfig(size=32, g_channels={4: 32, 8: 16, 16: 8, 32: 8}, d_channels={32: 8, 16: 8, 8: 16, 4: 16})
    z, y = _batch(cfg, 2)
    assert Generator(cfg)(z, y).shape == (2, 3, 32, 32)
    assert Discriminator(cfg)(torch.zeros(2, 3, 32, 32), y)[0].shape == (2,)


def test_config_round_trips_through_dict():
    cfg = ModelConfig(size=32, g_channels={4: 32, 8: 16, 16: 8, 32: 8})
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg


def test_generator_flops_of_the_shipped_config():
    assert generator_flops(Generator(ModelConfig())) == 173_096_960  # 0.173 GFLOP/image (README)


def test_generator_is_a_few_million_parameters():
    n = count_parameters(Generator(ModelConfig()))
    assert 500_000 < n < 5_000_000


def test_truncation_scales_the_code_only():
    cfg = ModelConfig()
    z, y = _batch(cfg, 2)
    torch.manual_seed(3)
    full = Generator(cfg)
    cut = Generator(ModelConfig(truncation=0.5))
    cut.load_state_dict(full.state_dict())
    with torch.no_grad():
        assert torch.allclose(cut(z, y), full(0.5 * z, y))
        assert not torch.allclose(cut(z, y), full(z, y))
