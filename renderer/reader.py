"""The independent trait reader: a small ConvNeXt-style network that reads the 8 traits.

No training step of any generator uses it, and its architecture shares nothing with the
networks that do: a 4x4 patchify stem, depthwise 7x7 convolutions, layer norms and inverted
MLP blocks with GELU (the GANs' discriminators are spectrally normalised strided or residual
3x3 conv stacks; v1's teacher is a plain 3x3 conv + batch-norm stack). It is trained on a
paired corpus seed (77) that no generator was trained on, and reads any image at 128 px
(smaller renders are resized with Lanczos first, so v1 and v2 are read alike).

A reader with ``cfg.crop`` also reads each eye and the mouth from a crop of its own: the square round the part in
the part's own frame, straightened and at one scale, placed by the code genes' geometry
(:func:`renderer.portrait.regions.part_crop_grids`), the same geometry the reference drawing places the parts by.
The genes only say *where* to look; what is there is read from the pixels. A mouth a few pixels high in a
128 px picture is a few cells of the whole-picture network's last map; in its crop it fills the frame.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from renderer.portrait.regions import LEFT_EYE, MOUTH, RIGHT_EYE, part_crop_grids
from renderer.trait_fitting import fit_traits, read_traits
from renderer.vocabulary import TRAIT_SIZES

READER_SIZE = 128
READER_CORPUS_SEED = 77
POOLS = ("mean", "meanmax")
SHIPPED_READER = Path(__file__).parent / "data" / "reader_v2.pt"  # reads the avatars style (v1, v2)
SHIPPED_READER_V3 = Path(__file__).parent / "data" / "reader_v3.pt"  # reads latentkin's own portraits (v3)


def shipped_reader(style: str) -> Path:
    """The shipped reader trained on reference portraits of ``style`` (see :mod:`renderer.paired_corpus`)."""
    readers = {"avatars": SHIPPED_READER, "latentkin": SHIPPED_READER_V3}
    if style not in readers:
        raise ValueError(f"unknown portrait style {style!r}: one of {', '.join(readers)}")
    return readers[style]


# The parts a reader with crops reads on their own, and how far round each its crop reaches, in the part's frame
# (1: the region the drawing keeps for it; glasses' rims and a moustache or a tongue reach a little beyond).
CROPS = ((LEFT_EYE, 1.6), (RIGHT_EYE, 1.6), (MOUTH, 1.8))


@dataclass
class ReaderConfig:
    """Architecture of the independent reader."""

    trait_sizes: tuple[int, ...] = TRAIT_SIZES
    widths: tuple[int, ...] = (48, 96, 192)
    depths: tuple[int, ...] = (1, 1, 2)
    stem: int = 4  # the stem's patch (kernel) size
    stem_stride: int = 4  # its stride: 2 with a 4 px patch gives overlapping patches and twice the resolution
    pool: str = "mean"  # "mean", or "meanmax": mean and max pooled features side by side (2 x widths[-1])
    crop: int = 0  # px a side of the crops of each eye and the mouth read beside the whole picture; 0: none

    def __post_init__(self) -> None:
        if self.pool not in POOLS:
            raise ValueError(f"unknown reader pooling {self.pool!r}: one of {', '.join(POOLS)}")

    @property
    def feature_size(self) -> int:
        """Length of the pooled feature vector the heads read: the whole picture's, then each crop's."""
        whole = self.widths[-1] * (2 if self.pool == "meanmax" else 1)
        return whole + (len(CROPS) * 2 * self.widths[1] if self.crop else 0)

    def to_dict(self) -> dict:
        """JSON-friendly dict."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict) -> ReaderConfig:
        """Inverse of :meth:`to_dict`; fields missing from older readers' weights keep their defaults."""
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
        return cls(**fields)


