"""`latentkin` commands against a real hardhat node: deploy, mint, fuse, transfer, show, errors."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from cli_support import DEV_KEYS
from typer.testing import CliRunner
from web3 import Web3

from latentkin_cli.cli import app
from latentkin_core.genome import FusionMode, Genome, blend, fuse
from offchain.chain.reader import ChainReader
from support.net import free_port, wait_until


@pytest.fixture(scope="module")
def cli(hardhat_node, tmp_path_factory):
    """Run a latentkin command with settings pointing at the node; returns the click Result."""
    runner = CliRunner()
    env = {
        "LATENTKIN_RPC_URL": hardhat_node,
        "LATENTKIN_DEPLOYMENTS_DIR": str(tmp_path_factory.mktemp("deployments")),
        "LATENTKIN_PUBLIC_BASE_URL": "http://svc.test",
        "LATENTKIN_PRIVATE_KEY": None,
    }

    def run(*args, **extra_env):
        result = runner.invoke(app, [str(a) for a in args], env={**env, **extra_env})
        return result

    run.env = env
    return run


def reader(cli, url) -> ChainReader:
    from offchain.settings import Settings

    settings = Settings(rpc_url=url, deployments_dir=cli.env["LATENTKIN_DEPLOYMENTS_DIR"])
    return ChainReader.from_settings(settings)


def test_deploy_mint_fuse_transfer_show(cli, hardhat_node):
    deployed = cli("deploy")
    assert deployed.exit_code == 0, deployed.output
    record = json.loads(Path(cli.env["LATENTKIN_DEPLOYMENTS_DIR"], "31337.json").read_text())
    assert record["address"] in deployed.output.replace("\n", "")
    chain = reader(cli, hardhat_node)
    assert chain.contract.functions.tokenURI  # ABI loaded for the recorded address

    minted = cli("mint", "--count", 3, "--seed", 1)
    assert minted.exit_code == 0, minted.output
    assert re.findall(r"minted (#\d+)", minted.output) == ["#1", "#2", "#3"]
    assert chain.contract.functions.tokenURI(1).call() == "http://svc.test/tokens/1"

    fused = cli("fuse", 1, 2)
    assert fused.exit_code == 0, fused.output
    text = " ".join(fused.output.split())
    assert "→ #4" in text and "http://svc.test/tokens/4/image.png" in text
    seed = int(text.split("seed 0x")[1].split()[0], 16)
    assert chain.genome_of(4) == fuse(chain.genome_of(1), chain.genome_of(2), seed)
    assert Genome.from_hex(text.split("genome ")[1].split()[0]) == chain.genome_of(4)

    # signing locally with a private key (dev account #0) instead of the node's unlocked account
    receiver = Web3().eth.account.from_key(DEV_KEYS[1]).address
    moved = cli("transfer", 3, receiver, LATENTKIN_PRIVATE_KEY=DEV_KEYS[0])
    assert moved.exit_code == 0, moved.output
    assert chain.owner_of(3) == receiver

    shown = cli("show", 4)
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.output)
    assert body["name"] == "latentkin #4" and body["parents"] == [1, 2]
    assert body["genome"] == chain.genome_of(4).to_hex()
    assert body["fusion_mode"] == "crossover"

    assert cli("mint").exit_code == 0  # #5, off cooldown
    blended = cli("fuse", 4, 5, "--mode", "blend")
    assert blended.exit_code == 0, blended.output
    text = " ".join(blended.output.split())
    assert "(blend) → #6" in text
    seed = int(text.split("seed 0x")[1].split()[0], 16)
    assert (
        chain.genome_of(6)
        == blend(chain.genome_of(4), chain.genome_of(5), seed)
        != fuse(chain.genome_of(4), chain.genome_of(5), seed)
    )
    assert chain.lineage_of(6).mode == 1
    assert json.loads(cli("show", 6).output)["fusion_mode"] == "blend"


def test_errors_are_one_line_and_exit_1(cli):
    assert cli("deploy").exit_code == 0
    assert cli("mint").exit_code == 0
    not_minter = cli("mint", LATENTKIN_PRIVATE_KEY=DEV_KEYS[1])  # account #1 lacks MINTER_ROLE
    assert not_minter.exit_code == 1 and "error:" in not_minter.output
    assert "Traceback" not in not_minter.output
    unknown_mode = cli("fuse", 1, 2, "--mode", "average")
    assert unknown_mode.exit_code == 2 and "average" in unknown_mode.output
    self_fusion = cli("fuse", 1, 1)
    assert self_fusion.exit_code == 1 and "SelfFusion" in self_fusion.output.replace("\n", "")
    unknown = cli("show", 999)
    assert unknown.exit_code == 1 and "999" in unknown.output


def test_keystore_signing(cli, tmp_path):
    from eth_account import Account

    assert cli("deploy").exit_code == 0
    keystore = tmp_path / "owner.json"
    keystore.write_text(json.dumps(Account.encrypt(DEV_KEYS[0], "correct horse")))
    ok = cli("mint", "--keystore", keystore, LATENTKIN_KEYSTORE_PASSWORD="correct horse")
    assert ok.exit_code == 0 and "minted #1" in ok.output, ok.output
    wrong = cli("mint", "--keystore", keystore, LATENTKIN_KEYSTORE_PASSWORD="wrong")
    assert wrong.exit_code == 2 and "cannot unlock keystore" in wrong.output


def test_index_process_feeds_a_service_without_indexer(cli, hardhat_node, tmp_path):
    assert cli("deploy").exit_code == 0
    assert cli("mint", "--count", 2).exit_code == 0
    port = free_port()
    env = {
        **os.environ,
        **{k: v for k, v in cli.env.items() if v is not None},
        "LATENTKIN_DATABASE_URL": f"sqlite:///{tmp_path / 'index.sqlite3'}",
        "LATENTKIN_CACHE_DIR": str(tmp_path / "cache"),
        "LATENTKIN_CONFIRMATIONS": "0",
        "LATENTKIN_POLL_INTERVAL": "0.2",
        "LATENTKIN_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("LATENTKIN_PRIVATE_KEY", None)
    latentkin = str(Path(sys.executable).with_name("latentkin"))
    indexer = subprocess.Popen([latentkin, "index"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen(
        [latentkin, "serve", "--no-index", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            listed = lambda: [t["token_id"] for t in http.get("/tokens").json()["items"]]
            wait_until(
                lambda: listed() == [2, 1],
                90,
                "the indexer process to index #1 and #2",
                interval=0.2,
                ignore=(httpx.HTTPError,),
            )
            assert cli("mint").exit_code == 0
            wait_until(lambda: listed() == [3, 2, 1], 30, "#3 to be indexed", interval=0.2, ignore=(httpx.HTTPError,))
            health = http.get("/healthz").json()
            assert health["indexer"]["cursor"] is not None and health["indexer"]["last_error"] is None
    finally:
        for proc in (server, indexer):
            proc.send_signal(signal.SIGINT)
        codes = [proc.wait(30) for proc in (server, indexer)]
    assert codes == [0, 0]


def test_set_renderer_switches_the_hash_and_refreshes_every_token(cli, hardhat_node, tmp_path):
    from renderer.model_v2 import ModelConfigV2
    from renderer.render import Renderer
    from support.tiny_models import export_untrained

    model = ModelConfigV2(
        size=32,
        embed_dim=4,
        w_dim=16,
        mapping_layers=1,
        g_channels={4: 8, 8: 8, 16: 8, 32: 8},
        g_convs={4: 1, 8: 1, 16: 1, 32: 1},
        d_channels={32: 8, 16: 8, 8: 8, 4: 8},
    )
    weights = export_untrained(model, tmp_path / "v2")
    new_hash = bytes(Renderer.load(weights).renderer_hash())

    assert cli("deploy").exit_code == 0
    chain = reader(cli, hardhat_node)
    old_hash = chain.renderer_hash()
    assert old_hash != new_hash
    refused = cli("set-renderer", weights, LATENTKIN_PRIVATE_KEY=DEV_KEYS[1])  # not the owner
    assert refused.exit_code == 1 and chain.renderer_hash() == old_hash

    switched = cli("set-renderer", weights)
    assert switched.exit_code == 0, switched.output
    assert chain.renderer_hash() == new_hash
    assert new_hash.hex() in switched.output.replace("\n", "")
    block = chain.w3.eth.block_number
    updates = chain.contract.events.BatchMetadataUpdate().get_logs(from_block=block, to_block=block)
    assert [(u.args._fromTokenId, u.args._toTokenId) for u in updates] == [(1, 2**256 - 1)]
    again = cli("set-renderer", weights)
    assert again.exit_code == 0 and "already" in again.output


def test_odds_of_two_tokens_read_from_the_chain(cli, hardhat_node):
    from offchain.api.fusion_odds import odds_body
    from renderer.table import load_table

    assert cli("deploy").exit_code == 0
    assert cli("mint", "--count", 2, "--seed", 24).exit_code == 0
    chain = reader(cli, hardhat_node)
    a, b = chain.genome_of(1), chain.genome_of(2)
    shown = cli("odds", 1, 2, "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == odds_body(load_table(), a, b, list(FusionMode)).model_dump(mode="json")
    blend_only = json.loads(cli("odds", 1, a.to_hex(), "--mode", "blend", "--json").output)
    assert [m["mode"] for m in blend_only["modes"]] == ["blend"]
    unknown = cli("odds", 1, 999)
    assert unknown.exit_code == 1 and "999" in unknown.output and "Traceback" not in unknown.output


def test_odds_of_two_genomes_need_no_chain(cli):
    import random as _random

    from latentkin_core.genome import random_genome
    from offchain.api.fusion_odds import odds_body
    from renderer.table import load_table

    rng = _random.Random(7)
    a, b = random_genome(rng), random_genome(rng)
    result = cli("odds", a.to_hex(), "0x" + b.to_hex(), LATENTKIN_RPC_URL="http://127.0.0.1:9", COLUMNS="220")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    body = odds_body(load_table(), a, b, list(FusionMode))
    assert "the same in both modes" in text
    top = body.modes[0].traits[0].values[0]
    assert f"{top.value} {top.percent:.1f} % ({top.rarity})" in text
    for m in body.modes:
        assert f"{m.mode}: face genes {m.genes.like_a_percent:.1f} % like genome {a.to_hex()[:8]}…'s" in text
    assert f"at least one mutation: {body.modes[0].mutation_percent:.1f} %" in text
    bad = cli("odds", "xyz", 2)
    assert bad.exit_code == 2 and "neither a token id" in " ".join(bad.output.split())
