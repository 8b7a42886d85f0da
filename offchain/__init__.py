"""latentkin off-chain: genome codec, fusion rule, chain reader, indexer and HTTP service."""
