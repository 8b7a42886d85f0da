"""A local `hardhat node` on 127.0.0.1 in its own process group: started, awaited, stopped."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from latentkin_cli.checkout import CHECKOUT
from latentkin_cli.process_group import stop_group
from latentkin_core.errors import LatentkinError
from offchain.chain.reader import http_web3

NODE_START_TIMEOUT = 90.0


class HardhatNode:
    """`npx hardhat node` on 127.0.0.1 in its own process group."""

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The node's JSON-RPC URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the node and wait until it answers eth_chainId."""
        npx = shutil.which("npx") or "npx"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                [npx, "hardhat", "node", "--hostname", "127.0.0.1", "--port", str(self.port)],
                cwd=CHECKOUT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        w3 = http_web3(self.url, 2.0)
        deadline = time.monotonic() + NODE_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LatentkinError(
                    f"hardhat node exited ({self.proc.returncode}); see {self.log_path}:\n"
                    + self.log_path.read_text()[-2000:]
                )
            try:
                _ = w3.eth.chain_id  # the first call that answers
                return
            except OSError:
                time.sleep(0.25)
        raise LatentkinError(f"hardhat node did not answer within {NODE_START_TIMEOUT:g} s")

    def dev_key(self, index: int = 0, timeout: float = 10.0) -> str | None:
        """The private key of dev account ``index`` as the node prints it at start (it may print the list just
        after it answers: wait up to ``timeout`` seconds); None if it never does."""
        deadline = time.monotonic() + timeout
        while True:
            keys = re.findall(r"Private Key: (0x[0-9a-fA-F]{64})", self.log_path.read_text(errors="replace"))
            if index < len(keys) or time.monotonic() > deadline:
                return keys[index] if index < len(keys) else None
            time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM the node's process group, SIGKILL it if it lingers."""
        stop_group(self.proc)
