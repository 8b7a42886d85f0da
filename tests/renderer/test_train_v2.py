"""v2 training: paired reconstruction + adversarial steps, exact resume, compact checkpoint."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from renderer.model_v2 import ModelConfigV2
from renderer.paired_corpus import PairedCorpus
from renderer.train_v2 import (TrainConfigV2, load_checkpoint_v2, reconstruction_loss, train_v2,
                               write_compact)

TINY = dict(size=16, embed_dim=4, w_dim=16, mapping_layers=1, g_channels={4: 16, 8: 16, 16: 8},
            g_convs={4: 1, 8: 1, 16: 1}, d_channels={16: 8, 8: 16, 4: 16})


@pytest.fixture(scope="module")
def tiny_corpus() -> PairedCorpus:
    rng = np.random.default_rng(0)
    n = 24
    return PairedCorpus(rng.integers(0, 256, size=(n, 16, 16, 3), dtype=np.uint8),
                        np.stack([rng.integers(0, k, size=n) for k in ModelConfigV2().trait_sizes], 1).astype(np.uint8),
                        rng.integers(0, 16, size=(n, 64), dtype=np.uint8))


def _cfg(run_dir, steps: int) -> TrainConfigV2:
    return TrainConfigV2(run_dir=str(run_dir), batch=4, max_steps=steps, threads=1, r1_every=2,
                         ema_half_life_images=8, adv_start_images=8, model=ModelConfigV2(**TINY))


def _weights(path) -> dict:
    ck = load_checkpoint_v2(path)
    return {k: ck[part][k] for part in ("G", "D", "G_ema") for k in ck[part]} | {"step": ck["step"]}


def test_resume_is_exact(tmp_path, tiny_corpus):
    straight = train_v2(_cfg(tmp_path / "a", 6), corpus=tiny_corpus, resume_path=None, progress=False)
    train_v2(_cfg(tmp_path / "b", 3), corpus=tiny_corpus, resume_path=None, progress=False)
    resumed = train_v2(_cfg(tmp_path / "b", 6), corpus=tiny_corpus, resume_path=None, progress=False)
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
    moments = [v for slot in ck["opt_g"]["state"].values() for v in slot.values() if torch.is_tensor(v) and v.numel() > 1]
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
