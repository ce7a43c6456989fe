"""Reading files a user named, without hanging or running out of memory.

Every file the game reads on someone's word (a scenario, its images, a save,
the settings) goes through :func:`read_regular`:

* only a **regular file** is opened: a FIFO, a device (``/dev/zero``), a socket
  or a folder is refused with :class:`NotRegularFile`, before anything blocks
  (the file is opened non-blocking, then checked with ``fstat`` on the open
  descriptor, so swapping the file between a check and the open does not help);
* at most ``cap + 1`` bytes are read: a file that grows past its ``stat`` size
  (or one in ``/proc`` that claims to be empty) raises :class:`FileTooBig`
  instead of filling memory.

Standard library only; no pygame.
"""
from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Union

from game.i18n import gettext

PathLike = Union[str, "os.PathLike[str]"]


class NotRegularFile(OSError):
    """The path is a folder, a FIFO, a device or a socket, not a regular file.

    ``kind`` says which, in English (``"folder"``, ``"fifo"``, ``"device"``, ...)."""

    def __init__(self, path: PathLike, kind: str):
        super().__init__(f"{path} is a {kind}, not a regular file")
        self.kind = kind


class FileTooBig(OSError):
    """The file holds more than ``cap`` bytes (``size`` is what was seen, at least cap + 1)."""

    def __init__(self, path: PathLike, size: int, cap: int):
        super().__init__(f"{path} holds more than {cap} bytes")
        self.size = size
        self.cap = cap


#: the catalogue key of each kind of file that is not a regular file
KIND_KEYS = {"folder": "store.kind-folder", "fifo": "store.kind-fifo", "device": "store.kind-device",
             "socket": "store.kind-socket", "special file": "store.kind-special"}


def kind_words(kind: str) -> tuple[str, str]:
    """What a kind of file is called, in Dutch and English (for a message rendered late)."""
    key = KIND_KEYS.get(kind, KIND_KEYS["special file"])
    return gettext(key, "nl"), gettext(key, "en")


def file_kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def check_regular(path: PathLike) -> os.stat_result:
    """``os.stat`` of ``path`` if it is a regular file; else NotRegularFile (OSError for a missing one)."""
    st = os.stat(path)
    kind = file_kind(st.st_mode)
    if kind != "file":
        raise NotRegularFile(path, kind)
    return st


def read_regular(path: PathLike, cap: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``cap`` of them.

    Raises NotRegularFile, FileTooBig, or the OSError of the open/read."""
    check_regular(path)  # a folder or FIFO is refused before open() (which could block on a FIFO)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        kind = file_kind(st.st_mode)
        if kind != "file":  # swapped for a FIFO or device after the check above
            raise NotRegularFile(path, kind)
        if st.st_size > cap:
            raise FileTooBig(path, st.st_size, cap)
        chunks: list[bytes] = []
        got = 0
        while got <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > cap:
            raise FileTooBig(path, got, cap)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_head(path: PathLike, size: int) -> bytes:
    """The first ``size`` bytes of the regular file ``path`` (fewer if it is shorter)."""
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind != "file":
            raise NotRegularFile(path, kind)
        chunks: list[bytes] = []
        got = 0
        while got < size:
            chunk = os.read(fd, size - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def inside(folder: PathLike, path: PathLike) -> bool:
    """True if ``path`` (resolved, symlinks followed) lies inside ``folder``."""
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def _temp_copy(path: Path, data: Union[str, bytes]) -> str:
    """``data`` in a temporary file beside ``path``, flushed and fsync'ed; its name. Nothing is left
    behind when that fails."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(tmp: str) -> None:
    """Remove a temporary file that did not become the real one (gone already is fine)."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def atomic_write(path: PathLike, data: Union[str, bytes]) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then a rename over
    the old file, so a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_copy(path, data)
    try:
        for attempt in range(5):  # Windows: a virus scanner may hold the target for a moment
            try:
                os.replace(tmp, path)
                break
            except PermissionError:
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
    except BaseException:
        _discard(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_new(path: PathLike, data: Union[str, bytes]) -> None:
    """Write ``data`` to ``path``, which must not exist yet, all at once or not at all.

    The bytes go to a temporary file in the same folder (flushed and fsync'ed), which is then
    *linked* to ``path``: that fails with FileExistsError when a file of that name appeared in
    the meantime, so nothing is ever overwritten. A failure at any point (a full disk, a
    read-only folder) leaves no ``path`` and no temporary file, and raises the OSError.
    Where links are not possible (some USB sticks, FAT), the file is renamed into place after
    checking that the name is free."""
    path = Path(path)
    tmp = _temp_copy(path, data)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here: the name was free a moment ago
            if os.path.lexists(path):
                raise FileExistsError(17, "File exists", str(path)) from None
            os.replace(tmp, path)
    finally:
        _discard(tmp)
