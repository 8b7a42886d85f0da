"""The root of latentkin's one exception hierarchy, and the errors of the core itself.

Every layer derives its errors from :class:`LatentkinError` (the service maps each subclass to an
HTTP status in one handler), so the root lives here, below all of them.
"""


class LatentkinError(Exception):
    """Root of every error latentkin raises on purpose."""


class InvalidGenomeError(LatentkinError, ValueError):
    """A genome (code, attrs, hex or bytes) is out of range or malformed."""


class InvalidFusionModeError(LatentkinError, ValueError):
    """A fusion mode is neither crossover (0) nor blend (1)."""
