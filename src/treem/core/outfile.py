"""Writing a file the user named (a command's ``--out``, an export) so that it is complete or not there at all.

The content goes to a hidden temporary file in the same directory, which is renamed over the destination only once
everything was written and flushed to disk. If writing fails half-way (the disk full: ENOSPC; a quota: EDQUOT; any
exception) the temporary file is removed and the destination is left as it was: never a truncated export that looks
like a good one. Plain Python (no Django): the matching engine's file mode uses it too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["DISK_FULL", "caused_by", "disk_full", "replaced_atomically"]

DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def caused_by(exc: BaseException | None, test: Callable[[BaseException], bool]) -> bool:
    """Whether `exc`, or an exception it was raised from or while handling, passes `test`."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if test(exc):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def disk_full(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from or while handling, is a write refused for lack of space."""
    return caused_by(exc, lambda e: isinstance(e, OSError) and e.errno in DISK_FULL)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replaced_atomically(
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    encoding: str = "utf-8",
    newline: str | None = "",
    mode: int | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path` for writing; on a clean exit it replaces `path`, on an error it is gone.

    The file gets `mode`, by default the one an ordinary ``open(path, "w")`` would give it (0666 less the umask)."""
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        partial.chmod(0o666 & ~_umask() if mode is None else mode)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
