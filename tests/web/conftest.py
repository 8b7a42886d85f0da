"""Browser-test fixtures: a real `hardhat node`, the contract deployed on it, the real service under
uvicorn serving the built page, and Debian's chromium driven by Playwright with a test wallet
(tests/web/wallet_shim.js) injected as window.ethereum.

Nothing is downloaded: chromium comes from Debian (`bash scripts/setup.sh --test`), the page is
built by `npm run build:web`. Screenshots land in var/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from web3 import Web3

from offchain.chain.artifacts import latentkin_at
from offchain.chain.deployment import deployment_path
from offchain.deploy.latentkin import deploy
from support.chain import NODE_FUSION_FEE, NODE_MINT_PRICE, NodeChain, hardhat_node
from support.net import free_port, wait_until

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DIST = REPO / "offchain" / "web" / "dist"
SHIM = Path(__file__).with_name("wallet_shim.js")
SCREENSHOTS = REPO / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]  # small /dev/shm in containers would crash the renderer

MINT_CAP = 20
HARDHAT_CHAIN_ID = 31337  # hardhat node


def wait_for(check, timeout: float, what: str, proc: subprocess.Popen | None = None, log: Path | None = None):
    """``support.net.wait_until`` for a service: HTTP errors mean "not yet", a dead process or a
    timeout fails with the end of its log."""
    return wait_until(
        check,
        timeout,
        what,
        interval=0.2,
        ignore=(httpx.HTTPError, OSError, ValueError),
        alive=(lambda: proc.poll() is None) if proc is not None else None,
        details=lambda: log.read_text()[-3000:] if log and log.exists() else "",
    )


def stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, and its children (its process group only)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


# ---------------------------------------------------------------------------------------------
# chain
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def node_url(tmp_path_factory) -> str:
    """A fresh `hardhat node` on a free port of 127.0.0.1 (automine; dev accounts unlocked)."""
    with hardhat_node(tmp_path_factory.mktemp("node")) as url:
        yield url


@pytest.fixture(scope="session")
def node_chain(node_url, tmp_path_factory) -> NodeChain:
    """LatentKin on the hardhat node, deployed by dev account 0 with offchain.deploy.latentkin: public mint
    open, owner is a minter, the market (Seaport 1.6, WETH9) beside it (the browser needs a JSON-RPC node,
    not eth-tester)."""
    w3 = Web3(Web3.HTTPProvider(node_url, request_kwargs={"timeout": 30}))
    owner, player, stranger = w3.eth.accounts[:3]
    out_dir = tmp_path_factory.mktemp("deployments")
    deployment = deploy(
        w3,
        owner,
        base_uri="http://127.0.0.1/tokens/",
        contract_uri="http://127.0.0.1/contract",
        fusion_fee=NODE_FUSION_FEE,
        minters=[owner],
        public_mint_price=NODE_MINT_PRICE,
        public_mint_cap=MINT_CAP,
        out_dir=out_dir,
        market=True,
    )
    return NodeChain(
        node_url,
        w3,
        latentkin_at(w3, deployment.address),
        owner,
        player,
        stranger,
        deployment_path(deployment.chain_id, out_dir),
    )


# ---------------------------------------------------------------------------------------------
# service
# ---------------------------------------------------------------------------------------------


def _built_page_is_fresh() -> bool:
    index = DIST / "app.js"
    if not index.exists():
        return False
    sources = [*(REPO / "web").rglob("*"), *(REPO / "contracts").rglob("*.sol")]  # the ABI is bundled
    newest_source = max(p.stat().st_mtime for p in sources if p.is_file())
    return index.stat().st_mtime >= newest_source


@pytest.fixture(scope="session")
def built_page() -> Path:
    """offchain/web/dist, rebuilt with `npm run build:web` when the web or contract sources are newer."""
    if not _built_page_is_fresh():
        result = subprocess.run(["npm", "run", "--silent", "build:web"], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, f"npm run build:web failed:\n{result.stdout}\n{result.stderr}"
    assert (DIST / "index.html").is_file() and (DIST / "app.js").is_file()
    return DIST


@contextmanager
def _service(node_chain, built_page: Path, tmp: Path, **env_extra: str) -> Iterator[str]:
    """The real service (uvicorn) on a free port, indexing the node, serving the page at /; its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        {
            "LATENTKIN_RPC_URL": node_chain.url,
            "LATENTKIN_PUBLIC_RPC_URL": node_chain.url,
            "LATENTKIN_DEPLOYMENT_FILE": str(node_chain.deployment_file),
            "LATENTKIN_DATABASE_URL": f"sqlite:///{tmp / 'index.sqlite3'}",
            "LATENTKIN_CACHE_DIR": str(tmp / "cache"),
            "LATENTKIN_CONFIRMATIONS": "0",
            "LATENTKIN_POLL_INTERVAL": "0.2",
            "LATENTKIN_PUBLIC_BASE_URL": url,
            "LATENTKIN_WEB_DIR": str(built_page),
            "LATENTKIN_RENDER_THREADS": "1",
            **env_extra,
        }
    )
    log = tmp / "uvicorn.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "offchain.api.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: httpx.get(f"{url}/config.json", timeout=5).status_code == 200, 120, "latentkin service", proc, log
        )
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def service_url(node_chain, built_page, tmp_path_factory) -> Iterator[str]:
    """The real service with the shipped renderers (v2 the default), indexing the node, serving the page at /."""
    with _service(node_chain, built_page, tmp_path_factory.mktemp("service")) as url:
        yield url


