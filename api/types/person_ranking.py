"""PersonConnection: persons in a ranked list (Relay connection)."""

from __future__ import annotations

from typing import Any

import strawberry

from srm.api.types.paging import PageInfo, edges_of
from srm.api.types.records import Person

__all__ = ["PersonConnection", "PersonEdge", "person_connection"]


@strawberry.type(description="A person in a ranked list.")
class PersonEdge:
    cursor: str
    node: Person


@strawberry.type(description="A page of persons (Relay connection).")
class PersonConnection:
    edges: list[PersonEdge]
    page_info: PageInfo


def person_connection(records: list[dict[str, Any]], offset: int, first: int) -> PersonConnection:
    """The page of ``first`` persons at ``offset`` from ``records`` (one more than asked
    for tells whether a next page exists)."""
    edges, page = edges_of(
        records,
        offset,
        first,
        lambda cursor, record: PersonEdge(cursor=cursor, node=Person.from_record(record)),
    )
    return PersonConnection(edges=edges, page_info=page)
