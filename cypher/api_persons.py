"""Read statements of the query API for the person as the unit: persons ranked by
influence, and influencers ranked by unit (a person once, a lone account as itself).

A person's score is the one the influence run stamped on the :Person
(``Influence.SCORE``, docs/analytics.md); a person scored by no run yet ranks by its best
account's score. Filters narrow the *accounts*: a person is listed when one of its scored
accounts matches, with its person score.
"""

from __future__ import annotations

from srm.cypher.api_analytics import INFLUENCER_MATCHES
from srm.cypher.api_fields import profile_record
from srm.cypher.api_links import influence_of
from srm.cypher.influence import PERSON_INFLUENCE_COLUMNS, Influence

__all__ = [
    "INFLUENCER_UNITS_PAGE",
    "INFLUENCER_UNITS_PAGE_SHORT",
    "PERSONS_PAGE",
    "PERSON_COMMUNITIES",
    "PERSON_RECORD",
]

# What a person record of a ranked list carries: its name and scores under their property
# names (as a whole person record has them), never the long explanation text (read by id
# when a query selects it).
PERSON_RECORD = (
    "{node} {{.person_id, .name, "
    + ", ".join(f".{name}" for name in (Influence.RUN_ID, *PERSON_INFLUENCE_COLUMNS))
    + "}}"
)
_SCORE = Influence.SCORE

# Units: persons a run scored, by their own score, walked best first (index on the
# score) until the page's end; and the accounts whose unit has no score of its own (lone
# accounts, and accounts of persons no run has scored yet: such a person ranks by its best
# matching account), the best ``$window`` of them walked by account score and grouped by
# unit. Neither reads the whole graph. The two lists are merged and cut at the page's end.
# When the scored persons fill the page, only accounts scored at least as high as its last
# one can still enter it: the account walk starts at the top and stops there (after
# identity resolution and an influence run every account has a scored person, and the walk
# would otherwise pass every account of the graph looking for one that has none).
# ``unsure`` says the window was full and may have cut a unit off (its ``floor`` is the
# lowest account score it held): the caller asks again with a wider window
# (srm.api.services.persons.influencer_units); a null window reads every such account.
# A person's accounts are read from the person (pattern comprehensions, whose only plan is
# to expand from the bound node): as EXISTS or MATCH subqueries the planner could start
# from the profile score index instead and read every account once per person (a
# fresh-clone CI run met a plan with 1.4M db hits on 3,000 profiles).
_UNITS = f"""
CALL () {{
  MATCH (person:Person)
  USING INDEX person:Person({_SCORE})
  WHERE person.{_SCORE} IS NOT NULL
    AND any(p IN [(person)<-[:PART_OF]-(account:Profile) | account] WHERE {INFLUENCER_MATCHES})
  WITH person ORDER BY person.{_SCORE} DESC, person.person_id LIMIT $offset + $limit
  CALL (person) {{
    UNWIND [(person)<-[:PART_OF]-(account:Profile) | account] AS p
    WITH p WHERE {INFLUENCER_MATCHES}
    RETURN p AS lead ORDER BY p.{_SCORE} DESC, p.profile_key LIMIT 1
  }}
  RETURN collect({{unit: person.person_id, lead: lead, person: person,
                  score: person.{_SCORE}}}) AS scored
}}
WITH scored, CASE WHEN size(scored) = $offset + $limit THEN scored[-1].score
                  ELSE -1.7976931348623157e308 END AS cutoff
CALL (cutoff) {{
  MATCH (p:Profile)
  WHERE p.{_SCORE} >= cutoff
    AND {INFLUENCER_MATCHES}
    AND none(score IN [(p)-[:PART_OF]->(person:Person) | person.{_SCORE}] WHERE score IS NOT NULL)
  WITH p ORDER BY p.{_SCORE} DESC, p.profile_key LIMIT coalesce($window, 9223372036854775807)
  OPTIONAL MATCH (p)-[:PART_OF]->(person:Person)
  WITH p, person ORDER BY p.{_SCORE} DESC, p.profile_key
  WITH coalesce(person.person_id, p.profile_key) AS unit, person, collect(p) AS accounts
  WITH collect({{unit: unit, lead: accounts[0], person: person,
                score: accounts[0].{_SCORE}}}) AS units,
       sum(size(accounts)) AS seen, min(accounts[-1].{_SCORE}) AS floor
  RETURN units AS unscored, seen, floor
}}
UNWIND scored + unscored AS unit
WITH unit, seen, floor ORDER BY unit.score DESC, unit.unit
WITH collect(unit)[..$offset + $limit] AS units, seen, floor
WITH units, seen = $window AND (size(units) < $offset + $limit OR units[-1].score <= floor)
     AS unsure
UNWIND units[$offset..] AS unit
WITH unit.lead AS lead, unit.person AS person, unit.score AS score, unsure
RETURN {profile_record("lead")} AS record,
       CASE WHEN person IS NULL THEN null ELSE {PERSON_RECORD.format(node="person")} END AS person,
       score, unsure,
"""
INFLUENCER_UNITS_PAGE = _UNITS + influence_of("lead") + " AS influence\n"
INFLUENCER_UNITS_PAGE_SHORT = _UNITS + "null AS influence\n"

# Scored persons, by influence or by unduplicated audience; filters on their accounts.
PERSONS_PAGE = f"""
MATCH (person:Person)
WHERE person.{_SCORE} IS NOT NULL
  AND ($min_accounts IS NULL OR coalesce(person.{Influence.ACCOUNTS}, 0) >= $min_accounts)
  AND (NOT $customers_only OR EXISTS {{ (person)<-[:PART_OF]-(:Customer) }})
  AND ($platform IS NULL OR EXISTS {{ (person)<-[:PART_OF]-(:Profile {{platform: $platform}}) }})
  AND ($community IS NULL
       OR EXISTS {{ (person)<-[:PART_OF]-(:Profile)-[:IN]->(c:Community)
                    WHERE toString(c.community_id) = $community }})
  AND ($brand IS NULL
       OR EXISTS {{ (person)<-[:PART_OF]-(:Profile)-[:FOLLOWS]->(:Profile)
                    -[:OFFICIAL_OF]->(:Brand {{name: $brand}}) }})
WITH person,
     CASE $order WHEN 'audience' THEN person.{Influence.IN_DEGREE} ELSE person.{_SCORE} END
       AS ranked
ORDER BY ranked DESC, person.{_SCORE} DESC, person.person_id
SKIP $offset
LIMIT $limit
RETURN {PERSON_RECORD.format(node="person")} AS record
"""

# The communities of the latest community run holding each person's accounts, with how
# many of its accounts are there and their share of its accounts in that run's
# communities (a person in two or more is a bridge); most accounts first.
PERSON_COMMUNITIES = """
CALL () {
  MATCH (c:Community)
  WITH DISTINCT c.run_id AS run_id
  OPTIONAL MATCH (run:AlgorithmRun {run_id: run_id})
  RETURN run_id ORDER BY coalesce(run.finished_at, run.started_at) DESC, run_id DESC LIMIT 1
}
UNWIND $ids AS key
MATCH (:Person {person_id: key})<-[:PART_OF]-(p:Profile)-[:IN]->(c:Community {run_id: run_id})
WITH key, c, count(p) AS here
ORDER BY here DESC, c.community_id
WITH key, collect({community: c {.*, size: COUNT { (:Profile)-[:IN]->(c) }}, accounts: here})
       AS places
WITH key, places, reduce(total = 0, place IN places | total + place.accounts) AS total
RETURN key, [place IN places | place {.*, share: toFloat(place.accounts) / total}] AS records
"""
