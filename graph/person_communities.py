"""Communities counted in persons: how many persons (a person's accounts once, a lone
account as itself) each community holds, and the persons whose accounts fall in
different communities — bridges, each with the share of its accounts in every community.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from srm.graph.persons import Units

__all__ = ["Bridge", "CommunityPersons", "community_persons"]


@dataclass(frozen=True)
class Bridge:
    """A person whose accounts fall in different communities: ``communities`` as
    ``(community_id, share of its accounts there)``, largest share first."""

    person_id: str
    communities: list[tuple[int, float]]


@dataclass(frozen=True)
class CommunityPersons:
    """Per community the persons among its members (a person's accounts once, a lone
    account as itself), and the persons that bridge communities."""

    person_counts: dict[int, int]
    bridges: list[Bridge]


def community_persons(
    units: Units, membership: np.ndarray, kept: Iterable[int] | None = None
) -> CommunityPersons:
    """Person counts per community and the bridging persons, from each vertex's community
    (``membership``) and unit. Only communities in ``kept`` count (all when None): members
    of communities too small to be written are left out, as their IN links are. Bridges
    are ordered by the number of communities, then by person id."""
    membership = np.asarray(membership, dtype=np.int64)
    chosen = (
        np.ones(len(membership), dtype=bool)
        if kept is None
        else np.isin(membership, np.fromiter(kept, dtype=np.int64))
    )
    communities, units_of = membership[chosen], units.of_vertex[chosen]
    if len(communities) == 0:
        return CommunityPersons(person_counts={}, bridges=[])
    pairs = np.sort(communities * units.count + units_of)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    # pairs are sorted, so each community's pairs are one run
    owners = pairs // units.count
    starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
    sizes = np.diff(np.append(starts, len(owners)))
    person_counts = dict(zip(owners[starts].tolist(), sizes.tolist(), strict=True))
    in_person = units.is_person[units_of]
    spread: dict[int, dict[int, int]] = {}
    for unit, community in zip(
        units_of[in_person].tolist(), communities[in_person].tolist(), strict=True
    ):
        places = spread.setdefault(unit, {})
        places[community] = places.get(community, 0) + 1
    bridges = [
        Bridge(
            person_id=units.ids[unit],
            communities=sorted(
                ((community, count / sum(places.values())) for community, count in places.items()),
                key=lambda pair: (-pair[1], pair[0]),
            ),
        )
        for unit, places in spread.items()
        if len(places) > 1
    ]
    bridges.sort(key=lambda bridge: (-len(bridge.communities), bridge.person_id))
    return CommunityPersons(person_counts=person_counts, bridges=bridges)
