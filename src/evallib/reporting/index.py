"""The start page of the reports (``index.html``) and the page for a school that failed."""

from __future__ import annotations

import json
import string
from collections import Counter
from typing import Protocol

from evallib.contract.programme import Programme, School
from evallib.core.errors import Problem
from evallib.core.text import long_date, t, t_count
from evallib.evaluation.status import Status
from evallib.reporting.changes import compare
from evallib.reporting.html import Html, badge, page, render, tag


class SchoolOutcome(Protocol):
    """What the index reads of how one report went (the run's outcome records have these)."""

    brin: str
    ok: bool
    report: str
    error: str
    results: list


# A failure page is a report too: it may show what was found only where that says nothing
# about a person (codes, years, project names), never ids, birth years, dates or hours.
_SHOWN = {"brin", "vestiging", "schooljaar", "project", "rol", "groep"}
_PROBLEM_COLUMNS = ("file", "row", "column", "problem", "expected", "found")
_LISTED = 200  # problems listed on a failure page; the rest are counted

#: The start page's file name, beside every report it links to (and that links back to it).
INDEX = "index.html"


_SCRIPT = """
(function () {
  var table = document.getElementById("schools");
  if (!table) { return; }
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var controls = document.getElementById("controls");
  var search = document.getElementById("search"), status = document.getElementById("status");
  var shown = document.getElementById("shown");
  controls.hidden = false;
  function apply() {
    var q = search.value.trim().toLowerCase(), s = status.value, n = 0;
    rows.forEach(function (row) {
      var ok = row.getAttribute("data-search").indexOf(q) !== -1 &&
               (!s || Number(row.getAttribute("data-" + s.replace(/_/g, "-"))) > 0);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = __SHOWN__;
  }
  search.addEventListener("input", apply);
  status.addEventListener("change", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-value"), y = b.cells[column].getAttribute("data-value");
        var d = numeric ? Number(x) - Number(y) : x.localeCompare(y, __LANG__);
        return ascending ? d : -d;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
"""


def _js(text: str) -> str:
    """A JavaScript string literal of ``text`` that cannot end the inline script."""
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


def _shown_expression(lang: str) -> str:
    """The script's 'n of N schools' as a JavaScript expression, from the catalogue.

    The text's ``{shown}`` and ``{total}`` blanks become the script's counts.
    """
    values = {"shown": "n", "total": "rows.length"}
    parts = []
    for literal, name, _, _ in string.Formatter().parse(
        t("index.shown", lang, shown="{shown}", total="{total}")
    ):
        if literal:
            parts.append(_js(literal))
        if name:
            parts.append(values[name])
    if len(parts) > 1 and parts[0] in values.values() and parts[1] in values.values():
        parts.insert(0, '""')  # two numbers first would be added, not joined
    return " + ".join(parts)


def script(lang: str = "nl") -> str:
    """The index page's inline script, with its words in ``lang``."""
    return _SCRIPT.replace("__SHOWN__", _shown_expression(lang)).replace("__LANG__", _js(lang))


def _target_title(programme: Programme, record: dict, lang: str) -> str:
    """A result record's target title in ``lang`` (records hold the title they were made with)."""
    if lang == "nl":
        return record["title"]
    target = next((x for x in programme.targets if x.id == record.get("target")), None)
    return record["title"] if target is None else target.label(lang)


def _cell(content: object, value: object, **attrs: object) -> Html:
    return tag("td", content if isinstance(content, list) else [content], data_value=value, **attrs)


