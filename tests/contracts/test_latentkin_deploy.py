"""Deployment and artifacts: the contract is configured as asked, its record written, ABIs fresh."""

import json

import pytest
from eth_tester import EthereumTester, PyEVMBackend
from web3 import EthereumTesterProvider, Web3

from offchain.chain.artifacts import latentkin_at, load_artifact
from offchain.chain.deployment import Deployment, deployment_path
from offchain.chain.hardhat import artifacts_fresh, sources_digest
from offchain.chain.transactions import send
from offchain.deploy.latentkin import deploy
from offchain.errors import DeploymentError, TransactionFailedError


def test_session_deployment_is_configured(chain, kin):
    assert kin.functions.owner().call() == chain.owner
    assert kin.functions.hasRole(kin.functions.MINTER_ROLE().call(), chain.minter).call()
    assert kin.functions.fusionFee().call() == chain.FUSION_FEE
    assert kin.functions.publicMintPrice().call() == chain.PUBLIC_MINT_PRICE
    assert kin.functions.publicMintCap().call() == chain.PUBLIC_MINT_CAP
    assert kin.functions.contractURI().call() == chain.CONTRACT_URI
    assert kin.functions.royaltyInfo(1, 10_000).call() == [chain.owner, chain.ROYALTY_BPS]
    assert (kin.functions.name().call(), kin.functions.symbol().call()) == ("LatentKin", "LKIN")
    assert kin.functions.totalSupply().call() == 0
    assert chain.BASE_URI.startswith("https://")


def test_deploy_writes_record_and_hands_over_ownership(tmp_path):
    w3 = Web3(EthereumTesterProvider(EthereumTester(PyEVMBackend())))
    deployer, new_owner, minter = w3.eth.accounts[:3]
    deployment = deploy(w3, deployer, owner=new_owner, minters=[minter], renderer_hash=b"\x11" * 32, out_dir=tmp_path)

    record = json.loads((tmp_path / f"{w3.eth.chain_id}.json").read_text())
    assert record == {
        "address": deployment.address,
        "txHash": deployment.tx_hash,
        "block": deployment.block,
        "chainId": w3.eth.chain_id,
        "contract": "LatentKin",
    }
    assert Deployment.read(deployment_path(w3.eth.chain_id, tmp_path)) == deployment
    receipt = w3.eth.get_transaction_receipt(deployment.tx_hash)
    assert receipt["contractAddress"] == deployment.address and receipt["blockNumber"] == deployment.block

    kin = w3.eth.contract(address=deployment.address, abi=load_artifact("LatentKin").abi)
    admin = kin.functions.DEFAULT_ADMIN_ROLE().call()
    assert kin.functions.owner().call() == new_owner
    assert kin.functions.hasRole(admin, new_owner).call()
    assert not kin.functions.hasRole(admin, deployer).call()  # the admin role follows ownership
    assert kin.functions.rendererHash().call() == b"\x11" * 32


def test_read_deployment_errors_are_clear(tmp_path):
    path = deployment_path(1, tmp_path)
    with pytest.raises(DeploymentError, match="no deployment recorded"):
        Deployment.read(path)
    path.write_text("{not json")
    with pytest.raises(DeploymentError, match="not valid JSON"):
        Deployment.read(path)
    path.write_text('{"address": "0x00"}')
    with pytest.raises(DeploymentError, match="malformed"):
        Deployment.read(path)
    record = Deployment(Web3.to_checksum_address("0x" + "ab" * 20), chain_id=1, block=3, tx_hash="0x01")
    assert Deployment.from_json(record.to_json()) == record


def test_artifacts_are_built_from_the_current_sources(artifacts):
    # The stamp written by the compile matches the sources now: nothing committed can drift.
    assert artifacts_fresh()
    assert len(sources_digest()) == 64
    runtime = artifacts["LatentKin"].deployed_bytecode
    assert 0 < (len(runtime) - 2) // 2 <= 24_576  # EIP-170 size limit


def test_a_local_key_can_deploy_and_send():
    from eth_account import Account

    w3 = Web3(EthereumTesterProvider(EthereumTester(PyEVMBackend())))
    signer = Account.from_key(b"\x42" * 32)
    w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": signer.address, "value": 10**18})
    deployment = deploy(w3, signer, minters=[signer.address], out_dir=None)
    kin = latentkin_at(w3, deployment.address)
    assert kin.functions.owner().call() == signer.address
    receipt = send(w3, signer, kin.functions.mint(signer.address, 5, 6))
    assert receipt["status"] == 1 and kin.functions.genomeOf(1).call() == [5, 6]
    with pytest.raises(TransactionFailedError, match="reverted"):
        send(w3, signer, kin.functions.completeFusion(1), gas=200_000)
