"""The gene map: what each of the 64 code genes drives in the active renderer's pictures."""

from __future__ import annotations

from fastapi import APIRouter, Response

from offchain.api.deps import ServicesDep, VersionQuery
from offchain.api.png import IMMUTABLE, REVALIDATE
from offchain.api.schemas import ErrorBody, GeneInfo, GeneMap
from offchain.errors import OverloadedError

router = APIRouter(tags=["renderer"])


@router.get(
    "/genes",
    response_model=GeneMap,
    responses={
        404: {"model": ErrorBody, "description": "No renderer with that hash."},
        503: {"model": ErrorBody, "description": "No renderer loaded."},
    },
)
def gene_map(services: ServicesDep, response: Response, v: VersionQuery = None) -> GeneMap:
    """What each code gene drives for the active renderer (or the one ``v`` names), gene 0 first: the page's
    barcode explains genes with it. It is part of the renderer hash, so it changes only with the renderer."""
    if services.renderers is None:
        raise OverloadedError(f"renderer not loaded: {services.renderer_error}", services.settings.retry_after)
    entry = services.renderers.select(v)
    response.headers["Cache-Control"] = IMMUTABLE if v else REVALIDATE
    return GeneMap(
        renderer_hash="0x" + entry.hash.hex(),
        genes=[
            GeneInfo(index=g.index, name=g.name, group=g.group, low=g.low, high=g.high, describes=g.describes)
            for g in entry.gene_roles
        ],
    )
