"""The training loop and the reading loop of the independent trait reader (:mod:`renderer.reader`).

A trait model has ``features(x, genes)`` (B, D), a linear ``head`` and ``cfg.trait_sizes``; it is trained
from scratch with AdamW under a one-cycle schedule, a fixed seed and a translation ``jitter``. ``genes`` are the
code genes of the portrayed genomes, for models that look where they place the parts, else None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from renderer.losses import trait_loss

Jitter = Callable[[torch.Tensor, np.random.Generator], torch.Tensor]
Model = TypeVar("Model", bound=nn.Module)


class _TraitSizes(Protocol):
    @property
    def trait_sizes(self) -> Sequence[int]: ...


class TraitModel(Protocol):
    """What the reading loop needs of a model: pooled features, a linear head, the traits' sizes."""

    @property
    def cfg(self) -> _TraitSizes: ...

    @property
    def head(self) -> Callable[[torch.Tensor], torch.Tensor]: ...

    def features(self, x: torch.Tensor, genes: np.ndarray | None = None) -> torch.Tensor: ...

    def eval(self) -> nn.Module: ...


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 (B, H, W, 3) -> float (B, 3, H, W) in [-1, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div(127.5).sub(1)


def fit_traits(
    model: Model,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    seed: int,
    epochs: int,
    batch: int,
    lr: float,
    weight_decay: float,
    jitter: Jitter,
    desc: str,
    progress: bool = True,
    genes: np.ndarray | None = None,
) -> Model:
    """Train ``model`` on uint8 images and (N, 8) labels (and, if given, the code genes (N, 64) it is passed with
    each batch); returns it in eval mode."""
    rng = np.random.default_rng(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    per_epoch = max(1, len(images) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * per_epoch)
    y_all = torch.from_numpy(labels.astype(np.int64))
    model.train()
    bar = tqdm(total=epochs * per_epoch, desc=desc, disable=not progress, mininterval=10)
    for _ in range(epochs):
        order = rng.permutation(len(images))
        for k in range(per_epoch):
            idx = order[k * batch : (k + 1) * batch]
            x = jitter(to_tensor(images[idx]), rng)
            loss = trait_loss(model(x) if genes is None else model(x, genes[idx]), y_all[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}")
    bar.close()
    return model.eval()


@torch.inference_mode()
def read_traits(
    model: TraitModel,
    images: np.ndarray,
    batch: int,
    prepare: Callable[[np.ndarray], np.ndarray] = lambda a: a,
    genes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(predicted labels (N, 8), features (N, D)) of uint8 images, each batch passed through ``prepare`` (and
    read with its code genes, if given)."""
    if genes is not None and len(genes) != len(images):
        raise ValueError(f"{len(images)} images but the code genes of {len(genes)} genomes")
    model.eval()
    preds, feats = [], []
    for k in range(0, len(images), batch):
        x = to_tensor(prepare(images[k : k + batch]))
        f = model.features(x) if genes is None else model.features(x, genes[k : k + batch])
        logits = model.head(f).split(list(model.cfg.trait_sizes), dim=1)
        preds.append(torch.stack([logit.argmax(dim=1) for logit in logits], dim=1).numpy())
        feats.append(f.numpy())
    return np.concatenate(preds), np.concatenate(feats)
