"""The ingest job: detect format → read → validate → quarantine → check → write → summary.

Inputs are read once, streaming so memory stays flat: the check pass validates every
record, writes rejects to the quarantine file, spools good rows to a temporary file
(:class:`~srm.ingest.spool.Spool`) and checks the bad-row ratio of each file; only when
every file passes does the write pass replay the spool, in batches (see
:mod:`srm.ingest.writer`). A wrong header, an empty or unknown file, or too many bad rows
therefore stop the job before anything is written.

The demo and tests call :func:`ingest_paths`; ``srm ingest`` is a shell around it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from neo4j import Driver

from srm import db
from srm.cypher import schema
from srm.errors import IngestError
from srm.ingest.formats import Format, ReadOptions, detect_format, get_format
from srm.ingest.import_files import ImportFiles
from srm.ingest.quarantine import QuarantineWriter, Rejected
from srm.ingest.rows import BrandRow, FollowBlock
from srm.ingest.spool import Spool
from srm.ingest.validate import kind_of
from srm.ingest.writer import GraphWriter
from srm.operations.suppression import SuppressionList
from srm.progress import OnProgress, quiet
from srm.settings import get_settings
from srm.store import read

__all__ = [
    "DEFAULT_MAX_BAD_RATIO",
    "IngestSummary",
    "OnProgress",
    "ingest_paths",
    "resolve_formats",
    "sample_bundle",
]

log = logging.getLogger(__name__)
DEFAULT_MAX_BAD_RATIO = 0.05
# The kind readers give a reject that cannot be tied to a row kind (unparseable JSON line).
UNTYPED_KIND = "record"


@dataclass
class IngestSummary:
    """What a job did. ``loaded``: new nodes/relationships; ``updated``: rows that met
    existing ones; ``quarantined``: rows refused (see ``quarantine_path``); ``suppressed``:
    rows skipped because the record was erased; ``erased_references``: replies, quotes and
    reposts of erased posts, which point at nothing; ``stubs``: profiles/posts created only
    because something refers to them; ``unfollowed``: edges removed by ``--snapshot``."""

    loaded: int = 0
    updated: int = 0
    quarantined: int = 0
    suppressed: int = 0
    erased_references: int = 0
    stubs: int = 0
    unfollowed: int = 0
    rows: int = 0
    seconds: float = 0.0
    formats: dict[str, str] = field(default_factory=dict)
    quarantine_path: Path | None = None
    phase_seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        """The one-line summary printed at the end of a job."""
        text = (
            f"Ingested {self.rows:,} rows in {self.seconds:.1f} s: {self.loaded:,} loaded, "
            f"{self.updated:,} updated, {self.stubs:,} stubs, {self.quarantined:,} quarantined, "
            f"{self.suppressed:,} suppressed"
        )
        if self.erased_references:
            text += f", {self.erased_references:,} references to erased posts dropped"
        if self.unfollowed:
            text += f", {self.unfollowed:,} unfollows removed"
        if self.quarantined and self.quarantine_path:
            text += f" (see {self.quarantine_path})"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "loaded": self.loaded,
            "updated": self.updated,
            "quarantined": self.quarantined,
            "suppressed": self.suppressed,
            "erased_references": self.erased_references,
            "stubs": self.stubs,
            "unfollowed": self.unfollowed,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
        }


def sample_bundle() -> Path:
    """The committed demo bundle: 100 generated people (seed 42) with ``truth.csv``."""
    return Path(str(resources.files("srm") / "data" / "sample"))


def resolve_formats(
    paths: Sequence[Path], format_name: str = "auto", options: ReadOptions | None = None
) -> list[tuple[Path, Format]]:
    """Each path with its format (auto-detected unless named); IngestError if unknown.

    A file no reader recognises is read as a generic customer CSV when a column mapping
    (``--map``) is given: the mapping says how to read it.
    """
    if not paths:
        raise IngestError("No input given. Name at least one file or bundle folder.")
    mapped = bool(options and options.column_map)
    resolved = []
    for path in paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or folder. Check the path and try again.")
        if format_name != "auto":
            chosen = get_format(format_name)
        else:
            try:
                chosen = detect_format(path)
            except IngestError:
                if not (mapped and path.is_file()):
                    raise
                chosen = get_format("csv")
        resolved.append((path, chosen))
    return resolved


def _check(
    inputs: list[tuple[Path, Format]],
    options: ReadOptions,
    quarantine: QuarantineWriter,
    max_bad_ratio: float,
    on_progress: OnProgress,
    spool: Spool | None = None,
) -> int:
    """First pass: validate everything, quarantine rejects, spool good rows (when given a
    ``spool``), enforce the ratio per file."""
    good_rows = 0
    for path, chosen in inputs:
        good: Counter[str] = Counter()
        bad: Counter[str] = Counter()
        bad_source: dict[str, str] = {}
        stage = f"checking {path.name}"
        on_progress(stage, 0, None)
        for number, item in enumerate(chosen.read(path, options), 1):
            if isinstance(item, Rejected):
                quarantine.add(item)
                bad[item.kind] += 1
                bad_source.setdefault(item.kind, item.source)
                log.info("quarantined %s", item.describe())
            else:
                if type(item) is FollowBlock:
                    good["follow"] += len(item.pairs)
                else:
                    good[kind_of(type(item))] += 1
                if spool is not None:
                    spool.add(item)
            if number % 1_000 == 0:
                on_progress(stage, good.total() + bad.total(), None)
        records = good.total() + bad.total()
        on_progress(stage, records, records)
        if not good and not bad:
            raise IngestError(
                f"{path}: no records found. Check that the file has data rows below its header."
            )
        for kind, count in bad.items():
            # A record that could not even be parsed (kind "record") might have been any
            # kind, so it is measured against every good row of the file.
            seen = count + (sum(good.values()) if kind == UNTYPED_KIND else good[kind])
            ratio = count / seen
            if ratio > max_bad_ratio:
                where = quarantine.path or "the quarantine file (use --quarantine FILE)"
                raise IngestError(
                    f"{bad_source[kind]}: {count:,} of {seen:,} {kind} rows are bad "
                    f"({ratio:.1%} > --max-bad-ratio {max_bad_ratio:.1%}); nothing was written. "
                    f"See {where} for file, line, field and reason; fix them or raise "
                    "--max-bad-ratio."
                )
        good_rows += sum(good.values())
    return good_rows


_SCHEMA_NAME = re.compile(r"(?:INDEX|CONSTRAINT) (\w+) IF NOT EXISTS")


def _ensure_schema(driver: Driver, database: str | None) -> None:
    """Constraints and indexes first (:func:`srm.db.init_schema`), unless all of them are
    already online: one read instead of a schema transaction per statement and a wait."""
    expected = {
        found[1]
        for statement in schema.SCHEMA_STATEMENTS
        if (found := _SCHEMA_NAME.search(statement))
    }
    online = {
        row["name"]
        for row in read(driver, schema.SHOW_INDEXES, database=database)
        if row["state"] == "ONLINE"
    }
    if len(expected) != len(schema.SCHEMA_STATEMENTS) or not expected <= online:
        db.init_schema(driver, database=database)


def ingest_paths(
    driver: Driver,
    paths: Sequence[Path | str],
    *,
    format_name: str = "auto",
    options: ReadOptions | None = None,
    brands: Sequence[BrandRow] = (),
    snapshot: bool = False,
    batch_size: int = 10_000,
    max_bad_ratio: float = DEFAULT_MAX_BAD_RATIO,
    quarantine_path: Path | None = None,
    database: str | None = None,
    on_progress: OnProgress = quiet,
    suppression: SuppressionList | None = None,
    import_files: ImportFiles | None = None,
) -> IngestSummary:
    """Load ``paths`` (files or bundle folders) into the graph; return an :class:`IngestSummary`.

    ``brands`` are added after the input (``--brand NAME --official HANDLE``). Rows of
    erased people are skipped and counted as suppressed (``suppression``: the list to test
    against; loaded from the graph with the process's salt when not given). ``on_progress``
    hears how far each file's check and the write have come (see :data:`OnProgress`). Raises
    :class:`IngestError` — before writing anything — for unknown formats, missing, empty or
    wrongly headed files, or a file whose bad-row ratio exceeds ``max_bad_ratio``.

    With ``import_files`` the good rows go to the offline importer's CSV files instead of
    the graph (:mod:`srm.initial_load` runs the import); read, validation and quarantine
    are the same.
    """
    started = time.perf_counter()
    options = options or ReadOptions()
    inputs = resolve_formats([Path(path) for path in paths], format_name, options)
    summary = IngestSummary(
        formats={str(path): chosen.name for path, chosen in inputs},
        quarantine_path=quarantine_path,
    )
    with (
        QuarantineWriter(quarantine_path) as quarantine,
        Spool() as spool,
    ):
        total = _check(inputs, options, quarantine, max_bad_ratio, on_progress, spool)
        summary.quarantined = quarantine.total
        on_progress("writing", 0, total)
        written = 0
        lock = threading.Lock()  # the writer reports from its writer threads

        def advance(rows: int) -> None:
            nonlocal written
            with lock:
                written += rows
                on_progress("writing", written, total)

        writer: GraphWriter | ImportFiles
        if import_files is not None:
            writer = import_files
        else:
            _ensure_schema(driver, database)
            writer = GraphWriter(
                driver,
                batch_size=batch_size,
                database=database,
                snapshot=snapshot,
                on_rows=advance,
            )
        # Erased people (srm erase) stay out: their rows are skipped and counted.
        if suppression is None:
            suppression = SuppressionList.load(driver, get_settings(), database=database)
        for item in spool:
            kept = suppression.filter_row(item)
            if kept is not None:
                writer.add(kept)
        for brand in brands:
            writer.add(brand)
        stats = writer.close()
    summary.loaded, summary.updated = stats.loaded, stats.updated
    summary.suppressed = suppression.suppressed
    summary.erased_references = suppression.references_dropped
    summary.stubs = stats.stubs
    summary.unfollowed, summary.rows = stats.unfollowed, stats.rows
    summary.seconds = time.perf_counter() - started
    return summary
