"""Writing output files safely, and file names from school names."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path


def slug(text: str) -> str:
    """A file-name-safe lower-case slug.

    Examples
    --------
    >>> slug("Christelijk Lyceum Delft"), slug("SSVOZ (code aangenomen)")
    ('christelijk-lyceum-delft', 'ssvoz-code-aangenomen')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers never see a half-written version.

    The text goes to a temporary file in the same directory, is flushed to
    disk, and then renamed over the target (an atomic step on POSIX and NTFS).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def remove_stale_temporaries(directory: Path) -> int:
    """Delete temporary files :func:`write_atomic` left behind when a run was killed mid-write.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".index.html.x1y2.tmp").write_text("half")
    >>> remove_stale_temporaries(folder), list(folder.iterdir())
    (1, [])
    """
    removed = 0
    for path in directory.glob(".*.tmp"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
