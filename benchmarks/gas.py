"""Gas of LatentKin's main operations on py-evm (Prague rules), beside a plain OpenZeppelin mint, and of Seaport 1.6
fills of a character (fixed price, Dutch auction, accepted WETH offer; royalty item included) beside a plain transfer.

Usage: ``python benchmarks/gas.py [--json]``. Prints a table; with ``--json`` the last line is one
JSON object with ``deploy, mint, requestFusion, completeFusion, transfer, oz_mint_baseline`` (plus a
few extras; ``requestFusionBlend, completeFusionBlend, fusion_blend`` are the same fusion in blend mode;
``seaport_fixed, seaport_auction, seaport_offer`` are Seaport's ``fulfillOrder`` of each kind of order, open;
``seaport_fixed_protected, seaport_offer_protected`` the same fixed-price listing and WETH offer restricted to the
LatentKinZone, which checks the character's traits at the fill; ``completePublicMint`` one public mint completed
alone; ``batch_mint_N, batch_fusion_N`` the gas per completed request of ``completeRequests`` over N public mints,
N fusions, for N in :data:`BATCH_SIZES`, beside ``completePublicMint`` and ``completeFusion`` alone). Each figure
is the median of typical calls, never the first-ever one (which pays for fresh storage such as a zero balance or
counter). ``benchmarks/gas.txt`` holds the committed output;
``tests/contracts/test_latentkin_gas.py`` fails when it drifts or a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from dataclasses import replace
from pathlib import Path

from eth_account import Account
from web3 import EthereumTesterProvider, Web3
from web3.logs import DISCARD

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latentkin_core.genome import random_genome
from offchain.chain.artifacts import latentkin_at
from offchain.chain.hardhat import compiled_artifact
from offchain.chain.reader import ChainReader
from offchain.chain.transactions import send
from offchain.deploy.latentkin import deploy
from offchain.deploy.market import deploy_market, deploy_zone
from offchain.market.seaport import MarketChain
from offchain.market.trader import Trader
from support.devchain import history_tester

ROUNDS = 5  # typical calls measured per operation
BATCH_SIZES = (1, 10, 50)  # requests completed by one completeRequests
FUSION_FEE = 10**15

# CryptoKitties' mainnet contracts (solc 0.4.18) on the same py-evm, Prague rules.
CRYPTOKITTIES = {"fusion": 317_107, "mint": 114_096}
TARGETS = {"fusion": 175_000, "mint": 105_000}
BLEND_TOLERANCE = 0.03  # a blend fusion costs within 3 % of a crossover fusion
ZONE_OVERHEAD = 0.15  # a protected fill costs at most 15 % more than the same open fill
CROSSOVER, BLEND = 0, 1
ETH = 10**18
MARKET_TIME = 2_000_000_000  # orders start here (fixed, so their calldata, hence gas, is the same every run)


def measure(seed: int = 2026) -> dict[str, int]:
    """Deploy on a fresh eth-tester chain and return the median gas of each operation."""
    rng = random.Random(seed)
    tester = history_tester()
    w3 = Web3(EthereumTesterProvider(tester))
    owner, minter, alice, bob = w3.eth.accounts[:4]
    gas: dict[str, list[int]] = {
        k: []
        for k in (
            "mint",
            "requestFusion",
            "completeFusion",
            "requestFusionBlend",
            "completeFusionBlend",
            "transfer",
            "oz_mint_baseline",
            "oz_mint_genome_baseline",
        )
    }

    deployment = deploy(w3, owner, minters=[minter], fusion_fee=FUSION_FEE, out_dir=None)
    deploy_gas = w3.eth.get_transaction_receipt(deployment.tx_hash)["gasUsed"]
    kin = latentkin_at(w3, deployment.address)

    def mint(measured: bool = True) -> int:
        genome = random_genome(rng)
        receipt = send(w3, minter, kin.functions.mint(alice, genome.code, genome.attrs))
        if measured:
            gas["mint"].append(receipt["gasUsed"])
        return kin.events.Transfer().process_receipt(receipt, errors=DISCARD)[0]["args"]["tokenId"]

    def fuse(a: int, b: int, mode: int, suffix: str) -> None:
        receipt = send(w3, alice, kin.functions.requestFusion(a, b, mode, FUSION_FEE), value=FUSION_FEE)
        gas["requestFusion" + suffix].append(receipt["gasUsed"])
        request_id = kin.events.FusionRequested().process_receipt(receipt, errors=DISCARD)[0]["args"]["requestId"]
        tester.mine_blocks(1)
        gas["completeFusion" + suffix].append(send(w3, alice, kin.functions.completeFusion(request_id))["gasUsed"])

    send(w3, minter, kin.functions.mint(bob, 1, 1))  # the first-ever mint (fresh counters) is not measured
    parents = [mint() for _ in range(2 * ROUNDS)]  # alice already holds a token after the first of these
    gas["mint"].pop(0)

    for a, b in zip(parents[::2], parents[1::2], strict=True):  # fresh pairs: every parent is off cooldown
        fuse(a, b, CROSSOVER, "")
    blend_parents = [mint(measured=False) for _ in range(2 * ROUNDS)]
    for a, b in zip(blend_parents[::2], blend_parents[1::2], strict=True):  # the same, in blend mode
        fuse(a, b, BLEND, "Blend")

    for token in parents[:ROUNDS]:  # both sides keep holding tokens: no balance slot goes to or from zero
        gas["transfer"].append(send(w3, alice, kin.functions.transferFrom(alice, bob, token))["gasUsed"])

    artifact = compiled_artifact("OZMintBaseline")
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    baseline = w3.eth.contract(address=send(w3, owner, factory.constructor())["contractAddress"], abi=artifact.abi)
    send(w3, owner, baseline.functions.mint(alice))  # first-ever: not measured
    for _ in range(ROUNDS):
        gas["oz_mint_baseline"].append(send(w3, owner, baseline.functions.mint(alice))["gasUsed"])
        genome = random_genome(rng)
        call = baseline.functions.mintWithGenome(alice, genome.code, genome.attrs)
        gas["oz_mint_genome_baseline"].append(send(w3, owner, call)["gasUsed"])

    send(w3, owner, kin.functions.setPublicMint(0, ROUNDS + sum(BATCH_SIZES)))
    gas["completePublicMint"] = [_complete_alone(w3, tester, kin, alice, bob) for _ in range(ROUNDS)]

    result = {"deploy": deploy_gas, **measure_market(w3, tester, deployment, mint)}
    result.update(measure_batches(w3, tester, kin, alice, bob, mint))
    result.update({name: int(statistics.median(values)) for name, values in gas.items()})
    result["fusion"] = result["requestFusion"] + result["completeFusion"]
    result["fusion_blend"] = result["requestFusionBlend"] + result["completeFusionBlend"]
    return result


def _complete_alone(w3: Web3, tester, kin, requester: str, completer: str) -> int:
    """Gas of ``completePublicMint`` of a fresh public-mint request, by another account than its requester."""
    receipt = send(w3, requester, kin.functions.requestPublicMint(0))
    request_id = kin.events.PublicMintRequested().process_receipt(receipt, errors=DISCARD)[0]["args"]["requestId"]
    tester.mine_blocks(1)
    return send(w3, completer, kin.functions.completePublicMint(request_id))["gasUsed"]


def measure_batches(w3: Web3, tester, kin, requester: str, completer: str, mint) -> dict[str, int]:
    """Gas per completed request of one ``completeRequests`` (by a keeper, not the requester) over N public mints
    and over N crossover fusions of fresh pairs, for each N of ``BATCH_SIZES``."""
    result = {}
    for size in BATCH_SIZES:
        ids = []
        for _ in range(size):
            receipt = send(w3, requester, kin.functions.requestPublicMint(0))
            ids.append(
                kin.events.PublicMintRequested().process_receipt(receipt, errors=DISCARD)[0]["args"]["requestId"]
            )
        tester.mine_blocks(1)
        result[f"batch_mint_{size}"] = send(w3, completer, kin.functions.completeRequests(ids))["gasUsed"] // size
        ids = []
        for _ in range(size):
            call = kin.functions.requestFusion(mint(measured=False), mint(measured=False), CROSSOVER, FUSION_FEE)
            receipt = send(w3, requester, call, value=FUSION_FEE)
            ids.append(kin.events.FusionRequested().process_receipt(receipt, errors=DISCARD)[0]["args"]["requestId"])
        tester.mine_blocks(1)
        result[f"batch_fusion_{size}"] = send(w3, completer, kin.functions.completeRequests(ids))["gasUsed"] // size
    return result


def measure_market(w3: Web3, tester, deployment, mint) -> dict[str, int]:
    """Median gas of Seaport 1.6's ``fulfillOrder`` (the real bytecode from @opensea/seaport-js) of a fixed-price
    listing, of a Dutch auction while its price falls, and of an accepted WETH offer, each with the royalty item;
    then of the fixed-price listing and the offer protected by the LatentKinZone (restricted orders).
    After ``MARKET_TIME`` every block is one second after its parent, so every run fills at the same prices."""
    keys = [Account.from_key(k.to_bytes()) for k in tester.backend.account_keys]
    owner, alice, bob = keys[0], keys[2], keys[3]
    addresses = deploy_market(w3, owner.address)  # no zone: open orders
    market = MarketChain(ChainReader(w3, deployment=replace(deployment, market=addresses)))
    seller, buyer = Trader(market, alice), Trader(market, bob)
    protected = replace(addresses, zone=deploy_zone(w3, owner.address, deployment.address))
    zoned = MarketChain(ChainReader(w3, deployment=replace(deployment, market=protected)))
    zoned_seller, zoned_buyer = Trader(zoned, alice), Trader(zoned, bob)
    tester.time_travel(MARKET_TIME)
    gas: dict[str, list[int]] = {
        "seaport_fixed": [],
        "seaport_auction": [],
        "seaport_offer": [],
        "seaport_fixed_protected": [],
        "seaport_offer_protected": [],
    }
    seller.approve_collection()  # one-time approvals are not measured
    buyer.fund_weth(ROUNDS * ETH)
    seller.fund_weth(ROUNDS * ETH, wrap=False)  # accepting pays the royalty item out of the WETH received
    for salt in range(ROUNDS):
        order = seller.list(mint(measured=False), ETH, start_time=MARKET_TIME, salt=salt).order
        gas["seaport_fixed"].append(buyer.buy(order)["gasUsed"])
        order = seller.list(mint(measured=False), 2 * ETH, ETH, duration=1000, start_time=MARKET_TIME, salt=salt).order
        gas["seaport_auction"].append(buyer.buy(order)["gasUsed"])
        order = buyer.offer(mint(measured=False), ETH // 2, start_time=MARKET_TIME, salt=salt).order
        gas["seaport_offer"].append(seller.accept(order)["gasUsed"])
        order = zoned_seller.list(mint(measured=False), ETH, start_time=MARKET_TIME, salt=salt).order
        gas["seaport_fixed_protected"].append(zoned_buyer.buy(order)["gasUsed"])
        order = zoned_buyer.offer(mint(measured=False), ETH // 2, start_time=MARKET_TIME, salt=salt).order
        gas["seaport_offer_protected"].append(zoned_seller.accept(order)["gasUsed"])
    return {name: int(statistics.median(values)) for name, values in gas.items()}


def _overhead(result: dict[str, int], kind: str) -> str:
    """What the zone adds to an open fill of ``kind``: gas and percent."""
    extra = result[kind + "_protected"] - result[kind]
    return f"+{extra:,} gas, {extra / result[kind]:+.1%} vs open"


def zone_within_bound(result: dict[str, int]) -> bool:
    """True when every protected fill costs at most ``ZONE_OVERHEAD`` more than the same open fill."""
    return all(result[k + "_protected"] <= result[k] * (1 + ZONE_OVERHEAD) for k in ("seaport_fixed", "seaport_offer"))


def table(result: dict[str, int]) -> str:
    """A plain-text table of ``result`` with the targets and the CryptoKitties reference."""
    rows = [
        ("deploy LatentKin", result["deploy"], ""),
        (
            "gen-0 mint (with genome)",
            result["mint"],
            f"target <= {TARGETS['mint']:,}; CryptoKitties promo mint {CRYPTOKITTIES['mint']:,}"
            f" ({result['mint'] / CRYPTOKITTIES['mint']:.2f}x)",
        ),
        ("requestFusion", result["requestFusion"], ""),
        ("completeFusion", result["completeFusion"], ""),
        (
            "fusion total (request + complete)",
            result["fusion"],
            f"target <= {TARGETS['fusion']:,}; CryptoKitties breed + birth {CRYPTOKITTIES['fusion']:,}"
            f" ({result['fusion'] / CRYPTOKITTIES['fusion']:.2f}x)",
        ),
        ("requestFusion, blend", result["requestFusionBlend"], ""),
        ("completeFusion, blend", result["completeFusionBlend"], ""),
        (
            "blend fusion total",
            result["fusion_blend"],
            f"{result['fusion_blend'] / result['fusion'] - 1:+.2%} vs crossover (bound +-{BLEND_TOLERANCE:.0%})",
        ),
        ("completePublicMint", result["completePublicMint"], "one public mint completed alone"),
        *(
            (
                f"completeRequests, {size} {kind}{'s' if size > 1 else ''}",
                result[f"batch_{kind}_{size}"],
                f"per completed request: {result[f'batch_{kind}_{size}'] / result[alone] - 1:+.1%} vs {alone}",
            )
            for kind, alone in (("mint", "completePublicMint"), ("fusion", "completeFusion"))
            for size in BATCH_SIZES
        ),
        ("transfer (transferFrom)", result["transfer"], ""),
        (
            "Seaport fill, fixed-price listing",
            result["seaport_fixed"],
            f"fulfillOrder, ETH, royalty item: {result['seaport_fixed'] / result['transfer']:.2f}x a plain transfer",
        ),
        (
            "Seaport fill, Dutch auction",
            result["seaport_auction"],
            f"while the price falls, excess ETH refunded: {result['seaport_auction'] / result['transfer']:.2f}x",
        ),
        (
            "Seaport fill, accepted WETH offer",
            result["seaport_offer"],
            f"WETH to owner and royalty receiver: {result['seaport_offer'] / result['transfer']:.2f}x",
        ),
        (
            "protected fill, fixed-price listing",
            result["seaport_fixed_protected"],
            f"restricted to LatentKinZone: {_overhead(result, 'seaport_fixed')} (bound +{ZONE_OVERHEAD:.0%})",
        ),
        (
            "protected fill, accepted WETH offer",
            result["seaport_offer_protected"],
            f"restricted to LatentKinZone: {_overhead(result, 'seaport_offer')} (bound +{ZONE_OVERHEAD:.0%})",
        ),
        ("OZ ERC-721 _mint baseline", result["oz_mint_baseline"], "plain _mint, no genome"),
        ("OZ _mint + 2-slot genome struct", result["oz_mint_genome_baseline"], "naive genome storage"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'operation':<{width}}  {'gas':>9}  notes", "-" * (width + 60)]
    lines += [f"{name:<{width}}  {value:>9,}  {note}".rstrip() for name, value, note in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    args = parser.parse_args(argv)
    result = measure()
    print("LatentKin gas on py-evm (Prague), median of typical calls")
    print(table(result))
    if args.json:
        print(json.dumps(result, sort_keys=True))
    met = (
        result["fusion"] <= TARGETS["fusion"]
        and result["mint"] <= TARGETS["mint"]
        and abs(result["fusion_blend"] / result["fusion"] - 1) <= BLEND_TOLERANCE
        and zone_within_bound(result)
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
