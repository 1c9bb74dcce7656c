"""Robust CSV opening shared by every CSV reader (canonical bundle, CRM exports, …).

Real exports come as UTF-8, UTF-8 with a byte-order mark (Excel) or Windows-1252 (older
Excel on Windows), with ``,`` ``;`` tab or ``|`` between fields, and sometimes with note
lines above the header (LinkedIn's ``Connections.csv``). :func:`open_csv` works all that out
from a sample of the file and then streams records with their physical line numbers, so
memory stays flat in file size.

Bytes that are not valid in the detected encoding are kept as lone surrogates
(``surrogateescape``) instead of failing the whole file; :func:`has_broken_encoding` tells
a validator which values to quarantine.

Example::

    with open_csv(path, required=("customer_id",)) as table:
        for record in table:
            print(record.line, record.values["customer_id"])
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from srm.errors import IngestError
from srm.ingest.closing import ClosingFile

__all__ = [
    "EXTRA_CELLS",
    "CsvFile",
    "CsvFormat",
    "CsvRecord",
    "detect_encoding",
    "has_broken_encoding",
    "open_csv",
    "repair_encoding",
    "sniff",
]

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 20
HEADER_SEARCH_LINES = 50
_BROKEN = re.compile("[\udc80-\udcff]")
# Key (not a possible column name) under which a record reports cells beyond the header.
EXTRA_CELLS = "\x00extra_cells"

# Huge fields (a pasted novel as a bio) must reach the validator, which truncates and flags
# them, rather than abort the csv module with "field larger than field limit".
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file is written: its text encoding, delimiter and header line (1-based)."""

    encoding: str
    delimiter: str
    header_line: int = 1


class CsvRecord(NamedTuple):
    """One data record: the physical line it starts on and its values by column name."""

    line: int
    values: dict[str, str]


def has_broken_encoding(value: str) -> bool:
    """True if ``value`` holds bytes that were not valid in the file's encoding."""
    return _BROKEN.search(value) is not None


def repair_encoding(value: str) -> str:
    """``value`` with undecodable bytes replaced by U+FFFD (safe to log, store or show)."""
    return _BROKEN.sub("\ufffd", value)


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        # final=False: a multi-byte character cut by the sample's end is not an error.
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(sample: bytes) -> bool:
    # A UTF-8 export with a few corrupt bytes should stay UTF-8 (and quarantine those rows),
    # not turn every accent into mojibake: Windows-1252 text almost never forms valid
    # multi-byte UTF-8 sequences, so valid ones outnumbering bad bytes is a strong signal.
    text = sample.decode("utf-8", errors="surrogateescape")
    bad = len(_BROKEN.findall(text))
    valid = sum(1 for character in text if ord(character) > 127) - bad
    return valid > bad


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file starting with ``sample``.

    UTF-8 with BOM, then UTF-8 (strict, or with valid multi-byte characters outnumbering
    corrupt bytes — Windows-1252 text with accents passes neither), then Windows-1252;
    failing all, charset-normalizer's best guess, else Latin-1 (which decodes anything, so
    a broken byte becomes one wrong character, not a lost file).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(sample, "utf-8") or _mostly_utf8(sample):
        return "utf-8"
    if _decodes(sample, "cp1252"):
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best is not None else "latin-1"


def _delimiter_of(line: str) -> str:
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


