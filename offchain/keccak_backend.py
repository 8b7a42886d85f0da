"""Keccak through safe-pysha3 where it is installed: eth-hash picks pycryptodome first when both are there, and
pycryptodome's keccak costs ~11 µs a call against ~1.6 µs (its ctypes set-up per hash). An order check hashes
~20 times (its EIP-712 structs, the signer's and the chain's addresses checksummed), so this saved ~0.2 ms of a
worker's CPU per order in a burst (benchmarks/order_burst.txt).

eth-hash chooses its backend at its first hash, from ``ETH_HASH_BACKEND``: importing :mod:`offchain` sets it
(unless set already) before anything hashes. Same digests either way (tests/offchain/test_keccak_backend.py).
"""

from __future__ import annotations

import importlib.util
import os

BACKEND_VARIABLE = "ETH_HASH_BACKEND"


def prefer_pysha3() -> str | None:
    """Set ``ETH_HASH_BACKEND=pysha3`` if safe-pysha3 is importable and nothing chose a backend; the variable's
    value afterwards."""
    if BACKEND_VARIABLE not in os.environ and importlib.util.find_spec("sha3") is not None:
        os.environ[BACKEND_VARIABLE] = "pysha3"
    return os.environ.get(BACKEND_VARIABLE)
