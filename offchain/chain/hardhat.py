"""Compiling the contracts with Hardhat, and exporting what the package ships: a build and test tool.

The service never calls this (it loads ``offchain/chain/compiled/``, see :mod:`offchain.chain.artifacts`);
it needs a checkout with ``npm ci`` done. Hardhat's artifacts are built from ``contracts/``: a SHA-256
over the Solidity sources, ``hardhat.config.js`` and ``package-lock.json`` is stored beside them after
each compile, and :func:`compiled_artifact` recompiles with ``npx hardhat compile`` whenever that stamp
is missing or no longer matches.

``python -m offchain.chain.hardhat export`` writes every contract of :data:`EXPORTED` into the
package; ``... check`` exits 1 if a shipped file differs from what the sources give now; ``... warnings``
exits 1 if the compiler warns about a file of ``contracts/`` (the lint step: warnings are errors there).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from offchain.chain.artifacts import Artifact, shipped_dir
from offchain.errors import ContractsBuildError

REPO_ROOT = Path(__file__).resolve().parents[2]  # the checkout this module sits in
STAMP_NAME = "latentkin-sources.sha256"
SEAPORT_ARTIFACTS = "node_modules/@opensea/seaport-js/src/artifacts/seaport/contracts"

# What the package ships, by name: the artifact file each comes from, relative to the checkout. Files under
# artifacts/ are Hardhat's, compiled from contracts/ first; the others come compiled in npm packages
# (devDependencies in package.json). To ship another contract, add one line here and run `export`.
EXPORTED: dict[str, str] = {
    "LatentKin": "artifacts/contracts/LatentKin.sol/LatentKin.json",
    "LatentKinZone": "artifacts/contracts/LatentKinZone.sol/LatentKinZone.json",
    "DeploylessMulticall": "artifacts/contracts/DeploylessMulticall.sol/DeploylessMulticall.json",
    "Seaport": f"{SEAPORT_ARTIFACTS}/Seaport.sol/Seaport.json",  # Seaport 1.6 (solc 0.8.24)
    "ConduitController": f"{SEAPORT_ARTIFACTS}/conduit/ConduitController.sol/LocalConduitController.json",
    "WETH9": "node_modules/canonical-weth/build/contracts/WETH9.json",  # solc 0.5.0
}


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
    return Artifact.from_json(name, json.loads(_artifact_path(name, root).read_text()))


def compiled_artifact(name: str, root: Path = REPO_ROOT) -> Artifact:
    """ABI and bytecode of contract ``name`` compiled from ``root/contracts`` (test contracts too),
    compiling first if stale."""
    compile_contracts(root)
    return _load(name, root, sources_digest(root))


def exported_artifact(name: str, root: Path = REPO_ROOT) -> Artifact:
    """Contract ``name`` of :data:`EXPORTED` as the sources give it now (compiling first if it is Hardhat's)."""
    if name not in EXPORTED:
        raise ContractsBuildError(f"{name!r} is not exported (known: {', '.join(EXPORTED)})")
    if EXPORTED[name].startswith("artifacts/"):
        return compiled_artifact(name, root)
    path = root / EXPORTED[name]
    try:
        return Artifact.from_json(name, json.loads(path.read_text()))
    except FileNotFoundError:
        raise ContractsBuildError(f"{path} is missing: run `npm ci` in {root}") from None


def export(out_dir: Path | None = None, root: Path = REPO_ROOT) -> list[Path]:
    """Write every contract of :data:`EXPORTED` to ``out_dir`` (default: the package's shipped folder)."""
    out_dir = out_dir or shipped_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORTED:
        path = out_dir / f"{name}.json"
        path.write_text(json.dumps(exported_artifact(name, root).to_json(), indent=1) + "\n")
        written.append(path)
    return written


def drifted(root: Path = REPO_ROOT, shipped: Path | None = None) -> list[str]:
    """Names whose shipped artifact differs from the sources (or is missing), or is shipped but not exported."""
    shipped = shipped or shipped_dir()
    out = []
    for name in EXPORTED:
        path = shipped / f"{name}.json"
        if not path.exists() or json.loads(path.read_text()) != exported_artifact(name, root).to_json():
            out.append(name)
    return out + sorted(p.stem for p in shipped.glob("*.json") if p.stem not in EXPORTED)


def compiler_warnings(root: Path = REPO_ROOT) -> list[str]:
    """solc's warnings about the project's own sources (``contracts/``) in the current compile, formatted.

    Warnings about dependencies (OpenZeppelin's transient-storage notice, say) are the dependency's."""
    compile_contracts(root)
    found = []
    for info in sorted((root / "artifacts" / "build-info").glob("*.json")):
        for error in json.loads(info.read_text())["output"].get("errors", []):
            if error.get("sourceLocation", {}).get("file", "").startswith("contracts/"):
                found.append(error.get("formattedMessage") or error["message"])
    return found


def main(argv: list[str] | None = None) -> int:
    """``export``: write the shipped artifacts; ``check``: exit 1 naming those that drifted;
    ``warnings``: exit 1 printing solc's warnings about ``contracts/``."""
    parser = argparse.ArgumentParser(prog="python -m offchain.chain.hardhat", description=main.__doc__)
    parser.add_argument("command", choices=("export", "check", "warnings"))
    args = parser.parse_args(argv)
    if args.command == "export":
        for path in export():
            print(f"wrote {path}")
        return 0
    if args.command == "warnings":
        warnings = compiler_warnings()
        print("\n".join(warnings), file=sys.stderr)
        return 1 if warnings else 0
    stale = drifted()
    if stale:
        print(
            f"shipped artifacts differ from the sources: {', '.join(stale)}; "
            "run `python -m offchain.chain.hardhat export`",
            file=sys.stderr,
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
