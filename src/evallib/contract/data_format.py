"""Write the raw data contract (``docs/data-format.md``) from :mod:`evallib.contract.schema`.

The document is generated so it cannot drift from what the validator checks;
``tests/test_docs.py`` fails when the committed file is out of date
(regenerate with ``python -m evallib.contract.data_format > docs/data-format.md``).
"""

from __future__ import annotations

from pathlib import Path

from evallib.contract.programme import load_programme
from evallib.contract.schema import (
    KIND_FORMATS,
    LEAVE_REASONS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    REGION_FILES,
    SYNTHETIC_MARK,
    FileSpec,
    files_for,
)

#: The programme whose projects, roles and survey items the document shows as examples.
EXAMPLE_PROGRAMME = Path("programmes/haaglanden-2013.yaml")

_INTRO = (
    f"""# Data contract: the files a school delivers

*Generated from `src/evallib/contract/schema.py` by `python -m evallib.contract.data_format`; do not edit by hand.*

Each school delivers up to four files in its own folder, named after its BRIN code
(`01GX/` or `01GX_Christelijk_Lyceum/`) inside one data directory such as `data/raw/2016/`:

| file | needed for |
|---|---|
| `personeel` | every school (starters' dropout, early leaving, everything else) |
| `deelname` | participating schools (project counts, e-coaching teams, duos) |
| `lesuren` | digital teaching time (e-coaching schools and the comparison schools) |
| `enquete` | staff and student satisfaction surveys (one column per survey item of the programme) |

Figures the region gets from outside the schools (a labour-market monitor, the
teacher-training partnerships) are delivered once, next to the school folders, in
`indicatoren` (see its section below).

**Formats.** Each file may be CSV or XLSX; the format is recognised from the file's
content, not its name:

- CSV (`.csv` or `.txt`) with `;`, `,` or a tab as separator (detected from the header
  line), encoded as UTF-8 (with or without BOM), Windows-1252, or UTF-16 with BOM (Excel's
  "Unicode-tekst"). Lines before the header that start with `#` are comments. A value that
  contains the separator must be between double quotes (`"640,5"` in a `,` file); a quoted
  value may run over several lines.
- XLSX: the data sit on a sheet named after the file (`personeel`, ...), or on the only
  sheet with content that is not an information sheet (`LEESMIJ`, `readme`, `info`,
  `toelichting`, `lijsten`). Excel dates and numbers are read as such; a number in a date column is
  read as an Excel date number. Merged cells are not allowed (in the header they make the
  file unreadable; in the data each merged range is an error). A formula in a number or
  date column counts with the value Excel computed (a formula without a stored value is an
  error); a formula in any other column is an error.
- Old Excel files (`.xls`), password-protected workbooks, `.ods`, PDF, images and web
  pages are not read: save the sheet as `.xlsx` or CSV. A file of a known kind in another
  format is an error; any other file in a school's folder is reported as a warning and not
  read (Excel's `~$` lock files and `Thumbs.db` are ignored).
- Column names are matched without regard to case or surrounding spaces, and in any
  order. Unknown columns are reported as a warning and not read. Empty columns without a
  name (trailing `;;;` of spreadsheet exports) are ignored; a column with data but no name
  is an error.
- Rows are identified as the school sees them: the line number in a CSV file (comment and
  empty lines included; a value over several lines counts from its first line), the row
  number in a sheet.
- Numbers: a decimal comma or point (`96,5`, `96.5`, `1.234,5`). A number such as `1.000`
  or `2,500` could mean one or a thousand and is refused rather than guessed: write `1000`.
- Text cells (codes, BRIN, vestiging, categories, ja/nee, schooljaar) may not begin with
  `=`, `+`, `-` or `@`: spreadsheet programs would run such a cell as a formula when the
  data are opened later. A code (`docent_id`, `respondent`) has at most 32 letters,
  digits, `-` or `_`, and begins with a letter or digit; HTML or other markup is never a
  valid value.
- Dates lie between 1950-01-01 and the programme's peildatum (a year outside 1900–2100
  is read as a typing error).

**Limits.** A file may hold at most {MAX_ROWS:,} data rows and {MAX_COLUMNS} columns, and
be at most {MAX_FILE_BYTES >> 20:,} MB (an XLSX workbook: once unpacked). These are checked
before the file is parsed: for a CSV file its size and header, for an XLSX workbook the
unpacked sizes in its zip directory and the size each sheet declares (its dimension), and
while reading, the rows and columns actually found. A file over a limit is an error for
that file (reason code `too_large`), never a slow or partial read. CSV files are read line by
line.

**Templates.** `evallib templates --out templates/` writes an Excel template per file
(`evallib.validation.intake.write_templates`): the header, a Dutch explanation of every column,
drop-down lists for coded values and checks on numbers and dates. A filled template is
read back as it is.

**Synthetic data** carries the mark `{SYNTHETIC_MARK}` in a comment line (CSV) or on a
`LEESMIJ` sheet (XLSX); every report built from it shows that mark.

Column descriptions and value formats are given in Dutch: that is how schools see them
in validation messages.

**Privacy.** Teachers are identified only by a pseudonym the school chooses
(`docent_id`); never a name, citizen service number (BSN) or staff number. Only the
birth *year* is asked. Survey respondents are anonymous.

## When a delivery has errors

Every problem names the file, the row as the school sees it and the column, says what
was expected and what was found (long values cut short), with a stable reason code; it
is either an *error* or a *warning*. Warnings (an extra column, an unknown file) do not
stop a school.

- **A file that cannot be read as a table** (empty, not a spreadsheet, no header row, a
  header without data rows, merged header cells, no clear data sheet, unreadable
  characters) gives one error for the file. A file with only a header is an error too:
  if there is nothing to report, do not deliver the file (only `personeel` is required).
- **A row that cannot be lined up with the header** (more or fewer fields than the
  header, merged cells) gives one error for the row and is not read further.
- **A cell that cannot be read** gives one error; the rules that would miss its value
  (a required field, a rule comparing two columns) do not report it again.
- **Empty lines** (also lines with only separators) are skipped and counted.
- **Policy: reject, never quarantine.** A school whose files have any error is not
  processed at all: none of its rows go into the processed data, and the school gets a
  failure page listing every problem; the other schools go on. Leaving out only the bad
  rows would quietly bias the measures (a dropped leaver makes dropout look lower), so
  nothing half-read is ever evaluated.
- **Nothing disappears uncounted.** For every file validation records the rows read, the
  empty lines skipped and the rows with errors, and whether its rows were processed;
  per school and in total it adds up the rows processed and not processed. These counts
  are in `data/processed/<name>/meta.json` (`files`, `counts`, `counts_by_school`) and in
  the summaries of `evallib validate` and `evallib run`.

## Value formats

| kind | how to write it |
|---|---|
"""
    + "\n".join(f"| {kind} | {text} |" for kind, text in KIND_FORMATS.items())
    + "\n"
)


