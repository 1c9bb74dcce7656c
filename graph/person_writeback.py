"""Thin reads and writes of the person layer: persons' influence written with the run id,
persons rescored from the stored account scores (after an erasure), units of profiles.
A run's persons come with its projection (:attr:`srm.graph.projection.Projection.part_of`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from neo4j import Driver

from srm.cypher import persons as statements
from srm.cypher.influence import PERSON_INFLUENCE_COLUMNS, Influence
from srm.graph.influence import COMPONENTS
from srm.graph.persons import (
    AccountScores,
    PersonInfluenceResult,
    explain_person,
    score_against,
)
from srm.graph.projection import WORKERS
from srm.graph.writeback import (
    WRITE_BATCH,
    StoredDigests,
    read,
    read_stored,
    row_digests,
    surviving_runs,
    write_rows,
)

__all__ = [
    "person_names",
    "person_of_profiles",
    "rescore_persons",
    "stored_person_digests",
    "write_person_influence",
]


def _row(person: str | int, values: Sequence[Any]) -> list[Any]:
    return [person, *(None if value is None else float(value) for value in values)]


def stored_person_digests(
    driver: Driver, keep: int, *, database: str | None = None
) -> StoredDigests:
    """The digests of the persons stamped by a run the clean-up after this one keeps
    (``keep`` runs), with whether each holds an explanation: what a re-run compares."""
    return read_stored(
        driver, surviving_runs(driver, keep, database), database, statements.STORED_PERSON_INFLUENCE
    )


def write_person_influence(
    driver: Driver,
    found: PersonInfluenceResult,
    run_id: str,
    person_nodes: np.ndarray,
    *,
    explain_top: int = 100,
    keep: int | None = None,
    stored: StoredDigests | None = None,
    database: str | None = None,
) -> int:
    """Stamp every person of ``found`` with its score, percentile, components, audience
    (persons and accounts), account count and ``run_id``; the ``explain_top`` best get
    ``influence_explanation`` (JSON: components, accounts, top followers). Persons are
    matched by ``person_nodes`` (person ``i``'s node id, as the projection read it: the
    persons are the first units). Betweenness is written only when the run computed it (a
    null removes an older value). With ``keep``, as for the accounts
    (:func:`srm.graph.writeback.write_influence`), a person whose stored digest equals its
    new row's, stamped by a run the clean-up keeps, is left as it is unless it is among
    the explained best or still holds an explanation it no longer earns (written again,
    its explanation removed); the digests are compared in numpy, and only the persons
    written become rows. ``stored``: the persons' stored digests when the caller read them
    already (:func:`stored_person_digests`, e.g. while scoring). Returns the persons
    written."""
    computed = found.accounts.weights.get("betweenness", 0) > 0
    # by column name (Influence.column; the components keep graph.influence's names)
    columns = {
        Influence.SCORE.column: found.score,
        Influence.PERCENTILE.column: found.percentile,
        Influence.AUDIENCE_ACCOUNTS.column: found.audience_accounts,
        Influence.ACCOUNTS.column: found.account_count,
        **found.components,
    }
    persons = found.persons()
    # Rows follow PERSON_INFLUENCE_COLUMNS; betweenness is NaN (sent as null) when the run
    # did not compute it.
    values = np.column_stack(
        [columns[name.column][persons] for name in PERSON_INFLUENCE_COLUMNS]
    ).astype(float)
    betweenness = PERSON_INFLUENCE_COLUMNS.index(Influence.BETWEENNESS)
    if not computed:
        values[:, betweenness] = np.nan
    values = values.reshape(len(persons), len(PERSON_INFLUENCE_COLUMNS))
    digests = row_digests(values)
    person_nodes = np.asarray(person_nodes, dtype=np.int64)[persons]
    explained_units = found.ranking(explain_top, persons_only=True)
    best = np.zeros(found.units.count, dtype=bool)
    best[explained_units] = True
    write = np.ones(len(persons), dtype=bool)
    if keep is not None and len(persons):
        if stored is None:
            stored = stored_person_digests(driver, keep, database=database)
        stamped, held, holds_explanation = stored.match(person_nodes)
        write = ~(stamped & (held == digests)) | best[persons] | holds_explanation
    found.prepare_incoming(explained_units)
    explained = {
        unit: json.dumps(explain_person(found, unit), ensure_ascii=False)
        for unit in explained_units
    }
    chosen = np.flatnonzero(write)
    table: list[list[float | None]] = values[chosen].tolist()
    if not computed:
        for row in table:
            row[betweenness] = None
    nodes, digest_list, units = (
        person_nodes[chosen].tolist(),
        digests[chosen].tolist(),
        persons[chosen].tolist(),
    )
    rows = (
        [nodes[k], *table[k], explained.get(units[k]), digest_list[k]] for k in range(len(chosen))
    )
    return write_rows(
        driver,
        statements.SET_PERSON_INFLUENCE_BY_ID,
        rows,
        batch_size=WRITE_BATCH,
        database=database,
        writers=WORKERS,  # each row sets its own person's properties: no shared locks
        run_id=run_id,
    )


def person_names(
    driver: Driver, person_ids: Iterable[str], *, database: str | None = None
) -> dict[str, str]:
    """``person_id → name`` for the persons that have one."""
    rows = read(driver, statements.PERSON_NAMES, database=database, ids=sorted(set(person_ids)))
    return {row["person_id"]: row["name"] for row in rows if row["name"]}


def person_of_profiles(driver: Driver, *, database: str | None = None) -> dict[str, str]:
    """``profile_key → person_id`` of every account that belongs to a person (an account
    absent from it is its own unit)."""
    rows = read(driver, statements.PART_OF_KEYS, database=database)
    if not rows:
        return {}
    return dict(zip(rows[0]["keys"], rows[0]["person_ids"], strict=True))


def rescore_persons(
    driver: Driver, person_ids: Iterable[str], *, database: str | None = None
) -> int:
    """Recompute the influence of ``person_ids`` from their remaining accounts' stored
    scores (sums, unduplicated audience, best betweenness), placed against every scored
    account as :func:`srm.graph.persons.person_influence` does, and stamped with the
    latest influence run's id. Persons left without a scored account lose their
    influence. Used after an erasure removes an account from a person; the explanation
    keeps components, accounts and audience (the followers' PageRank shares need a full
    run). Returns the persons rescored."""
    wanted = sorted(set(person_ids))
    runs = read(driver, statements.LATEST_INFLUENCE_RUN, database=database)
    if not wanted or not runs:
        return 0
    run_id = runs[0]["run_id"]
    parameters = json.loads(runs[0]["parameters"] or "{}")
    stored = read(driver, statements.ACCOUNT_INFLUENCE, database=database)
    if not stored or not stored[0]["keys"]:
        return 0
    columns = stored[0]
    weights = dict(parameters.get("weights") or {})
    total = sum(weights.values()) or 1.0
    accounts = AccountScores(
        components={name: np.asarray(columns[name], dtype=float) for name in COMPONENTS},
        score=np.asarray(columns[Influence.SCORE.column], dtype=float),
        weights={name: weights.get(name, 0.0) / total for name in COMPONENTS},
    )
    position = {key: index for index, key in enumerate(columns["keys"])}
    members: dict[str, list[int]] = defaultdict(list)
    for row in read(driver, statements.PERSON_SCORED_ACCOUNTS, database=database, ids=wanted):
        if row["key"] in position:
            members[row["person_id"]].append(position[row["key"]])
    followers: dict[str, set[str]] = defaultdict(set)
    follower_units: dict[str, set[str]] = defaultdict(set)
    for row in read(driver, statements.PERSON_FOLLOWS, database=database, ids=wanted):
        followers[row["person_id"]].add(row["follower"])
        follower_units[row["person_id"]].add(row["unit"])
    scored = sorted(members)
    values = {name: np.zeros(len(scored)) for name in COMPONENTS}
    for row, person_id in enumerate(scored):
        vertices = members[person_id]
        for name in ("pagerank", "followers", "mention_in_degree"):
            values[name][row] = accounts.components[name][vertices].sum()
        values["betweenness"][row] = accounts.components["betweenness"][vertices].max()
        values["in_degree"][row] = len(follower_units[person_id])
    component_percentiles, score, percentile = score_against(accounts, values)
    rows = []
    for row, person_id in enumerate(scored):
        by_column = {
            Influence.SCORE.column: score[row],
            Influence.PERCENTILE.column: percentile[row],
            Influence.AUDIENCE_ACCOUNTS.column: len(followers[person_id]),
            Influence.ACCOUNTS.column: len(members[person_id]),
            **{name: values[name][row] for name in COMPONENTS},
        }
        rows.append(_row(person_id, [by_column[c.column] for c in PERSON_INFLUENCE_COLUMNS]))
    write_rows(driver, statements.SET_PERSON_INFLUENCE, rows, database=database, run_id=run_id)
    explanations = [
        [
            person_id,
            json.dumps(
                {
                    "unit": person_id,
                    "is_person": True,
                    "score": float(score[row]),
                    "percentile": float(percentile[row]),
                    "rescored": "after an erasure, from the accounts' stored scores",
                    "audience": {
                        "persons": len(follower_units[person_id]),
                        "accounts": len(followers[person_id]),
                    },
                    "components": {
                        name: {
                            "value": float(values[name][row]),
                            "percentile": float(component_percentiles[name][row]),
                            "weight": accounts.weights[name],
                        }
                        for name in COMPONENTS
                    },
                    "accounts": sorted(columns["keys"][v] for v in members[person_id]),
                },
                ensure_ascii=False,
            ),
        ]
        for row, person_id in enumerate(scored)
    ]
    write_rows(driver, statements.SET_PERSON_INFLUENCE_EXPLANATION, explanations, database=database)
    emptied = [[person_id] for person_id in wanted if person_id not in members]
    # a person whose every scored account went has no influence in this run any more
    write_rows(driver, statements.CLEAR_PERSON_INFLUENCE, emptied, database=database)
    return len(scored)
