"""The person as the unit: influence and audience of a person over all their accounts.

Identity resolution links accounts to persons (``(:Profile)-[:PART_OF]->(:Person)``). A
*unit* is a person (its accounts in the projection) or an account that belongs to no
person (a lone account, its own unit). Given an account-level
:class:`~srm.graph.influence.InfluenceResult`:

- ``pagerank``: the sum of the accounts' PageRank — the stationary mass of the random
  walk on any of the person's accounts (PageRank is a probability, so masses add up).
- ``followers``, ``mention_in_degree``: sums over the accounts (declared followers cannot
  be deduplicated: the platforms do not say who they are).
- ``in_degree``: the *unduplicated audience* — follower units, not follower accounts:
  a follower person counts once however many of its accounts follow however many of the
  person's accounts, a follower account without a person counts as itself, and the
  person's own accounts following each other are no audience.
- ``betweenness``: the largest of the accounts' (a person is as much a bridge as its
  best-placed account).

A person's score is ``Σ weight_c · percentile_c / 100`` with each percentile taken
*against the accounts' distribution* of the same run (the share of scored accounts with a
strictly lower value), so a person is scored as one account holding the combined
components would be, and persons and lone accounts (which keep their account score) rank
on one scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from srm.graph.influence import COMPONENTS, InfluenceResult
from srm.graph.projection import PartOf, part_of_vertices

__all__ = [
    "AccountScores",
    "PersonInfluenceResult",
    "Units",
    "audience",
    "explain_person",
    "percentiles_against",
    "person_influence",
    "score_against",
    "units_of",
    "units_of_part_of",
]


@dataclass(frozen=True)
class Units:
    """Vertices grouped into units: ``ids[u]`` is a person id or, for a lone account, its
    profile key; ``is_person[u]`` says which; ``of_vertex[v]`` is vertex ``v``'s unit."""

    ids: list[str]
    is_person: np.ndarray
    of_vertex: np.ndarray

    @property
    def count(self) -> int:
        return len(self.ids)


def units_of(keys: list[str], part_of: Iterable[tuple[str, str]]) -> Units:
    """Units of the vertices named ``keys`` from ``(profile_key, person_id)`` pairs; pairs
    naming accounts outside ``keys`` are ignored, and an account listed twice stays with
    its first person. Persons come first, sorted by id, then lone accounts in vertex order.
    """
    index = {key: vertex for vertex, key in enumerate(keys)}
    code: dict[str, int] = {}
    vertices, persons, person_ids = [], [], []
    for key, person_id in part_of:
        vertices.append(index.get(key, -1))
        persons.append(code.setdefault(person_id, len(code)))
        person_ids.append(person_id)
    return units_of_part_of(
        keys, part_of_vertices(len(keys), np.asarray(vertices), np.asarray(persons), person_ids)
    )


def units_of_part_of(keys: list[str], part_of: PartOf) -> Units:
    """Units of the vertices named ``keys`` from their persons (as a projection read with
    its persons holds them, :attr:`~srm.graph.projection.Projection.part_of`): unit ``i``
    is ``part_of``'s person ``i``, then lone accounts follow in vertex order."""
    of_vertex = part_of.of_vertex.copy()
    lone = np.flatnonzero(of_vertex < 0)
    of_vertex[lone] = part_of.person_count + np.arange(len(lone))
    ids = [*part_of.person_ids, *(keys[v] for v in lone.tolist())]
    is_person = np.zeros(len(ids), dtype=bool)
    is_person[: part_of.person_count] = True
    return Units(ids=ids, is_person=is_person, of_vertex=of_vertex)


