"""A market chain for tests: LatentKin with Seaport 1.6, its ConduitController and WETH9 deployed beside it from
their npm packages (the real bytecode) on an eth-tester chain, and a trader per account (local keys)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_tester import EthereumTester
from web3 import EthereumTesterProvider, Web3

from offchain.chain.deployment import Deployment, deployment_path
from offchain.chain.reader import ChainReader
from offchain.chain.transactions import Actor, send
from offchain.deploy.latentkin import deploy
from offchain.market import build
from offchain.market.order import OrderParameters, SignedOrder, sign_order
from offchain.market.seaport import MarketChain
from offchain.market.trader import Trader
from offchain.settings import Settings
from support.devchain import history_tester

ROYALTY_BPS = 500
ETH = 10**18


@dataclass
class MarketKin:
    """The deployed game and market; account 0 owns the collection (royalty receiver) and mints."""

    tester: EthereumTester
    w3: Web3
    deployment: Deployment
    deployments_dir: Path
    reader: ChainReader
    market: MarketChain
    keys: list[LocalAccount]

    @property
    def accounts(self) -> list[str]:
        return [k.address for k in self.keys]

    @property
    def kin(self):
        return self.reader.contract

    def trader(self, index: int) -> Trader:
        """Account ``index`` trading with its local key (signatures made here, as a wallet would)."""
        return Trader(self.market, self.keys[index])

    def actor(self, index: int) -> Actor:
        """Account ``index`` sending LatentKin transactions."""
        return Actor(self.w3, self.kin, self.accounts[index])

    def mint(self, to: int, seed: int = 0) -> int:
        """A gen-0 character for account ``to``; its id."""
        code = int.from_bytes(Web3.keccak(text=f"code{seed}"), "big")
        attrs = int.from_bytes(Web3.keccak(text=f"attrs{seed}")[:8], "big")
        receipt = send(self.w3, self.accounts[0], self.kin.functions.mint(self.accounts[to], code, attrs))
        return int(self.kin.events.Transfer().process_receipt(receipt)[0]["args"]["tokenId"])

    def protection(self, token: int) -> build.Protection:
        """The market's zone and ``token``'s traits now (zero traits for a token that does not exist)."""
        exists = token <= self.kin.functions.lastTokenId().call()
        return build.Protection(self.market.addresses.zone, *(self.market.fusions(token) if exists else (0, 0)))

    def listing(self, token: int, seller: int = 2, **changes: Any) -> OrderParameters:
        """A fixed-price listing of ``token`` by account ``seller`` (who approves Seaport for the collection
        first): 1 ETH for an hour from now, the collection's royalty, the seller's counter, protected by the
        zone (:meth:`protection`); ``changes`` replace any of ``build.listing``'s arguments (``protection=None``
        for an open order of type 0)."""
        trader = self.trader(seller)
        trader.approve_collection()
        now = self.market.now()
        receiver, royalty = self.market.royalty(token, ETH)
        values: dict[str, Any] = dict(
            seller=trader.address,
            collection=self.kin.address,
            token_id=token,
            start_price=ETH,
            end_price=ETH,
            royalty=build.Royalty(receiver, royalty, royalty),
            start_time=now,
            end_time=now + 3600,
            counter=self.market.counter(trader.address),
            protection=self.protection(token),
        )
        values.update(changes)
        return build.listing(**values)

    def sign(
        self, params: OrderParameters, signer: int = 2, *, chain_id: int | None = None, seaport: str | None = None
    ) -> SignedOrder:
        """``params`` signed with account ``signer``'s key, for this chain's Seaport unless told otherwise."""
        return sign_order(
            params, self.keys[signer], chain_id or self.w3.eth.chain_id, seaport or self.market.addresses.seaport
        )

    def time_travel(self, seconds: int) -> int:
        """Move the chain's clock ``seconds`` past the latest block and mine a block there; its timestamp."""
        target = self.market.now() + seconds
        self.tester.time_travel(target)
        return self.market.now()

    def balance(self, account: str) -> int:
        return int(self.w3.eth.get_balance(account))

    def weth_balance(self, account: str) -> int:
        return int(self.market.weth.functions.balanceOf(account).call())


def make_market_chain(directory: Path) -> MarketKin:
    """A fresh eth-tester chain (EIP-2935 history kept) with LatentKin and the market deployed by account 0."""
    tester = history_tester()
    w3 = Web3(EthereumTesterProvider(tester))
    keys = [Account.from_key(k.to_bytes()) for k in tester.backend.account_keys]
    owner = keys[0].address
    deployment = deploy(
        w3,
        owner,
        minters=(owner,),
        royalty_bps=ROYALTY_BPS,
        base_uri="http://testserver/tokens/",
        out_dir=directory,
        market=True,
    )
    reader = ChainReader(w3, deployment=deployment)
    return MarketKin(tester, w3, deployment, directory, reader, MarketChain(reader), keys)


def service_settings(tmp_path: Path, deployments_dir: Path, **overrides: Any) -> Settings:
    """Settings of a service over ``deployments_dir`` that indexes nothing by itself (the test drives it)."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'index.sqlite3'}",
        cache_dir=tmp_path / "cache",
        deployments_dir=deployments_dir,
        web_dir=tmp_path / "no-web",
        confirmations=0,
        index_in_service=False,
        indexer_stale_after=3600,
        **overrides,
    )


def record_without_market(kin: MarketKin, tmp_path: Path) -> Path:
    """A deployments directory whose record has no market (any chain but a dev one): settings must name it."""
    bare = tmp_path / "deployments"
    replace(kin.deployment, market=None).write(deployment_path(kin.deployment.chain_id, bare))
    return bare


def signed_offer(market_kin: MarketKin, token: int, bidder: int) -> SignedOrder:
    """A protected 1 WETH offer for ``token`` by account ``bidder``, for an hour from now, signed."""
    now = market_kin.market.now()
    receiver, royalty = market_kin.market.royalty(token, ETH)
    params = build.offer(
        buyer=market_kin.accounts[bidder],
        collection=market_kin.kin.address,
        token_id=token,
        price=ETH,
        weth=market_kin.market.addresses.weth,
        royalty=build.Royalty(receiver, royalty, royalty),
        start_time=now,
        end_time=now + 3600,
        counter=0,
        protection=market_kin.protection(token),
    )
    return market_kin.sign(params, signer=bidder)
