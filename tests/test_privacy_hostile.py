"""Hostile input through the readers into a real Neo4j: every payload is stored verbatim
or its row quarantined; nothing crashes; no statement is altered (no label, relationship
type or property name appears that the model does not have)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neo4j import Driver

from srm.errors import IngestError, SRMError
from srm.ingest.formats import ReadOptions
from srm.ingest.pipeline import IngestSummary, ingest_paths
from srm.ingest.readers.bundle import normalise_handle
from tests.hostile import (
    ALLOWED_LABELS,
    ALLOWED_TYPES,
    CUSTOMER_TEXT,
    PAYLOADS,
    PROFILE_TEXT,
    PROPERTY_NAME,
    broken_encoding_bundle,
    graph_shape,
    hostile_bundle,
    hostile_copy,
    nul_bundle,
)


def _quarantined(path: Path) -> set[tuple[str, int]]:
    if not path.exists():
        return set()
    lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    for record in lines:
        # A quarantine record says where and why, never the rejected value.
        assert not any(
            payload.strip() and payload in json.dumps(record)
            for payload in PAYLOADS
            if len(payload.strip()) > 6
        )
    return {(Path(record["source"]).name, record["line"]) for record in lines}


def _expected(value: str) -> str | None:
    stripped = value.strip()
    return stripped or None


def _ingest_quarantining(
    driver: Driver, bundle: Path, quarantine: Path, **options: Any
) -> IngestSummary:
    """Ingest ``bundle`` with no limit on bad rows, each one written to ``quarantine``."""
    return ingest_paths(driver, [bundle], max_bad_ratio=1.0, quarantine_path=quarantine, **options)


def _by_key(nodes: list[dict[str, Any]], label: str, key: str) -> dict[str, dict[str, Any]]:
    return {row["properties"][key]: row["properties"] for row in nodes if label in row["labels"]}


def test_hostile_bundle_is_stored_verbatim_or_quarantined(driver: Driver, tmp_path: Path) -> None:
    bundle = hostile_bundle(tmp_path / "hostile")
    quarantine_file = tmp_path / "quarantine.jsonl"

    summary = _ingest_quarantining(driver, bundle, quarantine_file, batch_size=17)

    quarantined = _quarantined(quarantine_file)
    shape = graph_shape(driver)
    assert shape["labels"] <= ALLOWED_LABELS, shape["labels"]
    assert shape["types"] <= ALLOWED_TYPES, shape["types"]
    bad_names = {name for name in shape["properties"] if not PROPERTY_NAME.match(name)}
    assert bad_names == set()
    assert "pwned" not in shape["properties"]  # a column name did not become a SET

    customers = _by_key(shape["nodes"], "Customer", "customer_id")
    profiles = _by_key(shape["nodes"], "Profile", "profile_key")
    posts = _by_key(shape["nodes"], "Post", "post_key")
    stored = 0
    for i, payload in enumerate(PAYLOADS):
        line = i + 2  # header is line 1
        customer = customers.get(f"H{i}")
        if customer is None:
            assert ("customers.csv", line) in quarantined, (i, payload)
        else:
            stored += 1
            for field in CUSTOMER_TEXT:
                assert customer.get(field) == _expected(payload), (field, payload)
            extras = [value for name, value in customer.items() if name.startswith("x_")]
            assert extras == [_expected(payload)] * len(extras), payload
        keyed = customers.get(payload.strip())
        key_line = len(PAYLOADS) + line
        assert (
            keyed is not None or ("customers.csv", key_line) in quarantined or not (payload.strip())
        ), payload
        profile = profiles.get(f"x:h{i}")
        if profile is None or profile.get("is_stub"):
            assert ("profiles.csv", line) in quarantined, (i, payload)
        else:
            assert profile.get("handle") == normalise_handle(payload)
            for field in PROFILE_TEXT:
                assert profile.get(field) == _expected(payload), (field, payload)
        post = posts.get(f"x:q{i}")
        if post is None:
            assert ("posts.csv", line) in quarantined, (i, payload)
        else:
            assert post.get("text") == _expected(payload), payload
    assert stored >= len(PAYLOADS) - 3, "nearly every payload must be storable"
    huge = profiles["x:huge"]
    assert len(huge["bio"]) == 10_000 and "bio" in huge["truncated_fields"]
    assert summary.quarantined == len(quarantined)


def test_invalid_utf8_row_is_quarantined_not_mangled(driver: Driver, tmp_path: Path) -> None:
    quarantine_file = tmp_path / "quarantine.jsonl"
    try:
        _ingest_quarantining(driver, broken_encoding_bundle(tmp_path / "broken"), quarantine_file)
    except IngestError as error:  # refusing the file with a clear message is fine too
        assert "customers.csv" in str(error)
        return
    shape = graph_shape(driver)
    customers = _by_key(shape["nodes"], "Customer", "customer_id")
    assert customers["B1"]["first_name"] == "Ann" and customers["B1"]["city"] == "Oslo"
    if "B2" in customers:
        assert "\ufffd" not in json.dumps(customers["B2"], ensure_ascii=False)
    else:
        assert ("customers.csv", 3) in _quarantined(quarantine_file)
    assert shape["labels"] <= ALLOWED_LABELS


def test_nul_inside_a_cell_is_refused_or_quarantined(driver: Driver, tmp_path: Path) -> None:
    quarantine_file = tmp_path / "quarantine.jsonl"
    try:
        _ingest_quarantining(driver, nul_bundle(tmp_path / "nul"), quarantine_file)
    except IngestError as error:
        assert "profiles.csv" in str(error) and "\x00" not in str(error)
        assert graph_shape(driver)["nodes"] == []
        return
    profiles = _by_key(graph_shape(driver)["nodes"], "Profile", "profile_key")
    stored = profiles.get("x:z5")
    assert stored is None or stored.get("bio") == "a\x00b NUL"
    assert len(profiles) >= 39


READER_FIXTURES = (
    ("salesforce", "salesforce/Contact.csv"),
    ("salesforce", "salesforce/report_contacts.csv"),
    ("hubspot", "hubspot/hubspot-crm-exports-all-contacts-2024-03-05.csv"),
    ("linkedin", "linkedin/Connections.csv"),
    ("csv", "crm/clientes.csv"),
    ("x-api", "x-api"),
    ("x-archive", "x-archive"),
    ("mastodon", "mastodon/export"),
    ("mastodon", "mastodon/accounts.json"),
    ("mastodon", "mastodon/statuses.json"),
    ("bluesky", "bluesky"),
)
CSV_OPTIONS = ReadOptions(platform="x", column_map={"customer_id": "Código", "email": "E-mail"})


def test_every_reader_survives_hostile_values(driver: Driver, tmp_path: Path) -> None:
    """Each reader's own fixture with every value replaced by payloads: the job loads,
    quarantines or refuses with an SRMError — never crashes — and alters no statement."""
    fixtures = Path(__file__).parent / "fixtures"
    outcomes = {}
    for number, (name, relative) in enumerate(READER_FIXTURES):
        for offset in (0, len(PAYLOADS) // 2):
            path = hostile_copy(fixtures / relative, tmp_path / f"{number}-{offset}", offset)
            options = CSV_OPTIONS if name == "csv" else ReadOptions()
            try:
                summary = ingest_paths(
                    driver, [path], format_name=name, options=options, max_bad_ratio=1.0
                )
                outcomes[(relative, offset)] = f"{summary.rows} rows, {summary.quarantined} bad"
            except SRMError as error:
                outcomes[(relative, offset)] = f"refused: {type(error).__name__}"
    shape = graph_shape(driver)
    assert shape["labels"] <= ALLOWED_LABELS, shape["labels"]
    assert shape["types"] <= ALLOWED_TYPES, shape["types"]
    assert {name for name in shape["properties"] if not PROPERTY_NAME.match(name)} == set()
    loaded = [outcome for outcome in outcomes.values() if not outcome.startswith("refused")]
    # A file whose structure the payloads broke may be refused (an SRMError), not more.
    assert len(loaded) >= 2 * len(READER_FIXTURES) - 4, outcomes
