"""The keeper completes every due request for anyone, right after its reveal, and reports it in /metrics."""

from eth_abi import encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from fastapi.testclient import TestClient
from web3.logs import DISCARD

from offchain.api.main import create_app
from offchain.chain.hardhat import compiled_artifact
from offchain.chain.keeper import BATCH_GAS_BASE, REQUEST_GAS, Keeper
from offchain.chain.reader import ChainReader
from support.chain import rolled_back


def _request_fusion(kin_chain, sender: str, a: int, b: int) -> tuple[int, int]:
    fee = kin_chain.reader.contract.functions.fusionFee().call()
    tx = kin_chain.reader.contract.functions.requestFusion(a, b, 0, fee).transact({"from": sender, "value": fee})
    receipt = kin_chain.w3.eth.get_transaction_receipt(tx)
    args = kin_chain.reader.contract.events.FusionRequested().process_receipt(receipt, errors=DISCARD)[0]["args"]
    return args["requestId"], args["revealBlock"]


def test_the_keeper_completes_every_due_request_for_anyone(fresh_kin):
    chain, kin = fresh_kin, fresh_kin.reader.contract
    owner, player, keeper_address = chain.accounts[0], chain.accounts[3], chain.accounts[5]
    third = chain.mint(player)
    fourth = chain.mint(player)
    kin.functions.setPublicMint(0, 10).transact({"from": owner})
    fusion_id, reveal = _request_fusion(chain, owner, 1, 2)
    player_fusion, _ = _request_fusion(chain, player, third, fourth)
    kin.functions.requestPublicMint(0).transact({"from": player})
    mint_id = kin.functions.lastTokenId().call()

    keeper = Keeper(chain.reader, keeper_address)
    assert keeper.step() == [fusion_id, player_fusion]  # their reveal blocks are mined; the mint's is not yet
    assert keeper.status.pending == 1
    chain.w3.provider.ethereum_tester.mine_blocks(1)
    assert keeper.step() == [mint_id]
    assert keeper.status.completed == {"fusion": 2, "mint": 1} and keeper.status.pending == 0
    assert (
        keeper.status.last_delay_blocks is not None and keeper.status.last_delay_blocks <= 3
    )  # one block per transaction here

    for token, requester in ((fusion_id, owner), (player_fusion, player), (mint_id, player)):
        assert kin.functions.ownerOf(token).call() == requester  # the keeper only pays the gas
    (fused,) = kin.events.Fused().get_logs(from_block=reveal, argument_filters={"childId": fusion_id})
    assert fused["args"]["completer"] == keeper_address
    assert keeper.step() == [] and keeper.status.failures == 0


def test_a_request_completed_by_someone_else_is_left_alone_without_a_transaction(fresh_kin):
    """The batch is simulated first (eth_call): one that would complete nothing is not sent."""
    chain, kin = fresh_kin, fresh_kin.reader.contract
    keeper = Keeper(chain.reader, _funded_key(chain))
    request_id, _ = _request_fusion(chain, chain.accounts[0], 1, 2)
    keeper.step()  # saw the request; its reveal block is the next one
    chain.w3.provider.ethereum_tester.mine_blocks(1)
    kin.functions.completeFusion(request_id).transact({"from": chain.accounts[2]})
    assert keeper.step() == []
    assert keeper.status.completed_by_others == 1 and keeper.status.pending == 0
    assert chain.w3.eth.get_transaction_count(keeper.address) == 0  # nothing sent, nothing paid


def _funded_key(chain) -> LocalAccount:
    key = Account.create()
    chain.w3.eth.send_transaction({"from": chain.accounts[0], "to": key.address, "value": 10**18})
    return key


