"""Each evidence class of identity resolution, a positive and a hard-negative case, through
the path `srm identities resolve` takes (bundle ingested into Neo4j, resolved, exported),
plus the pure parsers behind them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from neo4j import Driver

from srm.graph.identity import pipeline
from srm.graph.identity.evaluate import read_clusters
from srm.graph.identity.evidence import customer_contact_conflict
from srm.graph.identity.names import (
    clean_display_name,
    organisation_name,
    related_given_names,
    spelled_as_in_email,
)
from srm.graph.identity.places import resolve_place
from srm.graph.identity.records import social_records
from srm.graph.identity.references import deobfuscate_emails, text_references, url_keys
from srm.ingest.pipeline import ingest_paths
from srm.synthetic.generate import generate_bundle

_WHEN = "2020-01-01T00:00:00+00:00"
# (profile_id, platform, handle, display_name, bio, location, url)
_PROFILES = [
    # 1 explicit links: same GitHub path on two pseudonymous accounts → same
    ("9100001", "x", "quietfox", "🦊", "", "", "https://github.com/qfox-dev"),
    ("9100002", "instagram", "moonlit.owl", "🌙", "", "", "github.com/qfox-dev"),
    # two unrelated people linking a popular host's home page → not
    ("9100003", "x", "tealwren", "Wren", "", "", "https://youtube.com"),
    ("9100004", "instagram", "amberlynx", "Lynx", "", "", "https://www.youtube.com/"),
    # a bio presenting the other account as its own ("also on") → same
    ("9100005", "x", "pixelheron", "Heron", "also on instagram.com/heron.pixels", "", ""),
    ("9100006", "instagram", "heron.pixels", "H.", "", "", ""),
    # "thanks @x" credits somebody else → not
    ("9100007", "x", "brightotter", "Otter", "thanks @calmbadger for the tips!", "", ""),
    ("9100008", "mastodon", "calmbadger@social.example", "Badger", "", "", ""),
    # 2 places: "Philly" and "Philadelphia" are one place
    ("9100009", "x", "zoeprendergast", "Zoë Prendergast", "", "Philly 🦅", ""),
    (
        "9100010",
        "bluesky",
        "zoeprendergast.bsky.social",
        "Zoe Prendergast",
        "",
        "Philadelphia, PA",
        "",
    ),
    # 4 two hospitals sharing words → not
    ("9100011", "x", "hulapaz", "Hospital Universitario La Paz", "", "Madrid", ""),
    ("9100012", "x", "hulaprincesa", "Hospital Universitario La Princesa", "", "Madrid", ""),
    # 3 honorific and job suffix around one person's name, English nickname → same
    (
        "9100013",
        "linkedin",
        "w-thornbury",
        "Prof. William Thornbury, MBA | Architect",
        "",
        "Leeds",
        "",
    ),
    ("9100014", "x", "billthornbury", "Bill Thornbury", "", "Leeds, UK", ""),
    ("9100018", "x", "anselmo_urquiza", "Anselmo Urquiza", "", "Getxo", ""),
    # 3 a pseudonymous display name is no name at all, not a different one: two accounts that
    # link each other and one personal site are one person whatever they are called
    (
        "9100016",
        "x",
        "ottavioberni",
        "Ottavio Berni",
        "design · instagram.com/velvetkite",
        "Torino",
        "https://ottavioberni.github.io",
    ),
    (
        "9100017",
        "instagram",
        "velvetkite",
        "velvet kite",
        "kites · x.com/ottavioberni",
        "",
        "ottavioberni.github.io/kites",
    ),
]
# 5 a template copied onto a dozen accounts (a spam farm): each matches every other on name,
# bio and link, and none is the same person as another
_TEMPLATES = [
    (f"92000{k:02d}", platform, f"{word}{k}{platform[0]}", "Crypto Gains 💰", "DM for promo 🚀",
     "", "https://bit.ly/")
    for k, (platform, word) in enumerate(
        [(p, w) for p in ("x", "mastodon", "bluesky") for w in ("moon", "lambo", "hodl", "pump")]
    )
]  # fmt: skip
_PROFILES += [
    (pid, platform, f"{handle}@spam.example" if platform == "mastodon" else handle, *rest)
    for pid, platform, handle, *rest in _TEMPLATES
]
# customer_id, first, last, email, phone, city, company, twitter_handle
_CUSTOMERS = [
    # 5 same name and city, no contact detail shared (the second row has none) → never one
    # person, even though a profile with that name and city matches both
    ("C9900001", "Ximena", "Oyarzábal Quintanilla", "ximena.oq@correo.example", "+34 611 000 111",
     "Bilbao", "Ferralla Norte", ""),
    ("C9900002", "Ximena", "Oyarzábal Quintanilla", "", "", "Bilbao", "Panadería Ugarte", ""),
    # the same customer twice, sharing a phone → may be one person
    ("C9900003", "Leocadia", "Ibargüengoitia", "leocadia.i@correo.example", "+34 633 000 333",
     "Vitoria", "", ""),
    ("C9900004", "Leocadia", "Ibargüengoitia", "", "633 000 333", "Vitoria-Gasteiz", "", ""),
    # two customers claim one twitter handle (a column copied onto the wrong row): the handle
    # is a shared contact only between rows whose names share a word
    ("C9900005", "Anselmo", "Urquiza Belaustegi", "anselmo.u@correo.example", "+34 644 000 444",
     "Getxo", "", "@anselmo_urquiza"),
    ("C9900006", "Begoña", "Txabarri", "", "+34 655 000 555",
     "Bilbao", "", "anselmo_urquiza"),
]  # fmt: skip
_CUSTOMER_PROFILE = ("9100015", "x", "ximenaoyarzabal", "Ximena Oyarzábal", "", "Bilbao", "")


def _append(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture
def resolved(driver: Driver, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "bundle"
    generate_bundle(folder, people=150, seed=5)
    _append(
        folder / "profiles.csv",
        [[pid, platform, handle, name, bio, place, url, "10", _WHEN]
         for pid, platform, handle, name, bio, place, url in [*_PROFILES, _CUSTOMER_PROFILE]],
    )  # fmt: skip
    _append(folder / "customers.csv", [[*row, "bronze"] for row in _CUSTOMERS])
    ingest_paths(driver, [folder], quarantine_path=tmp_path / "quarantine.jsonl")
    pipeline.resolve_graph(driver, threshold=0.5)
    pipeline.export_clusters(driver, tmp_path / "persons.csv")
    return read_clusters(tmp_path / "persons.csv")


def _profile(pid: str) -> str:
    platform = next(row[1] for row in [*_PROFILES, _CUSTOMER_PROFILE] if row[0] == pid)
    return f"profile:{platform}:{pid}"


def test_each_evidence_class_merges_its_positive_and_keeps_its_negative_apart(
    resolved: dict[str, str],
) -> None:
    def same(a: str, b: str) -> bool:
        return resolved[a] == resolved[b]

    same_pairs = {
        "same GitHub path": ("9100001", "9100002"),
        "bio 'also on' links the other": ("9100005", "9100006"),
        "Philly ~ Philadelphia": ("9100009", "9100010"),
        "titles, suffix and nickname": ("9100013", "9100014"),
        "pseudonym linking its owner's account": ("9100016", "9100017"),
    }
    for case, (a, b) in same_pairs.items():
        assert same(_profile(a), _profile(b)), case
    different_pairs = {
        "popular host's home page": ("9100003", "9100004"),
        "thanks @x": ("9100007", "9100008"),
        "two hospitals": ("9100011", "9100012"),
    }
    for case, (a, b) in different_pairs.items():
        assert not same(_profile(a), _profile(b)), case
    templates = [_profile(row[0]) for row in _TEMPLATES]
    assert len({resolved[t] for t in templates}) == len(templates), "a spam farm became a person"
    assert not same("customer:C9900001", "customer:C9900002")
    assert same("customer:C9900003", "customer:C9900004")
    assert same("customer:C9900005", _profile("9100018"))
    assert not same("customer:C9900005", "customer:C9900006"), "one copied handle made one"


def test_account_references_in_bios_and_urls() -> None:
    found = text_references("also on instagram.com/ana.gil · IG: @ana_g · in/ana-gil-perez")
    assert found.own == ("instagram:ana.gil", "linkedin:ana-gil-perez", "instagram:ana_g")
    assert text_references("@ana@mastodon.social").own == ("mastodon:ana@mastodon.social",)
    assert text_references("https://bsky.app/profile/ana.bsky.social").own == ("bsky:ana",)
    assert text_references("Opiniones mías · 🦋 @ana.bsky.social").own == ("bsky:ana",)
    assert "bsky:bob" in text_references("thanks @bob.bsky.social!").credited
    credited = text_references("follow my friend x.com/bob and thanks @pepe")
    assert credited.own == () and "x:bob" in credited.credited
    assert text_references("mail me: ana@gil.com").own == ()
    assert deobfuscate_emails("ana (at) gil (dot) com") == "ana@gil.com"


def test_personal_url_keys_keep_the_path_and_skip_shared_hosts() -> None:
    assert url_keys("github.com", "/someone/repo") == ["url:github.com/someone"]
    assert url_keys("someone.substack.com") == ["url:someone.substack.com"]
    assert url_keys("about.me", "/someone") == ["url:about.me/someone"]
    assert url_keys("janedoe.com", "/blog") == ["url:janedoe.com"]
    assert url_keys("www.youtube.com") == [] and url_keys("github.com") == []


def test_places_from_a_gazetteer() -> None:
    assert resolve_place("Lisboa 🇵🇹").key == resolve_place("Lisbon, Portugal").key != ""
    assert resolve_place("Philly").key == resolve_place("Philadelphia").key
    assert resolve_place("Greater London").key == resolve_place("London, UK").key
    assert resolve_place("Big Apple").key == resolve_place("NYC").key
    assert resolve_place("Chitown").name == "chicago"
    assert resolve_place("Valencia").country == "ES"
    # an airport code in capitals names its city; a country's code does not
    assert resolve_place("NUE").key == resolve_place("Nürnberg").key != ""
    assert resolve_place("LAX").name == "los angeles"
    assert resolve_place("USA").country == ""
    assert resolve_place("Madrid").key != resolve_place("Barcelona").key


def test_display_names_and_organisations() -> None:
    assert clean_display_name("Lic. Ana Gil | Arquitecta") == "Ana Gil"
    assert clean_display_name("Laura Martín — Founder") == "Laura Martín"
    assert clean_display_name("John Smith, MBA") == "John Smith"
    assert clean_display_name("Pr Vincent Garnier") == "Vincent Garnier"
    assert clean_display_name("Miss Saigon") == "Miss Saigon"
    # a CRM row's first-name column with its title: the title is not the given name
    rows = social_records(
        [{"customer_id": "C1", "first_name": "Dr. Joshua", "last_name": "Dickson"},
         {"customer_id": "C2", "first_name": "Prof. Rafa", "last_name": "Bolaños"}], []
    )  # fmt: skip
    assert list(rows["given"]) == ["joshua", "rafael"]
    # a CRM typo is spelled as the row's own e-mail writes it; another name is not a typo
    assert spelled_as_in_email("Gsry", "washington.gary") == "gary"
    assert spelled_as_in_email("Fuuentes", "cfuentes") == "fuentes"
    assert spelled_as_in_email("Mario", "maria.lopez") == "mario"
    assert spelled_as_in_email("Daniel", "daniela.r") == "daniel"
    typo = social_records(
        [{"customer_id": "C3", "first_name": "Gsry", "last_name": "Washinhton",
          "email": "washington.gary@correo.example"}], []
    )  # fmt: skip
    assert (typo["given"][0], typo["surnames"][0]) == ("gary", "washington")
    assert list(rows["surnames"]) == ["dickson", "bolanos"]
    assert organisation_name("María García López") == ""
    assert organisation_name("Acme S.A.U.") == "acme"
    assert organisation_name("Zara Official") == "zara"
    assert organisation_name("Hospital La Paz") != organisation_name("Hospital La Princesa")
    assert related_given_names("bill", "william") and related_given_names("paco", "francisco")
    assert not related_given_names("john", "james")


def test_a_claimed_handle_joins_only_customers_whose_names_share_a_word() -> None:
    rows = social_records(
        [{"customer_id": "C1", "first_name": "Anselmo", "last_name": "Urquiza",
          "twitter_handle": "@anselmo_urquiza"},
         {"customer_id": "C2", "first_name": "Begoña", "last_name": "Txabarri",
          "twitter_handle": "anselmo_urquiza"},
         {"customer_id": "C3", "first_name": "A.", "last_name": "Urquiza Belaustegi",
          "twitter_handle": "anselmo_urquiza"}],
        [],
    )  # fmt: skip
    rule = customer_contact_conflict(rows)
    assert rule.clash(0, 1) and rule.clash(1, 2), "a copied handle is no shared contact"
    assert not rule.clash(0, 2)