def index_page(
    programme: Programme,
    outcomes: list[SchoolOutcome],
    regio: SchoolOutcome,
    synthetic: bool,
    lang: str = "nl",
    previous: dict[str, list[dict]] | None = None,
) -> str:
    """Every participating school with the status of each of its targets, and links.

    With ``previous`` (an earlier run's status records, ``--compare-to``) a column
    counts per school the targets whose status or number changed.

    A plain table that reads without scripts; a small inline script (nothing is
    fetched) adds a search box, a status filter and sorting by any column, so
    it stays usable with 1,500 locations.
    """
    statuses = list(Status)
    rows = []
    for outcome in outcomes:
        school = programme.school(outcome.brin)
        counts = Counter(Status(r["status"]) for r in outcome.results)
        if outcome.ok:
            detail = tag(
                "details",
                [
                    tag(
                        "summary",
                        t_count("index.targets_count", len(outcome.results), lang),
                    ),
                    tag(
                        "ul",
                        [
                            tag(
                                "li",
                                [
                                    badge(Status(r["status"]), lang),
                                    " "
                                    + _target_title(programme, r, lang)
                                    + (f" ({r['scope_name']})" if r["level"] == "location" else ""),
                                ],
                            )
                            for r in outcome.results
                        ],
                    ),
                ],
            )
        else:
            detail = Html(
                tag("strong", t("index.not_made", lang) + ": ") + tag("span", outcome.error)
            )
        cells = [
            _cell(tag("a", school.name, href=outcome.report), school.name),
            _cell(school.place, school.place),
            _cell(outcome.brin, outcome.brin),
            *[
                _cell(str(counts[s]) if counts[s] else "", counts[s], class_="num")
                for s in statuses
            ],
            _cell(detail, 0 if outcome.ok else 1),
        ]
        if previous is not None:
            changed = len(compare(previous.get(outcome.brin, []), outcome.results))
            cells.append(
                _cell(
                    tag("a", str(changed), href=f"{outcome.report}#veranderd") if changed else "0",
                    changed,
                    class_="num",
                )
            )
        data = {f"data_{s.value}": counts[s] for s in statuses}
        search = f"{school.name} {school.place} {outcome.brin}".lower()
        rows.append(
            tag("tr", cells, data_search=search, data_failed=0 if outcome.ok else 1, **data)
        )

    def header(label: str, kind: str, title: str | None = None) -> Html:
        return tag(
            "th", [tag("button", label, type="button", title=title)], scope="col", data_type=kind
        )

    head = tag(
        "thead",
        [
            tag(
                "tr",
                [
                    header(t("index.school", lang), "text"),
                    header(t("index.place", lang), "text"),
                    header(t("index.brin", lang), "text"),
                    *[
                        header(
                            badge(s, lang),
                            "number",
                            t("index.status_count_title", lang, status=s.label(lang)),
                        )
                        for s in statuses
                    ],
                    header(t("index.targets", lang), "number", t("index.targets_title", lang)),
                    *(
                        [
                            header(
                                t("index.changed", lang),
                                "number",
                                t("index.changed_title", lang),
                            )
                        ]
                        if previous is not None
                        else []
                    ),
                ],
            )
        ],
    )
    options = (
        [tag("option", t("index.all_statuses", lang), value="")]
        + [
            tag("option", t("index.with_status", lang, status=s.label(lang)), value=s.value)
            for s in statuses
        ]
        + [tag("option", t("index.not_made", lang), value="failed")]
    )
    controls = tag(
        "div",
        [
            tag(
                "label",
                [t("index.search", lang) + " ", tag("input", "", id="search", type="search")],
            ),
            tag("label", [" " + t("index.show", lang) + " ", tag("select", options, id="status")]),
            tag("span", "", id="shown", role="status"),
        ],
        id="controls",
        class_="controls",
        hidden="hidden",
    )
    intro = t(
        "index.intro",
        lang,
        programme=programme.name,
        date=long_date(programme.reference_date, lang),
    )
    regio_link = (
        tag("a", t("index.overview", lang), href=regio.report)
        if regio.ok
        else t("index.overview_not_made", lang, error=regio.error)
    )
    failed = sum(not o.ok for o in outcomes)
    body = Html(
        "".join(
            [
                tag("h1", t("index.heading", lang, region=programme.region)),
                tag("p", intro),
                tag(
                    "p",
                    [
                        tag("strong", [regio_link]),
                        " – " + t("index.overview_about", lang),
                    ],
                ),
                tag("h2", t("index.schools_heading", lang, n=len(outcomes))),
                tag("p", t("index.failed_note", lang, n=failed), class_="note") if failed else "",
                controls,
                tag(
                    "div",
                    [tag("table", [head, tag("tbody", rows)], id="schools", class_="data index")],
                    class_="table-wrap",
                ),
                tag("p", t("index.legend", lang), class_="note"),
            ]
        )
    )
    return page(
        t("index.title", lang, programme=programme.name),
        body,
        synthetic=synthetic,
        lang=lang,
        script=script(lang),
    )


def _problem_row(p: Problem, lang: str = "nl") -> list[str]:
    found = p.found if p.row is None or p.column in _SHOWN else t("failure.not_shown", lang)
    return [
        p.file,
        "" if p.row is None else str(p.row),
        p.column or "",
        p.message,
        p.expected,
        found,
    ]


def failure_page(
    school: School,
    problems: list[Problem],
    reason: str,
    synthetic: bool,
    lang: str = "nl",
    detail: str = "",
) -> str:
    """A readable page (in ``lang``) saying why a school's report could not be made and what to do.

    The first 200 problems are listed; values that could identify a person are not shown.

    Examples
    --------
    >>> from evallib.contract.programme import School
    >>> school = School("01GX", "Christelijk Lyceum Delft", "Delft", "participant", {})
    >>> html = failure_page(school, [], "no delivery found", False, "en")
    >>> "<strong>The report for this school could not be made: </strong>no delivery found." in html
    True
    """
    shown = problems[:_LISTED]
    return render(
        "failure.html.j2",
        title=t("failure.title", lang, school=school.name),
        synthetic=synthetic,
        lang=lang,
        home=INDEX,
        school=school.name,
        lead=t("failure.lead", lang),
        reason=reason,
        errors=t("failure.errors", lang),
        header=[t(f"failure.{column}", lang) for column in _PROBLEM_COLUMNS],
        problems=[_problem_row(p, lang) for p in shown],
        more=t("failure.more", lang, n=len(problems) - len(shown))
        if len(problems) > len(shown)
        else "",
        unexpected=t("failure.unexpected", lang),
        detail=detail.strip(),
    )
