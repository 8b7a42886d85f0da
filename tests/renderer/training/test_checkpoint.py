"""The compact checkpoint: half the bytes, and a resume from it takes the same Adam steps."""

from __future__ import annotations

import pytest
import torch

from renderer.errors import RendererLoadError
from renderer.training.checkpoint import (
    PACKED_MAGIC,
    carry_moments,
    compact_optimizer,
    full_optimizer,
    load_checkpoint,
    save_atomic,
    save_packed,
    with_networks,
)


def _adam(beta1: float, steps: int = 3, state: dict | None = None):
    torch.manual_seed(0)
    p = torch.nn.Parameter(torch.randn(64))
    opt = torch.optim.Adam([p], lr=0.1, betas=(beta1, 0.99))
    if state is not None:
        with torch.no_grad():
            p.copy_(state["p"])
        opt.load_state_dict(state["opt"])
    for k in range(steps):
        opt.zero_grad()
        (p * torch.linspace(-1, 1 + k, 64)).square().sum().backward()
        opt.step()
    return p, opt


def test_first_moment_left_out_only_where_beta1_is_zero_and_resume_is_unchanged():
    p, opt = _adam(0.0)
    packed = compact_optimizer(opt.state_dict())
    assert "exp_avg" not in packed["state"][0] and packed["state"][0]["exp_avg_sq"].dtype == torch.bfloat16
    exact = {"p": p.detach().clone(), "opt": opt.state_dict()}
    rounded = {"p": p.detach().clone(), "opt": full_optimizer(compact_optimizer(opt.state_dict()))}
    a, _ = _adam(0.0, 1, exact)
    b, _ = _adam(0.0, 1, rounded)
    # only the second moment's bfloat16 rounding differs
    assert torch.allclose(a, b, rtol=0, atol=2e-3)
    kept = compact_optimizer(_adam(0.9)[1].state_dict())
    assert kept["state"][0]["exp_avg"].dtype == torch.bfloat16


def test_save_atomic_round_trips(tmp_path):
    save_atomic({"x": torch.arange(3)}, tmp_path / "deep" / "ck.pt")
    assert torch.equal(load_checkpoint(tmp_path / "deep" / "ck.pt")["x"], torch.arange(3))
    assert not list((tmp_path / "deep").glob("*.tmp"))


def test_a_packed_checkpoint_reads_back_bit_for_bit_and_is_smaller(tmp_path):
    torch.manual_seed(1)
    weights = {"w": torch.randn(50_001).half(), "odd": torch.arange(7, dtype=torch.uint8), "step": 3}
    save_atomic(weights, tmp_path / "plain.pt")
    save_packed(weights, tmp_path / "sub" / "packed.pt")
    packed = tmp_path / "sub" / "packed.pt"
    assert packed.read_bytes().startswith(PACKED_MAGIC) and not list(packed.parent.glob("*.tmp"))
    back = load_checkpoint(packed)
    assert torch.equal(back["w"], weights["w"]) and torch.equal(back["odd"], weights["odd"]) and back["step"] == 3
    # a half float's sign and exponent bytes repeat: regrouped, they compress (random ones, by ~10 %)
    assert packed.stat().st_size < 0.95 * (tmp_path / "plain.pt").stat().st_size


def test_a_damaged_packed_checkpoint_is_a_clear_error(tmp_path):
    path = tmp_path / "packed.pt"
    save_packed({"w": torch.randn(1000)}, path)
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(RendererLoadError, match="cannot read the checkpoint"):
        load_checkpoint(path)


def test_moments_are_carried_by_name_and_never_onto_another_shape():
    old_net, new_net = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    old_opt = torch.optim.Adam(old_net.parameters())
    old_net(torch.ones(1, 3)).sum().backward()
    old_opt.step()
    new_opt = torch.optim.Adam(new_net.parameters())
    carry_moments(old_net, old_opt, new_net, new_opt, rename=lambda name: None if name == "bias" else name)
    assert torch.equal(new_opt.state[new_net.weight]["exp_avg_sq"], old_opt.state[old_net.weight]["exp_avg_sq"])
    assert new_net.bias not in new_opt.state
    wider = torch.nn.Linear(3, 4)
    with pytest.raises(ValueError, match="moments"):
        carry_moments(old_net, old_opt, wider, torch.optim.Adam(wider.parameters()))


def test_a_checkpoint_with_new_networks_keeps_the_run_s_place_and_drops_the_compact_mark():
    ck = {"step": 7, "images_seen": 112, "torch_rng": torch.tensor([1, 2]), "compact": ("opt_g",), "config": {}}
    states = {name: {"w": torch.ones(1)} for name in ("G", "G_ema", "D", "opt_g", "opt_d")}
    out = with_networks(ck, {"model": {"size": 32}}, **states)
    assert (out["step"], out["images_seen"], out["config"]) == (7, 112, {"model": {"size": 32}})
    assert "compact" not in out and all(out[name] is states[name] for name in states)
    assert "compact" in ck  # the given checkpoint is left as it was
    with pytest.raises(ValueError, match="G, G_ema, D"):
        with_networks(ck, {}, G={}, D={})
