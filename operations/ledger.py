"""The suppression ledger: every suppression hash an erasure adds, also kept on disk in
``$SRM_HOME/suppression.ledger`` (one hash a line, mode 0600), so that a restore of a
backup taken before the erasure can erase the person again (:mod:`srm.operations.replay`).

The ledger holds salted hashes only, like the graph's ``Suppression`` nodes: keep it with
the salt and the backups.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from srm.settings import Settings

__all__ = ["LEDGER_FILE", "append", "hashes"]

LEDGER_FILE = "suppression.ledger"


def _path(settings: Settings) -> Path:
    return Path(settings.home) / LEDGER_FILE


def append(settings: Settings, key_hashes: Iterable[str]) -> None:
    """Add ``key_hashes`` to the ledger (created 0600 on first use)."""
    lines = "".join(f"{digest}\n" for digest in sorted(set(key_hashes)))
    if not lines:
        return
    path = _path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as out:
        out.write(lines)


def hashes(settings: Settings) -> set[str]:
    """Every hash in the ledger (empty when there is none)."""
    path = _path(settings)
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
