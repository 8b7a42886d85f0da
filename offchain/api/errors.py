"""One handler maps the LatentkinError hierarchy to HTTP statuses; nothing from users becomes a 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from latentkin_core.errors import InvalidFusionModeError, InvalidGenomeError, LatentkinError
from offchain.errors import (
    ChainUnavailableError,
    ConflictError,
    DeploymentNotFoundError,
    InvalidRequestError,
    NotFoundError,
    OverloadedError,
)

log = logging.getLogger("latentkin.api")

# Most specific first is not needed: the handler walks the exception's MRO.
STATUS: dict[type[BaseException], int] = {
    NotFoundError: 404,
    ConflictError: 409,
    InvalidGenomeError: 422,
    InvalidFusionModeError: 422,
    InvalidRequestError: 422,
    ChainUnavailableError: 503,
    DeploymentNotFoundError: 503,
    OverloadedError: 503,
    ValueError: 422,  # any other LatentkinError that is also a ValueError is bad input
}


def status_of(exc: LatentkinError) -> int:
    """HTTP status of a latentkin error (500 only for errors that are not the caller's)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def install(app: FastAPI, retry_after: int) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(LatentkinError)
    async def latentkin_error(request: Request, exc: LatentkinError) -> JSONResponse:
        status = status_of(exc)
        if status == 422:  # same shape as FastAPI's own validation errors
            loc = getattr(exc, "loc", ["request"])
            return JSONResponse({"detail": [{"loc": loc, "msg": str(exc), "type": "value_error"}]}, status_code=422)
        headers = {}
        if status == 503:
            headers["Retry-After"] = str(getattr(exc, "retry_after", retry_after))
        if status >= 500:
            log.warning("%s %s -> %d: %s", request.method, request.url.path, status, exc)
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, NotFoundError):  # the page waits only for an id that a pending request holds
            body["pending"] = bool(getattr(exc, "pending", False))
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)
