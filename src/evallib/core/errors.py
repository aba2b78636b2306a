"""One family of exceptions for everything evallib raises on purpose.

Every error can say *where* (file, row as the school sees it, column), *what was
expected*, *what was found* and *what to do*. The CLI turns them into a readable
message and an exit code; a traceback is only shown with ``--debug``.
"""

from __future__ import annotations

from dataclasses import dataclass


class EvallibError(Exception):
    """Base class of all evallib errors.

    Parameters
    ----------
    message
        What went wrong, in one sentence.
    file, row, column
        Where, as the person who made the file sees it (``row`` is the line in a
        CSV file or the row number in a spreadsheet, not a DataFrame index).
    expected, found
        What the rule wanted and what was there.
    hint
        What to do about it.

    Examples
    --------
    >>> err = EvallibError("Datum niet leesbaar", file="personeel.csv", row=4,
    ...                    column="datum_in_dienst", expected="JJJJ-MM-DD", found="31-02-2014",
    ...                    hint="Corrigeer de datum.")
    >>> print(err)
    personeel.csv, regel 4, kolom 'datum_in_dienst': Datum niet leesbaar (verwacht: JJJJ-MM-DD; gevonden: 31-02-2014). Corrigeer de datum.
    """

    #: What ``column`` names: a column of a data file, or a key of a programme file.
    column_word = "kolom"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file,
                f"regel {self.row}" if self.row is not None else None,
                f"{self.column_word} '{self.column}'" if self.column else None,
            )
            if part
        )
        detail = "; ".join(
            part
            for part in (
                f"verwacht: {self.expected}" if self.expected else None,
                f"gevonden: {self.found}" if self.found is not None else None,
            )
            if part
        )
        text = f"{where}: {self.message}" if where else self.message
        if detail:
            text += f" ({detail})"
        if self.hint:
            text += f". {self.hint}"
        return text


class InputError(EvallibError):
    """A raw input file cannot be read or does not follow the data contract."""


class ProgrammeError(EvallibError):
    """The programme file (YAML) is invalid: unknown key, missing value, bad reference.

    ``column`` holds the key, e.g. ``projects[duo].targets[duo-per-jaar].milestones``.
    """

    column_word = "sleutel"


class ValidationError(EvallibError):
    """Validation found problems; ``problems`` lists them all."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(message)


class RunError(EvallibError):
    """A school's notebook or the report rendering failed."""


class OutputError(EvallibError):
    """A derived file or folder cannot be written: disk full, read-only, or locked by another run."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as the school sees it.

    ``code`` is a stable reason code (e.g. ``"duplicate"``), useful for tests and
    for counting problems by kind; ``message`` is the sentence for people.

    Examples
    --------
    >>> p = Problem(file="14WE/personeel.csv", row=3, column="docent_id", code="duplicate",
    ...             message="Docent-id komt vaker voor", expected="unieke waarde",
    ...             found="(verborgen)")
    >>> p.where()
    '14WE/personeel.csv, regel 3, kolom docent_id'
    """

    file: str
    row: int | None
    column: str | None
    code: str
    message: str
    expected: str = ""
    found: str = ""
    school: str | None = None
    severity: str = "error"

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"regel {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}"
        if self.expected or self.found:
            text += f" (verwacht: {self.expected}; gevonden: {self.found})"
        return text
