"""Load the contracts' ABI and bytecode from the Hardhat artifacts, compiling them first if needed.

The artifacts are always built from ``contracts/`` (never a committed blob that could drift): a
SHA-256 over the Solidity sources, ``hardhat.config.js`` and ``package-lock.json`` is stored beside
them after each compile, and :func:`load_artifact` recompiles with ``npx hardhat compile`` whenever
that stamp is missing or no longer matches.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from web3 import Web3
from web3.contract import Contract

from offchain.errors import ContractsBuildError
from offchain.settings import REPO_ROOT

LATENTKIN = "LatentKin"
STAMP_NAME = "latentkin-sources.sha256"


@dataclass(frozen=True, slots=True)
class Artifact:
    """A compiled contract: its name, ABI, creation bytecode and runtime bytecode (0x-hex)."""

    name: str
    abi: list[dict]
    bytecode: str
    deployed_bytecode: str


def sources_digest(root: Path = REPO_ROOT) -> str:
    """SHA-256 over every input of the compile: the .sol files, hardhat.config.js, package-lock.json."""
    inputs = sorted((root / "contracts").rglob("*.sol"))
    if not inputs:
        raise ContractsBuildError(f"no Solidity sources under {root / 'contracts'}")
    inputs += [p for p in (root / "hardhat.config.js", root / "package-lock.json") if p.exists()]
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def artifacts_fresh(root: Path = REPO_ROOT) -> bool:
    """True if the artifacts were built from the current sources."""
    stamp = root / "artifacts" / STAMP_NAME
    return stamp.exists() and stamp.read_text().strip() == sources_digest(root)


def compile_contracts(root: Path = REPO_ROOT, *, force: bool = False) -> None:
    """Run ``npx hardhat compile`` in ``root`` unless the artifacts are fresh (or ``force``).

    A file lock serialises concurrent callers (several test sessions or services at once).
    """
    (root / "artifacts").mkdir(exist_ok=True)
    with open(root / "artifacts" / ".compile.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and artifacts_fresh(root):
            return
        npx = shutil.which("npx")
        if npx is None:
            raise ContractsBuildError(
                "npx not found: install Node.js 20 and run `npm ci` in the repository root to compile the contracts"
            )
        if not (root / "node_modules" / "hardhat").exists():
            raise ContractsBuildError(f"Hardhat is not installed: run `npm ci` in {root}")
        digest = sources_digest(root)  # of the sources as compiled, before any concurrent edit
        cmd = [npx, "hardhat", "compile"] + (["--force"] if force else [])
        result = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ContractsBuildError(f"`npx hardhat compile` failed:\n{result.stdout}\n{result.stderr}")
        (root / "artifacts" / STAMP_NAME).write_text(digest + "\n")


def _artifact_path(name: str, root: Path) -> Path:
    matches = [p for p in (root / "artifacts" / "contracts").rglob(f"{name}.json")]
    if not matches:
        raise ContractsBuildError(f"no artifact for contract {name!r} under {root / 'artifacts' / 'contracts'}")
    if len(matches) > 1:
        raise ContractsBuildError(f"contract name {name!r} is ambiguous: {sorted(map(str, matches))}")
    return matches[0]


@cache
def _load(name: str, root: Path, digest: str) -> Artifact:
    data = json.loads(_artifact_path(name, root).read_text())
    return Artifact(name, data["abi"], data["bytecode"], data["deployedBytecode"])


def load_artifact(name: str, root: Path = REPO_ROOT) -> Artifact:
    """ABI and bytecode of contract ``name`` (e.g. ``"LatentKin"``), compiling first if stale."""
    compile_contracts(root)
    return _load(name, root, sources_digest(root))


def latentkin_abi() -> list[dict]:
    """The LatentKin ABI (from the artifact compiled from ``contracts/``): the one ABI loader."""
    return load_artifact(LATENTKIN).abi


def latentkin_at(w3: Web3, address: str) -> Contract:
    """A web3 contract object for the LatentKin at ``address``."""
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=latentkin_abi())
