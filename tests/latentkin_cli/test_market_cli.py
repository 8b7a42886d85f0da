"""`latentkin list|buy|offer|accept|cancel` against a real hardhat node and a real service (its order book):
the node signs the seller's orders (eth_signTypedData_v4), a local key the buyer's; the same checks as the API
refuse what the book would refuse."""

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
from support.net import free_port, wait_until

SELLER = Web3().eth.account.from_key(DEV_KEYS[0]).address
BUYER = Web3().eth.account.from_key(DEV_KEYS[1]).address


@pytest.fixture(scope="module")
def market(hardhat_node, tmp_path_factory):
    """(run a command, the service's HTTP client): LatentKin + market deployed, a service with its indexer."""
    directory = tmp_path_factory.mktemp("market-cli")
    port = free_port()
    env = {
        "LATENTKIN_RPC_URL": hardhat_node,
        "LATENTKIN_DEPLOYMENTS_DIR": str(directory / "deployments"),
        "LATENTKIN_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "LATENTKIN_PRIVATE_KEY": None,
    }
    runner = CliRunner()

    def run(*args, key: str | None = None):
        return runner.invoke(app, [str(a) for a in args], env={**env, "LATENTKIN_PRIVATE_KEY": key})

    assert run("deploy").exit_code == 0
    assert run("mint", "--count", 3, "--seed", 5).exit_code == 0
    served = {
        **os.environ,
        **{k: v for k, v in env.items() if v is not None},
        "LATENTKIN_DATABASE_URL": f"sqlite:///{directory / 'index.sqlite3'}",
        "LATENTKIN_CACHE_DIR": str(directory / "cache"),
        "LATENTKIN_CONFIRMATIONS": "0",
        "LATENTKIN_POLL_INTERVAL": "0.2",
    }
    served.pop("LATENTKIN_PRIVATE_KEY", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("latentkin")), "serve", "--port", str(port)],
        env=served,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            wait_until(
                lambda: len(http.get("/tokens").json()["items"]) == 3,
                120,
                "the service to index #1-#3",
                interval=0.3,
                ignore=(httpx.HTTPError, KeyError),
            )
            yield run, http, json.loads((directory / "deployments" / "31337.json").read_text())
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)


def _owner(http, token: int) -> str:
    return http.get(f"/tokens/{token}").json()["owner"]


def test_list_buy_offer_accept_cancel(market):
    run, http, record = market
    assert record["seaport"] and record["weth"] and record["conduitController"]  # deployed beside LatentKin
    listed = run("list", 1, "--price", "1.5")  # signed by the node's account 0
    assert listed.exit_code == 0, listed.output
    assert "royalty 0.075 ETH included" in listed.output  # 500 bps of 1.5
    (order_hash,) = re.findall(r"order (0x[0-9a-f]{64}) in the book", listed.output)
    bought = run("buy", 1, key=DEV_KEYS[1])
    assert bought.exit_code == 0, bought.output
    assert "0 of 16 fusions used" in bought.output and "bought #1 for 1.5 ETH" in bought.output
    wait_until(lambda: _owner(http, 1) == BUYER, 30, "the sale to be indexed", interval=0.2)
    wait_until(
        lambda: http.get(f"/orders/{order_hash}").json()["status"] == "filled",
        30,
        "the listing to retire",
        interval=0.2,
    )
    (sale,) = http.get("/tokens/1/sales").json()["items"]
    assert (sale["seller"], sale["buyer"], sale["price"]) == (SELLER, BUYER, str(15 * 10**17))

    offered = run("offer", 2, "--price", "0.5", key=DEV_KEYS[1])
    assert offered.exit_code == 0, offered.output
    accepted = run("accept", 2)
    assert accepted.exit_code == 0, accepted.output
    wait_until(lambda: _owner(http, 2) == BUYER, 30, "the accepted offer to be indexed", interval=0.2)

    relisted = run("list", 1, "--price", "2", "--end-price", "1", "--duration", "1h", key=DEV_KEYS[1])
    assert relisted.exit_code == 0, relisted.output
    (auction,) = re.findall(r"order (0x[0-9a-f]{64}) in the book", relisted.output)
    assert run("cancel", auction, key=DEV_KEYS[1]).exit_code == 0
    wait_until(
        lambda: http.get(f"/orders/{auction}").json()["status"] == "cancelled",
        30,
        "the cancel to be indexed",
        interval=0.2,
    )


def test_the_cli_refuses_what_the_book_refuses(market):
    run, http, _ = market
    not_mine = run("list", 3, "--price", "1", key=DEV_KEYS[1])  # #3 belongs to account 0
    assert not_mine.exit_code == 1 and "does not own token 3" in not_mine.output
    assert run("list", 3, "--price", "-1").exit_code == 2
    nothing = run("buy", 3, key=DEV_KEYS[1])
    assert nothing.exit_code == 2 and "no open listing for #3" in nothing.output
