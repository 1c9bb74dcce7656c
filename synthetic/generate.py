"""Synthetic canonical bundles with ground truth, for the demo, tests and benchmarks.

``generate_bundle(out, people=N, seed=S)`` writes ``customers.csv``, ``profiles.csv``,
``follows.csv``, ``posts.csv``, ``brands.csv`` and ``truth.csv`` (``record_id,person_id``,
record ids ``customer:<customer_id>`` and ``profile:<platform>:<profile_id>``).

The population (:mod:`srm.synthetic.people`): Spanish and English names with accents, double
surnames and nicknames (Paco/Francisco, Pepe/José, Bob/Robert), 0–3 accounts per person on
different platforms with varied handles and display names, namesakes, CRM customers that
overlap the social accounts in part (some listing their X handle, a few wrongly, a few
twice). Some people have an employer (in the CRM row and named in some bios) or a personal
web domain (their CRM e-mail and some profiles' url); a few bios give the e-mail. The
follower graph has communities (blocks of people who mostly follow each other), a few
influencers and brand accounts (an own brand and two competitors). Each person has one
circle of contacts, and each of their accounts follows most of that circle's members
present on its platform, plus a few accounts of its own: one person's accounts share much
of their neighbourhood, as real ones do. Posts mention mostly followed accounts, and some
reply to, quote or repost recent posts.

One pass over the people, writing every file as it goes: 1M profiles / 10M follows
stream to disk; the only state that grows is the map of e-mail addresses already given
(one entry per CRM address, tens of MB at a million people). Same seed → byte-identical files.
"""

from __future__ import annotations

import csv
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from srm.bundle_format import (
    CUSTOMER_HEADER,
    FOLLOW_HEADER,
    POST_HEADER,
    SYNTHETIC_PROFILE_HEADER,
)
from srm.synthetic.names import COMPANIES, MAIL_DOMAINS
from srm.synthetic.people import (
    PLATFORMS,
    Person,
    account_platforms,
    ascii_fold,
    mix,
    person,
    profile_id,
    uniform,
)

__all__ = ["BRANDS", "GenerateSummary", "generate_bundle"]

BRANDS = (
    ("Sabor Ibérico", "saboriberico", True),
    ("Rival Foods", "rivalfoods", False),
    ("Tasty Co", "tastyco", False),
)
_BRAND_IDS = {"x": 2_000_000_000, "mastodon": 200_000_000}
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_TEMPLATES_ES = (
    "¡Qué buen día en {city}! {mentions}",
    "Probando lo nuevo de {mentions} 👌",
    "Gracias {mentions} por todo",
    "¿Alguien más en {city} este finde? {mentions}",
)
_TEMPLATES_EN = (
    "Lovely day in {city} {mentions}",
    "Trying the new thing from {mentions}",
    "Thanks {mentions}!",
    "Anyone else in {city} this weekend? {mentions}",
)


@dataclass
class GenerateSummary:
    """Rows written per file, and seconds taken."""

    people: int = 0
    customers: int = 0
    profiles: int = 0
    follows: int = 0
    posts: int = 0
    brands: int = len(BRANDS)
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)


def _brand_profile_id(platform: str, brand: int) -> str:
    if platform in _BRAND_IDS:
        return str(_BRAND_IDS[platform] + brand)
    return f"did:plc:brand{brand:019x}"


def _brand_handle(platform: str, slug: str) -> str:
    if platform == "bluesky":
        return f"{slug}.bsky.social"
    if platform == "mastodon":
        return f"{slug}@social.example"
    return slug


# Of a person's circle, the share each of their accounts follows (where the contact is on
# that platform), and the circle's size per expected follow: platforms hold about 45 % of
# people, so a circle 2.5× the follow mean gives about the mean follows per account.
_CIRCLE_KEEP = 0.75
_CIRCLE_SIZE = 2.5
_OWN_FOLLOWS = 0.2
_ROLES_ES = ("Marketing", "Ventas", "Ingeniera", "Diseño", "Atención al cliente")
_ROLES_EN = ("Marketing", "Sales", "Engineer", "Design", "Customer care")


def _exponential(u: float, mean: float) -> int:
    return min(int(-math.log(1.0 - u) * mean + 0.5), int(mean * 6) + 1)


