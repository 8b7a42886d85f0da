"""Runs the page's JavaScript unit tests (tests/web/js, Node's test runner) on vectors from the
Python reference: genomes from latentkin_core.genome, custom-error data encoded with eth_abi (support.chain.error_data),
Seaport amounts over time from offchain.market.order.current_amount."""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

from web3 import Web3

from latentkin_core.genome import Genome, random_genome
from offchain.chain.artifacts import latentkin_abi
from offchain.market.order import current_amount
from support.chain import error_data

REPO = Path(__file__).resolve().parents[2]
DECLARED_TEST = re.compile(r"^test\(", re.MULTILINE)  # a top-level node:test declaration in tests/web/js

# (error, args, the words the page must show)
ERRORS = [
    (
        "LatentKinOnCooldown",
        [7, 1234],
        "Character #7 is on cooldown after its last fusion: it can fuse again from block 1234.",
    ),
    (
        "LatentKinNotAuthorized",
        ["0x" + "ab" * 20, 9],
        "You may not use character #9: you neither own it, nor are approved for it, nor hold a fusion offer on it.",
    ),
    ("LatentKinFeeTooLow", [10**15, 3 * 10**15], "Not enough ether sent: 0.001 ETH, but 0.003 ETH is required."),
    ("LatentKinSelfFusion", [4], "A character cannot fuse with itself (#4): pick two different characters."),
    ("LatentKinMintCapReached", [0], "The public mint is closed."),
    ("LatentKinMintCapReached", [20], "The public mint is sold out: all 20 have been minted."),
    ("LatentKinRevealTooEarly", [3, 99], "Too early: request #3 can be completed once block 99 has been mined."),
    (
        "LatentKinPriceAboveMax",
        [3 * 10**15, 10**15],
        "The price went up to 0.003 ETH since you looked (you agreed to "
        "at most 0.001 ETH): nothing was paid. Check the new price and try again.",
    ),
    ("LatentKinUnknownFusionMode", [2], "Fusion mode 2 does not exist: choose crossover or blend."),
]


def vectors() -> dict:
    rng = random.Random(5)
    genomes = [random_genome(rng) for _ in range(60)] + [Genome(0, 0), Genome(2**256 - 1, 2**64 - 1)]
    abi = latentkin_abi()
    return {
        "abi": abi,
        "genomes": [
            {
                "hex": g.to_hex(),
                "code": str(g.code),
                "attrs": str(g.attrs),
                "genes": list(g.genes),
                "mains": list(g.mains),
                "subs": list(g.subs),
            }
            for g in genomes
        ],
        "amounts": [
            {
                "args": [str(start), str(end), "1000", "2000", str(now), up],
                "amount": str(current_amount(start, end, 1000, 2000, now, round_up=up)),
            }
            for start, end, now, up in (
                (rng.randrange(10**20), rng.randrange(10**20), rng.randrange(800, 2200), rng.random() < 0.5)
                for _ in range(200)
            )
        ],
        "errors": [
            {
                "name": n,
                "data": "0x"
                + error_data(abi, n, *(Web3.to_checksum_address(a) if isinstance(a, str) else a for a in args)).hex(),
                "text": t,
            }
            for n, args, t in ERRORS
        ],
    }


def test_js_units_pass_on_python_vectors(tmp_path):
    path = tmp_path / "vectors.json"
    path.write_text(json.dumps(vectors()))
    result = subprocess.run(
        ["node", "--test", "--test-reporter=tap", "tests/web/js/"],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "LATENTKIN_JS_VECTORS": str(path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    # Every test the files declare ran and passed (counted, so branches adding tests do not conflict here).
    declared = sum(len(DECLARED_TEST.findall(f.read_text())) for f in (REPO / "tests" / "web" / "js").glob("*.mjs"))
    assert declared > 0
    assert f"# pass {declared}\n" in result.stdout, result.stdout[-2000:]
