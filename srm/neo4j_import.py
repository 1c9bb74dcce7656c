"""Neo4j's offline bulk importer (``neo4j-admin database import full``) on SRM's local store.

The importer's jars (``org.neo4j:neo4j-import-tool``, same version as the server) come with
the server's through :func:`srm.local_neo4j.install`; this module runs its command-line
entry point with ``NEO4J_HOME`` set to the local server's data directory, where the
embedded server keeps ``data/databases/neo4j``. The server must be stopped: the importer
writes the store files directly (``--overwrite-destination`` replaces the empty store).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from srm.class_archive import adopt
from srm.errors import IngestError
from srm.ingest.import_files import ARRAY_DELIMITER, ImportPlan
from srm.local_neo4j import JAVA_OPTIONS, class_sharing, install, java_command
from srm.neo4j_memory import available_memory_mb

__all__ = ["ImportRun", "import_command", "run_import"]

IMPORTER_MAIN = "org.neo4j.cli.AdminTool"
REPORT_FILE = "srm-import.report"


@dataclass(frozen=True)
class ImportRun:
    """What the importer printed (its last lines), for the job's log."""

    output_tail: str


def import_command(
    classpath: str,
    java: str,
    plan: ImportPlan,
    report: Path,
    *,
    heap_mb: int,
    offheap_mb: int,
    jvm_options: Sequence[str] = (),
) -> list[str]:
    """The importer's command line for ``plan`` (pure: tests read it)."""
    command = [
        java,
        f"-Xmx{heap_mb}m",
        *JAVA_OPTIONS,
        *jvm_options,
        "-cp",
        classpath,
        IMPORTER_MAIN,
        "database",
        "import",
        "full",
        "neo4j",  # before the options: --nodes/--relationships take any number of files
        "--overwrite-destination=true",
        "--id-type=integer",
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        "--bad-tolerance=0",
        f"--max-off-heap-memory={offheap_mb}m",
        f"--report-file={report}",
    ]
    if plan.multiline:
        # Only these files are read as multi-line CSV, which the importer reads on one
        # thread; the others (the follows) are split between its threads.
        command += [
            "--multiline-fields-format=v2",
            "--multiline-fields=" + ",".join(str(path) for path in plan.multiline),
        ]
    command += [f"--nodes={label}={path}" for label, path in plan.nodes]
    command += [f"--relationships={kind}={path}" for kind, path in plan.relationships]
    return command


def run_import(home: Path, data_dir: Path, plan: ImportPlan) -> ImportRun:
    """Import ``plan``'s files into the (stopped) local store in ``data_dir``.

    Raises :class:`IngestError` with the importer's report when it fails (the store is then
    left as the importer left it: run ``srm db wipe --yes`` or delete the data folder).
    """
    target = install(home)
    java, classpath = java_command(target)
    shared = class_sharing(target, "importer")
    budget = max(available_memory_mb() // 4, 256)
    report = data_dir / REPORT_FILE
    command = import_command(
        classpath,
        java,
        plan,
        report,
        heap_mb=min(budget, 2048),
        offheap_mb=budget,
        jvm_options=shared.options,
    )
    environment = {**os.environ, "NEO4J_HOME": str(data_dir), "NEO4J_CONF": str(data_dir)}
    try:
        finished = subprocess.run(
            command, capture_output=True, text=True, env=environment, check=False
        )
    finally:
        adopt(shared.recording)
    lines = (finished.stdout + finished.stderr).strip().splitlines()
    tail = "\n".join([line for line in lines if not line.lstrip().startswith("at ")][-15:])
    if finished.returncode != 0:
        details = report.read_text(errors="replace")[-2000:] if report.exists() else ""
        raise IngestError(
            f"Neo4j's importer failed (exit {finished.returncode}); the store in {data_dir} "
            f"may be partial — wipe it before loading again.\n{tail}\n{details}".rstrip()
        )
    return ImportRun(tail)
