"""What every ``latentkin`` command shares: the console, the error convention, settings, who signs."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from eth_account import Account
from eth_account.signers.local import LocalAccount
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from web3 import Web3
from web3.exceptions import ContractLogicError

from latentkin_core.cli import friendly as friendly_errors
from offchain.chain.reader import ChainReader, http_web3
from offchain.chain.transactions import Actor, Sender, is_dev_chain, use_account
from offchain.settings import Settings

console = Console(soft_wrap=True)  # hex strings stay on one line, copy-pasteable

RpcOpt = Annotated[str | None, typer.Option("--rpc-url", help="JSON-RPC URL (default: settings).")]
KeystoreOpt = Annotated[Path | None, typer.Option("--keystore", help="eth-account keystore file.")]


def report(message: str) -> None:
    """Print one red ``error: …`` line."""
    console.print(f"[red]error:[/] {message}")


friendly = friendly_errors(1, report, (ContractLogicError,))  # red one-line message, exit code 1


def settings_from(rpc_url: str | None = None, **overrides: Any) -> Settings:
    """Settings from the environment, with ``--rpc-url`` and the other given options over them."""
    values: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    if rpc_url:
        values["rpc_url"] = rpc_url
    return Settings(**values)


def account_of(w3: Web3, settings: Settings, keystore: Path | None) -> Sender:
    """Who signs: a local key (LATENTKIN_PRIVATE_KEY, a keystore) or, on a dev chain, the node's first account."""
    keystore = keystore or settings.keystore
    key = settings.private_key.get_secret_value() if settings.private_key else ""
    if key:
        try:
            local: LocalAccount = Account.from_key(key)
        except ValueError as exc:
            raise typer.BadParameter(f"LATENTKIN_PRIVATE_KEY is not a private key: {exc}") from None
        return local
    if keystore is not None:
        password = os.environ.get("LATENTKIN_KEYSTORE_PASSWORD") or getpass.getpass("Keystore password: ")
        try:
            secret = Account.decrypt(json.loads(Path(keystore).read_text()), password)
        except (OSError, ValueError) as exc:
            raise typer.BadParameter(f"cannot unlock keystore {keystore}: {exc}") from None
        unlocked: LocalAccount = Account.from_key(secret)
        return unlocked
    if is_dev_chain(w3) and w3.eth.accounts:
        return w3.eth.accounts[0]
    raise typer.BadParameter("no key: set LATENTKIN_PRIVATE_KEY or pass --keystore")


def sender_of(w3: Web3, settings: Settings, keystore: Path | None) -> str:
    """The address transactions go out from (installing a signer for local keys)."""
    return use_account(w3, account_of(w3, settings, keystore))


def actor_of(settings: Settings, keystore: Path | None = None) -> tuple[Actor, ChainReader]:
    """An Actor sending as the signing account over ``settings.rpc_url``, and the chain reader."""
    w3 = http_web3(settings.rpc_url, max(settings.rpc_timeout, 30))
    reader = ChainReader.from_settings(settings, w3)
    return Actor(w3, reader.contract, sender_of(w3, settings, keystore)), reader


def block_progress(label: str) -> tuple[Progress, Callable[[int, int], None]]:
    """A rich progress bar for waiting on blocks, and the callback feeding it."""
    progress = Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("block {task.completed}/{task.total}"),
        console=console,
        transient=True,
    )
    task = progress.add_task(label, total=None)

    def update(head: int, target: int) -> None:
        progress.update(task, completed=head, total=target)

    return progress, update
