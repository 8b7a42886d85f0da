"""GAN losses as small pure functions of scores, logits and images."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def d_hinge_loss(real_score: torch.Tensor, fake_score: torch.Tensor) -> torch.Tensor:
    """Discriminator hinge loss: mean(relu(1 - D(real))) + mean(relu(1 + D(fake)))."""
    return F.relu(1 - real_score).mean() + F.relu(1 + fake_score).mean()


def g_hinge_loss(fake_score: torch.Tensor) -> torch.Tensor:
    """Generator hinge loss: -mean(D(fake))."""
    return -fake_score.mean()


def trait_loss(logits: list[torch.Tensor], y: torch.Tensor) -> torch.Tensor:
    """Mean over traits of the cross-entropy of each trait head against labels y (B, 8)."""
    return torch.stack([F.cross_entropy(l, y[:, i]) for i, l in enumerate(logits)]).mean()


def trait_accuracy(logits: list[torch.Tensor], y: torch.Tensor) -> torch.Tensor:
    """Per-trait accuracy (8,) of argmax logits against labels y (B, 8)."""
    return torch.stack([(l.argmax(dim=1) == y[:, i]).float().mean() for i, l in enumerate(logits)])


def mode_seeking_loss(x1: torch.Tensor, x2: torch.Tensor, z1: torch.Tensor, z2: torch.Tensor,
                      eps: float = 1e-5) -> torch.Tensor:
    """Mode-seeking term (MSGAN): small when images from different codes differ a lot.

    1 / (mean|x1 - x2| / mean|z1 - z2| + eps), for two batches generated with the same
    traits and different codes.
    """
    ratio = (x1 - x2).abs().mean(dim=(1, 2, 3)) / (z1 - z2).abs().mean(dim=1)
    return 1.0 / (ratio.mean() + eps)
