"""Train the v2 generator: adversarial + paired reconstruction, EMA, exact resume.

Each step draws a batch of the paired corpus (genome -> reference portrait, see
:mod:`renderer.paired_corpus`), decodes the genomes' code genes through the correspondence
table into z, and asks the generator for the portrait of (z, traits). The generator's loss is
the hinge adversarial term of a projection discriminator plus an L1 reconstruction term at
three scales against the reference image, plus the mean error of each image's worst 2% of pixels
(a thin trait drawn wrong is a few pixels far off, which a plain mean hardly sees), plus the mean
error over the pixels that show the clothing colour (a whole trait in 5% of the picture); the
discriminator gets lazy R1 on reals and is conditioned on the traits and on the code-driven parts. No
classifier takes part in training, so any trait reader can evaluate the result independently.

State lives in ``run_dir``: ``ckpt.pt`` (full precision: configs, step, images seen, wall
seconds, G, D, EMA G, optimisers, RNG states; atomic, every ``ckpt_every_s``), ``samples/``,
``snapshots/step_XXXXXXX.pt`` (the EMA generator, for the curve of independent figures) and
``log.jsonl``. ``resume_path`` is the compact checkpoint that travels with the repo (float16
weights, bfloat16 optimiser moments); a run with no ``ckpt.pt`` starts from it when it exists.
"""

from __future__ import annotations

import copy
import json
import math
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import torch
from PIL import ImageColor
from tqdm import tqdm

from renderer.grid import image_grid
from renderer.losses import (
    colour_region_loss,
    d_hinge_loss,
    g_hinge_loss,
    hard_pixel_loss,
    r1_penalty,
    reconstruction_loss,
)
from renderer.model import to_uint8
from renderer.model_v2 import DiscriminatorV2, GeneratorV2, ModelConfigV2
from renderer.paired_corpus import PART_SIZES, PairedCorpus, free_part_indices, load_or_build
from renderer.table import Table, load_table
from renderer.train import RunConfigDict
from renderer.training.checkpoint import compact, full_optimizer, load_checkpoint, save_atomic
from renderer.trait_fitting import to_tensor
from renderer.traits import TRAIT_NAMES, TRAITS, Trait

RESUME_PATH = Path(__file__).parent / "training" / "resume_v2.pt"
# the shipped architecture: 16-channel trait maps at 32 px, and D projecting on the code-driven parts
DEFAULT_MODEL = ModelConfigV2(trait_map_channels=16, trait_map_size=32, part_sizes=PART_SIZES)
# parameters that grafting adds; they get Adam groups of their own (see _optimizers)
_GRAFTED_G = ("trait_maps", "trait_inject")
_GRAFTED_D = ("part_project", "part_gain")


@dataclass
class TrainConfigV2(RunConfigDict):
    """Hyper-parameters of one v2 training run (stored in its checkpoints)."""

    run_dir: str = "var/runs/v2"
    corpus_count: int = 40000
    corpus_seed: int = 21  # never used by any evaluation reader
    corpus_dir: str = "var/corpus"
    seed: int = 3
    batch: int = 16
    lr_g: float = 2e-3
    lr_mapping: float = 2e-4  # mapping MLP and trait embeddings learn slower (StyleGAN's mapping multiplier)
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.0, 0.99)
    ema_half_life_images: int = 10_000
    lambda_rec: float = 10.0  # L1 against the reference portrait, summed over 3 scales
    lambda_hard: float = 2.0  # mean L1 of each image's worst 2% of pixels (0.2 of lambda_rec)
    hard_share: float = 0.02
    # L1 over the pixels showing the clothing colour: ~5% of the picture carry a whole trait, the one the
    # independent reader read worst (Black as Navy) with this term at 0
    lambda_clothing: float = 3.0
    lambda_adv: float = 1.0
    adv_start_images: int = 100_000  # reconstruction alone until then (cheap: no discriminator passes)
    # then the discriminator and the adversarial term run on every adv_every-th step only: in float32
    # (no native bfloat16) an adversarial step costs ~3x a reconstruction-only one, and the paired
    # terms, not the adversarial one, carry the traits
    adv_every: int = 4
    bf16: bool = True  # bfloat16 autocast where the CPU has it natively (see bf16_is_native); R1 stays float32
    r1_gamma: float = 1.0
    r1_every: int = 8
    max_steps: int = 10_000_000
    minutes: float = 150.0  # wall-clock budget of this invocation
    ckpt_every_s: float = 240.0
    sample_every_s: float = 600.0
    snapshot_every_s: float = 1200.0
    threads: int = 2
    model: ModelConfigV2 = field(default_factory=lambda: DEFAULT_MODEL)
    model_class: ClassVar[type] = ModelConfigV2


