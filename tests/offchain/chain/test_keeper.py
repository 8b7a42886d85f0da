"""The keeper completes every due request for anyone, right after its reveal, and reports it in /metrics."""

import random

from eth_abi import encode
from eth_account import Account
from eth_utils import keccak
from fastapi.testclient import TestClient
from web3.logs import DISCARD

from latentkin_core.genome import random_genome
from offchain.api.main import create_app
from offchain.chain.keeper import Keeper
from offchain.chain.reader import ChainReader


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


def test_a_request_completed_by_someone_else_is_left_alone(fresh_kin):
    chain, kin = fresh_kin, fresh_kin.reader.contract
    request_id, _ = _request_fusion(chain, chain.accounts[0], 1, 2)
    keeper = Keeper(chain.reader, chain.accounts[5])
    keeper.step()  # saw the request; its reveal block is the next one
    chain.w3.provider.ethereum_tester.mine_blocks(1)
    kin.functions.completeFusion(request_id).transact({"from": chain.accounts[2]})
    assert keeper.step() == []
    assert keeper.status.completed_by_others == 1 and keeper.status.pending == 0


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


def test_a_completion_that_reverts_for_good_is_dropped_without_paying(chain):
    """Issue 23, findings 3 and 5: the keeper simulates each completion first. A request whose completion can
    never succeed used to be sent, reverted and paid for every round. The contract leaves no such state any more
    (the generation limit is checked at request), so one is made by a storage write: the pending fusion's
    parent A is erased, so ``completeFusion`` reverts ``LatentKinUnknownRequest`` for anyone, for ever, while
    ``fusionRequest`` still names its requester."""
    alice = chain.users[0]
    rng = random.Random(7)
    a, c = chain.mint(alice, random_genome(rng)), chain.mint(alice, random_genome(rng))
    request_id = chain.request_fusion(alice, a, c)
    slot = _request_slot(chain, request_id, alice)
    request = int.from_bytes(chain.w3.eth.get_storage_at(chain.kin.address, slot), "big")
    chain.set_storage(chain.kin.address, slot, request & ~(0xFFFFFFFF << PARENT_A_SHIFT))
    key = Account.create()
    chain.w3.eth.send_transaction({"from": chain.owner, "to": key.address, "value": 10**18})
    chain.mine(1)

    keeper = Keeper(ChainReader(chain.w3, deployment=chain.deployment), key)
    assert keeper.step() == [] and keeper.step() == []
    assert chain.w3.eth.get_transaction_count(key.address) == 0  # never sent: no gas paid, once or per round
    assert keeper.status.dropped == 1 and keeper.status.failures == 0 and keeper.status.pending == 0
    assert f"request {request_id}" in keeper.status.last_error
    assert chain.kin.functions.fusionRequest(request_id).call()[0] == alice  # still pending on chain


PARENT_A_SHIFT = 160  # PendingRequestLib: requester in bits 0..159, parent A in 160..191


def _request_slot(chain, request_id: int, requester: str) -> int:
    """The storage slot of a pending request (``_tokens[id].code``), found by its requester in the low bits."""
    for mapping_slot in range(32):
        slot = int.from_bytes(keccak(encode(["uint256", "uint256"], [request_id, mapping_slot])), "big")
        value = int.from_bytes(chain.w3.eth.get_storage_at(chain.kin.address, slot), "big")
        if value & (2**160 - 1) == int(requester, 16):
            return slot
    raise AssertionError("request slot not found")


def test_the_window_is_what_the_chain_serves(chain, fresh_kin):
    """Oldest-first ordering puts requests past their window last: 8191 blocks where the EIP-2935 history
    contract answers (the tests' Prague chain), 256 on a stock eth-tester chain (no contract)."""
    chain.mine(2)
    assert Keeper(ChainReader(chain.w3, deployment=chain.deployment), chain.accounts[5]).window() == 8191
    assert Keeper(fresh_kin.reader, fresh_kin.accounts[5]).window() == 256


def test_requests_still_in_their_window_go_first(fresh_kin):
    """With room for one completion a round, a request whose reveal hash the chain still serves is completed
    before an older one already past the 256-block window (whose outcome is the fallback whenever it lands)."""
    chain = fresh_kin
    third, fourth = chain.mint(), chain.mint()
    expired, _ = _request_fusion(chain, chain.accounts[0], 1, 2)
    chain.w3.provider.ethereum_tester.mine_blocks(300)
    fresh, _ = _request_fusion(chain, chain.accounts[0], third, fourth)
    chain.w3.provider.ethereum_tester.mine_blocks(1)
    keeper = Keeper(chain.reader, chain.accounts[5], max_in_flight=1)
    assert keeper.step() == [fresh]
    assert keeper.step() == [expired]
