"""REST enrichment for CRM systems: ``POST /api/v1/enrich`` (role crm or admin)."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, model_validator

from srm.api.dependencies import DriverDep, SettingsDep, principal_with_roles
from srm.api.errors import keyed_route_responses
from srm.api.security import Principal
from srm.api.services.enrich import enrich
from srm.api.values import iso
from srm.cypher.influence import Influence
from srm.operations.suppression import phone_digits

__all__ = ["MAX_BATCH", "router"]

MAX_BATCH = 1_000

router = APIRouter(prefix="/api/v1", tags=["enrichment"])


class EnrichKey(BaseModel):
    """One key: exactly one of customer_id, email, phone, or platform + handle."""

    customer_id: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=50)
    platform: str | None = Field(default=None, max_length=50)
    handle: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def one_key(self) -> EnrichKey:
        given = [
            name for name in ("customer_id", "email", "phone", "handle") if getattr(self, name)
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of customer_id, email, phone or handle (with platform)"
            )
        if self.handle and not self.platform:
            raise ValueError("a handle needs its platform (e.g. 'x', 'mastodon')")
        return self

    def as_row(self, index: int) -> dict[str, Any]:
        if self.customer_id:
            return {"index": index, "kind": "customer_id", "value": self.customer_id.strip()}
        if self.email:
            return {"index": index, "kind": "email", "value": self.email.strip()}
        if self.phone:
            value = self.phone.strip()
            return {"index": index, "kind": "phone", "value": value, "digits": phone_digits(value)}
        return {
            "index": index,
            "kind": "handle",
            "value": (self.handle or "").strip().removeprefix("@"),
            "platform": (self.platform or "").strip().lower(),
        }


class EnrichRequest(BaseModel):
    keys: list[EnrichKey] = Field(min_length=1, max_length=MAX_BATCH)


class LinkedProfile(BaseModel):
    profile_id: str
    platform: str | None
    handle: str | None
    influence_score: float | None = Field(description="The account's own score.")
    influence_percentile: float | None
    followers_in_graph: int = Field(description="Profiles in the graph following the account.")


class Enrichment(BaseModel):
    index: int = Field(description="Position of the key in the request.")
    customer_id: str | None
    person_id: str | None
    profiles: list[LinkedProfile]
    influence_score: float | None = Field(description="Highest score among the profiles.")
    influence_percentile: float | None
    person_influence_score: float | None = Field(
        description="The person's score over all its accounts, from the latest influence run "
        "(summed PageRank, audience counted once per follower person; null without a "
        "scored person)."
    )
    person_influence_percentile: float | None
    person_influence_run_id: str | None
    audience_accounts: int = Field(
        description="Distinct accounts following any of the profiles (counted now)."
    )
    audience_persons: int = Field(
        description="The same audience unduplicated: a follower person counts once however "
        "many of its accounts follow; an account without a person counts as itself."
    )
    community_id: str | None
    segments: list[str]
    last_activity: str | None = Field(description="Newest post among the profiles (ISO 8601).")


class UnknownKey(BaseModel):
    index: int
    kind: str = Field(description="customer_id, email, phone or handle (the value is not echoed).")


class EnrichResponse(BaseModel):
    results: list[Enrichment]
    unknown: list[UnknownKey]


@router.post(
    "/enrich",
    response_model=EnrichResponse,
    summary="Enrich up to 1,000 customer keys with graph knowledge",
    responses=keyed_route_responses(
        {
            403: "The key's role is not crm or admin.",
            422: "A key is malformed or the batch has more than 1,000 keys.",
        }
    ),
)
async def enrich_keys(
    request: EnrichRequest,
    http: Request,
    principal: Annotated[
        Principal, Depends(principal_with_roles("crm", "admin", action="enrich customer keys"))
    ],
    driver: DriverDep,
    settings: SettingsDep,
) -> EnrichResponse:
    """For each key: the person it resolves to, linked profiles (each with its own score
    and followers), influence (the best account's and the person's), the unduplicated
    audience (accounts and persons), community, segments and last activity. Keys with no
    match are listed in ``unknown`` by position and kind — never as errors, and their
    values are not echoed."""
    rows = [key.as_row(index) for index, key in enumerate(request.keys)]
    # For the audit trail: the classes of personal data looked up and returned, no values.
    http.state.pii = sorted({row["kind"] for row in rows} & {"email", "phone"} | {"handle"})
    found = await to_thread.run_sync(enrich, driver, settings.neo4j_database, rows)
    results = []
    unknown = []
    for row in rows:
        match = found.get(row["index"])
        if match is None:
            unknown.append(UnknownKey(index=row["index"], kind=row["kind"]))
            continue
        community = match["community_id"]
        results.append(
            Enrichment(
                index=row["index"],
                customer_id=match["customer_id"],
                person_id=match["person_id"],
                profiles=[
                    LinkedProfile(
                        profile_id=profile["profile_key"],
                        platform=profile["platform"],
                        handle=profile["handle"],
                        influence_score=profile[Influence.SCORE.column],
                        influence_percentile=profile[Influence.PERCENTILE.column],
                        followers_in_graph=profile["followers_in_graph"],
                    )
                    for profile in match["profiles"]
                ],
                influence_score=match[Influence.SCORE.column],
                influence_percentile=match[Influence.PERCENTILE.column],
                person_influence_score=match["person_score"],
                person_influence_percentile=match["person_percentile"],
                person_influence_run_id=match["person_run_id"],
                audience_accounts=match["audience_accounts"],
                audience_persons=match["audience_persons"],
                community_id=str(community) if community is not None else None,
                segments=match["segments"],
                last_activity=iso(match["last_activity"]),
            )
        )
    return EnrichResponse(results=results, unknown=unknown)
