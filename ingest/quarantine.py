"""Quarantine: records that failed validation, written as JSON lines for people to fix.

A record says where (source file, line), what (row kind, field) and why (reason) — never
the value itself, so no email address or phone number ever lands in a quarantine file or
a log line.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from srm.ingest.closing import ClosingFile

__all__ = ["QuarantineWriter", "Rejected"]


@dataclass(frozen=True)
class Rejected:
    """A record that was not loaded: where it is, which field failed and why (no values)."""

    source: str
    line: int | None
    kind: str
    field: str | None
    reason: str

    def describe(self) -> str:
        """One line for a log or an error message."""
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        what = f" field {self.field}" if self.field else ""
        return f"{where}: {self.kind}{what}: {self.reason}"


class QuarantineWriter(ClosingFile):
    """Write :class:`Rejected` records to a JSON-lines file, one job's worth: the file is
    replaced at the job's first reject (and not created when there is none).

    ``path=None`` keeps only the counts. Use as a context manager.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.counts: Counter[str] = Counter()
        self._handle: IO[str] | None = None

    def add(self, record: Rejected) -> None:
        self.counts[record.source] += 1
        if self.path is None:
            return
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8")
        self._handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")

    @property
    def total(self) -> int:
        return sum(self.counts.values())
