"""``python -m renderer``: render, grid, evaluate, gene effects and sweeps; the training commands
(train-v3, pack-v3, export, train-reader, curve, plot) live in :mod:`renderer.cli_training`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from latentkin_core.genome import Genome
from renderer.cli_app import app, friendly
from renderer.errors import RendererError

__all__ = ["app"]


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
    reader: Annotated[Path | None, typer.Option(help="default: the shipped reader of the renderer's style")] = None,
    reader_corpus_count: Annotated[
        int | None, typer.Option(help="default: the corpus size the reader records (its held-out 20 % is read)")
    ] = None,
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
    step touched, trained on corpus seed 77 in the renderer's portrait style: avatars for v1 and v2,
    latentkin for v3) reads the renders at 128 px, against reference portraits of that style. (v1's own
    classifier evaluation is retired; its last figures are in renderer/figures/evaluation.json.)
    """
    from renderer.code_measures import code_measures
    from renderer.gene_effects import generator_drawing
    from renderer.independent_eval import IndependentEvalConfig, evaluate_independent
    from renderer.paired_corpus import held_out_items
    from renderer.reader import READER_CORPUS_SEED, READER_SIZE, load_reader, shipped_reader, trained_corpus_count
    from renderer.weights import read_weights

    if genomes < 2:
        raise RendererError("need genomes >= 2")
    r = _load_renderer(weights)
    style = read_weights(weights).reference_style
    reader = reader or shipped_reader(style)
    reader_corpus = reader_corpus_count or trained_corpus_count(reader)
    held_out = held_out_items(reader_corpus, READER_CORPUS_SEED, READER_SIZE, limit=2 * min(genomes, 1000), style=style)
    cfg = IndependentEvalConfig(
        genomes=genomes,
        frechet_samples=min(genomes, 1000),
        diversity_groups=diversity_groups,
        heredity_pairs=heredity_pairs,
        reference_genomes=reference_genomes,
        fidelity_genomes=fidelity_genomes,
        style=style,
    )
    result = {
        "independent": evaluate_independent(r.render_pixels, r.table, load_reader(reader), held_out, cfg),
        "renderer_hash": r.renderer_hash().hex(),
        "native_size": r.native_size,
        "reference_style": style,
        "reader_corpus_count": reader_corpus,
    }
    result.update(code_measures(generator_drawing(r.render_latents, r.table), r.table, gene_genomes))
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
    from renderer.code_measures import code_measures
    from renderer.gene_effects import generator_drawing
    from renderer.table import load_table

    table = load_table()
    if reference:
        from renderer.portrait.draw import PortraitPool

        with PortraitPool(workers) as pool:  # one pool for every batch of the measure
            measures = code_measures(lambda g, v: pool.draw(g, v, 128), table, genomes, seed)
    else:
        r = _load_renderer(weights)
        measures = code_measures(generator_drawing(r.render_latents, table), table, genomes, seed)
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


from renderer import cli_training  # noqa: E402,F401  (registers the training commands on the same app)
