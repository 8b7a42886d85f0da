"""The market's contracts as their npm packages ship them, compiled: never copied into this repository.

``@opensea/seaport-js`` ships the Seaport 1.6 and LocalConduitController artifacts (solc 0.8.24) and
``canonical-weth`` the WETH9 artifact (solc 0.5.0); both are devDependencies in package.json, so
``npm ci`` puts them under ``node_modules``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from offchain.chain.artifacts import Artifact
from offchain.errors import ContractsBuildError
from offchain.settings import REPO_ROOT

SEAPORT_ARTIFACTS = Path("@opensea/seaport-js/src/artifacts/seaport/contracts")
PACKAGED = {
    "Seaport": SEAPORT_ARTIFACTS / "Seaport.sol/Seaport.json",
    "ConduitController": SEAPORT_ARTIFACTS / "conduit/ConduitController.sol/LocalConduitController.json",
    "WETH9": Path("canonical-weth/build/contracts/WETH9.json"),
}


@cache
def packaged_artifact(name: str, root: Path = REPO_ROOT) -> Artifact:
    """ABI and bytecode of ``Seaport``, ``ConduitController`` or ``WETH9`` from ``node_modules``."""
    if name not in PACKAGED:
        raise ContractsBuildError(f"no packaged contract {name!r} (known: {', '.join(PACKAGED)})")
    path = root / "node_modules" / PACKAGED[name]
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ContractsBuildError(f"{path} is missing: run `npm ci` in {root}") from None
    return Artifact(name, data["abi"], data["bytecode"], data["deployedBytecode"])
