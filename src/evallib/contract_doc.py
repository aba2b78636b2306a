"""Write the raw data contract (``docs/data-format.md``) from :mod:`evallib.schema`.

The document is generated so it cannot drift from what the validator checks;
``tests/test_docs.py`` fails when the committed file is out of date
(regenerate with ``python -m evallib.contract_doc > docs/data-format.md``).
"""

from __future__ import annotations

from .schema import (
    FILES,
    KIND_FORMATS,
    LEAVE_REASONS,
    ROLES,
    SURVEY_ITEMS,
    SYNTHETIC_MARK,
    FileSpec,
)

_INTRO = (
    f"""# Data contract: the files a school delivers

*Generated from `src/evallib/schema.py` by `python -m evallib.contract_doc`; do not edit by hand.*

Each school delivers up to four files in its own folder, named after its BRIN code
(`01GX/` or `01GX_Christelijk_Lyceum/`) inside one data directory such as `data/raw/2016/`:

| file | needed for |
|---|---|
| `personeel` | every school (starters' dropout, early leaving, everything else) |
| `deelname` | participating schools (project counts, e-coaching teams, duos) |
| `lesuren` | digital teaching time (e-coaching schools and the comparison schools) |
| `enquete` | staff and student satisfaction surveys |

**Formats.** Each file may be CSV or XLSX:

- CSV with `;` or `,` as separator (detected from the header line), encoded as UTF-8
  (with or without BOM) or Windows-1252. Lines before the header that start with `#` are
  comments. Empty lines are skipped.
- XLSX: the data sit on a sheet named after the file (`personeel`, ...), or on the only
  sheet that is not an information sheet (`LEESMIJ`, `readme`, `info`, `toelichting`).
  Excel dates and numbers are read as such.
- Column names are matched without regard to case or surrounding spaces, and in any
  order. Unknown columns are reported as a warning and not read.
- Rows are identified as the school sees them: the line number in a CSV file, the row
  number in a sheet.

**Synthetic data** carries the mark `{SYNTHETIC_MARK}` in a comment line (CSV) or on a
`LEESMIJ` sheet (XLSX); every report built from it shows that mark.

Column descriptions and value formats are given in Dutch: that is how schools see them
in validation messages.

**Privacy.** Teachers are identified only by a pseudonym the school chooses
(`docent_id`); never a name, citizen service number (BSN) or staff number. Only the
birth *year* is asked. Survey respondents are anonymous.

**When a file has errors**, the school's delivery as a whole is not processed and the
school gets a failure page listing every problem (file, row, column, what was expected,
what was found); the other schools go on. Warnings do not stop a school.

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
            f"Each combination of {', '.join(f'`{u}`' for u in spec.unique)} occurs once per school.",
        ]
    if spec.rules:
        lines += ["", "Further rules:", "", *[f"- {rule}" for rule in spec.rules]]
    example = (
        ";".join(c.name for c in spec.columns) + "\n" + ";".join(c.example for c in spec.columns)
    )
    lines += ["", "Example (CSV with `;`):", "", "```text", example, "```", ""]
    return "\n".join(lines)


def render_data_format() -> str:
    """The whole contract as Markdown.

    Examples
    --------
    >>> "## `personeel`" in render_data_format()
    True
    """
    roles = "\n".join(
        f"| `{project}` | {', '.join(f'`{r}`' for r in roles)} |"
        for project, roles in ROLES.items()
    )
    items = "\n".join(
        f"| `{item}` | {', '.join(groups)} |" for item, groups in SURVEY_ITEMS.items()
    )
    extra = (
        "## Coded values\n\n| project | roles |\n|---|---|\n" + roles + "\n\n"
        "Survey questions and the groups that are asked them:\n\n| question | groups |\n|---|---|\n"
        + items
        + "\n\n"
        "Reasons for leaving: " + ", ".join(f"`{r}`" for r in LEAVE_REASONS) + ".\n"
    )
    return _INTRO + "\n" + "\n".join(_file_section(spec) for spec in FILES.values()) + "\n" + extra


if __name__ == "__main__":  # pragma: no cover
    print(render_data_format(), end="")
