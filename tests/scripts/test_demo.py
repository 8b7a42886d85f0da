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
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image
from web3 import Web3

from offchain.contracts import load_artifact

from cli_support import free_port, port_open

LATENTKIN = Path(sys.executable).with_name("latentkin")
READY = "latentkin demo is running"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_demo_runs_serves_and_shuts_down_cleanly(tmp_path, stop_signal):
    port, rpc_port = free_port(), free_port()
    proc = subprocess.Popen([str(LATENTKIN), "demo", "--port", str(port), "--rpc-port", str(rpc_port),
                             "--characters", "5", "--fusions", "3", "--workdir", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "200"}, start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    output: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while not any(READY in line for line in output):
            assert proc.poll() is None, "".join(output)
            assert time.monotonic() < deadline, "demo not ready in time:\n" + "".join(output)
            try:
                output.append(lines.get(timeout=1))
            except queue.Empty:
                pass
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as http:
            # The demo mines a block a second, so the indexer (polling once a second) may be a block behind
            # at any one moment: it must catch up, not be caught up at the first look.
            caught_up = time.monotonic() + 15
            while (health := http.get("/healthz").json())["indexer"]["lag"] != 0 and time.monotonic() < caught_up:
                time.sleep(0.2)
            assert health["chain"]["reachable"] is True and health["chain"]["chain_id"] == 31337
            assert health["indexer"]["lag"] == 0 and health["renderer"]["match"] is True
            # 5 founders (#4 owned by a second account), #6 = 1×2, #7 = 3×5, #8 = 6×7
            token = http.get("/tokens/8").json()
            assert token["name"] == "latentkin #8" and token["generation"] == 2, token
            assert token["parents"] == [6, 7]
            image = http.get("/tokens/8/image.png", params={"size": 128})
            assert image.status_code == 200, image.text
            assert Image.open(io.BytesIO(image.content)).size == (128, 128)
            assert http.get("/tokens").json()["items"][0]["token_id"] == 1
            # tokenURI on chain resolves to this very metadata
            config = http.get("/config.json").json()
            chain = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{rpc_port}"))
            kin = chain.eth.contract(address=config["address"], abi=load_artifact("LatentKin").abi)
            assert httpx.get(kin.functions.tokenURI(8).call(), timeout=30).json() == token
            # players can mint from the page, and reveal blocks arrive without anyone transacting
            assert kin.functions.publicMintPrice().call() > 0
            assert kin.functions.publicMintCap().call() > kin.functions.publicMinted().call()
            head = chain.eth.block_number
            time.sleep(2.5)
            assert chain.eth.block_number > head
        assert port_open(rpc_port) and port_open(port)
    finally:
        proc.send_signal(stop_signal)
        try:
            code = proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert code == 0, "".join(output)
    deadline = time.monotonic() + 15
    while port_open(rpc_port) or port_open(port):  # node and service are gone
        assert time.monotonic() < deadline, "a port is still open after the demo stopped"
        time.sleep(0.2)
