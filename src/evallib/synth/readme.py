"""``LEESMIJ.md`` of a synthetic set: what it is, how it was made, what is planted (in Dutch).

Part of :mod:`evallib.synth`. The planted effects are told from the plan
(:mod:`evallib.synth.plan`), or in the companion file's own words (its ``leesmij``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from evallib.contract.schema import SYNTHETIC_MARK
from evallib.core.text import t
from evallib.synth.kinds import RolePlan
from evallib.synth.plan import SynthPlan

_EXTRA = """- Met `--locations` zijn echte DUO-locaties als extra scholen toegevoegd; het uitgebreide
  programma staat in `programma.yaml`. Extra scholen doen mee aan één of twee projecten
  (vast gekozen uit hun BRIN), ongeveer één op tien is vergelijkingsschool; voor hen gelden
  dezelfde regels als hieronder, zonder de bijzonderheden van de scholen uit het programma.
"""
_REGION = """- Naast de schoolmappen: `indicatoren.csv`, de cijfers van de regio per indicator uit het
  programma (ook met `# {mark}` op de eerste regel).
"""
_README = """# {mark}

Deze map bevat **verzonnen** gegevens. Geen enkele regel gaat over een echte docent,
leerling of enquête. Alleen de namen, BRIN-codes, vestigingsnummers en leerlingaantallen
van de scholen zijn echt (DUO open onderwijsdata, CC0); daarmee zijn de locaties even
groot gemaakt als in werkelijkheid (ongeveer één docent per {pupils_per_teacher} leerlingen).
Gebruik deze set om de bibliotheek, de notebooks en de rapporten te proberen en te testen,
nooit om iets over deze scholen te concluderen.

## Hoe gemaakt

- Commando: `{command}` (Python: `evallib.synth.generator.generate`).
- Seed {seed}, programma `{programme}`, peildatum {reference_date}, {locations} locaties.
- Dezelfde seed en dezelfde versie van evallib geven byte voor byte dezelfde bestanden.
- Elke school heeft een eigen toevalsstroom: de gegevens van de ene school hangen niet
  af van die van de andere.
- Per school: `personeel`, `deelname` (alleen deelnemende scholen), `lesuren` en `enquete`,
  in het formaat dat die school gebruikt (zie de tabel). Elk CSV-bestand begint met de
  regel `# {mark}`; elk Excel-bestand heeft een werkblad `LEESMIJ`.
{extra}
| BRIN | school | rol | locaties | formaat |
|---|---|---|---|---|
{rows}

## Wat er is 'geplant'

De ware waarden staan per school en locatie in `planted.json`. Een eerlijke evaluatie
moet ze (binnen de toevalsmarge) terugvinden.

