"""The training commands of ``python -m renderer``: train-v3, extend-v3, grow-v3, pack-v3, export, train-reader,
curve, plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from renderer.cli_app import app, friendly
from renderer.errors import RendererError


@app.command("train-v3")
@friendly
def train_v3(
    run_dir: Path = Path("var/runs/v3"),
    minutes: float = 150.0,
    threads: int = 2,
    draw_workers: int = 1,
    progress: bool = True,
) -> None:
    """Train or resume the v3 GAN (every gene in the picture) in RUN_DIR: resumes from RUN_DIR/ckpt.pt, else
    from renderer/training/resume_v3.pt, else starts from v2's committed checkpoint. SIGTERM stops it cleanly."""
    from renderer.training.checkpoint import load_checkpoint
    from renderer.training.loop import RESUME_PATH, TrainConfigV3
    from renderer.training.loop import train_v3 as run_training

    cfg = TrainConfigV3(run_dir=str(run_dir))
    for source in (run_dir / "ckpt.pt", RESUME_PATH):
        if source.exists():  # the run's own hyper-parameters
            cfg = TrainConfigV3.from_dict(load_checkpoint(source)["config"])
            cfg.run_dir = str(run_dir)
            break
    cfg.minutes, cfg.threads, cfg.draw_workers = minutes, threads, draw_workers  # budgets may change on resume
    typer.echo(f"checkpoint: {run_training(cfg, progress=progress)}")


@app.command("extend-v3")
@friendly
def extend_v3(
    refine: Annotated[str | None, typer.Option(help="refining convs per resolution, e.g. 32:1,64:1")] = None,
    layout: Annotated[str | None, typer.Option(help="resolutions to add layout maps at, e.g. 32,64")] = None,
    atlas: Annotated[int | None, typer.Option(help="channels of part atlases to add, e.g. 8")] = None,
    atlas_at: Annotated[str, typer.Option(help="layout sizes to look the atlases up at, e.g. 32,64")] = "",
    fine_atlas_at: Annotated[
        str | None, typer.Option(help="larger layout sizes to look up the eyes', glasses' and mouth's at, e.g. 128")
    ] = None,
    ckpt: Path = Path("var/runs/v3/ckpt.pt"),
) -> None:
    """Add refining convs, layout maps and/or part atlases to a stopped v3 run's generator at its current step (it
    draws the same picture until they learn); the old checkpoint is kept beside it as CKPT.before-extend."""
    from renderer.training.checkpoint import load_checkpoint, save_atomic
    from renderer.training.extend import extend_checkpoint, parse_refine, parse_sizes

    extended = extend_checkpoint(  # a ValueError is one line, exit 2
        load_checkpoint(ckpt),
        None if refine is None else parse_refine(refine),
        None if layout is None else parse_sizes(layout),
        None if atlas is None else (atlas, parse_sizes(atlas_at)),
        None if fine_atlas_at is None else parse_sizes(fine_atlas_at),
    )
    save_atomic(load_checkpoint(ckpt), ckpt.with_name(ckpt.name + ".before-extend"))
    save_atomic(extended, ckpt)
    model = extended["config"]["model"]
    typer.echo(
        f"{ckpt}: step {extended['step']}, refining convs {model.get('g_refine', {})}, "
        f"layout maps at {model.get('layout_sizes', [])}, atlas channels {model.get('atlas_channels', 0)} "
        f"at {model.get('atlas_sizes', [])}, fine at {model.get('fine_atlas_sizes', [])}"
    )


@app.command("grow-v3")
@friendly
def grow_v3(
    g_channels: Annotated[
        int, typer.Option(help="channels of the generator's new block; 0: a sub-pixel layer (learnt 2x upsampling)")
    ] = 8,
    d_channels: Annotated[int, typer.Option(help="channels of the discriminator's new first block")] = 12,
    ckpt: Path = Path("var/runs/v3/ckpt.pt"),
) -> None:
    """Grow a stopped v3 run by one resolution (128 px to 256 px) at its current step: it first draws its old
    picture upsampled and trains on the stream drawn at the new size; the old checkpoint is kept beside it as
    CKPT.before-grow."""
    from renderer.training.checkpoint import load_checkpoint, save_atomic
    from renderer.training.grow import grow_checkpoint

    old = load_checkpoint(ckpt)
    grown = grow_checkpoint(old, g_channels, d_channels)  # a ValueError is one line, exit 2
    save_atomic(old, ckpt.with_name(ckpt.name + ".before-grow"))
    save_atomic(grown, ckpt)
    typer.echo(f"{ckpt}: step {grown['step']}, {grown['config']['model']['size']} px")


@app.command("pack-v3")
@friendly
def pack_v3(ckpt: Path = Path("var/runs/v3/ckpt.pt"), out: Path | None = None) -> None:
    """Write the compact v3 resume checkpoint (fp16 weights, bf16 Adam moments) that the repo carries."""
    from renderer.training.checkpoint import load_checkpoint
    from renderer.training.loop import RESUME_PATH, write_compact

    path = write_compact(load_checkpoint(ckpt), out or RESUME_PATH)
    typer.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


@app.command()
@friendly
def export(ckpt: Path = Path("var/runs/v3/ckpt.pt"), out: Path | None = None, truncation: float = 1.0) -> None:
    """Write a v3 run's EMA generator (full, compact or snapshot checkpoint) as shipped weights: format v3,
    read with table v2 and its gene map."""
    from renderer.export import export_generator
    from renderer.weights import WEIGHTS_V3

    path = export_generator(ckpt, out or WEIGHTS_V3, truncation)
    typer.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


@app.command("train-reader")
@friendly
def train_reader(
    corpus_count: int = 12000,
    epochs: int = 18,
    threads: int = 2,
    style: str = "latentkin",
    out: Path | None = None,
    corpus_dir: Path = Path("var/corpus"),
    progress: bool = True,
    arch: str = "",
) -> None:
    """Train the independent trait reader (``--arch``: one of ``READER_ARCHITECTURES`` in :mod:`renderer.reader`;
    if not given, ``DEFAULT_ARCHITECTURE`` for latentkin portraits, stage4 for avatars) on 80% of the paired
    corpus with seed 77 in ``--style`` (latentkin: v3's reference portraits; avatars: v1's and v2's) and print its
    accuracy on the other 20% (which evaluation also uses for the Fréchet distance). Writes the style's shipped
    reader unless ``--out`` says otherwise."""
    import torch

    from renderer.independent_eval import reading_scores
    from renderer.paired_corpus import STYLE_LATENTKIN, load_or_build
    from renderer.reader import (
        DEFAULT_ARCHITECTURE,
        READER_ARCHITECTURES,
        READER_CORPUS_SEED,
        READER_SIZE,
        read,
        save_reader,
        shipped_reader,
    )
    from renderer.reader import train_reader as run_training

    arch = arch or (DEFAULT_ARCHITECTURE if style == STYLE_LATENTKIN else "stage4")
    if arch not in READER_ARCHITECTURES:
        raise ValueError(f"unknown reader architecture {arch!r}: one of {', '.join(READER_ARCHITECTURES)}")
    cfg = READER_ARCHITECTURES[arch]
    if cfg.crop and style != STYLE_LATENTKIN:  # the crops are placed by the geometry of latentkin's drawing
        raise ValueError(f"reader architecture {arch!r} reads parts where latentkin's portraits put them: not {style}")
    torch.set_num_threads(threads)
    out = out or shipped_reader(style)
    train_part, test_part = load_or_build(
        corpus_count, READER_CORPUS_SEED, READER_SIZE, corpus_dir, progress=progress, style=style
    ).split(0.2, seed=READER_CORPUS_SEED)
    model = run_training(
        train_part.images,
        train_part.labels,
        seed=READER_CORPUS_SEED,
        epochs=epochs,
        cfg=cfg,
        progress=progress,
        genes=train_part.genes,
    )
    save_reader(model, out, corpus_count)
    scores = reading_scores(read(model, test_part.images, test_part.genes)[0], test_part.labels.astype(np.int64))
    typer.echo(f"wrote {out}; held-out reading: {json.dumps({k: v for k, v in scores.items() if k != 'per_value'})}")


@app.command()
@friendly
def curve(
    run_dir: Path = Path("var/runs/v3"),
    out: Path = Path(__file__).parent / "figures" / "v3_curve.jsonl",
    genomes: int = 32,
    reader_genomes: Annotated[int, typer.Option(help="genomes the independent reader reads; 0 skips it")] = 500,
    corpus_dir: Path = Path("var/corpus"),
    threads: int = 1,
) -> None:
    """Append the figures of every EMA snapshot in RUN_DIR/snapshots not yet in OUT: each gene's say (live,
    smooth), code-only inheritance and, once the v3 reader is shipped, the independent reader's trait scores."""
    import tempfile

    import torch

    from renderer.code_measures import code_measures
    from renderer.export import export_generator
    from renderer.gene_effects import generator_drawing
    from renderer.render import Renderer
    from renderer.training.checkpoint import load_checkpoint

    torch.set_num_threads(threads)
    done = {json.loads(line)["step"] for line in out.read_text().splitlines()} if out.exists() else set()
    for path in sorted((run_dir / "snapshots").glob("step_*.pt")):
        ck = load_checkpoint(path)
        if ck["step"] in done:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            r = Renderer.load(export_generator(path, Path(tmp) / "g.safetensors"), workers=threads)
        measures = code_measures(generator_drawing(r.render_latents, r.table), r.table, genomes)
        row = _curve_row(ck, measures) | _reader_scores(r, reader_genomes, corpus_dir)
        r.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a") as f:
            f.write(json.dumps(row, sort_keys=True) + "\n")
        typer.echo(json.dumps(row))


def _curve_row(ck: dict, measures: dict) -> dict:
    """One curve row: the snapshot's place in the run and its gene and inheritance figures."""
    genes, inheritance = measures["genes"], measures["inheritance"]
    return {
        "step": ck["step"],
        "images": ck["images_seen"],
        "live": genes["live"],
        "smooth": genes["smooth"],
        "live_genes": [row["name"] for row in genes["genes"] if row["live"]],
        "crossover_ratio": inheritance["crossover"]["ratio"],
        "blend_ratio": inheritance["blend"]["ratio"],
        "blend_nearer_midpoint_by": inheritance["blend_nearer_midpoint_by"],
    }


def _reader_scores(r, genomes: int, corpus_dir: Path) -> dict:
    """The v3 reader's trait scores of ``genomes`` random genomes drawn by ``r`` (none without the reader)."""
    import random

    from latentkin_core.genome import random_genome
    from renderer.independent_eval import code_genes, reading_scores
    from renderer.reader import SHIPPED_READER_V3, load_reader, read

    if genomes <= 0 or not SHIPPED_READER_V3.exists():
        return {}
    rng = random.Random(4242)
    sample = [random_genome(rng) for _ in range(genomes)]
    truth = np.stack([r.table.trait_indices(g) for g in sample])
    scores = reading_scores(read(load_reader(SHIPPED_READER_V3), r.render_pixels(sample), code_genes(sample))[0], truth)
    return {k: v for k, v in scores.items() if k != "per_value"}


@app.command()
@friendly
def plot(
    run_dir: Path = Path("var/runs/v3"), out: Annotated[Path, typer.Option("-o", "--out")] = Path("training.png")
) -> None:
    """Training curves of RUN_DIR/log.jsonl as a PNG."""
    from renderer.plots import read_log, training_figure

    log = run_dir / "log.jsonl"
    if not log.exists():
        raise RendererError(f"no training log at {log}")
    records = read_log(log)
    if len(records) < 2:
        raise RendererError("the log has fewer than 2 records")
    training_figure(records).save(out)
    typer.echo(f"wrote {out} ({len(records)} records, last step {records[-1]['step']})")
