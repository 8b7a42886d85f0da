"""Growing a run by one resolution: it draws its old picture upsampled, keeps every weight and moment, and
resumes at the new size on the batches it would have seen next."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from renderer.model_v2 import GeneratorV2, ModelConfigV2
from renderer.render import layout_input
from renderer.table import load_table
from renderer.training.extend import extend_checkpoint
from renderer.training.grow import grow_checkpoint, grown_model
from renderer.training.loop import batch_latents
from support.tiny_runs import resumed_for, tiny_run_config, trained_for


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> dict:
    """A 3-step tiny run with refining convs, layout maps and atlases (all that v3's run has)."""
    # the discriminator steps too, so it has moments to carry
    cfg = tiny_run_config(tmp_path_factory.mktemp("run"), 3, adv_start_images=0, adv_every=1)
    ck = trained_for(cfg)
    return extend_checkpoint(ck, g_refine={8: 1}, layout_sizes=(8, 16), atlases=(2, (8, 16)))


def _generator(ck: dict, part: str) -> GeneratorV2:
    G = GeneratorV2(ModelConfigV2.from_dict(ck["config"]["model"]))
    G.load_state_dict({k: v.float() for k, v in ck[part].items()})
    return G.eval()


def _moments(ck: dict, part: str) -> list[torch.Tensor]:
    return [slot["exp_avg_sq"] for slot in ck[part]["state"].values()]


@pytest.mark.parametrize("g_channels", [4, 0], ids=["block", "subpixel"])
def test_the_grown_run_draws_its_old_picture_upsampled_and_keeps_its_moments(laid_out, g_channels):
    grown = grow_checkpoint(laid_out, g_channels=g_channels, d_channels=4)
    model = ModelConfigV2.from_dict(grown["config"]["model"])
    assert model == grown_model(ModelConfigV2.from_dict(laid_out["config"]["model"]), g_channels, 4)
    assert model.size == 32 and model.subpixel_top == (g_channels == 0)
    assert (model.g_refine, model.layout_sizes, model.atlas_sizes) == ({8: 1}, (8, 16), (8, 16))
    assert (grown["step"], grown["images_seen"]) == (laid_out["step"], laid_out["images_seen"])
    rng = np.random.default_rng(0)
    genes = rng.integers(0, 16, (3, 64))
    z, y = batch_latents(load_table(), genes), torch.from_numpy(rng.integers(0, 3, (3, 8)))
    for part in ("G", "G_ema"):
        small, big = _generator(laid_out, part), _generator(grown, part)
        with torch.no_grad():
            pre_tanh = torch.atanh(small(z, y, layout_input(small.cfg, genes)).clamp(-0.999999, 0.999999))
            expected = torch.tanh(F.interpolate(pre_tanh, scale_factor=2, mode="bilinear", align_corners=False))
            assert torch.allclose(big(z, y, layout_input(big.cfg, genes)), expected, atol=1e-4), part
    old_g, new_g = _moments(laid_out, "opt_g"), _moments(grown, "opt_g")
    assert len(new_g) == len(old_g) > 10 and all(torch.equal(a, b) for a, b in zip(old_g, new_g, strict=True))
    # the discriminator's old blocks sit one index on, with their moments; its new first layers start empty
    assert torch.equal(
        grown["D"]["blocks.1.conv1.parametrizations.weight.original"],
        laid_out["D"]["blocks.0.conv1.parametrizations.weight.original"].float(),
    )
    old_d, new_d = _moments(laid_out, "opt_d"), _moments(grown, "opt_d")
    assert len(old_d) > 5 and len(new_d) == len(old_d) - 2  # the old from_rgb's weight and bias went


@pytest.mark.parametrize("g_channels", [4, 0], ids=["block", "subpixel"])
def test_a_grown_run_resumes_at_the_new_size(laid_out, tmp_path, g_channels):
    ck = resumed_for(grow_checkpoint(laid_out, g_channels, 4), tmp_path, 2)
    assert ck["step"] == laid_out["step"] + 2 and ck["config"]["model"]["size"] == 32
    top = len(GeneratorV2(ModelConfigV2.from_dict(ck["config"]["model"])).to_rgb) - 1
    new_rgb = "subpixel.weight" if g_channels == 0 else f"to_rgb.{top}.weight"
    assert ck["G"][new_rgb].abs().sum() > 0  # the new layer draws now


def test_a_sub_pixel_top_has_no_block_at_the_top_size_and_does_not_grow_further(laid_out):
    grown = grow_checkpoint(laid_out, 0, 4)
    model = ModelConfigV2.from_dict(grown["config"]["model"])
    assert 32 not in model.g_channels and model.block_resolutions() == [4, 8, 16]
    assert ModelConfigV2.from_dict(model.to_dict()) == model
    assert "subpixel_top" not in ModelConfigV2.from_dict(laid_out["config"]["model"]).to_dict()
    with pytest.raises(ValueError, match="does not grow further"):
        grow_checkpoint(grown, 4, 4)


def test_refuses_a_block_without_channels(laid_out):
    with pytest.raises(ValueError, match="needs channels"):
        grow_checkpoint(laid_out, -1, 4)
    with pytest.raises(ValueError, match="needs channels"):
        grow_checkpoint(laid_out, 4, 0)


def test_nothing_is_added_at_a_sub_pixel_top_which_has_no_activations(laid_out):
    grown = grow_checkpoint(laid_out, 0, 4)
    for addition in ({"g_refine": {32: 1}}, {"layout_sizes": (8, 16, 32)}):
        with pytest.raises(ValueError, match="do not add"):
            extend_checkpoint(grown, **addition)
