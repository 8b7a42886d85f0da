"""One exception hierarchy for latentkin; the service maps each subclass to an HTTP status."""


class LatentkinError(Exception):
    """Root of every error latentkin raises on purpose."""


class InvalidGenomeError(LatentkinError, ValueError):
    """A genome (code, attrs, hex or bytes) is out of range or malformed."""
