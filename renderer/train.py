"""Train the conditional GAN on the corpus, with a frozen teacher classifier, EMA, resume.

Fake batches are drawn *through the correspondence table*: random genomes decoded into
(z, y), so every genome is in distribution. The batch is two halves with the same traits and
different codes, which the mode-seeking term uses to keep the code meaningful.

State lives in ``run_dir``: ``ckpt.pt`` (self-describing: configs, step, G, D, EMA G,
optimisers, RNG states; written atomically every ``ckpt_every_s`` seconds and at the end),
``teacher.pt`` (the auxiliary classifier), ``samples/step_XXXXXXX.png`` grids and
``log.jsonl``. Running again with the same ``run_dir`` resumes.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import torch
from PIL import Image
from tqdm import tqdm

from renderer.classifier import load_classifier, save_classifier, train_classifier
from renderer.corpus import Corpus, load_or_build
from renderer.grid import image_grid
from renderer.losses import d_hinge_loss, g_hinge_loss, mode_seeking_loss, trait_accuracy, trait_loss
from renderer.model import Discriminator, Generator, ModelConfig, to_uint8
from renderer.table import Table, load_table
from renderer.training.checkpoint import load_checkpoint, save_atomic
from renderer.trait_fitting import to_tensor


class RunConfigDict:
    """``to_dict`` / ``from_dict`` of a training run's dataclass config with a ``model`` config
    (of class ``model_class``) and Adam ``betas`` inside; shared by the v1 and v2 trainers."""

    model_class: ClassVar[type]

    def to_dict(self) -> dict:
        """JSON-friendly dict (model config included)."""
        d = asdict(self)
        d["model"] = self.model.to_dict()
        d["betas"] = list(self.betas)
        return d

    @classmethod
    def from_dict(cls, d: dict):
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["model"] = cls.model_class.from_dict(d["model"])
        d["betas"] = tuple(d["betas"])
        return cls(**d)


@dataclass
class TrainConfig(RunConfigDict):
    """Hyper-parameters of one training run (stored in its checkpoint)."""

    run_dir: str = "var/runs/shipped"
    corpus_count: int = 20000
    corpus_seed: int = 0
    corpus_dir: str = "var/corpus"
    seed: int = 1
    batch: int = 32  # two halves of batch // 2 sharing traits
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.0, 0.99)
    ema_decay: float = 0.998
    ema_start: int = 200  # copy G into EMA until this step
    lambda_ac: float = 1.0  # discriminator's auxiliary trait head (on reals for D, on fakes for G)
    lambda_teacher: float = 1.0  # frozen teacher classifier on fakes (G only)
    lambda_ms: float = 0.02  # mode-seeking
    teacher_epochs: int = 3
    uniform_fake_traits: bool = True  # see fake_batch
    max_steps: int = 1_000_000
    minutes: float = 90.0  # wall-clock budget of this invocation
    ckpt_every_s: float = 240.0
    sample_every_s: float = 300.0
    threads: int = 1  # measured: on a shared 2-core machine 1 thread beats 2 (OpenMP barriers stall)
    model: ModelConfig = field(default_factory=ModelConfig)
    model_class: ClassVar[type] = ModelConfig


def sample_grid(G: Generator, table: Table, n: int = 64, seed: int = 1234) -> Image.Image:
    """A square contact sheet of ``n`` fixed random genomes drawn by ``G``."""
    z, y = table.random_batch(np.random.default_rng(seed), n)
    with torch.inference_mode():
        x = G(torch.from_numpy(z), torch.from_numpy(y))
    return image_grid(to_uint8(x))


def fake_batch(table: Table, rng: np.random.Generator, n: int, uniform_traits: bool) -> tuple[np.ndarray, np.ndarray]:
    """Latents of ``n`` random genomes decoded through the table; with ``uniform_traits``
    the trait values are drawn uniformly instead of with the table's frequencies.

    The corpus labels are uniform per value. Were fakes to follow the table (common values
    more often), a projection discriminator would learn the prior gap ("a common label is a
    fake") and push common-trait fakes towards rare-looking images: measured at step 2350,
    "Open" eyes were read as "Dizzy" and "Grin" as "Sad". Uniform traits close the gap; the
    code z is always drawn through the table.
    """
    z, y = table.random_batch(rng, n)
    if uniform_traits:
        y = np.stack([rng.integers(0, k, size=n) for k in table.trait_sizes], axis=1).astype(np.int64)
    return z, y


def _ema_update(ema: Generator, G: Generator, decay: float) -> None:
    with torch.no_grad():
        for pe, p in zip(ema.parameters(), G.parameters()):
            pe.lerp_(p, 1 - decay)


def ema_generator(ckpt: dict) -> Generator:
    """The EMA generator of a loaded checkpoint, in eval mode."""
    cfg = TrainConfig.from_dict(ckpt["config"])
    G = Generator(cfg.model)
    G.load_state_dict(ckpt["G_ema"])
    return G.eval()


def train(cfg: TrainConfig, corpus: Corpus | None = None, table: Table | None = None, progress: bool = True) -> Path:
    """Train (or resume) the run in ``cfg.run_dir``; returns the checkpoint path."""
    run = Path(cfg.run_dir)
    (run / "samples").mkdir(parents=True, exist_ok=True)
    ckpt_path = run / "ckpt.pt"
    table = table or load_table()
    if corpus is None:
        corpus = load_or_build(
            cfg.corpus_count, cfg.corpus_seed, cfg.model.size, Path(cfg.corpus_dir), progress=progress
        )
    if corpus.images.shape[1] != cfg.model.size:
        raise ValueError(f"corpus is {corpus.images.shape[1]} px, model is {cfg.model.size} px")

    teacher_path = run / "teacher.pt"
    torch.set_num_threads(cfg.threads)
    if teacher_path.exists():
        teacher = load_classifier(teacher_path)
    else:
        teacher = train_classifier(
            corpus.images, corpus.labels, seed=cfg.seed + 100, epochs=cfg.teacher_epochs, progress=progress
        )
        save_classifier(teacher, teacher_path)
    teacher.requires_grad_(False)

    torch.manual_seed(cfg.seed)
    G, D = Generator(cfg.model), Discriminator(cfg.model)
    G_ema = copy.deepcopy(G).eval().requires_grad_(False)
    opt_g = torch.optim.Adam(G.parameters(), lr=cfg.lr_g, betas=cfg.betas)
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg.lr_d, betas=cfg.betas)
    rng = np.random.default_rng(cfg.seed)
    step = 0
    if ckpt_path.exists():
        ck = load_checkpoint(ckpt_path)
        G.load_state_dict(ck["G"]), D.load_state_dict(ck["D"]), G_ema.load_state_dict(ck["G_ema"])
        opt_g.load_state_dict(ck["opt_g"]), opt_d.load_state_dict(ck["opt_d"])
        rng.bit_generator.state = ck["np_rng"]
        torch.set_rng_state(ck["torch_rng"])
        step = ck["step"]

    def checkpoint() -> None:
        save_atomic(
            {
                "config": cfg.to_dict(),
                "step": step,
                "G": G.state_dict(),
                "D": D.state_dict(),
                "G_ema": G_ema.state_dict(),
                "opt_g": opt_g.state_dict(),
                "opt_d": opt_d.state_dict(),
                "np_rng": rng.bit_generator.state,
                "torch_rng": torch.get_rng_state(),
            },
            ckpt_path,
        )

    images = corpus.images
    labels = torch.from_numpy(corpus.labels.astype(np.int64))
    half = cfg.batch // 2
    start = last_ckpt = last_sample = time.time()
    log = open(run / "log.jsonl", "a")
    bar = tqdm(initial=step, total=cfg.max_steps, desc="gan", disable=not progress, mininterval=5)
    while step < cfg.max_steps and time.time() - start < cfg.minutes * 60:
        idx = rng.integers(0, len(images), size=cfg.batch)
        x_real, y_real = to_tensor(images[idx]), labels[idx]
        z1, y1 = fake_batch(table, rng, half, cfg.uniform_fake_traits)
        z2, _ = table.random_batch(rng, half)
        z = torch.from_numpy(np.concatenate([z1, z2]))
        y = torch.from_numpy(np.concatenate([y1, y1]))

        fake = G(z, y)
        s_real, l_real = D(x_real, y_real)
        s_fake, _ = D(fake.detach(), y)
        loss_d = d_hinge_loss(s_real, s_fake) + cfg.lambda_ac * trait_loss(l_real, y_real)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()

        s_fake, l_fake = D(fake, y)
        t_fake = teacher(fake)
        adv, ac, tl = g_hinge_loss(s_fake), trait_loss(l_fake, y), trait_loss(t_fake, y)
        ms = mode_seeking_loss(fake[:half], fake[half:], z[:half], z[half:])
        loss_g = adv + cfg.lambda_ac * ac + cfg.lambda_teacher * tl + cfg.lambda_ms * ms
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        _ema_update(G_ema, G, 0.0 if step < cfg.ema_start else cfg.ema_decay)
        step += 1
        bar.update(1)

        if step % 25 == 0:
            acc = trait_accuracy(t_fake, y).mean().item()
            rec = {
                "step": step,
                "t": round(time.time() - start, 1),
                "loss_d": round(loss_d.item(), 4),
                "adv": round(adv.item(), 4),
                "ac": round(ac.item(), 4),
                "teacher": round(tl.item(), 4),
                "ms": round(ms.item(), 4),
                "teacher_acc": round(acc, 4),
            }
            log.write(json.dumps(rec) + "\n")
            log.flush()
            bar.set_postfix(d=rec["loss_d"], adv=rec["adv"], t=rec["teacher"], acc=rec["teacher_acc"])
        now = time.time()
        if now - last_sample >= cfg.sample_every_s:
            sample_grid(G_ema, table).save(run / "samples" / f"step_{step:07d}.png")
            last_sample = now
        if now - last_ckpt >= cfg.ckpt_every_s:
            checkpoint()
            last_ckpt = now
    bar.close()
    checkpoint()
    sample_grid(G_ema, table).save(run / "samples" / f"step_{step:07d}.png")
    log.close()
    return ckpt_path
