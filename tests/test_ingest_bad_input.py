"""Bad input: quarantine, the bad-row ratio, broken encodings, unusable files — and that no
e-mail or phone number ever reaches a quarantine file, a log line or an error message."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from neo4j import Driver

from srm import db
from srm.errors import IngestError
from srm.ingest.pipeline import ingest_paths
from srm.store import read
from tests import statements as q
from tests.ingest_helpers import write_bundle

HEADER = "customer_id,first_name,last_name,email,phone,city\n"


def _customers(count: int) -> str:
    return "".join(
        f"C{n},Begoña,Muñoz,bego{n}@example.test,+34 600 000 {n:03d},León\n" for n in range(count)
    )


def _graph_is_empty(driver: Driver) -> bool:
    return db.counts(driver) == {}


def test_bad_rows_are_quarantined_and_good_rows_load(
    driver: Driver, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = (
        ",Ana,Sin Id,ana.secret@example.test,+34 611 222 333,Sevilla\n"  # no customer_id
        "C900,Luis,Largo," + "x" * 600 + ",+34 699 888 777,Vigo\n"  # over-long email: cut
    )
    profiles = (
        "profile_id,platform,handle,followers_count,bio\n"
        + "".join(f"{n},x,h{n},{n},bio\n" for n in range(1, 40))
        + "40,x,h40,-5,negative followers\n"
        + "41,myspace,h41,1,unknown platform\n"
        + f"42,x,h42,1,{'b' * 20_000}\n"
    )
    bundle = write_bundle(
        tmp_path / "b",
        customers=HEADER + _customers(40) + bad,
        profiles=profiles,
        follows=None,
        posts=None,
        brands=None,
    )
    quarantine = tmp_path / "q.jsonl"
    with caplog.at_level(logging.INFO):
        summary = ingest_paths(driver, [bundle], quarantine_path=quarantine, max_bad_ratio=0.1)
    records = [json.loads(line) for line in quarantine.read_text(encoding="utf-8").splitlines()]
    assert summary.quarantined == len(records) == 3
    by_line = {(Path(r["source"]).name, r["line"]): r for r in records}
    assert by_line[("customers.csv", 42)]["field"] == "customer_id"
    assert by_line[("profiles.csv", 41)]["field"] == "followers_count"
    assert by_line[("profiles.csv", 42)]["field"] == "platform"
    assert db.counts(driver)[":Customer"] == 41
    assert db.counts(driver)[":Profile"] == 40
    long_bio = read(driver, q.PROFILE_BY_KEY, key="x:42")[0]["p"]
    assert long_bio["truncated_fields"] == ["bio"] and len(long_bio["bio"]) == 10_000
    cut = read(driver, q.CUSTOMER_BY_ID, id="C900")[0]["c"]
    assert cut["email"] == "x" * 512
    text = quarantine.read_text(encoding="utf-8") + caplog.text
    for secret in ("ana.secret@example.test", "+34 611 222 333", "611", "myspace"):
        assert secret not in text


def test_too_many_bad_rows_abort_before_anything_is_written(driver: Driver, tmp_path: Path) -> None:
    broken = "".join(f",Ana,X,a{n}@example.test,+34 622 {n:03d},\n" for n in range(3))
    bundle = write_bundle(
        tmp_path / "b",
        customers=HEADER + _customers(20) + broken,
    )
    # Three rows without a customer_id in 23: 13 % > 5 %.
    with pytest.raises(IngestError) as raised:
        ingest_paths(driver, [bundle], quarantine_path=tmp_path / "q.jsonl")
    message = str(raised.value)
    assert "customers.csv" in message and "3 of 23" in message and "nothing was written" in message
    assert "@" not in message and "+34" not in message
    assert _graph_is_empty(driver)
    assert len((tmp_path / "q.jsonl").read_text().splitlines()) == 3


def test_broken_encoding_row_is_quarantined_names_survive(driver: Driver, tmp_path: Path) -> None:
    body = (HEADER + _customers(30)).encode("utf-8") + b"C99,Mu\xf1oz,Garc\xeda,m@example.test,,\n"
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "customers.csv").write_bytes(body)
    quarantine = tmp_path / "q.jsonl"
    summary = ingest_paths(driver, [folder], quarantine_path=quarantine)
    assert summary.quarantined == 1
    record = json.loads(quarantine.read_text(encoding="utf-8"))
    assert record["line"] == 32 and "encoding" in record["reason"]
    assert read(driver, q.CUSTOMER_BY_ID, id="C7")[0]["c"]["last_name"] == "Muñoz"


def test_windows_1252_export_keeps_accents(driver: Driver, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    text = HEADER.replace(",", ";") + "C1;Begoña;Muñoz;;;A Coruña\n"
    (folder / "customers.csv").write_bytes(text.encode("cp1252"))
    ingest_paths(driver, [folder])
    customer = read(driver, q.CUSTOMER_BY_ID, id="C1")[0]["c"]
    assert (customer["first_name"], customer["last_name"], customer["city"]) == (
        "Begoña",
        "Muñoz",
        "A Coruña",
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unknown", "cannot tell its format"),
        ("missing", "no such file"),
        ("empty", "empty"),
        ("header_only", "no records"),
        ("wrong_header", "wrong header, missing column(s) followed_profile_id"),
        ("named_format", "Unknown format 'excel'"),
    ],
)
def test_unusable_input_fails_with_one_line_and_writes_nothing(
    driver: Driver, tmp_path: Path, case: str, expected: str
) -> None:
    bundle = write_bundle(tmp_path / "b")
    path, format_name = bundle, "auto"
    if case == "unknown":
        path = tmp_path / "notes.txt"
        path.write_text("hello\n", encoding="utf-8")
    elif case == "missing":
        path = tmp_path / "nowhere"
    elif case == "empty":
        (bundle / "posts.csv").write_bytes(b"")
    elif case == "header_only":
        path = tmp_path / "follows.csv"
        path.write_text("follower_profile_id,followed_profile_id\n", encoding="utf-8")
    elif case == "wrong_header":
        (bundle / "follows.csv").write_text("follower_profile_id,followed\n1,2\n")
    else:
        format_name = "excel"
    with pytest.raises(IngestError) as raised:
        ingest_paths(driver, [path], format_name=format_name)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message
    assert _graph_is_empty(driver)
