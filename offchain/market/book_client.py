"""The order book over HTTP, for the command line: submit an order, read open ones (the service's ``/orders``)."""

from __future__ import annotations

from typing import Any

import httpx

from offchain.errors import ChainUnavailableError, NotFoundError, OrderRejectedError
from offchain.market.order import SignedOrder


class BookClient:
    """``POST /orders``, ``GET /orders``, ``GET /orders/{hash}`` of the service at ``base_url``."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = httpx.request(method, f"{self.base_url}{path}", timeout=self.timeout, **kwargs)
        except httpx.HTTPError as exc:
            raise ChainUnavailableError(f"the order book at {self.base_url} cannot be reached: {exc}") from exc
        detail = (
            response.json().get("detail")
            if response.headers.get("content-type", "").startswith("application/json") and response.status_code >= 400
            else None
        )
        if response.status_code == 422:
            message = detail[0]["msg"] if isinstance(detail, list) and detail else str(detail)
            raise OrderRejectedError(f"the order book refused the order: {message}")
        if response.status_code == 404:
            raise NotFoundError(str(detail))
        if response.status_code >= 400:
            raise ChainUnavailableError(f"the order book answered {response.status_code}: {detail}")
        answer: dict[str, Any] = response.json()
        return answer

    def submit(self, order: SignedOrder) -> dict[str, Any]:
        """Put ``order`` in the book; the stored order (OrderView)."""
        return self._call("POST", "/orders", json=order.to_json())

    def open_orders(self, **query: Any) -> list[dict[str, Any]]:
        """Open orders (``token``, ``maker``, ``side`` filters), cheapest listing / highest offer first."""
        items: list[dict[str, Any]] = self._call(
            "GET", "/orders", params={k: v for k, v in query.items() if v is not None}
        )["items"]
        return items

    def order(self, order_hash: str) -> dict[str, Any]:
        """One order of the book by hash, open or retired."""
        return self._call("GET", f"/orders/{order_hash}")

    @staticmethod
    def signed(view: dict[str, Any]) -> SignedOrder:
        """The signed order inside an OrderView."""
        return SignedOrder.model_validate(view["order"])
