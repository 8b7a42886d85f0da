"""Importing offchain makes eth-hash use safe-pysha3 (~7x faster than pycryptodome's keccak), with the same
digests (offchain/keccak_backend.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EMPTY_KECCAK = "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
PROBE = """
import offchain
from eth_hash.auto import keccak
from Crypto.Hash import keccak as reference
digest = keccak(b"")
assert digest == reference.new(data=b"", digest_bits=256).digest()
assert keccak(b"latentkin" * 50) == reference.new(data=b"latentkin" * 50, digest_bits=256).digest()
print(type(keccak.hasher.__self__).__module__, digest.hex())
"""


def _probe(**variables: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ETH_HASH_BACKEND"} | variables
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()


def test_offchain_hashes_with_pysha3_and_the_same_digests():
    assert _probe() == ["eth_hash.backends.pysha3", EMPTY_KECCAK]


def test_a_backend_named_in_the_environment_is_left_alone():
    assert _probe(ETH_HASH_BACKEND="pycryptodome") == ["eth_hash.backends.pycryptodome", EMPTY_KECCAK]
