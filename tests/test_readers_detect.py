"""Auto-detection over every reader fixture: each file and folder maps to exactly its format,
whatever it is called."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from srm.errors import IngestError
from srm.ingest.formats import detect_format, get_format
from tests.fixture_files import FIXTURES

EXPECTED = {
    "salesforce/Contact.csv": "salesforce",
    "salesforce/report_contacts.csv": "salesforce",
    "hubspot/hubspot-crm-exports-all-contacts-2024-03-05.csv": "hubspot",
    "linkedin/Connections.csv": "linkedin",
    "x-api/users.json": "x-api",
    "x-api/tweets.json": "x-api",
    "x-api/followers_1500000000000000003.json": "x-api",
    "x-archive": "x-archive",
    "x-archive/data/tweets.js": "x-archive",
    "x-archive/data/follower.js": "x-archive",
    "mastodon/accounts.json": "mastodon",
    "mastodon/statuses.json": "mastodon",
    "mastodon/export": "mastodon",
    "mastodon/export/outbox.json": "mastodon",
    "mastodon/export/following_accounts.csv": "mastodon",
    "bluesky": "bluesky",
    "bluesky/post_records.json": "bluesky",
    "bluesky/followers.json": "bluesky",
}


@pytest.mark.parametrize(("relative", "expected"), sorted(EXPECTED.items()))
def test_each_fixture_detects_as_its_format(relative: str, expected: str) -> None:
    assert detect_format(FIXTURES / relative).name == expected


def test_detection_ignores_file_names(tmp_path: Path) -> None:
    for index, (relative, expected) in enumerate(sorted(EXPECTED.items())):
        source = FIXTURES / relative
        if source.is_dir():
            continue
        renamed = tmp_path / f"upload{index}{source.suffix}"
        shutil.copyfile(source, renamed)
        # Follower lists need the subject in the name only for edges, not for detection.
        assert detect_format(renamed).name == expected, relative
        # Exactly one reader claims each file.
        claiming = [name for name in EXPECTED.values() if get_format(name).detect(renamed)]
        assert set(claiming) == {expected}, relative


def test_unknown_files_fail_with_the_formats_listed(tmp_path: Path) -> None:
    unknown = tmp_path / "notes.json"
    unknown.write_text('{"hello": "mundo"}', encoding="utf-8")
    with pytest.raises(IngestError, match="--format"):
        detect_format(unknown)
