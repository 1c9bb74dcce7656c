"""Record pairs labelled with the failure class that makes them hard.

True pairs (``same`` = 1) are every pair of one entity's records, each labelled with every
class it shows: ``name_*`` (typo, nickname, initial, title, in_handle, pseudonym, accents,
married, partial_surname), ``place_*`` (variant, blank, moved), ``crm_duplicate``,
``org_same``, ``xref_*`` (url, bio_link, email_in_bio, crm_twitter), or ``plain`` when
none applies. Hard negatives (``same`` = 0): ``namesake`` (same first given name and
first surname), ``crm_namesake`` (two customers of that name in the same city),
``org_shared_words``, ``xref_foreign_link``, ``xref_stale_link``, ``xref_shared_host``.
A pair may appear once per class.
"""

from __future__ import annotations

import itertools
import random

from bench.corpus.names import strip_accents
from bench.corpus.population import World
from bench.corpus.records import Record
from bench.corpus.xrefs import Pair

__all__ = ["CLASSES", "label_pairs"]

# The tags of a record's name variations, each also the class of a true pair carrying it.
NAME_TAGS = (
    "name_typo",
    "name_nickname",
    "name_initial",
    "name_title",
    "name_in_handle",
    "name_pseudonym",
    "name_accents",
)
CLASSES = (
    "plain",
    *NAME_TAGS,
    "name_married",
    "name_partial_surname",
    "place_variant",
    "place_blank",
    "place_moved",
    "crm_duplicate",
    "org_same",
    "xref_url",
    "xref_bio_link",
    "xref_email_in_bio",
    "xref_crm_twitter",
    "namesake",
    "crm_namesake",
    "org_shared_words",
    "xref_foreign_link",
    "xref_stale_link",
    "xref_shared_host",
)
MAX_RECORDS = 10  # an entity's pairs are all listed up to this many records
MAX_GROUP_PAIRS = 30


def _where(record: Record) -> str:
    text = record.row.get("location") if record.platform else record.row.get("city")
    return strip_accents(text or "").strip().lower()


def _true_classes(a: Record, b: Record) -> set[str]:
    classes = (a.tags | b.tags) & set(NAME_TAGS)
    forms = {a.surname_form, b.surname_form}
    if forms >= {"married", "maiden"} or (forms & {"married", "maiden"} and "both" in forms):
        classes.add("name_married")
    elif len(forms - {"none"}) > 1:
        classes.add("name_partial_surname")
    places = {a.place, b.place}
    if "moved" in places:
        classes.add("place_moved")
    elif "blank" in places:
        classes.add("place_blank")
    elif _where(a) != _where(b):
        classes.add("place_variant")
    if a.platform is None and b.platform is None:
        classes.add("crm_duplicate")
    if "org" in a.tags:
        classes = {"org_same"} | (classes & {"place_variant", "place_blank"})
    return classes or {"plain"}


def _group_negatives(
    rng: random.Random,
    groups: dict[tuple[str, ...], list[str]],
    records: dict[str, list[Record]],
    label: str,
    crm_only: bool = False,
) -> list[Pair]:
    """Up to MAX_GROUP_PAIRS pairs of different entities per group, one record of each
    (CRM rows only when ``crm_only``)."""
    pairs: list[Pair] = []
    for key in sorted(groups):
        if len(groups[key]) < 2:
            continue
        combos = list(itertools.combinations(groups[key], 2))
        for left, right in rng.sample(combos, min(MAX_GROUP_PAIRS, len(combos))):
            pool_a = [r for r in records[left] if r.platform is None or not crm_only]
            pool_b = [r for r in records[right] if r.platform is None or not crm_only]
            if pool_a and pool_b:
                a, b = rng.choice(pool_a), rng.choice(pool_b)
                pairs.append((a.record_id, b.record_id, 0, label))
    return pairs


def label_pairs(
    rng: random.Random, world: World, records: dict[str, list[Record]], explicit: list[Pair]
) -> list[Pair]:
    """Every labelled pair: true pairs of each entity, namesakes, organisations sharing
    words, and the explicit cross-reference pairs."""
    pairs: list[Pair] = []
    for entity in records:
        own = records[entity][:MAX_RECORDS]
        for a, b in itertools.combinations(own, 2):
            pairs += [(a.record_id, b.record_id, 1, c) for c in sorted(_true_classes(a, b))]
    # namesakes: same first given name and first surname, anywhere; CRM namesakes: two
    # customers of that name in the same city
    anywhere: dict[tuple[str, ...], list[str]] = {}
    same_city: dict[tuple[str, ...], list[str]] = {}
    for person in world.people:
        if person.person_id in records:
            key = (
                strip_accents(person.first.split()[0]).lower(),
                strip_accents(person.surnames[0]).lower(),
            )
            anywhere.setdefault(key, []).append(person.person_id)
            if person.crm_rows:
                same_city.setdefault((*key, person.city.name), []).append(person.person_id)
    pairs += _group_negatives(rng, anywhere, records, "namesake")
    pairs += _group_negatives(rng, same_city, records, "crm_namesake", crm_only=True)
    shared_words: dict[tuple[str, ...], list[str]] = {}
    for org in world.orgs:
        if org.org_id in records:
            word = strip_accents(org.name.split()[0]).lower()
            shared_words.setdefault((org.kind, word), []).append(org.org_id)
    pairs += _group_negatives(rng, shared_words, records, "org_shared_words")
    pairs += explicit
    unique: dict[tuple[str, str, str], Pair] = {}
    for first, second, same, label in pairs:
        left, right = sorted((first, second))
        unique.setdefault((left, right, label), (left, right, same, label))
    return list(unique.values())
