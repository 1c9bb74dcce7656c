"""Statements of the person layer: a person's influence written with its run id, the
inputs to recompute it after an erasure, and audiences counted in persons.

A *unit* is a person or an account that belongs to no person; in Cypher, the unit of a
profile ``p`` is ``coalesce(person.person_id, p.profile_key)`` over an optional
``(p)-[:PART_OF]->(person:Person)``. Parameters only; nothing here is built from user input.
"""

from __future__ import annotations

from srm.cypher.influence import PERSON_INFLUENCE_COLUMNS, Influence, stored_digests

__all__ = [
    "ACCOUNT_INFLUENCE",
    "BENCH_CREATE_PERSONS",
    "CLEAR_PERSON_INFLUENCE",
    "CLEAR_PERSON_INFLUENCE_OF_RUN",
    "LATEST_INFLUENCE_RUN",
    "PART_OF_KEYS",
    "PERSON_FOLLOWS",
    "PERSON_NAMES",
    "PERSON_SCORED_ACCOUNTS",
    "SET_PERSON_INFLUENCE",
    "SET_PERSON_INFLUENCE_BY_ID",
    "SET_PERSON_INFLUENCE_EXPLANATION",
    "STORED_PERSON_INFLUENCE",
]

_SET_COLUMNS = ", ".join(
    f"p.{name} = row[{index}]" for index, name in enumerate(PERSON_INFLUENCE_COLUMNS, 1)
)
_REMOVE_ALL = ", ".join(
    f"p.{name}" for name in (*PERSON_INFLUENCE_COLUMNS, Influence.RUN_ID, Influence.EXPLANATION)
)

# What earlier runs stamped on each person: node id, digest and whether it holds an
# explanation (a re-run writes only the persons whose values changed, the explained best,
# and those whose old explanation must go). The persons' accounts come with the
# projection (srm.cypher.analytics.PROJECTION_PART_OF).
STORED_PERSON_INFLUENCE = stored_digests("Person", explained=True)

# row: [person node id, *PERSON_INFLUENCE_COLUMNS, explanation JSON or null], matched by
# the id read in the same run; one statement for scores and explanations (a person not
# explained by this run loses an older run's text).
SET_PERSON_INFLUENCE_BY_ID = f"""
UNWIND $rows AS row
MATCH (p:Person) WHERE id(p) = row[0]
SET p.{Influence.RUN_ID} = $run_id, {_SET_COLUMNS},
    p.{Influence.EXPLANATION} = row[{len(PERSON_INFLUENCE_COLUMNS) + 1}],
    p.{Influence.DIGEST} = row[{len(PERSON_INFLUENCE_COLUMNS) + 2}]
"""

# row: [person_id, *PERSON_INFLUENCE_COLUMNS] (a rescore, outside a run's reads)
SET_PERSON_INFLUENCE = f"""
UNWIND $rows AS row
MATCH (p:Person {{person_id: row[0]}})
SET p.{Influence.RUN_ID} = $run_id, {_SET_COLUMNS}, p.{Influence.DIGEST} = null
"""

# row: [person_id, explanation JSON]
SET_PERSON_INFLUENCE_EXPLANATION = f"""
UNWIND $rows AS row
MATCH (p:Person {{person_id: row[0]}})
SET p.{Influence.EXPLANATION} = row[1]
"""

CLEAR_PERSON_INFLUENCE_OF_RUN = f"""
MATCH (p:Person) WHERE p.{Influence.RUN_ID} IN $ids
REMOVE {_REMOVE_ALL}
"""

# row: [person_id]
CLEAR_PERSON_INFLUENCE = f"""
UNWIND $rows AS row
MATCH (p:Person {{person_id: row[0]}})
REMOVE {_REMOVE_ALL}
"""

# --- recomputing persons from stored account scores (after an erasure) -----------------

LATEST_INFLUENCE_RUN = """
MATCH (run:AlgorithmRun {algorithm: 'influence'})
WHERE run.finished_at IS NOT NULL AND run.status = 'finished'
RETURN run.run_id AS run_id, run.parameters AS parameters
ORDER BY run.finished_at DESC, run.run_id DESC LIMIT 1
"""

# Every account scored by the run, as columns (the distributions persons are placed in).
# Every scored account, as columns named as graph.influence names the components
# (Influence.column): the distributions persons are placed in. A re-run leaves unchanged
# accounts stamped with an earlier surviving run, so this reads them all, not one run's.
ACCOUNT_INFLUENCE = f"""
MATCH (p:Profile) WHERE p.{Influence.SCORE} IS NOT NULL
RETURN collect(p.profile_key) AS keys,
       collect(p.{Influence.SCORE}) AS {Influence.SCORE.column},
       collect(p.{Influence.PAGERANK}) AS {Influence.PAGERANK.column},
       collect(p.{Influence.IN_DEGREE}) AS {Influence.IN_DEGREE.column},
       collect(coalesce(p.followers_count, 0)) AS followers,
       collect(p.{Influence.MENTION_IN_DEGREE}) AS {Influence.MENTION_IN_DEGREE.column},
       collect(coalesce(p.{Influence.BETWEENNESS}, 0.0)) AS {Influence.BETWEENNESS.column}
"""

# The scored accounts of some persons.
PERSON_SCORED_ACCOUNTS = f"""
UNWIND $ids AS person_id
MATCH (a:Profile)-[:PART_OF]->(:Person {{person_id: person_id}})
WHERE a.{Influence.SCORE} IS NOT NULL
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
