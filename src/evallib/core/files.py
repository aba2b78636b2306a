"""Writing derived files safely: atomically, with one clear error when it cannot be done.

Every file evallib derives (reports, manifest, ledger, processed data, templates, logs) is
written with :func:`write_atomic` or, for a folder of files that belong together,
:func:`atomic_folder`: readers see the old version or the new one, never a mix, and a
run that is killed leaves only hidden temporaries, which the next run removes. A disk
that is full or a folder that is read-only gives one :class:`OutputError` in Dutch.
:func:`exclusive` keeps two runs from writing one folder at the same time.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from evallib.core.errors import OutputError


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe lower-case slug of at most ``limit`` characters, transliterated.

    Letters of any script become ASCII (:mod:`anyascii`), so a name never vanishes.

    Examples
    --------
    >>> slug("Christelijk Lyceum Delft"), slug("SSVOZ (code aangenomen)")
    ('christelijk-lyceum-delft', 'ssvoz-code-aangenomen')
    >>> slug("北京第一中学"), len(slug("Lyceum " * 50))
    ('beijingdiyizhongxue', 55)
    """
    from anyascii import anyascii

    ascii_text = anyascii(unicodedata.normalize("NFC", text))
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > limit:  # cut at a word boundary where there is one
        cut = words[:limit]
        words = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return words


def output_error(exc: OSError, path: Path) -> OutputError:
    """The Dutch error for a failed write, by cause: disk full, not writable, or other.

    Examples
    --------
    >>> print(output_error(OSError(errno.ENOSPC, "No space left on device"), Path("reports")))
    reports: De schijf is vol (gevonden: No space left on device). Maak ruimte vrij en draai opnieuw; er is niets half geschreven
    """
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        message, hint = "De schijf is vol", "Maak ruimte vrij en draai opnieuw"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        message = "Deze map is niet schrijfbaar (alleen-lezen of geen rechten)"
        hint = "Kies een map waarin u mag schrijven, of pas de rechten aan"
    else:
        message, hint = "Schrijven mislukt", "Controleer de map en draai opnieuw"
    return OutputError(
        message,
        file=str(path),
        found=exc.strerror or type(exc).__name__,
        hint=hint + "; er is niets half geschreven",
    )


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that readers never see a half-written version.

    The data go to a temporary file in the same directory, are flushed to disk, and the
    file is then renamed over the target (an atomic step on POSIX and NTFS). A failed
    write removes the temporary file and raises :class:`OutputError`.

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "één"); (folder / "a.txt").read_text(encoding="utf-8")
    'één'
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(exc, path.parent) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Build a folder's new contents aside, then swap them in whole.

    Yields an empty hidden folder beside ``target``; when the block ends without error,
    ``target`` is replaced by it (two renames; between them there is briefly no
    ``target``, never a mix of old and new files). On error the new folder is removed
    and ``target`` is left as it was.

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp()) / "processed"
    >>> with atomic_folder(folder) as new:
    ...     _ = (new / "meta.json").write_text("{}")
    >>> sorted(p.name for p in folder.parent.iterdir())
    ['processed']
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    except OSError as exc:
        raise output_error(exc, target.parent) from None
    try:
        yield new
        os.chmod(new, 0o777 & ~_umask())
        old = target.parent / f".{target.name}.old.tmp"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise output_error(exc, target.parent) from None
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def remove_stale_temporaries(directory: Path, of: str = "") -> int:
    """Delete temporary files and folders that a killed run left behind (those of ``of`` only).

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".index.html.x1y2.tmp").write_text("half")
    >>> remove_stale_temporaries(folder), list(folder.iterdir())
    (1, [])
    """
    removed = 0
    for path in directory.glob(f".{of}.*.tmp" if of else ".*.tmp"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed += 1
    return removed


def check_writable(folder: Path) -> None:
    """Raise :class:`OutputError` now if ``folder`` cannot be created or written to.

    Examples
    --------
    >>> check_writable(Path(tempfile.mkdtemp()))
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".evallib-probe.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise output_error(exc, folder) from None


@contextlib.contextmanager
def exclusive(lock: Path, what: str) -> Iterator[None]:
    """Hold ``lock`` (a lock file) for the block; refuse at once if another process holds it.

    ``what`` names the folder being protected, for the message. The lock file is removed
    when the block ends.

    Examples
    --------
    >>> lock = Path(tempfile.mkdtemp()) / ".evallib.lock"
    >>> with exclusive(lock, "reports"):
    ...     with exclusive(lock, "reports"):
    ...         pass
    Traceback (most recent call last):
    evallib.core.errors.OutputError: reports: Er draait al een evallib-run die deze map gebruikt...
    """
    while True:
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise output_error(exc, lock.parent) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                "Er draait al een evallib-run die deze map gebruikt",
                file=what,
                found=f"vergrendeld ({lock.name})",
                hint="Wacht tot die run klaar is en start dan opnieuw; "
                "twee runs tegelijk zouden elkaars rapporten overschrijven",
            ) from None
        # The file may have been removed by the holder between our open and flock: retry then.
        if _same_file(fd, lock):
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False
