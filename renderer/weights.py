"""The shipped weights format: a safetensors file that describes the generator it holds.

The metadata carries ``format`` (:data:`FORMAT` for the v1 generator, :data:`FORMAT_V2` for the
v2 one, :data:`FORMAT_V3` for the v3 one: v2's network trained on latentkin's own portraits, read
with table v2 and its gene map), the model ``config`` as JSON and, for exported training runs,
``step`` and ``train_config``; a sibling ``.json`` repeats it for humans and tools.
Weights are stored as float16 (half the bytes; the renderer computes in float32). Serving reads
this format, the exporter (:mod:`renderer.export`) writes it; neither needs the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file

from renderer.errors import RendererLoadError
from renderer.model import Generator, ModelConfig
from renderer.model_v2 import GeneratorV2, ModelConfigV2
from renderer.table import TABLE_V1, TABLE_V2

FORMAT = "latentkin-generator-v1"
FORMAT_V2 = "latentkin-generator-v2"
FORMAT_V3 = "latentkin-generator-v3"
WEIGHTS_V1 = Path(__file__).parent / "data" / "generator_v1.safetensors"
WEIGHTS_V2 = Path(__file__).parent / "data" / "generator_v2.safetensors"
WEIGHTS_V3 = Path(__file__).parent / "data" / "generator_v3.safetensors"
DEFAULT_WEIGHTS = WEIGHTS_V2  # what Renderer.load() and the service draw with unless told otherwise
SHIPPED_WEIGHTS = (WEIGHTS_V1, WEIGHTS_V2, WEIGHTS_V3)  # the service serves each that exists, by hash
# format tag -> (config class, generator class) of the network a file holds
ARCHITECTURES: dict[str, tuple[type[ModelConfig] | type[ModelConfigV2], type[Generator] | type[GeneratorV2]]] = {
    FORMAT: (ModelConfig, Generator),
    FORMAT_V2: (ModelConfigV2, GeneratorV2),
    FORMAT_V3: (ModelConfigV2, GeneratorV2),
}
# format tag -> the correspondence table its generator reads (hashed with the weights)
TABLES = {FORMAT: TABLE_V1, FORMAT_V2: TABLE_V1, FORMAT_V3: TABLE_V2}
# format tag -> the style of reference portrait its generator imitates (renderer.paired_corpus.STYLES)
REFERENCE_STYLES = {FORMAT: "avatars", FORMAT_V2: "avatars", FORMAT_V3: "latentkin"}


@dataclass(frozen=True)
class Weights:
    """A weights file as read: its bytes (what the renderer hash covers), metadata and tensors."""

    path: Path
    raw: bytes
    metadata: dict[str, str]
    tensors: dict[str, torch.Tensor]

    @property
    def format(self) -> str:
        """The format tag (one of :data:`ARCHITECTURES`)."""
        return self.metadata["format"]

    @property
    def table_path(self) -> Path:
        """The correspondence table this generator reads unless told otherwise."""
        return TABLES[self.format]

    @property
    def reference_style(self) -> str:
        """The style of reference portrait this generator was trained to imitate."""
        return REFERENCE_STYLES[self.format]

    @property
    def config(self) -> ModelConfig | ModelConfigV2:
        """The generator config the file describes (RendererLoadError if it has none)."""
        config_class, _ = ARCHITECTURES[self.metadata["format"]]
        try:
            return config_class.from_dict(json.loads(self.metadata["config"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise RendererLoadError(f"{self.path} does not fit the generator it describes: {exc}") from None

    def generator(self) -> Generator | GeneratorV2:
        """The generator built from the file's config with its tensors (in float32, eval mode)."""
        cfg = self.config
        _, generator_class = ARCHITECTURES[self.metadata["format"]]
        try:
            generator = generator_class(cfg)  # type: ignore[arg-type]  # ARCHITECTURES pairs each config with its class
            generator.load_state_dict({k: v.float() for k, v in self.tensors.items()}, strict=True)
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            raise RendererLoadError(f"{self.path} does not fit the generator it describes: {exc}") from None
        return generator.eval().requires_grad_(False)


def read_weights(path: str | Path | None = None) -> Weights:
    """Read a weights file (``None``: :data:`DEFAULT_WEIGHTS`) and check its format tag.

    Raises :class:`RendererLoadError` if it is missing, not safetensors, or of another format.
    """
    path = Path(path) if path is not None else DEFAULT_WEIGHTS
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RendererLoadError(f"cannot read renderer weights {path}: {exc.strerror or exc}") from None
    try:
        with safe_open(str(path), framework="pt") as f:
            metadata = dict(f.metadata() or {})
            tensors = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118  (safe_open is not iterable)
    except (SafetensorError, ValueError, OSError) as exc:
        raise RendererLoadError(f"{path} is not a valid safetensors file: {exc}") from None
    if metadata.get("format") not in ARCHITECTURES:
        raise RendererLoadError(
            f"{path}: expected format {' or '.join(map(repr, ARCHITECTURES))}, got {metadata.get('format')!r}"
        )
    return Weights(path, raw, metadata, tensors)


def write_weights(tensors: dict[str, torch.Tensor], metadata: dict[str, str], out: str | Path) -> Path:
    """Atomically write safetensors ``out`` with ``metadata``, and its sibling ``.json``."""
    out = Path(out)
    sidecar = {
        "format": metadata["format"],
        "step": int(metadata.get("step", 0)),
        "model": json.loads(metadata["config"]),
        "train": json.loads(metadata.get("train_config", "{}")),
        "parameters": sum(v.numel() for v in tensors.values()),
    }  # built first: a bad meta writes nothing
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    save_file(tensors, str(tmp), metadata=metadata)
    tmp.replace(out)
    out.with_suffix(".json").write_text(json.dumps(sidecar, indent=1, sort_keys=True) + "\n")
    return out


def check_truncation(truncation: float) -> None:
    """Raise ValueError unless 0 < ``truncation`` <= 1."""
    if not 0 < truncation <= 1:
        raise ValueError(f"truncation must be in (0, 1], got {truncation}")


def set_truncation(weights_path: str | Path, truncation: float, out_path: str | Path | None = None) -> Path:
    """Rewrite exported weights with another render-time ``truncation`` (tensors unchanged).

    For weights whose training checkpoint is gone; writes ``out_path`` (default: in place).
    Refuses a missing or corrupt file, or one that does not fit its generator, with
    :class:`RendererLoadError`.
    """
    check_truncation(truncation)
    weights = read_weights(weights_path)
    weights.generator()  # the tensors fit the config they are shipped with
    metadata = dict(weights.metadata)
    model = json.loads(metadata["config"])
    model["truncation"] = truncation
    metadata["config"] = json.dumps(model, sort_keys=True)
    return write_weights(weights.tensors, metadata, out_path or weights_path)