def _file_section(spec: FileSpec) -> str:
    lines = [
        f"## `{spec.name}`: {spec.title}",
        "",
        spec.description,
        "",
        "| column | kind | required | description | allowed values / range | example |",
        "|---|---|---|---|---|---|",
    ]
    for c in spec.columns:
        allowed = ", ".join(f"`{a}`" for a in c.allowed)
        if c.minimum is not None or c.maximum is not None:
            allowed = f"{'' if c.minimum is None else f'{c.minimum:g}'} – {'' if c.maximum is None else f'{c.maximum:g}'}"
        lines.append(
            f"| `{c.name}` | {c.kind} | {'yes' if c.required else 'no'} | {c.description} | {allowed} | `{c.example}` |"
        )
    if spec.unique:
        lines += [
            "",
            f"Each combination of {', '.join(f'`{u}`' for u in spec.unique)} occurs once"
            + ("." if spec.name in REGION_FILES else " per school."),
        ]
    if spec.rules:
        lines += ["", "Further rules:", "", *[f"- {rule}" for rule in spec.rules]]
    example = (
        ";".join(c.name for c in spec.columns) + "\n" + ";".join(c.example for c in spec.columns)
    )
    lines += ["", "Example (CSV with `;`):", "", "```text", example, "```", ""]
    return "\n".join(lines)


def render_data_format(programme_file: Path = EXAMPLE_PROGRAMME) -> str:
    """The whole contract as Markdown, with one programme's projects, roles and survey items.

    Examples
    --------
    >>> "## `personeel`" in render_data_format()
    True
    """
    programme = load_programme(programme_file)
    roles = "\n".join(
        f"| `{p.id}` | {', '.join(f'`{r}`' for r in p.roles)} |" for p in programme.projects
    )
    items = "\n".join(
        f"| `{item}` | {', '.join(spec.groups)} |" for item, spec in programme.survey.items.items()
    )
    extra = (
        "## Coded values\n\n"
        "Projects, roles, survey groups and survey items are the programme's own: they come "
        "from its programme file (`projects[].roles`, `survey.groups`, `survey.items`; see "
        "[programme-format.md](programme-format.md)). For "
        f"`{programme_file.as_posix()}` they are:\n\n| project | roles |\n|---|---|\n"
        + roles
        + "\n\n"
        "Survey questions (one column each in `enquete`) and the groups that are asked them:\n\n"
        "| question | groups |\n|---|---|\n" + items + "\n\n"
        "Reasons for leaving: " + ", ".join(f"`{r}`" for r in LEAVE_REASONS) + ".\n"
    )
    specs = [*files_for(programme).values(), *REGION_FILES.values()]
    return _INTRO + "\n" + "\n".join(_file_section(spec) for spec in specs) + "\n" + extra


if __name__ == "__main__":  # pragma: no cover
    print(render_data_format(), end="")