def sniff(
    path: Path,
    *,
    header_hint: Callable[[list[str]], bool] | None = None,
) -> CsvFormat:
    """Detect the encoding, delimiter and header line of the CSV file at ``path``.

    ``header_hint`` finds the header among the first lines when exports put notes above
    it: the first line whose cells satisfy it is the header. Without it, the first non-blank
    line is. Raises :class:`IngestError` for a missing, empty or binary file.
    """
    if not path.exists():
        raise IngestError(f"{path}: no such file. Check the path and try again.")
    if path.is_dir():
        raise IngestError(f"{path}: is a folder, not a CSV file.")
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise IngestError(f"{path}: the file is empty. Export it again with its header row.")
    if b"\x00" in sample[:4096] and not sample.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        raise IngestError(f"{path}: looks binary, not a CSV text file. Check the file format.")
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    lines = text.splitlines()[:HEADER_SEARCH_LINES]
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        delimiter = _delimiter_of(line)
        if header_hint is None:
            return CsvFormat(encoding, delimiter, index + 1)
        cells = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
        if header_hint(cells):
            return CsvFormat(encoding, delimiter, index + 1)
    raise IngestError(
        f"{path}: no header row found in the first {HEADER_SEARCH_LINES} lines. "
        "Check that this is the right export and that it has its column names."
    )


@dataclass
class CsvFile(ClosingFile):
    """An open CSV file: its format, header, and records as :class:`CsvRecord`.

    Use through :func:`open_csv`. Iterating yields records in file order with the line
    they start on; blank lines are skipped; missing trailing cells read as ``""``; a record
    with more cells than the header carries their count under :data:`EXTRA_CELLS`.
    """

    path: Path
    format: CsvFormat
    header: list[str] = field(default_factory=list)
    _handle: IO[str] | None = None
    _reader: Iterator[list[str]] | None = None
    _lines_read: int = 0

    def _count_lines(self, handle: IO[str]) -> Iterator[str]:
        for line in handle:
            self._lines_read += 1
            # The csv module refuses NUL bytes; a stray one should cost a character, not a file.
            yield line.replace("\x00", "") if "\x00" in line else line

    def open(self) -> CsvFile:
        self._handle = self.path.open(
            "r", encoding=self.format.encoding, errors="surrogateescape", newline=""
        )
        lines = self._count_lines(self._handle)
        for _ in range(self.format.header_line - 1):
            next(lines, None)
        self._reader = csv.reader(lines, delimiter=self.format.delimiter)
        header = next(self._reader, None)
        if header is None:
            self.close()
            raise IngestError(f"{self.path}: the file is empty. Export it again with its header.")
        self.header = [cell.strip().lstrip("\ufeff") for cell in header]
        return self

    def require(self, columns: Collection[str]) -> None:
        """Raise :class:`IngestError` naming the missing columns, if any are missing."""
        missing = [column for column in columns if column not in self.header]
        if missing:
            raise IngestError(
                f"{self.path}: wrong header, missing column(s) {', '.join(missing)} "
                f"(found: {', '.join(self.header[:12]) or 'none'}). Rename the columns or "
                "choose the right --format."
            )

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """Records as (line, cells in header order): the fast path for hot readers.

        Blank lines are skipped and missing trailing cells padded with ``""``; a record
        with more cells than the header keeps them (the caller rejects it).
        """
        if self._reader is None:
            raise RuntimeError("CsvFile used before open()")
        width = len(self.header)
        end_of_previous = self._lines_read
        for cells in self._reader:
            line, end_of_previous = end_of_previous + 1, self._lines_read
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield line, cells

    def __iter__(self) -> Iterator[CsvRecord]:
        header = self.header
        width = len(header)
        for line, cells in self.cells():
            values = dict(zip(header, cells, strict=False))
            if len(cells) > width:
                values[EXTRA_CELLS] = str(len(cells) - width)
            yield CsvRecord(line, values)


def open_csv(
    path: Path,
    *,
    required: Collection[str] = (),
    header_hint: Callable[[list[str]], bool] | None = None,
    csv_format: CsvFormat | None = None,
) -> CsvFile:
    """Open the CSV file at ``path`` for streaming, detecting its format unless given.

    ``required`` columns must be in the header (else :class:`IngestError`, nothing read).
    Records with more cells than the header carry ``EXTRA_CELLS`` (the count) among their
    values so validation can quarantine them. Use as a context manager.
    """
    table = CsvFile(Path(path), csv_format or sniff(Path(path), header_hint=header_hint))
    table.open()
    try:
        table.require(required)
    except IngestError:
        table.close()
        raise
    return table