def resume_config(stored: dict, run_dir: str | None = None) -> TrainConfigV2:
    """The config to resume a checkpoint's run with: its own, except that the model becomes
    :data:`DEFAULT_MODEL` when that grafts onto the stored one (the run then trains on with the
    trait maps and part projections it lacked) and fields added since take their defaults."""
    cfg = TrainConfigV2.from_dict(stored)
    if DEFAULT_MODEL.grafts_onto(cfg.model):
        cfg.model = DEFAULT_MODEL
    if run_dir is not None:
        cfg.run_dir = run_dir
    return cfg


def bf16_is_native() -> bool:
    """True on CPUs with bfloat16 arithmetic (AVX-512 BF16 or AMX): there autocast is 1.45x faster;
    elsewhere (AVX2) it is emulated and 11x slower (measured), so training runs in float32."""
    return torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()


def trait_colours(trait: Trait) -> torch.Tensor:
    """(values, 3) the colours of a colour trait's values on the [-1, 1] scale, in value order."""
    return torch.tensor([ImageColor.getrgb(colour.value) for _, colour in trait.values]) / 127.5 - 1


CLOTHING = TRAIT_NAMES.index("Clothing colour")


def batch_latents(table: Table, genes: np.ndarray) -> torch.Tensor:
    """Code genes (B, 64) uint8 -> z (B, 64) float32 through the correspondence table."""
    return torch.from_numpy(table.gene_values[genes.astype(np.int64)].astype(np.float32))


def ema_generator_v2(state: dict, cfg: ModelConfigV2) -> GeneratorV2:
    """A v2 generator in eval mode from an EMA state dict."""
    G = GeneratorV2(cfg)
    G.load_state_dict({k: v.float() for k, v in state.items()})
    return G.eval().requires_grad_(False)


load_checkpoint_v2 = load_checkpoint  # the name callers of v2 runs know


def write_compact(ckpt: dict, path: Path = RESUME_PATH) -> Path:
    """Write the compact resume checkpoint of a full one (fp16 weights, bf16 moments)."""
    save_atomic(compact(ckpt, ("config", "step", "images_seen", "wall_seconds", "np_rng", "torch_rng")), path)
    return path


def _optimizers(cfg: TrainConfigV2, G: GeneratorV2, D: DiscriminatorV2, grafted: bool = True):
    """Adam for G (groups: convs, slow mapping and embeddings, then trait maps) and D (then part
    projections). With ``grafted=False`` the grafted groups are left out, so a checkpoint of a run
    without them loads; :func:`_add_grafted_groups` adds them after."""
    named = dict(G.named_parameters())
    slow = [p for n, p in named.items() if n.startswith(("mapping", "embed"))]
    fast = [p for n, p in named.items() if not n.startswith(("mapping", "embed") + _GRAFTED_G)]
    opt_g = torch.optim.Adam(
        [{"params": fast, "lr": cfg.lr_g}, {"params": slow, "lr": cfg.lr_mapping}], betas=cfg.betas
    )
    d_betas = (cfg.betas[0] ** (cfg.r1_every / (cfg.r1_every + 1)), cfg.betas[1] ** (cfg.r1_every / (cfg.r1_every + 1)))
    opt_d = torch.optim.Adam(
        [p for n, p in D.named_parameters() if not n.startswith(_GRAFTED_D)], lr=cfg.lr_d, betas=d_betas
    )
    if grafted:
        _add_grafted_groups(cfg, G, D, opt_g, opt_d)
    return opt_g, opt_d


def _add_grafted_groups(cfg: TrainConfigV2, G: GeneratorV2, D: DiscriminatorV2, opt_g, opt_d) -> None:
    maps = [p for n, p in G.named_parameters() if n.startswith(_GRAFTED_G)]
    parts = [p for n, p in D.named_parameters() if n.startswith(_GRAFTED_D)]
    if maps:
        opt_g.add_param_group({"params": maps, "lr": cfg.lr_g})
    if parts:
        opt_d.add_param_group({"params": parts, "lr": cfg.lr_d})


def _load_networks(ck: dict, cfg: TrainConfigV2, G: GeneratorV2, D: DiscriminatorV2, G_ema: GeneratorV2, source: Path):
    """Load a checkpoint's networks and optimisers into G, D, G_ema; grafts when the checkpoint's
    model lacks the config's trait maps or part projections. Returns the optimisers."""
    stored = ModelConfigV2.from_dict(ck["config"]["model"])
    graft = stored != cfg.model
    if graft and not cfg.model.grafts_onto(stored):
        raise ValueError(f"{source} was trained with another model config")
    for net, part, prefixes in ((G, "G", _GRAFTED_G), (D, "D", _GRAFTED_D), (G_ema, "G_ema", _GRAFTED_G)):
        missing, unexpected = net.load_state_dict({k: v.float() for k, v in ck[part].items()}, strict=not graft)
        if unexpected or any(not k.startswith(prefixes) for k in missing):
            raise ValueError(f"{source} does not fit the model: missing {missing}, unexpected {unexpected}")
    opt_g, opt_d = _optimizers(cfg, G, D, grafted=not graft)
    opt_g.load_state_dict(full_optimizer(ck["opt_g"]))
    opt_d.load_state_dict(full_optimizer(ck["opt_d"]))
    if graft:
        _add_grafted_groups(cfg, G, D, opt_g, opt_d)
    return opt_g, opt_d


