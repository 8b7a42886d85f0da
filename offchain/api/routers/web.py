"""The web page slot: the built page at /, or a small index of links until it exists."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from offchain.settings import Settings

router = APIRouter(tags=["web"])


@router.get("/", include_in_schema=False)
def index() -> dict[str, str]:
    """Where things are, while no web page is built."""
    return {
        "service": "latentkin",
        "docs": "/docs",
        "tokens": "/tokens",
        "health": "/healthz",
        "contract": "/contract",
        "metrics": "/metrics",
    }


def mount_web(app: FastAPI, settings: Settings) -> None:
    """Serve ``settings.web_dir`` at / when it holds a built page; else the link index. Call last."""
    if (settings.web_dir / "index.html").is_file():
        # Compressed (the bundle shrinks about 3x); the API's own JSON and PNGs are left alone.
        app.mount(
            "/", GZipMiddleware(StaticFiles(directory=settings.web_dir, html=True), minimum_size=1024), name="web"
        )
    else:
        app.include_router(router)
