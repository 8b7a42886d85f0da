"""Every training loss, as small pure functions of scores, logits and images (R1 takes the discriminator)."""

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
    return torch.stack([F.cross_entropy(logit, y[:, i]) for i, logit in enumerate(logits)]).mean()


def trait_accuracy(logits: list[torch.Tensor], y: torch.Tensor) -> torch.Tensor:
    """Per-trait accuracy (8,) of argmax logits against labels y (B, 8)."""
    return torch.stack([(logit.argmax(dim=1) == y[:, i]).float().mean() for i, logit in enumerate(logits)])


def mode_seeking_loss(
    x1: torch.Tensor, x2: torch.Tensor, z1: torch.Tensor, z2: torch.Tensor, eps: float = 1e-5
) -> torch.Tensor:
    """Mode-seeking term (MSGAN): small when images from different codes differ a lot.

    1 / (mean|x1 - x2| / mean|z1 - z2| + eps), for two batches generated with the same
    traits and different codes.
    """
    ratio = (x1 - x2).abs().mean(dim=(1, 2, 3)) / (z1 - z2).abs().mean(dim=1)
    return 1.0 / (ratio.mean() + eps)


def reconstruction_loss(fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Mean absolute error at full, half and quarter resolution, summed."""
    loss = (fake - real).abs().mean()
    for _ in range(2):
        fake, real = F.avg_pool2d(fake, 2), F.avg_pool2d(real, 2)
        loss = loss + (fake - real).abs().mean()
    return loss


def hard_pixel_loss(fake: torch.Tensor, real: torch.Tensor, share: float = 0.02) -> torch.Tensor:
    """Mean over images of the mean absolute error (over channels) of each image's worst ``share`` of pixels."""
    error = (fake - real).abs().mean(dim=1).flatten(1)  # B, H*W
    k = max(1, round(share * error.shape[1]))
    return error.topk(k, dim=1).values.mean()


def region_loss(fake: torch.Tensor, real: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean absolute error over the pixels where ``mask`` (B, H, W) is set, each image's region weighing alike
    (images (B, 3, H, W)). Small parts, such as the eyes and mouth, get a pull of their own this way."""
    error = (fake - real).abs().mean(dim=1)  # B, H, W
    m = mask.to(error.dtype)
    return ((error * m).flatten(1).sum(1) / m.flatten(1).sum(1).clamp(min=1)).mean()


def colour_region_loss(
    fake: torch.Tensor, real: torch.Tensor, colour: torch.Tensor, tolerance: float = 0.06
) -> torch.Tensor:
    """Mean absolute error over the pixels whose reference is within ``tolerance`` (every channel, on
    the [-1, 1] scale) of each image's ``colour`` (B, 3): the pixels that show a colour trait. 0 when
    no pixel does."""
    shows = ((real - colour[:, :, None, None]).abs() <= tolerance).all(dim=1, keepdim=True)
    return ((fake - real).abs() * shows).sum() / (3 * shows.sum()).clamp(min=1)


def r1_penalty(D: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, parts: torch.Tensor | None = None) -> torch.Tensor:
    """Mean squared gradient norm of D's score at real images x."""
    x = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(D(x, y, parts).sum(), x, create_graph=True)
    return grad.square().sum(dim=(1, 2, 3)).mean()
