"""latentkin off-chain: chain reader, deployment and transactions, indexer and HTTP service.

Built on ``latentkin_core`` (genome, fusion rule, root error) and ``renderer`` (the service draws
through the ``Renderer`` protocol of ``offchain.render.pool``).
"""
