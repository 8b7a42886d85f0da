"""Reader architectures compared on one thread and one budget: each candidate ``ReaderConfig`` is trained from the
same seed on the first ``--train`` portraits of the 48,000-portrait latentkin corpus's training part for ``--epochs``
epochs, then reads the first ``--held`` of its held-out part. Prints one JSON line per candidate (accuracy per
trait, Mouth and Glasses value recalls, the Mouth confusion counts [true][read], CPU-minutes of the training)."""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch

from renderer.independent_eval import reading_scores
from renderer.paired_corpus import load_or_build
from renderer.reader import READER_ARCHITECTURES, READER_CORPUS_SEED, READER_SIZE, read, train_reader
from renderer.traits import TRAITS

MOUTH = [t.name for t in TRAITS].index("Mouth")


def confusion(pred: np.ndarray, truth: np.ndarray, values: int) -> list[list[int]]:
    """Counts[true value][read value] of one trait's readings."""
    counts = np.zeros((values, values), np.int64)
    np.add.at(counts, (truth, pred), 1)
    return counts.tolist()


def main() -> None:
    """Train and read each named candidate in turn."""
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="+", choices=sorted(READER_ARCHITECTURES))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--corpus-count", type=int, default=48000)
    parser.add_argument("--train", type=int, default=12000)
    parser.add_argument("--held", type=int, default=2400)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--corpus-dir", default="var/corpus")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train, held = load_or_build(
        args.corpus_count, READER_CORPUS_SEED, READER_SIZE, args.corpus_dir, style="latentkin"
    ).split(0.2, seed=READER_CORPUS_SEED)
    images, labels = train.images[: args.train], train.labels[: args.train]
    for name in args.names:
        start = time.process_time()
        model = train_reader(
            images,
            labels,
            seed=READER_CORPUS_SEED,
            epochs=args.epochs,
            cfg=READER_ARCHITECTURES[name],
            genes=train.genes[: args.train],
        )
        minutes = (time.process_time() - start) / 60
        pred = read(model, held.images[: args.held], held.genes[: args.held])[0]
        truth = held.labels[: args.held].astype(np.int64)
        scores = reading_scores(pred, truth)
        row = {
            "name": name,
            "cpu_min": round(minutes, 1),
            "accuracy": scores["trait_accuracy"],
            "per_trait": scores["per_trait"],
            "mouth": scores["per_value"]["Mouth"],
            "glasses": scores["per_value"]["Glasses"],
            "mouth_confusion": confusion(pred[:, MOUTH], truth[:, MOUTH], len(TRAITS[MOUTH].names)),
            "min_value_recall": scores["min_value_recall"],
            "at": time.strftime("%H:%M:%S", time.gmtime()),
        }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
