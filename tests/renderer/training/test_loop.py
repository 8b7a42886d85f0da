"""v3 training on the portrait stream: exact resume, compact checkpoint, refusal of another model."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from renderer.model_v2 import ModelConfigV2
from renderer.training import loop
from renderer.training.checkpoint import load_checkpoint
from renderer.training.loop import TrainConfigV3, flushing_denormals, train_v3, write_compact
from support.tiny_models import TINY_V3


def _cfg(run_dir, steps: int, model: ModelConfigV2 = TINY_V3) -> TrainConfigV3:
    return TrainConfigV3(
        run_dir=str(run_dir),
        batch=4,
        max_steps=steps,
        threads=1,
        r1_every=2,
        adv_every=2,
        ema_half_life_images=8,
        adv_start_images=8,
        draw_workers=0,
        model=model,
    )


def _run(cfg, resume=None):
    return train_v3(cfg, resume_path=resume, graft_path=None, progress=False)


def _weights(path) -> dict:
    ck = load_checkpoint(path)
    return {f"{part}.{k}": v for part in ("G", "D", "G_ema") for k, v in ck[part].items()} | {"step": ck["step"]}


def test_resume_is_exact(tmp_path):
    straight = _run(_cfg(tmp_path / "a", 6))
    _run(_cfg(tmp_path / "b", 3))
    resumed = _run(_cfg(tmp_path / "b", 6))
    a, b = _weights(straight), _weights(resumed)
    assert a["step"] == b["step"] == 6 and load_checkpoint(resumed)["images_seen"] == 24
    for k in a:
        if k != "step":
            assert torch.equal(a[k], b[k]), k


def test_compact_checkpoint_resumes_a_new_run(tmp_path):
    compact = write_compact(load_checkpoint(_run(_cfg(tmp_path / "a", 3))), tmp_path / "resume.pt")
    ck = load_checkpoint(compact)
    assert ck["compact"] and ck["G_ema"]["const"].dtype == torch.float16
    assert load_checkpoint(_run(_cfg(tmp_path / "fresh", 5), resume=compact))["step"] == 5


def test_resume_refuses_another_model(tmp_path):
    _run(_cfg(tmp_path / "a", 1))
    with pytest.raises(ValueError, match="another model config"):
        _run(_cfg(tmp_path / "a", 2, replace(TINY_V3, embed_dim=8)))


def test_training_flushes_denormals_and_leaves_them_alone_after(monkeypatch, tmp_path):
    tiny = torch.tensor([1e-39])  # a denormal float32
    seen: list[float] = []

    def training(*args, **kwargs):
        seen.append((tiny * 1.0).item())
        return tmp_path / "ckpt.pt"

    monkeypatch.setattr(loop, "_train", training)
    assert train_v3(TrainConfigV3(run_dir=str(tmp_path))) == tmp_path / "ckpt.pt"
    assert seen == [0.0]  # flushed while training
    assert (tiny * 1.0).item() > 0.0
    with flushing_denormals():
        assert (tiny * 1.0).item() == 0.0
    assert (tiny * 1.0).item() > 0.0
