"""The OpenAPI document, made exact where a limit comes from settings (the offered image sizes) or from the
correspondence table (the gallery's trait filter: every "Trait:Value" that exists)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from offchain.settings import Settings
from offchain.token.metadata import TraitTable, trait_values


def trait_filters(table: TraitTable) -> list[str]:
    """Every value of the gallery's ``trait`` filter: "Trait:Value" for each trait and each value it can show."""
    return [f"{name}:{value}" for i, name in enumerate(table.trait_names) for value in trait_values(table, i)]


def install(app: FastAPI, settings: Settings, table: TraitTable, sizes: list[int] | None = None) -> None:
    """Replace ``app.openapi`` by a generator that documents ``size`` as ``sizes`` (default: the offered sizes;
    the service passes those every loaded renderer serves) and ``trait`` as the filters that exist."""
    documented = list(settings.image_sizes) if sizes is None else sizes

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            for path in doc["paths"].values():
                for operation in path.values():
                    for param in operation.get("parameters", []):
                        if param["name"] == "size" and param["in"] == "query":
                            param["schema"] = {
                                "anyOf": [{"type": "integer", "enum": documented}, {"type": "null"}],
                                "title": "Size",
                            }
                        if param["name"] == "trait" and param["in"] == "query":
                            param["schema"]["items"] = {"type": "string", "enum": trait_filters(table)}
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema
