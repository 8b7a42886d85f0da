"""``python -m renderer``: corpus, train, export, evaluate, render, grid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from latentkin_core.cli import friendly as friendly_errors
from latentkin_core.genome import Genome
from renderer.errors import RendererError

# renderer.reader.SHIPPED_READER, named here without importing torch (the CLI starts fast)
SHIPPED_READER = Path(__file__).parent / "data" / "reader_v2.pt"

app = typer.Typer(add_completion=False, no_args_is_help=True, help="latentkin renderer: corpus, GAN, evaluation.")


def _report(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


# One line on stderr and exit code 2 for a renderer error or a bad value (e.g. a truncation outside (0, 1]).
friendly = friendly_errors(2, _report, (ValueError,))


@app.command()
@friendly
def corpus(
    count: int = 20000, seed: int = 0, size: int = 64, workers: int = 2, directory: Path = Path("var/corpus")
) -> None:
    """Draw (or load from cache) a labelled corpus and print where it is cached."""
    from renderer.corpus import cache_path, load_or_build

    c = load_or_build(count, seed, size, directory, workers)
    typer.echo(f"{len(c)} images {c.images.shape[1]}px -> {cache_path(count, seed, size, directory)}")


@app.command()
@friendly
def train(
    run_dir: Path = Path("var/runs/shipped"),
    minutes: float = 90.0,
    max_steps: int = 1_000_000,
    batch: Annotated[int | None, typer.Option(help="default 32; on resume, changes the batch")] = None,
    corpus_count: int = 20000,
    corpus_seed: int = 0,
    corpus_dir: Path = Path("var/corpus"),
    seed: int = 1,
    teacher_epochs: int = 3,
    ckpt_every_s: float = 240.0,
    sample_every_s: float = 300.0,
    threads: int = 1,
    lambda_ms: Annotated[float | None, typer.Option(help="mode-seeking weight; on resume, changes it")] = None,
    progress: bool = True,
) -> None:
    """Train or resume the conditional GAN in RUN_DIR (checkpoints, sample grids, log.jsonl)."""
    from renderer.train import TrainConfig
    from renderer.train import train as run_training

    ckpt = run_dir / "ckpt.pt"
    if ckpt.exists():
        from renderer.train import load_checkpoint

        cfg = TrainConfig.from_dict(load_checkpoint(ckpt)["config"])
        cfg.minutes, cfg.max_steps, cfg.threads = minutes, max_steps, threads  # budgets may change on resume
        cfg.batch = batch or cfg.batch
        cfg.lambda_ms = cfg.lambda_ms if lambda_ms is None else lambda_ms
        typer.echo(f"resuming {ckpt}")
    else:
        cfg = TrainConfig(
            run_dir=str(run_dir),
            minutes=minutes,
            max_steps=max_steps,
            batch=batch or 32,
            corpus_count=corpus_count,
            corpus_seed=corpus_seed,
            corpus_dir=str(corpus_dir),
            seed=seed,
            teacher_epochs=teacher_epochs,
            ckpt_every_s=ckpt_every_s,
            sample_every_s=sample_every_s,
            threads=threads,
        )
        if lambda_ms is not None:
            cfg.lambda_ms = lambda_ms
    path = run_training(cfg, progress=progress)
    typer.echo(f"checkpoint: {path}")


@app.command("train-v2")
@friendly
def train_v2(
    run_dir: Path = Path("var/runs/v2"),
    minutes: float = 150.0,
    threads: int = 2,
    batch: int | None = None,
    progress: bool = True,
) -> None:
    """Train or resume the v2 (128 px) GAN in RUN_DIR; resumes from RUN_DIR/ckpt.pt, else from the
    compact checkpoint committed in renderer/training/. SIGTERM stops it cleanly."""
    from renderer.train_v2 import TrainConfigV2, load_checkpoint_v2, resume_config
    from renderer.train_v2 import train_v2 as run_training

    cfg = TrainConfigV2(run_dir=str(run_dir))
    ckpt = run_dir / "ckpt.pt"
    if ckpt.exists():  # its own hyper-parameters, grafted onto the shipped architecture if it predates it
        cfg = resume_config(load_checkpoint_v2(ckpt)["config"], run_dir=str(run_dir))
    cfg.minutes, cfg.threads, cfg.batch = minutes, threads, batch or cfg.batch  # budgets may change on resume
    typer.echo(f"checkpoint: {run_training(cfg, progress=progress)}")


@app.command("pack-v2")
@friendly
def pack_v2(ckpt: Path = Path("var/runs/v2/ckpt.pt"), out: Path | None = None) -> None:
    """Write the compact resume checkpoint (fp16 weights, bf16 Adam moments) that the repo carries."""
    from renderer.train_v2 import RESUME_PATH, load_checkpoint_v2, write_compact

    path = write_compact(load_checkpoint_v2(ckpt), out or RESUME_PATH)
    typer.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


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
    from renderer.train_v2 import load_checkpoint_v2
    from renderer.training.loop import RESUME_PATH, TrainConfigV3
    from renderer.training.loop import train_v3 as run_training

    cfg = TrainConfigV3(run_dir=str(run_dir))
    for source in (run_dir / "ckpt.pt", RESUME_PATH):
        if source.exists():  # the run's own hyper-parameters
            cfg = TrainConfigV3.from_dict(load_checkpoint_v2(source)["config"])
            cfg.run_dir = str(run_dir)
            break
    cfg.minutes, cfg.threads, cfg.draw_workers = minutes, threads, draw_workers  # budgets may change on resume
    typer.echo(f"checkpoint: {run_training(cfg, progress=progress)}")


@app.command("pack-v3")
@friendly
def pack_v3(ckpt: Path = Path("var/runs/v3/ckpt.pt"), out: Path | None = None) -> None:
    """Write the compact v3 resume checkpoint (fp16 weights, bf16 Adam moments) that the repo carries."""
    from renderer.train_v2 import load_checkpoint_v2
    from renderer.training.loop import RESUME_PATH, write_compact

    path = write_compact(load_checkpoint_v2(ckpt), out or RESUME_PATH)
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
) -> None:
    """Train the independent trait reader on 80% of the paired corpus with seed 77 in ``--style``
    (latentkin: v3's reference portraits; avatars: v1's and v2's) and print its accuracy on the other
    20% (which evaluation also uses for the Fréchet distance). Writes the style's shipped reader
    unless ``--out`` says otherwise."""
    import torch

    from renderer.independent_eval import reading_scores
    from renderer.paired_corpus import load_or_build
    from renderer.reader import READER_CORPUS_SEED, READER_SIZE, read, save_reader, shipped_reader
    from renderer.reader import train_reader as run_training

    torch.set_num_threads(threads)
    out = out or shipped_reader(style)
    train_part, test_part = load_or_build(
        corpus_count, READER_CORPUS_SEED, READER_SIZE, corpus_dir, progress=progress, style=style
    ).split(0.2, seed=READER_CORPUS_SEED)
    model = run_training(
        train_part.images, train_part.labels, seed=READER_CORPUS_SEED, epochs=epochs, progress=progress
    )
    save_reader(model, out)
    scores = reading_scores(read(model, test_part.images)[0], test_part.labels.astype(np.int64))
    typer.echo(f"wrote {out}; held-out reading: {json.dumps({k: v for k, v in scores.items() if k != 'per_value'})}")


@app.command("curve-v2")
@friendly
def curve_v2(
    run_dir: Path = Path("var/runs/v2"),
    reader: Path = SHIPPED_READER,
    out: Path = Path(__file__).parent / "figures" / "v2_curve.jsonl",
    genomes: int = 1000,
    corpus_dir: Path = Path("var/corpus"),
    threads: int = 1,
) -> None:
    """Append the independent figures of every not yet measured EMA snapshot in RUN_DIR/snapshots to OUT."""
    import torch

    from renderer.independent_eval import IndependentEvalConfig, evaluate_independent, frechet_references
    from renderer.model import to_uint8
    from renderer.paired_corpus import load_or_build
    from renderer.reader import READER_CORPUS_SEED, READER_SIZE, load_reader
    from renderer.table import load_table
    from renderer.train_v2 import TrainConfigV2, ema_generator_v2, load_checkpoint_v2

    torch.set_num_threads(threads)
    done = {json.loads(line)["step"] for line in out.read_text().splitlines()} if out.exists() else set()
    table, model = load_table(), load_reader(reader)
    held_out = load_or_build(12000, READER_CORPUS_SEED, READER_SIZE, corpus_dir).split(0.2, seed=READER_CORPUS_SEED)[1]
    references = frechet_references(table, IndependentEvalConfig())  # the same for every snapshot
    for path in sorted((run_dir / "snapshots").glob("step_*.pt")):
        ck = load_checkpoint_v2(path)
        if ck["step"] in done:
            continue
        G = ema_generator_v2(ck["G_ema"], TrainConfigV2.from_dict(ck["config"]).model)

        def draw(gs):
            with torch.inference_mode():
                return np.concatenate(
                    [
                        to_uint8(
                            G(
                                torch.from_numpy(np.stack([table.latents(g) for g in gs[k : k + 64]])),
                                torch.from_numpy(np.stack([table.trait_indices(g) for g in gs[k : k + 64]])),
                            )
                        )
                        for k in range(0, len(gs), 64)
                    ]
                )

        cfg = IndependentEvalConfig(
            genomes=genomes, frechet_samples=min(genomes, 1000), diversity_groups=15, heredity_pairs=150
        )
        report = evaluate_independent(draw, table, model, held_out, cfg, references=references)
        row = {"step": ck["step"], "images_seen": ck["images_seen"]} | {
            k: v for k, v in report.items() if k != "per_value"
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a") as f:
            f.write(json.dumps(row, sort_keys=True) + "\n")
        typer.echo(json.dumps(row))


@app.command()
@friendly
def export(ckpt: Path = Path("var/runs/shipped/ckpt.pt"), out: Path | None = None, truncation: float = 1.0) -> None:
    """Export a checkpoint's EMA generator as shipped safetensors (+ sibling JSON)."""
    from renderer.export import export_generator
    from renderer.weights import WEIGHTS_V1

    path = export_generator(ckpt, out or WEIGHTS_V1, truncation)
    typer.echo(f"wrote {path} ({path.stat().st_size} bytes)")


@app.command("export-v2")
@friendly
def export_v2(ckpt: Path = Path("var/runs/v2/ckpt.pt"), out: Path | None = None, truncation: float = 1.0) -> None:
    """Export a v2 checkpoint's (full, compact or snapshot) EMA generator as float16 safetensors (+ JSON)."""
    from renderer.export import export_generator_v2
    from renderer.weights import WEIGHTS_V2

    path = export_generator_v2(ckpt, out or WEIGHTS_V2, truncation)
    typer.echo(f"wrote {path} ({path.stat().st_size} bytes)")


@app.command("export-v3")
@friendly
def export_v3(ckpt: Path = Path("var/runs/v3/ckpt.pt"), out: Path | None = None, truncation: float = 1.0) -> None:
    """Write the v3 run's EMA generator as shipped weights (format v3: read with table v2 and its gene map)."""
    from renderer.export import export_generator_v2
    from renderer.weights import FORMAT_V3, WEIGHTS_V3

    path = export_generator_v2(ckpt, out or WEIGHTS_V3, truncation, format_tag=FORMAT_V3)
    typer.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


@app.command()
@friendly
def truncate(weights: Path, truncation: float, out: Path | None = None) -> None:
    """Set exported weights' render-time truncation (tensors unchanged; in place unless --out)."""
    from renderer.weights import set_truncation

    path = set_truncation(weights, truncation, out)
    typer.echo(f"wrote {path} (truncation {truncation:g})")


def _load_renderer(weights: Path | None):
    from renderer.render import Renderer

    return Renderer.load(weights)


@app.command()
@friendly
def render(
    genome_hex: Annotated[str, typer.Argument(help="80 hex digits (code then attrs), 0x optional")],
    out: Annotated[Path, typer.Option("-o", "--out", help="PNG to write")] = Path("genome.png"),
    size: int = 64,
    weights: Path | None = None,
) -> None:
    """Render one genome to a PNG."""
    r = _load_renderer(weights)
    image = r.render_images([Genome.from_hex(genome_hex)], size=size)[0]
    image.save(out)
    typer.echo(f"wrote {out} ({size}x{size})")


@app.command()
@friendly
def grid(
    out: Annotated[Path, typer.Option("-o", "--out")] = Path("grid.png"),
    count: int = 64,
    seed: int = 0,
    size: int = 64,
    weights: Path | None = None,
    traits: Annotated[bool, typer.Option("--traits", help="one row per trait, sweeping its values")] = False,
) -> None:
    """A contact sheet of COUNT random genomes (seeded), each SIZE px; or a trait sweep sheet."""
    from renderer.sheets import random_sheet, trait_sheet

    if count < 1 or count > 4096:
        raise RendererError("count must be 1..4096")
    r = _load_renderer(weights)
    sheet = trait_sheet(r, seed, size) if traits else random_sheet(r, count, seed, size)
    sheet.save(out)
    typer.echo(f"wrote {out} ({sheet.width}x{sheet.height})")


@app.command()
@friendly
def evaluate(
    weights: Path | None = None,
    genomes: int = 2000,
    corpus_count: int = 6000,
    corpus_seed: int = 1,
    corpus_dir: Path = Path("var/corpus"),
    classifier_epochs: int = 10,
    classifier_cache: Path | None = Path(__file__).parent / "data" / "eval_classifier_v2.pt",
    reader: Path = SHIPPED_READER,
    reader_corpus_count: int = 12000,
    diversity_groups: int = 40,
    heredity_pairs: int = 400,
    reference_genomes: int = 2000,
    fidelity_genomes: int = 500,
    gene_genomes: int = 32,
    out: Path | None = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    progress: bool = True,
) -> None:
    """Measure trait legibility, Fréchet distance, diversity, heredity, each gene's say and inheritance.

    ``independent`` comes first: the independent reader (``--reader``, a network no training
    step touched, trained on corpus seed 77) reads the renders at 128 px. For a 64 px renderer
    the v1 evaluation classifier's figures follow (``--classifier-cache``: the shipped one, or
    trained and saved there if the file does not exist).
    """
    from renderer.gene_effects import generator_drawing
    from renderer.independent_eval import IndependentEvalConfig, evaluate_independent
    from renderer.paired_corpus import load_or_build as load_paired
    from renderer.reader import READER_CORPUS_SEED, READER_SIZE, load_reader

    if genomes < 2 or corpus_count < 8:
        raise RendererError("need genomes >= 2 and corpus_count >= 8")
    r = _load_renderer(weights)
    held_out = load_paired(reader_corpus_count, READER_CORPUS_SEED, READER_SIZE, corpus_dir, progress=progress).split(
        0.2, seed=READER_CORPUS_SEED
    )[1]
    cfg = IndependentEvalConfig(
        genomes=genomes,
        frechet_samples=min(genomes, 1000),
        diversity_groups=diversity_groups,
        heredity_pairs=heredity_pairs,
        reference_genomes=reference_genomes,
        fidelity_genomes=fidelity_genomes,
    )
    result = {
        "independent": evaluate_independent(r.render_pixels, r.table, load_reader(reader), held_out, cfg),
        "renderer_hash": r.renderer_hash().hex(),
        "native_size": r.native_size,
    }
    result.update(_code_measures(generator_drawing(r.render_latents, r.table), r.table, gene_genomes))
    if r.native_size == 64:
        from renderer.corpus import load_or_build
        from renderer.evaluate import EvalConfig
        from renderer.evaluate import evaluate as run_evaluation

        v1_corpus = load_or_build(corpus_count, corpus_seed, r.native_size, corpus_dir, progress=progress)
        v1_cfg = EvalConfig(
            genomes=genomes,
            classifier_epochs=classifier_epochs,
            diversity_groups=diversity_groups,
            heredity_pairs=heredity_pairs,
        )
        result["v1_classifier"] = run_evaluation(r, v1_corpus, v1_cfg, classifier_cache, progress=progress)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
    if not as_json:
        from rich.console import Console
        from rich.table import Table as RichTable

        t = RichTable(title="renderer evaluation")
        t.add_column("measure")
        t.add_column("value", justify="right")
        for key, value in _flatten(result):
            t.add_row(key, f"{value}")
        Console().print(t)
    typer.echo(json.dumps(result))


@app.command("gene-effects")
@friendly
def gene_effects_command(
    weights: Path | None = None,
    reference: Annotated[bool, typer.Option("--reference", help="measure the reference portrait")] = False,
    genomes: int = 32,
    seed: int = 7,
    workers: int = 2,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """How much each code gene changes the picture (live: +8 moves a 8x8 block >= 12/255; smooth: +1 moves it
    at most half as much) over GENOMES random genomes, and code-only inheritance, for a renderer's weights or
    the reference portrait."""
    from renderer.gene_effects import generator_drawing
    from renderer.table import load_table

    table = load_table()
    if reference:
        from renderer.portrait.draw import reference_portraits

        def draw(g, v):
            return reference_portraits(g, v, 128, workers)
    else:
        r = _load_renderer(weights)
        draw = generator_drawing(r.render_latents, table)
    measures = _code_measures(draw, table, genomes, seed)
    result = measures["genes"]
    if not as_json:
        typer.echo(json.dumps(measures["inheritance"]))
        for row in result["genes"]:
            mark = "live" if row["live"] else "dead"
            typer.echo(
                f"{row['index']:2d} {row['name']:<16} +8: {row['change_8']:6.2f}  +1: {row['change_1']:6.2f}  "
                f"{mark}{', smooth' if row['smooth'] else ''}"
            )
        typer.echo(f"live {result['live']} of 64, smooth {result['smooth']}")
        return
    typer.echo(json.dumps(measures))


def _code_measures(draw, table, genomes: int, seed: int = 7) -> dict:
    """Each gene's say (live, smooth) over ``genomes`` random genomes, and code-only inheritance."""
    from renderer.gene_effects import gene_effects, random_genomes, summary
    from renderer.inheritance import inheritance
    from renderer.portrait.genes import GENE_MAP

    genes, values = random_genomes(genomes, seed, table)
    result = summary(gene_effects(draw, genes, values))
    for row in result["genes"]:
        row["name"] = GENE_MAP[row["index"]].name
    return {"genes": result, "inheritance": inheritance(draw, table, pairs=max(genomes, 16), seed=seed)}


@app.command("gene-sweep")
@friendly
def gene_sweep(
    out: Annotated[Path, typer.Option("-o", "--out")] = Path("gene_sweep.png"),
    weights: Path | None = None,
    reference: Annotated[bool, typer.Option("--reference", help="sweep the reference portrait")] = False,
    seed: int = 3,
    size: int = 128,
) -> None:
    """One row per gene group, its genes moved together from 0 to 15, of a renderer or the reference portrait."""
    from renderer.gene_effects import at_measure_size, generator_drawing, random_genomes
    from renderer.gene_sweep import group_sweep_images, group_sweep_sheet
    from renderer.table import load_table

    table = load_table()
    genes, values = random_genomes(1, seed, table)
    if reference:
        from renderer.portrait.draw import reference_portraits

        def draw(g, v):
            return reference_portraits(g, v, size)
    else:
        r = _load_renderer(weights)

        def draw(g, v):
            return at_measure_size(generator_drawing(r.render_latents, table)(g, v), size)

    sheet = group_sweep_sheet(group_sweep_images(draw, genes[0], values[0]))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    typer.echo(f"wrote {out} ({sheet.width}x{sheet.height})")


def _flatten(d: dict, prefix: str = ""):
    """(path, value) of every leaf of a nested dict, paths joined with ' / '."""
    for key, value in d.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key} / ")
        else:
            yield f"{prefix}{key}", value


@app.command()
@friendly
def plot(
    run_dir: Path = Path("var/runs/shipped"), out: Annotated[Path, typer.Option("-o", "--out")] = Path("training.png")
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
