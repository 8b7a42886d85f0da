"""Extending a run: refining convs join its generator at the same step, drawing what it drew, keeping every
moment, and the run resumes and trains them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from renderer.model_v2 import GeneratorV2, ModelConfigV2
from renderer.portrait.regions import LAYOUT_CHANNELS
from renderer.render import layout_input
from renderer.table import load_table
from renderer.training.extend import extend_checkpoint, parse_refine
from renderer.training.loop import batch_latents
from support.tiny_runs import resumed_for, tiny_run_config, trained_for


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> dict:
    return trained_for(tiny_run_config(tmp_path_factory.mktemp("run"), 3))


def _pictures(ck: dict, part: str, genes, z, y) -> torch.Tensor:
    """What the checkpoint's generator ``part`` draws of code ``genes`` (with its layout maps, if it has them)."""
    G = _generator(ck, part)
    with torch.no_grad():
        return G(z, y, layout_input(G.cfg, genes))


def _generator(ck: dict, part: str) -> GeneratorV2:
    G = GeneratorV2(ModelConfigV2.from_dict(ck["config"]["model"]))
    G.load_state_dict(ck[part])
    return G.eval()


def _moments(ck: dict) -> dict[str, torch.Tensor]:
    """The generator's second Adam moments by parameter name (its optimiser's groups: convs, then mapping)."""
    names = [name for name, _ in _generator(ck, "G").named_parameters()]
    ordered = [n for n in names if not n.startswith(("mapping", "embed"))] + [
        n for n in names if n.startswith(("mapping", "embed"))
    ]
    return {ordered[index]: slot["exp_avg_sq"] for index, slot in ck["opt_g"]["state"].items()}


def test_the_deepened_generators_draw_what_they_drew_and_keep_every_moment(trained):
    deep = extend_checkpoint(trained, {8: 1, 16: 2})
    assert ModelConfigV2.from_dict(deep["config"]["model"]).g_refine == {8: 1, 16: 2}
    assert (deep["step"], deep["images_seen"]) == (trained["step"], trained["images_seen"])
    assert torch.equal(deep["torch_rng"], trained["torch_rng"])
    genes, z, y = _inputs()
    for part in ("G", "G_ema"):
        assert torch.equal(_pictures(deep, part, genes, z, y), _pictures(trained, part, genes, z, y)), part
    old_moments, new_moments = _moments(trained), _moments(deep)
    assert new_moments.keys() == old_moments.keys() and len(old_moments) > 10  # the new convs' start empty
    assert all(torch.equal(old_moments[name], new_moments[name]) for name in old_moments)
    assert deep["D"].keys() == trained["D"].keys()


def _inputs():
    rng = np.random.default_rng(0)
    genes = rng.integers(0, 16, (6, 64))
    return genes, batch_latents(load_table(), genes), torch.from_numpy(rng.integers(0, 3, (6, 8)))


def test_layout_maps_join_a_run_drawing_the_same_until_they_learn(trained, tmp_path):
    laid = extend_checkpoint(trained, layout_sizes=(16, 8))
    model = ModelConfigV2.from_dict(laid["config"]["model"])
    assert (model.layout_channels, model.layout_sizes) == (LAYOUT_CHANNELS, (8, 16))
    genes, z, y = _inputs()
    assert torch.equal(_pictures(laid, "G_ema", genes, z, y), _pictures(trained, "G_ema", genes, z, y))
    ck = resumed_for(laid, tmp_path, 2)
    assert ck["G"]["layout_inject.16.weight"].abs().sum() > 0  # the maps have a say now
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(ck, layout_sizes=(16,))  # other sizes take the 8 px maps away


def test_a_deepened_run_resumes_and_trains_its_refining_convs(trained, tmp_path):
    ck = resumed_for(extend_checkpoint(trained, {16: 1}), tmp_path, 3)
    assert ck["step"] == trained["step"] + 3
    assert ck["G"]["refine.16.0.gain"].abs().sum() > 0  # the gain left 0: the conv has a say now


def test_refuses_what_adds_no_conv_or_takes_convs_away(trained):
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(trained, {})
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(trained, {32: 1})  # no 32 px block in a 16 px generator
    deep = extend_checkpoint(trained, {16: 2})
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(deep, {16: 1})
    assert ModelConfigV2.from_dict(extend_checkpoint(deep, {8: 1, 16: 2})["config"]["model"]).g_refine == {8: 1, 16: 2}


def test_parse_refine():
    assert parse_refine("32:1, 64:2") == {32: 1, 64: 2}
    with pytest.raises(ValueError, match="RESOLUTION:COUNT"):
        parse_refine("32")


def test_part_atlases_join_a_laid_out_run_drawing_the_same_until_they_learn(trained, tmp_path):
    laid = extend_checkpoint(trained, layout_sizes=(8, 16))
    with pytest.raises(ValueError, match="no layout maps"):
        extend_checkpoint(trained, atlases=(4, (16,)))  # the atlases' frames come with the layout
    with pytest.raises(ValueError, match="no layout maps"):
        extend_checkpoint(laid, atlases=(4, (4,)))
    atlased = extend_checkpoint(laid, atlases=(4, (16,)))
    model = ModelConfigV2.from_dict(atlased["config"]["model"])
    assert (model.atlas_channels, model.atlas_sizes) == (4, (16,))
    genes, z, y = _inputs()
    for part in ("G", "G_ema"):
        assert torch.equal(_pictures(atlased, part, genes, z, y), _pictures(laid, part, genes, z, y)), part
    ck = resumed_for(atlased, tmp_path, 2)
    assert ck["G"]["atlas_inject.16.weight"].abs().sum() > 0  # the atlases have a say now
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(ck, atlases=(8, (16,)))  # other channels would throw the learnt atlases away
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(ck, atlases=(4, (8, 16)))  # nor may a run's atlases move


def test_fine_atlases_join_an_atlased_run_drawing_the_same_until_they_learn(trained, tmp_path):
    atlased = extend_checkpoint(trained, layout_sizes=(4, 8, 16), atlases=(4, (8,)))
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(atlased, fine_atlas_sizes=(8,))  # at a size the atlases are already looked up at
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(atlased, fine_atlas_sizes=(4,))  # nor below
    fine = extend_checkpoint(atlased, fine_atlas_sizes=(16,))
    assert ModelConfigV2.from_dict(fine["config"]["model"]).fine_atlas_sizes == (16,)
    genes, z, y = _inputs()
    for part in ("G", "G_ema"):
        assert torch.equal(_pictures(fine, part, genes, z, y), _pictures(atlased, part, genes, z, y)), part
    ck = resumed_for(fine, tmp_path, 2)
    assert ck["G"]["atlas_inject.16.weight"].abs().sum() > 0  # the fine lookup has a say now
    with pytest.raises(ValueError, match="do not add"):
        extend_checkpoint(ck, fine_atlas_sizes=())  # a run's fine atlases may not go
