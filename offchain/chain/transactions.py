"""Writes to the LatentKin contract as one account: mint, fuse (request, wait, complete), transfer,
admin settings. Shared by the command line and the demo; any web3 provider works (HTTP node,
eth-tester), and a local dev chain gets its reveal blocks mined instead of waited for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import TimeExhausted
from web3.logs import DISCARD
from web3.middleware import SignAndSendRawMiddlewareBuilder
from web3.types import RPCEndpoint, TxReceipt

from latentkin_core.genome import FusionMode, Genome
from offchain.errors import TransactionFailedError

DEV_CHAIN_IDS = {31337, 131277322940537}  # hardhat node, eth-tester
Progress = Callable[[int, int], None]  # (current block, target block)
Sender = str | LocalAccount  # a node-managed address, or a local key that signs here


@dataclass(frozen=True, slots=True)
class FusionResult:
    """A completed fusion: the child and the seed its genome came from."""

    child_id: int
    parent_a: int
    parent_b: int
    seed: int
    genome: Genome
    mode: FusionMode = FusionMode.CROSSOVER
    completer: str = ""


def use_account(w3: Web3, account: LocalAccount | str) -> str:
    """Make ``w3`` send as ``account``: a local key (signed here) or a node-managed address."""
    if isinstance(account, str):
        return Web3.to_checksum_address(account)
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(account), layer=0)
    return account.address


def send(
    w3: Web3, sender: Sender, call: Any, *, value: int = 0, gas: int | None = None, timeout: float = 300
) -> TxReceipt:
    """Send a contract call or constructor from ``sender``, wait for it, return the receipt: the one
    way latentkin sends a transaction (deploy, the command line, the demo, the tests).

    ``sender`` is an address the node holds the key of (eth-tester, ``hardhat node``, or one
    :func:`use_account` installed a signer for) or a local account that signs here. Raises
    :class:`TransactionFailedError` if the transaction reverts or gets no receipt in ``timeout``.
    """
    params: dict[str, Any] = {
        "from": sender.address if isinstance(sender, LocalAccount) else Web3.to_checksum_address(sender),
        "value": value,
    }
    if gas is not None:
        params["gas"] = gas
    if isinstance(sender, LocalAccount):
        params["nonce"] = w3.eth.get_transaction_count(sender.address, "pending")
        tx_hash = w3.eth.send_raw_transaction(sender.sign_transaction(call.build_transaction(params)).raw_transaction)
    else:
        tx_hash = call.transact(params)
    try:
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=timeout)
    except TimeExhausted as exc:
        raise TransactionFailedError(f"transaction {tx_hash.to_0x_hex()} got no receipt in {timeout:g} s") from exc
    if receipt["status"] != 1:
        raise TransactionFailedError(f"transaction {tx_hash.to_0x_hex()} reverted")
    return receipt


def is_dev_chain(w3: Web3) -> bool:
    """True on a local development chain, where blocks may be mined on demand."""
    return int(w3.eth.chain_id) in DEV_CHAIN_IDS


def mine(w3: Web3, blocks: int) -> None:
    """Mine ``blocks`` empty blocks on a dev chain (hardhat_mine, or eth-tester's own)."""
    if blocks <= 0:
        return
    if hasattr(w3.provider, "ethereum_tester"):
        w3.provider.ethereum_tester.mine_blocks(blocks)
    else:
        w3.provider.make_request(RPCEndpoint("hardhat_mine"), [hex(blocks)])


def wait_for_block(
    w3: Web3, target: int, *, progress: Progress | None = None, poll: float = 1.0, timeout: float = 900.0
) -> int:
    """Block until the chain's head reaches ``target`` (mining it on a dev chain)."""
    head = int(w3.eth.block_number)
    if head < target and is_dev_chain(w3):
        mine(w3, target - head)
    deadline = time.monotonic() + timeout
    while (head := int(w3.eth.block_number)) < target:
        if progress:
            progress(head, target)
        if time.monotonic() > deadline:
            raise TransactionFailedError(f"block {target} not reached within {timeout:g} s")
        time.sleep(poll)
    if progress:
        progress(head, target)
    return head


class Actor:
    """Sends LatentKin transactions from one address and decodes what they did."""

    def __init__(self, w3: Web3, contract: Any, sender: str, *, receipt_timeout: float = 300) -> None:
        self.w3 = w3
        self.contract = contract
        self.sender = sender
        self.receipt_timeout = receipt_timeout

    def send(self, call: Any, value: int = 0) -> TxReceipt:
        """Send a contract call as this actor (:func:`send`); TransactionFailedError if it reverted."""
        return send(self.w3, self.sender, call, value=value, timeout=self.receipt_timeout)

    def _events(self, receipt: Any, name: str) -> list[Any]:
        return list(self.contract.events[name]().process_receipt(receipt, errors=DISCARD))

    # -- tokens -------------------------------------------------------------------------------
    def mint(self, to: str, genome: Genome) -> int:
        """Mint a gen-0 token (needs MINTER_ROLE); returns its id."""
        receipt = self.send(self.contract.functions.mint(Web3.to_checksum_address(to), genome.code, genome.attrs))
        return int(self._events(receipt, "Transfer")[0]["args"]["tokenId"])

    def transfer(self, to: str, token_id: int) -> None:
        """safeTransferFrom(sender, to, token_id)."""
        fn = self.contract.get_function_by_signature("safeTransferFrom(address,address,uint256)")
        self.send(fn(self.sender, Web3.to_checksum_address(to), token_id))

    def fusion_price(self, parent_a: int, parent_b: int) -> int:
        """What ``requestFusion(parent_a, parent_b, mode, maxPrice)`` costs this sender now: the fee plus the
        offer price of each parent it may use only through its owner's offer."""
        fns = self.contract.functions
        price = int(fns.fusionFee().call())
        for token in (parent_a, parent_b):
            owner = fns.ownerOf(token).call()
            if self.sender in (owner, fns.getApproved(token).call()) or fns.isApprovedForAll(owner, self.sender).call():
                continue
            price += int(fns.fusionOffer(token).call()[1])
        return price

    def request_fusion(
        self, parent_a: int, parent_b: int, mode: FusionMode = FusionMode.CROSSOVER, max_price: int | None = None
    ) -> tuple[int, int]:
        """Pay the fee (and offer prices) and ask to fuse by ``mode``; returns (request id, reveal block).

        ``max_price`` (default: the price read now) caps what the request may cost: if an offer's price or the
        fee is raised before it lands, it reverts instead of paying more. Exactly the price is sent.
        """
        price = self.fusion_price(parent_a, parent_b)
        cap = price if max_price is None else max_price
        call = self.contract.functions.requestFusion(parent_a, parent_b, int(FusionMode.parse(mode)), cap)
        receipt = self.send(call, value=min(price, cap))
        args = self._events(receipt, "FusionRequested")[0]["args"]
        return int(args["requestId"]), int(args["revealBlock"])

    def complete_fusion(self, request_id: int) -> FusionResult:
        """Mint the child of a revealed request (to its requester, whoever completes it)."""
        receipt = self.send(self.contract.functions.completeFusion(request_id))
        args = self._events(receipt, "Fused")[0]["args"]
        child = int(args["childId"])
        code, attrs = self.contract.functions.genomeOf(child).call()
        return FusionResult(
            child,
            int(args["parentA"]),
            int(args["parentB"]),
            int(args["seed"]),
            Genome(int(code), int(attrs)),
            FusionMode(int(args["mode"])),
            str(args["completer"]),
        )

    def fuse(
        self, parent_a: int, parent_b: int, progress: Progress | None = None, mode: FusionMode = FusionMode.CROSSOVER
    ) -> FusionResult:
        """Request, wait for the reveal block (mined on a dev chain), complete (unless a keeper already did)."""
        request_id, reveal = self.request_fusion(parent_a, parent_b, mode)
        wait_for_block(self.w3, reveal + 1, progress=progress)  # block.number > revealBlock
        if int(self.contract.functions.fusionRequest(request_id).call()[3]) == 0:  # completed by someone else
            return self._completed_fusion(request_id, reveal)
        try:
            return self.complete_fusion(request_id)
        except TransactionFailedError:
            if int(self.contract.functions.fusionRequest(request_id).call()[3]) == 0:  # a keeper was faster
                return self._completed_fusion(request_id, reveal)
            raise

    def _completed_fusion(self, child_id: int, reveal: int) -> FusionResult:
        """The fusion that made ``child_id`` (completed after block ``reveal``), from its ``Fused`` event."""
        event = self.contract.events.Fused()
        (log,) = event.get_logs(from_block=reveal, argument_filters={"childId": child_id})
        args = log["args"]
        code, attrs = self.contract.functions.genomeOf(child_id).call()
        return FusionResult(
            child_id,
            int(args["parentA"]),
            int(args["parentB"]),
            int(args["seed"]),
            Genome(int(code), int(attrs)),
            FusionMode(int(args["mode"])),
            str(args["completer"]),
        )

    # -- admin --------------------------------------------------------------------------------
    def set_renderer_hash(self, renderer_hash: bytes) -> None:
        """Commit the renderer (weights + table) the images are drawn with."""
        self.send(self.contract.functions.setRendererHash(renderer_hash))
