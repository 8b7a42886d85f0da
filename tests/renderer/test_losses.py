"""GAN losses are small pure functions with known values."""

from __future__ import annotations

import pytest
import torch

from renderer.losses import d_hinge_loss, g_hinge_loss, mode_seeking_loss, region_loss, trait_accuracy, trait_loss


def test_d_hinge_loss_values():
    real, fake = torch.tensor([2.0, 0.5]), torch.tensor([-2.0, 0.0])
    # relu(1-2)=0, relu(1-.5)=.5 -> .25 ; relu(1-2)=0, relu(1+0)=1 -> .5
    assert d_hinge_loss(real, fake).item() == pytest.approx(0.75)


def test_g_hinge_loss_is_minus_mean_score():
    assert g_hinge_loss(torch.tensor([1.0, 3.0])).item() == pytest.approx(-2.0)


def test_trait_loss_and_accuracy():
    y = torch.tensor([[0, 2], [1, 0]])
    perfect = [torch.tensor([[9.0, -9.0], [-9.0, 9.0]]), torch.tensor([[-9.0, -9.0, 9.0], [9.0, -9.0, -9.0]])]
    wrong = [-p for p in perfect]
    assert trait_loss(perfect, y).item() < 1e-3
    assert trait_loss(wrong, y).item() > 5
    assert trait_accuracy(perfect, y).tolist() == [1.0, 1.0]
    assert trait_accuracy(wrong, y).tolist() == [0.0, 0.0]


def test_mode_seeking_rewards_different_images():
    z1, z2 = torch.zeros(4, 8), torch.ones(4, 8)
    x = torch.zeros(4, 3, 8, 8)
    similar = mode_seeking_loss(x, x + 0.01, z1, z2)
    different = mode_seeking_loss(x, x + 1.0, z1, z2)
    assert different.item() < similar.item()
    assert different.item() == pytest.approx(1.0, rel=1e-3)


def test_region_loss_averages_each_images_region_alone():
    real = torch.zeros(2, 3, 4, 4)
    fake = real.clone()
    fake[0, :, 0, 0] = 1.0  # inside image 0's one-pixel region
    fake[1, :, 3, 3] = 5.0  # outside image 1's region: no pull
    mask = torch.zeros(2, 4, 4, dtype=torch.bool)
    mask[0, 0, 0] = True
    mask[1, :2, :2] = True
    assert region_loss(fake, real, mask).item() == pytest.approx((1.0 + 0.0) / 2)
    assert region_loss(fake, real, torch.zeros_like(mask)).item() == 0.0  # no region: nothing, not a NaN
