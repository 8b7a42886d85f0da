"""The OpenAPI document, made exact where a limit comes from settings (the offered image sizes)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from offchain.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Replace ``app.openapi`` by a generator that documents ``size`` as the offered sizes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description,
                              routes=app.routes)
            for path in doc["paths"].values():
                for operation in path.values():
                    for param in operation.get("parameters", []):
                        if param["name"] == "size" and param["in"] == "query":
                            param["schema"] = {"anyOf": [{"type": "integer",
                                                          "enum": list(settings.image_sizes)},
                                                         {"type": "null"}],
                                               "title": "Size"}
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi
