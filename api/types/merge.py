"""MergeCandidate: a SAME_AS pair from identity resolution, with its evidence."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from srm.api.types.paging import PageInfo, edges_of
from srm.api.types.records import Customer, Profile
from srm.api.values import iso

__all__ = [
    "IdentityDecision",
    "MergeCandidate",
    "MergeCandidateConnection",
    "MergeSuggestion",
    "Record",
    "merge_candidate_connection",
]

Record = Annotated[
    Customer | Profile,
    strawberry.union("Record", description="A CRM customer or a social profile."),
]


@strawberry.type(description="Two records that may be the same person.")
class MergeCandidate:
    row: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="'left_id|right_id'; pass it to acceptMerge/rejectMerge.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(f"{self.row['left_id']}|{self.row['right_id']}")

    @strawberry.field
    def left(self) -> Record:
        return _record(self.row["left_is_customer"], self.row["left_record"])

    @strawberry.field
    def right(self) -> Record:
        return _record(self.row["right_is_customer"], self.row["right_record"])

    @strawberry.field(description="Match probability (0–1).")
    def probability(self) -> float | None:
        value = self.row["candidate"].get("probability")
        return float(value) if value is not None else None

    @strawberry.field(description="candidate, accepted or rejected.")
    def status(self) -> str | None:
        return self.row["candidate"].get("status")

    @strawberry.field(description="Per-comparison contributions to the score (waterfall).")
    def evidence(self) -> JSON | None:
        return self.row["candidate"].get("evidence")

    @strawberry.field
    def model_version(self) -> str | None:
        return self.row["candidate"].get("model_version")

    @strawberry.field
    def reviewed_by(self) -> str | None:
        return self.row["candidate"].get("reviewed_by")

    @strawberry.field
    def reviewed_at(self) -> str | None:
        return iso(self.row["candidate"].get("reviewed_at"))


def _record(is_customer: bool, record: dict[str, Any]) -> Customer | Profile:
    return Customer.from_record(record) if is_customer else Profile.from_record(record)


@strawberry.type
class MergeCandidateEdge:
    cursor: str
    node: MergeCandidate


@strawberry.type(description="A page of merge candidates, most probable first.")
class MergeCandidateConnection:
    edges: list[MergeCandidateEdge]
    page_info: PageInfo


def merge_candidate_connection(
    rows: list[dict[str, Any]], offset: int, first: int
) -> MergeCandidateConnection:
    edges, info = edges_of(
        rows,
        offset,
        first,
        lambda cursor, row: MergeCandidateEdge(cursor=cursor, node=MergeCandidate(row=row)),
    )
    return MergeCandidateConnection(edges=edges, page_info=info)


@strawberry.type(description="An unreviewed pair whose label would teach the model most.")
class MergeSuggestion:
    record_a: strawberry.ID = strawberry.field(
        description="'customer:<id>' or 'profile:<platform>:<id>'."
    )
    record_b: strawberry.ID
    probability: float = strawberry.field(description="Match probability (0–1).")

    @strawberry.field(description="'recordA|recordB'; pass it to acceptMerge/rejectMerge.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(f"{self.record_a}|{self.record_b}")

    @classmethod
    def of(cls, row: dict[str, Any]) -> MergeSuggestion:
        return cls(
            record_a=strawberry.ID(row["record_a"]),
            record_b=strawberry.ID(row["record_b"]),
            probability=float(row["probability"]),
        )


@strawberry.type(description="A review decision on a pair (accept, reject or unmerge).")
class IdentityDecision:
    row: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row["decision_id"])

    @strawberry.field(description="accept, reject or unmerge.")
    def decision(self) -> str:
        return str(self.row["decision"])

    @strawberry.field
    def record_a(self) -> str:
        return str(self.row["record_a"])

    @strawberry.field
    def record_b(self) -> str | None:
        return self.row.get("record_b")

    @strawberry.field
    def reviewer(self) -> str:
        return str(self.row["reviewer"])

    @strawberry.field(description="When it was decided (ISO 8601).")
    def at(self) -> str:
        return str(self.row["at"])

    @strawberry.field(description="The pair's match probability at the time.")
    def probability(self) -> float | None:
        value = self.row.get("probability")
        return float(value) if value is not None else None

    @strawberry.field
    def persons_before(self) -> list[str]:
        return list(self.row.get("persons_before") or [])

    @strawberry.field
    def persons_after(self) -> list[str]:
        return list(self.row.get("persons_after") or [])

    @strawberry.field(description="When it was undone, if it was.")
    def undone_at(self) -> str | None:
        return self.row.get("undone_at")
