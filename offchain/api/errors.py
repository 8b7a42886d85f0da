"""One handler maps the LatentkinError hierarchy to HTTP statuses; nothing from users becomes a 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
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

ERRORS_MAX = 20  # validation errors listed in one 422
LOC_PART_MAX = 64  # characters of one part of an error's location (a dict key may be the client's)
MSG_MAX = 300

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


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's 422 ``detail`` without what the client sent: no ``input``, no ``ctx``, short locations (a
    16 MB body came back twice in the default answer)."""
    return [
        {
            "loc": [part if isinstance(part, int) else str(part)[:LOC_PART_MAX] for part in error["loc"]],
            "msg": str(error["msg"])[:MSG_MAX],
            "type": error["type"],
        }
        for error in exc.errors()[:ERRORS_MAX]
    ]


def cors_headers(request: Request, origins: list[str]) -> dict[str, str]:
    """What CORSMiddleware would add for ``request``'s origin; for the answers made outside it (500s)."""
    origin = request.headers.get("origin")
    if origin is None:
        return {}
    if "*" in origins:
        return {"access-control-allow-origin": "*"}
    return {"access-control-allow-origin": origin, "vary": "Origin"} if origin in origins else {}


def install(app: FastAPI, retry_after: int, cors_origins: list[str] | None = None) -> None:
    """Register the handlers on ``app``."""
    cors_origins = ["*"] if cors_origins is None else cors_origins

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_errors(exc)}, status_code=422)

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
        # Starlette answers this outside every middleware, CORS included: the page must still read it.
        return JSONResponse({"detail": "internal error"}, status_code=500, headers=cors_headers(request, cors_origins))
