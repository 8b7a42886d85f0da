"""Fill a `hardhat node` with thousands of characters quickly, for the indexer's scale test and benchmark.

Automine goes off; transactions go out as JSON-RPC batches of ``eth_sendTransaction`` (dev accounts are
unlocked, gas and nonces explicit, so the node estimates nothing) and ``evm_mine`` seals ``per_block`` of
them at a time. What it sends: gen-0 mints to four accounts, a transfer of every fifth token, a fusion
offer on every seventh (every 21st withdrawn again), and ``fusions`` crossover fusions of fresh pairs (``tokens``
>= 40 × ``fusions``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import httpx
from web3 import Web3
from web3.contract import Contract

from latentkin_core.genome import random_genome

GAS = 400_000


@dataclass
class BulkChain:
    """A JSON-RPC node and the LatentKin contract on it, driven in batches."""

    url: str
    kin: Contract
    owner: str
    players: list[str]
    _client: httpx.Client = field(default_factory=httpx.Client)

    def _rpc(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        body = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
        answers = sorted(self._client.post(self.url, json=body, timeout=120).json(), key=lambda a: a["id"])
        errors = [a["error"] for a in answers if "error" in a]
        if errors:
            raise RuntimeError(f"{len(errors)} of {len(calls)} calls failed, first: {errors[0]}")
        return [a["result"] for a in answers]

    def _send(self, txs: list[tuple[str, Any, int]], per_block: int) -> None:
        """Send (sender, contract call, value) in order, ``per_block`` to a block."""
        nonces = {
            s: int(n, 16)
            for s, n in zip(
                {s for s, _, _ in txs},
                self._rpc([("eth_getTransactionCount", [s, "pending"]) for s in {s for s, _, _ in txs}]),
                strict=True,
            )
        }
        for start in range(0, len(txs), per_block):
            calls = []
            for sender, call, value in txs[start : start + per_block]:
                calls.append(
                    (
                        "eth_sendTransaction",
                        [
                            {
                                "from": sender,
                                "to": self.kin.address,
                                "data": call._encode_transaction_data(),
                                "gas": hex(GAS),
                                "value": hex(value),
                                "nonce": hex(nonces[sender]),
                            }
                        ],
                    )
                )
                nonces[sender] += 1
            self._rpc(calls)
            self._rpc([("evm_mine", [])])

    def populate(self, tokens: int, fusions: int = 0, per_block: int = 50, seed: int = 1) -> int:
        """Mint ``tokens`` founders (plus transfers, offers) and ``fusions`` children; returns the events emitted."""
        self._rpc([("evm_setAutomine", [False])])
        try:
            f = self.kin.functions
            rng = random.Random(seed)
            first = int(f.lastTokenId().call()) + 1
            holders = [self.owner, *self.players[:3]]
            txs: list[tuple[str, Any, int]] = []
            for k in range(tokens):
                genome = random_genome(rng)
                txs.append((self.owner, f.mint(holders[k % 4], genome.code, genome.attrs), 0))
            self._send(txs, per_block)
            txs = []
            for k in range(tokens):
                token_id, holder = first + k, holders[k % 4]
                if k % 5 == 4:
                    txs.append((holder, f.transferFrom(holder, self.players[3], token_id), 0))
                elif k % 7 == 6:
                    txs.append(
                        (holder, f.setFusionOffer(token_id, Web3.to_checksum_address("0x" + "00" * 20), 10**15), 0)
                    )
            offers = [tx for tx in txs if tx[1].fn_name == "setFusionOffer"]
            txs += [(s, f.cancelFusionOffer(c.args[0]), 0) for s, c, _ in offers[::3]]
            self._send(txs, per_block)
            events = tokens + len(txs)
            fee = int(f.fusionFee().call())
            pairs = [(first + 40 * k, first + 40 * k + 20) for k in range(fusions)]  # the owner's, never transferred
            self._send([(self.owner, f.requestFusion(a, b, 0, fee), fee) for a, b in pairs], per_block)
            self._rpc([("evm_mine", [])] * 2)  # past every reveal block
            requests = range(int(f.lastTokenId().call()) - fusions + 1, int(f.lastTokenId().call()) + 1)
            self._send([(self.owner, f.completeFusion(r), 0) for r in requests], per_block)
            return events + fusions * 6  # FusionRequested + 2 MetadataUpdate, then Fused + 2 MetadataUpdate + Transfer
        finally:
            self._rpc([("evm_setAutomine", [True])])
