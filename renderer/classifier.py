"""A small CNN that reads the 8 traits from an image.

Used twice, as two separate networks: a *teacher* trained on the GAN's training split that
adds an auxiliary trait loss during GAN training, and the *evaluation* classifier trained
on a held-out corpus with another seed, whose penultimate features also serve for the
Fréchet, diversity and heredity measures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from renderer.trait_fitting import fit_traits, read_traits
from renderer.vocabulary import TRAIT_SIZES


@dataclass
class ClassifierConfig:
    """Architecture of the trait classifier."""

    trait_sizes: tuple[int, ...] = TRAIT_SIZES
    channels: tuple[int, ...] = (32, 64, 128, 192)
    feature_dim: int = 256
    depth: int = 1  # 3x3 convs per stage (the first stage always has one)

    def to_dict(self) -> dict:
        """JSON-friendly dict."""
        d = asdict(self)
        d["trait_sizes"], d["channels"] = list(self.trait_sizes), list(self.channels)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ClassifierConfig:
        """Inverse of :meth:`to_dict`."""
        return cls(tuple(d["trait_sizes"]), tuple(d["channels"]), int(d["feature_dim"]), int(d["depth"]))


class TraitClassifier(nn.Module):
    """(B, 3, H, W) in [-1, 1] -> list of 8 logit tensors; :meth:`features` -> (B, feature_dim)."""

    def __init__(self, cfg: ClassifierConfig):
        super().__init__()
        self.cfg = cfg
        layers, cin = [], 3
        for k, c in enumerate(cfg.channels):
            for j in range(1 if k == 0 else cfg.depth):
                layers += [nn.Conv2d(cin if j == 0 else c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU()]
            layers.append(nn.MaxPool2d(2))
            cin = c
        self.body = nn.Sequential(*layers)
        self.neck = nn.Sequential(nn.Flatten(), nn.LazyLinear(cfg.feature_dim), nn.ReLU())
        self.head = nn.Linear(cfg.feature_dim, sum(cfg.trait_sizes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate features (B, feature_dim)."""
        return self.neck(self.body(x))

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        return list(self.head(self.features(x)).split(list(self.cfg.trait_sizes), dim=1))


def build_classifier(size: int, cfg: ClassifierConfig | None = None) -> TraitClassifier:
    """A classifier for size x size images, lazy layers materialised."""
    model = TraitClassifier(cfg or ClassifierConfig())
    with torch.no_grad():
        model(torch.zeros(2, 3, size, size))
    return model


def train_classifier(
    images: np.ndarray,
    labels: np.ndarray,
    seed: int,
    epochs: int = 4,
    batch: int = 64,
    lr: float = 2e-3,
    cfg: ClassifierConfig | None = None,
    progress: bool = True,
) -> TraitClassifier:
    """Train a classifier from scratch on uint8 images and (N, 8) labels with a fixed seed."""
    torch.manual_seed(seed)
    model = build_classifier(images.shape[1], cfg)
    return fit_traits(
        model,
        images,
        labels,
        seed=seed,
        epochs=epochs,
        batch=batch,
        lr=lr,
        weight_decay=1e-4,
        jitter=_roll_jitter,
        desc=f"classifier seed {seed}",
        progress=progress,
    )


def _roll_jitter(x: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    """Small translation jitter (wrapping)."""
    shift = rng.integers(-2, 3, size=2)
    return torch.roll(x, shifts=(int(shift[0]), int(shift[1])), dims=(2, 3))


def predict(model: TraitClassifier, images: np.ndarray, batch: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """(predicted labels (N, 8), features (N, feature_dim)) of uint8 images."""
    return read_traits(model, images, batch)


def per_trait_accuracy(pred: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Accuracy per trait (8,)."""
    return (pred == labels).mean(axis=0)


def save_classifier(model: TraitClassifier, path) -> None:
    """Self-describing checkpoint: config + state dict."""
    torch.save({"config": model.cfg.to_dict(), "size": _input_size(model), "state": model.state_dict()}, path)


def load_classifier(path) -> TraitClassifier:
    """Inverse of :func:`save_classifier`."""
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    model = build_classifier(ckpt["size"], ClassifierConfig.from_dict(ckpt["config"]))
    model.load_state_dict(ckpt["state"])
    return model.eval()


def _input_size(model: TraitClassifier) -> int:
    n_pool = len(model.cfg.channels)
    flat = model.neck[1].in_features // model.cfg.channels[-1]
    return int(round(flat**0.5)) * 2**n_pool
