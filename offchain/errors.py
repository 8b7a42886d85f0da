"""The service's errors, under latentkin's one hierarchy (root: latentkin_core.errors.LatentkinError).

offchain/api maps each to an HTTP status in one handler.
"""

from latentkin_core.errors import LatentkinError


class NotFoundError(LatentkinError, LookupError):
    """A token (or other resource) does not exist."""


class PendingTokenError(NotFoundError):
    """The id belongs to a request that is not completed yet: it becomes a token when someone completes it."""

    pending = True


class InvalidRequestError(LatentkinError, ValueError):
    """A request parameter is well-typed but not acceptable (size not offered, depth too deep)."""

    loc: list[str] = ["request"]  # where in the request (FastAPI's form, e.g. ["query", "size"]); set per instance


class ConflictError(LatentkinError, ValueError):
    """A well-formed request the chain's rules refuse (e.g. fusing a character with itself)."""


class ChainUnavailableError(LatentkinError, ConnectionError):
    """The JSON-RPC endpoint cannot be reached or did not answer in time; ``retry_after`` (seconds)
    when the caller knows better than the service's default."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        if retry_after is not None:
            self.retry_after = retry_after


class OverloadedError(LatentkinError, RuntimeError):
    """The render pool's queue is full or a render did not finish in time; retry later."""

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BookChangedError(OverloadedError):
    """An order's row was neither inserted nor found, twice: the book was emptied under it (a chain reset); submit
    the order again."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retry_after=1)


class TransactionFailedError(LatentkinError, RuntimeError):
    """A transaction reverted or never got a receipt."""


class ContractsBuildError(LatentkinError, RuntimeError):
    """The Solidity contracts could not be compiled or their artifacts could not be loaded."""


class DeploymentError(LatentkinError, RuntimeError):
    """A contract deployment failed or a deployment record is missing or malformed."""


class ContractMissingError(ChainUnavailableError):
    """The chain answers but holds no contract at the deployment's address (reset or wrong chain)."""


class DeploymentNotFoundError(DeploymentError, FileNotFoundError):
    """No usable ``deployments/<chainId>.json`` (or configured deployment file): missing or malformed."""


class MarketConfigError(DeploymentError, ValueError):
    """The market's configured contracts do not belong together (a Seaport with another Seaport's
    ConduitController, a zone made for another collection): the service refuses to start with them."""


class MarketNotDeployedError(NotFoundError):
    """No Seaport market is known on this chain (none deployed beside LatentKin, no canonical WETH): a lasting
    state of the deployment, not an outage, so 404 rather than 503."""


class OrderRejectedError(InvalidRequestError):
    """A Seaport order the market does not accept (bad signature, not the owner, no royalty…): nothing is stored."""

    def __init__(self, message: str, field: str = "order") -> None:
        super().__init__(message)
        self.loc = ["body", field]
