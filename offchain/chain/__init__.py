"""Ethereum as the service sees it: compiled contracts, the deployment record, the LatentKin
reader, chain status, transactions and the keeper that sends them."""