def audience(
    sources: np.ndarray, targets: np.ndarray, units: Units
) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: the distinct follower units and the distinct follower accounts of its
    accounts, from follow edges ``sources[j] → targets[j]`` (vertex indices), each
    ordered pair of accounts at most once (as a projection's edges are). Follows inside a
    unit are no audience. O(edges log edges) for the follows that touch a person, the
    only ones that can repeat a pair of units; the rest are counted directly."""
    n_units = units.count
    if n_units == 0:
        return np.zeros(0), np.zeros(0)
    of_vertex = units.of_vertex
    in_person = units.is_person[of_vertex]
    # into a lone account every follow is another follower account, and every follow
    # from a lone account another follower unit: counted from the in-degree, no sort
    follows_in = np.bincount(targets, minlength=len(of_vertex))
    touching = np.flatnonzero(in_person[sources] | in_person[targets])
    sources, targets = sources[touching], targets[touching]
    source_units, target_units = of_vertex[sources], of_vertex[targets]
    outside = source_units != target_units
    sources, source_units, target_units = (
        sources[outside],
        source_units[outside],
        target_units[outside],
    )
    into_person = units.is_person[target_units]
    # pairs packed as one integer (follower × units + followed unit), deduplicated by a sort
    by_unit = _distinct(source_units * n_units + target_units)
    by_account = _distinct(
        sources[into_person].astype(np.int64) * n_units + target_units[into_person]
    )
    persons = np.bincount(by_unit % n_units, minlength=n_units)
    accounts = np.bincount(by_account % n_units, minlength=n_units)
    lone = np.flatnonzero(~in_person)
    from_persons = np.bincount(target_units[~into_person], minlength=n_units)
    # a lone account's follows from other lone accounts: its in-degree less those from persons
    persons[of_vertex[lone]] += follows_in[lone] - from_persons[of_vertex[lone]]
    accounts[of_vertex[lone]] += follows_in[lone]
    return persons.astype(float), accounts.astype(float)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: a sort and a comparison (numpy's ``unique`` hashes
    integers, measured 100× slower than this on a million of them)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _largest(labels: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """The largest value per label (0 for a label without values)."""
    found = np.zeros(groups)
    if len(values) and values.any():
        order = np.lexsort((values, labels))
        last = np.flatnonzero(np.append(labels[order][1:] != labels[order][:-1], True))
        found[labels[order][last]] = values[order][last]
    return found


def _grouped(labels: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions sorted by label and where each label's run starts (``groups + 1``)."""
    order = np.argsort(labels, kind="stable")
    return order, np.searchsorted(labels[order], np.arange(groups + 1))


def percentiles_against(
    reference: np.ndarray, values: np.ndarray, *, ordered: np.ndarray | None = None
) -> np.ndarray:
    """Share (0–100) of ``reference`` entries strictly lower than each of ``values``;
    ``ordered``: ``reference`` sorted, when the caller has it."""
    if len(reference) == 0:
        return np.zeros(len(values))
    lower = np.searchsorted(np.sort(reference) if ordered is None else ordered, values, side="left")
    return 100.0 * lower / len(reference)


@dataclass(frozen=True)
class PersonInfluenceResult:
    """Influence per unit (see the module): raw ``components`` and their
    ``component_percentiles`` against the accounts, ``score`` (0–1), ``percentile``
    (0–100, against the accounts' scores), ``audience_accounts`` (distinct follower
    accounts) and ``account_count`` per unit."""

    accounts: InfluenceResult
    units: Units
    components: dict[str, np.ndarray]
    component_percentiles: dict[str, np.ndarray]
    score: np.ndarray
    percentile: np.ndarray
    audience_accounts: np.ndarray
    account_count: np.ndarray

    @cached_property
    def _vertices(self) -> tuple[np.ndarray, np.ndarray]:
        return _grouped(self.units.of_vertex, self.units.count)

    @cached_property
    def _target_units(self) -> np.ndarray:
        return self.units.of_vertex[self.accounts.projection.targets]

    @cached_property
    def _incoming_of(self) -> dict[int, np.ndarray]:
        return {}

    def members(self, unit: int) -> np.ndarray:
        """Vertices of ``unit``, in vertex order."""
        order, starts = self._vertices
        return order[starts[unit] : starts[unit + 1]]

    def incoming(self, unit: int) -> np.ndarray:
        """Edges into the accounts of ``unit``, in edge order."""
        found = self._incoming_of.get(unit)
        return np.flatnonzero(self._target_units == unit) if found is None else found

    def prepare_incoming(self, units: Iterable[int]) -> None:
        """Find the edges into each of ``units`` in one pass (what explaining them needs),
        instead of one pass per unit or a sort of every edge."""
        missing = [unit for unit in units if unit not in self._incoming_of]
        if not missing:  # e.g. the report's best, explained already by the write-back
            return
        wanted = np.zeros(self.units.count, dtype=bool)
        wanted[missing] = True
        edges = np.flatnonzero(wanted[self._target_units])
        grouped = np.argsort(self._target_units[edges], kind="stable")
        edges = edges[grouped]
        owners = self._target_units[edges]
        cuts = np.flatnonzero(owners[1:] != owners[:-1]) + 1
        for part in np.split(edges, cuts):
            if len(part):
                self._incoming_of[int(self._target_units[part[0]])] = part
        for unit in np.flatnonzero(wanted).tolist():
            self._incoming_of.setdefault(unit, np.zeros(0, dtype=np.int64))

    def persons(self) -> np.ndarray:
        """Unit indices of the persons (not the lone accounts)."""
        return np.flatnonzero(self.units.is_person)

    def ranking(self, top: int | None = None, *, persons_only: bool = False) -> list[int]:
        """Units by score, highest first, ties by id (lone accounts rank by their account
        score, which is theirs as a unit); ``persons_only`` leaves lone accounts out."""
        candidates = self.persons() if persons_only else np.arange(self.units.count)
        scores = self.score[candidates]
        if top is not None and top < len(candidates):
            # only the units scoring at least the top-th score (ties included) are sorted
            threshold = np.partition(scores, len(scores) - max(top, 1))[len(scores) - max(top, 1)]
            candidates = candidates[scores >= threshold]
        ids, score = self.units.ids, self.score.tolist()
        order = sorted(candidates.tolist(), key=lambda u: (-score[u], ids[u]))
        return order if top is None else order[:top]


def person_influence(
    result: InfluenceResult, part_of: Iterable[tuple[str, str]] | Units
) -> PersonInfluenceResult:
    """Influence of every unit of ``result``'s projection from the PART_OF pairs
    ``(profile_key, person_id)`` (or the units already made of them); a lone account's
    unit keeps its account score."""
    projection = result.projection
    units = part_of if isinstance(part_of, Units) else units_of(projection.keys, part_of)
    of_vertex = units.of_vertex
    n_units = units.count
    follows = projection.follows.astype(bool)
    persons_audience, accounts_audience = audience(
        projection.sources[follows], projection.targets[follows], units
    )
    components: dict[str, np.ndarray] = {
        name: np.bincount(of_vertex, weights=result.components[name], minlength=n_units)
        for name in ("pagerank", "followers", "mention_in_degree")
    }
    components["in_degree"] = persons_audience
    components["betweenness"] = _largest(of_vertex, result.components["betweenness"], n_units)
    component_percentiles, score, percentile = _placed(result, units, components)
    return PersonInfluenceResult(
        accounts=result,
        units=units,
        components=components,
        component_percentiles=component_percentiles,
        score=score,
        percentile=percentile,
        audience_accounts=accounts_audience,
        account_count=np.bincount(of_vertex, minlength=n_units).astype(float),
    )


def _placed(
    result: InfluenceResult, units: Units, components: dict[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """:func:`score_against` for every unit, placing only the persons: a lone account's
    components are its account's (a sum or maximum over one account), so its percentiles
    are its account's and it keeps its account score. Its audience is the exception: in
    follower units it is lower than in follower accounts when a person follows it from
    several accounts, and those few are placed against the accounts."""
    persons = np.flatnonzero(units.is_person)
    lone_vertices = np.flatnonzero(~units.is_person[units.of_vertex])
    lone = units.of_vertex[lone_vertices]
    placed, person_score, person_percentile = score_against(
        result, {name: values[persons] for name, values in components.items()}
    )
    component_percentiles = {}
    for name in COMPONENTS:
        found = np.empty(units.count)
        found[persons] = placed[name]
        found[lone] = result.component_percentiles[name][lone_vertices]
        component_percentiles[name] = found
    audience = components["in_degree"]
    fewer = lone[audience[lone] != result.components["in_degree"][lone_vertices]]
    component_percentiles["in_degree"][fewer] = percentiles_against(
        result.components["in_degree"], audience[fewer], ordered=result.sorted_values("in_degree")
    )
    score, percentile = np.empty(units.count), np.empty(units.count)
    score[persons], percentile[persons] = person_score, person_percentile
    score[lone], percentile[lone] = result.score[lone_vertices], result.percentile[lone_vertices]
    return component_percentiles, score, percentile


def score_against(
    accounts: InfluenceResult | AccountScores, components: dict[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Per component the percentile of ``components`` against the accounts' values, the
    weighted score (0–1) and its percentile against the accounts' scores (0–100)."""

    def ordered(name: str) -> np.ndarray | None:
        # a run's accounts were sorted when their percentiles were taken
        return accounts.sorted_values(name) if isinstance(accounts, InfluenceResult) else None

    component_percentiles = {
        name: percentiles_against(
            accounts.components[name], components[name], ordered=ordered(name)
        )
        for name in COMPONENTS
    }
    score = np.zeros(len(components["pagerank"]))
    for name in COMPONENTS:
        score += accounts.weights[name] * component_percentiles[name] / 100.0
    return (
        component_percentiles,
        score,
        percentiles_against(accounts.score, score, ordered=ordered("score")),
    )


@dataclass(frozen=True)
class AccountScores:
    """The accounts' stored scores of a run (what persons are placed against when they
    are rescored without recomputing the accounts, e.g. after an erasure)."""

    components: dict[str, np.ndarray]
    score: np.ndarray
    weights: dict[str, float]


def explain_person(found: PersonInfluenceResult, unit: int, *, top: int = 5) -> dict:
    """Why unit ``unit`` has its score: per component its value, percentile, weight and
    contribution; its accounts with their PageRank and share of the person's; its
    audience in persons and in accounts; and the follower units that passed it the most
    PageRank (``damping · PR(u) · w(u, v) / out_strength(u)`` summed over their accounts
    and the person's accounts), with their shares of that inflow."""
    result = found.accounts
    projection = result.projection
    weights = result.weights
    members = found.members(unit)
    parts = {
        name: {
            "value": float(found.components[name][unit]),
            "percentile": float(found.component_percentiles[name][unit]),
            "weight": weights[name],
            "contribution": weights[name] * float(found.component_percentiles[name][unit]) / 100,
        }
        for name in COMPONENTS
    }
    if weights["betweenness"] == 0:
        parts["betweenness"].update(value=None, percentile=None, contribution=0.0)
    rank = result.components["pagerank"]
    total = float(rank[members].sum())
    accounts = [
        {
            "key": projection.keys[v],
            "pagerank": float(rank[v]),
            "share": float(rank[v] / total) if total else 0.0,
            "followers_in_graph": float(result.components["in_degree"][v]),
            "score": float(result.score[v]),
        }
        for v in sorted(members.tolist(), key=lambda v: (-rank[v], projection.keys[v]))
    ]
    return {
        "unit": found.units.ids[unit],
        "is_person": bool(found.units.is_person[unit]),
        "score": float(found.score[unit]),
        "percentile": float(found.percentile[unit]),
        "audience": {
            "persons": int(found.components["in_degree"][unit]),
            "accounts": int(found.audience_accounts[unit]),
        },
        "components": parts,
        "accounts": accounts,
        "top_followers": _top_followers(found, unit, top),
    }


def _top_followers(found: PersonInfluenceResult, unit: int, top: int) -> list[dict]:
    result = found.accounts
    projection = result.projection
    units = found.units
    incoming = found.incoming(unit)
    senders = projection.sources[incoming]
    outside = units.of_vertex[senders] != unit
    incoming, senders = incoming[outside], senders[outside]
    if len(incoming) == 0:
        return []
    out_strength = result.out_strength
    given = (
        result.damping
        * result.components["pagerank"][senders]
        * projection.weights[incoming]
        / out_strength[senders]
    )
    sender_units = units.of_vertex[senders]
    unique_units, inverse = np.unique(sender_units, return_inverse=True)
    given_by_unit = np.bincount(inverse, weights=given)
    inflow = given_by_unit.sum()
    candidates = np.arange(len(unique_units))
    if 0 < top < len(candidates):
        # only the senders giving at least the top-th inflow (ties included) are sorted
        threshold = np.partition(given_by_unit, len(candidates) - top)[len(candidates) - top]
        candidates = candidates[given_by_unit >= threshold]
    given_list, sender_list = given_by_unit.tolist(), unique_units.tolist()
    ranked = sorted(candidates.tolist(), key=lambda i: (-given_list[i], units.ids[sender_list[i]]))
    order = ranked[:top]
    return [
        {
            "unit": units.ids[int(unique_units[i])],
            "is_person": bool(units.is_person[unique_units[i]]),
            "accounts": sorted({projection.keys[int(s)] for s in senders[inverse == i]}),
            "pagerank_given": float(given_by_unit[i]),
            "share": float(given_by_unit[i] / inflow) if inflow else 0.0,
        }
        for i in order
    ]
