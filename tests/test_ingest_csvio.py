"""CSV opening: encodings (UTF-8, BOM, Windows-1252), delimiters, header search, lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from srm.errors import IngestError
from srm.ingest.csvio import EXTRA_CELLS, has_broken_encoding, open_csv, sniff

ROWS = "id;first_name;last_name\n1;Begoña;Muñoz Ibáñez\n2;José María;Peña\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")],
)
def test_spanish_names_survive_each_encoding(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(ROWS.encode(encoding))
    with open_csv(path, required=["id"]) as table:
        assert table.format.encoding == expected
        assert table.format.delimiter == ";"
        assert table.header == ["id", "first_name", "last_name"]
        records = list(table)
    assert [r.values["first_name"] for r in records] == ["Begoña", "José María"]
    assert records[0].values["last_name"] == "Muñoz Ibáñez"
    assert [r.line for r in records] == [2, 3]


@pytest.mark.parametrize("delimiter", [",", "\t", "|", ";"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "d.csv"
    path.write_text(f"a{delimiter}b{delimiter}c\n1{delimiter}2{delimiter}3\n", encoding="utf-8")
    assert sniff(path).delimiter == delimiter


def test_notes_above_header_multiline_cells_and_extra_cells(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        'Notes:\n"When exporting, some fields may be missing"\n\n'
        "First Name,Last Name,Company\n"
        'Ana,"López\nGarcía",Acme\n'
        "Luis,Peña,Globex,surplus\n",
        encoding="utf-8",
    )
    with open_csv(path, header_hint=lambda cells: "First Name" in cells) as table:
        assert table.format.header_line == 4
        records = list(table)
    assert records[0].line == 5 and records[0].values["Last Name"] == "López\nGarcía"
    assert records[1].line == 7 and records[1].values[EXTRA_CELLS] == "1"


def test_broken_bytes_in_utf8_file_are_flagged_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    good = "".join(f"{n},Muñoz{n}\n" for n in range(20)).encode()
    path.write_bytes(b"id,name\n" + good + b"99,Mu\xf1oz\n")
    with open_csv(path) as table:
        assert table.format.encoding == "utf-8"
        records = list(table)
    assert records[0].values["name"] == "Muñoz0"
    assert has_broken_encoding(records[-1].values["name"])
    assert not has_broken_encoding(records[0].values["name"])


def test_missing_empty_binary_and_wrong_header_files(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        sniff(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        open_csv(empty)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(IngestError, match="binary"):
        open_csv(binary)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"missing column.*customer_id"):
        open_csv(wrong, required=["customer_id"])
