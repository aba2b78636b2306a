"""The start page of the reports (``index.html``) and the page for a school that failed."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .changes import compare
from .errors import Problem
from .html import Html, badge, page, table, tag
from .programme import Programme, School
from .status import Status
from .text import long_date

if TYPE_CHECKING:
    from .run import SchoolOutcome

# A failure page is a report too: it may show what was found only where that says nothing
# about a person (codes, years, project names), never ids, birth years, dates or hours.
_SHOWN = {"brin", "vestiging", "schooljaar", "project", "rol", "groep"}


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
    shown.textContent = n + " van " + rows.length + " scholen";
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
        var d = numeric ? Number(x) - Number(y) : x.localeCompare(y, "nl");
        return ascending ? d : -d;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
"""


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
                    tag("summary", f"{len(outcome.results)} doelen"),
                    tag(
                        "ul",
                        [
                            tag(
                                "li",
                                [
                                    badge(Status(r["status"]), lang),
                                    " "
                                    + r["title"]
                                    + (f" ({r['scope_name']})" if r["level"] == "location" else ""),
                                ],
                            )
                            for r in outcome.results
                        ],
                    ),
                ],
            )
        else:
            detail = Html(tag("strong", "rapport niet gemaakt: ") + tag("span", outcome.error))
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
                    header("School", "text"),
                    header("Plaats", "text"),
                    header("BRIN", "text"),
                    *[
                        header(
                            badge(s, lang), "number", f"aantal doelen met status {s.label(lang)}"
                        )
                        for s in statuses
                    ],
                    header("Doelen", "number", "rapport gemaakt of niet"),
                    *(
                        [
                            header(
                                "Veranderd",
                                "number",
                                "doelen waarvan status of uitkomst veranderde",
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
        [tag("option", "alle statussen", value="")]
        + [
            tag("option", f"met minstens één doel '{s.label(lang)}'", value=s.value)
            for s in statuses
        ]
        + [tag("option", "rapport niet gemaakt", value="failed")]
    )
    controls = tag(
        "div",
        [
            tag("label", ["Zoek school of plaats ", tag("input", "", id="search", type="search")]),
            tag("label", [" Toon ", tag("select", options, id="status")]),
            tag("span", "", id="shown", role="status"),
        ],
        id="controls",
        class_="controls",
        hidden="hidden",
    )
    intro = (
        f"Evaluatie van het programma '{programme.name}'. Peildatum {long_date(programme.reference_date)}. "
        "Per school het aantal doelen per status; open een rapport voor de onderbouwing met nulmeting, "
        "meting, 95%-interval en n."
    )
    regio_link = (
        tag("a", "Regio-overzicht", href=regio.report)
        if regio.ok
        else "Regio-overzicht (niet gemaakt: " + regio.error + ")"
    )
    failed = sum(not o.ok for o in outcomes)
    body = Html(
        "".join(
            [
                tag("h1", f"Rapporten {programme.region}"),
                tag("p", intro),
                tag(
                    "p",
                    [
                        tag("strong", [regio_link]),
                        " – alle scholen vergeleken, met de vergelijkingsscholen.",
                    ],
                ),
                tag("h2", f"Scholen ({len(outcomes)})"),
                tag(
                    "p",
                    f"Van {failed} school/scholen kon geen rapport worden gemaakt; de link geeft de reden.",
                    class_="note",
                )
                if failed
                else "",
                controls,
                tag(
                    "div",
                    [tag("table", [head, tag("tbody", rows)], id="schools", class_="data index")],
                    class_="table-wrap",
                ),
                tag(
                    "p",
                    "Een status is nooit alleen een kleur: er staat altijd een symbool en een woord bij. "
                    "Klik op een kolomkop om te sorteren.",
                    class_="note",
                ),
            ]
        )
    )
    return page(f"Rapporten {programme.name}", body, synthetic=synthetic, lang=lang, script=_SCRIPT)


def _problem_row(p: Problem) -> list[str]:
    found = (
        p.found if p.row is None or p.column in _SHOWN else "(niet getoond; zie evallib validate)"
    )
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
    """A readable Dutch page saying why a school's report could not be made and what to do."""
    parts = [
        tag("h1", school.name),
        tag(
            "p",
            [tag("strong", "Het rapport voor deze school kon niet worden gemaakt: "), reason + "."],
        ),
    ]
    if problems:
        parts += [
            tag(
                "p",
                "De aangeleverde bestanden bevatten fouten. Zolang die er zijn, telt de school niet mee in "
                "de evaluatie, zodat er nooit een half gelezen aanlevering wordt beoordeeld. "
                "Verbeter de bestanden en lever ze opnieuw aan.",
            ),
            table(
                ["Bestand", "Regel", "Kolom", "Probleem", "Verwacht", "Gevonden"],
                [_problem_row(p) for p in problems[:200]],
            ),
        ]
        if len(problems) > 200:
            parts.append(
                tag(
                    "p",
                    f"En nog {len(problems) - 200} fouten; zie 'evallib validate'.",
                    class_="note",
                )
            )
    else:
        parts.append(
            tag(
                "p",
                "Er ging iets mis bij het maken van het rapport. Neem contact op met de beheerder van "
                "de evaluatie en geef deze melding door:",
            )
        )
        if detail:
            parts.append(tag("pre", detail.strip()))
    return page(
        f"{school.name} – rapport niet gemaakt",
        Html("".join(parts)),
        synthetic=synthetic,
        lang=lang,
    )
