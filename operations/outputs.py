"""Files SRM wrote that may name people — maps, exports, identity cluster exports,
quarantine files — remembered in ``$SRM_HOME/outputs.jsonl`` so an erasure can find them.

Commands that write such a file call :func:`remember`. :func:`scrub_files` walks those
files and every file under ``$SRM_HOME/maps`` (the demo's maps): a map (HTML) that names
an erased person is deleted (``srm map …`` draws it again without them); a CSV or
JSON-lines file loses the lines that name them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from srm.operations.erased import ErasedIds
from srm.settings import Settings

__all__ = ["LEDGER_FILE", "MAPS_FOLDER", "remember", "remembered", "scrub_files"]

LEDGER_FILE = "outputs.jsonl"
MAPS_FOLDER = "maps"
_LINE_FILES = {".csv", ".jsonl", ".ndjson", ".txt", ".tsv"}


def remember(settings: Settings, path: Path, kind: str) -> None:
    """Note that ``path`` (a map, an export, a quarantine file) was written."""
    ledger = Path(settings.home) / LEDGER_FILE
    ledger.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "path": str(Path(path).resolve()),
        "kind": kind,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with ledger.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


def remembered(settings: Settings) -> Iterator[Path]:
    """Every file that may name people: remembered outputs and the demo's maps (once each)."""
    seen: set[Path] = set()
    ledger = Path(settings.home) / LEDGER_FILE
    candidates: list[Path] = []
    if ledger.exists():
        for text in ledger.read_text(encoding="utf-8").splitlines():
            try:
                candidates.append(Path(json.loads(text)["path"]))
            except (ValueError, KeyError, TypeError):
                continue
    maps = Path(settings.home) / MAPS_FOLDER
    if maps.is_dir():
        candidates += sorted(path for path in maps.rglob("*") if path.is_file())
    for path in candidates:
        if path not in seen and path.is_file():
            seen.add(path)
            yield path


def _scrub_file(path: Path, erased: ErasedIds) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if not erased.holds(text):
        return False
    if path.suffix.lower() in _LINE_FILES:
        kept = [line for line in text.splitlines(keepends=True) if not erased.holds(line)]
        path.write_text("".join(kept), encoding="utf-8")
    else:
        path.unlink()
    return True


def scrub_files(settings: Settings, erased: ErasedIds) -> int:
    """Scrub or delete every remembered file that names the erased person; returns how many."""
    return sum(_scrub_file(path, erased) for path in list(remembered(settings)))
