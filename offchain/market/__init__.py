"""The Seaport 1.6 market of latentkin characters: packaged contracts, orders, their checks, the order book."""