class _Generator:
    def __init__(
        self, people: int, seed: int, follows_per_profile: float, posts_per_profile: float
    ):
        self.n, self.seed = people, seed
        self.follows_mean, self.posts_mean = follows_per_profile, posts_per_profile
        self.block = max(25, min(500, people // 20))
        count = max(3, people // 200)
        self.influencers = [mix(seed, 99, k) % people for k in range(count)]
        self.recent: dict[str, deque[str]] = {platform: deque(maxlen=500) for platform in PLATFORMS}
        self.post_counter = 0
        self.summary = GenerateSummary(people=people)
        self.addresses: dict[str, int] = {}  # e-mail address → the person it belongs to

    def _contact(self, index: int, salt: int) -> int | None:
        """A contact of person ``index``: another person's index, or -1-brand."""
        r = uniform(self.seed, index, 30, salt)
        h = mix(self.seed, index, 31, salt)
        if r < 0.08:
            return -1 - (0 if h % 3 else (h >> 8) % len(BRANDS))
        if r < 0.22:
            other = self.influencers[h % len(self.influencers)]
        elif r < 0.85:
            start = index - index % self.block
            other = start + h % max(1, min(self.block, self.n - start))
        else:
            other = h % self.n
        return None if other == index else other

    def _on(self, contact: int, platform: str) -> tuple[str, int] | None:
        """The contact's profile on ``platform`` (profile id, contact), if it has one."""
        if contact < 0:
            return _brand_profile_id(platform, -1 - contact), contact
        if platform not in account_platforms(self.seed, contact):
            return None
        return profile_id(platform, contact), contact

    def _circle(self, index: int) -> list[int]:
        """Person ``index``'s contacts, shared by all their accounts."""
        wanted = _exponential(uniform(self.seed, index, 50), self.follows_mean * _CIRCLE_SIZE)
        found: dict[int, None] = {}
        for attempt in range(wanted * 2):
            if len(found) >= wanted:
                break
            contact = self._contact(index, attempt)
            if contact is not None:
                found[contact] = None
        return list(found)

    def _handle_of(self, platform: str, target: int) -> str:
        if target < 0:
            return _brand_handle(platform, BRANDS[-1 - target][1])
        found = [a for a in person(self.seed, target).accounts if a.platform == platform]
        return found[0].handle if found else ""

    def employer(self, who: Person) -> str:
        """Where ``who`` works ('' for about half of the people)."""
        if uniform(self.seed, who.index, 24) >= 0.5:
            return ""
        return COMPANIES[mix(self.seed, who.index, 25) % len(COMPANIES)]

    def web_domain(self, who: Person) -> str:
        """A personal web domain of ``who`` ('' for most people)."""
        if uniform(self.seed, who.index, 26) >= 0.12:
            return ""
        name = ascii_fold(f"{who.nickname}{who.surnames[0]}").lower()
        name = "".join(ch for ch in name if ch.isalnum())
        return f"{name}{mix(self.seed, who.index, 27) % 100}.example.net"

    def email(self, who: Person, first: str, h: int) -> str:
        """An e-mail of ``who`` writing ``first`` as their first name (``h`` varies it).

        An address belongs to one person, as a mail provider sees to: a namesake who
        would get an address already given gets digits added (``ana.gil`` → ``ana.gil417``)."""
        domain = self.web_domain(who)
        if domain and (h >> 50) % 3:
            local, host = ascii_fold(first).lower().split()[0], domain
        else:
            local = ascii_fold(f"{first}.{who.surnames[0]}").lower().replace(" ", "")
            local = local.replace("'", "") + ("" if (h >> 5) % 2 else str(70 + (h >> 9) % 30))
            host = MAIL_DOMAINS[(h >> 13) % len(MAIL_DOMAINS)]
        address, attempt = f"{local}@{host}", 0
        while self.addresses.setdefault(address, who.index) != who.index:
            attempt += 1
            address = f"{local}{mix(self.seed, who.index, 28, attempt) % 1000}@{host}"
        return address

    def customers(self, who: Person, writer: Any) -> list[str]:
        """CRM rows for ``who`` (none, one, or a duplicate pair); returns the customer ids."""
        seed, i = self.seed, who.index
        if uniform(seed, i, 20) >= 0.6:
            return []
        ids = [f"C{i:07d}"] + ([f"C{i:07d}-2"] if uniform(seed, i, 21) < 0.04 else [])
        x_handle = next((a.handle for a in who.accounts if a.platform == "x"), None)
        employer = self.employer(who)
        for copy, customer_id in enumerate(ids):
            h = mix(seed, i, 22, copy)
            first = who.nickname if (h & 7) == 0 else who.first_name
            last = who.surnames[0] if who.spanish and (h >> 3) % 3 == 0 else who.last_name
            email = self.email(who, first, h)
            digits = f"{(h >> 17) % 1000:03d}"
            phone = (
                f"+34 6{digits[:2]} {digits} {(h >> 27) % 1000:03d}"
                if who.spanish
                else (f"+44 7700 900{(h >> 17) % 1000:03d}")
            )
            handle = ""
            if x_handle and (h >> 37) % 2 == 0:
                handle = x_handle if (h >> 38) % 4 else "@" + x_handle.capitalize()
                if uniform(seed, i, 23, copy) < 0.03:
                    handle = f"{x_handle}_old"  # stale: evidence, not truth
            # the CRM often lacks the employer, and now and then keeps a former one
            company = employer if (h >> 44) % 4 else ""
            if company and (h >> 40) % 20 == 0:
                company = COMPANIES[(h >> 41) % len(COMPANIES)]
            segment = ("gold", "silver", "bronze")[(h >> 46) % 3]
            writer.writerow(
                [customer_id, first, last, email, phone, who.city, company, handle, segment]
            )
        self.summary.customers += len(ids)
        return ids

    def _bio(self, who: Person, h: int) -> str:
        employer = self.employer(who)
        roles = _ROLES_ES if who.spanish else _ROLES_EN
        if employer and (h >> 20) % 2:
            where = " en " if who.spanish else " at "
            bio = f"{roles[(h >> 21) % len(roles)]}{where}{employer} · {who.city}"
        else:
            bio = ("Marketing · café · " if who.spanish else "Coffee, football and ") + who.city
        if (h >> 24) % 16 == 0:  # the e-mail of the person's first CRM row
            first_row = mix(self.seed, who.index, 22, 0)
            first = who.nickname if (first_row & 7) == 0 else who.first_name
            bio += " · " + self.email(who, first, first_row)
        return bio

    def profile_rows(self, who: Person, writer: Any) -> None:
        for account in who.accounts:
            h = mix(self.seed, who.index, 40, len(account.platform))
            influencer = who.index in self.influencers
            followers = (h % 200) + (50_000 + h % 100_000 if influencer else 0)
            created = datetime(2010, 1, 1, tzinfo=UTC) + timedelta(days=h % 4700)
            domain = self.web_domain(who)
            url = f"https://{domain}/" if domain and (h >> 28) % 5 < 3 else ""
            writer.writerow(
                [
                    account.profile_id,
                    account.platform,
                    account.handle,
                    account.display_name,
                    self._bio(who, h),
                    who.city,
                    url,
                    followers,
                    created.isoformat(),
                ]
            )
        self.summary.profiles += len(who.accounts)

    def follow_and_post_rows(self, who: Person, follows: Any, posts: Any) -> None:
        seed, i = self.seed, who.index
        circle = self._circle(i) if who.accounts else []
        for account in who.accounts:
            platform, salt0 = account.platform, len(account.platform) * 1000
            targets: dict[str, int] = {}
            for number, contact in enumerate(circle):
                found = self._on(contact, platform)
                if found and uniform(seed, i, 51, salt0 + number) < _CIRCLE_KEEP:
                    targets[found[0]] = found[1]
            own = _exponential(uniform(seed, i, 52, salt0), self.follows_mean * _OWN_FOLLOWS)
            for attempt in range(own * 3):
                if own <= 0:
                    break
                extra = self._contact(i, salt0 + 100_000 + attempt)
                found = None if extra is None else self._on(extra, platform)
                if found and found[0] not in targets:
                    targets[found[0]] = found[1]
                    own -= 1
            for followed in targets:
                follows.writerow([account.profile_id, followed, platform, platform])
            self.summary.follows += len(targets)
            self._posts(who, account.profile_id, platform, list(targets.items()), posts)

    def _posts(
        self, who: Person, author: str, platform: str, targets: list[tuple[str, int]], writer: Any
    ) -> None:
        seed, i = self.seed, who.index
        recent = self.recent[platform]
        for number in range(_exponential(uniform(seed, i, 60, len(platform)), self.posts_mean)):
            h = mix(seed, i, 61, len(platform), number)
            self.post_counter += 1
            post_id = str(5_000_000_000 + self.post_counter)
            created = _EPOCH + timedelta(minutes=h % (540 * 24 * 60))
            kind = (h >> 20) % 20
            reply = quote = repost = ""
            if recent and kind < 4:
                reply = recent[(h >> 30) % len(recent)]
            elif recent and kind == 4:
                quote = recent[(h >> 30) % len(recent)]
            elif recent and kind < 8:
                repost = recent[(h >> 30) % len(recent)]
            mentioned = (
                [targets[(h >> (34 + 4 * k)) % len(targets)] for k in range((h >> 50) % 3)]
                if targets and not repost
                else []
            )
            mentioned = list(dict.fromkeys(mentioned))
            handles = " ".join(
                "@" + self._handle_of(platform, target).split("@")[0] for _, target in mentioned
            )
            template = (_TEMPLATES_ES if who.spanish else _TEMPLATES_EN)[(h >> 8) % 4]
            text = "" if repost else template.format(city=who.city, mentions=handles).strip()
            writer.writerow(
                [
                    post_id,
                    author,
                    platform,
                    created.isoformat(),
                    text,
                    "|".join(m for m, _ in mentioned),
                    reply,
                    quote,
                    repost,
                ]
            )
            recent.append(post_id)
            self.summary.posts += 1


def generate_bundle(
    out: Path,
    *,
    people: int,
    seed: int = 1,
    follows_per_profile: float = 8.0,
    posts_per_profile: float = 1.5,
    on_people: Callable[[int], None] | None = None,
) -> GenerateSummary:
    """Write a canonical bundle of ``people`` synthetic people into ``out`` (see module doc).

    ``on_people`` is called every 1,000 people with that count (progress bars).
    """
    if people < 1:
        raise ValueError("people must be at least 1")
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    generator = _Generator(people, seed, follows_per_profile, posts_per_profile)
    names = ("customers", "profiles", "follows", "posts", "truth", "brands")
    handles = {
        name: (out / f"{name}.csv").open("w", encoding="utf-8", newline="") for name in names
    }
    try:
        writers = {
            name: csv.writer(handle, lineterminator="\n") for name, handle in handles.items()
        }
        writers["customers"].writerow([*CUSTOMER_HEADER, "segment"])
        writers["profiles"].writerow(SYNTHETIC_PROFILE_HEADER)
        writers["follows"].writerow(FOLLOW_HEADER)
        writers["posts"].writerow(POST_HEADER)
        writers["truth"].writerow(["record_id", "person_id"])
        writers["brands"].writerow(["name", "is_own", "official_profile_ids"])
        for number, (name, slug, own) in enumerate(BRANDS):
            keys = [f"{platform}:{_brand_profile_id(platform, number)}" for platform in PLATFORMS]
            writers["brands"].writerow([name, "true" if own else "false", "|".join(keys)])
            for platform in PLATFORMS:
                brand_id = _brand_profile_id(platform, number)
                writers["profiles"].writerow(
                    [
                        brand_id,
                        platform,
                        _brand_handle(platform, slug),
                        name,
                        f"Official account of {name}",
                        "",
                        "",
                        90_000 - 20_000 * number,
                        "2012-05-01T00:00:00+00:00",
                    ]
                )
                writers["truth"].writerow([f"profile:{platform}:{brand_id}", f"B-{slug}"])
                generator.summary.profiles += 1
        for index in range(people):
            who = person(seed, index)
            for customer_id in generator.customers(who, writers["customers"]):
                writers["truth"].writerow([f"customer:{customer_id}", who.person_id])
            generator.profile_rows(who, writers["profiles"])
            for account in who.accounts:
                writers["truth"].writerow(
                    [f"profile:{account.platform}:{account.profile_id}", who.person_id]
                )
            generator.follow_and_post_rows(who, writers["follows"], writers["posts"])
            if on_people and (index + 1) % 1000 == 0:
                on_people(1000)
    finally:
        for handle in handles.values():
            handle.close()
    summary = generator.summary
    summary.seconds = time.perf_counter() - started
    summary.files = [f"{name}.csv" for name in names]
    return summary
