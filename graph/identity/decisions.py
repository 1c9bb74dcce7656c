"""Review decisions on the graph: accept, reject, unmerge — each kept as history — and undo.

A decision takes effect at once: accepting two records of different persons moves the
second's person into the first's; rejecting two records of one person moves the second
into a person of its own; unmerging moves a record out of its person. Each is written as a
``:ReviewDecision`` node (:mod:`srm.cypher.identity_review`) with what it replaced, so
:func:`undo` restores the SAME_AS statuses and moves the records back.
:func:`decision_history` is the read function for the record of identity decisions.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from neo4j import Driver

from srm.cypher import identity as q
from srm.cypher import identity_review as r
from srm.errors import NotFoundError, ValidationError
from srm.graph.identity import store
from srm.graph.identity.active import Suggestion, suggest_pairs
from srm.graph.identity.cluster import assign_person_ids
from srm.graph.identity.social import DEFAULT_THRESHOLD
from srm.store import read, write, write_in_transactions

__all__ = [
    "accept",
    "decision_history",
    "merge_suggestions",
    "model_info",
    "record_persons",
    "reject",
    "undo",
    "unmerge",
    "write_model_info",
]


def _pair_key(a: str, b: str) -> str:
    return "|".join(sorted((a, b)))


def _check_pair(a: str, b: str) -> None:
    store.record_key(a)
    store.record_key(b)
    if a == b:
        raise ValidationError(f"a pair needs two different records (got {a!r} twice).")


def record_persons(driver: Driver, ids: list[str], database: str | None = None) -> dict[str, Any]:
    """record id → its person id (None before any resolution); an unknown record is a
    :class:`NotFoundError`."""
    rows_by_kind: dict[str, list[dict[str, str]]] = {}
    for record_id in ids:
        kind, key = store.record_key(record_id)
        rows_by_kind.setdefault(kind, []).append({"record_id": record_id, "key": key})
    found: dict[str, Any] = {}
    for kind, rows in rows_by_kind.items():
        for row in read(driver, r.RECORD_PERSONS[kind], database=database, rows=rows):
            found[row["record_id"]] = row["person_id"]
    missing = [record_id for record_id in ids if record_id not in found]
    if missing:
        raise NotFoundError(
            f"No record {missing[0]} in the graph; record ids are customer:<customer_id> or "
            "profile:<platform>:<profile_id>, as 'srm identities export' lists them."
        )
    return found


def _pair_states(
    driver: Driver, pairs: list[tuple[str, str]], database: str | None
) -> dict[str, dict[str, Any]]:
    rows = [store.pair_row(a, b, pair=_pair_key(a, b)) for a, b in pairs]
    found: dict[str, dict[str, Any]] = {}
    for kinds in q.PAIR_KINDS:
        group = [row for row in rows if (row["a_kind"], row["b_kind"]) == kinds]
        if group:
            for row in read(driver, r.PAIR_STATES[kinds], database=database, rows=group):
                found[row["pair"]] = row
    return found


def _move(
    driver: Driver, records: list[str], source: str, target: str, database: str | None
) -> int:
    moved = 0
    for record_id in records:
        kind, key = store.record_key(record_id)
        row = {"key": key, "from": source, "to": target, "name": ""}
        result = write(driver, r.MOVE_RECORDS[kind], database=database, rows=[row])
        moved += sum(int(found["moved"]) for found in result)
    write_in_transactions(driver, q.DELETE_EMPTY_PERSONS, database=database)
    return moved


def _members(driver: Driver, person_id: str, database: str | None) -> list[str]:
    rows = read(driver, q.PERSON_MEMBERS, database=database, person_id=person_id)
    return [row["record_id"] for row in rows]


def _decide(
    driver: Driver, decision: str, pairs: list[tuple[str, str]], status: str, reviewer: str,
    database: str | None, *, record_a: str, record_b: str | None,
) -> tuple[int, dict[str, Any]]:  # fmt: skip
    """Set the pairs' status and write the decision node; the caller moves records and
    passes the persons through :func:`_record`. Returns (links updated, decision id)."""
    states = _pair_states(driver, pairs, database)
    keys = [_pair_key(a, b) for a, b in pairs]
    updated = store.set_decisions(driver, pairs, status, reviewer, database)
    first = states.get(keys[0], {}) if keys else {}
    details = {
        "decision": decision, "record_a": record_a, "record_b": record_b,
        "reviewer": reviewer, "probability": first.get("probability"), "pairs": keys,
        "previous_status": [states.get(k, {}).get("status") or "" for k in keys],
        "previous_reviewer": [states.get(k, {}).get("reviewed_by") or "" for k in keys],
    }  # fmt: skip
    return updated, details


def _record(
    driver: Driver, details: dict[str, Any], before: list[Any], after: list[Any], moved: list[str],
    source: str | None, target: str | None, database: str | None,
) -> str:  # fmt: skip
    found = write(
        driver, r.RECORD_DECISION, database=database, **details,
        persons_before=[p or "" for p in before], persons_after=[p or "" for p in after],
        moved=moved, moved_from=source, moved_to=target,
    )  # fmt: skip
    return str(found[0]["decision_id"])


def _new_person(record_id: str, members: list[str], person_id: str) -> str:
    """A fresh person id for ``record_id``, leaving its person's members."""
    # the others' person as taken, so the new id differs from it
    previous = {member: person_id for member in members if member != record_id}
    return assign_person_ids([record_id], np.zeros(1, dtype=np.int64), previous)[0]