def test_a_front_runner_completing_one_id_of_a_sent_batch_costs_the_keeper_nothing_else(fresh_kin):
    """Between the keeper's simulation and its batch's block, someone completes one of the batch's ids: the batch
    completes the others, and its receipt's CompletionSkipped tells the keeper the id was taken."""
    chain, kin = fresh_kin, fresh_kin.reader.contract
    tester = chain.w3.provider.ethereum_tester
    third, fourth = chain.mint(chain.accounts[3]), chain.mint(chain.accounts[3])
    kin.functions.setPublicMint(0, 10).transact({"from": chain.accounts[0]})
    fusion_id, _ = _request_fusion(chain, chain.accounts[3], third, fourth)
    kin.functions.requestPublicMint(0).transact({"from": chain.accounts[3]})
    mint_id = kin.functions.lastTokenId().call()
    tester.mine_blocks(1)
    keeper = Keeper(chain.reader, chain.accounts[5])
    tester.disable_auto_mine_transactions()
    try:
        kin.functions.completePublicMint(mint_id).transact({"from": chain.accounts[2], "gas": 300_000})
        assert keeper.step() == []  # simulated and sent; in the pending block, behind the front-runner's
        tester.mine_blocks(1)
    finally:
        tester.enable_auto_mine_transactions()
    assert keeper.step() == [fusion_id]
    assert keeper.status.completed == {"fusion": 1, "mint": 0} and keeper.status.completed_by_others == 1
    assert keeper.status.failures == 0 and keeper.status.pending == 0 and keeper.status.batches == 1
    assert kin.functions.ownerOf(mint_id).call() == chain.accounts[3]


def test_the_service_runs_a_keeper_when_given_a_key_and_exports_its_metrics(
    fresh_kin, tmp_path, service_settings, renderer
):
    chain = fresh_kin
    key = Account.create()
    chain.w3.eth.send_transaction({"from": chain.accounts[0], "to": key.address, "value": 10**18})
    request_id, _ = _request_fusion(chain, chain.accounts[0], 1, 2)
    chain.w3.provider.ethereum_tester.mine_blocks(1)
    settings = service_settings(tmp_path, chain, keeper_key="0x" + key.key.hex())
    app = create_app(settings, w3=chain.w3, renderer=renderer)
    keeper = app.state.services.keeper
    assert keeper is not None and keeper.address == key.address
    assert keeper.step() == [request_id]  # stepped by hand here; `serve` runs it in a thread
    app.state.services.indexer.sync()
    with TestClient(app) as client:
        metrics = client.get("/metrics").text
        token = client.get(f"/tokens/{request_id}").json()
    assert 'latentkin_keeper_completed{kind="fusion"} 1.0' in metrics
    assert "latentkin_keeper_pending 0.0" in metrics
    assert token["completed_by"] == key.address


def test_no_key_no_keeper(fresh_kin, tmp_path, service_settings, renderer):
    app = create_app(service_settings(tmp_path, fresh_kin), w3=fresh_kin.w3, renderer=renderer)
    assert app.state.services.keeper is None


def test_the_window_is_what_the_chain_serves(chain, fresh_kin):
    """Oldest-first ordering puts requests past their window last: 8191 blocks where the EIP-2935 history
    contract answers (the tests' Prague chain), 256 on a stock eth-tester chain (no contract)."""
    chain.mine(2)
    assert Keeper(ChainReader(chain.w3, deployment=chain.deployment), chain.accounts[5]).window() == 8191
    assert Keeper(fresh_kin.reader, fresh_kin.accounts[5]).window() == 256


def test_requests_still_in_their_window_go_first(fresh_kin):
    """With room for one completion a round (one batch in flight, gas for one request in it), a request whose
    reveal hash the chain still serves is completed before an older one already past the 256-block window (whose
    outcome is the fallback whenever it lands)."""
    chain = fresh_kin
    third, fourth = chain.mint(), chain.mint()
    expired, _ = _request_fusion(chain, chain.accounts[0], 1, 2)
    chain.w3.provider.ethereum_tester.mine_blocks(300)
    fresh, _ = _request_fusion(chain, chain.accounts[0], third, fourth)
    chain.w3.provider.ethereum_tester.mine_blocks(1)
    one_fusion = BATCH_GAS_BASE + REQUEST_GAS["fusion"]
    keeper = Keeper(chain.reader, chain.accounts[5], max_in_flight=1, batch_gas=one_fusion)
    assert keeper.step() == [fresh]
    assert keeper.step() == [expired]


