"""The Mouth trait read from the mouth alone: a small CNN trained from one seed on one thread on 40 px crops round
the mouth (placed by the genes' geometry, head tilt included) of the first ``--train`` portraits of a cached
latentkin corpus's training part, read on the first ``--held`` of its held-out part. It compares two drawings of the
mouths without the whole-picture reader's budget (`benchmarks/reader_arch.py` at 12,000 portraits and 2 epochs reads
the closed mouths near chance on any drawing). Prints one JSON line: accuracy, recall per value, confusion
counts [true][read], CPU-minutes."""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np
import torch
from torch import nn

from renderer.paired_corpus import PairedCorpus
from renderer.portrait.draw import MOUTH
from renderer.portrait.genes import Looks
from renderer.portrait.head import Head
from renderer.traits import TRAITS

CROP = 40  # px of a 128 px portrait: the widest mouth's region and its tilt


def mouth_crops(images: np.ndarray, genes: np.ndarray) -> torch.Tensor:
    """(N, 3, CROP, CROP) float crops of 128 px portraits round the mouth their genes place."""
    out = np.zeros((len(images), CROP, CROP, 3), np.uint8)
    scale = images.shape[1] / 100
    for i, (image, row) in enumerate(zip(images, genes, strict=True)):
        h = Head.of(Looks([int(g) for g in row]))
        x, y, turn = h.cx, h.mouth_y + 0.3 * h.mouth_w, math.radians(h.tilt)
        tx = h.cx + (x - h.cx) * math.cos(turn) - (y - h.chin) * math.sin(turn)
        ty = h.chin + (x - h.cx) * math.sin(turn) + (y - h.chin) * math.cos(turn)
        left, top = round(tx * scale) - CROP // 2 + CROP, round(ty * scale) - CROP // 2 + CROP
        padded = np.pad(image, ((CROP, CROP), (CROP, CROP), (0, 0)), mode="edge")
        out[i] = padded[top : top + CROP, left : left + CROP]
    return torch.tensor(out).permute(0, 3, 1, 2).float() / 255


def main() -> None:
    """Train on one corpus's mouth crops and read its held-out ones."""
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", help="a cached corpus .npz (var/corpus/paired_v2_latentkin-*.npz)")
    parser.add_argument("--train", type=int, default=12000)
    parser.add_argument("--held", type=int, default=2400)
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(77)
    with np.load(args.corpus) as data:
        train, held = PairedCorpus(data["images"], data["labels"], data["genes"]).split(0.2, seed=77)
    x_train = mouth_crops(train.images[: args.train], train.genes[: args.train])
    y_train = torch.tensor(train.labels[: args.train, MOUTH].astype(np.int64))
    x_held = mouth_crops(held.images[: args.held], held.genes[: args.held])
    truth = held.labels[: args.held, MOUTH].astype(np.int64)
    net = nn.Sequential(
        *(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
        *(nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
        *(nn.Conv2d(64, 96, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(96, 8)),
    )
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    order = torch.Generator().manual_seed(77)
    start = time.process_time()
    for _ in range(args.epochs):
        for batch in torch.randperm(len(x_train), generator=order).split(64):
            opt.zero_grad()
            nn.functional.cross_entropy(net(x_train[batch]), y_train[batch]).backward()
            opt.step()
    with torch.no_grad():
        pred = net(x_held).argmax(1).numpy()
    names = TRAITS[MOUTH].names
    counts = np.zeros((len(names), len(names)), np.int64)
    np.add.at(counts, (truth, pred), 1)
    row = {
        "corpus": args.corpus.rsplit("/", 1)[-1],
        "mouth_accuracy": round(float((pred == truth).mean()), 4),
        "recall": {n: round(float(counts[k, k] / max(1, counts[k].sum())), 4) for k, n in enumerate(names)},
        "confusion": counts.tolist(),
        "cpu_min": round((time.process_time() - start) / 60, 1),
    }
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
