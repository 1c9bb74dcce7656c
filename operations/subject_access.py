"""Subject access (GDPR art. 15): everything SRM holds about a person, as one JSON document.

:func:`subject_access` gathers the person node, each record ``PART_OF`` it (CRM customer
records with their e-mail and phone, social profiles with their scores), the accounts the
records claim, their communities, segments and brands, their posts, the identity decisions
(``SAME_AS`` with evidence and reviewer) on their records, and the identity review
decisions and algorithm runs that name them — found with the same matcher erasure uses, so
what an export shows is what an erasure removes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from srm.cypher import erasure_places
from srm.cypher import subject_access as statements
from srm.cypher.influence import INFLUENCE_PREFIX
from srm.errors import NotFoundError
from srm.operations.erased import ErasedIds
from srm.store import read

__all__ = ["FORMAT", "plain", "subject_access"]

FORMAT = "srm-subject-access/1"
SCORE_PREFIXES = (INFLUENCE_PREFIX, "reach")


def plain(value: Any) -> Any:
    """A Neo4j value as JSON: temporals as ISO text, bytes as hex, JSON text kept as text."""
    if isinstance(value, dict):
        return {str(name): plain(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _record(row: dict[str, Any]) -> dict[str, Any]:
    properties = plain(row["properties"])
    scores = {k: v for k, v in properties.items() if k.startswith(SCORE_PREFIXES)}
    return {
        "kind": row["label"].lower(),
        "id": row["key"],
        "data": {k: v for k, v in properties.items() if k not in scores},
        "scores": scores,
        "linked_accounts": row["claims"],
        "communities": plain(row["communities"]),
        "segments": plain(row["segments"]),
        "official_of_brands": row["official_of"],
        "follows": row["follows"],
        "followers": row["followers"],
    }


def _naming(driver: Driver, statement: str, ids: ErasedIds, database: str | None) -> list[Any]:
    return [
        plain(row["properties"])
        for row in read(driver, statement, database=database)
        if ids.holds(row["properties"])
    ]


def subject_access(driver: Driver, person_id: str, *, database: str | None = None) -> dict:
    """Everything held about ``person_id``; :class:`NotFoundError` when there is no such
    person. The document holds personal data (it is the subject's own): admins only."""
    person = read(driver, statements.SUBJECT_PERSON, database=database, person_id=person_id)
    if not person:
        raise NotFoundError(
            "No person with that id. Person ids are given by identity resolution "
            "('srm identities resolve'; the 'person' of a record in the API); check the id."
        )
    rows = read(driver, statements.SUBJECT_RECORDS, database=database, person_id=person_id)
    posts = read(driver, statements.SUBJECT_POSTS, database=database, person_id=person_id)
    decisions = read(driver, statements.SUBJECT_DECISIONS, database=database, person_id=person_id)
    ids = ErasedIds.of(rows, [person_id], [row["properties"].get("post_key") for row in posts])
    return {
        "format": FORMAT,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "person": {"id": person_id, "data": plain(person[0]["properties"])},
        "records": [_record(row) for row in rows],
        "posts": [
            {"author": row["author"], "mentions": row["mentions"], **plain(row["properties"])}
            for row in posts
        ],
        "identity_decisions": [
            {"a": row["a"], "b": row["b"], **plain(row["properties"])} for row in decisions
        ],
        "review_decisions": _naming(driver, erasure_places.DECISION_NODES, ids, database),
        "algorithm_runs": _naming(driver, erasure_places.RUN_PROPERTIES, ids, database),
    }
