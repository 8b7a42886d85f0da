"""Putting contracts on a chain: LatentKin (any chain) and the Seaport market beside it (dev chains)."""