def test_due_requests_are_packed_into_batches_bounded_by_gas(fresh_kin):
    """Five due requests (fusions and mints) and gas for two in a batch: three batches, sent in one round with
    consecutive nonces; everything completed, oldest first. With the default (half the block's gas limit) one
    batch takes them all."""
    chain, kin = fresh_kin, fresh_kin.reader.contract
    tester = chain.w3.provider.ethereum_tester
    kin.functions.setPublicMint(0, 10).transact({"from": chain.accounts[0]})
    parents = [chain.mint(chain.accounts[3]) for _ in range(4)]
    ids = [
        _request_fusion(chain, chain.accounts[3], parents[0], parents[1])[0],
        _public_mint(chain, chain.accounts[3]),
        _request_fusion(chain, chain.accounts[3], parents[2], parents[3])[0],
        _public_mint(chain, chain.accounts[3]),
        _public_mint(chain, chain.accounts[4]),
    ]
    tester.mine_blocks(1)
    with rolled_back(tester):
        keeper = Keeper(chain.reader, _funded_key(chain), batch_gas=BATCH_GAS_BASE + 2 * REQUEST_GAS["fusion"])
        assert keeper.step() == ids
        assert keeper.status.batches == 3 and keeper.status.completed == {"fusion": 2, "mint": 3}
        assert chain.w3.eth.get_transaction_count(keeper.address) == 3
    keeper = Keeper(chain.reader, chain.accounts[5])
    assert keeper.step() == ids and keeper.status.batches == 1


def _public_mint(chain, requester: str) -> int:
    chain.reader.contract.functions.requestPublicMint(0).transact({"from": requester})
    return chain.reader.contract.functions.lastTokenId().call()


BURST = 282  # issue 23, finding 3: sized so that one completion per block reaches the last ones after the window


def test_a_burst_of_282_requests_from_one_contract_is_completed_inside_the_window(fresh_kin):
    """Issue 23, finding 3, on eth-tester, where every transaction is a block of its own (as if the keeper got one
    transaction into each block) and the window is 256 blocks (no EIP-2935, like `hardhat node`): one contract
    makes 282 public-mint requests in one transaction, all revealed in the same block. One completion per
    transaction (the keeper before batches) took 282 blocks, the last 28 past the window with their fallback outcome,
    computable in advance.
    In batches every request gets its reveal outcome."""
    chain, kin = fresh_kin, fresh_kin.reader.contract
    w3, owner = chain.w3, chain.accounts[0]
    kin.functions.setPublicMint(0, BURST).transact({"from": owner})
    artifact = compiled_artifact("BurstRequester")
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = w3.eth.get_transaction_receipt(factory.constructor().transact({"from": owner}))
    helper = w3.eth.contract(address=receipt["contractAddress"], abi=artifact.abi)
    receipt = w3.eth.get_transaction_receipt(
        helper.functions.burst(kin.address, BURST).transact({"from": chain.accounts[6], "gas": 12_000_000})
    )
    requests = kin.events.PublicMintRequested().process_receipt(receipt, errors=DISCARD)
    assert len(requests) == BURST and {r["args"]["requester"] for r in requests} == {helper.address}
    (reveal,) = {r["args"]["revealBlock"] for r in requests}
    print(f"burst: {receipt['gasUsed'] / BURST:,.0f} gas per request")

    keeper = Keeper(chain.reader, chain.accounts[5])
    assert keeper.window() == 256
    for _ in range(10):
        w3.provider.ethereum_tester.mine_blocks(1)  # the reveal block, then one per round
        keeper.step()
        if keeper.status.completed["mint"] == BURST:
            break
    minted = kin.events.PublicMinted().get_logs(from_block=reveal)
    blocks = sorted({int(e["blockNumber"]) for e in minted})
    print(f"{BURST} completions in {len(blocks)} blocks, the last {blocks[-1] - reveal} blocks after the reveal")
    assert len(minted) == BURST and keeper.status.failures == 0
    fallback = [e["args"]["tokenId"] for e in minted if e["args"]["seed"] == _fallback_seed(kin.address, e)]
    late = [e["args"]["tokenId"] for e in minted if e["blockNumber"] - reveal > 256]
    assert fallback == [] and late == [], f"{len(late)} completed past the window, {len(fallback)} fallbacks"
    for event in minted:
        block_hash = w3.eth.get_block(reveal)["hash"]
        assert event["args"]["seed"] == _seed(block_hash, kin.address, event["args"]["requestId"])


def _seed(block_hash: bytes, contract: str, request_id: int) -> int:
    return int.from_bytes(keccak(encode(["bytes32", "address", "uint256"], [block_hash, contract, request_id])), "big")


def _fallback_seed(contract: str, event) -> int:
    return _seed(b"\x00" * 32, contract, event["args"]["requestId"])
