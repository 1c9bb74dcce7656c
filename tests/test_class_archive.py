"""Class-data sharing for SRM's JVMs: the first process records an archive, later ones map
it (checked with ``-Xshare:on``, which makes the JVM fail when it cannot), one recorder at a
time, and an archive older than the class path is recorded again. Real ``java``/``javac``."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from srm import local_neo4j
from srm.class_archive import adopt, sharing


@pytest.fixture(scope="module")
def hello_jar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hello")
    (folder / "Hello.java").write_text(
        "public class Hello { public static void main(String[] a) {"
        ' System.out.println("hello " + new java.util.ArrayList<String>().size()); } }'
    )
    javac = shutil.which("javac")
    assert javac, "javac is needed (the local server's launcher is compiled with it)"
    subprocess.run([javac, "-d", str(folder / "classes"), str(folder / "Hello.java")], check=True)
    jar = folder / "hello.jar"
    with zipfile.ZipFile(jar, "w") as archive:
        archive.write(folder / "classes" / "Hello.class", "Hello.class")
    return jar


def _run(jar: Path, options: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    java = shutil.which("java")
    assert java
    command = [java, *options, *extra, "-cp", str(jar), "Hello"]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_first_process_records_and_later_ones_map_the_archive(
    hello_jar: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "archives"
    first = sharing(folder, "hello")
    assert first.recording is not None
    assert sharing(folder, "hello").options == []  # one recorder at a time
    assert _run(hello_jar, first.options).stdout.strip() == "hello 0"
    adopt(first.recording)
    assert (folder / "hello.jsa").is_file()
    assert not list(folder.glob("*.partial")) and not (folder / "hello.recording").exists()

    later = sharing(folder, "hello")
    assert later.recording is None
    mapped = _run(hello_jar, later.options, "-Xshare:on")
    assert mapped.returncode == 0, mapped.stdout + mapped.stderr
    assert _run(hello_jar, [], "-Xshare:on", f"-XX:SharedArchiveFile={folder / 'x.jsa'}").returncode


def test_an_archive_older_than_the_class_path_is_recorded_again(tmp_path: Path) -> None:
    folder = tmp_path / "archives"
    folder.mkdir()
    (folder / "hello.jsa").write_bytes(b"recorded from other jars")
    assert sharing(folder, "hello", class_path_built=time.time() - 60).recording is None
    again = sharing(folder, "hello", class_path_built=time.time() + 60)
    assert again.recording is not None
    assert not (folder / "hello.jsa").exists()


def test_a_recorder_that_died_without_writing_releases_the_lock(tmp_path: Path) -> None:
    folder = tmp_path / "archives"
    first = sharing(folder, "hello")
    adopt(first.recording)  # its JVM was killed: nothing written
    assert not (folder / "hello.jsa").exists()
    assert sharing(folder, "hello").recording is not None


def test_a_stale_lock_is_taken_over(tmp_path: Path) -> None:
    folder = tmp_path / "archives"
    assert sharing(folder, "hello").recording is not None
    old = time.time() - 2 * 3600
    os.utime(folder / "hello.recording", (old, old))
    assert sharing(folder, "hello").recording is not None


def test_the_local_server_runs_from_jars_only(srm_home: Path) -> None:
    """Class-data sharing refuses a class directory on the class path."""
    _, classpath = local_neo4j.java_command(local_neo4j.install(srm_home))
    entries = classpath.split(os.pathsep)
    assert entries[0].endswith("launcher.jar") and entries[1].endswith("*")
    with zipfile.ZipFile(entries[0]) as jar:
        assert "srm/launcher/Launcher.class" in jar.namelist()