def accept(driver: Driver, a: str, b: str, reviewer: str, database: str | None = None) -> int:
    """``a`` and ``b`` are one person: kept by every later run, and ``b``'s person merged
    into ``a``'s now. Returns the SAME_AS links updated."""
    _check_pair(a, b)
    persons = record_persons(driver, [a, b], database)
    updated, details = _decide(driver, "accept", [(a, b)], "accepted", reviewer, database,
                               record_a=a, record_b=b)  # fmt: skip
    source, target, moved = persons[b], persons[a], []
    if source and target and source != target:
        moved = _members(driver, source, database)
        _move(driver, moved, source, target, database)
    after = [target, target if moved else persons[b]]
    _record(driver, details, [persons[a], persons[b]], after, moved,
            source if moved else None, target if moved else None, database)  # fmt: skip
    return updated


def reject(driver: Driver, a: str, b: str, reviewer: str, database: str | None = None) -> int:
    """``a`` and ``b`` are different people: no later run merges them, and if they share a
    person now ``b`` leaves it for one of its own. Returns the SAME_AS links updated."""
    _check_pair(a, b)
    persons = record_persons(driver, [a, b], database)
    updated, details = _decide(driver, "reject", [(a, b)], "rejected", reviewer, database,
                               record_a=a, record_b=b)  # fmt: skip
    source, target, moved = persons[b], None, []
    if source and source == persons[a]:
        members = _members(driver, source, database)
        target = _new_person(b, members, source)
        moved = [b]
        _move(driver, moved, source, target, database)
    after = [persons[a], target or persons[b]]
    _record(driver, details, [persons[a], persons[b]], after, moved,
            source if moved else None, target, database)  # fmt: skip
    return updated


def unmerge(
    driver: Driver, person_id: str, record_id: str, reviewer: str, database: str | None = None
) -> str:
    """Take ``record_id`` out of ``person_id`` now (into a person of its own) and reject
    its pairs with the other members, so later runs keep it out. Returns the new id."""
    store.record_key(record_id)
    members = _members(driver, person_id, database)
    if record_id not in members:
        raise NotFoundError(f"Record {record_id} is not part of person {person_id}.")
    pairs = [(record_id, m) for m in members if m != record_id]
    _, details = _decide(driver, "unmerge", pairs, "rejected", reviewer, database,
                         record_a=record_id, record_b=None)  # fmt: skip
    new_id = _new_person(record_id, members, person_id)
    _move(driver, [record_id], person_id, new_id, database)
    _record(driver, details, [person_id], [new_id], [record_id], person_id, new_id, database)
    return new_id


