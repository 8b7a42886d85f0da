"""Gas is tracked like a test: the targets hold and benchmarks/gas.txt is current (re-run gas.py to update)."""

import importlib.util
import json
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "gas.py"


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("latentkin_gas_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gas_targets_hold_and_the_committed_snapshot_is_current():
    gas = _load_benchmark()
    measured = gas.measure()
    assert measured["requestFusion"] + measured["completeFusion"] <= gas.TARGETS["fusion"]
    assert measured["mint"] <= gas.TARGETS["mint"]
    assert measured["fusion_blend"] == measured["requestFusionBlend"] + measured["completeFusionBlend"]
    assert abs(measured["fusion_blend"] / measured["fusion"] - 1) <= gas.BLEND_TOLERANCE, "blend vs crossover gas"
    assert measured["transfer"] < measured["seaport_fixed"] < measured["seaport_auction"]  # a fill moves more
    assert measured["seaport_fixed"] < measured["seaport_offer"]  # WETH transfers cost more than ETH ones
    assert measured["seaport_fixed"] < measured["seaport_fixed_protected"]  # the zone reads the traits at the fill
    assert gas.zone_within_bound(measured), "a protected (LatentKinZone) fill costs over 15% more than an open one"
    for kind, alone in (("mint", "completePublicMint"), ("fusion", "completeFusion")):  # completeRequests
        assert measured[f"batch_{kind}_1"] <= measured[alone] * 1.01, f"a batch of one {kind} costs over 1% more"
        assert measured[f"batch_{kind}_50"] < measured[f"batch_{kind}_10"] < measured[alone] * 0.75
    committed = json.loads((BENCHMARK.parent / "gas.txt").read_text().strip().splitlines()[-1])
    assert committed == measured, "gas changed: run `python benchmarks/gas.py --json > benchmarks/gas.txt`"
