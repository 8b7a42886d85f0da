"""v2 training: paired reconstruction + adversarial steps, exact resume, compact checkpoint."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from renderer.losses import colour_region_loss, hard_pixel_loss, reconstruction_loss
from renderer.model_v2 import ModelConfigV2
from renderer.paired_corpus import PART_SIZES, PairedCorpus
from renderer.train_v2 import (
    CLOTHING,
    DEFAULT_MODEL,
    TrainConfigV2,
    load_checkpoint_v2,
    resume_config,
    train_v2,
    trait_colours,
    write_compact,
)
from renderer.traits import TRAITS

TINY = dict(
    size=16,
    embed_dim=4,
    w_dim=16,
    mapping_layers=1,
    g_channels={4: 16, 8: 16, 16: 8},
    g_convs={4: 1, 8: 1, 16: 1},
    d_channels={16: 8, 8: 16, 4: 16},
)


@pytest.fixture(scope="module")
def tiny_corpus() -> PairedCorpus:
    rng = np.random.default_rng(0)
    n = 24
    return PairedCorpus(
        rng.integers(0, 256, size=(n, 16, 16, 3), dtype=np.uint8),
        np.stack([rng.integers(0, k, size=n) for k in ModelConfigV2().trait_sizes], 1).astype(np.uint8),
        rng.integers(0, 16, size=(n, 64), dtype=np.uint8),
    )


# the same network with 2-channel trait maps at 8 px and D projecting on the real code-driven parts
TINY_GRAFTED = replace(ModelConfigV2(**TINY), trait_map_channels=2, trait_map_size=8, part_sizes=PART_SIZES)


def _cfg(run_dir, steps: int, model: ModelConfigV2 | None = None) -> TrainConfigV2:
    return TrainConfigV2(
        run_dir=str(run_dir),
        batch=4,
        max_steps=steps,
        threads=1,
        r1_every=2,
        adv_every=2,
        ema_half_life_images=8,
        adv_start_images=8,
        model=model or ModelConfigV2(**TINY),
    )


def _weights(path) -> dict:
    ck = load_checkpoint_v2(path)
    return {k: ck[part][k] for part in ("G", "D", "G_ema") for k in ck[part]} | {"step": ck["step"]}


@pytest.mark.parametrize("model", [ModelConfigV2(**TINY), TINY_GRAFTED], ids=["plain", "grafted"])
def test_resume_is_exact(tmp_path, tiny_corpus, model):
    straight = train_v2(_cfg(tmp_path / "a", 6, model), corpus=tiny_corpus, resume_path=None, progress=False)
    train_v2(_cfg(tmp_path / "b", 3, model), corpus=tiny_corpus, resume_path=None, progress=False)
    resumed = train_v2(_cfg(tmp_path / "b", 6, model), corpus=tiny_corpus, resume_path=None, progress=False)
    a, b = _weights(straight), _weights(resumed)
    assert a["step"] == b["step"] == 6
    assert load_checkpoint_v2(resumed)["images_seen"] == 24
    for k in a:
        if k != "step":
            assert torch.equal(a[k], b[k]), k


def test_compact_checkpoint_resumes_a_new_run(tmp_path, tiny_corpus):
    full = train_v2(_cfg(tmp_path / "a", 3), corpus=tiny_corpus, resume_path=None, progress=False)
    compact = write_compact(load_checkpoint_v2(full), tmp_path / "resume.pt")
    ck = load_checkpoint_v2(compact)
    assert ck["compact"] and ck["G"]["const"].dtype == torch.float16
    moments = [
        v for slot in ck["opt_g"]["state"].values() for v in slot.values() if torch.is_tensor(v) and v.numel() > 1
    ]
    assert moments and all(v.dtype == torch.bfloat16 for v in moments)
    out = train_v2(_cfg(tmp_path / "fresh", 5), corpus=tiny_corpus, resume_path=compact, progress=False)
    assert load_checkpoint_v2(out)["step"] == 5


def test_resume_refuses_another_model(tmp_path, tiny_corpus):
    train_v2(_cfg(tmp_path / "a", 1), corpus=tiny_corpus, resume_path=None, progress=False)
    other = _cfg(tmp_path / "a", 2)
    other.model.embed_dim = 8
    with pytest.raises(ValueError, match="another model config"):
        train_v2(other, corpus=tiny_corpus, resume_path=None, progress=False)


def test_reconstruction_loss_counts_three_scales():
    a, b = torch.zeros(1, 3, 8, 8), torch.ones(1, 3, 8, 8)
    assert reconstruction_loss(a, b).item() == pytest.approx(3.0)
    assert reconstruction_loss(b, b).item() == 0.0


def test_a_run_without_trait_maps_resumes_grafted_keeping_every_weight_and_moment(tmp_path, tiny_corpus):
    old = train_v2(_cfg(tmp_path / "old", 3), corpus=tiny_corpus, resume_path=None, progress=False)
    grafted = train_v2(_cfg(tmp_path / "new", 3, TINY_GRAFTED), corpus=tiny_corpus, resume_path=old, progress=False)
    before, after = load_checkpoint_v2(old), load_checkpoint_v2(grafted)
    assert after["step"] == 3 and ModelConfigV2.from_dict(after["config"]["model"]) == TINY_GRAFTED
    for part in ("G", "D", "G_ema"):
        for k, v in before[part].items():
            assert torch.equal(after[part][k], v), (part, k)
    assert {"trait_maps", "trait_inject.weight"} <= set(after["G"]) and "part_gain" in after["D"]
    # the old parameters' Adam moments carry over; the new parameters come in their own groups
    assert len(after["opt_g"]["param_groups"]) == 3 and len(after["opt_d"]["param_groups"]) == 2
    for opt in ("opt_g", "opt_d"):
        for i, slot in before[opt]["state"].items():
            assert torch.equal(after[opt]["state"][i]["exp_avg"], slot["exp_avg"]), (opt, i)
    # and the grafted run trains on, resuming exactly
    straight = train_v2(_cfg(tmp_path / "new", 6, TINY_GRAFTED), corpus=tiny_corpus, progress=False, resume_path=None)
    train_v2(_cfg(tmp_path / "again", 4, TINY_GRAFTED), corpus=tiny_corpus, resume_path=old, progress=False)
    resumed = train_v2(_cfg(tmp_path / "again", 6, TINY_GRAFTED), corpus=tiny_corpus, resume_path=None, progress=False)
    a, b = _weights(straight), _weights(resumed)
    assert load_checkpoint_v2(straight)["G"]["trait_inject.weight"].abs().sum() > 0  # the maps learn
    for k in a:
        assert torch.equal(a[k], b[k]) if k != "step" else a[k] == b[k] == 6, k


def test_resume_config_grafts_the_shipped_architecture_onto_older_runs_only():
    older = TrainConfigV2(model=replace(DEFAULT_MODEL, trait_map_channels=0, part_sizes=()), lambda_rec=7.0)
    cfg = resume_config(older.to_dict(), run_dir="var/elsewhere")
    assert cfg.model == DEFAULT_MODEL and cfg.lambda_rec == 7.0 and cfg.run_dir == "var/elsewhere"
    other = TrainConfigV2(model=replace(DEFAULT_MODEL, w_dim=128, trait_map_channels=0, part_sizes=()))
    assert resume_config(other.to_dict()).model == other.model  # not the shipped base: left alone


def test_hard_pixel_loss_is_the_mean_of_the_worst_share_of_pixels():
    real = torch.zeros(2, 3, 10, 10)
    fake = real.clone()
    fake[0, :, 0, :2] = 1.0  # image 0: two pixels off by 1 in every channel
    fake[1, 0, 5, 5] = 0.3  # image 1: one pixel off by 0.3 in one channel
    # 2% of 100 pixels = 2 per image: image 0's mean is 1, image 1's (0.1 + 0) / 2
    assert hard_pixel_loss(fake, real, share=0.02).item() == pytest.approx((1.0 + 0.05) / 2)
    assert hard_pixel_loss(fake, real, share=0.04).item() == pytest.approx((0.5 + 0.025) / 2)
    assert hard_pixel_loss(real, real).item() == 0.0


def test_colour_region_loss_is_the_error_over_the_pixels_showing_the_colour():
    colour = torch.tensor([[-0.7, -0.6, -0.6], [0.5, 0.5, 0.5]])
    real = torch.ones(2, 3, 4, 4)
    real[0, :, 3, :] = colour[0, :, None]  # image 0: its bottom row shows its colour (4 pixels)
    fake = real.clone() - 0.9  # off by 0.9 everywhere...
    fake[0, :, 3, :2] = real[0, :, 3, :2] + 0.2  # ...except two of the coloured pixels, off by 0.2
    # image 1 shows no pixel of its colour: only image 0's 4 coloured pixels count
    assert colour_region_loss(fake, real, colour).item() == pytest.approx((0.2 + 0.2 + 0.9 + 0.9) / 4)
    assert colour_region_loss(fake, real, colour[[1, 1]]).item() == 0.0  # no pixel shows the colour
    near = real.clone()
    near[0, 0, 3, :] += 0.05  # within the tolerance: still shows the colour
    assert colour_region_loss(fake, near, colour).item() > 0


def test_trait_colours_are_the_clothing_colours_of_the_corpus_in_value_order():
    colours = (trait_colours(TRAITS[CLOTHING]) + 1) * 127.5
    assert colours.shape == (len(TRAITS[CLOTHING]), 3)
    assert colours[0].round().tolist() == [38, 46, 51]  # Black, #262E33
    assert colours[2].round().tolist() == [37, 85, 124]  # Navy, #25557C