def decision_history(
    driver: Driver, a: str | None = None, b: str | None = None, limit: int = 100,
    database: str | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Review decisions, newest first: all, or those touching the pair ``a``–``b`` (an
    unmerge touches every pair of the record with the person's other members). Each is a
    dict: decision_id, decision (accept/reject/unmerge), record_a, record_b, reviewer,
    at, probability, persons_before, persons_after, moved, undone_at, undone_by."""
    if (a is None) != (b is None):
        raise ValidationError("Give both records of a pair, or neither for every decision.")
    pair = None
    if a is not None and b is not None:
        _check_pair(a, b)
        pair = _pair_key(a, b)
    rows = read(driver, r.DECISION_HISTORY, database=database, pair=pair, limit=limit)
    return [row["decision"] for row in rows]


def undo(
    driver: Driver, reviewer: str, decision_id: str | None = None, database: str | None = None
) -> dict[str, Any]:
    """Revert a decision (the last one not yet undone, or ``decision_id``): the SAME_AS
    statuses it replaced come back and the records it moved go back (those still where it
    put them). Returns the decision as it was."""
    if decision_id is None:
        found = read(driver, r.LAST_DECISION, database=database)
        if not found:
            raise NotFoundError("No review decision to undo.")
    else:
        found = read(driver, r.DECISION_BY_ID, database=database, decision_id=decision_id)
        if not found:
            raise NotFoundError(
                f"No review decision {decision_id!r}; 'srm identities history' lists them."
            )
    decision = found[0]["decision"]
    if decision.get("undone_at"):
        raise ValidationError(f"Decision {decision['decision_id']} is already undone.")
    rows = []
    for pair, status, previous in zip(
        decision["pairs"], decision["previous_status"], decision["previous_reviewer"], strict=True
    ):
        a, b = pair.split("|")
        rows.append(store.pair_row(a, b, status=status or None, reviewed_by=previous or None))
    for kinds in q.PAIR_KINDS:
        group = [row for row in rows if (row["a_kind"], row["b_kind"]) == kinds]
        if group:
            write(driver, r.RESTORE_STATUS[kinds], database=database, rows=group)
    if decision.get("moved"):
        _move(driver, decision["moved"], decision["moved_to"], decision["moved_from"], database)
    write(driver, r.MARK_UNDONE, database=database, decision_id=decision["decision_id"],
          reviewer=reviewer)  # fmt: skip
    return dict(decision)


def write_model_info(
    driver: Driver, version: str, threshold: float, labels: int, threshold_from: str,
    database: str | None = None,
) -> None:  # fmt: skip
    """Keep the last resolution's model version, threshold and label count in the graph."""
    write(driver, r.WRITE_MODEL_INFO, database=database, version=version, threshold=threshold,
          labels=labels, threshold_from=threshold_from)  # fmt: skip


def model_info(driver: Driver, database: str | None = None) -> dict[str, Any]:
    """The last resolution's model version, threshold and label count (defaults before)."""
    found = read(driver, r.READ_MODEL_INFO, database=database)
    if found:
        return dict(found[0])
    return {"version": None, "threshold": DEFAULT_THRESHOLD, "labels": 0, "threshold_from": None}


def _pattern(evidence: str | None) -> tuple[tuple[str, str], ...]:
    steps = json.loads(evidence) if evidence else []
    return tuple(
        (s.get("comparison"), s.get("level")) for s in steps if s.get("comparison") != "prior"
    )


def merge_suggestions(driver: Driver, count: int, database: str | None = None) -> list[Suggestion]:
    """The ``count`` unreviewed candidate pairs most worth labelling
    (:func:`srm.graph.identity.active.suggest_pairs`): where the stored persons disagree
    with the scores, then around the last resolution's threshold, the pattern being the
    comparison levels of the stored evidence."""
    threshold = float(model_info(driver, database)["threshold"])
    rows = read(driver, r.SUGGESTION_PAIRS, database=database)
    pairs = [(row["a"], row["b"], row["probability"], _pattern(row["evidence"])) for row in rows]
    persons = {
        row[end]: row[f"person_{end}"] for row in rows for end in "ab" if row[f"person_{end}"]
    }
    return suggest_pairs(pairs, threshold=threshold, count=count, persons=persons)
