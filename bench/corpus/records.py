"""People and organisations written down as CRM rows and social profiles.

Each :class:`Record` carries, besides its CSV row, the entity it belongs to and tags
saying how it departs from the plain truth (a typo, a nickname, a place written another
way…); :mod:`bench.corpus.pairs` turns those into failure classes of record pairs.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.corpus.names import (
    handle_from_name,
    nickname_of,
    pseudonym,
    strip_accents,
    suffix,
    title_for,
    typo,
)
from bench.corpus.places import written_place
from bench.corpus.population import Org, Person, World

__all__ = ["Ids", "Record", "customer_rows", "org_profiles", "person_profiles", "timestamp"]

INSTANCES = (
    "mastodon.social",
    "mastodon.online",
    "mstdn.social",
    "fosstodon.org",
    "mas.to",
    "hachyderm.io",
    "masto.es",
    "mastodon.green",
    "social.coop",
    "mastodon.world",
)
BASE32 = string.ascii_lowercase[:26] + "234567"


@dataclass
class Record:
    record_id: str
    entity: str
    platform: str | None  # None for a CRM row
    native_id: str
    handle: str = ""
    row: dict[str, str] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)
    surname_form: str = ""  # married, maiden, both, first, second, none
    place: str = ""  # official, variant, blank, moved
    email: str = ""


class Ids:
    """Unique native ids and handles per platform, drawn at random (no order to exploit)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: dict[str, set[str]] = {}

    def unique(self, platform: str, make: Callable[[], str]) -> str:
        taken = self.taken.setdefault(platform, set())
        value = make()
        while value in taken:
            value = make()
        taken.add(value)
        return value

    def native(self, platform: str, slug: str) -> str:
        rng = self.rng
        if platform == "bluesky":
            return self.unique(platform, lambda: "did:plc:" + "".join(rng.choices(BASE32, k=24)))
        if platform == "linkedin":
            return self.unique(platform, lambda: f"{slug}-{rng.getrandbits(36):09x}")
        if platform == "mastodon":
            return self.unique(platform, lambda: str(109_000_000_000_000_000 + rng.getrandbits(50)))
        return self.unique(platform, lambda: str(rng.getrandbits(60)))

    def handle(self, platform: str, wanted: str) -> str:
        rng = self.rng
        first = [True]

        def make() -> str:
            if first[0]:
                first[0] = False
                return wanted
            return f"{wanted}{rng.choice(['', '_'])}{rng.randint(1, 999)}"

        return self.unique("handle:" + platform, make)


def _platform_handle(
    rng: random.Random, ids: Ids, platform: str, base: str, site: str | None
) -> str:
    base = base[:28]
    if platform == "mastodon":
        return ids.handle(platform, f"{base}@{rng.choice(INSTANCES)}")
    if platform == "bluesky":
        if site and "/" not in site and site.count(".") == 1 and rng.random() < 0.5:
            return ids.handle(platform, site)  # a custom-domain handle: their own site
        return ids.handle(platform, f"{base}.bsky.social")
    if platform == "linkedin":
        return ids.handle(platform, base.replace("_", "-").replace(".", "-"))
    return ids.handle(platform, base)


def _surnames(rng: random.Random, person: Person) -> tuple[list[str], str]:
    """The surnames one record shows, and which form that is."""
    if person.maiden:
        roll = rng.random()
        if roll < 0.6:
            return person.surnames, "married"
        if roll < 0.9:
            return person.maiden, "maiden"
        return [f"{person.maiden[0]}-{person.surnames[0]}"], "both"
    if len(person.surnames) == 2:
        roll = rng.random()
        if roll < 0.55:
            return person.surnames[:1], "first"
        if roll < 0.85:
            return person.surnames, "both"
        if roll < 0.93:
            return [f"{person.surnames[0]}-{person.surnames[1]}"], "both"
        return person.surnames[1:], "second"
    return person.surnames, "first"


def _display(rng: random.Random, person: Person) -> tuple[str, set[str], str]:
    """A profile's display name, its tags and its surname form."""
    surnames, form = _surnames(rng, person)
    first = person.first
    tags: set[str] = set()
    roll = rng.random()
    if roll < 0.10 and (nick := nickname_of(rng, first)):
        first = nick
        tags.add("name_nickname")
    elif roll < 0.16:
        parts = first.split()
        first = f"{parts[0][0]}. {parts[1]}" if len(parts) > 1 else f"{parts[0][0]}."
        tags.add("name_initial")
    elif roll < 0.22:
        tags.add("name_in_handle")  # the display name gives the first name only
        return first.split()[0], tags, "none"
    elif roll < 0.26 and len(first.split()) > 1:
        first = first.split()[0]
    name = " ".join([first, *surnames])
    roll = rng.random()
    if roll < 0.07:
        name = f"{title_for(rng, person.locale.code)} {name}"
        tags.add("name_title")
    elif roll < 0.15:
        name = name + suffix(rng)
        tags.add("name_title")
    if rng.random() < 0.10 and strip_accents(name) != name:
        name = strip_accents(name)
        tags.add("name_accents")
    if rng.random() < 0.05:
        name = name.lower()
    return name, tags, form


