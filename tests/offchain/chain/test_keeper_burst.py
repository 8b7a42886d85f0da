"""Issue 23, finding 3 on a real `hardhat node` mining a block every second (256-block window, no EIP-2935): one
contract makes 282 public-mint requests in one transaction, all revealed in the same block. One completion per
block pushed the last ones past the window, to an outcome computable in advance. Pipelined single completions
took 8 blocks for this burst (load 7 on 2 cores; 40 requests took 5-6 at load 14); in batches
(``completeRequests``) it takes 1, the block after the reveal. The same burst on eth-tester, where every
transaction is a block: tests/offchain/chain/test_keeper.py."""

from __future__ import annotations

import threading

from eth_account import Account
from web3.logs import DISCARD

from offchain.chain.hardhat import compiled_artifact
from offchain.chain.keeper import Keeper
from offchain.chain.reader import ChainReader, http_web3
from support.chain import node_deployment, rpc
from support.net import wait_until

BURST = 282
BLOCK_MS = 1000


def test_a_burst_of_requests_is_completed_in_far_fewer_blocks_than_requests(tmp_path, renderer):
    with node_deployment(tmp_path, bytes(renderer.renderer_hash()), founders=0) as chain:
        w3, kin, url = chain.actor.w3, chain.actor.contract, chain.node.url
        owner, attacker = w3.eth.accounts[0], w3.eth.accounts[3]
        kin.functions.setPublicMint(0, BURST).transact({"from": owner})
        key = Account.create()
        w3.eth.send_transaction({"from": owner, "to": key.address, "value": 10**19})
        artifact = compiled_artifact("BurstRequester")
        factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        receipt = w3.eth.get_transaction_receipt(factory.constructor().transact({"from": owner}))
        helper = w3.eth.contract(address=receipt["contractAddress"], abi=artifact.abi)

        receipt = w3.eth.get_transaction_receipt(
            helper.functions.burst(kin.address, BURST).transact({"from": attacker, "gas": 12_000_000})
        )
        requests = kin.events.PublicMintRequested().process_receipt(receipt, errors=DISCARD)
        (reveal,) = {r["args"]["revealBlock"] for r in requests}
        assert len(requests) == BURST
        rpc(url, "evm_setAutomine", [False])  # from now on the chain makes its own blocks, a second each
        rpc(url, "evm_setIntervalMining", [BLOCK_MS])

        keeper = Keeper(ChainReader(http_web3(url, 30), deployments_dir=chain.deployments_dir), key)
        stop = threading.Event()
        runner = threading.Thread(target=keeper.run, args=(stop, 0.1), daemon=True)
        runner.start()
        try:
            wait_until(
                lambda: keeper.status.completed["mint"] == BURST,
                timeout=120,
                what=f"the keeper to complete {BURST} requests",
            )
        finally:
            stop.set()
            runner.join(30)

        blocks = {int(e["blockNumber"]) for e in kin.events.PublicMinted().get_logs(from_block=reveal)}
        print(f"{BURST} completions in {len(blocks)} blocks, the last {max(blocks) - reveal} after the reveal")
        assert len(blocks) <= 3, f"{BURST} completions took {len(blocks)} blocks"  # 8 with single completions
        assert max(blocks) - reveal <= 10  # within a few blocks of the reveal, far inside the 256-block window
        assert keeper.status.failures == 0 and keeper.status.batches <= 3
        for token in range(1, BURST + 1):
            assert kin.functions.ownerOf(token).call() == helper.address
