"""The v2 conditional GAN at 128 px: a StyleGAN2-style generator and a residual projection
discriminator. Pure PyTorch, sized for a 2-core CPU.

Generator: the 64-float code latent z (scaled by ``truncation``) and the 8 trait indices y go
through a mapping MLP to a style w. A learned 4x4 constant is refined by modulated 3x3 convs
(weight demodulation, StyleGAN2) at every resolution up to ``size``, each resolution adding its
modulated 1x1 RGB to the upsampled RGB of the one below (skip architecture). No noise inputs:
a genome's picture is a pure function of the genome.

The modulation is computed without per-sample weights ("non-fused"): scale the input channels
by the style, run one shared convolution, rescale the output by the demodulation factor. Same
maths, but one batched conv, which is what a CPU does fast. Activations are channels-last (oneDNN
then reorders nothing), each resolution's upsampling and first conv run as one transposed conv
(see ``_upsampling_kernel``), and the leaky ReLU's sqrt(2) rides on the next conv's style: the
same function, about 1.8x faster per core than the plain graph at the serving chunk of 4. When
rendering (no autograd) the kernels derived from the weights are kept between calls: 1.10-1.18x more.

Trait maps (optional, ``trait_map_channels > 0``): a style says *what* to draw, not *where*, so
thin, local traits (an X for an eye, a frown) came out as dots and lines. Each of the trait values
owns a learned ``trait_map_channels x trait_map_size x trait_map_size`` map; a genome's 8 maps are
summed and added to the activations at ``trait_map_size`` through a zero-initialised 1x1 conv.

Discriminator: residual blocks of spectrally normalised convs halving the resolution, a
minibatch standard deviation channel at 4x4, then a pooled feature h; realism is
``linear(h) + sum_i <embed_i(y_i), h>`` (projection conditioning). With ``part_sizes`` it also
projects on the code-driven parts (eyebrows, nose, clothing cut, background: what the code genes
decide in the reference portrait), scaled by a gain that starts at 0, so the generator is asked to
draw the parts its code names and not one typical face per trait set.

Refining convs (optional, ``g_refine``: how many at which resolutions): one conv per resolution
left the generator shallow where eyes and mouths take shape (32-64 px), so a resolution may add
residual modulated 3x3 convs, ``x + gain * lrelu(conv(x))``, after its own conv (and its trait map),
their per-channel gain starting at 0.

Layout maps (optional, ``layout_channels`` at ``layout_sizes``): soft maps of where the genome puts
each eye, the mouth and the face (:func:`renderer.portrait.regions.layout_maps`, given at the smallest
of ``layout_sizes`` and resized bilinearly for the others) are added to the activations at those
resolutions through zero-initialised 1x1 convs, before the refining convs: a style says what to draw,
the maps say where.

Part atlases (optional, ``atlas_channels`` at ``atlas_sizes``, some of the layout sizes): for each
value of the traits drawn at a part (Eyes, Glasses, Mouth, Facial hair, Hair style), a learnt map in
that part's frame, looked up where the genome puts the part (:mod:`renderer.part_atlas`) and added
through zero-initialised 1x1 convs: the maps say where, the atlases what shape. They need the
layout's frames: the layout input then carries (u, v) of each part after its maps. At ``fine_atlas_sizes``
(larger layout sizes) only the eyes', glasses' and mouth's atlases are looked up: theirs have about a texel a
pixel at 128 px, where the face's have four.

Sub-pixel top (optional, ``subpixel_top``): the top resolution has no conv block of its own. A modulated 3x3
conv on the features one resolution below draws the four sub-pixels of each of their pixels (pixel shuffle)
over the bilinearly upsampled RGB: a learnt 2x upsampling, with no activations at the top size to write and
read back. Grown onto a run, it starts at zero (:mod:`renderer.training.grow`).

All five additions start as the identity, so a network trained without them resumes with them
(:meth:`ModelConfigV2.grafts_onto`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import cast

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from renderer.model import TraitEmbedding, pyramid
from renderer.part_atlas import PartAtlases
from renderer.vocabulary import TRAIT_SIZES


@dataclass
class ModelConfigV2:
    """Everything needed to rebuild the v2 networks (stored in checkpoints and weights)."""

    z_dim: int = 64
    trait_sizes: tuple[int, ...] = TRAIT_SIZES
    embed_dim: int = 32
    w_dim: int = 256
    mapping_layers: int = 3
    size: int = 128
    truncation: float = 1.0
    g_channels: dict[int, int] = field(default_factory=lambda: {4: 256, 8: 192, 16: 128, 32: 64, 64: 32, 128: 12})
    g_convs: dict[int, int] = field(default_factory=lambda: {4: 1, 8: 1, 16: 1, 32: 1, 64: 1, 128: 1})
    d_channels: dict[int, int] = field(default_factory=lambda: {128: 24, 64: 48, 32: 96, 16: 192, 8: 256, 4: 256})
    trait_map_channels: int = 0  # 0: no trait maps
    trait_map_size: int = 32
    part_sizes: tuple[int, ...] = ()  # choices of each code-driven part the discriminator projects on; () = none
    g_refine: dict[int, int] = field(default_factory=dict)  # residual convs added at a resolution; {} = none
    layout_channels: int = 0  # 0: no layout maps
    layout_sizes: tuple[int, ...] = ()  # resolutions the layout maps are added at, smallest first
    atlas_channels: int = 0  # 0: no part atlases; else their channels
    atlas_sizes: tuple[int, ...] = ()  # layout sizes the atlases are looked up at (a lookup costs ~ its pixels)
    fine_atlas_sizes: tuple[int, ...] = ()  # larger layout sizes where only the atlases of the eyes, glasses and
    # mouth are looked up: theirs have ~1 texel a pixel at 128 px, the face's ~4, which would add nothing there
    subpixel_top: bool = False  # the top resolution drawn by a learnt 2x upsampling of the one below, not a block

    # the fields that only add parameters which start as the identity (see grafts_onto)
    GRAFT_FIELDS = (
        "trait_map_channels",
        "trait_map_size",
        "part_sizes",
        "g_refine",
        "layout_channels",
        "layout_sizes",
        "atlas_channels",
        "atlas_sizes",
        "fine_atlas_sizes",
    )

    def to_dict(self) -> dict:
        """JSON-friendly dict (int keys become strings)."""
        d = asdict(self)
        d["trait_sizes"] = list(self.trait_sizes)
        d["part_sizes"] = list(self.part_sizes)
        for key in ("g_channels", "g_convs", "d_channels", "g_refine"):
            d[key] = {str(k): v for k, v in d[key].items()}
        d["layout_sizes"] = list(self.layout_sizes)
        d["atlas_sizes"] = list(self.atlas_sizes)
        d["fine_atlas_sizes"] = list(self.fine_atlas_sizes)
        unsets: tuple[tuple[str, object], ...] = (
            ("g_refine", {}),
            ("layout_channels", 0),
            ("layout_sizes", []),
            ("atlas_channels", 0),
            ("atlas_sizes", []),
            ("fine_atlas_sizes", []),
            ("subpixel_top", False),
        )
        for key, unset in unsets:
            if d[key] == unset:
                del d[key]  # configs without these additions keep the dict they always had
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfigV2:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["trait_sizes"] = tuple(int(x) for x in d["trait_sizes"])
        d["part_sizes"] = tuple(int(x) for x in d.get("part_sizes", ()))
        d["g_refine"] = d.get("g_refine", {})
        d["layout_sizes"] = tuple(int(x) for x in d.get("layout_sizes", ()))
        d["atlas_sizes"] = tuple(int(x) for x in d.get("atlas_sizes", ()))
        d["fine_atlas_sizes"] = tuple(int(x) for x in d.get("fine_atlas_sizes", ()))
        for key in ("g_channels", "g_convs", "d_channels", "g_refine"):
            d[key] = {int(k): int(v) for k, v in d[key].items()}
        return cls(**d)

    def resolutions(self) -> list[int]:
        """4, 8, ..., size."""
        return pyramid(self.size)

    def block_resolutions(self) -> list[int]:
        """The resolutions the generator has a conv block at: all of them, or all but the top with ``subpixel_top``."""
        return self.resolutions()[:-1] if self.subpixel_top else self.resolutions()

    def grafts_onto(self, older: ModelConfigV2) -> bool:
        """True when this config is ``older`` plus trait maps, part projections or refining convs it lacks: a
        checkpoint of ``older`` then loads into these networks, and the new parameters start as the
        identity (zero-initialised 1x1 conv, zero gains)."""
        base = replace(self, **{f: getattr(older, f) for f in self.GRAFT_FIELDS})
        adds_maps = older.trait_map_channels == 0 or (older.trait_map_channels, older.trait_map_size) == (
            self.trait_map_channels,
            self.trait_map_size,
        )
        adds_parts = older.part_sizes in ((), self.part_sizes)
        adds_refine = all(n <= self.g_refine.get(r, 0) for r, n in older.g_refine.items())
        adds_layout = older.layout_channels == 0 or (older.layout_channels, older.layout_sizes) == (
            self.layout_channels,
            self.layout_sizes,
        )
        adds_atlases = (older.atlas_channels, older.atlas_sizes) in ((0, ()), (self.atlas_channels, self.atlas_sizes))
        adds_atlases &= bool(self.atlas_channels) == bool(self.atlas_sizes)
        adds_atlases &= set(self.atlas_sizes) <= set(self.layout_sizes)  # the frames come with the layout
        adds_fine = older.fine_atlas_sizes in ((), self.fine_atlas_sizes) and (
            not self.fine_atlas_sizes
            or bool(self.atlas_sizes)
            and set(self.fine_atlas_sizes) <= set(self.layout_sizes)
            and min(self.fine_atlas_sizes) > max(self.atlas_sizes)
        )
        blocks = set(self.block_resolutions())  # a sub-pixel top has no activations to add to
        at_blocks = {*self.g_refine, *self.layout_sizes, *self.fine_atlas_sizes} <= blocks
        return (
            base == older
            and self != older
            and at_blocks
            and adds_maps
            and adds_parts
            and adds_refine
            and adds_layout
            and adds_atlases
            and adds_fine
        )


class ModulatedConv(nn.Module):
    """k x k conv whose input channels are scaled by a style; demodulated unless ``demodulate=False``."""

    def __init__(self, cin: int, cout: int, w_dim: int, kernel: int = 3, demodulate: bool = True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.affine = nn.Linear(w_dim, cin)
        nn.init.zeros_(self.affine.weight)
        nn.init.ones_(self.affine.bias)  # styles start at 1
        self.gain = 1 / math.sqrt(cin * kernel * kernel)  # equalised learning rate
        self.demodulate = demodulate
        self.padding = kernel // 2
        self._cached_kernels: tuple | None = None  # (weight, (version, transposed), kernels): see _kernels

    def forward(
        self, x: torch.Tensor, w: torch.Tensor, input_gain: float = 1.0, upsample: bool = False
    ) -> torch.Tensor:
        """The conv of ``x * input_gain`` (first upsampled 2x, nearest, if ``upsample``) modulated by the
        style of ``w``. The gain rides on the style, so the activation's scaling costs no pass over ``x``
        (the demodulation uses the style without it)."""
        style = self.affine(w)  # B, cin
        transposed = upsample and x.shape[-1] >= _TRANSPOSED_FROM
        kernel, energy_weights = self._kernels(transposed)
        x = x * (style * input_gain)[:, :, None, None]
        if transposed:
            x = F.conv_transpose2d(x, kernel, stride=2, padding=1)
        else:
            if upsample:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = F.conv2d(x, kernel, padding=self.padding)
        if self.demodulate:
            energy = style.square() @ energy_weights  # B, cout
            return torch.addcmul(self.bias[None, :, None, None], x, torch.rsqrt(energy + 1e-8)[:, :, None, None])
        return x + self.bias[None, :, None, None]

    def _kernels(self, transposed: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """(the conv's or transposed conv's kernel, the (cin, cout) squared weights the demodulation sums):
        pure functions of the weight. Without autograd (rendering) they are kept while the weight stays
        the same tensor at the same version, which saves ~15% of a render; an in-place update (EMA,
        ``load_state_dict``) or a new weight computes them anew."""
        weight, rendering = self.weight, not torch.is_grad_enabled()
        cached = self._cached_kernels
        if rendering and cached is not None and cached[0] is weight and cached[1] == (weight._version, transposed):
            return cached[2]
        scaled = weight * self.gain
        kernel = _upsampling_kernel(scaled) if transposed else scaled.contiguous(memory_format=torch.channels_last)
        kernels = (kernel, scaled.square().sum(dim=(2, 3)).t())
        if rendering:
            self._cached_kernels = (weight, (weight._version, transposed), kernels)
        return kernels


# Nearest 2x upsampling then a 3x3 conv equals one stride-2 transposed conv with a 4x4 kernel: along each
# axis, output 2m reads inputs m-1, m with taps (w[0], w[1] + w[2]) and output 2m+1 reads m, m+1 with
# (w[0] + w[1], w[2]); this matrix maps the 3 taps to the 4 of the transposed kernel. Same sums, 4/9 of
# the multiplications; faster on a CPU from 16x16 inputs up (oneDNN's small transposed convs are slower).
_UPSAMPLE_TAPS = torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
_TRANSPOSED_FROM = 16


def _upsampling_kernel(weight: torch.Tensor) -> torch.Tensor:
    """The (cin, cout, 4, 4) transposed-conv kernel of nearest 2x upsampling then ``weight`` (cout, cin, 3, 3)."""
    taps = _UPSAMPLE_TAPS.to(weight)
    return (taps @ weight @ taps.t()).transpose(0, 1).contiguous(memory_format=torch.channels_last)


class RefiningConv(nn.Module):
    """``x + gain * lrelu(conv(x))``: a modulated 3x3 conv added to the activations, per-channel gain from 0."""

    def __init__(self, channels: int, w_dim: int):
        super().__init__()
        self.conv = ModulatedConv(channels, channels, w_dim)
        self.gain = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor, w: torch.Tensor, input_gain: float) -> torch.Tensor:
        """``x`` (scaled as the generator's activations are, ``input_gain`` still to apply) plus the refinement."""
        refinement = F.leaky_relu_(self.conv(x, w, input_gain), 0.2)
        return torch.addcmul(x, refinement, self.gain[None, :, None, None])


class GeneratorV2(nn.Module):
    """(z: (B, z_dim) float, y: (B, 8) long) -> (B, 3, size, size) in [-1, 1]."""

    trait_offsets: torch.Tensor  # a buffer (with trait maps): where each trait's values start among all values

    def __init__(self, cfg: ModelConfigV2):
        super().__init__()
        self.cfg = cfg
        self.embed = TraitEmbedding(cfg.trait_sizes, cfg.embed_dim)
        dims = [cfg.z_dim + cfg.embed_dim * len(cfg.trait_sizes)] + [cfg.w_dim] * cfg.mapping_layers
        layers: list[nn.Module] = []
        for a, b in zip(dims[:-1], dims[1:], strict=False):
            layers += [nn.Linear(a, b), nn.LeakyReLU(0.2)]
        self.mapping = nn.Sequential(*layers)
        res = cfg.block_resolutions()
        self.const = nn.Parameter(torch.randn(1, cfg.g_channels[4], 4, 4))
        self.convs = nn.ModuleList()
        self.to_rgb = nn.ModuleList()
        cin = cfg.g_channels[4]
        for r in res:
            cout = cfg.g_channels[r]
            self.convs.append(
                nn.ModuleList(ModulatedConv(cin if k == 0 else cout, cout, cfg.w_dim) for k in range(cfg.g_convs[r]))
            )
            self.to_rgb.append(ModulatedConv(cout, 3, cfg.w_dim, kernel=1, demodulate=False))
            cin = cout
        self.refine = nn.ModuleDict(
            {
                str(r): nn.ModuleList(RefiningConv(cfg.g_channels[r], cfg.w_dim) for _ in range(n))
                for r, n in cfg.g_refine.items()
                if n
            }
        )
        if cfg.trait_map_channels:
            self.trait_maps = nn.Parameter(
                torch.randn(sum(cfg.trait_sizes), cfg.trait_map_channels, cfg.trait_map_size, cfg.trait_map_size)
            )
            self.trait_inject = nn.Conv2d(cfg.trait_map_channels, cfg.g_channels[cfg.trait_map_size], 1)
            nn.init.zeros_(self.trait_inject.weight)
            nn.init.zeros_(self.trait_inject.bias)  # type: ignore[arg-type]  # Conv2d(bias=True) has a bias
            self.register_buffer("trait_offsets", torch.tensor([0, *cfg.trait_sizes[:-1]]).cumsum(0), persistent=False)
        self.layout_inject = nn.ModuleDict(
            {str(r): nn.Conv2d(cfg.layout_channels, cfg.g_channels[r], 1) for r in cfg.layout_sizes}
            if cfg.layout_channels
            else {}
        )
        self.atlases = PartAtlases(cfg.trait_sizes, cfg.atlas_channels) if cfg.atlas_channels else None
        self.atlas_inject = nn.ModuleDict(
            {
                str(r): nn.Conv2d(cfg.atlas_channels, cfg.g_channels[r], 1)
                for r in (*cfg.atlas_sizes, *cfg.fine_atlas_sizes)
            }
            if cfg.atlas_channels
            else {}
        )
        # the top resolution's RGB as 4 sub-pixels of each pixel below it: a modulated 3x3 conv, pixel-shuffled
        self.subpixel = ModulatedConv(cin, 3 * 4, cfg.w_dim, demodulate=False) if cfg.subpixel_top else None
        for conv in (*self.layout_inject.values(), *self.atlas_inject.values()):
            assert isinstance(conv, nn.Conv2d)
            nn.init.zeros_(conv.weight)
            nn.init.zeros_(conv.bias)  # type: ignore[arg-type]  # Conv2d(bias=True) has a bias

    def style(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The style vector w (B, w_dim)."""
        return self.mapping(torch.cat([z * self.cfg.truncation, self.embed(y)], dim=1))

    def trait_map(self, y: torch.Tensor) -> torch.Tensor:
        """The sum of the 8 trait values' maps, through the 1x1 conv: (B, channels, r, r) at r = trait_map_size."""
        maps = self.trait_maps[(y + self.trait_offsets).flatten()]
        maps = maps.view(y.shape[0], y.shape[1], *maps.shape[1:]).sum(dim=1)
        return self.trait_inject(maps.contiguous(memory_format=torch.channels_last))

    def forward(self, z: torch.Tensor, y: torch.Tensor, layout: torch.Tensor | None = None) -> torch.Tensor:
        """The pictures of latents ``z`` and trait values ``y``; ``layout`` (B, layout_channels, s, s) at the smallest
        layout size s is required when the config has layout maps (with part atlases, the parts' frames follow the
        maps: :func:`renderer.portrait.regions.layout_maps` ``with_frames``)."""
        if self.cfg.layout_channels and layout is None:
            raise ValueError("this generator draws from layout maps: pass layout")
        if layout is not None:  # once, not at each layout size: resizing channels-last is ~3x faster
            layout = layout.contiguous(memory_format=torch.channels_last)
        w = self.style(z, y)
        # channels-last all the way: oneDNN's convolutions then need no layout reorders (~1.5x on a CPU).
        x = self.const.expand(z.shape[0], -1, -1, -1).contiguous(memory_format=torch.channels_last)
        gain = 1.0  # the sqrt(2) of each leaky ReLU, applied by the next conv's style instead of a pass over x
        rgb: torch.Tensor | None = None
        for k, (convs, to_rgb) in enumerate(zip(self.convs, self.to_rgb, strict=False)):
            for j, conv in enumerate(cast(nn.ModuleList, convs)):
                x = F.leaky_relu_(conv(x, w, gain, upsample=k > 0 and j == 0), 0.2)
                gain = math.sqrt(2)
            if self.cfg.trait_map_channels and x.shape[-1] == self.cfg.trait_map_size:
                x = x + self.trait_map(y) / math.sqrt(2)  # the next conv's gain restores its scale
            if layout is not None and str(x.shape[-1]) in self.layout_inject:
                x = x + self._layout_at(layout, y, x.shape[-1]) / math.sqrt(2)
            for refining in (
                cast(nn.ModuleList, self.refine[str(x.shape[-1])]) if str(x.shape[-1]) in self.refine else ()
            ):
                x = refining(x, w, gain)
            out = to_rgb(x, w, gain)
            rgb = out if rgb is None else out + _upsampled(rgb)
        assert rgb is not None  # a generator has at least one resolution
        if self.subpixel is not None:
            rgb = F.pixel_shuffle(self.subpixel(x, w, gain), 2) + _upsampled(rgb)
        return torch.tanh(rgb)

    def _layout_at(self, layout: torch.Tensor, y: torch.Tensor, size: int) -> torch.Tensor:
        """The layout maps (``layout`` channels-last) through ``size``'s 1x1 conv, resized to ``size``, plus the part
        atlases looked up in the resized frames through theirs."""
        maps, frames = layout[:, : self.cfg.layout_channels], layout[:, self.cfg.layout_channels :]
        # A 1x1 conv and a bilinear resize commute (each output pixel is a weighted mean of inputs, weights summing
        # to 1), so the conv runs at the layout's own size, on 1/4 or 1/16 of the pixels.
        out = _resized(self.layout_inject[str(size)](maps.contiguous(memory_format=torch.channels_last)), size)
        if self.atlases is not None and str(size) in self.atlas_inject:
            looked_up = self.atlases(_resized(frames, size), y, face=size not in self.cfg.fine_atlas_sizes)
            out = out + self.atlas_inject[str(size)](looked_up.contiguous(memory_format=torch.channels_last))
        return out


def _upsampled(rgb: torch.Tensor) -> torch.Tensor:
    """A picture twice the size, bilinearly: the skip connection from one resolution's RGB to the next's."""
    return F.interpolate(rgb, scale_factor=2, mode="bilinear", align_corners=False)


def _resized(maps: torch.Tensor, size: int) -> torch.Tensor:
    """``maps`` (B, C, s, s) resized bilinearly to ``size`` (exact for the frames, which are affine in x and y)."""
    if maps.shape[-1] == size:
        return maps
    return F.interpolate(maps, size=(size, size), mode="bilinear", align_corners=False)


class _ResBlockDown(nn.Module):
    """conv at r -> pool -> conv at r/2, plus a pooled 1x1 skip (pooling first keeps the second conv cheap)."""

    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.conv1 = spectral_norm(nn.Conv2d(cin, cin, 3, padding=1))
        self.conv2 = spectral_norm(nn.Conv2d(cin, cout, 3, padding=1))
        self.skip = spectral_norm(nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.avg_pool2d(self.conv1(F.leaky_relu(x, 0.2)), 2)
        h = self.conv2(F.leaky_relu(h, 0.2))
        return (h + self.skip(F.avg_pool2d(x, 2))) / math.sqrt(2)


class DiscriminatorV2(nn.Module):
    """(x: (B, 3, size, size), y: (B, 8) long) -> realism score (B,)."""

    def __init__(self, cfg: ModelConfigV2):
        super().__init__()
        self.cfg = cfg
        res = cfg.resolutions()[::-1]  # size, ..., 4
        c = cfg.d_channels
        self.from_rgb = spectral_norm(nn.Conv2d(3, c[cfg.size], 3, stride=2, padding=1))  # straight to size/2
        self.blocks = nn.ModuleList(_ResBlockDown(c[2 * r], c[r]) for r in res[1:-1])  # ends at 4x4 with c[8]
        self.last = spectral_norm(nn.Conv2d(c[8] + 1, c[4], 3, padding=1))
        h_dim = c[4]
        self.score = spectral_norm(nn.Linear(h_dim, 1))
        self.project = nn.ModuleList(spectral_norm(nn.Embedding(n, h_dim)) for n in cfg.trait_sizes)
        if cfg.part_sizes:
            self.part_project = nn.ModuleList(spectral_norm(nn.Embedding(n, h_dim)) for n in cfg.part_sizes)
            self.part_gain = nn.Parameter(torch.zeros(()))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Pooled feature h (B, h_dim)."""
        x = self.from_rgb(x.contiguous(memory_format=torch.channels_last))  # ~1.5x on a CPU, as in the generator
        for block in self.blocks:
            x = block(x)
        std = x.std(dim=0, unbiased=False).mean().expand(x.shape[0], 1, *x.shape[2:])  # minibatch std
        x = F.leaky_relu(self.last(torch.cat([x, std], dim=1)), 0.2)
        return x.sum(dim=(2, 3))

    def forward(self, x: torch.Tensor, y: torch.Tensor, parts: torch.Tensor | None = None) -> torch.Tensor:
        """Realism of images x (B, 3, size, size) for traits y (B, 8) and, when the config has
        ``part_sizes``, the code-driven parts (B, len(part_sizes)) their genomes name."""
        h = self.features(x)
        score = self.score(h).squeeze(1)
        for i, table in enumerate(self.project):
            score = score + (table(y[:, i]) * h).sum(dim=1)
        if self.cfg.part_sizes:
            if parts is None:
                raise ValueError("this discriminator projects on the code-driven parts: pass parts")
            by_part = sum((table(parts[:, j]) * h).sum(dim=1) for j, table in enumerate(self.part_project))
            score = score + self.part_gain * by_part
        return score
