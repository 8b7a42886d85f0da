"""The shape of the code: one direction of dependencies, no import cycles, training off the serving path.

Layers, lowest first: ``latentkin_core`` (genome codec, fusion rule, root error) -> ``renderer``
-> ``offchain`` (the service) -> ``latentkin_cli`` (command lines). A module may import its own layer
and the layers below, never one above; and no two modules import each other, directly or
around a loop (imports inside functions count too: they are read from the source with ast).

Inside ``offchain`` the subpackages are layered the same way (``OFFCHAIN_LAYERS``): settings, errors and
the keccak backend choice, then a token and its metadata, the chain, the store (index database), the market, deploying,
the indexer, rendering, and the HTTP API on top. Test and dev-chain tools (eth-tester, py-evm) are
never a runtime import, and ``latentkin_core`` needs nothing but the standard library and numpy-free
pure Python (no typer, no web3).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAYERS = ("latentkin_core", "renderer", "offchain", "latentkin_cli")
OFFCHAIN_LAYERS = (
    ("offchain", "offchain.settings", "offchain.errors", "offchain.keccak_backend"),
    ("offchain.token",),
    ("offchain.chain",),
    ("offchain.store",),
    ("offchain.market",),
    ("offchain.deploy",),
    ("offchain.index",),
    ("offchain.render",),
    ("offchain.api",),
)
DEV_ONLY = ("eth_tester", "eth")  # the in-process chain of the tests (tests/support/devchain.py)

# What serving a genome needs: the model, the table and the weights format, nothing of training.
SERVING = ("renderer.render", "renderer.table", "renderer.weights", "renderer.model", "renderer.model_v2")
TRAINING = (
    "renderer.avatars",
    "renderer.export",
    "renderer.training",
    "renderer.code_measures",
    "renderer.distances",
    "renderer.traits",
    "renderer.losses",
    "renderer.sheets",
    "renderer.paired_corpus",
    "renderer.reader",
    "renderer.independent_eval",
    "python_avatars",
    "cairosvg",
    "resvg_py",
)  # (tqdm is not listed: torch.hub imports it)


def _modules() -> dict[str, Path]:
    out = {}
    for layer in LAYERS:
        for path in (REPO / layer).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its source."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_no_module_imports_a_layer_above_its_own():
    upward = sorted(f"{m} -> {t}" for m, targets in _graph().items() for t in targets if _layer(t) > _layer(m))
    assert upward == []


def _offchain_layer(module: str) -> int:
    for rank, layer in enumerate(OFFCHAIN_LAYERS):  # the first layer is modules, the others packages
        if module in layer or (rank and any(module.startswith(name + ".") for name in layer)):
            return rank
    raise AssertionError(f"{module} is in no layer of OFFCHAIN_LAYERS: add it")


def test_offchain_subpackages_import_only_downward():
    graph = _graph()
    offchain = [m for m in graph if m.split(".")[0] == "offchain"]
    ranks = {m: _offchain_layer(m) for m in offchain}
    upward = sorted(f"{m} -> {t}" for m in offchain for t in graph[m] if t in ranks and ranks[t] > ranks[m])
    assert upward == []


def _external_imports(path: Path) -> list[tuple[str, bool]]:
    """Top-level names of the modules ``path`` imports, each with whether an ``except ImportError`` guards it."""
    tree = ast.parse(path.read_text())
    guarded = {
        id(node)
        for tr in ast.walk(tree)
        if isinstance(tr, ast.Try)
        and any(isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in tr.handlers)
        for stmt in tr.body
        for node in ast.walk(stmt)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], id(node) in guarded) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.append((node.module.split(".")[0], id(node) in guarded))
    return found


def test_runtime_never_needs_the_dev_chain():
    """eth-tester and py-evm are test dependencies: the service and command line may only try them."""
    needed = sorted(
        f"{name} imports {top}"
        for name, path in _modules().items()
        if _layer(name) >= 2
        for top, guarded in _external_imports(path)
        if top in DEV_ONLY and not guarded
    )
    assert needed == []


def test_the_service_never_compiles():
    """Compiling (Node, Hardhat, a checkout) is a build step: only tests and benchmarks use offchain.chain.hardhat."""
    compiling = sorted(
        f"{m} -> {t}" for m, targets in _graph().items() for t in targets if t == "offchain.chain.hardhat" and m != t
    )
    assert compiling == []


def test_core_has_no_command_line_or_chain_dependencies():
    core = {top for name, path in _modules().items() if _layer(name) == 0 for top, _ in _external_imports(path)}
    assert sorted(core & {"typer", "click", "rich", "web3", "fastapi", "torch", "eth_tester"}) == []


def test_no_import_cycles_between_modules():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert cycles == []


def _loaded_after(code: str) -> set[str]:
    """The modules ``sys.modules`` holds after running ``code`` in a fresh interpreter."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": f"{REPO}:{REPO / 'tests'}", "PATH": "/usr/bin:/bin"},
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", SERVING)
def test_serving_modules_do_not_load_training(module):
    loaded = _loaded_after(f"import {module}")
    assert module in loaded
    assert sorted(loaded & set(TRAINING)) == []


def test_the_service_runs_without_torch(tmp_path):
    """The service (app, index, images through a protocol-conforming renderer) never imports torch."""
    code = f"""
from fastapi.testclient import TestClient
from offchain.api.main import create_app
from offchain.settings import Settings
from support.renderers import PixelRenderer
settings = Settings(rpc_url="http://127.0.0.1:9", database_url="sqlite:///{tmp_path}/index.sqlite3",
                    cache_dir="{tmp_path}/cache", deployments_dir="{tmp_path}", web_dir="{tmp_path}/no-web",
                    index_in_service=False)
with TestClient(create_app(settings, renderer=PixelRenderer())) as client:
    assert client.get("/genomes/{"ab" * 40}/image.png").status_code == 200
    assert client.get("/healthz").status_code == 200
"""
    loaded = _loaded_after(code)
    assert "offchain.api.main" in loaded and "renderer.table" in loaded
    assert "torch" not in loaded and "renderer.render" not in loaded
