"""Speed of the exact fusion odds (not a test): ms per pair against one Python-twin fusion in the same run.

Usage: ``python benchmarks/odds.py [--pairs N]``. For N random parent pairs and both modes it times
:func:`latentkin_core.odds.fusion_odds` cold (every memo cleared before each pair: the worst case, a
service that has seen none of the pair's genes or traits) and warm (memos filled), and the baseline
:func:`latentkin_core.genome.fusion_outcome` (one child, four keccaks). Target: <= 5 ms per pair
(median; the p99 column mostly measures the shared machine's other jobs).
The machine is shared: the 1-minute load average is printed beside the figures.
``benchmarks/odds.txt`` holds the committed output.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latentkin_core import odds
from latentkin_core.genome import FusionMode, fusion_outcome, random_genome

TARGET_MS = 5.0
MEMOS = (odds._gene_weights, odds._trait_weights, odds._trait_odds, odds._gene_floats)


def _ms(call, pairs, clear: bool) -> list[float]:
    out = []
    for x, y in pairs:
        if clear:
            for memo in MEMOS:
                memo.cache_clear()
        start = time.perf_counter()
        call(x, y)
        out.append((time.perf_counter() - start) * 1e3)
    return out


def main() -> None:
    """Print the table of timings (median and p99 ms per pair) and the ratios to one fusion."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(24)
    pairs = [(random_genome(rng), random_genome(rng)) for _ in range(args.pairs)]
    seeds = iter(range(10**9))
    base = _ms(lambda x, y: fusion_outcome(x, y, next(seeds)), pairs, clear=False)
    base_ms = statistics.median(base)
    print(f"# fusion odds, {args.pairs} random pairs, load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'what':<32}{'median ms':>10}{'p99 ms':>10}{'x fusion':>10}")
    print(f"{'fusion_outcome (baseline)':<32}{base_ms:>10.3f}{statistics.quantiles(base, n=100)[98]:>10.3f}{1:>10.2f}")
    worst = 0.0
    for mode in FusionMode:
        for label, clear in (("cold", True), ("warm", False)):
            ms = _ms(lambda x, y, mode=mode: odds.fusion_odds(x, y, mode), pairs, clear)
            med, p99 = statistics.median(ms), statistics.quantiles(ms, n=100)[98]
            worst = max(worst, med)
            print(f"{f'fusion_odds {mode.label} {label}':<32}{med:>10.3f}{p99:>10.3f}{med / base_ms:>10.2f}")
    print(
        f"# target <= {TARGET_MS} ms per pair (median, cold): {'met' if worst <= TARGET_MS else 'MISSED'} "
        f"(worst median {worst:.3f} ms; p99 includes the shared machine's scheduling stalls)"
    )


if __name__ == "__main__":
    main()
