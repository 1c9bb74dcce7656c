"""REST privacy routes for DPO tools and CRM back offices, admin only:

- ``POST /api/v1/erase``: the same erasure as the GraphQL mutation
  (:func:`srm.api.services.erasure.erase_as`); no response and no log line carries the id;
- ``POST /api/v1/subject-access``: everything held about a person (GDPR art. 15), personal
  data included — it is the subject's own, returned to admins only.

Error statuses: 403 not admin, 404 nothing has that id, 422 malformed request, 503 Neo4j
not reachable.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from srm.api.dependencies import DriverDep, SettingsDep, principal_with_roles
from srm.api.errors import keyed_route_responses
from srm.api.security import Principal
from srm.api.services.erasure import ERASE_ACTION, erase_as
from srm.operations.subject_access import subject_access

__all__ = [
    "ErasureRequest",
    "ErasureResponse",
    "SubjectAccessRequest",
    "SubjectAccessResponse",
    "router",
]

SUBJECT_ACCESS_ACTION = "export a person's data"

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
    derived: int = Field(
        description="Derived copies cleared of their ids (explanations, run parameters, "
        "community summaries, review decisions)."
    )
    files: int = Field(description="Files SRM wrote that were deleted or cleaned of them.")
    reclustered: bool
    note: str | None = Field(description="What is left to do, if anything.")


@router.post(
    "/erase",
    response_model=ErasureResponse,
    summary="Erase a customer, profile or person and everything derived from them (GDPR)",
    responses=keyed_route_responses(
        {
            403: "The key's role is not admin.",
            404: "Nothing has that id (nothing was changed).",
            422: "Unknown kind, or a missing or too long id.",
            503: "Neo4j is not reachable (nothing was changed).",
        }
    ),
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


class SubjectAccessRequest(BaseModel):
    person_id: str = Field(
        min_length=1, max_length=400, description="The person's id (identity resolution)."
    )


class SubjectAccessResponse(BaseModel):
    """Everything SRM holds about one person (personal data: admin only)."""

    format: str
    generated_at: str
    person: dict[str, Any] = Field(description="The person node: id and properties.")
    records: list[dict[str, Any]] = Field(
        description="CRM customers and social profiles of the person: data (e-mail and "
        "phone included), scores, linked accounts, communities, segments, brands."
    )
    posts: list[dict[str, Any]]
    identity_decisions: list[dict[str, Any]] = Field(
        description="SAME_AS links of the records: probability, evidence, status, reviewer."
    )
    review_decisions: list[dict[str, Any]]
    algorithm_runs: list[dict[str, Any]] = Field(description="Runs whose parameters name them.")


@router.post(
    "/subject-access",
    response_model=SubjectAccessResponse,
    summary="Everything held about a person (GDPR art. 15), as JSON",
    responses=keyed_route_responses(
        {
            403: "The key's role is not admin.",
            404: "No person with that id.",
            422: "A missing or too long person_id.",
        }
    ),
)
async def export_person(
    request: SubjectAccessRequest,
    principal: Annotated[
        Principal, Depends(principal_with_roles("admin", action=SUBJECT_ACCESS_ACTION))
    ],
    driver: DriverDep,
    settings: SettingsDep,
) -> SubjectAccessResponse:
    """The person, their CRM records and social profiles with every property (e-mail and
    phone too), scores, linked accounts, communities, segments, posts, identity and review
    decisions, and the algorithm runs that name them. The id goes in the body, not the
    URL, so it stays out of access logs."""
    document = await to_thread.run_sync(
        partial(subject_access, driver, request.person_id, database=settings.neo4j_database)
    )
    return SubjectAccessResponse(**document)
