"""Train the v3 generator (256 px, every gene in the picture): paired reconstruction + adversarial, EMA, exact resume.

Each step takes the next batch of the portrait stream (:mod:`renderer.training.stream`: genomes and
their reference portraits, never repeated), decodes the code genes through the correspondence table
into z and asks the generator for the portrait of (z, traits). The generator's loss is an L1 against
the reference at three scales, the mean error of each image's worst 2% of pixels, the mean error over the
eye and mouth regions alone (:mod:`renderer.portrait.regions`: the traits Eyes, Mouth and Glasses live in
~9 % of the pixels) and, after ``adv_start_images``, the hinge adversarial term of a trait-projection
discriminator on every ``adv_every``-th step (lazy R1 on reals). No trait reader takes part, so the independent reader's
figures stay independent.

A new run starts from v2's committed checkpoint, at its size or grown by one resolution
(:mod:`renderer.training.graft`).
State lives in ``run_dir``: ``ckpt.pt`` (atomic, every ``ckpt_every_s``: configs, step, images seen, wall
seconds, G, D, EMA G, optimisers, torch RNG; the stream's position is the step), ``samples/``,
``snapshots/`` (EMA generator, float16) and ``log.jsonl``. SIGTERM/SIGINT finish the step and checkpoint.
"""

from __future__ import annotations

import copy
import json
import math
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import torch
from tqdm import tqdm

from renderer.grid import image_grid
from renderer.losses import d_hinge_loss, g_hinge_loss, hard_pixel_loss, r1_penalty, reconstruction_loss, region_loss
from renderer.model import to_uint8
from renderer.model_v2 import DiscriminatorV2, GeneratorV2, ModelConfigV2
from renderer.portrait.regions import feature_masks
from renderer.render import layout_input
from renderer.table import Table, load_table
from renderer.training.checkpoint import (
    compact,
    full_optimizer,
    half_weights,
    load_checkpoint,
    save_atomic,
    save_packed,
)
from renderer.training.config import RunConfigDict
from renderer.training.graft import MODEL_V3_128, V2_CHECKPOINT, adopt
from renderer.training.stream import Batch, PortraitStream

RESUME_PATH = Path(__file__).parent / "resume_v3.pt"


def bf16_is_native() -> bool:
    """True on CPUs with bfloat16 arithmetic (AVX-512 BF16 or AMX): there autocast is 1.45x faster;
    elsewhere (AVX2) it is emulated and 11x slower (measured), so training runs in float32."""
    return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())


def batch_latents(table: Table, genes: np.ndarray) -> torch.Tensor:
    """Code genes (B, 64) uint8 -> z (B, 64) float32 through the correspondence table."""
    return torch.from_numpy(table.gene_values[genes.astype(np.int64)].astype(np.float32))


@dataclass
class TrainConfigV3(RunConfigDict):
    """Hyper-parameters of one v3 training run (stored in its checkpoints)."""

    run_dir: str = "var/runs/v3"
    stream_seed: int = 31  # never used by any evaluation reader or measure
    seed: int = 3
    batch: int = 16
    lr_g: float = 2e-3
    lr_mapping: float = 2e-4
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.0, 0.99)
    ema_half_life_images: int = 10_000
    lambda_rec: float = 10.0
    lambda_hard: float = 2.0
    hard_share: float = 0.02
    lambda_features: float = 10.0  # L1 over the eye and mouth regions alone (from ~475,000 images of the v3 run)
    lambda_adv: float = 1.0
    adv_start_images: int = 150_000
    adv_every: int = 4
    bf16: bool = True
    r1_gamma: float = 1.0
    r1_every: int = 8
    max_steps: int = 10_000_000
    minutes: float = 150.0
    ckpt_every_s: float = 240.0
    sample_every_s: float = 600.0
    snapshot_every_s: float = 1800.0
    threads: int = 2
    draw_workers: int = 1
    model: ModelConfigV2 = field(default_factory=lambda: MODEL_V3_128)  # grows to MODEL_V3 later
    model_class: ClassVar[type[ModelConfigV2]] = ModelConfigV2


def generator_optimizer(cfg: TrainConfigV3, G: GeneratorV2) -> torch.optim.Adam:
    """Adam for G: its convs, maps and atlases at ``lr_g``, its mapping and embeddings slower."""
    slow = [p for n, p in G.named_parameters() if n.startswith(("mapping", "embed"))]
    fast = [p for n, p in G.named_parameters() if not n.startswith(("mapping", "embed"))]
    return torch.optim.Adam([{"params": fast, "lr": cfg.lr_g}, {"params": slow, "lr": cfg.lr_mapping}], betas=cfg.betas)


def discriminator_optimizer(cfg: TrainConfigV3, D: DiscriminatorV2) -> torch.optim.Adam:
    """Adam for D, its betas adjusted for lazy R1."""
    k = cfg.r1_every / (cfg.r1_every + 1)
    return torch.optim.Adam(D.parameters(), lr=cfg.lr_d, betas=(cfg.betas[0] ** k, cfg.betas[1] ** k))


