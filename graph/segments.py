"""Segments of a brand's social audience: customers, community, competitors' audience.

Definitions (profiles; officials of any brand are never members):

- ``customers``: profiles linked to a CRM customer — claimed by one (CLAIMS) or part of
  the same person as one (PART_OF).
- ``audience``: profiles engaged with the brand — they follow or mention one of its
  official profiles (OFFICIAL_OF).
- ``community``: the audience that is not (yet) customers.
- ``competitors_audience``: profiles engaged with any competitor brand.
- ``customers_with_competitors``: customers engaged with a competitor (at risk).
- ``shared_audience``: the brand's audience also engaged with a competitor.

Overlaps are reported for every pair of the base sets as counts and Jaccard indexes
(Jaccard 1901: ``|A ∩ B| / |A ∪ B|``). Customer-influencers are customers ranked by their
influence score.

Sizes and overlaps are also counted in persons, given each profile's *unit* (its person
id, or the profile itself without a person): a customer who follows the brand from two
platforms is one customer in the audience, and a person with one account in the brand's
audience and another in a competitor's is in the shared audience.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from itertools import combinations

__all__ = ["BrandSegments", "Overlap", "brand_segments", "jaccard"]

DESCRIPTIONS = {
    "customers": "Profiles linked to a CRM customer (claimed or same person).",
    "audience": "Profiles that follow or mention the brand's official accounts.",
    "community": "Engaged with the brand's official accounts but not a customer.",
    "competitors_audience": "Engaged with a competitor's official accounts.",
    "customers_with_competitors": "Customers engaged with a competitor (at risk).",
    "shared_audience": "Engaged with both the brand and a competitor.",
}


def jaccard(left: Collection[str], right: Collection[str]) -> float:
    """``|A ∩ B| / |A ∪ B|``; 0.0 when both are empty."""
    left_set, right_set = set(left), set(right)
    union = len(left_set | right_set)
    return len(left_set & right_set) / union if union else 0.0


@dataclass(frozen=True)
class Overlap:
    left: str
    right: str
    count: int
    jaccard: float
    persons: int = 0


@dataclass(frozen=True)
class BrandSegments:
    """Members per segment name, pairwise overlaps, and customer-influencers as
    ``(profile_key, score)`` highest first."""

    brand: str
    competitors: list[str]
    members: dict[str, set[str]]
    overlaps: list[Overlap]
    customer_influencers: list[tuple[str, float]]

    person_members: dict[str, set[str]] = field(default_factory=dict)

    def sizes(self) -> dict[str, int]:
        return {name: len(keys) for name, keys in self.members.items()}

    def person_sizes(self) -> dict[str, int]:
        """Segment sizes counted in persons."""
        return {name: len(units) for name, units in self.person_members.items()}


def brand_segments(
    brand: str,
    *,
    customers: Collection[str],
    engaged: Mapping[str, Collection[str]],
    competitors: Collection[str],
    officials: Collection[str] = (),
    influence: Mapping[str, float] | None = None,
    top_influencers: int = 20,
    unit_of: Mapping[str, str] | None = None,
) -> BrandSegments:
    """Segments of ``brand``.

    ``customers``: keys of customer-linked profiles; ``engaged``: brand name → keys of
    profiles that follow or mention its officials; ``competitors``: the competitor brand
    names; ``officials``: official profile keys of every brand (removed everywhere);
    ``influence``: profile key → influence score (customers without one rank last);
    ``unit_of``: profile key → person id (profiles absent from it stand alone).
    """
    units = unit_of or {}

    def persons(keys: set[str]) -> set[str]:
        return {units.get(key, key) for key in keys}

    excluded = set(officials)
    customer_set = set(customers) - excluded
    audience = set(engaged.get(brand, ())) - excluded
    rivals = sorted(set(competitors) - {brand})
    competitor_set = set().union(*(set(engaged.get(name, ())) for name in rivals)) - excluded
    members = {
        "customers": customer_set,
        "audience": audience,
        "community": audience - customer_set,
        "competitors_audience": competitor_set,
        "customers_with_competitors": customer_set & competitor_set,
        "shared_audience": audience & competitor_set,
    }
    # the same definitions over persons: a person is in the audience when one of its
    # accounts is, a customer when one of its records is, and so on
    customer_units, audience_units = persons(customer_set), persons(audience)
    competitor_units = persons(competitor_set)
    person_members = {
        "customers": customer_units,
        "audience": audience_units,
        "community": audience_units - customer_units,
        "competitors_audience": competitor_units,
        "customers_with_competitors": customer_units & competitor_units,
        "shared_audience": audience_units & competitor_units,
    }
    base = ("customers", "audience", "community", "competitors_audience")
    overlaps = [
        Overlap(
            left=left,
            right=right,
            count=len(members[left] & members[right]),
            jaccard=jaccard(members[left], members[right]),
            persons=len(person_members[left] & person_members[right]),
        )
        for left, right in combinations(base, 2)
    ]
    scores = influence or {}
    ranked = sorted(customer_set, key=lambda key: (-(scores.get(key) or 0.0), key))
    return BrandSegments(
        brand=brand,
        competitors=rivals,
        members=members,
        overlaps=overlaps,
        customer_influencers=[(key, float(scores.get(key) or 0.0)) for key in ranked][
            :top_influencers
        ],
        person_members=person_members,
    )
