"""``srm ingest PATH --initial``: the first load of an empty local store through Neo4j's
offline importer.

Reading, validation, quarantine and the bad-row ratio are the normal ingest's
(:func:`srm.ingest.pipeline.ingest_paths`); the good rows become the importer's CSV files
(:class:`srm.ingest.import_files.ImportFiles`) instead of MERGE batches. Then the local
server is stopped, the importer writes the store, the server starts again (memory sized to
the new store) and the schema is applied. The graph is the one the normal ingest builds
(same content hash, :func:`srm.db.graph_fingerprint`). Later deltas use the normal ingest.

Refused — nothing read or written — when ``NEO4J_URI`` names another server (the
importer writes store files, so it needs SRM's own local server) or the store holds data.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from srm import db, local_neo4j
from srm.cypher.backup import ANY_NODE
from srm.errors import IngestError
from srm.ingest.import_files import ImportFiles
from srm.ingest.pipeline import IngestSummary, ingest_paths
from srm.neo4j_import import run_import
from srm.settings import Settings
from srm.store import open_driver, read

__all__ = ["initial_load", "local_port_for_import"]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def local_port_for_import(settings: Settings, data_dir: Path) -> int:
    """The port of SRM's running local server on ``data_dir``, if the configured store is
    that server; otherwise :class:`IngestError` saying why and what to run instead."""
    state = local_neo4j.status(data_dir)
    if not settings.uses_local_server:
        target = urlsplit(settings.effective_uri)
        if not (target.hostname in LOCAL_HOSTS and state.port and target.port == state.port):
            raise IngestError(
                "--initial loads through Neo4j's offline importer, which writes the store "
                "files of SRM's local server; NEO4J_URI points to another server. Run "
                "'srm ingest' without --initial (the Bolt path) for that server."
            )
    if not state.answering or state.port is None:
        raise IngestError(
            f"--initial needs SRM's local Neo4j running on {data_dir} ({state.message}). "
            "Start it with 'srm neo4j start'."
        )
    return state.port


def initial_load(
    settings: Settings,
    data_dir: Path,
    paths: Sequence[Path | str],
    **ingest_options: Any,
) -> IngestSummary:
    """Load ``paths`` into the empty local store on ``data_dir`` with the offline importer.

    ``ingest_options`` are :func:`~srm.ingest.pipeline.ingest_paths`'s (format, options,
    brands, max_bad_ratio, quarantine_path, on_progress). The summary's ``phase_seconds``
    times each step: ``files`` (read, check, write the importer's files), ``stop``,
    ``import``, ``start`` and ``schema`` (constraints and indexes, populated). Raises
    :class:`IngestError` for another server or a store that is not empty, and what
    ``ingest_paths`` raises for bad input (before the server is stopped).
    """
    started = time.perf_counter()
    phases: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        phases[name] = round(now - since, 2)
        return now

    port = local_port_for_import(settings, data_dir)
    uri = f"bolt://127.0.0.1:{port}"
    local = settings.model_copy(update={"neo4j_uri": uri})
    with tempfile.TemporaryDirectory(prefix="srm-import-", dir=data_dir) as folder:
        files = ImportFiles(Path(folder))
        with open_driver(local) as driver:
            if read(driver, ANY_NODE)[0]["found"]:
                raise IngestError(
                    "--initial needs an empty store; this one holds data. Load deltas with "
                    "'srm ingest' (no --initial), or wipe it first (srm db wipe --yes)."
                )
            summary = ingest_paths(driver, paths, import_files=files, **ingest_options)
        moment = lap("files", started)
        local_neo4j.stop(data_dir)
        moment = lap("stop", moment)
        run_import(settings.home, data_dir, files.plan)
        moment = lap("import", moment)
    local_neo4j.start(
        settings.home,
        data_dir,
        port,
        heap_mb=settings.local_heap_mb,
        pagecache_mb=settings.local_pagecache_mb,
    )
    moment = lap("start", moment)
    with open_driver(local) as driver:
        db.init_schema(driver)
    lap("schema", moment)
    summary.seconds = time.perf_counter() - started
    summary.phase_seconds = phases
    return summary
