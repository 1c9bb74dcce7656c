"""Identity review: the decision history (``:ReviewDecision`` nodes), undo, suggestions.

A decision node keeps who decided what on which pair and when, the pair's probability
then, the persons of both records before and after, the SAME_AS statuses it replaced and
the records it moved between persons — all an undo needs. ``:IdentityModel {name:
'current'}`` keeps the last resolution's model version, threshold and label count.
"""

from __future__ import annotations

from srm.cypher.identity import _KINDS, _RECORD_ID, PAIR_KINDS, _ends

__all__ = [
    "DECISION_BY_ID",
    "DECISION_HISTORY",
    "LAST_DECISION",
    "MARK_UNDONE",
    "MOVE_RECORDS",
    "PAIR_STATES",
    "READ_MODEL_INFO",
    "RECORD_DECISION",
    "RECORD_PERSONS",
    "RESTORE_STATUS",
    "SUGGESTION_PAIRS",
    "WRITE_MODEL_INFO",
]

RECORD_PERSONS = {
    kind: f"""
UNWIND $rows AS row
MATCH (r:{label} {{{key}: row.key}})
OPTIONAL MATCH (r)-[:PART_OF]->(p:Person)
RETURN row.record_id AS record_id, p.person_id AS person_id
"""
    for kind, (label, key) in _KINDS.items()
}
# Moves a record only if it is still in the person it is moved from (an undo never drags
# a record out of a person a later decision put it in).
MOVE_RECORDS = {
    kind: f"""
UNWIND $rows AS row
MATCH (r:{label} {{{key}: row.key}})-[old:PART_OF]->(:Person {{person_id: row.from}})
MERGE (p:Person {{person_id: row.to}})
ON CREATE SET p.name = row.name, p.model_version = ''
DELETE old
MERGE (r)-[:PART_OF]->(p)
RETURN count(r) AS moved
"""
    for kind, (label, key) in _KINDS.items()
}
PAIR_STATES = {
    kinds: "UNWIND $rows AS row"
    + _ends(*kinds)
    + """
OPTIONAL MATCH (a)-[s:SAME_AS]->(b)
RETURN row.pair AS pair, s.status AS status, s.probability AS probability,
       s.reviewed_by AS reviewed_by
"""
    for kinds in PAIR_KINDS
}
RESTORE_STATUS = {
    kinds: "UNWIND $rows AS row"
    + _ends(*kinds)
    + """
MATCH (a)-[s:SAME_AS]->(b)
SET s.status = coalesce(row.status, 'candidate'), s.reviewed_by = row.reviewed_by,
    s.reviewed_at = CASE WHEN row.reviewed_by IS NULL THEN null ELSE s.reviewed_at END
RETURN count(s) AS restored
"""
    for kinds in PAIR_KINDS
}
RECORD_DECISION = """
MERGE (counter:ReviewCounter {name: 'identity'})
SET counter.last = coalesce(counter.last, 0) + 1
WITH counter.last AS seq
CREATE (d:ReviewDecision {
  decision_id: 'D' + toString(seq), seq: seq, decision: $decision, record_a: $record_a,
  record_b: $record_b, reviewer: $reviewer, at: datetime(), probability: $probability,
  persons_before: $persons_before, persons_after: $persons_after, pairs: $pairs,
  previous_status: $previous_status, previous_reviewer: $previous_reviewer,
  moved: $moved, moved_from: $moved_from, moved_to: $moved_to
})
RETURN d.decision_id AS decision_id
"""
_DECISION = "d {.*, at: toString(d.at), undone_at: toString(d.undone_at)} AS decision"
DECISION_HISTORY = f"""
MATCH (d:ReviewDecision) WHERE $pair IS NULL OR $pair IN d.pairs
RETURN {_DECISION}
ORDER BY d.seq DESC LIMIT $limit
"""
LAST_DECISION = f"""
MATCH (d:ReviewDecision) WHERE d.undone_at IS NULL
RETURN {_DECISION}
ORDER BY d.seq DESC LIMIT 1
"""
DECISION_BY_ID = f"MATCH (d:ReviewDecision {{decision_id: $decision_id}}) RETURN {_DECISION}"
MARK_UNDONE = """
MATCH (d:ReviewDecision {decision_id: $decision_id}) WHERE d.undone_at IS NULL
SET d.undone_at = datetime(), d.undone_by = $reviewer
RETURN count(d) AS marked
"""
SUGGESTION_PAIRS = f"""
MATCH (a)-[s:SAME_AS {{status: 'candidate'}}]->(b)
WHERE s.probability IS NOT NULL
OPTIONAL MATCH (a)-[:PART_OF]->(person_a:Person)
OPTIONAL MATCH (b)-[:PART_OF]->(person_b:Person)
RETURN {_RECORD_ID.format(n="a")} AS a, {_RECORD_ID.format(n="b")} AS b,
       s.probability AS probability, s.evidence AS evidence,
       person_a.person_id AS person_a, person_b.person_id AS person_b
"""
WRITE_MODEL_INFO = """
MERGE (m:IdentityModel {name: 'current'})
SET m.version = $version, m.threshold = $threshold, m.labels = $labels,
    m.threshold_from = $threshold_from, m.resolved_at = datetime()
"""
READ_MODEL_INFO = """
MATCH (m:IdentityModel {name: 'current'})
RETURN m.version AS version, m.threshold AS threshold, m.labels AS labels,
       m.threshold_from AS threshold_from
"""
