"""The HTTP service: FastAPI app (main.py), dependencies (deps.py), one router per area."""
