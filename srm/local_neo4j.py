"""SRM's own local Neo4j: fetch Neo4j Community 5.26 LTS with Maven, compile the launcher,
start, stop and check a server on 127.0.0.1 without Docker.

The launcher (``srm/launcher/Launcher.java``) embeds Neo4j with only the Bolt connector, auth
off (it listens on loopback only) and explicit memory settings. The jars land once in
``$SRM_HOME/neo4j-<version>/`` and Maven's own repository cache; the server's data, log and
pid file live in a data directory of the caller's choice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from srm.class_archive import Sharing, adopt, sharing
from srm.errors import ConfigurationError, StoreUnavailable
from srm.neo4j_memory import (
    MemoryPlan,
    available_memory_mb,
    plan_memory,
    read_memory_file,
    store_size_mb,
    write_memory_file,
)

__all__ = [
    "JAVA_OPTIONS",
    "NEO4J_VERSION",
    "LocalServer",
    "ServerStatus",
    "class_sharing",
    "free_port",
    "install",
    "java_command",
    "running_pid",
    "running_server",
    "start",
    "status",
    "stop",
]

NEO4J_VERSION = "5.26.30"
READY_MARK = "SRM-NEO4J READY"
PID_FILE = "srm-neo4j.pid"
LOG_FILE = "srm-neo4j.log"
RECORDING_FILE = "srm-neo4j.cds"
LAUNCHER_JAR = "launcher.jar"
JAVA_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
)


@dataclass(frozen=True)
class LocalServer:
    """A running local server: where it listens and which process it is."""

    uri: str
    pid: int
    port: int
    data_dir: Path


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    answering: bool
    pid: int | None
    port: int | None
    version: str | None
    message: str
    store_mb: int = 0
    memory: MemoryPlan | None = None

    def memory_line(self) -> str:
        """Store size against the page cache the server runs with (and its heap)."""
        if self.memory is None:
            return f"store {self.store_mb:,} MiB (memory settings not recorded)"
        fits = "fits in" if self.store_mb <= self.memory.pagecache_mb else "is larger than"
        return (
            f"store {self.store_mb:,} MiB {fits} the page cache of "
            f"{self.memory.pagecache_mb:,} MiB; heap {self.memory.heap_mb:,} MiB "
            f"({self.memory.source})"
        )


def _launcher_source() -> tuple[Path, Path]:
    folder = resources.files("srm") / "launcher"
    return Path(str(folder / "pom.xml")), Path(str(folder / "Launcher.java"))


def _install_dir(home: Path) -> Path:
    return home / f"neo4j-{NEO4J_VERSION}"


def _tool(name: str, hint: str) -> str:
    if name == "java" and os.environ.get("JAVA_HOME"):
        candidate = Path(os.environ["JAVA_HOME"]) / "bin" / "java"
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise ConfigurationError(f"'{name}' is not on PATH. {hint}")
    return found


def _fingerprint() -> str:
    pom, source = _launcher_source()
    digest = hashlib.sha256(pom.read_bytes() + source.read_bytes() + NEO4J_VERSION.encode())
    return digest.hexdigest()


def install(home: Path, *, quiet: bool = True) -> Path:
    """Fetch the Neo4j jars (Maven) and compile the launcher; skipped when already done.

    Returns the install directory holding ``lib/`` (jars) and ``classes/`` (the launcher).
    """
    target = _install_dir(home)
    marker = target / "installed.sha256"
    fingerprint = _fingerprint()
    if marker.exists() and marker.read_text().strip() == fingerprint:
        return target
    mvn = _tool("mvn", "Install Maven (Debian: apt-get install maven) or set NEO4J_URI.")
    javac = _tool("javac", "Install a Java 17 JDK (Debian: openjdk-17-jdk-headless).")
    pom, source = _launcher_source()
    lib, classes = target / "lib", target / "classes"
    for folder in (lib, classes):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    (target / LAUNCHER_JAR).unlink(missing_ok=True)
    command = [
        mvn,
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={lib}",
        "-DincludeScope=runtime",
    ]
    if quiet:
        command.insert(2, "-q")
    fetched = subprocess.run(command, capture_output=quiet, text=True, check=False)
    if fetched.returncode != 0:
        tail = (fetched.stdout or "")[-2000:] + (fetched.stderr or "")[-2000:]
        raise StoreUnavailable(
            f"Maven could not fetch Neo4j {NEO4J_VERSION}: {' '.join(command)}"
            f" exited {fetched.returncode}.\n{tail}"
        )
    compiled = subprocess.run(
        [javac, "-d", str(classes), "-cp", str(lib / "*"), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if compiled.returncode != 0:
        raise StoreUnavailable(f"Compiling the Neo4j launcher failed:\n{compiled.stderr[-4000:]}")
    marker.write_text(fingerprint)
    return target


def _launcher_jar(target: Path) -> Path:
    """The compiled launcher as a jar: class-data sharing refuses a class directory."""
    jar = target / LAUNCHER_JAR
    if not jar.exists():
        classes = target / "classes"
        partial = target / f"{LAUNCHER_JAR}.{os.getpid()}.partial"
        with zipfile.ZipFile(partial, "w") as archive:
            for path in sorted(classes.rglob("*.class")):
                archive.write(path, path.relative_to(classes).as_posix())
        os.replace(partial, jar)
    return jar


def java_command(target: Path) -> tuple[str, str]:
    """The ``java`` binary and the classpath (launcher jar and Neo4j jars) of an install."""
    java = _tool("java", "Install a Java 17 JDK (Debian: openjdk-17-jdk-headless).")
    return java, f"{_launcher_jar(target)}{os.pathsep}{target / 'lib' / '*'}"


def class_sharing(target: Path, name: str) -> Sharing:
    """Class-data sharing options for a JVM of this install (:mod:`srm.class_archive`)."""
    built = max((target / file).stat().st_mtime for file in (LAUNCHER_JAR, "installed.sha256"))
    return sharing(target / "class-archives", name, class_path_built=built)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _read_pid_file(data_dir: Path) -> tuple[int, int] | None:
    pid_file = data_dir / PID_FILE
    try:
        pid_text, port_text = pid_file.read_text().split()
        return int(pid_text), int(port_text)
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) answers kill(0) but is gone.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return True


def _log_tail(data_dir: Path, lines: int = 25) -> str:
    try:
        return "\n".join((data_dir / LOG_FILE).read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def _query_version(uri: str, timeout_s: float = 5.0) -> str:
    with GraphDatabase.driver(uri, auth=None, connection_timeout=timeout_s) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions RETURN versions[0] AS version"
        )
        return str(records[0]["version"])


def start(
    home: Path,
    data_dir: Path,
    port: int,
    *,
    heap_mb: int | None = None,
    pagecache_mb: int | None = None,
    transaction_memory_mb: int | None = None,
    parent_pid: int | None = None,
    timeout_s: float = 180.0,
) -> LocalServer:
    """Start a local server on ``127.0.0.1:port`` with its store in ``data_dir``.

    ``heap_mb`` and ``pagecache_mb`` default to :func:`srm.neo4j_memory.plan_memory` of the
    store's size and the free memory. ``transaction_memory_mb`` caps the memory of any one
    transaction (Neo4j's ``db.memory.transaction.max``; default: no cap of its own).
    Returns at once if a server started by SRM already runs on that data directory. Raises
    :class:`StoreUnavailable` with the server's log when it cannot start.
    """
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    known = _read_pid_file(data_dir)
    if known and _alive(known[0]):
        return LocalServer(f"bolt://127.0.0.1:{known[1]}", known[0], known[1], data_dir)
    if _port_in_use(port):
        raise StoreUnavailable(
            f"Port {port} on 127.0.0.1 is already in use. Stop what listens there, or choose "
            "another port (srm neo4j start --port N, or SRM_NEO4J_PORT)."
        )
    target = install(home)
    java, classpath = java_command(target)
    shared = class_sharing(target, "server")
    plan = plan_memory(
        store_size_mb(data_dir),
        available_memory_mb(),
        heap_override_mb=heap_mb,
        pagecache_override_mb=pagecache_mb,
    )
    command = [
        java,
        f"-Xmx{plan.heap_mb}m",
        f"-Xms{min(plan.heap_mb, 256)}m",
        *JAVA_OPTIONS,
        *shared.options,
        "-cp",
        classpath,
        "srm.launcher.Launcher",
        "--home",
        str(data_dir),
        "--port",
        str(port),
        "--pagecache-mb",
        str(plan.pagecache_mb),
    ]
    if transaction_memory_mb:
        command += ["--transaction-memory-mb", str(transaction_memory_mb)]
    if parent_pid:
        command += ["--parent-pid", str(parent_pid)]
    log_path = data_dir / LOG_FILE
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    (data_dir / PID_FILE).write_text(f"{process.pid} {port}\n")
    if shared.recording:
        (data_dir / RECORDING_FILE).write_text(str(shared.recording))
    write_memory_file(data_dir, plan)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            (data_dir / PID_FILE).unlink(missing_ok=True)
            _adopt_archive(data_dir)
            raise StoreUnavailable(
                f"The local Neo4j exited with code {process.returncode} while starting. "
                f"Its log ({log_path}) ends with:\n{_log_tail(data_dir)}"
            )
        if READY_MARK in log_path.read_text(errors="replace"):
            uri = f"bolt://127.0.0.1:{port}"
            _query_version(uri)
            return LocalServer(uri, process.pid, port, data_dir)
        time.sleep(0.2)
    _terminate(process.pid, grace_s=10)
    (data_dir / PID_FILE).unlink(missing_ok=True)
    _adopt_archive(data_dir)
    raise StoreUnavailable(
        f"The local Neo4j did not become ready within {timeout_s:.0f} s. "
        f"Its log ({log_path}) ends with:\n{_log_tail(data_dir)}"
    )


def _adopt_archive(data_dir: Path) -> None:
    """Once the server on ``data_dir`` has exited: keep the class archive it recorded."""
    recording_file = data_dir / RECORDING_FILE
    try:
        recording = Path(recording_file.read_text().strip())
    except FileNotFoundError:
        return
    adopt(recording)
    recording_file.unlink(missing_ok=True)


def _terminate(pid: int, grace_s: float) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    while _alive(pid):
        time.sleep(0.05)


def stop(data_dir: Path, *, grace_s: float = 60.0) -> bool:
    """Stop the server SRM started on ``data_dir`` (SIGTERM, then SIGKILL after ``grace_s``).

    Returns False when none was running.
    """
    data_dir = data_dir.resolve()
    known = _read_pid_file(data_dir)
    if known is None:
        return False
    pid, _ = known
    was_running = _alive(pid)
    if was_running:
        _terminate(pid, grace_s)
    (data_dir / PID_FILE).unlink(missing_ok=True)
    _adopt_archive(data_dir)
    return was_running


def kill(data_dir: Path) -> None:
    """SIGKILL the server on ``data_dir`` (no clean shutdown): for crash tests."""
    known = _read_pid_file(data_dir.resolve())
    if known and _alive(known[0]):
        os.kill(known[0], signal.SIGKILL)
        while _alive(known[0]):
            time.sleep(0.05)
    _adopt_archive(data_dir.resolve())


def running_pid(data_dir: Path) -> int | None:
    """The process id of SRM's server on ``data_dir`` while it is alive (no Bolt query:
    cheap enough to ask twice a second)."""
    known = _read_pid_file(data_dir.resolve())
    return known[0] if known is not None and _alive(known[0]) else None


def status(data_dir: Path) -> ServerStatus:
    """Whether SRM's server on ``data_dir`` runs and answers a real Bolt query."""
    known = _read_pid_file(data_dir.resolve())
    if known is None:
        return ServerStatus(False, False, None, None, None, "not running (no pid file)")
    pid, port = known
    if not _alive(pid):
        return ServerStatus(False, False, pid, port, None, f"not running (pid {pid} is gone)")
    try:
        version = _query_version(f"bolt://127.0.0.1:{port}")
    except (ServiceUnavailable, Neo4jError, OSError) as error:
        return ServerStatus(
            True, False, pid, port, None, f"process up, Bolt not answering: {type(error).__name__}"
        )
    return ServerStatus(
        True,
        True,
        pid,
        port,
        version,
        f"running: Neo4j {version} at bolt://127.0.0.1:{port} (pid {pid})",
        store_size_mb(data_dir.resolve()),
        read_memory_file(data_dir.resolve()),
    )


@contextmanager
def running_server(home: Path, data_dir: Path, **options: object) -> Iterator[LocalServer]:
    """Start a server on a free port for the duration of a ``with`` block."""
    server = start(home, data_dir, free_port(), parent_pid=os.getpid(), **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        stop(data_dir)
