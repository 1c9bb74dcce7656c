"""The people and organisations behind the records, before anything is written down.

A person has a locale, given name(s), one or two surnames (a maiden surname where it
changed on marriage), a city drawn by population, a birth year, e-mail and phone, an
employer drawn from a Zipf-sized company pool, an interest community, friends (mostly in
the same city and community: homophily, McPherson et al. 2001), and how many CRM rows and
social accounts carry them. Organisations (hospitals, city councils, shops of a chain,
companies' brand accounts) have accounts too but are not persons.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker

from bench.corpus.names import strip_accents
from bench.corpus.sources import (
    LOCALES,
    PLATFORMS,
    TWO_SURNAMES,
    City,
    Locale,
    Weighted,
    load_locale,
)

__all__ = ["INTERESTS", "Org", "Person", "World", "make_world"]

INTERESTS = (
    "running",
    "photography",
    "tech",
    "football",
    "cooking",
    "music",
    "politics",
    "travel",
    "gaming",
    "fashion",
    "science",
    "books",
    "cycling",
    "art",
)
# accounts a person holds on social platforms (0 = CRM only)
ACCOUNT_COUNTS = Weighted(["0", "1", "2", "3", "4"], [0.30, 0.30, 0.22, 0.12, 0.06])
MARRIED_NAME_LOCALES = frozenset({"en_US", "en_GB", "de_DE", "fr_FR"})
PERSONAL_SITES = (
    "github.com/{h}",
    "about.me/{h}",
    "{h}.substack.com",
    "medium.com/@{h}",
    "{h}.com",
    "{h}.es",
    "www.{h}.net",
    "{h}.github.io",
    "behance.net/{h}",
)


@dataclass
class Person:
    person_id: str
    locale: Locale
    female: bool
    first: str
    surnames: list[str]
    maiden: list[str] | None
    city: City
    birth_year: int
    email: str
    work_email: str | None
    phone: str
    employer: int | None
    interest: str
    crm_rows: int
    platforms: list[str]
    site: str | None
    pseudonymous: set[int] = field(default_factory=set)  # account positions
    friends: list[int] = field(default_factory=list)


@dataclass
class Org:
    org_id: str
    kind: str  # hospital, council, shop, company, club
    name: str
    legal: str
    city: City
    site: str
    platforms: list[str]


@dataclass
class World:
    people: list[Person]
    orgs: list[Org]
    companies: list[tuple[str, str]]  # name, web domain
    locales: dict[str, Locale]
    fakers: dict[str, Faker]


def _email(rng: random.Random, locale: Locale, first: str, surnames: list[str], year: int) -> str:
    given = strip_accents(first.split()[0]).lower()
    family = strip_accents(surnames[0]).lower().replace(" ", "")
    local = rng.choice(
        [
            f"{given}.{family}",
            f"{given}{family}",
            f"{given[:1]}{family}",
            f"{given}{family}{year % 100:02d}",
            f"{given}_{family}",
            f"{family}.{given}",
            f"{given}{rng.randint(1, 9999)}",
        ]
    )
    return f"{local}@{rng.choice(locale.free_domains)}"


def _companies(rng: random.Random, fakers: dict[str, Faker], count: int) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    codes = sorted(fakers)
    for index in range(count):
        company = fakers[codes[index % len(codes)]].company()
        slug = "".join(
            ch for ch in strip_accents(company.split(",")[0].split()[0]).lower() if ch.isalnum()
        )
        names.append((company, f"{slug or 'empresa'}{index}.com"))
    return names


def _person(
    rng: random.Random, index: int, locale: Locale, faker: Faker, company_law: Weighted
) -> Person:
    female = rng.random() < 0.5
    given = locale.female if female else locale.male
    first = given.draw(rng)
    if locale.code in TWO_SURNAMES and rng.random() < 0.25:  # compound given names
        second = given.draw(rng)
        first = f"{first} {second}" if second != first else first
    count = 2 if locale.code in TWO_SURNAMES else 1
    surnames = [locale.surnames.draw(rng) for _ in range(count)]
    maiden = None
    if female and locale.code in MARRIED_NAME_LOCALES and rng.random() < 0.35:
        maiden = surnames
        surnames = [locale.surnames.draw(rng)]
    year = rng.randint(1950, 2004)
    city = locale.city_info[locale.cities.draw(rng)]
    accounts = int(ACCOUNT_COUNTS.draw(rng))
    crm_rows = 1 if accounts == 0 or rng.random() < 0.45 else 0
    if crm_rows and rng.random() < 0.04:
        crm_rows = 2  # entered twice
    weights = list(locale.platform_weights)
    platforms: list[str] = []
    for _ in range(accounts):
        platform = rng.choices(PLATFORMS, weights)[0]
        platforms.append(platform)
        weights[PLATFORMS.index(platform)] *= 0.08  # a second account on one platform is rare
    employed = rng.random() < 0.6
    # companies alternate by locale (see _companies): rank r of this locale is r * 9 + its place
    employer = None
    if employed:
        employer = int(company_law.draw(rng)) * len(LOCALES) + sorted(LOCALES).index(locale.code)
    pseudonymous = {k for k in range(accounts) if rng.random() < 0.08}
    site = None
    if rng.random() < 0.2 and accounts:
        handle = strip_accents(first.split()[0] + surnames[0]).lower().replace(" ", "")
        site = rng.choice(PERSONAL_SITES).format(
            h=f"{handle}{rng.randint(0, 99) if rng.random() < 0.5 else ''}"
        )
    return Person(
        person_id=f"P{index:06d}",
        locale=locale,
        female=female,
        first=first,
        surnames=surnames,
        maiden=maiden,
        city=city,
        birth_year=year,
        email=_email(rng, locale, first, maiden or surnames, year),
        work_email=None,
        phone=faker.phone_number(),
        employer=employer,
        interest=rng.choice(INTERESTS),
        crm_rows=crm_rows,
        platforms=platforms,
        site=site,
        pseudonymous=pseudonymous,
    )


ORG_PATTERNS = {
    "hospital": (
        "Hospital Universitario {x}",
        "Hospital {x}",
        "{x} General Hospital",
        "Klinikum {x}",
        "Hôpital {x}",
        "Ospedale {x}",
        "Hospital São {x}",
    ),
    "council": (
        "Ayuntamiento de {c}",
        "City of {c}",
        "Stadt {c}",
        "Prefeitura de {c}",
        "Câmara Municipal de {c}",
        "Mairie de {c}",
        "Comune di {c}",
        "{c} City Council",
    ),
    "club": ("Club Deportivo {c}", "{c} FC", "Atlético {c}", "{c} Running Club"),
}
SAINTS = (
    "San Juan",
    "La Paz",
    "Santa María",
    "San Carlos",
    "del Mar",
    "La Princesa",
    "Virgen del Rocío",
    "St Mary's",
    "St Thomas'",
    "Santo António",
    "San Raffaele",
)
CHAINS = (
    "Zara",
    "Mercadona",
    "Starbucks",
    "Decathlon",
    "Carrefour",
    "El Corte Inglés",
    "Oxxo",
    "Lidl",
    "Boots",
    "Fnac",
)
BRANCHES = ("", "Centro", "Norte", "Sur", "Plaza", "Outlet", "Airport", "Station", "Mall", "2")
LEGAL = ("S.A.U.", "S.L.", "GmbH", "Inc.", "Ltd", "S.p.A.", "S.A. de C.V.", "Lda.", "SAS")


def _orgs(
    rng: random.Random, people: list[Person], companies: list[tuple[str, str]], count: int
) -> list[Org]:
    """``count`` organisations with distinct names (two shops of a chain differ by branch,
    two hospitals by name): a name written twice would be one organisation."""
    orgs: list[Org] = []
    used: set[str] = set()
    for _ in range(count * 5):
        if len(orgs) == count:
            break
        kind = rng.choices(["hospital", "council", "shop", "company", "club"], [2, 2, 3, 3, 1])[0]
        city = people[rng.randrange(len(people))].city
        legal = ""
        if kind in ORG_PATTERNS:
            pattern = rng.choice(ORG_PATTERNS[kind])
            name = pattern.format(x=rng.choice(SAINTS), c=city.name)
            site = "".join(ch for ch in strip_accents(name).lower() if ch.isalnum()) + ".org"
        elif kind == "shop":
            chain = rng.choice(CHAINS)
            place = rng.choice([*city.variants[:3], city.name])
            name = f"{chain} {place} {rng.choice(BRANCHES)}".strip()
            site = "".join(ch for ch in strip_accents(chain).lower() if ch.isalnum()) + ".com"
        else:
            name, site = companies[rng.randrange(min(len(companies), 60))]
            legal = rng.choice(LEGAL)
        if name in used:
            continue
        used.add(name)
        accounts = rng.choices([1, 2, 3], [0.5, 0.35, 0.15])[0]
        platforms = rng.sample(list(PLATFORMS), accounts)
        orgs.append(Org(f"O{len(orgs):05d}", kind, name, legal, city, site, platforms))
    return orgs


def _friends(rng: random.Random, people: list[Person]) -> None:
    """~12 friends each: 55 % in the same city and interest, 30 % same city, the rest anywhere."""
    by_city: dict[str, list[int]] = {}
    by_group: dict[tuple[str, str], list[int]] = {}
    for index, person in enumerate(people):
        by_city.setdefault(person.city.name, []).append(index)
        by_group.setdefault((person.city.name, person.interest), []).append(index)
    for index, person in enumerate(people):
        group = by_group[(person.city.name, person.interest)]
        city = by_city[person.city.name]
        chosen: dict[int, None] = {}
        for _ in range(rng.randint(3, 20)):
            roll = rng.random()
            pool = group if roll < 0.55 else city if roll < 0.85 else None
            other = rng.choice(pool) if pool else rng.randrange(len(people))
            if other != index:
                chosen[other] = None
        person.friends = list(chosen)


def _unique(rng: random.Random, email: str, seen: set[str]) -> str:
    local, _, domain = email.partition("@")
    while email in seen:
        email = f"{local}{rng.randint(2, 999)}@{domain}"
    seen.add(email)
    return email


def _unique_contacts(rng: random.Random, persons: list[Person], fakers: dict[str, Faker]) -> None:
    """One e-mail address and one phone number belong to one person: a taken address gets
    digits, a taken number is drawn again (Faker's en_GB numbers have 3 free digits)."""
    emails: set[str] = set()
    phones: set[str] = set()
    for person in persons:
        person.email = _unique(rng, person.email, emails)
        if person.work_email:
            person.work_email = _unique(rng, person.work_email, emails)
        for attempt in range(20):
            key = "".join(ch for ch in person.phone if ch.isdigit())[-9:]
            if key not in phones:
                break
            person.phone = (
                fakers[person.locale.code].phone_number()
                if attempt < 5
                else person.phone[:-4] + f"{rng.randint(0, 9999):04d}"
            )
        phones.add("".join(ch for ch in person.phone if ch.isdigit())[-9:])


def make_world(people: int, seed: int) -> World:
    """``people`` persons with their orgs, companies and friendships, all from ``seed``."""
    rng = random.Random(seed)
    locales = {code: load_locale(code) for code in LOCALES}
    fakers: dict[str, Faker] = {}
    for offset, code in enumerate(LOCALES):
        faker = Faker(code)
        faker.seed_instance(seed * 31 + offset)
        fakers[code] = faker
    per_locale = max(3, people // 225)
    companies = _companies(rng, fakers, per_locale * len(LOCALES))
    company_law = Weighted(
        [str(k) for k in range(per_locale)], [1.0 / (k + 2) for k in range(per_locale)]
    )
    locale_law = Weighted(list(LOCALES), [share for _, share, _ in LOCALES.values()])
    persons = []
    for index in range(people):
        code = locale_law.draw(rng)
        persons.append(_person(rng, index, locales[code], fakers[code], company_law))
    for person in persons:
        if person.employer is not None and rng.random() < 0.3:
            local = person.email.split("@")[0]
            person.work_email = f"{local}@{companies[person.employer][1]}"
    _unique_contacts(rng, persons, fakers)
    orgs = _orgs(rng, persons, companies, max(8, people // 60))
    _friends(rng, persons)
    return World(persons, orgs, companies, locales, fakers)
