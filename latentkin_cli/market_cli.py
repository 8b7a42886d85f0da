"""``latentkin list|offer|buy|accept|cancel``: trade characters on Seaport 1.6 from the command line.

Orders pass the same checks as ``POST /orders`` (:mod:`offchain.market.validation`) before they are signed off
and again before they are filled, then go to the service's order book (``--book``, default the service's
public URL). ``latentkin transfer`` moves a character without a sale.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from web3 import Web3

from latentkin_cli.cli_common import KeystoreOpt, RpcOpt, account_of, console, friendly, settings_from
from offchain.api.services import market_of
from offchain.chain.reader import ChainReader, http_web3
from offchain.market.book_client import BookClient
from offchain.market.order import ZERO_ADDRESS
from offchain.market.trader import Trader
from offchain.market.validation import ValidOrder

app = typer.Typer()

BookOpt = Annotated[
    str | None, typer.Option("--book", help="Order book (service) URL; default: settings' public_base_url.")
]
OrderOpt = Annotated[str | None, typer.Option("--order", help="The order's hash (default: the best open one).")]
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _wei(text: str) -> int:
    """ETH (decimal) to wei."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(f"not an amount of ETH: {text!r}") from None
    if value <= 0 or value != value.quantize(Decimal(10) ** -18):
        raise typer.BadParameter(f"an amount of ETH is positive with at most 18 decimals: {text!r}")
    return int(Web3.to_wei(value, "ether"))


def _seconds(text: str) -> int:
    """``3600``, ``90m``, ``12h``, ``7d`` to seconds."""
    match = re.fullmatch(r"([1-9][0-9]*)([smhd]?)", text.strip())
    if not match:
        raise typer.BadParameter(f"a duration is a number with s, m, h or d: {text!r}")
    return int(match[1]) * UNITS[match[2] or "s"]


def _trader(rpc_url: str | None, keystore: Path | None, book: str | None) -> tuple[Trader, BookClient]:
    settings = settings_from(rpc_url)
    w3 = http_web3(settings.rpc_url, max(settings.rpc_timeout, 30))
    reader = ChainReader.from_settings(settings, w3)
    market = market_of(settings, reader)
    market.check_wiring()  # a Seaport with another's controller, or another collection's zone: refused, named
    trader = Trader(market, account_of(w3, settings, keystore))
    return trader, BookClient(book or settings.public_base_url)


def _eth(wei: int | str) -> str:
    return f"{Web3.from_wei(int(wei), 'ether'):f} ETH"


def _submit(book: BookClient, valid: ValidOrder) -> None:
    stored = book.submit(valid.order)
    console.print(f"order [bold]{stored['hash']}[/] in the book at {book.base_url}")


def _best(book: BookClient, token_id: int, side: str, order_hash: str | None) -> dict[str, Any]:
    """The order ``order_hash`` of the book, else the best open ``side`` order on ``token_id``."""
    if order_hash:
        return book.order(order_hash)
    orders = book.open_orders(token=token_id, side=side)
    if not orders:
        raise typer.BadParameter(f"no open {side} for #{token_id} in the book at {book.base_url}")
    return orders[0]


@app.command("list")
@friendly
def list_token(
    token_id: int,
    price: Annotated[str, typer.Option(help="Price in ETH (the start price of an auction), royalty included.")],
    end_price: Annotated[
        str | None, typer.Option(help="Dutch auction: the price at the end, falling linearly.")
    ] = None,
    duration: Annotated[str, typer.Option(help="How long the listing runs: 3600, 90m, 12h, 7d.")] = "7d",
    weth: Annotated[bool, typer.Option("--weth", help="Ask for WETH instead of ETH.")] = False,
    rpc_url: RpcOpt = None,
    keystore: KeystoreOpt = None,
    book: BookOpt = None,
) -> None:
    """List a character you own at a fixed price, or as a Dutch auction (with --end-price)."""
    trader, client = _trader(rpc_url, keystore, book)
    start = _wei(price)
    end = _wei(end_price) if end_price else start
    currency = trader.market.addresses.weth if weth else ZERO_ADDRESS
    valid = trader.list(token_id, start, end, duration=_seconds(duration), currency=currency)
    kind = f"from {_eth(start)} to {_eth(end)}" if end != start else f"at {_eth(start)}"
    console.print(
        f"#{token_id} listed {kind}, royalty {_eth(valid.royalty)} included, fusions used {valid.fusion_count}"
    )
    _submit(client, valid)


@app.command()
@friendly
def offer(
    token_id: int,
    price: Annotated[str, typer.Option(help="WETH offered (ETH is wrapped as needed).")],
    duration: Annotated[str, typer.Option(help="How long the offer runs: 3600, 90m, 12h, 7d.")] = "7d",
    rpc_url: RpcOpt = None,
    keystore: KeystoreOpt = None,
    book: BookOpt = None,
) -> None:
    """Offer WETH for someone else's character."""
    trader, client = _trader(rpc_url, keystore, book)
    valid = trader.offer(token_id, _wei(price), duration=_seconds(duration))
    console.print(
        f"offered {_eth(valid.terms.start_price)} WETH for #{token_id} (royalty {_eth(valid.royalty)} paid out of it)"
    )
    _submit(client, valid)


@app.command()
@friendly
def buy(
    token_id: int, order: OrderOpt = None, rpc_url: RpcOpt = None, keystore: KeystoreOpt = None, book: BookOpt = None
) -> None:
    """Buy a listed character (the cheapest open listing, or --order) at its current price."""
    trader, client = _trader(rpc_url, keystore, book)
    view = _best(client, token_id, "listing", order)
    signed = BookClient.signed(view)
    price = trader.price_of(signed)
    fusions, cooldown = trader.market.fusions(token_id)
    console.print(f"#{token_id}: {fusions} of 16 fusions used, cooldown until block {cooldown}")
    receipt = trader.buy(signed)
    console.print(f"bought #{token_id} for {_eth(price)} (tx {receipt['transactionHash'].to_0x_hex()})")


@app.command()
@friendly
def accept(
    token_id: int, order: OrderOpt = None, rpc_url: RpcOpt = None, keystore: KeystoreOpt = None, book: BookOpt = None
) -> None:
    """Accept an offer for a character you own (the highest open offer, or --order)."""
    trader, client = _trader(rpc_url, keystore, book)
    view = _best(client, token_id, "offer", order)
    receipt = trader.accept(BookClient.signed(view))
    console.print(
        f"sold #{token_id} to {view['maker']} for {_eth(view['start_price'])} WETH "
        f"(tx {receipt['transactionHash'].to_0x_hex()})"
    )


@app.command()
@friendly
def cancel(
    orders: Annotated[list[str] | None, typer.Argument(help="Hashes of your orders.")] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Cancel every order you signed (Seaport's incrementCounter).")
    ] = False,
    rpc_url: RpcOpt = None,
    keystore: KeystoreOpt = None,
    book: BookOpt = None,
) -> None:
    """Cancel orders on Seaport (the book retires them once the indexer sees it)."""
    trader, client = _trader(rpc_url, keystore, book)
    if everything:
        trader.send_call(trader.market.seaport.functions.incrementCounter())
        console.print(f"every order signed by {trader.address} so far is cancelled")
        return
    if not orders:
        raise typer.BadParameter("name the orders to cancel, or pass --all")
    trader.cancel(*(BookClient.signed(client.order(h)) for h in orders))
    console.print(f"cancelled {len(orders)} order(s)")
