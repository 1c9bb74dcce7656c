"""REST erasure: ``POST /api/v1/erase`` (admin only), for DPO tools and CRM back offices.

The same erasure as the GraphQL mutation (:func:`srm.api.services.erasure.erase_as`); error
statuses: 404 nothing has that id, 422 malformed request, 503 Neo4j not reachable. No
response and no log line carries the erased id.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from srm.api.dependencies import DriverDep, SettingsDep, principal_with_roles
from srm.api.security import Principal
from srm.api.services.erasure import ERASE_ACTION, erase_as

__all__ = ["ErasureRequest", "ErasureResponse", "router"]

router = APIRouter(prefix="/api/v1", tags=["privacy"])


class ErasureRequest(BaseModel):
    kind: Literal["customer", "profile", "person"] = Field(
        description="What 'id' names: a CRM customer_id, a profile 'platform:id', a person_id."
    )
    id: str = Field(min_length=1, max_length=400, description="The record's key.")
    recluster: bool = Field(
        default=False,
        description="Re-run identity resolution afterwards when person clusters keep other "
        "records (whole graph; slow).",
    )


class ErasureResponse(BaseModel):
    """Counts only: the erased values are never echoed."""

    kind: str
    customers: int
    profiles: int
    posts: int
    persons_deleted: int
    persons_kept: int = Field(description="Person clusters that keep other records.")
    anonymised_mentions: int
    redacted_texts: int
    suppression_keys: int = Field(description="Keys suppressed (salted hashes).")
    reclustered: bool
    note: str | None = Field(description="What is left to do, if anything.")


@router.post(
    "/erase",
    response_model=ErasureResponse,
    summary="Erase a customer, profile or person and everything derived from them (GDPR)",
    responses={
        401: {"description": "Missing or unknown API key."},
        403: {"description": "The key's role is not admin."},
        404: {"description": "Nothing has that id (nothing was changed)."},
        422: {"description": "Unknown kind, or a missing or too long id."},
        429: {"description": "Rate limit exceeded; see Retry-After."},
        503: {"description": "Neo4j is not reachable (nothing was changed)."},
    },
)
async def erase_record(
    request: ErasureRequest,
    principal: Annotated[Principal, Depends(principal_with_roles("admin", action=ERASE_ACTION))],
    driver: DriverDep,
    settings: SettingsDep,
) -> ErasureResponse:
    """Deletes the records, their relationships, posts, SAME_AS evidence and person clusters
    left empty; mentions by others become anonymous counts; the keys are suppressed so a later
    ingest skips them. One transaction: all or nothing. Audited as an ``ErasureAudit`` (when,
    which API key and role, what kind, how many records) — never the id or the data."""
    outcome = await erase_as(
        principal, driver, settings, request.kind, request.id, recluster=request.recluster
    )
    return ErasureResponse(**outcome.counts())
