"""The graph places an erasure walks, one function each: ``(tx, erased) → rows changed``.

All run in the erasure's one transaction, in the order :data:`srm.operations.registry.REGISTRY`
lists them: what others said about the person first (while the relationships still
exist), then the records, then data derived from them.
"""

from __future__ import annotations

import re
from typing import Any

from neo4j import ManagedTransaction

from srm.cypher import erasure_places as places
from srm.cypher import privacy
from srm.operations.erased import ErasedIds
from srm.operations.suppression import ERASED_MARK

__all__ = [
    "anonymise_mentions",
    "anonymise_references",
    "delete_authored_posts",
    "delete_records",
    "redact_handles",
    "scrub_communities",
    "scrub_decisions",
    "scrub_explanations",
    "scrub_persons",
    "scrub_runs",
]

MASTODON = "mastodon"


def _single(tx: ManagedTransaction, statement: str, **parameters: Any) -> int:
    record = tx.run(statement, parameters).single()
    return int(next(iter(record.values()))) if record else 0


def anonymise_mentions(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """``MENTIONS`` from others' posts and ``MENTIONED`` from others' profiles → counts."""
    keys = erased.keys
    return _single(tx, privacy.ANONYMISE_MENTIONS, **keys) + _single(
        tx, privacy.ANONYMISE_MENTIONED, **keys
    )


def anonymise_references(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """Replies, quotes and reposts of the erased posts → ``erased_reference_count``."""
    return _single(tx, privacy.ANONYMISE_POST_REFERENCES, **erased.keys)


def _short_forms(erased: ErasedIds) -> set[str]:
    """The user names of erased Mastodon accounts: ``@user`` is the short form of
    ``@user@instance`` in Mastodon texts."""
    return {
        handle.partition("@")[0].lower()
        for platform, handle in erased.handles
        if platform == MASTODON and "@" in handle
    }


def _names_erased(short: str, mentioned: list[dict[str, Any]], profile_keys: set[str]) -> bool:
    """Does ``@short`` in a Mastodon post name the erased account of that user name? Yes
    when the post mentions it, or mentions nobody else of that user name (a short form
    whose instance is unknown is taken as the erased one: erasure errs on the safe side)."""

    def user(mention: dict[str, Any]) -> str:
        return str(mention.get("handle") or "").lstrip("@").partition("@")[0].lower()

    if any(m["key"] in profile_keys and user(m) == short for m in mentioned):
        return True
    return not any(m["key"] not in profile_keys and user(m) == short for m in mentioned)


def redact_handles(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """``@handle`` in other people's posts becomes ``@[erased]``; on Mastodon the short
    form ``@user`` of ``@user@instance`` too (see :func:`_names_erased`)."""
    full = sorted({"@" + handle.lower() for _, handle in erased.handles})
    short = _short_forms(erased)
    needles = sorted({*full, *("@" + user for user in short)})
    if not needles:
        return 0
    full_pattern = re.compile(
        "|".join(re.escape(needle) + r"(?![\w])" for needle in full), re.IGNORECASE
    )
    profile_keys = set(erased.profile_keys)
    rows = []
    for record in tx.run(places.POSTS_NAMING, needles=needles, profile_keys=sorted(profile_keys)):
        text = full_pattern.sub("@" + ERASED_MARK, record["text"]) if full else record["text"]
        if str(record["post_key"]).startswith(f"{MASTODON}:"):
            for user in short:
                if _names_erased(user, record["mentioned"], profile_keys):
                    text = re.sub(
                        rf"(?<![\w@])@{re.escape(user)}(?![\w@])",
                        "@" + ERASED_MARK,
                        text,
                        flags=re.IGNORECASE,
                    )
        if text != record["text"]:
            rows.append({"post_key": record["post_key"], "text": text})
    if rows:
        tx.run(privacy.SET_POST_TEXTS, rows=rows).consume()
    return len(rows)


def delete_authored_posts(tx: ManagedTransaction, erased: ErasedIds) -> int:
    return _single(tx, privacy.DELETE_AUTHORED_POSTS, **erased.keys)


def delete_records(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """Customers and profiles with every relationship: FOLLOWS, CLAIMS, SAME_AS (its
    evidence and review decision), PART_OF, IN (communities), IN_SEGMENT, OFFICIAL_OF."""
    return _single(tx, privacy.DELETE_CUSTOMERS, **erased.keys) + _single(
        tx, privacy.DELETE_PROFILES, **erased.keys
    )


def scrub_persons(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """Erased persons go, and so do persons left without records; one that keeps records
    loses every property value that names the erased records (email, phone, key, handle,
    name)."""
    deleted = _single(tx, privacy.DELETE_PERSONS, person_ids=list(erased.person_ids))
    deleted += _single(tx, privacy.DELETE_EMPTY_PERSONS, person_ids=list(erased.clusters))
    rows = []
    for record in tx.run(privacy.PERSON_PROPERTIES, person_ids=list(erased.clusters)):
        properties = record["properties"]
        kept = {name: value for name, value in properties.items() if not erased.holds(value)}
        if kept != properties:
            rows.append({"person_id": record["person_id"], "properties": kept})
    if rows:
        tx.run(privacy.REPLACE_PERSON_PROPERTIES, rows=rows).consume()
    return deleted


def _scrub_nodes(tx: ManagedTransaction, erased: ErasedIds, statement: str, **params: Any) -> int:
    rows = []
    for record in tx.run(statement, params):
        changed = erased.scrub_properties(dict(record["properties"]))
        if changed is not None:
            rows.append({"id": record["id"], "properties": changed})
    if rows:
        tx.run(places.REPLACE_NODE_PROPERTIES, rows=rows).consume()
    return len(rows)


def scrub_explanations(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """Other profiles' and persons' ``influence_explanation`` loses the erased
    in-neighbours, accounts and followers."""
    if not erased.profile_keys:
        return 0
    return _scrub_nodes(
        tx,
        erased,
        places.EXPLAINED_PROFILES,
        needles=list(erased.profile_keys),
        profile_keys=list(erased.profile_keys),
    )


def scrub_runs(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """``AlgorithmRun`` parameters and figures (a reach run names its profile or person)."""
    return _scrub_nodes(tx, erased, places.RUN_PROPERTIES)


def scrub_communities(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """Community labels and top terms (a label falls back to a member's key)."""
    return _scrub_nodes(tx, erased, places.COMMUNITY_PROPERTIES)


def scrub_decisions(tx: ManagedTransaction, erased: ErasedIds) -> int:
    """Identity review decision records naming an erased record id."""
    return _scrub_nodes(tx, erased, places.DECISION_NODES)
