"""Render speed of the shipped generator (not a test): throughput, latency, FLOPs, machine peak.

Usage: ``python benchmarks/render.py [--workers N] [--json] [--weights PATH]``. Measures, in one
run on CPU:

* images/s through ``Renderer.render_images`` at batch 1 and batch 64 (native size, PIL images out),
  against a baseline in the same run: the generator called once per genome with ``workers``
  torch intra-op threads (the naive deterministic loop, and this renderer before chunking);
* p50 / p99 latency of a single-genome render (200 renders);
* the generator's FLOPs per image (``torch.utils.flop_counter``) and the GFLOP/s they amount to at
  batch 64, against a dense float32 matmul (1024^3) measured in the same run: the fraction of
  the machine's reachable peak that rendering uses.

Targets by native size: 64 px (v1) >= 200 images/s at batch 64, p50 <= 20 ms; 128 px (v2) >= 200 and 50 ms;
256 px (v3, issue 21) >= 150 images/s and 50 ms. The machine is shared:
the 1-minute load average is printed beside the figures. ``benchmarks/render.txt`` holds the
committed output.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latentkin_core.genome import random_genome
from renderer.model import generator_flops, to_uint8
from renderer.render import Renderer, chunk_size, layout_input

TARGET_BATCH64 = {64: 200.0, 128: 200.0, 256: 150.0}  # images/s at batch 64 by native size (v1, v2, v3)
TARGET_P50_MS = {64: 20.0, 128: 50.0, 256: 50.0}  # single render p50 by native size


def matmul_gflops(n: int = 1024, seconds: float = 2.0) -> float:
    """Best GFLOP/s of an n x n x n float32 matmul over repeated trials."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best, end = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        torch.mm(a, b)
        best = max(best, 2 * n**3 / (time.perf_counter() - t) / 1e9)
    return best


def throughput(r: Renderer, genomes, batch: int, seconds: float = 3.0) -> float:
    """Images/s of ``r.render_images`` at a batch size (after one warm-up call)."""
    r.render_images(genomes[:batch])
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        k = (done // batch * batch) % (len(genomes) - batch)
        r.render_images(genomes[k : k + batch])
        done += batch
    return done / (time.perf_counter() - start)


def _layout(r: Renderer, genome) -> tuple[torch.Tensor, ...]:
    """The layout maps a v3 generator draws genome ``genome`` from, as extra generator inputs (none for v1, v2)."""
    layout = layout_input(r.generator.cfg, r.table.genes_of_latents(r.table.latents(genome)[None]))
    return () if layout is None else (layout,)


def baseline(r: Renderer, genomes, seconds: float = 3.0) -> float:
    """Images/s of the naive loop: one generator call per genome on the caller's threads."""

    def one(g):
        z, y = (torch.from_numpy(a[None]) for a in (r.table.latents(g), r.table.trait_indices(g)))
        with torch.inference_mode():
            Image.fromarray(to_uint8(r.generator(z, y, *_layout(r, g)))[0], "RGB")

    one(genomes[0])
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        one(genomes[done % len(genomes)])
        done += 1
    return done / (time.perf_counter() - start)


def measure(weights: Path | None, workers: int, seed: int = 7) -> dict:
    """All figures of one benchmark run."""
    torch.set_num_threads(workers)
    r = Renderer.load(weights, workers=workers)
    rng = random.Random(seed)
    genomes = [random_genome(rng) for _ in range(640)]
    flops = generator_flops(r.generator, *_layout(r, genomes[0]))
    peak = matmul_gflops()
    base = baseline(r, genomes)
    b1, b64 = throughput(r, genomes, 1), throughput(r, genomes, 64)
    latencies = []
    for g in genomes[:200]:
        t = time.perf_counter()
        r.render_images([g])
        latencies.append((time.perf_counter() - t) * 1e3)
    latencies.sort()
    render_gflops = flops * b64 / 1e9
    return {
        "native_size": r.native_size,
        "workers": workers,
        "chunk": chunk_size(r.generator.cfg),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "baseline_images_per_s": round(base, 1),
        "images_per_s_batch1": round(b1, 1),
        "images_per_s_batch64": round(b64, 1),
        "batch64_vs_baseline": round(b64 / base, 2),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(0.99 * len(latencies)) - 1], 2),
        "gflop_per_image": round(flops / 1e9, 4),
        "render_gflops_batch64": round(render_gflops, 2),
        "matmul_gflops": round(peak, 2),
        "fraction_of_matmul_peak": round(render_gflops / peak, 3),
        "target_images_per_s_batch64": TARGET_BATCH64[r.native_size],
        "target_p50_ms": TARGET_P50_MS[r.native_size],
        "meets_targets": b64 >= TARGET_BATCH64[r.native_size]
        and statistics.median(latencies) <= TARGET_P50_MS[r.native_size],
    }


def main() -> None:
    """Parse arguments, measure, print a table (and JSON on the last line with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="renderer worker threads (and baseline torch threads)")
    parser.add_argument("--weights", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.weights, args.workers)
    for key, value in result.items():
        print(f"{key:28s} {value}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
