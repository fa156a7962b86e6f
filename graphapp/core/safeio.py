"""Reading and writing user files safely: regular files only, bounded reads, atomic durable writes.

A read never blocks on a FIFO and never reads more than its cap. A write goes to a temporary file
beside the real target (a symlink is followed, the link kept), is fsynced, takes the target's
permission bits and replaces it with one rename; on any error, and on SIGTERM/SIGINT/SIGHUP during
the write, the temporary file is removed. Every message names the user's path, never the temporary one.
"""
from __future__ import annotations

import errno
import os
import secrets
import signal
import stat
import threading
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Iterator

from graphapp.core.errors import FileAccessError

MiB = 1024 * 1024
# One value of 10,000,000 numbers (the most a value holds) at their longest, 26 characters with the separator
# ("-2.2250738585072014e-308, "), is 248 MiB; a lecture graph is a few kB.
GRAPH_MAX_BYTES = 256 * MiB
READ_CHUNK = MiB
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n} bytes"


def _oserror(name: str, exc: OSError, doing: str) -> FileAccessError:
    if exc.errno == errno.ENOENT and doing == "read":
        return FileAccessError(f"{name}: no such file")
    return FileAccessError(f"{name}: cannot be {doing} ({exc.strerror or exc})")


def read_bytes(path: str | os.PathLike[str], max_bytes: int = GRAPH_MAX_BYTES) -> bytes:
    """The content of a regular file of at most `max_bytes`; anything else is a FileAccessError."""
    name = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(name, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _oserror(name, exc, "read") from None
    try:
        mode, size = (st := os.fstat(fd)).st_mode, st.st_size  # the opened file, not a name that may change
        if not stat.S_ISREG(mode):
            raise FileAccessError(f"{name}: is {_kind(mode)}, not a regular file; not read")
        too_big = FileAccessError(f"{name}: too large ({_size(size)}; the limit is {_size(max_bytes)})")
        if size > max_bytes:
            raise too_big
        chunks, total = [], 0
        while total <= max_bytes:  # the size can grow while we read: stop one byte past the cap
            chunk = os.read(fd, min(READ_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise FileAccessError(f"{name}: too large (grew past the limit of {_size(max_bytes)} while read)")
        return b"".join(chunks)
    except OSError as exc:
        raise _oserror(name, exc, "read") from None
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], max_bytes: int = GRAPH_MAX_BYTES) -> str:
    """A regular UTF-8 text file; a bad byte is reported by line and column."""
    data = read_bytes(path, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileAccessError(f"{os.fspath(path)}: not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, "
                              f"column {column})") from None


class _Interrupted(BaseException):
    """A termination signal arrived while the temporary file was being written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _abort_on_signals(name: str) -> Iterator[dict[str, bool]]:
    """While the body runs, SIGTERM/SIGINT/SIGHUP abort it (its own cleanup runs); afterwards the
    signal goes to the handler that was there before. Python runs handlers in the main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield {"committed": False}
        return
    state = {"committed": False}
    pending: list[int] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        if pending:
            return  # a second signal while cleaning up: the first one is delivered afterwards
        pending.append(signum)
        if not state["committed"]:  # after the rename the file is whole: finish, then deliver
            raise _Interrupted(signum)

    previous = {}
    for sig in _SIGNALS:
        old = signal.getsignal(sig)
        if old in (signal.SIG_IGN, None):  # ignored on purpose, or installed outside Python: leave it
            continue
        previous[sig] = old
        signal.signal(sig, handler)
    try:
        yield state
    except _Interrupted:
        pass
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    if pending:
        signal.raise_signal(pending[0])  # the default action ends the process; KeyboardInterrupt for SIGINT
        if not state["committed"]:  # the previous handler let us live: the caller must know nothing was saved
            raise FileAccessError(f"{name}: not saved (interrupted by signal {signal.Signals(pending[0]).name})")


def _target(name: str) -> Path:
    """The file a write to `name` must replace: the final target of a symlink chain."""
    if not name or name.endswith(os.sep) or (os.altsep and name.endswith(os.altsep)):
        raise FileAccessError(f"{name!r}: not a file name (empty, or ends in a folder separator)")
    return Path(os.path.realpath(name)) if os.path.islink(name) else Path(name)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at `path` with `data` in one step: readers see the old or the new content, never
    a mix, and a crash, a full disk or a signal leaves the old file as it was."""
    name = os.fspath(path)
    target = _target(name)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _oserror(name, exc, "written") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise FileAccessError(f"{name}: is {_kind(st.st_mode)}, not a regular file; not replaced")
    folder = target.parent
    with _abort_on_signals(name) as state:
        tmp = _write_temp(name, folder, target.name, data, None if st is None else stat.S_IMODE(st.st_mode))
        try:
            os.replace(tmp, target)
        except BaseException as exc:
            _remove(tmp)
            if isinstance(exc, OSError):
                raise _oserror(name, exc, "written") from None
            raise
        state["committed"] = True
        _fsync_folder(folder)


def _write_temp(name: str, folder: Path, base: str, data: bytes, mode: int | None) -> Path:
    """A new, fsynced file beside the target. New files get 0o666 minus the umask, as open() gives."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / f".{base}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                raise FileAccessError(f"{name}: cannot be written (no folder {folder})") from None
            raise _oserror(name, exc, "written") from None
    else:
        raise FileAccessError(f"{name}: cannot be written (no free temporary name in {folder})")
    try:
        try:
            if mode is not None:
                os.chmod(tmp, mode)  # by name: Windows has no fchmod
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)  # the data is on disk before the rename makes it the file
        finally:
            os.close(fd)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):
            raise _oserror(name, exc, "written") from None
        raise
    return tmp


def _remove(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass  # already gone, or the folder vanished: nothing left to clean


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Some file systems (and Windows) cannot fsync a folder; the
    rename has happened either way, so a refusal here is not an error."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
