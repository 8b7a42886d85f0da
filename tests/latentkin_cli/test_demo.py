"""Smoke test of `latentkin demo`: a real hardhat node and the real service, then Ctrl-C.

Small starter set (5 characters, 3 fusions) to stay short; ports are picked free.
"""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from PIL import Image
from web3 import Web3

from offchain.chain.artifacts import latentkin_at
from support.net import free_port, port_open, wait_until

# This tree's CLI (not whatever the venv's `latentkin` entry script was installed from).
LATENTKIN = [sys.executable, "-m", "latentkin_cli.cli"]
REPO = Path(__file__).resolve().parents[2]
READY = "latentkin demo is running"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_demo_runs_serves_and_shuts_down_cleanly(tmp_path, stop_signal):
    port, rpc_port = free_port(), free_port()
    proc = subprocess.Popen(
        [
            *LATENTKIN,
            "demo",
            "--port",
            str(port),
            "--rpc-port",
            str(rpc_port),
            "--characters",
            "5",
            "--fusions",
            "3",
            "--workdir",
            str(tmp_path),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    output: list[str] = []
    try:

        def ready() -> bool:
            while not lines.empty():
                output.append(lines.get())
            return any(READY in line for line in output)

        wait_until(
            ready,
            240,
            "the demo to be ready",
            interval=0.2,
            alive=lambda: proc.poll() is None,
            details=lambda: "".join(output),
        )
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as http:
            # blocks keep coming (interval mining): wait for the indexer to be level with the head once
            health = wait_until(
                lambda: (h := http.get("/healthz").json())["indexer"]["lag"] == 0 and h,
                30,
                "the indexer to catch up with the chain",
            )
            assert health["chain"]["reachable"] is True and health["chain"]["chain_id"] == 31337
            assert health["renderer"]["match"] is True
            # 5 founders (#4 owned by a second account), #6 = 1×2, #7 = 3×5 (blend), #8 = 6×7
            token = http.get("/tokens/8").json()
            assert token["name"] == "latentkin #8" and token["generation"] == 2, token
            assert token["parents"] == [6, 7] and token["fusion_mode"] == "crossover"
            assert http.get("/tokens/7").json()["fusion_mode"] == "blend"
            image = http.get("/tokens/8/image.png", params={"size": 128})
            assert image.status_code == 200, image.text
            assert Image.open(io.BytesIO(image.content)).size == (128, 128)
            assert http.get("/tokens").json()["items"][0]["token_id"] == 8  # newest first
            orders = http.get("/orders").json()["items"]  # the demo's market: two listings and an offer
            assert sorted(o["side"] for o in orders) == ["listing", "listing", "offer"]
            assert {o["token_id"] for o in orders} == {8, 1, 2}
            # tokenURI on chain resolves to this very metadata
            config = http.get("/config.json").json()
            chain = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{rpc_port}"))
            kin = latentkin_at(chain, config["address"])
            assert httpx.get(kin.functions.tokenURI(8).call(), timeout=30).json() == token
            # players can mint from the page, and reveal blocks arrive without anyone transacting
            assert kin.functions.publicMintPrice().call() > 0
            assert kin.functions.publicMintCap().call() > kin.functions.publicMinted().call()
            head = chain.eth.block_number
            wait_until(lambda: chain.eth.block_number > head, 30, "a block mined with no transaction")
            # the demo runs a keeper (issue 24): a player's request is completed without the player
            price = kin.functions.publicMintPrice().call()
            requester, keeper = chain.eth.accounts[2], chain.eth.accounts[19]
            receipt = chain.eth.wait_for_transaction_receipt(
                kin.functions.requestPublicMint(price).transact({"from": requester, "value": price})
            )
            (request,) = kin.events.PublicMintRequested().process_receipt(receipt)
            born = wait_until(
                lambda: kin.events.PublicMinted().get_logs(
                    from_block=receipt.blockNumber, argument_filters={"requestId": request.args.requestId}
                ),
                30,
                "the keeper to complete the player's mint request",
            )
            assert born[0].args.completer == keeper
            assert kin.functions.ownerOf(born[0].args.tokenId).call() == requester
            assert any("keeper       completes every due request" in line for line in output)
        assert port_open(rpc_port) and port_open(port)
    finally:
        proc.send_signal(stop_signal)
        try:
            code = proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert code == 0, "".join(output)
    wait_until(
        lambda: not (port_open(rpc_port) or port_open(port)),
        15,  # node and service are gone
        "the demo's ports to close after it stopped",
    )
