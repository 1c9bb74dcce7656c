"""Every property name and text value in the test graph, where erasure tests look for what
must be gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from neo4j import Driver

from srm.store import read
from tests.privacy_statements import ALL_NODE_PROPERTIES, ALL_RELATIONSHIP_PROPERTIES


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def property_texts(driver: Driver) -> Iterator[tuple[Any, str, str]]:
    """``(labels or type, property name, text)`` for every property's name and each of its
    text values (lists flattened), on nodes and relationships."""
    for row in read(driver, ALL_NODE_PROPERTIES) + read(driver, ALL_RELATIONSHIP_PROPERTIES):
        where = row.get("labels") or row.get("type")
        for name, value in row["properties"].items():
            for text in [name, *_strings(value)]:
                yield where, name, text