@pytest.fixture(scope="session")
def v3_service(node_chain, built_page, tmp_path_factory) -> Iterator[tuple[str, bytes]]:
    """(URL, renderer hash) of a second real service that also serves the v3 run's EMA generator, exported from
    the committed resume checkpoint (format v3: table v2 and its gene map), as its default renderer."""
    import hashlib

    from renderer.export import export_generator
    from renderer.table import TABLE_V2
    from renderer.training.loop import RESUME_PATH

    tmp = tmp_path_factory.mktemp("service_v3")
    weights = export_generator(RESUME_PATH, tmp / "generator_v3.safetensors")
    digest = hashlib.sha256(weights.read_bytes() + TABLE_V2.read_bytes()).digest()
    with _service(node_chain, built_page, tmp, LATENTKIN_RENDERER_PATH=str(weights)) as url:
        yield url, digest


@pytest.fixture
def wait_indexed(service_url):
    """wait_indexed(token_id) -> the service's family JSON of the token once it has indexed it."""

    def _wait(token_id: int, timeout: float = 30) -> dict:
        def check():
            r = httpx.get(f"{service_url}/tokens/{token_id}/family?depth=1", timeout=5)
            return r.status_code == 200 and r.json()

        return wait_for(check, timeout, f"index of token {token_id}")

    return _wait


@pytest.fixture
def wait_offers(service_url):
    """wait_offers(fuser, present, absent) -> the service's offers open to ``fuser`` (by token id) once
    its index lists every token of ``present`` and none of ``absent``."""

    def _wait(fuser: str, present: list[int], absent: list[int] = (), timeout: float = 30) -> dict[int, dict]:
        def check():
            items = httpx.get(f"{service_url}/offers", params={"fuser": fuser, "limit": 1000}, timeout=5).json()[
                "items"
            ]
            by_id = {o["token_id"]: o for o in items}
            return set(present) <= set(by_id) and not set(absent) & set(by_id) and by_id

        return wait_for(check, timeout, f"offers open to {fuser}: {present} but not {list(absent)}")

    return _wait


# ---------------------------------------------------------------------------------------------
# browser
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def playwright_driver():
    """Playwright's driver (no browser download: Debian's chromium is launched below). One per test file: its
    sync API keeps an asyncio loop running in the main thread while it is open, so it must close before a test
    that calls asyncio.run() runs in the same process (as under pytest-xdist, where files share a worker)."""
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is missing at /usr/bin/chromium: run `bash scripts/setup.sh --test` "
            "(apt-get install chromium chromium-driver)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def open_page(playwright_driver, node_chain, service_url, tmp_path):
    """open_page(account=player, chain_id="0x7a69", width=1280, path="/", wallet=True) -> a Page of the dApp.

    With ``wallet`` the test wallet (wallet_shim.js) is injected as window.ethereum, else there is none.
    ``announce`` ([{name, rdns, icon}]) adds wallets that announce themselves through EIP-6963, and
    ``legacy=False`` leaves window.ethereum out.

    Every page gets a fresh chromium profile (its own user-data-dir).
    """
    contexts = []

    def _open(
        account: str | None = None,
        chain_id: str = hex(HARDHAT_CHAIN_ID),
        width: int = 1280,
        height: int = 900,
        path: str = "/",
        known_chains: tuple[str, ...] = (hex(HARDHAT_CHAIN_ID), "0x1"),
        wallet: bool = True,
        announce: tuple[dict, ...] = (),
        legacy: bool = True,
    ):
        settings = {
            "rpcUrl": node_chain.url,
            "chainId": chain_id,
            "accounts": [account or node_chain.player],
            "knownChains": list(known_chains),
            "announce": list(announce),
            "legacy": legacy,
        }
        context = playwright_driver.chromium.launch_persistent_context(
            str(tmp_path / f"profile{len(contexts)}"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
            base_url=service_url,
        )
        contexts.append(context)
        if wallet:
            context.add_init_script(f"window.__LATENTKIN_WALLET__ = {json.dumps(settings)};")
            context.add_init_script(path=str(SHIM))
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        page.goto(path)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def shot():
    """shot(page, name) -> full-page screenshot at var/screenshots/<name>.png (a test artifact)."""

    def _shot(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        try:  # let rendered portraits arrive, so the picture shows what a player sees
            page.wait_for_function("() => [...document.images].every((i) => i.complete)", timeout=15_000)
            page.wait_for_load_state("networkidle", timeout=5_000)  # the tree's SVG <image>s too
        except PlaywrightTimeout:
            pass  # a page that polls the chain never goes idle
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
