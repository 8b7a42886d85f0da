"""latentkin core: the genome codec, the fusion rule and the root error.

Pure and dependency-light (eth-abi and eth-utils for keccak): both the renderer and the service
build on it, and it imports neither.
"""
