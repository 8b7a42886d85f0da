"""Renderer errors, under latentkin's one exception hierarchy."""

from latentkin_core.errors import LatentkinError


class RendererError(LatentkinError):
    """Root of the renderer's errors."""


class RendererLoadError(RendererError):
    """Shipped weights or a table file are missing, corrupt, or do not fit the model."""


class InvalidRenderSizeError(RendererError, ValueError):
    """A requested image size is outside the allowed range."""


class TableError(RendererError, ValueError):
    """A correspondence table file is malformed or disagrees with the trait vocabulary."""
