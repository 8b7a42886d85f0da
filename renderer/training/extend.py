"""Extending a v3 run where it stands: refining convs (``ModelConfigV2.g_refine``), layout maps
(``layout_channels``, ``layout_sizes``) or part atlases (``atlas_channels``, ``atlas_sizes``) added to its generator.

The run's checkpoint becomes the checkpoint of the extended networks at the same step: every weight and
every Adam moment it had is kept, the new parameters start as the identity (so the generator draws
exactly what it drew) and their moments start empty, as Adam starts any parameter. The stream, the step
count and the RNG state are untouched, so the run resumes on the batches it would have seen next.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from renderer.model_v2 import GeneratorV2, ModelConfigV2
from renderer.portrait.regions import LAYOUT_CHANNELS
from renderer.training.checkpoint import carry_moments, full_optimizer, with_networks
from renderer.training.loop import TrainConfigV3, generator_optimizer

_ADDED = ("refine.", "layout_inject.", "atlases.", "atlas_inject.")  # what an extension's parameters are called


def extend_checkpoint(
    ck: dict,
    g_refine: dict[int, int] | None = None,
    layout_sizes: tuple[int, ...] | None = None,
    atlases: tuple[int, tuple[int, ...]] | None = None,
    fine_atlas_sizes: tuple[int, ...] | None = None,
) -> dict:
    """The full checkpoint of run checkpoint ``ck`` (full or compact) whose generators have ``g_refine`` refining
    convs, layout maps at ``layout_sizes``, part ``atlases`` (channels, sizes) and/or the eyes', glasses' and
    mouth's atlases at ``fine_atlas_sizes`` too (None: as the run has them). A ValueError when that adds nothing,
    takes something away, names a resolution the generator lacks or asks for atlases where there are no layout
    maps (their frames come with the layout) or fine ones at or below the others."""
    cfg = TrainConfigV3.from_dict(ck["config"])
    old_model = cfg.model
    new_model = old_model
    if g_refine is not None:
        new_model = replace(new_model, g_refine={r: n for r, n in g_refine.items() if n})
    if layout_sizes is not None:
        sizes = tuple(sorted(layout_sizes))
        new_model = replace(new_model, layout_channels=LAYOUT_CHANNELS if sizes else 0, layout_sizes=sizes)
    if atlases is not None:
        new_model = replace(new_model, atlas_channels=atlases[0], atlas_sizes=tuple(sorted(atlases[1])))
    if fine_atlas_sizes is not None:
        new_model = replace(new_model, fine_atlas_sizes=tuple(sorted(fine_atlas_sizes)))
    if not new_model.grafts_onto(old_model):  # which also refuses sizes the generator has no block at
        raise ValueError(
            f"refining convs {new_model.g_refine or 'none'}, layout maps at {new_model.layout_sizes or 'none'} and "
            f"{new_model.atlas_channels} atlas channels at {new_model.atlas_sizes or 'none'} (fine at "
            f"{new_model.fine_atlas_sizes or 'none'}) do not add to the run's ({old_model.g_refine or 'none'}, "
            f"{old_model.layout_sizes or 'none'}, {old_model.atlas_channels}, {old_model.fine_atlas_sizes or 'none'}) "
            "or have atlases where there are no layout maps"
        )
    old_G, old_opt_g = loaded_generator(old_model, ck, cfg)
    new_cfg = replace(cfg, model=new_model)
    G, G_ema = GeneratorV2(new_model), GeneratorV2(new_model)
    for net, part in ((G, "G"), (G_ema, "G_ema")):
        missing, unexpected = net.load_state_dict({k: v.float() for k, v in ck[part].items()}, strict=False)
        assert not unexpected and all(k.startswith(_ADDED) for k in missing), missing
    opt_g = generator_optimizer(new_cfg, G)
    carry_moments(old_G, old_opt_g, G, opt_g)
    return with_networks(
        ck,
        new_cfg.to_dict(),
        G=G.state_dict(),
        G_ema=G_ema.state_dict(),
        D={k: v.float() for k, v in ck["D"].items()},
        opt_g=opt_g.state_dict(),
        opt_d=full_optimizer(ck["opt_d"]),
    )


def loaded_generator(model: ModelConfigV2, ck: dict, cfg: TrainConfigV3) -> tuple[GeneratorV2, torch.optim.Adam]:
    """Run checkpoint ``ck``'s generator G and its optimiser, loaded (to carry its moments over by name)."""
    G = GeneratorV2(model)
    G.load_state_dict({k: v.float() for k, v in ck["G"].items()})
    opt_g = generator_optimizer(cfg, G)
    opt_g.load_state_dict(full_optimizer(ck["opt_g"]))
    return G, opt_g


def parse_refine(text: str) -> dict[int, int]:
    """``"32:1,64:1"`` -> {32: 1, 64: 1}: how many refining convs at each resolution."""
    try:
        pairs = [item.split(":") for item in text.split(",") if item.strip()]
        return {int(r): int(n) for r, n in pairs}
    except ValueError as exc:
        raise ValueError(f"refining convs are RESOLUTION:COUNT pairs like 32:1,64:1, not {text!r}") from exc


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"32,64"`` -> (32, 64): the resolutions layout maps are added at."""
    try:
        return tuple(int(item) for item in text.split(",") if item.strip())
    except ValueError as exc:
        raise ValueError(f"layout sizes are resolutions like 32,64, not {text!r}") from exc
