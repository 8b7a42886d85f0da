"""Response models of the market: orders in the book and settled sales (wei amounts as decimal strings)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Wei = str  # decimal digits


class OrderView(BaseModel):
    """An order in the book: its terms, and the signed order itself for seaport-js to fulfil."""

    hash: str = Field(description="Seaport's order hash.")
    side: Literal["listing", "offer"]
    token_id: int
    maker: str
    currency: str = Field(description="The zero address for ETH, else the ERC-20 (WETH).")
    start_price: Wei = Field(description="What the buyer pays at startTime, royalty included.")
    end_price: Wei = Field(description="At endTime (a Dutch auction falls linearly from start to end).")
    current_price: Wei = Field(description="Now, as Seaport would compute it.")
    royalty: Wei = Field(description="The ERC-2981 royalty item at the start price.")
    start_time: int
    end_time: int
    fusion_count: int = Field(
        description="The token's fusions when the order was accepted; a listing is retired "
        "if the token is fused after it."
    )
    status: str
    order: dict[str, Any] = Field(description="The signed order ({parameters, signature}, seaport-js form).")


class OrderList(BaseModel):
    """Open orders, cheapest listing (or highest offer) first."""

    items: list[OrderView]


class SaleView(BaseModel):
    """A latentkin token sold through Seaport."""

    token_id: int
    order_hash: str
    side: Literal["listing", "offer"] = Field(description="listing: bought at the asked price; offer: accepted.")
    seller: str
    buyer: str
    currency: str
    price: Wei = Field(description="Everything the buyer paid, royalty included.")
    royalty: Wei
    block_number: int
    tx_hash: str
    timestamp: int


class SaleList(BaseModel):
    """A token's sales, newest first."""

    items: list[SaleView]


class TokenMarket(BaseModel):
    """A token's market at a glance (gallery cards): its open listing, if any, and its last sale, if any."""

    token_id: int
    listing: OrderView | None
    last_sale: SaleView | None


class MarketSummary(BaseModel):
    """The market of several tokens, in the order asked."""

    items: list[TokenMarket]
