"""The baseline of ``benchmarks/service.py --pairs``: a bare FastAPI app with one small JSON endpoint, nothing
else (no middleware, no dependencies), run by plain uvicorn beside the service."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/bare")
async def bare() -> dict[str, object]:
    """A small dict, serialised by FastAPI as any endpoint's answer is."""
    return {"name": "latentkin #1", "token_id": 1, "ok": True}
