"""Renderer fixtures: an untrained tiny v1 generator's weights (session-wide).

Everything is small so the renderer suite runs in about a minute on 2 cores; the shipped
model is never trained here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from renderer.model import ModelConfig
from support.tiny_models import export_untrained_v1

torch.set_num_threads(1)  # robust on a shared 2-core machine

# a 64 px v1 generator with a few channels: draws a distinct picture per genome, in milliseconds
TINY_V1 = ModelConfig(
    w_dim=64,
    g_channels={4: 64, 8: 32, 16: 16, 32: 16, 64: 8},
    d_channels={64: 8, 32: 16, 16: 16, 8: 32, 4: 32},
)


@pytest.fixture(scope="session")
def tiny_weights(tmp_path_factory) -> Path:
    """An untrained tiny v1 generator exported as v1 safetensors."""
    return export_untrained_v1(TINY_V1, tmp_path_factory.mktemp("weights") / "generator.safetensors", seed=1)
