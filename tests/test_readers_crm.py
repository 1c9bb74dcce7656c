"""CRM readers: generic CSV with --map, Salesforce, HubSpot, LinkedIn Connections.csv.

Fixtures (tests/fixtures/…) are invented people with Spanish names; Contact.csv is
Windows-1252, the HubSpot export has a UTF-8 BOM, clientes.csv uses ';'.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from neo4j import Driver

from srm.errors import IngestError
from srm.ingest.formats import ReadOptions, detect_format
from srm.ingest.pipeline import ingest_paths
from srm.ingest.quarantine import Rejected
from srm.ingest.readers import crm, linkedin
from srm.ingest.rows import CustomerRow, FollowRow, ProfileRow
from srm.store import read
from tests import statements
from tests.fixture_files import (
    GENERIC,
    GENERIC_1252,
    HUBSPOT,
    LINKEDIN,
    SALESFORCE,
    SALESFORCE_REPORT,
)

GENERIC_MAP = {
    "customer_id": "Código",
    "first_name": "Nombre",
    "last_name": "Apellidos",
    "email": "E-mail",
    "phone": "Teléfono",
    "city": "Población",
    "company": "Empresa",
    "twitter_handle": "Twitter",
}


def split(items: list[object]) -> tuple[list[object], list[Rejected]]:
    rows = [item for item in items if not isinstance(item, Rejected)]
    return rows, [item for item in items if isinstance(item, Rejected)]


def test_fixture_encodings_are_what_the_tests_claim() -> None:
    assert SALESFORCE.read_bytes().decode("cp1252").count("Muñoz") == 1
    with pytest.raises(UnicodeDecodeError):
        SALESFORCE.read_bytes().decode("utf-8")
    assert HUBSPOT.read_bytes().startswith(b"\xef\xbb\xbf")
    assert GENERIC.read_text(encoding="utf-8").splitlines()[0].count(";") == 8


def test_salesforce_windows_1252_keeps_accents_and_prefixes_ids() -> None:
    rows, rejected = split(list(crm.read_salesforce(SALESFORCE, ReadOptions())))
    customers = {row.customer_id: row for row in rows if isinstance(row, CustomerRow)}
    assert list(customers) == [
        "salesforce:0035g00000KxAaBAAV",
        "salesforce:0035g00000KxAaCAAV",
        "salesforce:0035g00000KxAaDAAV",
    ]
    begona = customers["salesforce:0035g00000KxAaBAAV"]
    assert (begona.first_name, begona.last_name) == ("Begoña", "Muñoz Gallardo")
    assert (begona.city, begona.company) == ("Logroño", "Cafés Ñandú")
    assert begona.twitter_handle == "begonamunoz"
    assert begona.extra["title"] == "Directora de Compras"
    # MobilePhone stands in for an empty Phone; personal columns never land in extra.
    assert customers["salesforce:0035g00000KxAaCAAV"].phone == "+34 622 111 222"
    assert all("mobilephone" not in row.extra for row in customers.values())
    assert [(item.line, item.field) for item in rejected] == [(5, "customer_id"), (6, None)]


def test_salesforce_report_labels_and_15_character_ids() -> None:
    # Salesforce's documented example pair, and an id without capitals.
    assert crm.salesforce_id18("001A0000006Vm9r") == "001A0000006Vm9rIAC"
    assert crm.salesforce_id18("001000000000001") == "001000000000001AAA"
    rows = list(crm.read_salesforce(SALESFORCE_REPORT, ReadOptions()))
    assert [row.customer_id for row in rows] == [
        "salesforce:0035g00000KxAaGAAV",
        "salesforce:0035g00000KxAaHAAV",
    ]
    assert rows[0].first_name == "Íñigo" and rows[0].company == "Sidrería Añorga"


def test_hubspot_bom_and_social_fields() -> None:
    rows, rejected = split(list(crm.read_hubspot(HUBSPOT, ReadOptions())))
    customers = {row.customer_id: row for row in rows}
    first = customers["hubspot:5101"]
    assert first.first_name == "María José"
    assert first.twitter_handle == "mjgarcia_sev"
    assert first.claimed_handles == {"linkedin": "maria-jose-garcia-nunez"}
    assert customers["hubspot:5102"].twitter_handle == "pacomartin"
    assert customers["hubspot:5103"].claimed_handles == {"linkedin": "eugenia-saenz"}
    # A bad handle costs the handle, not the customer.
    assert customers["hubspot:5105"].twitter_handle is None
    assert sorted((item.line, item.field) for item in rejected) == [
        (5, "customer_id"),
        (6, "linkedin"),
        (6, "twitter_handle"),
    ]


def test_generic_csv_with_map_semicolons_and_windows_1252() -> None:
    rows, rejected = split(list(crm.read_csv(GENERIC, ReadOptions(column_map=GENERIC_MAP))))
    assert [row.customer_id for row in rows] == ["C-001", "C-002", "C-003"]
    assert rows[0].last_name == "Domínguez Rincón" and rows[0].twitter_handle == "pilardr"
    assert rows[0].extra == {"notas": "cliente desde 2019"}
    assert [item.line for item in rejected] == [5, 6]
    mapping = {"customer_id": "id", "first_name": "nombre", "last_name": "apellido"}
    rows = list(crm.read_csv(GENERIC_1252, ReadOptions(column_map=mapping)))
    assert [(row.first_name, row.last_name) for row in rows] == [
        ("Begoña", "Ordóñez"),
        ("Íker", "Zúñiga"),
    ]
    assert rows[0].extra["ciudad"] == "Logroño"
    assert "correo" not in rows[0].extra


def test_generic_csv_errors_name_the_fix() -> None:
    with pytest.raises(IngestError, match="--map customer_id="):
        list(crm.read_csv(GENERIC, ReadOptions()))
    with pytest.raises(IngestError, match="no such column"):
        list(crm.read_csv(GENERIC, ReadOptions(column_map={"customer_id": "Codigo"})))
    with pytest.raises(IngestError, match="unknown field"):
        list(crm.read_csv(GENERIC, ReadOptions(column_map={"shoe_size": "Código"})))


def test_linkedin_connections_become_profiles_not_customers() -> None:
    items = list(linkedin.read(LINKEDIN, ReadOptions()))
    rows, rejected = split(items)
    assert all(isinstance(row, ProfileRow) for row in rows)
    assert [row.native_id for row in rows] == [
        "maria-jose-garcia-nunez",
        "alvaro-sanchez-canete-3a4b5c6d",
        "eugenia-saenz",
    ]
    assert rows[1].display_name == "Álvaro Sánchez-Cañete"
    assert rows[1].bio == "Director de Operaciones, Levante · Logística Túria"
    assert [(item.line, item.field) for item in rejected] == [(8, "URL"), (9, "URL")]
    # No email from the file reaches a row or a quarantine record.
    assert "example.com" not in json.dumps([str(item) for item in items])


def test_linkedin_owner_makes_mutual_edges() -> None:
    items = list(linkedin.read(LINKEDIN, ReadOptions(extra={"owner": "ana-gil"})))
    follows = {(row.follower_key, row.followed_key) for row in items if isinstance(row, FollowRow)}
    assert ("linkedin:ana-gil", "linkedin:eugenia-saenz") in follows
    assert ("linkedin:eugenia-saenz", "linkedin:ana-gil") in follows
    assert len(follows) == 6


def test_detection_reads_headers_not_names(tmp_path: Path) -> None:
    assert detect_format(SALESFORCE).name == "salesforce"
    assert detect_format(SALESFORCE_REPORT).name == "salesforce"
    assert detect_format(HUBSPOT).name == "hubspot"
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(LINKEDIN.read_bytes())
    assert detect_format(renamed).name == "linkedin"
    renamed.write_bytes(HUBSPOT.read_bytes())
    assert detect_format(renamed).name == "hubspot"
    with pytest.raises(IngestError, match="cannot tell its format"):
        detect_format(GENERIC)


def test_crm_exports_load_into_neo4j_with_claims(driver: Driver, tmp_path: Path) -> None:
    # LinkedIn first (its own job): CRM rows claim profiles that are already in the graph.
    ingest_paths(driver, [LINKEDIN], max_bad_ratio=0.5)
    quarantine = tmp_path / "quarantine.jsonl"
    summary = ingest_paths(
        driver, [SALESFORCE, HUBSPOT], max_bad_ratio=0.5, quarantine_path=quarantine
    )
    assert summary.formats == {str(SALESFORCE): "salesforce", str(HUBSPOT): "hubspot"}
    assert summary.quarantined == 5
    begona = read(driver, statements.CUSTOMER_BY_ID, id="salesforce:0035g00000KxAaBAAV")[0]["c"]
    assert begona["last_name"] == "Muñoz Gallardo" and begona["city"] == "Logroño"
    claims = {(row["customer"], row["profile"]) for row in read(driver, statements.CLAIMED_KEYS)}
    assert {
        ("hubspot:5101", "linkedin:maria-jose-garcia-nunez"),
        ("hubspot:5103", "linkedin:eugenia-saenz"),
    } <= claims
    text = quarantine.read_text(encoding="utf-8")
    assert len(text.splitlines()) == 5
    assert "@example" not in text and "+34" not in text
    counts = {row["label"]: row["count"] for row in read(driver, statements.READER_LABEL_COUNTS)}
    assert counts["Customer"] == 7


def test_linkedin_and_generic_csv_load_into_neo4j(driver: Driver) -> None:
    ingest_paths(driver, [LINKEDIN], max_bad_ratio=0.5)
    profile = read(driver, statements.PROFILE_BY_KEY, key="linkedin:eugenia-saenz")[0]["p"]
    assert profile["display_name"] == "Eugenia Sáenz de Buruaga"
    assert profile["handle"] == "eugenia-saenz"
    ingest_paths(
        driver,
        [GENERIC],
        format_name="csv",
        options=ReadOptions(column_map=GENERIC_MAP),
        max_bad_ratio=0.5,
    )
    pilar = read(driver, statements.CUSTOMER_BY_ID, id="C-001")[0]["c"]
    assert pilar["last_name"] == "Domínguez Rincón" and pilar["notas"] == "cliente desde 2019"
    counts = {row["label"]: row["count"] for row in read(driver, statements.READER_LABEL_COUNTS)}
    assert counts == {"Profile": 3, "Customer": 3}