def person_profiles(rng: random.Random, world: World, ids: Ids, entity: int) -> list[Record]:
    person = world.people[entity]
    records = []
    for position, platform in enumerate(person.platforms):
        tags: set[str] = set()
        if position in person.pseudonymous:
            display, base = pseudonym(rng)
            tags.add("name_pseudonym")
            form = "none"
        else:
            display, tags, form = _display(rng, person)
            surnames = person.maiden if form == "maiden" and person.maiden else person.surnames
            base = handle_from_name(rng, person.first, surnames, person.birth_year)
        handle = _platform_handle(rng, ids, platform, base, person.site)
        slug = handle.split("@")[0].split(".")[0]
        native = ids.native(platform, slug) if platform != "linkedin" else handle
        if platform == "linkedin":
            ids.taken.setdefault("linkedin", set()).add(native)
        city, place = person.city, ""
        if rng.random() < 0.05:  # moved, or wrote the town of work or study
            city, place = world.people[rng.randrange(len(world.people))].city, "moved"
        location, how = written_place(rng, city, blank=0.35 if "name_pseudonym" in tags else 0.22)
        record = Record(
            record_id=f"profile:{platform}:{native}",
            entity=person.person_id,
            platform=platform,
            native_id=native,
            handle=handle,
            tags=tags,
            surname_form=form,
            place=place or how,
        )
        record.row = _profile_row(record, display, location, "", _created(rng))
        records.append(record)
    return records


def _profile_row(
    record: Record, display: str, location: str, url: str, created_at: str
) -> dict[str, str]:
    """The profiles.csv row of a profile ``record``: no bio, and a follower count filled in
    once the follows are drawn."""
    return {
        "profile_id": record.native_id,
        "platform": record.platform or "",
        "handle": record.handle,
        "display_name": display,
        "bio": "",
        "location": location,
        "url": url,
        "followers_count": "",
        "created_at": created_at,
    }


def timestamp(rng: random.Random, first_year: int, last_year: int) -> str:
    """An ISO 8601 UTC time between the two years (months 1–11 of the last year)."""
    year = rng.randint(first_year, last_year)
    month = rng.randint(1, 11 if year == last_year else 12)
    day, hour, minute = rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
    return f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{rng.randint(0, 59):02d}Z"


def _created(rng: random.Random) -> str:
    return timestamp(rng, 2008, 2025)


ORG_SUFFIXES = (" Official", " Team", " Oficial", "", "", " (oficial)", " HQ")


def org_profiles(rng: random.Random, org: Org, ids: Ids) -> list[Record]:
    records = []
    slug = "".join(ch for ch in strip_accents(org.name).lower() if ch.isalnum())[:20]
    for platform in org.platforms:
        display = org.name + rng.choice(ORG_SUFFIXES)
        if org.legal and rng.random() < 0.5:
            display = f"{org.name} {org.legal}"
        handle = _platform_handle(rng, ids, platform, slug, None)
        native = ids.native(platform, slug) if platform != "linkedin" else handle
        location, how = written_place(rng, org.city, blank=0.15)
        record = Record(
            f"profile:{platform}:{native}",
            org.org_id,
            platform,
            native,
            handle,
            tags={"org"},
            place=how,
        )
        site = f"https://www.{org.site}"
        record.row = _profile_row(record, display, location, site, _created(rng))
        records.append(record)
    return records


def _phone(rng: random.Random, phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return rng.choice([phone, phone, digits, digits.lstrip("+"), phone.replace(" ", "-")])


def _crm_name(rng: random.Random, person: Person, tags: set[str]) -> tuple[str, str, str]:
    surnames, form = _surnames(rng, person)
    first, last = person.first, " ".join(surnames)
    roll = rng.random()
    if roll < 0.08:
        edits = 1 if rng.random() < 0.75 else 2
        if rng.random() < 0.5:
            first = typo(rng, first, edits)
        else:
            last = typo(rng, last, edits)
        tags.add("name_typo")
    elif roll < 0.11:
        first = f"{title_for(rng, person.locale.code)} {first}"
        tags.add("name_title")
    if rng.random() < 0.18 and strip_accents(first + last) != first + last:
        first, last = strip_accents(first), strip_accents(last)
        tags.add("name_accents")
    if rng.random() < 0.05:
        first, last = first.upper(), last.upper()
    return first, last, form


def customer_rows(
    rng: random.Random, world: World, entity: int, ids: Ids, x_handles: list[str]
) -> list[Record]:
    """The CRM rows of one person (two when they were entered twice)."""
    person = world.people[entity]
    records: list[Record] = []
    for copy in range(person.crm_rows):
        tags: set[str] = {"crm_duplicate"} if copy else set()
        first, last, form = _crm_name(rng, person, tags)
        if copy and "name_typo" not in tags and rng.random() < 0.6:
            last = typo(rng, last)
            tags.add("name_typo")
        roll = rng.random()
        email = person.work_email if roll < 0.2 and person.work_email else person.email
        email = "" if roll > 0.9 else email
        phone = _phone(rng, person.phone) if rng.random() < 0.8 else ""
        if copy:  # a duplicate shares the e-mail or the phone, so a clerk could find it
            email, phone = (
                (records[0].email or person.email, "")
                if rng.random() < 0.5
                else ("", _phone(rng, person.phone))
            )
        location, how = written_place(rng, person.city, blank=0.08)
        if how == "variant" and (rng.random() < 0.6 or not location.isascii()):
            # CRM forms mostly offer a list, and take no emoji
            location, how = person.city.name, "official"
        company = ""
        if person.employer is not None and rng.random() < 0.6:
            company = world.companies[person.employer][0]
        twitter = ""
        if x_handles and rng.random() < 0.35:
            twitter = rng.choice(["", "@"]) + x_handles[0]
            tags.add("xref_crm_twitter")
        customer_id = ids.unique("customer", lambda: f"C{rng.randint(0, 99_999_999):08d}")
        record = Record(
            f"customer:{customer_id}",
            person.person_id,
            None,
            customer_id,
            tags=tags,
            surname_form=form,
            place=how,
            email=email,
        )
        record.row = {
            "customer_id": customer_id,
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": phone,
            "city": location,
            "company": company,
            "twitter_handle": twitter,
            "segment": rng.choice(["retail", "b2b", "online", "vip", ""]),
        }
        records.append(record)
    return records
