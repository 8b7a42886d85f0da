"""offchain/chain/hardhat.py: Hardhat artifacts come from the current sources, rebuilt when stale, with clear errors;
exporting writes the shipped set and notices drift."""

import json
import shutil
from pathlib import Path

import pytest

from offchain.chain import hardhat
from offchain.chain.hardhat import (
    EXPORTED,
    artifacts_fresh,
    compiled_artifact,
    compiler_warnings,
    drifted,
    export,
    sources_digest,
)
from offchain.errors import ContractsBuildError

REPO = hardhat.REPO_ROOT


EXTRA = (
    "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.28;\n"
    "contract Extra { function answer() external pure returns (uint256) { return 42; } }\n"
)


def _project_copy(tmp_path: Path) -> Path:
    """A throw-away Hardhat project with the real config and one small contract (node_modules linked)."""
    root = tmp_path / "project"
    (root / "contracts").mkdir(parents=True)
    (root / "contracts" / "Extra.sol").write_text(EXTRA)
    for name in ("hardhat.config.js", "package.json", "package-lock.json"):
        shutil.copy(REPO / name, root / name)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


def test_compiled_artifact_returns_abi_and_bytecode():
    artifact = compiled_artifact("LatentKin")
    names = {e.get("name") for e in artifact.abi}
    assert {"requestFusion", "completeFusion", "fusionOutcome", "blendOutcome", "Fused"} <= names
    assert artifact.bytecode.startswith("0x60") and len(artifact.deployed_bytecode) > 1000


def test_unknown_contract_is_a_clear_error():
    with pytest.raises(ContractsBuildError, match="no artifact for contract 'Nope'"):
        compiled_artifact("Nope")


def test_a_changed_source_is_recompiled_before_loading(tmp_path):
    root = _project_copy(tmp_path)
    assert not artifacts_fresh(root)
    artifact = compiled_artifact("Extra", root)
    assert [e["name"] for e in artifact.abi] == ["answer"]
    assert artifacts_fresh(root)
    digest = sources_digest(root)
    (root / "contracts" / "Extra.sol").write_text((root / "contracts" / "Extra.sol").read_text() + "// edit\n")
    assert sources_digest(root) != digest and not artifacts_fresh(root)


def test_missing_node_toolchain_is_a_clear_error(tmp_path, monkeypatch):
    root = _project_copy(tmp_path)
    monkeypatch.setattr(hardhat.shutil, "which", lambda name: None)
    with pytest.raises(ContractsBuildError, match="npx not found: install Node.js"):
        compiled_artifact("Extra", root)


def test_no_sources_is_a_clear_error(tmp_path):
    (tmp_path / "contracts").mkdir()
    with pytest.raises(ContractsBuildError, match="no Solidity sources"):
        sources_digest(tmp_path)


def test_export_writes_every_listed_contract_and_drift_names_the_changed_one(tmp_path):
    written = export(tmp_path)
    assert sorted(p.stem for p in written) == sorted(EXPORTED)
    assert drifted(shipped=tmp_path) == []
    seaport = json.loads((tmp_path / "Seaport.json").read_text())
    seaport["abi"] = seaport["abi"][1:]
    (tmp_path / "Seaport.json").write_text(json.dumps(seaport))
    (tmp_path / "Stray.json").write_text("{}")
    assert drifted(shipped=tmp_path) == ["Seaport", "Stray"]


def test_an_unexported_name_is_a_clear_error():
    with pytest.raises(ContractsBuildError, match="'Nope' is not exported"):
        hardhat.exported_artifact("Nope")


def test_a_compiler_warning_about_our_sources_is_reported(tmp_path):
    root = _project_copy(tmp_path)
    assert compiler_warnings(root) == []
    (root / "contracts" / "Warns.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.28;\n"
        "contract Warns { function f() external pure returns (uint256) { uint256 unused; return 1; } }\n"
    )
    (warning,) = compiler_warnings(root)
    assert "Unused local variable" in warning and "contracts/Warns.sol" in warning
