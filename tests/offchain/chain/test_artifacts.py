"""offchain/chain/artifacts.py: the service loads the shipped artifacts, and they are exactly what the sources give."""

import json
import os
import subprocess
import sys

import pytest

from offchain.chain.artifacts import LATENTKIN, load_artifact, shipped_dir, shipped_names
from offchain.chain.hardhat import EXPORTED, REPO_ROOT, exported_artifact
from offchain.errors import ContractsBuildError


@pytest.mark.parametrize("name", sorted(EXPORTED))
def test_the_shipped_artifact_is_what_the_sources_compile_to(name):
    """Fails when a contract changed and `python -m offchain.chain.hardhat export` was not run."""
    shipped = json.loads((shipped_dir() / f"{name}.json").read_text())
    source = exported_artifact(name).to_json()
    assert shipped["abi"] == source["abi"], f"{name}: shipped ABI differs from the source"
    assert shipped["bytecode"] == source["bytecode"], f"{name}: shipped bytecode differs from the source"
    assert shipped["deployedBytecode"] == source["deployedBytecode"]


def test_only_exported_contracts_are_shipped():
    assert shipped_names() == sorted(EXPORTED)


def test_load_artifact_returns_abi_and_bytecode():
    artifact = load_artifact(LATENTKIN)
    names = {e.get("name") for e in artifact.abi}
    assert {"requestFusion", "completeFusion", "fusionOutcome", "blendOutcome", "Fused"} <= names
    assert artifact.bytecode.startswith("0x60") and len(artifact.deployed_bytecode) > 1000


def test_an_unshipped_contract_is_a_clear_error():
    with pytest.raises(ContractsBuildError, match="no artifact for contract 'Nope'.*shipped: ConduitController"):
        load_artifact("Nope")


def test_loading_needs_no_node_and_no_checkout(tmp_path):
    """From another folder, with no npx on PATH and no node_modules in reach, every shipped artifact loads."""
    code = (
        "from offchain.chain.artifacts import load_artifact, shipped_names\n"
        "print(sum(len(load_artifact(n).abi) for n in shipped_names()))"
    )
    env = {"PATH": str(tmp_path), "PYTHONPATH": str(REPO_ROOT), "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert int(out.stdout) > 100
    assert not os.path.exists(tmp_path / "node_modules")
