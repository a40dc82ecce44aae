"""Atomic file writes: the data goes to a temporary file beside the target, is flushed to disk, and
is then renamed over the target, so a reader (or a crash, or a full disk) never meets half a file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_writer(path: Path | str, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content into; it replaces `path` when the block ends
    without an exception, and is removed (leaving `path` as it was) when one is raised.

    mode: the file's permission bits, set exactly (the umask does not apply), e.g. 0o600 for a
    secret; None gives a new file's usual mode (0o666 less the umask). Parent folders are created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process, thread and call: concurrent writers of one path never share a temp file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path | str, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path`'s content with `data` atomically (see `atomic_writer` for `mode`)."""
    with atomic_writer(path, mode=mode) as fh:
        fh.write(data)


def atomic_write_text(path: Path | str, text: str, *, mode: int | None = None) -> None:
    """Replace `path`'s content with `text`, UTF-8 encoded, atomically (see `atomic_writer`)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)
