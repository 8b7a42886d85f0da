"""The conditional GAN: a small FiLM-conditioned generator and a projection + auxiliary-
classifier discriminator. Pure PyTorch, CPU friendly.

Generator: the 64-float code latent z and the 8 trait indices y go through a mapping MLP
to a style vector w; w seeds a 4x4 feature map and modulates (FiLM) every 3x3 conv of an
upsample-then-conv pyramid up to the native size; tanh RGB out in [-1, 1].

Discriminator: a spectrally normalised conv pyramid down to a pooled feature h; the
realism score is ``linear(h) + sum_i <embed_i(y_i), h>`` (projection conditioning) and an
auxiliary head reads every trait from h (AC-GAN).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import cast

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm
from torch.utils.flop_counter import FlopCounterMode

from renderer.vocabulary import TRAIT_SIZES


@dataclass
class ModelConfig:
    """Everything needed to rebuild the networks (stored in every checkpoint)."""

    z_dim: int = 64
    trait_sizes: tuple[int, ...] = TRAIT_SIZES
    embed_dim: int = 16
    w_dim: int = 256
    size: int = 64  # native resolution, a power of two >= 8
    truncation: float = 1.0  # z is scaled by this before mapping (truncation trick); set at export, 1 in training
    g_channels: dict[int, int] = field(default_factory=lambda: {4: 256, 8: 128, 16: 64, 32: 32, 64: 16})
    d_channels: dict[int, int] = field(default_factory=lambda: {64: 32, 32: 64, 16: 128, 8: 256, 4: 256})

    def to_dict(self) -> dict:
        """JSON-friendly dict (int keys become strings)."""
        d = asdict(self)
        d["trait_sizes"] = list(self.trait_sizes)
        d["g_channels"] = {str(k): v for k, v in self.g_channels.items()}
        d["d_channels"] = {str(k): v for k, v in self.d_channels.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["trait_sizes"] = tuple(int(x) for x in d["trait_sizes"])
        d["g_channels"] = {int(k): int(v) for k, v in d["g_channels"].items()}
        d["d_channels"] = {int(k): int(v) for k, v in d["d_channels"].items()}
        return cls(**d)

    def resolutions(self) -> list[int]:
        """4, 8, ..., size."""
        return pyramid(self.size)


def pyramid(size: int) -> list[int]:
    """The resolutions 4, 8, ..., size of a generator or discriminator pyramid."""
    return [4 * 2**k for k in range(int(math.log2(size // 4)) + 1)]


class TraitEmbedding(nn.Module):
    """One embedding table per trait, concatenated: (B, 8) long -> (B, 8 * dim)."""

    def __init__(self, sizes: tuple[int, ...], dim: int):
        super().__init__()
        self.tables = nn.ModuleList(nn.Embedding(n, dim) for n in sizes)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        return torch.cat([table(y[:, i]) for i, table in enumerate(self.tables)], dim=1)


class FiLMConv(nn.Module):
    """3x3 conv -> pixel norm -> (1 + gamma(w)) * x + beta(w) -> leaky ReLU."""

    def __init__(self, cin: int, cout: int, w_dim: int):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.film = nn.Linear(w_dim, 2 * cout)
        nn.init.zeros_(self.film.weight)
        nn.init.zeros_(self.film.bias)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        x = x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)
        gamma, beta = self.film(w)[:, :, None, None].chunk(2, dim=1)
        return F.leaky_relu(x * (1 + gamma) + beta, 0.2)


class Generator(nn.Module):
    """(z: (B, z_dim) float, y: (B, 8) long) -> (B, 3, size, size) in [-1, 1]."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = TraitEmbedding(cfg.trait_sizes, cfg.embed_dim)
        in_dim = cfg.z_dim + cfg.embed_dim * len(cfg.trait_sizes)
        self.mapping = nn.Sequential(
            nn.Linear(in_dim, cfg.w_dim), nn.LeakyReLU(0.2), nn.Linear(cfg.w_dim, cfg.w_dim), nn.LeakyReLU(0.2)
        )
        res = cfg.resolutions()
        c4 = cfg.g_channels[4]
        self.seed = nn.Linear(cfg.w_dim, c4 * 16)
        self.conv4 = FiLMConv(c4, c4, cfg.w_dim)
        self.ups = nn.ModuleList(FiLMConv(cfg.g_channels[r // 2], cfg.g_channels[r], cfg.w_dim) for r in res[1:])
        self.to_rgb = nn.Conv2d(cfg.g_channels[cfg.size], 3, 1)

    def style(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The style vector w (B, w_dim)."""
        return self.mapping(torch.cat([z * self.cfg.truncation, self.embed(y)], dim=1))

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        w = self.style(z, y)
        x = self.seed(w).view(z.shape[0], self.cfg.g_channels[4], 4, 4)  # B, C, 4, 4
        x = self.conv4(F.leaky_relu(x, 0.2), w)
        for block in self.ups:
            x = block(F.interpolate(x, scale_factor=2, mode="nearest"), w)
        return torch.tanh(self.to_rgb(x))


class Discriminator(nn.Module):
    """(x: (B, 3, size, size), y: (B, 8) long) -> (realism score (B,), trait logits list)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        res = cfg.resolutions()[::-1]  # size, ..., 4
        self.from_rgb = spectral_norm(nn.Conv2d(3, cfg.d_channels[cfg.size], 3, padding=1))
        self.blocks = nn.ModuleList(
            spectral_norm(nn.Conv2d(cfg.d_channels[r], cfg.d_channels[r // 2], 3, padding=1)) for r in res[:-1]
        )
        self.last = spectral_norm(nn.Conv2d(cfg.d_channels[4], cfg.d_channels[4], 3, padding=1))
        h_dim = cfg.d_channels[4]
        self.score = spectral_norm(nn.Linear(h_dim, 1))
        self.project = nn.ModuleList(spectral_norm(nn.Embedding(n, h_dim)) for n in cfg.trait_sizes)
        self.aux = nn.Linear(h_dim, sum(cfg.trait_sizes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Pooled feature h (B, h_dim)."""
        x = F.leaky_relu(self.from_rgb(x), 0.2)  # B, C, size, size
        for block in self.blocks:
            x = F.leaky_relu(block(F.avg_pool2d(x, 2)), 0.2)  # pool first: convs run at half size
        x = F.leaky_relu(self.last(x), 0.2)  # B, C, 4, 4
        return x.sum(dim=(2, 3))

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        h = self.features(x)
        score = self.score(h).squeeze(1)
        for i, table in enumerate(self.project):
            score = score + (table(y[:, i]) * h).sum(dim=1)
        logits = list(self.aux(h).split(list(self.cfg.trait_sizes), dim=1))
        return score, logits


def count_parameters(module: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def generator_flops(generator: nn.Module, *extra: torch.Tensor) -> int:
    """FLOPs of one generator forward pass on one genome, counted by ``torch.utils.flop_counter``; ``extra``
    inputs follow the latents and trait values (a v3 generator's layout maps, for one genome)."""
    cfg = cast(ModelConfig, generator.cfg)  # or a v2 config: both name z_dim and trait_sizes
    z = torch.zeros(1, cfg.z_dim)
    y = torch.zeros(1, len(cfg.trait_sizes), dtype=torch.int64)
    counter = FlopCounterMode(display=False)
    with counter, torch.inference_mode():
        generator(z, y, *extra)
    return counter.get_total_flops()


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """(B, 3, H, W) in [-1, 1] -> (B, H, W, 3) uint8, rounding half up."""
    return ((x.clamp(-1, 1) + 1) * 127.5 + 0.5).floor().to(torch.uint8).permute(0, 2, 3, 1).numpy()
