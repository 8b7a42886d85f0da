"""Fixtures for the command-line tests: a real `hardhat node` on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from web3 import Web3

from cli_support import free_port

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hardhat_node(tmp_path_factory):
    """`npx hardhat node` on a free port; yields its RPC URL; stopped (process group) afterwards."""
    port = free_port()
    log = tmp_path_factory.mktemp("hardhat") / "node.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["npx", "hardhat", "node", "--hostname", "127.0.0.1", "--port", str(port)],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 2}))
    deadline = time.monotonic() + 90
    while True:
        try:
            w3.eth.chain_id
            break
        except OSError:
            assert proc.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "hardhat node did not start"
            time.sleep(0.25)
    try:
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
