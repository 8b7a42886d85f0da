"""Growing a v3 run by one resolution where it stands (128 px to 256 px), as progressive GANs do.

The layout of the picture is learnt where a step is cheap; the fine detail last. The grown generator
gains a block at twice the size whose RGB layer starts at zero, so it first draws its old picture
upsampled; the discriminator gains a first block and keeps its old blocks one index further on
(:mod:`renderer.training.graft`). Every weight, every Adam moment (carried over by parameter name), the
step, the RNG state and the stream's position are kept: the run resumes on the batches it would have
seen next, drawn at the new size. Refining convs, layout maps and atlases stay where they were.
"""

from __future__ import annotations

from dataclasses import replace

from renderer.model_v2 import DiscriminatorV2, GeneratorV2, ModelConfigV2
from renderer.training.checkpoint import carry_moments, full_optimizer, with_networks
from renderer.training.extend import loaded_generator
from renderer.training.graft import block_moved_on, grow_discriminator, grow_generator
from renderer.training.loop import TrainConfigV3, discriminator_optimizer, generator_optimizer


def grown_model(model: ModelConfigV2, g_channels: int, d_channels: int) -> ModelConfigV2:
    """``model`` one resolution larger: a generator block of ``g_channels`` (0: a sub-pixel layer instead, a learnt
    2x upsampling of the resolution below) and a discriminator block of ``d_channels`` at twice its size."""
    if g_channels < 0 or d_channels < 1:
        raise ValueError(f"a grown block needs channels, not {g_channels} and {d_channels}")
    if model.subpixel_top:
        raise ValueError("a run whose top is a sub-pixel layer does not grow further")
    top = model.size * 2
    grown = replace(model, size=top, d_channels={top: d_channels, **model.d_channels})
    if g_channels == 0:
        return replace(grown, subpixel_top=True)
    return replace(grown, g_channels={**model.g_channels, top: g_channels}, g_convs={**model.g_convs, top: 1})


def _moved_on(name: str) -> str | None:
    """Where an old discriminator parameter's moments go: its first conv's nowhere (the new one reads
    pictures of the new size), its blocks' one index on."""
    return None if name.startswith("from_rgb.") else block_moved_on(name)


def grow_checkpoint(ck: dict, g_channels: int, d_channels: int) -> dict:
    """The full checkpoint of run checkpoint ``ck`` (full or compact) with its networks one resolution larger."""
    cfg = TrainConfigV3.from_dict(ck["config"])
    new_cfg = replace(cfg, model=grown_model(cfg.model, g_channels, d_channels))
    old_G, old_opt_g = loaded_generator(cfg.model, ck, cfg)
    old_D = DiscriminatorV2(cfg.model)
    old_D.load_state_dict({k: v.float() for k, v in ck["D"].items()})
    old_opt_d = discriminator_optimizer(cfg, old_D)
    old_opt_d.load_state_dict(full_optimizer(ck["opt_d"]))

    G, G_ema, D = GeneratorV2(new_cfg.model), GeneratorV2(new_cfg.model), DiscriminatorV2(new_cfg.model)
    grow_generator(G, ck["G"])
    grow_generator(G_ema, ck["G_ema"])
    grow_discriminator(D, ck["D"])
    opt_g, opt_d = generator_optimizer(new_cfg, G), discriminator_optimizer(new_cfg, D)
    carry_moments(old_G, old_opt_g, G, opt_g)
    carry_moments(old_D, old_opt_d, D, opt_d, rename=_moved_on)
    return with_networks(
        ck,
        new_cfg.to_dict(),
        G=G.state_dict(),
        G_ema=G_ema.state_dict(),
        D=D.state_dict(),
        opt_g=opt_g.state_dict(),
        opt_d=opt_d.state_dict(),
    )
