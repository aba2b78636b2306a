"""The run's results for evaluators: one tidy table (``results.csv``, ``results.xlsx``).

One row per target status the reports show: each school's targets per school and per location
(the statuses behind the index grid) and the region's targets (the overview). The columns are
fixed; the rows are sorted by school (in the programme's order, the region last), target (in
the programme's order) and location. Every number comes from the status records the reports
hand to the run (:func:`~evallib.reporting.records.result_records`), so a number a report
suppresses is empty here too, with the reason in its own column; nothing is recomputed.
Headers and words are in the run's language (the catalogue's ``download.*``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from evallib.contract.programme import Programme
from evallib.core.export import Cell, csv_text, xlsx_bytes
from evallib.core.text import CATALOGUE, t
from evallib.evaluation.status import Status

#: The file names, beside ``index.html``.
RESULTS_CSV, RESULTS_XLSX = "results.csv", "results.xlsx"

#: The columns, in order (headers: ``download.column.<key>``).
COLUMNS = (
    "programme",
    "brin",
    "school",
    "scope",
    "location",
    "where",
    "project",
    "target",
    "target_title",
    "period",
    "status",
    "kind",
    "estimate",
    "ci_lower",
    "ci_upper",
    "n",
    "unit",
    "method",
    "withheld",
    "shown",
)

#: Decimals of estimates and bounds: as precise as a report (a share to 0.1 percentage point).
DECIMALS = 3

#: The key of the overview's records among a run's outcomes.
REGION = "regio"


def header(lang: str = "nl") -> list[str]:
    """The column headers in ``lang``.

    Examples
    --------
    >>> header()[:4], header("en")[12]
    (['programma', 'brin', 'school', 'niveau'], 'estimate')
    """
    return [t(f"download.column.{key}", lang) for key in COLUMNS]


def _word(prefix: str, value: str, lang: str) -> str:
    """A catalogue word for a code (``unit.persons``), or the code where there is none."""
    key = f"{prefix}.{re.sub(r'[^a-z0-9]+', '_', value.lower()).strip('_')}"
    return t(key, lang) if value and key in CATALOGUE else value


def _number(value: object) -> Cell:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return round(float(value), DECIMALS)


def row(
    programme: Programme, key: str, record: Mapping, lang: str = "nl", min_group: int = 10
) -> list[Cell]:
    """One record of a report (``key``: a BRIN or ``regio``) as a row of :data:`COLUMNS`.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> record = {"target": "digitaal-20", "title": "20%", "project": "e-coaching",
    ...           "level": "school", "scope": "02DZ", "scope_name": "Stanislas College",
    ...           "period": "2015/16", "status": "niet_zeker", "kind": "share",
    ...           "estimate": None, "n": None, "unit": "persons", "method": "wilson",
    ...           "withheld": "small_group", "shown": "onderdrukt"}
    >>> row(p, "02DZ", record)[9:16]
    ['2015/16', 'niet zeker', 'aandeel', None, None, None, None]
    >>> row(p, "02DZ", record)[16:]  # doctest: +NORMALIZE_WHITESPACE
    ['personen', 'aandeel met Wilson-interval (wilson)', 'onderdrukt: groep kleiner dan 10',
     'onderdrukt']
    """
    region = key == REGION
    school = None if region else programme.school(key)
    level = record["level"]
    withheld = record.get("withheld", "")
    return [
        programme.name,
        "" if region else key,
        t("region.all", lang) if region else school.name,
        t(f"level.{level}", lang),
        record["scope"].rsplit("/", 1)[-1] if level == "location" else "",
        record.get("scope_name", ""),
        programme.project(record["project"]).label(lang),
        record["target"],
        record.get("title", ""),
        record.get("period", ""),
        Status(record["status"]).label(lang),
        _word("download.kind", record.get("kind", ""), lang),
        *(_number(record.get(k)) for k in ("estimate", "ci_lower", "ci_upper", "n")),
        _word("unit", record.get("unit", ""), lang),
        _word("method", record.get("method", ""), lang),
        t(f"download.withheld.{withheld}", lang, k=min_group) if withheld else "",
        record.get("shown", ""),
    ]


def rows(
    programme: Programme, results: Mapping[str, Sequence[Mapping]], lang: str = "nl"
) -> list[list[Cell]]:
    """Every record of every report (``results``: BRIN or ``regio`` -> records), sorted.

    Schools in the programme's order and the region last, then targets in the programme's
    order, then locations: the same results give the same rows in the same order.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> def record(target, project, level, scope):
    ...     return {"target": target, "project": project, "level": level, "scope": scope,
    ...             "status": "gehaald", "kind": "count", "estimate": 12}
    >>> table = rows(p, {
    ...     "regio": [record("halverwege-totaal", "halverwege", "region", "regio")],
    ...     "02DZ": [record("halverwege-per-locatie", "halverwege", "location", "02DZ/04"),
    ...              record("halverwege-per-locatie", "halverwege", "location", "02DZ/00")],
    ... })
    >>> [(r[COLUMNS.index("brin")], r[COLUMNS.index("location")]) for r in table]
    [('02DZ', '00'), ('02DZ', '04'), ('', '')]
    """
    schools = [s.brin for s in programme.participating]
    order = {brin: i for i, brin in enumerate(schools)}
    targets = {target.id: i for i, target in enumerate(programme.targets)}
    keyed = []
    for key, records in results.items():
        for record in records:
            where = (order.get(key, len(order)), key, targets.get(record["target"], len(targets)))
            keyed.append(((*where, record["target"], record["scope"]), key, record))
    keyed.sort(key=lambda item: item[0])
    return [row(programme, key, record, lang, programme.min_group) for _, key, record in keyed]


def results_files(
    programme: Programme, results: Mapping[str, Sequence[Mapping]], lang: str = "nl"
) -> dict[str, bytes]:
    """``results.csv`` and ``results.xlsx`` as bytes: the same results give the same bytes.

    The workbook's dates are the programme's reference date, never the time of the run.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> files = results_files(p, {"regio": []})
    >>> files["results.csv"].decode("utf-8").splitlines()[0][:40]
    'programma,brin,school,niveau,vestiging,w'
    >>> files == results_files(p, {"regio": []})
    True
    """
    table = rows(programme, results, lang)
    when = dt.datetime.combine(programme.reference_date, dt.time())
    return {
        RESULTS_CSV: csv_text(header(lang), table).encode("utf-8"),
        RESULTS_XLSX: xlsx_bytes(
            header(lang), table, sheet=t("download.sheet", lang), when=when, title=programme.name
        ),
    }
