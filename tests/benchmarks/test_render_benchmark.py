"""benchmarks/render.py measures a v3 generator too: its FLOP count and its per-genome baseline give the
generator the layout maps it draws from (without them a v3 generator refuses to draw)."""

from __future__ import annotations

import importlib.util
import random
import sys
from dataclasses import replace
from pathlib import Path

from latentkin_core.genome import random_genome
from renderer.model import generator_flops
from renderer.portrait.regions import LAYOUT_CHANNELS
from renderer.render import Renderer
from renderer.weights import FORMAT_V3
from support.tiny_models import TINY_V3, export_untrained

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "render.py"


def _benchmark_module():
    spec = importlib.util.spec_from_file_location("render_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_render_benchmark_counts_and_times_a_v3_generator(tmp_path):
    bench = _benchmark_module()
    laid = replace(TINY_V3, layout_channels=LAYOUT_CHANNELS, layout_sizes=(8, 16), atlas_channels=2, atlas_sizes=(16,))
    r = Renderer.load(export_untrained(laid, tmp_path, format_tag=FORMAT_V3), workers=1)
    try:
        genomes = [random_genome(random.Random(i)) for i in range(4)]
        flops = generator_flops(r.generator, *bench._layout(r, genomes[0]))
        assert flops > 0
        assert bench.baseline(r, genomes, seconds=0.2) > 0
    finally:
        r.close()
