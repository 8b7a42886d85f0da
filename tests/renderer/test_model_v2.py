"""The v2 networks: config round trip, shapes, and the non-fused modulated conv against the
per-sample-weight definition of StyleGAN2's modulation and demodulation."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from renderer.model_v2 import DiscriminatorV2, GeneratorV2, ModelConfigV2, ModulatedConv

SMALL = ModelConfigV2(
    size=32,
    embed_dim=4,
    w_dim=16,
    mapping_layers=1,
    g_channels={4: 16, 8: 16, 16: 8, 32: 8},
    g_convs={4: 1, 8: 2, 16: 1, 32: 1},
    d_channels={32: 8, 16: 8, 8: 16, 4: 16},
)


def _with_styles(G: GeneratorV2) -> GeneratorV2:
    """G with random weights in its 2-D parameters: styles start constant, so z and y then matter."""
    for p in G.parameters():
        if p.dim() == 2:
            torch.nn.init.normal_(p, std=0.5)
    return G


def test_config_round_trip():
    assert ModelConfigV2.from_dict(SMALL.to_dict()) == SMALL
    assert ModelConfigV2.from_dict(ModelConfigV2().to_dict()) == ModelConfigV2()
    assert SMALL.resolutions() == [4, 8, 16, 32]


def test_shapes_and_range():
    torch.manual_seed(0)
    G, D = GeneratorV2(SMALL), DiscriminatorV2(SMALL)
    z, y = torch.randn(5, 64), torch.zeros(5, 8, dtype=torch.long)
    x = G(z, y)
    assert x.shape == (5, 3, 32, 32) and x.abs().max() <= 1
    assert D(x, y).shape == (5,)


def test_modulated_conv_matches_per_sample_weights():
    torch.manual_seed(1)
    conv = ModulatedConv(6, 5, w_dim=8)
    torch.nn.init.normal_(conv.affine.weight)
    x, w = torch.randn(3, 6, 7, 7), torch.randn(3, 8)
    style = conv.affine(w)
    expected = []
    for b in range(3):
        weight = conv.weight * conv.gain * style[b][None, :, None, None]
        weight = weight * torch.rsqrt(weight.square().sum(dim=(1, 2, 3), keepdim=True) + 1e-8)
        expected.append(F.conv2d(x[b : b + 1], weight, padding=1) + conv.bias[None, :, None, None])
    assert torch.allclose(conv(x, w), torch.cat(expected), atol=1e-5)


def test_styles_reach_the_picture():
    torch.manual_seed(2)
    G = GeneratorV2(SMALL)
    _with_styles(G)
    z = torch.randn(1, 64)
    y0, y1 = torch.zeros(1, 8, dtype=torch.long), torch.ones(1, 8, dtype=torch.long)
    assert not torch.allclose(G(z, y0), G(z, y1))
    assert not torch.allclose(G(z, y0), G(torch.randn(1, 64), y0))


def test_upsampling_conv_equals_nearest_upsample_then_conv_on_both_paths():
    """The transposed-conv shortcut (inputs of 16 px and up) and the plain path give what the definition
    gives: nearest 2x upsampling, then the modulated, demodulated 3x3 conv, with the input gain."""
    torch.manual_seed(2)
    conv = ModulatedConv(6, 5, w_dim=8)
    torch.nn.init.normal_(conv.affine.weight)
    torch.nn.init.normal_(conv.bias)
    w = torch.randn(3, 8)
    for side in (8, 16, 20):  # below, at and above the shortcut's threshold
        x = torch.randn(3, 6, side, side)
        expected = conv(F.interpolate(x * 1.5, scale_factor=2, mode="nearest"), w)
        got = conv(x, w, input_gain=1.5, upsample=True)
        assert got.shape == (3, 5, 2 * side, 2 * side)
        torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


GRAFTED = replace(SMALL, trait_map_channels=4, trait_map_size=16, part_sizes=(3, 5))


def test_config_with_grafts_round_trips_and_grafts_only_onto_its_base():
    assert ModelConfigV2.from_dict(GRAFTED.to_dict()) == GRAFTED
    assert GRAFTED.grafts_onto(SMALL)
    assert replace(SMALL, part_sizes=(3, 5)).grafts_onto(SMALL)
    assert GRAFTED.grafts_onto(replace(SMALL, part_sizes=(3, 5)))  # adds the maps to a run that has the parts
    assert not GRAFTED.grafts_onto(GRAFTED)  # nothing to add
    assert not SMALL.grafts_onto(GRAFTED)  # cannot take parameters away
    assert not GRAFTED.grafts_onto(replace(SMALL, w_dim=32))  # another base network
    assert not GRAFTED.grafts_onto(replace(SMALL, part_sizes=(3, 6)))  # other parts


def test_grafted_networks_start_as_the_ones_they_graft_onto():
    """Zero-initialised 1x1 conv and zero part gain: the same pictures and scores until they learn."""
    torch.manual_seed(3)
    G, D = GeneratorV2(SMALL), DiscriminatorV2(SMALL)
    G2, D2 = GeneratorV2(GRAFTED), DiscriminatorV2(GRAFTED)
    assert set(G2.state_dict()) - set(G.state_dict()) == {"trait_maps", "trait_inject.weight", "trait_inject.bias"}
    G2.load_state_dict(G.state_dict(), strict=False)
    D2.load_state_dict(D.state_dict(), strict=False)
    D.eval(), D2.eval()
    z, y = torch.randn(4, 64), torch.randint(0, 3, (4, 8))
    parts = torch.tensor([[0, 4], [2, 1], [1, 0], [0, 3]])
    torch.testing.assert_close(G2(z, y), G(z, y))
    x = G(z, y)
    torch.testing.assert_close(D2(x, y, parts), D(x, y))
    with pytest.raises(ValueError, match="pass parts"):
        D2(x, y)


def test_trait_maps_and_part_projections_reach_picture_and_score():
    torch.manual_seed(4)
    G, D = GeneratorV2(GRAFTED), DiscriminatorV2(GRAFTED).eval()
    torch.nn.init.normal_(G.trait_inject.weight)
    z = torch.randn(1, 64)
    y0, y1 = torch.zeros(1, 8, dtype=torch.long), torch.zeros(1, 8, dtype=torch.long)
    y1[0, 3] = 1  # one trait value differs; styles are constant at init, so only its map can tell
    assert not torch.allclose(G(z, y0), G(z, y1))
    with torch.no_grad():
        D.part_gain.fill_(1.0)
    x = torch.randn(1, 3, 32, 32)
    assert not torch.allclose(D(x, y0, torch.tensor([[0, 0]])), D(x, y0, torch.tensor([[2, 4]])))


def test_rendering_keeps_the_kernels_until_the_weights_change():
    """Without autograd the weight-derived kernels are kept between calls (the same bytes as computing
    them each time); an in-place update of the weights (EMA, load_state_dict) is seen at once."""
    torch.manual_seed(4)
    G = _with_styles(GeneratorV2(SMALL))
    z, y = torch.randn(4, 64), torch.ones(4, 8, dtype=torch.long)
    with torch.inference_mode():
        first, again = G(z, y), G(z, y)
    kept = G.convs[2][0]._cached_kernels
    assert kept is not None and kept[0] is G.convs[2][0].weight
    with torch.no_grad():
        assert torch.equal(first, again) and torch.equal(first, G(z, y))
    assert torch.equal(first, G(z, y).detach())  # with autograd: computed afresh, nothing kept from it

    other = _with_styles(GeneratorV2(SMALL))
    G.load_state_dict(other.state_dict())  # in place: same tensors, new versions
    with torch.inference_mode():
        changed, expected = G(z, y), other(z, y)
    assert not torch.equal(changed, first) and torch.equal(changed, expected)
    with torch.no_grad():
        G.convs[0][0].weight.add_(torch.randn_like(G.convs[0][0].weight))  # (a scale alone demodulates away)
        assert not torch.equal(G(z, y), expected)


def test_refining_convs_graft_on_as_the_identity_and_then_have_a_say():
    """Residual convs whose gains start at 0: the same picture until the gains move, then another one."""
    refined = replace(SMALL, g_refine={16: 1, 32: 2})
    assert ModelConfigV2.from_dict(refined.to_dict()) == refined and "g_refine" not in SMALL.to_dict()
    assert refined.grafts_onto(SMALL) and not SMALL.grafts_onto(refined)
    assert not replace(SMALL, g_refine={32: 1}).grafts_onto(refined)  # fewer convs
    torch.manual_seed(5)
    G, G2 = _with_styles(GeneratorV2(SMALL)), GeneratorV2(refined)
    missing, unexpected = G2.load_state_dict(G.state_dict(), strict=False)
    assert not unexpected and {k.split(".")[0] for k in missing} == {"refine"} and len(missing) == 3 * 5
    z, y = torch.randn(3, 64), torch.randint(0, 3, (3, 8))
    torch.testing.assert_close(G2(z, y), G(z, y), rtol=0, atol=0)
    with torch.no_grad():
        G2.refine["16"][0].gain.fill_(0.5)
    assert not torch.allclose(G2(z, y), G(z, y))


def test_layout_maps_graft_on_as_the_identity_and_then_say_where():
    laid = replace(SMALL, layout_channels=3, layout_sizes=(16, 32))
    assert ModelConfigV2.from_dict(laid.to_dict()) == laid and "layout_sizes" not in SMALL.to_dict()
    assert laid.grafts_onto(SMALL) and not SMALL.grafts_onto(laid)
    assert not replace(laid, layout_sizes=(32,)).grafts_onto(laid)  # other sizes are not an addition
    torch.manual_seed(6)
    G, G2 = _with_styles(GeneratorV2(SMALL)), GeneratorV2(laid)
    missing, _ = G2.load_state_dict(G.state_dict(), strict=False)
    assert {k.split(".")[0] for k in missing} == {"layout_inject"}
    z, y = torch.randn(2, 64), torch.randint(0, 3, (2, 8))
    layout, other = torch.rand(2, 3, 16, 16), torch.rand(2, 3, 16, 16)
    torch.testing.assert_close(G2(z, y, layout), G(z, y), rtol=0, atol=0)
    with pytest.raises(ValueError, match="pass layout"):
        G2(z, y)
    with torch.no_grad():
        for conv in G2.layout_inject.values():
            torch.nn.init.normal_(conv.weight)
    assert not torch.allclose(G2(z, y, layout), G2(z, y, other))  # the same style, another place
