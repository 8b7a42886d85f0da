"""``python -m renderer``: corpus, train, export, evaluate, render, grid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="latentkin renderer: corpus, GAN, evaluation.")


@app.command()
def corpus(count: int = 20000, seed: int = 0, size: int = 64, workers: int = 2,
           directory: Path = Path("var/corpus")) -> None:
    """Draw (or load from cache) a labelled corpus and print where it is cached."""
    from renderer.corpus import cache_path, load_or_build

    c = load_or_build(count, seed, size, directory, workers)
    typer.echo(f"{len(c)} images {c.images.shape[1]}px -> {cache_path(count, seed, size, directory)}")


@app.command()
def train(run_dir: Path = Path("var/runs/shipped"), minutes: float = 90.0, max_steps: int = 1_000_000,
          batch: Annotated[Optional[int], typer.Option(help="default 32; on resume, changes the batch")] = None,
          corpus_count: int = 20000, corpus_seed: int = 0,
          corpus_dir: Path = Path("var/corpus"), seed: int = 1, teacher_epochs: int = 3,
          ckpt_every_s: float = 240.0, sample_every_s: float = 300.0, threads: int = 1,
          lambda_ms: Annotated[Optional[float], typer.Option(help="mode-seeking weight; on resume, changes it")] = None,
          progress: bool = True) -> None:
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
        cfg = TrainConfig(run_dir=str(run_dir), minutes=minutes, max_steps=max_steps, batch=batch or 32,
                          corpus_count=corpus_count, corpus_seed=corpus_seed, corpus_dir=str(corpus_dir),
                          seed=seed, teacher_epochs=teacher_epochs, ckpt_every_s=ckpt_every_s,
                          sample_every_s=sample_every_s, threads=threads)
        if lambda_ms is not None:
            cfg.lambda_ms = lambda_ms
    path = run_training(cfg, progress=progress)
    typer.echo(f"checkpoint: {path}")


@app.command()
def export(ckpt: Path = Path("var/runs/shipped/ckpt.pt"), out: Optional[Path] = None,
           truncation: float = 1.0) -> None:
    """Export a checkpoint's EMA generator as shipped safetensors (+ sibling JSON)."""
    from renderer.export import SHIPPED_WEIGHTS, export_generator

    try:
        path = export_generator(ckpt, out or SHIPPED_WEIGHTS, truncation)
    except ValueError as exc:  # truncation outside (0, 1]
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {path} ({path.stat().st_size} bytes)")


@app.command()
def truncate(weights: Path, truncation: float, out: Optional[Path] = None) -> None:
    """Set exported weights' render-time truncation (tensors unchanged; in place unless --out)."""
    from renderer.errors import RendererLoadError
    from renderer.export import set_truncation

    try:
        path = set_truncation(weights, truncation, out)
    except (ValueError, RendererLoadError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {path} (truncation {truncation:g})")


def _load_renderer(weights: Optional[Path]):
    from renderer.errors import RendererLoadError
    from renderer.render import Renderer

    try:
        return Renderer.load(weights)
    except RendererLoadError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def render(genome_hex: Annotated[str, typer.Argument(help="80 hex digits (code then attrs), 0x optional")],
           out: Annotated[Path, typer.Option("-o", "--out", help="PNG to write")] = Path("genome.png"),
           size: int = 64, weights: Optional[Path] = None) -> None:
    """Render one genome to a PNG."""
    from offchain.errors import LatentkinError
    from offchain.genome import Genome

    r = _load_renderer(weights)
    try:
        image = r.render([Genome.from_hex(genome_hex)], size=size)[0]
    except LatentkinError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    image.save(out)
    typer.echo(f"wrote {out} ({size}x{size})")


@app.command()
def grid(out: Annotated[Path, typer.Option("-o", "--out")] = Path("grid.png"), count: int = 64, seed: int = 0,
         size: int = 64, weights: Optional[Path] = None,
         traits: Annotated[bool, typer.Option("--traits", help="one row per trait, sweeping its values")] = False
         ) -> None:
    """A contact sheet of COUNT random genomes (seeded), each SIZE px; or a trait sweep sheet."""
    from renderer.errors import InvalidRenderSizeError
    from renderer.sheets import random_sheet, trait_sheet

    if count < 1 or count > 4096:
        typer.echo("error: count must be 1..4096", err=True)
        raise typer.Exit(2)
    r = _load_renderer(weights)
    try:
        sheet = trait_sheet(r, seed, size) if traits else random_sheet(r, count, seed, size)
    except InvalidRenderSizeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    sheet.save(out)
    typer.echo(f"wrote {out} ({sheet.width}x{sheet.height})")


@app.command()
def evaluate(weights: Optional[Path] = None, genomes: int = 2000, corpus_count: int = 6000, corpus_seed: int = 1,
             corpus_dir: Path = Path("var/corpus"), classifier_epochs: int = 10,
             classifier_cache: Optional[Path] = Path(__file__).parent / "data" / "eval_classifier_v2.pt",
             diversity_groups: int = 40, heredity_pairs: int = 400,
             out: Optional[Path] = None, as_json: Annotated[bool, typer.Option("--json")] = False,
             progress: bool = True) -> None:
    """Measure trait accuracy, Fréchet distance, diversity and heredity of a renderer.

    The evaluation classifier is loaded from ``--classifier-cache`` (default: the shipped one,
    trained on the default held-out corpus) or, if that file does not exist, trained and saved there.
    """
    from renderer.corpus import load_or_build
    from renderer.evaluate import EvalConfig
    from renderer.evaluate import evaluate as run_evaluation

    if genomes < 2 or corpus_count < 8:
        typer.echo("error: need genomes >= 2 and corpus_count >= 8", err=True)
        raise typer.Exit(2)
    r = _load_renderer(weights)
    held_out = load_or_build(corpus_count, corpus_seed, r.native_size, corpus_dir, progress=progress)
    cfg = EvalConfig(genomes=genomes, classifier_epochs=classifier_epochs, diversity_groups=diversity_groups,
                     heredity_pairs=heredity_pairs)
    result = run_evaluation(r, held_out, cfg, classifier_cache, progress=progress)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
    if not as_json:
        from rich.console import Console
        from rich.table import Table as RichTable

        t = RichTable(title="renderer evaluation")
        t.add_column("measure")
        t.add_column("value", justify="right")
        for key, value in result.items():
            if isinstance(value, dict):
                for name, v in value.items():
                    t.add_row(f"{key} / {name}", f"{v}")
            else:
                t.add_row(key, f"{value}")
        Console().print(t)
    typer.echo(json.dumps(result, sort_keys=True))


@app.command()
def plot(run_dir: Path = Path("var/runs/shipped"),
         out: Annotated[Path, typer.Option("-o", "--out")] = Path("training.png")) -> None:
    """Training curves of RUN_DIR/log.jsonl as a PNG."""
    from renderer.plots import read_log, training_figure

    log = run_dir / "log.jsonl"
    if not log.exists():
        typer.echo(f"error: no training log at {log}", err=True)
        raise typer.Exit(2)
    records = read_log(log)
    if len(records) < 2:
        typer.echo("error: the log has fewer than 2 records", err=True)
        raise typer.Exit(2)
    training_figure(records).save(out)
    typer.echo(f"wrote {out} ({len(records)} records, last step {records[-1]['step']})")