def make_optimizers(cfg: TrainConfigV3, G: GeneratorV2, D: DiscriminatorV2):
    """Adam for G (:func:`generator_optimizer`) and for D (:func:`discriminator_optimizer`)."""
    return generator_optimizer(cfg, G), discriminator_optimizer(cfg, D)


def _start(cfg: TrainConfigV3, G, D, G_ema, ckpt_path: Path, resume_path: Path | None, graft_path: Path | None):
    """Load the run's own checkpoint, else the committed v3 resume checkpoint, else graft v2's. Returns
    (opt_g, opt_d, step, images_seen, wall seconds, where it came from)."""
    opt_g, opt_d = make_optimizers(cfg, G, D)
    for source in (ckpt_path, resume_path):
        if source is not None and source.exists():
            ck = load_checkpoint(source)
            if ModelConfigV2.from_dict(ck["config"]["model"]) != cfg.model:
                raise ValueError(f"{source} was trained with another model config")
            for net, part in ((G, "G"), (D, "D"), (G_ema, "G_ema")):
                net.load_state_dict({k: v.float() for k, v in ck[part].items()})
            opt_g.load_state_dict(full_optimizer(ck["opt_g"]))
            opt_d.load_state_dict(full_optimizer(ck["opt_d"]))
            torch.set_rng_state(ck["torch_rng"])
            return opt_g, opt_d, ck["step"], ck["images_seen"], ck["wall_seconds"], str(source)
    if graft_path is not None and graft_path.exists():
        adopt(G, D, G_ema, load_checkpoint(graft_path))
        return opt_g, opt_d, 0, 0, 0.0, f"grafted from {graft_path}"
    return opt_g, opt_d, 0, 0, 0.0, "new"


@dataclass
class _Networks:
    """What one training step changes: the networks, their optimisers and the EMA generator."""

    G: GeneratorV2
    D: DiscriminatorV2
    G_ema: GeneratorV2
    opt_g: torch.optim.Adam
    opt_d: torch.optim.Adam


def _train_step(
    cfg: TrainConfigV3, nets: _Networks, table: Table, batch: Batch, step: int, images_seen: int, bf16: bool
) -> dict[str, torch.Tensor]:
    """One step on ``batch``: the discriminator's (on adversarial steps), the generator's, the EMA's. Its losses."""
    G, D = nets.G, nets.D
    real = torch.from_numpy(batch.images).permute(0, 3, 1, 2).float().div_(127.5).sub_(1)
    y, z = torch.from_numpy(batch.values), batch_latents(table, batch.genes)
    layout = layout_input(cfg.model, batch.genes)
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        fake = G(z, y, layout).float()
    loss_d = r1 = adv = torch.zeros(())
    if images_seen >= cfg.adv_start_images and step % cfg.adv_every == 0:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss_d = d_hinge_loss(D(real, y).float(), D(fake.detach(), y).float())
        if (step // cfg.adv_every) % cfg.r1_every == 0:  # lazy R1
            r1 = r1_penalty(D, real, y)
            loss_d = loss_d + cfg.r1_gamma / 2 * cfg.r1_every * r1
        nets.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        nets.opt_d.step()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            adv = g_hinge_loss(D(fake, y).float())
    rec = reconstruction_loss(fake, real)
    hard = hard_pixel_loss(fake, real, cfg.hard_share)
    features = region_loss(fake, real, torch.from_numpy(feature_masks(batch.genes, real.shape[-1])))
    loss_g = cfg.lambda_adv * adv + cfg.lambda_rec * rec + cfg.lambda_hard * hard + cfg.lambda_features * features
    nets.opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    nets.opt_g.step()
    beta = 0.0 if images_seen < cfg.ema_half_life_images else 0.5 ** (cfg.batch / cfg.ema_half_life_images)
    with torch.no_grad():
        for pe, p in zip(nets.G_ema.parameters(), G.parameters(), strict=True):
            pe.lerp_(p, 1 - beta)
    return {"loss_g": loss_g, "loss_d": loss_d, "adv": adv, "rec": rec, "hard": hard, "features": features, "r1": r1}


class _Every:
    """A task due every ``seconds`` of wall time (``due`` says so once per period)."""

    def __init__(self, seconds: float, now: float):
        self.seconds, self.last = seconds, now

    def due(self, now: float) -> bool:
        """True when a period has passed since it was last due (and it starts a new one)."""
        if now - self.last < self.seconds:
            return False
        self.last = now
        return True


@contextmanager
def _stop_on_signals():
    """An Event set by SIGTERM or SIGINT (main thread only), the old handlers restored on exit."""
    stop = threading.Event()
    main = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGTERM, signal.SIGINT)} if main else {}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def flushing_denormals():
    """Denormal floats flushed to zero on this thread (and on threads it starts) while inside; the default after.

    Gradients of ~1e-40 made the backward's elementwise multiplications up to 5x slower: flushing them took a
    generator step from 729 to 638 ms of CPU (one thread, batch 16, 128 px). x86 keeps the setting per thread:
    intra-op threads an earlier parallel region started keep theirs, and those started inside keep flushing after
    (in-process callers such as tests); either changes values below 1e-38 only."""
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


