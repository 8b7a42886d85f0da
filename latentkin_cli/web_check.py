"""Whether the web page the service would serve at / is built and current (``latentkin demo`` warns)."""

from __future__ import annotations

from pathlib import Path

from latentkin_cli.checkout import CHECKOUT

WEB_SOURCES = CHECKOUT / "web"


def web_page_problem(web_dir: Path, sources: Path = WEB_SOURCES) -> str | None:
    """What is wrong with the built page in ``web_dir`` (missing, or older than ``sources``), or None."""
    built = web_dir / "app.js"
    if not (web_dir / "index.html").is_file() or not built.is_file():
        return (
            f"the web page is not built ({web_dir} has no index.html / app.js), so / serves only a list of "
            "links: run `npm run build:web` (scripts/setup.sh does)"
        )
    newest = max((p.stat().st_mtime for p in sources.rglob("*") if p.is_file()), default=0.0)
    if newest > built.stat().st_mtime:
        return f"the web page in {web_dir} is older than its sources in {sources}: run `npm run build:web`"
    return None
