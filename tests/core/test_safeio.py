"""Safe reads (regular files only, bounded) and atomic writes (mode kept, links followed, no debris)."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graphapp.core import fileio, safeio
from graphapp.core.errors import FileAccessError, StudioError
from graphapp.core.examples import load_example
from graphapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, /dev/zero and signals are POSIX")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_reads_a_regular_file_and_names_bad_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes("가\nx".encode() + b"\xff")
    assert safeio.read_bytes(path).startswith("가".encode())
    with pytest.raises(FileAccessError, match=r"a.json: not UTF-8 text \(byte 0xff at line 2, column 2\)"):
        safeio.read_text(path)
    with pytest.raises(FileAccessError, match="nope.json: no such file"):
        safeio.read_text(tmp_path / "nope.json")


@posix_only
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    # In a child with a timeout: a read that blocked on the FIFO would hang the whole suite.
    proc = subprocess.run([sys.executable, "main.py", "trace", str(fifo)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"error: {fifo}: is a FIFO (named pipe), not a regular file; not read\n"


@posix_only
def test_devices_and_folders_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(FileAccessError, match="/dev/zero: is a character device"):
        fileio.load("/dev/zero")
    with pytest.raises(FileAccessError, match="is a folder, not a regular file"):
        safeio.read_text(tmp_path)
    assert main(["trace", "/dev/zero"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_oversize_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.json"
    with open(path, "wb") as f:
        f.truncate(safeio.GRAPH_MAX_BYTES + 1)  # sparse: no real 256 MiB written
    read = []
    monkeypatch.setattr(safeio.os, "read", lambda *a: read.append(a) or b"")
    with pytest.raises(FileAccessError, match=r"big.json: too large \(256.0 MiB; the limit is 256.0 MiB\)"):
        fileio.load(path)
    assert not read


def test_a_file_that_grows_past_the_cap_is_read_no_further(tmp_path: Path) -> None:
    path = tmp_path / "grow.txt"
    path.write_bytes(b"x" * 10)
    with open(path, "ab") as f:  # st_size says 10 but more arrives before the read
        real_fstat = os.fstat

        def small_fstat(fd: int) -> os.stat_result:
            result = real_fstat(fd)
            f.write(b"y" * 100)
            f.flush()
            return result

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(safeio.os, "fstat", small_fstat)
            with pytest.raises(FileAccessError, match="grew past the limit of 50 bytes"):
                safeio.read_bytes(path, max_bytes=50)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_write_keeps_the_mode_and_new_files_follow_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text("old")
    path.chmod(0o644)
    safeio.write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o640)
    fileio.save(load_example("apple_tax"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    old_umask = os.umask(0o027)
    try:
        safeio.write_atomic(tmp_path / "new.json", b"{}")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    assert names(tmp_path) == ["g.json", "new.json"]


@posix_only
def test_write_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "g.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    chain = tmp_path / "chain.json"
    chain.symlink_to(link)
    safeio.write_atomic(chain, b"new")
    assert link.is_symlink() and chain.is_symlink() and real.read_bytes() == b"new"
    assert names(tmp_path) == ["chain.json", "link.json", "real"] and names(real.parent) == ["g.json"]


@posix_only
def test_special_targets_and_bad_names_are_refused_and_left_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileAccessError, match="pipe: is a FIFO .*; not replaced"):
        safeio.write_atomic(fifo, b"x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    with pytest.raises(FileAccessError, match="is a folder, not a regular file; not replaced"):
        safeio.write_atomic(tmp_path, b"x")
    with pytest.raises(FileAccessError, match="/dev/null: is a character device"):
        safeio.write_atomic("/dev/null", b"x")
    for bad in ("", str(tmp_path) + os.sep):
        with pytest.raises(FileAccessError, match="not a file name"):
            safeio.write_atomic(bad, b"x")
    with pytest.raises(FileAccessError, match=r"g.json: cannot be written \(no folder .*missing\)"):
        safeio.write_atomic(tmp_path / "missing" / "g.json", b"x")
    assert names(tmp_path) == ["pipe"]


@pytest.mark.parametrize("fails", ["replace", "fsync", "write"])
def test_a_failed_write_names_the_target_and_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   fails: str) -> None:
    path = tmp_path / "g.json"
    path.write_bytes(b"old")

    def boom(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safeio.os, fails, boom)
    with pytest.raises(FileAccessError) as info:
        safeio.write_atomic(path, b"new")
    assert str(info.value) == f"{path}: cannot be written (No space left on device)"
    assert ".tmp" not in str(info.value)
    assert path.read_bytes() == b"old" and names(tmp_path) == ["g.json"]


def test_a_write_refused_by_permissions_is_a_studio_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.name == "posix" and os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert main(["trace", "apple_tax", "--save", str(folder / "g.json")]) == 2
    finally:
        folder.chmod(0o700)
    err = capsys.readouterr().err
    assert err == f"error: {folder / 'g.json'}: cannot be written (Permission denied)\n"
    assert names(folder) == []


SLOW_WRITER = textwrap.dedent("""
    import os, signal, sys, time
    from graphapp.core import safeio

    # Ctrl+C as in a terminal, even when the suite runs as a background job (which starts children with
    # SIGINT ignored, and the test would wait out its timeout).
    signal.signal(signal.SIGINT, signal.default_int_handler)

    real_fsync = os.fsync
    def slow_fsync(fd):
        print("writing", flush=True)  # the temporary file exists now
        time.sleep(30)
        real_fsync(fd)
    os.fsync = slow_fsync
    safeio.write_atomic(sys.argv[1], b"new content")
    print("finished", flush=True)
""")


@posix_only
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, -signal.SIGTERM), (signal.SIGINT, -signal.SIGINT)])
def test_a_signal_mid_write_removes_the_temporary_file(tmp_path: Path, sig: int, code: int) -> None:
    path = tmp_path / "g.json"
    path.write_bytes(b"old")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
        assert any(n.endswith(".tmp") for n in names(tmp_path))
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill() if proc.poll() is None else None
    assert proc.returncode == code and "finished" not in out
    assert sig != signal.SIGINT or err.rstrip().endswith("KeyboardInterrupt")
    assert path.read_bytes() == b"old" and names(tmp_path) == ["g.json"]


def test_a_signal_whose_handler_returns_makes_the_write_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(signal, "SIGTERM") or os.name != "posix":
        pytest.skip("POSIX signals")
    seen: list[int] = []
    old = signal.signal(signal.SIGTERM, lambda s, _f: seen.append(s))
    real_fsync = os.fsync

    def fsync_then_signal(fd: int) -> None:
        if not seen:
            os.kill(os.getpid(), signal.SIGTERM)
        real_fsync(fd)

    monkeypatch.setattr(safeio.os, "fsync", fsync_then_signal)
    path = tmp_path / "g.json"
    try:
        with pytest.raises(StudioError, match="g.json: not saved \\(interrupted by signal SIGTERM\\)"):
            safeio.write_atomic(path, b"x")
    finally:
        signal.signal(signal.SIGTERM, old)
    assert seen == [signal.SIGTERM] and names(tmp_path) == []
