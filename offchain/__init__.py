"""latentkin off-chain: chain reader, deployment and transactions, indexer and HTTP service.

Built on ``latentkin_core`` (genome, fusion rule, root error) and ``renderer`` (the service draws
through the ``Renderer`` protocol of ``offchain.render.pool``).
"""

from offchain.keccak_backend import prefer_pysha3

prefer_pysha3()  # before anything hashes: eth-hash picks its backend at its first hash
