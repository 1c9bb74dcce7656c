"""Statements of the person layer: a person's influence written with its run id, the
inputs to recompute it after an erasure, and audiences counted in persons.

A *unit* is a person or an account that belongs to no person; in Cypher, the unit of a
profile ``p`` is ``coalesce(person.person_id, p.profile_key)`` over an optional
``(p)-[:PART_OF]->(person:Person)``. Parameters only; nothing here is built from user input.
"""

from __future__ import annotations

__all__ = [
    "ACCOUNT_INFLUENCE_OF_RUN",
    "BENCH_CREATE_PERSONS",
    "CLEAR_PERSON_INFLUENCE",
    "CLEAR_PERSON_INFLUENCE_OF_RUN",
    "LATEST_INFLUENCE_RUN",
    "PART_OF_IDS",
    "PART_OF_KEYS",
    "PERSON_ACCOUNTS_OF_RUN",
    "PERSON_FOLLOWS",
    "PERSON_INFLUENCE_COLUMNS",
    "PERSON_INFLUENCE_PROPERTIES",
    "PERSON_NAMES",
    "SET_PERSON_INFLUENCE",
    "SET_PERSON_INFLUENCE_BY_ID",
    "SET_PERSON_INFLUENCE_EXPLANATION",
]

# The influence properties a run stores on each person, named once: rows are
# [person_id, *values in this order]. influence_in_degree is the unduplicated audience
# (follower persons), influence_audience_accounts the distinct follower accounts.
PERSON_INFLUENCE_COLUMNS = (
    "influence_score",
    "influence_percentile",
    "influence_pagerank",
    "influence_in_degree",
    "influence_audience_accounts",
    "influence_followers",
    "influence_mention_in_degree",
    "influence_betweenness",
    "influence_accounts",
)
PERSON_INFLUENCE_PROPERTIES = (
    *PERSON_INFLUENCE_COLUMNS,
    "influence_run_id",
    "influence_explanation",
)

# Every account's person, as three parallel lists in one record (profile node ids, person
# ids, person node ids): the run matches them to its projection by node id.
PART_OF_IDS = """
MATCH (p:Profile)-[:PART_OF]->(person:Person)
RETURN collect(id(p)) AS profile_ids, collect(person.person_id) AS person_ids,
       collect(id(person)) AS node_ids
"""

# row: [person node id, *PERSON_INFLUENCE_COLUMNS, explanation JSON or null], matched by
# the id read in the same run; one statement for scores and explanations (a person not
# explained by this run loses an older run's text).
SET_PERSON_INFLUENCE_BY_ID = f"""
UNWIND $rows AS row
MATCH (p:Person) WHERE id(p) = row[0]
SET p.influence_run_id = $run_id,
    {", ".join(f"p.{name} = row[{index}]" for index, name in enumerate(PERSON_INFLUENCE_COLUMNS, 1))},
    p.influence_explanation = row[{len(PERSON_INFLUENCE_COLUMNS) + 1}]
"""

# row: [person_id, *PERSON_INFLUENCE_COLUMNS] (a rescore, outside a run's reads)
SET_PERSON_INFLUENCE = f"""
UNWIND $rows AS row
MATCH (p:Person {{person_id: row[0]}})
SET p.influence_run_id = $run_id,
    {", ".join(f"p.{name} = row[{index}]" for index, name in enumerate(PERSON_INFLUENCE_COLUMNS, 1))}
"""

# row: [person_id, explanation JSON]
SET_PERSON_INFLUENCE_EXPLANATION = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row[0]})
SET p.influence_explanation = row[1]
"""

CLEAR_PERSON_INFLUENCE_OF_RUN = f"""
MATCH (p:Person) WHERE p.influence_run_id IN $ids
REMOVE {", ".join(f"p.{name}" for name in PERSON_INFLUENCE_PROPERTIES)}
"""

# row: [person_id]
CLEAR_PERSON_INFLUENCE = f"""
UNWIND $rows AS row
MATCH (p:Person {{person_id: row[0]}})
REMOVE {", ".join(f"p.{name}" for name in PERSON_INFLUENCE_PROPERTIES)}
"""

# --- recomputing persons from stored account scores (after an erasure) -----------------

LATEST_INFLUENCE_RUN = """
MATCH (run:AlgorithmRun {algorithm: 'influence'})
WHERE run.finished_at IS NOT NULL AND run.status = 'finished'
RETURN run.run_id AS run_id, run.parameters AS parameters
ORDER BY run.finished_at DESC, run.run_id DESC LIMIT 1
"""

# Every account scored by the run, as columns (the distributions persons are placed in).
ACCOUNT_INFLUENCE_OF_RUN = """
MATCH (p:Profile {influence_run_id: $run_id})
RETURN collect(p.profile_key) AS keys,
       collect(p.influence_score) AS score,
       collect(p.influence_pagerank) AS pagerank,
       collect(p.influence_in_degree) AS in_degree,
       collect(coalesce(p.followers_count, 0)) AS followers,
       collect(p.influence_mention_in_degree) AS mention_in_degree,
       collect(coalesce(p.influence_betweenness, 0.0)) AS betweenness
"""

# The scored accounts of some persons.
PERSON_ACCOUNTS_OF_RUN = """
UNWIND $ids AS person_id
MATCH (a:Profile {influence_run_id: $run_id})-[:PART_OF]->(:Person {person_id: person_id})
RETURN person_id, a.profile_key AS key
"""

# Follows into the given persons' accounts: the follower's unit and account.
PERSON_FOLLOWS = """
UNWIND $ids AS person_id
MATCH (f:Profile)-[:FOLLOWS]->(a:Profile)-[:PART_OF]->(:Person {person_id: person_id})
WHERE NOT EXISTS { (f)-[:PART_OF]->(:Person {person_id: person_id}) }
OPTIONAL MATCH (f)-[:PART_OF]->(fp:Person)
RETURN person_id, f.profile_key AS follower, coalesce(fp.person_id, f.profile_key) AS unit
"""

PERSON_NAMES = """
UNWIND $ids AS person_id
MATCH (p:Person {person_id: person_id})
RETURN person_id, p.name AS name
"""

# Every account's person by key, as two parallel lists in one record (reach, cascades
# and segments count their audiences in persons with it).
PART_OF_KEYS = """
MATCH (p:Profile)-[:PART_OF]->(person:Person)
RETURN collect(p.profile_key) AS keys, collect(person.person_id) AS person_ids
"""

# --- bench only: persons over a synthetic graph -------------------------------------------

# row: [person_id, [node ids of its accounts]]
BENCH_CREATE_PERSONS = """
UNWIND $rows AS row
CREATE (person:Person {person_id: row[0]})
WITH person, row
UNWIND row[1] AS node_id
MATCH (p:Profile) WHERE id(p) = node_id
CREATE (p)-[:PART_OF]->(person)
"""
