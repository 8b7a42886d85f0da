"""One exception hierarchy for latentkin; the service maps each subclass to an HTTP status."""


class LatentkinError(Exception):
    """Root of every error latentkin raises on purpose."""


class InvalidGenomeError(LatentkinError, ValueError):
    """A genome (code, attrs, hex or bytes) is out of range or malformed."""


# -- service errors (offchain/api maps each to an HTTP status in one handler) ------------------


class NotFoundError(LatentkinError, LookupError):
    """A token (or other resource) does not exist."""


class InvalidRequestError(LatentkinError, ValueError):
    """A request parameter is well-typed but not acceptable (size not offered, depth too deep)."""


class ConflictError(LatentkinError, ValueError):
    """A well-formed request the chain's rules refuse (e.g. fusing a character with itself)."""


class ChainUnavailableError(LatentkinError, ConnectionError):
    """The JSON-RPC endpoint cannot be reached or did not answer in time."""


class DeploymentNotFoundError(LatentkinError, FileNotFoundError):
    """No ``deployments/<chainId>.json`` (or the configured deployment file) was found."""


class OverloadedError(LatentkinError, RuntimeError):
    """The render pool's queue is full or a render did not finish in time; retry later."""

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TransactionFailedError(LatentkinError, RuntimeError):
    """A transaction sent by the command line reverted or never got a receipt."""


class ContractsBuildError(LatentkinError, RuntimeError):
    """The Solidity contracts could not be compiled or their artifacts could not be loaded."""


class DeploymentError(LatentkinError, RuntimeError):
    """A contract deployment failed or a deployment record is missing or malformed."""
