"""FastAPI dependencies as ``Annotated`` aliases, and the validated path/query parameter types."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, Path, Query, Request
from pydantic import BeforeValidator
from sqlalchemy.orm import Session
from web3 import Web3

from offchain.api.catalog import Catalog
from offchain.api.services import Services
from offchain.chain.status import ChainStatusReader
from offchain.settings import Settings

MAX_TOKEN_ID = 2**32 - 1


async def get_services(request: Request) -> Services:
    """The app's long-lived services (built by create_app). Async: resolved on the event loop,
    not in the thread pool, as it never blocks."""
    services: Services = request.app.state.services
    return services


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (create_app(settings) is how tests choose them)."""
    services: Services = request.app.state.services
    return services.settings


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def _canonical_token_id(value: object) -> object:
    """One spelling per token: decimal digits, no sign, space or leading zero (``+1``, ``01`` are 422)."""
    if isinstance(value, str) and not re.fullmatch(r"[1-9][0-9]*", value):
        raise ValueError("a token id is written in decimal digits without sign, spaces or leading zeros")
    return value


TokenId = Annotated[
    int,
    Path(ge=1, le=MAX_TOKEN_ID, description="Token id (1-based), in canonical decimal."),
    BeforeValidator(_canonical_token_id),
]
GenomeHex = Annotated[
    str, Path(pattern=r"^(0x)?[0-9a-fA-F]{80}$", description="80 hex digits: 32 bytes code, 8 bytes attrs.")
]
SizeQuery = Annotated[
    int | None,
    Query(
        ge=16,
        le=2048,
        description="Image edge in pixels; one of the offered sizes (see /healthz). Default: the service's default.",
    ),
]
VersionQuery = Annotated[
    str | None,
    Query(
        max_length=64,
        pattern=r"^[0-9a-fA-F]*$",
        description="Renderer hash prefix (at least 8 hex digits): draw "
        "with that renderer; default the active one (the contract's).",
    ),
]
ADDRESS_PATTERN = r"^0x[0-9a-fA-F]{40}$"
PageLimit = Annotated[int, Query(ge=1, le=1000, description="Items per page (capped by the service).")]
PageCursor = Annotated[str | None, Query(pattern=r"^[0-9]{1,10}$", description="The previous page's next_cursor.")]


class IndexRow(Protocol):
    """A row of an index listing: paged by its id."""

    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=IndexRow)


def fetch_page(
    services: Services,
    query: Callable[[Session, str | None, int, int], list[RowT]],
    account: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[RowT], str | None]:
    """One page of an index listing in id order: ``query(session, account, limit + 1, after)`` with
    the limit capped by the settings and the account checksummed -> (rows, next page's cursor or None)."""
    limit = min(limit, services.settings.page_limit_max)
    account = Web3.to_checksum_address(account) if account else None
    with services.sessions() as session:
        rows = query(session, account, limit + 1, int(cursor or 0))
    return rows[:limit], (str(rows[limit - 1].id) if len(rows) > limit else None)


async def get_catalog(request: Request) -> Catalog:
    """Token lookups with the metadata cache."""
    catalog: Catalog = request.app.state.catalog
    return catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


async def get_chain_status(request: Request) -> ChainStatusReader:
    """The chain's head, pace and mint terms, reused for a couple of seconds."""
    chain_status: ChainStatusReader = request.app.state.chain_status
    return chain_status


ChainStatusDep = Annotated[ChainStatusReader, Depends(get_chain_status)]