def train_v2(
    cfg: TrainConfigV2,
    corpus: PairedCorpus | None = None,
    table: Table | None = None,
    resume_path: Path | None = RESUME_PATH,
    progress: bool = True,
) -> Path:
    """Train (or resume) the v2 run in ``cfg.run_dir``; returns the full checkpoint's path.

    Resumes from ``run_dir/ckpt.pt`` if present, else from ``resume_path`` if present. The
    hyper-parameters of a resumed run are the ones passed in (``minutes`` and the rest may
    change between invocations); the model config must match the checkpoint's.
    """
    run = Path(cfg.run_dir)
    (run / "samples").mkdir(parents=True, exist_ok=True)
    ckpt_path = run / "ckpt.pt"
    table = table or load_table()
    corpus = corpus or load_or_build(
        cfg.corpus_count, cfg.corpus_seed, cfg.model.size, Path(cfg.corpus_dir), progress=progress
    )
    if corpus.images.shape[1] != cfg.model.size:
        raise ValueError(f"corpus is {corpus.images.shape[1]} px, model is {cfg.model.size} px")
    torch.set_num_threads(cfg.threads)

    torch.manual_seed(cfg.seed)
    G, D = GeneratorV2(cfg.model), DiscriminatorV2(cfg.model)
    G_ema = copy.deepcopy(G).eval().requires_grad_(False)
    opt_g, opt_d = _optimizers(cfg, G, D)
    rng = np.random.default_rng(cfg.seed)
    step, images_seen, wall = 0, 0, 0.0
    source = ckpt_path if ckpt_path.exists() else (resume_path if resume_path and resume_path.exists() else None)
    if source is not None:
        ck = load_checkpoint(source)
        opt_g, opt_d = _load_networks(ck, cfg, G, D, G_ema, source)
        rng.bit_generator.state = ck["np_rng"]
        torch.set_rng_state(ck["torch_rng"])
        step, images_seen, wall = ck["step"], ck["images_seen"], ck["wall_seconds"]

    def state() -> dict:
        return {
            "config": cfg.to_dict(),
            "step": step,
            "images_seen": images_seen,
            "wall_seconds": round(wall + time.time() - start, 1),
            "G": G.state_dict(),
            "D": D.state_dict(),
            "G_ema": G_ema.state_dict(),
            "opt_g": opt_g.state_dict(),
            "opt_d": opt_d.state_dict(),
            "np_rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
        }

    images, labels = corpus.images, torch.from_numpy(corpus.labels.astype(np.int64))
    bf16 = cfg.bf16 and bf16_is_native()
    clothing_colours = trait_colours(TRAITS[CLOTHING])
    all_parts = torch.from_numpy(free_part_indices(corpus.genes)) if cfg.model.part_sizes else None
    beta = 0.5 ** (cfg.batch / cfg.ema_half_life_images)
    start = last_ckpt = last_sample = last_snapshot = time.time()
    fixed = np.random.default_rng(1234).integers(0, len(images), size=32)
    log = open(run / "log.jsonl", "a")
    stop = threading.Event()  # SIGTERM / SIGINT: finish the step, write the checkpoint, return
    previous = (
        {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGTERM, signal.SIGINT)}
        if threading.current_thread() is threading.main_thread()
        else {}
    )
    bar = tqdm(initial=step, total=None, desc="gan v2", disable=not progress, mininterval=10, unit="step")
    try:
        while step < cfg.max_steps and time.time() - start < cfg.minutes * 60 and not stop.is_set():
            idx = rng.integers(0, len(images), size=cfg.batch)
            real, y = to_tensor(images[idx]), labels[idx]
            parts = all_parts[idx] if all_parts is not None else None
            z = batch_latents(table, corpus.genes[idx])

            adversarial = images_seen >= cfg.adv_start_images and step % cfg.adv_every == 0
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                fake = G(z, y).float()
            loss_d = r1 = adv = torch.zeros(())
            if adversarial:
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    loss_d = d_hinge_loss(D(real, y, parts).float(), D(fake.detach(), y, parts).float())
                if (step // cfg.adv_every) % cfg.r1_every == 0:  # lazy R1: every r1_every-th D step
                    r1 = r1_penalty(D, real, y, parts)
                    loss_d = loss_d + cfg.r1_gamma / 2 * cfg.r1_every * r1
                opt_d.zero_grad(set_to_none=True)
                loss_d.backward()
                opt_d.step()
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    adv = g_hinge_loss(D(fake, y, parts).float())

            rec = reconstruction_loss(fake, real)
            hard = hard_pixel_loss(fake, real, cfg.hard_share)
            clothing = colour_region_loss(fake, real, clothing_colours[y[:, CLOTHING]])
            loss_g = (
                cfg.lambda_adv * adv + cfg.lambda_rec * rec + cfg.lambda_hard * hard + cfg.lambda_clothing * clothing
            )
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
            with torch.no_grad():
                for pe, p in zip(G_ema.parameters(), G.parameters()):
                    pe.lerp_(p, 1 - (0.0 if images_seen < cfg.ema_half_life_images else beta))
            step += 1
            images_seen += cfg.batch
            bar.update(1)

            if step % 25 == 0:
                rec_log = {
                    "step": step,
                    "images": images_seen,
                    "t": round(wall + time.time() - start, 1),
                    "loss_d": round(loss_d.item(), 4),
                    "adv": round(adv.item(), 4),
                    "rec": round(rec.item(), 5),
                    "hard": round(hard.item(), 4),
                    "clothing": round(clothing.item(), 4),
                    "r1": round(r1.item(), 4),
                }
                log.write(json.dumps(rec_log) + "\n")
                log.flush()
                bar.set_postfix(d=rec_log["loss_d"], adv=rec_log["adv"], rec=rec_log["rec"])
            now = time.time()
            if now - last_sample >= cfg.sample_every_s:
                _sample_sheet(G_ema, table, corpus, fixed).save(run / "samples" / f"step_{step:07d}.png")
                last_sample = now
            if now - last_snapshot >= cfg.snapshot_every_s:
                save_atomic(
                    {
                        "config": cfg.to_dict(),
                        "step": step,
                        "images_seen": images_seen,
                        "G_ema": {k: v.half() for k, v in G_ema.state_dict().items()},
                    },
                    run / "snapshots" / f"step_{step:07d}.pt",
                )
                last_snapshot = now
            if now - last_ckpt >= cfg.ckpt_every_s:
                save_atomic(state(), ckpt_path)
                last_ckpt = now
            if not math.isfinite(loss_g.item()):
                raise FloatingPointError(f"generator loss is {loss_g.item()} at step {step}")
    finally:
        bar.close()
        log.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    save_atomic(state(), ckpt_path)
    _sample_sheet(G_ema, table, corpus, fixed).save(run / "samples" / f"step_{step:07d}.png")
    return ckpt_path


def _sample_sheet(G: GeneratorV2, table: Table, corpus: PairedCorpus, idx: np.ndarray):
    """Reference portraits (odd rows) above the generator's portraits of the same genomes."""
    with torch.inference_mode():
        fake = to_uint8(
            G(batch_latents(table, corpus.genes[idx]), torch.from_numpy(corpus.labels[idx].astype(np.int64)))
        )
    rows = []
    for k in range(0, len(idx), 8):
        rows += [corpus.images[idx[k : k + 8]], fake[k : k + 8]]
    return image_grid(np.concatenate(rows), cols=8)