{bullets}"""


def write_readme(path: Path, planted: dict, plan: SynthPlan) -> Path:
    """Write ``LEESMIJ.md``: what this set is, how it was made, what is planted.

    The companion file's ``leesmij`` may use ``{hazard_0}`` and ``{hazard_1}`` (the yearly
    risks of leaving of starters before and in the programme) and the keys of
    ``planted.json``'s ``settings``.
    """
    settings = planted["settings"]
    rows = "\n".join(
        f"| {brin} | {school['name']} | {t('school_role.' + school['role'], 'nl')} | {len(school['locations'])} "
        f"| {school['file_format']} |"
        for brin, school in planted["schools"].items()
    )
    fields = {
        **settings,
        "mark": SYNTHETIC_MARK,
        "hazard_0": _decimal(settings["starter_hazard_per_year"]["baseline"], 4),
        "hazard_1": _decimal(settings["starter_hazard_per_year"]["programme"], 4),
    }
    extra = (_REGION.format(mark=SYNTHETIC_MARK) if plan.programme.indicators else "") + (
        _EXTRA if "--locations" in settings["command"] else ""
    )
    bullets = plan.settings.leesmij or planted_bullets(plan)
    text = _README.format(rows=rows, extra=extra, bullets=bullets.format(**fields), **fields)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def _decimal(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _pct(value: float) -> str:
    """A share as Dutch percent digits: ``0.035`` → ``3,5``."""
    return f"{100 * value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _path(values: tuple[float, ...]) -> str:
    return " → ".join(_pct(v) for v in values) + " %"


def planted_bullets(plan: SynthPlan) -> str:
    """What is planted, told from the plan (when the companion file does not tell it).

    Braces are doubled where the text is later filled in (``{hazard_0}`` stays a field).
    """
    p = plan.programme
    names = {project.id: project.name for project in p.projects}
    drop = plan.dropout_3y
    treated = ", ".join(names[i] for i in sorted(plan.starter_projects))
    lines = [
        "- **Uitval van starters.** De tijd tot vertrek is exponentieel (constant risico) vanaf "
        f"de eerste werkdag. Ware uitval binnen 3 jaar: {_pct(drop['baseline'])} % (risico "
        "{hazard_0} per jaar) voor de cohorten van de nulmeting"
        + (
            f", en voor de programmacohorten op de locaties van {treated} {_pct(drop['programme'])} % "
            "(risico {hazard_1} per jaar)"
            if treated
            else ""
        )
        + f". Elders blijft het {_pct(drop['baseline'])} %. Recente cohorten zijn nog niet drie "
        "jaar gevolgd (gecensureerd): een simpel 'vertrokken / gestart' ligt daardoor te laag."
    ]
    low, high = plan.band
    rate = plan.leaving
    bands = ", ".join(names[r.project] for r in plan.of_kind("band"))
    lines.append(
        f"- **Vertrek naar leeftijd.** Docenten jonger dan {low} vertrekken {_pct(rate['under_band'])} % "
        f"per jaar (anders dan met pensioen), van {low}–{high} jaar {_pct(rate['band'])} %, ouder "
        f"{_pct(rate['over_band'])} %"
        + (
            f"; deelnemers aan {bands} vanaf hun eerste deelnamejaar {_pct(rate['band_participants'])} %"
            if bands
            else ""
        )
        + "."
    )
    lines += _team_lines(plan) + _survey_lines(plan)
    roles = "; ".join(f"{names[r.project]}, {_label(p, r)}: {_how(r)}" for r in plan.roles)
    lines.append(f"- **Deelname.** {roles}.")
    for project, brins in sorted(plan.missing.items()):
        if brins:
            schools = ", ".join(p.school(b).name for b in sorted(brins))
            lines.append(
                f"- **Doelen gemist.** {schools}: haalt de doelen van {names[project]} niet "
                "(minder deelnemers, minder digitale lessen, geen stijging in de enquête)."
            )
    if p.indicators:
        lines.append(
            "- **Cijfers van de regio.** `indicatoren.csv` geeft per indicator een reeks; "
            "sommige doelen worden gehaald, andere niet (de waarden staan in `planted.json`)."
        )
    return "".join(_wrap(line) for line in lines)


def _wrap(line: str) -> str:
    """A bullet wrapped as the rest of the file is (continuation lines indented)."""
    glued = line.replace(" %", "\0%").replace(" →", "\0→")
    text = textwrap.fill(glued, width=92, subsequent_indent="  ", break_long_words=False)
    return text.replace("\0", " ") + "\n"


def _team_lines(plan: SynthPlan) -> list[str]:
    teams = plan.of_kind("team")
    if not teams:
        return []
    who = ", ".join(_label(plan.programme, r) for r in teams)
    return [
        "- **Digitale didactiek.** Aandeel lesuren per docent ~ Beta rond een gemiddelde. "
        f"{who}: {_path(plan.digital_team)}; scholen die het doel missen {_path(plan.digital_missed)}; "
        f"alle anderen {_path(plan.digital_others)}."
    ]


def _survey_lines(plan: SynthPlan) -> list[str]:
    p = plan.programme
    moved = [
        f"{p.survey.items[item].label} op de locaties van "
        f"{', '.join(p.project(i).name for i in sorted(projects))} van {_pct(flat)} % naar {_pct(last)} %"
        for item, (flat, projects, last) in plan.survey.items()
        if projects
    ]
    if not p.survey.items:
        return []
    return [f"- **Enquête.** Aandeel 4 of 5: {'; '.join(moved) or 'overal'}; verder vlak."]


def _label(p, role: RolePlan) -> str:
    return p.project(role.project).role_label(role.role)


def _how(role: RolePlan) -> str:
    if role.kind == "induction":
        return f"elke starter van de laatste {role.cohorts} cohorten die er werkt"
    if role.kind == "band":
        low, high = role.sizes
        return f"{low}–{high} per locatie, van {role.ages[0]}–{role.ages[1]} jaar"
    if role.kind == "experienced":
        return f"{role.size} per locatie, gekozen in het eerste programmajaar"
    if role.kind == "selected":
        sized = [f"{size} ({on_time} op tijd)" for _, size, on_time, _ in role.groups if size]
        return "groepen van " + ", ".join(sized) if sized else "ongeveer één per 17 docenten"
    if role.kind == "team":
        return f"teams van ongeveer {role.size} per school"
    if role.kind == "pairs":
        return f"paren van een docent van {role.ages[0]}+ met een starter, {role.sizes[0]}–{role.sizes[1]} per school"
    return "het geplande aantal per locatie en jaar"
