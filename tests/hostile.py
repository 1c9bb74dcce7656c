"""Hostile input for the tests: the corpus of tests/fixtures/hostile/ and bundles built
from it (every text field, hostile column names, a 1 MB string, invalid UTF-8)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from neo4j import Driver

from srm.store import read
from tests.ingest_helpers import write_csv
from tests.privacy_statements import ALL_NODE_PROPERTIES, ALL_RELATIONSHIP_PROPERTIES

CORPUS = json.loads(
    (Path(__file__).parent / "fixtures" / "hostile" / "corpus.json").read_text(encoding="ascii")
)
PAYLOADS: list[str] = CORPUS["payloads"]
COLUMN_NAMES: list[str] = CORPUS["column_names"]
COUNT_VALUES: list[str] = CORPUS["count_values"]
NUL_PAYLOAD: str = CORPUS["nul_payload"]
HUGE = "A" * 1_048_576
ALLOWED_LABELS = {"Customer", "Profile", "Post", "Brand", "Person"}
ALLOWED_TYPES = {
    "FOLLOWS",
    "POSTED",
    "MENTIONS",
    "MENTIONED",
    "CLAIMS",
    "OFFICIAL_OF",
    "REPLY_TO",
    "QUOTES",
    "REPOSTS",
}
STRUCTURAL_KEYS = frozenset({"$type", "type", "@context"})
PROPERTY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
CUSTOMER_TEXT = ("first_name", "last_name", "email", "phone", "city", "company")
PROFILE_TEXT = ("display_name", "bio", "location", "url")


def hostile_bundle(folder: Path) -> Path:
    """A canonical bundle with a payload in every text field, key and extra column.

    Row ``i`` of customers.csv is ``H{i}`` with payload ``i`` everywhere; then one customer
    per payload whose *key* is the payload; profiles ``h{i}`` likewise, then profiles with
    odd counts and a 1 MB bio; posts ``q{i}`` by ``h{i}`` mentioning ``h{i+1}``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    size = len(PAYLOADS)
    header = ["customer_id", *CUSTOMER_TEXT, "twitter_handle", *COLUMN_NAMES]
    rows = [
        [f"H{i}", *[p] * len(CUSTOMER_TEXT), "", *[p] * len(COLUMN_NAMES)]
        for i, p in enumerate(PAYLOADS)
    ]
    rows += [[p, *[""] * (len(header) - 1)] for p in PAYLOADS]
    write_csv(folder / "customers.csv", header, rows)
    header = ["profile_id", "platform", "handle", *PROFILE_TEXT, "followers_count"]
    rows = [[f"h{i}", "x", p, *[p] * len(PROFILE_TEXT), ""] for i, p in enumerate(PAYLOADS)]
    rows += [[f"n{j}", "x", "", "", "", "", "", v] for j, v in enumerate(COUNT_VALUES)]
    rows.append(["huge", "x", "huge", HUGE[:1000], HUGE, "", "", ""])
    write_csv(folder / "profiles.csv", header, rows)
    write_csv(
        folder / "follows.csv",
        ["follower_profile_id", "followed_profile_id"],
        [[f"h{i}", f"h{(i + 1) % size}"] for i in range(size)],
    )
    write_csv(
        folder / "posts.csv",
        ["post_id", "profile_id", "created_at", "text", "mentioned_profile_ids"],
        [[f"q{i}", f"h{i}", "", p, f"h{(i + 1) % size}"] for i, p in enumerate(PAYLOADS)],
    )
    return folder


def nul_bundle(folder: Path) -> Path:
    """profiles.csv with a NUL character inside one bio (the other rows are fine)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [[f"z{i}", "x", f"user{i}", "", "fine", "", ""] for i in range(40)]
    rows[5][4] = NUL_PAYLOAD
    write_csv(folder / "profiles.csv", ["profile_id", "platform", "handle", *PROFILE_TEXT], rows)
    return folder


def broken_encoding_bundle(folder: Path) -> Path:
    """customers.csv whose second row holds bytes that are not UTF-8 (the rest is ASCII)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "customers.csv").write_bytes(
        b"customer_id,first_name,city\nB1,Ann,Oslo\nB2,\xff\xfe\xc3\x28bad,\x80\x81\n"
        + b"".join(b"B%d,Name%d,Town\n" % (i, i) for i in range(3, 60))
    )
    return folder


def graph_shape(driver: Driver) -> dict[str, Any]:
    """Labels, relationship types and property names present (to prove no query was altered)."""
    nodes = read(driver, ALL_NODE_PROPERTIES)
    relationships = read(driver, ALL_RELATIONSHIP_PROPERTIES)
    return {
        "labels": {label for row in nodes for label in row["labels"]},
        "types": {row["type"] for row in relationships},
        "properties": {name for row in nodes + relationships for name in row["properties"]},
        "nodes": nodes,
    }


def _rotation(offset: int) -> Iterator[str]:
    values = [*PAYLOADS, HUGE]
    index = offset
    while True:
        yield values[index % len(values)]
        index += 1


def _mutate_json(value: Any, payloads: Iterator[str]) -> Any:
    if isinstance(value, dict):
        # Type tags say what a record is (Bluesky's $type, ActivityPub's type): kept, so the
        # reader still recognises the file and the payloads reach its fields.
        return {
            key: item if key in STRUCTURAL_KEYS else _mutate_json(item, payloads)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_mutate_json(item, payloads) for item in value]
    if isinstance(value, str):
        return next(payloads)
    return value


def _mutate_csv(text: str, payloads: Iterator[str]) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    width = max((len(row) for row in rows), default=0)
    header = next((i for i, row in enumerate(rows) if len(row) == width), 0)
    out = io.StringIO()
    writer = csv.writer(out)
    for i, row in enumerate(rows):
        writer.writerow(row if i <= header else [next(payloads) for _ in row])
    return out.getvalue()


def hostile_copy(source: Path, target: Path, offset: int) -> Path:
    """A copy of a reader's fixture with every string value / data cell replaced by payloads.

    JSON (and X archive ``.js``, ``window.YTD… = [...]``) keeps its structure, keys and
    type tags;
    CSV keeps its header. Files that are not UTF-8 are copied unchanged.
    """
    payloads = _rotation(offset)
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    for path in files:
        relative = path.name if source.is_file() else path.relative_to(source)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            shutil.copy(path, destination)
            continue
        if path.suffix == ".csv":
            text = _mutate_csv(text, payloads)
        elif path.suffix in {".json", ".js"}:
            prefix, separator, document = (
                text.partition("=") if path.suffix == ".js" else ("", "", text)
            )
            mutated = json.dumps(_mutate_json(json.loads(document), payloads))
            text = f"{prefix}{separator} {mutated}" if separator else mutated
        destination.write_text(text, encoding="utf-8")
    return target / source.name if source.is_file() else target
