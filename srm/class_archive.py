"""Class-data sharing for SRM's Java processes (the local server, the offline importer).

A JVM that starts Neo4j loads and verifies some 10,000 classes from 200 jars, about 4 of
the 11 CPU seconds the local server needs to answer (measured on 2 cores). A dynamic
class-data sharing archive (JDK 13+: ``-XX:ArchiveClassesAtExit`` writes one when the
JVM exits, ``-XX:SharedArchiveFile`` maps it at start) holds those classes already parsed
and verified, so later starts skip that work.

The first process of a kind records the archive (one recorder at a time, under a lock
file); its caller adopts the archive (an atomic rename) once that process has exited, so
no JVM ever maps a half-written file. An archive that does not match the JVM or the class
path any more is ignored by the JVM (``-Xshare:auto``, the default), never an error. The
class path must hold jars only: the JVM refuses to archive classes from a non-empty
directory.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Sharing", "adopt", "sharing"]

STALE_LOCK_S = 3600.0
# The JVM lists every class it cannot archive (signed jars, old class files) on stdout,
# which is the server's log and the importer's report to the user: keep them out.
QUIET = ("-Xlog:cds=off", "-Xlog:cds+dynamic=off")


@dataclass(frozen=True)
class Sharing:
    """JVM options for one process, and the archive it records (``None``: it only reads)."""

    options: list[str]
    recording: Path | None


def _archive(folder: Path, name: str) -> Path:
    return folder / f"{name}.jsa"


def _lock(folder: Path, name: str) -> Path:
    return folder / f"{name}.recording"


def sharing(folder: Path, name: str, *, class_path_built: float = 0.0) -> Sharing:
    """Options to map ``folder/name.jsa``, or to record it at exit when there is none and
    no other process is recording it (then ``recording`` is the file to :func:`adopt`).

    An archive older than ``class_path_built`` (the newest jar's modification time) was
    recorded from other jars: it is dropped and recorded again.
    """
    archive = _archive(folder, name)
    try:
        if archive.stat().st_mtime >= class_path_built:
            return Sharing([f"-XX:SharedArchiveFile={archive}", *QUIET], None)
        archive.unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    lock = _lock(folder, name)
    try:
        if time.time() - lock.stat().st_mtime > STALE_LOCK_S:
            lock.unlink(missing_ok=True)  # its recorder died without anyone adopting
    except FileNotFoundError:
        pass
    recording = folder / f"{name}.{uuid.uuid4().hex}.partial"
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return Sharing([], None)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(str(recording))
    return Sharing([f"-XX:ArchiveClassesAtExit={recording}", *QUIET], recording)


def adopt(recording: Path | None) -> None:
    """Put the archive a process recorded (now exited) in place and release the lock.

    A process killed before it could write the archive leaves nothing to adopt; the next
    start records again.
    """
    if recording is None:
        return
    name = recording.name.split(".", 1)[0]
    if recording.exists() and recording.stat().st_size > 0:
        os.replace(recording, _archive(recording.parent, name))
    else:
        recording.unlink(missing_ok=True)
    _lock(recording.parent, name).unlink(missing_ok=True)