READER_ARCHITECTURES = {
    "plain": ReaderConfig(),  # readers v2 and the first v3s: 4 x 4 patches, mean pooled
    "meanmax": ReaderConfig(pool="meanmax"),
    "stage4": ReaderConfig(widths=(48, 96, 192, 384), depths=(1, 1, 2, 1), pool="meanmax"),  # reader_v3 to 12-07
    "deep16": ReaderConfig(depths=(1, 3, 2), pool="meanmax"),
    "fine": ReaderConfig(widths=(24, 48, 96, 192), depths=(1, 1, 1, 2), stem_stride=2, pool="meanmax"),
    "wide": ReaderConfig(widths=(64, 128, 256), pool="meanmax"),
    "parts": ReaderConfig(widths=(48, 96, 192, 384), depths=(1, 1, 2, 1), pool="meanmax", crop=32),
}
DEFAULT_ARCHITECTURE = "parts"  # what `train-reader` trains (see docs/renderer.md, "Reader architectures")


class _ChannelNorm(nn.Module):
    """LayerNorm over the channels of a (B, C, H, W) map."""

    def __init__(self, c: int):
        super().__init__()
        self.norm = nn.LayerNorm(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class _Block(nn.Module):
    """Depthwise 7x7 -> LayerNorm -> 1x1 (4x) -> GELU -> 1x1, residual."""

    def __init__(self, c: int):
        super().__init__()
        self.dw = nn.Conv2d(c, c, 7, padding=3, groups=c)
        self.norm = _ChannelNorm(c)
        self.mlp = nn.Sequential(nn.Conv2d(c, 4 * c, 1), nn.GELU(), nn.Conv2d(4 * c, c, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.mlp(self.norm(self.dw(x)))


class _PartBranch(nn.Module):
    """A part's crop (B, 3, c, c) -> (B, 2 x w2) features: 2x2 patches, a block, 2x2 down to ``w2``, a block, mean
    and max pooled."""

    def __init__(self, w1: int, w2: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, w1, 2, stride=2), _ChannelNorm(w1), _Block(w1), _ChannelNorm(w1),
            nn.Conv2d(w1, w2, 2, stride=2), _Block(w2),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.body(x)
        return torch.cat([y.mean(dim=(2, 3)), y.amax(dim=(2, 3))], dim=1)


def crop_grids(cfg: ReaderConfig, genes: np.ndarray) -> torch.Tensor:
    """(B, len(CROPS), cfg.crop, cfg.crop, 2) sampling grids of the part crops of code genes (B, 64)."""
    return torch.from_numpy(part_crop_grids(genes, CROPS, cfg.crop))


class TraitReader(nn.Module):
    """(B, 3, 128, 128) in [-1, 1] (and, with ``cfg.crop``, the code genes (B, 64) that place the parts) -> list of 8
    logit tensors; :meth:`features` -> (B, cfg.feature_size)."""

    def __init__(self, cfg: ReaderConfig):
        super().__init__()
        self.cfg = cfg
        pad = (cfg.stem - cfg.stem_stride) // 2
        stem = nn.Conv2d(3, cfg.widths[0], cfg.stem, stride=cfg.stem_stride, padding=pad)
        layers: list[nn.Module] = [stem, _ChannelNorm(cfg.widths[0])]
        for k, (c, depth) in enumerate(zip(cfg.widths, cfg.depths, strict=False)):
            if k > 0:
                layers += [_ChannelNorm(cfg.widths[k - 1]), nn.Conv2d(cfg.widths[k - 1], c, 2, stride=2)]
            layers += [_Block(c) for _ in range(depth)]
        self.body = nn.Sequential(*layers)
        if cfg.crop:  # one branch for both eyes (in their order), one for the mouth
            self.eye_branch = _PartBranch(cfg.widths[0], cfg.widths[1])
            self.mouth_branch = _PartBranch(cfg.widths[0], cfg.widths[1])
        self.norm = nn.LayerNorm(cfg.feature_size)
        self.head = nn.Linear(cfg.feature_size, sum(cfg.trait_sizes))

    def features(self, x: torch.Tensor, genes: np.ndarray | None = None) -> torch.Tensor:
        """Pooled, normalised features (B, cfg.feature_size): the mean over the last map, and its max after it
        when ``cfg.pool`` is "meanmax" (a mouth a few cells wide is diluted in the mean, not in the max); then, with
        ``cfg.crop``, each crop's (the left eye's, the right eye's, the mouth's), placed by ``genes``."""
        y = self.body(x)
        pooled = [y.mean(dim=(2, 3))]
        if self.cfg.pool == "meanmax":
            pooled.append(y.amax(dim=(2, 3)))
        if self.cfg.crop:
            if genes is None or len(genes) != len(x):
                raise ValueError("this reader reads each part where the genes put it: pass the code genes (B, 64)")
            grids = crop_grids(self.cfg, np.asarray(genes)).to(x)
            crops = [F.grid_sample(x, grids[:, k], align_corners=False) for k in range(len(CROPS))]
            pooled += [self.eye_branch(crops[0]), self.eye_branch(crops[1]), self.mouth_branch(crops[2])]
        return self.norm(torch.cat(pooled, dim=1))

    def forward(self, x: torch.Tensor, genes: np.ndarray | None = None) -> list[torch.Tensor]:
        return list(self.head(self.features(x, genes)).split(list(self.cfg.trait_sizes), dim=1))


def at_reader_size(images: np.ndarray) -> np.ndarray:
    """uint8 (B, H, W, 3) images resized (Lanczos) to the reader's 128 px, unchanged if already so."""
    if images.shape[1] == READER_SIZE:
        return images
    return np.stack(
        [np.asarray(Image.fromarray(im).resize((READER_SIZE, READER_SIZE), Image.Resampling.LANCZOS)) for im in images]
    )


def train_reader(
    images: np.ndarray,
    labels: np.ndarray,
    seed: int,
    epochs: int = 6,
    batch: int = 64,
    lr: float = 3e-3,
    cfg: ReaderConfig | None = None,
    progress: bool = True,
    genes: np.ndarray | None = None,
) -> TraitReader:
    """Train a reader from scratch on uint8 images (N, 128, 128, 3) and (N, 8) labels (and the portraits' code
    genes (N, 64), which a reader with ``cfg.crop`` needs to place its crops)."""
    torch.manual_seed(seed)
    model = TraitReader(cfg or ReaderConfig())
    return fit_traits(
        model,
        images,
        labels,
        genes=genes if model.cfg.crop else None,
        seed=seed,
        epochs=epochs,
        batch=batch,
        lr=lr,
        weight_decay=0.05,
        jitter=_edge_jitter,
        desc=f"reader seed {seed}",
        progress=progress,
    )


def _edge_jitter(x: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    """Translation by up to 4 px, edge-padded."""
    dy, dx = (int(v) for v in rng.integers(-4, 5, size=2))
    return F.pad(x, (4, 4, 4, 4), mode="replicate")[:, :, 4 + dy : 4 + dy + x.shape[2], 4 + dx : 4 + dx + x.shape[3]]


def read(
    model: TraitReader, images: np.ndarray, genes: np.ndarray | None = None, batch: int = 128
) -> tuple[np.ndarray, np.ndarray]:
    """(predicted labels (N, 8), features (N, D)) of uint8 images of any size; ``genes`` (N, 64) are the code
    genes of the genomes they portray, which a reader with crops needs (others ignore them)."""
    return read_traits(model, images, batch, prepare=at_reader_size, genes=genes if model.cfg.crop else None)


def save_reader(model: TraitReader, path, corpus_count: int) -> None:
    """Weights-only checkpoint: config, state dict and the size of the corpus (seed 77) it was trained on, whose
    held-out 20 % evaluation reads (see :func:`trained_corpus_count`)."""
    torch.save({"config": model.cfg.to_dict(), "state": model.state_dict(), "corpus_count": corpus_count}, path)


def trained_corpus_count(path) -> int:
    """How many portraits the corpus of the reader at ``path`` held (80 % trained on, 20 % held out). Its held-out
    part depends on that count, so evaluating with another count would read portraits the reader trained on.
    Readers saved before the count was recorded were all trained on 12,000."""
    return int(torch.load(path, map_location="cpu", weights_only=True).get("corpus_count", 12000))


def load_reader(path) -> TraitReader:
    """Inverse of :func:`save_reader`."""
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    model = TraitReader(ReaderConfig.from_dict(ckpt["config"]))
    model.load_state_dict(ckpt["state"])
    return model.eval()