def train_v3(
    cfg: TrainConfigV3,
    table: Table | None = None,
    resume_path: Path | None = RESUME_PATH,
    graft_path: Path | None = V2_CHECKPOINT,
    progress: bool = True,
) -> Path:
    """Train (or resume) the v3 run in ``cfg.run_dir``; returns the full checkpoint's path."""
    with flushing_denormals():  # before the first parallel region, so that the intra-op threads flush too
        return _train(cfg, table, resume_path, graft_path, progress)


def _train(
    cfg: TrainConfigV3, table: Table | None, resume_path: Path | None, graft_path: Path | None, progress: bool
) -> Path:
    run = Path(cfg.run_dir)
    (run / "samples").mkdir(parents=True, exist_ok=True)
    ckpt_path = run / "ckpt.pt"
    table = table or load_table()
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    G, D = GeneratorV2(cfg.model), DiscriminatorV2(cfg.model)
    G_ema = copy.deepcopy(G).eval().requires_grad_(False)
    opt_g, opt_d, step, images_seen, wall, origin = _start(cfg, G, D, G_ema, ckpt_path, resume_path, graft_path)
    nets = _Networks(G, D, G_ema, opt_g, opt_d)
    stream = PortraitStream(cfg.stream_seed, cfg.batch, cfg.model.size, table, start=step, workers=cfg.draw_workers)
    fixed = PortraitStream(cfg.stream_seed + 1, 16, cfg.model.size, table, workers=0).next_batch()
    bf16 = cfg.bf16 and bf16_is_native()
    start = time.time()
    sample, snapshot, checkpoint = (
        _Every(s, start) for s in (cfg.sample_every_s, cfg.snapshot_every_s, cfg.ckpt_every_s)
    )

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
            "torch_rng": torch.get_rng_state(),
        }

    bar = tqdm(initial=step, total=None, desc="gan v3", disable=not progress, mininterval=10, unit="step")
    with open(run / "log.jsonl", "a") as log, _stop_on_signals() as stop:
        log.write(json.dumps({"event": "start", "step": step, "from": origin}) + "\n")
        try:
            while step < cfg.max_steps and time.time() - start < cfg.minutes * 60 and not stop.is_set():
                losses = _train_step(cfg, nets, table, stream.next_batch(), step, images_seen, bf16)
                step += 1
                images_seen += cfg.batch
                bar.update(1)
                if not math.isfinite(losses["loss_g"].item()):
                    raise FloatingPointError(f"generator loss is {losses['loss_g'].item()} at step {step}")
                if step % 25 == 0:
                    row = {"step": step, "images": images_seen, "t": round(wall + time.time() - start, 1)}
                    row |= {k: round(v.item(), 5) for k, v in losses.items() if k != "loss_g"}
                    log.write(json.dumps(row) + "\n")
                    log.flush()
                    bar.set_postfix(d=row["loss_d"], adv=row["adv"], rec=row["rec"])
                now = time.time()
                if sample.due(now):
                    sample_sheet(G_ema, table, fixed).save(run / "samples" / f"step_{step:07d}.png")
                if snapshot.due(now):
                    save_atomic(
                        {
                            "config": cfg.to_dict(),
                            "step": step,
                            "images_seen": images_seen,
                            "G_ema": half_weights(G_ema.state_dict()),
                        },
                        run / "snapshots" / f"step_{step:07d}.pt",
                    )
                if checkpoint.due(now):
                    save_atomic(state(), ckpt_path)
        finally:
            bar.close()
            stream.close()
        save_atomic(state(), ckpt_path)
        sample_sheet(G_ema, table, fixed).save(run / "samples" / f"step_{step:07d}.png")
        log.write(json.dumps({"event": "stop", "step": step, "images": images_seen}) + "\n")
    return ckpt_path


def sample_sheet(G: GeneratorV2, table: Table, batch: Batch):
    """Reference portraits (odd rows) above the generator's portraits of the same genomes."""
    with torch.inference_mode():
        z, y, layout = (
            batch_latents(table, batch.genes),
            torch.from_numpy(batch.values),
            layout_input(G.cfg, batch.genes),
        )
        fake = to_uint8(G(z, y, layout))
    rows = []
    for k in range(0, len(batch.genes), 8):
        rows += [batch.images[k : k + 8], fake[k : k + 8]]
    return image_grid(np.concatenate(rows), cols=8)


def write_compact(ckpt: dict, path: Path = RESUME_PATH) -> Path:
    """The compact resume checkpoint of a full one: float16 networks, bfloat16 optimiser moments, packed."""
    save_packed(compact(ckpt, ("config", "step", "images_seen", "wall_seconds", "torch_rng")), path)
    return path
