"""Check the references between parts of a programme: what a target names must exist and fit.

The models of :mod:`evallib.contract.model` check each part on its own (types, unknown keys);
:func:`reference_problems` checks the parts against each other: unique ids, participants
that are schools and locations of the programme, targets whose project, role, indicator,
survey item, category and shape exist and fit the measure. :mod:`evallib.contract.programme`
turns each problem into a :class:`~evallib.core.errors.ProgrammeError` at the right line.
"""

from __future__ import annotations

from collections.abc import Iterator

from evallib.contract.measures import SHAPES_FOR_KIND, Indicator
from evallib.contract.model import Programme
from evallib.contract.targets import Target

Problem = tuple[tuple[str | int, ...], str, str, object]  # path, message, expected, found


def reference_problems(p: Programme) -> list[Problem]:
    """Everything that refers to something the file does not define, or does not fit it.

    Each problem is ``(path, message, expected, found)``; the path points into the file.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> reference_problems(load_programme("programmes/haaglanden-2013.yaml"))
    []
    """
    return [*_unique(p), *_participants(p), *_target_problems(p)]


def _unique(p: Programme) -> Iterator[Problem]:
    for what, items in (
        ("schools", [s.brin for s in p.schools]),
        ("projects", [pr.id for pr in p.projects]),
        ("indicators", [i.id for i in p.indicators]),
    ):
        for index, key in enumerate(items):
            if key in items[:index]:
                yield ((what, index), "Komt twee keer voor", "unieke waarde", key)
    seen: set[str] = set()
    for path, target in _targets(p):
        if target.id in seen:
            yield ((*path, "id"), "Een doel-id komt twee keer voor", "unieke id", target.id)
        seen.add(target.id)
    for item_id, item in p.survey.items.items():
        for group in item.groups:
            if group not in p.survey.groups:
                yield (
                    ("survey", "items", item_id, "groups"),
                    "Onbekende groep respondenten",
                    ", ".join(p.survey.groups) or "(geen groepen onder survey.groups)",
                    group,
                )


def _participants(p: Programme) -> Iterator[Problem]:
    by_brin = {s.brin: s for s in p.schools}
    for i, project in enumerate(p.projects):
        for brin, locations in project.participants.items():
            where = ("projects", i, "participants", brin)
            school = by_brin.get(brin)
            if school is None:
                yield (where, "Onbekende school", "een BRIN uit schools", brin)
                continue
            if school.is_comparison:
                yield (
                    where,
                    "Een vergelijkingsschool doet niet mee aan projecten",
                    "een deelnemende school",
                    brin,
                )
            for loc in locations:
                if loc not in school.locations:
                    yield (where, "Onbekende vestiging", ", ".join(school.locations), loc)


def _targets(p: Programme) -> Iterator[tuple[tuple[str | int, ...], Target]]:
    for i, project in enumerate(p.projects):
        for j, target in enumerate(project.targets):
            yield ("projects", i, "targets", j), target


def _target_problems(p: Programme) -> Iterator[Problem]:
    projects = {project.id: project for project in p.projects}
    indicators = {spec.id: spec for spec in p.indicators}
    for path, target in _targets(p):
        measure = target.measure
        where = (*path, "measure")
        ref = target.measure.role_ref
        if ref is not None:
            project_id = ref[0] or target.project
            if project_id not in projects:
                yield ((*where, "project"), "Onbekend project", ", ".join(projects), project_id)
            elif ref[1] not in projects[project_id].roles:
                yield (
                    (*where, "role"),
                    f"Onbekende rol in project '{project_id}'",
                    ", ".join(projects[project_id].roles) or "(het project noemt geen roles)",
                    ref[1],
                )
        if measure.name == "survey_positive":
            yield from _survey_problems(p, where, measure)
        if isinstance(measure, Indicator):
            if measure.indicator not in indicators:
                yield (
                    (*where, "indicator"),
                    "Onbekende indicator",
                    ", ".join(indicators) or "(geen indicatoren)",
                    measure.indicator,
                )
                continue
            if target.levels != ("region",):
                yield (
                    (*path, "levels"),
                    "Een indicator geldt voor de regio",
                    "[region]",
                    list(target.levels),
                )
        kind = p.kind_of(target)
        if target.shape not in SHAPES_FOR_KIND[kind]:
            yield (
                (*path, "shape"),
                f"Vorm '{target.shape}' past niet bij maat '{measure.name}' ({kind.value})",
                ", ".join(SHAPES_FOR_KIND[kind]),
                target.shape,
            )
        if target.shape == "distribution":
            known = p.categories_of(target)
            for part in target.category_parts:
                if part not in known:
                    yield ((*path, "category"), "Onbekende categorie", ", ".join(known), part)
        if target.shape == "go_no_go" and measure.name == "selected" and target.by is None:
            yield (
                (*path, "by"),
                "Een go/no-go op selectie heeft een datum nodig",
                "by: JJJJ-MM-DD",
                None,
            )
        if not isinstance(measure, Indicator):
            yield from _school_year_problems(path, target)


def _survey_problems(p: Programme, where: tuple, measure) -> Iterator[Problem]:
    if measure.group not in p.survey.groups:
        yield (
            (*where, "group"),
            "Onbekende groep respondenten",
            ", ".join(p.survey.groups) or "(geen survey.groups)",
            measure.group,
        )
    item = p.survey.items.get(measure.item)
    if item is None:
        yield (
            (*where, "item"),
            "Onbekende vraag",
            ", ".join(p.survey.items) or "(geen survey.items)",
            measure.item,
        )
    elif measure.group not in item.groups:
        yield (
            (*where, "item"),
            f"Vraag '{measure.item}' is niet aan '{measure.group}' gesteld",
            ", ".join(item.groups),
            measure.group,
        )


def _school_year_problems(path: tuple, target: Target) -> Iterator[Problem]:
    """School files count in school years: their targets name school years."""
    periods = []
    for key in ("year", "from_", "to"):
        value = getattr(target, key, None)
        if value is not None:
            periods += [
                (key.rstrip("_"), v) for v in (value if isinstance(value, tuple) else (value,))
            ]
    periods += [("milestones", m.year) for m in getattr(target, "milestones", ())]
    for key, period in periods:
        if not period.school:
            yield (
                (*path, key),
                "Schoolgegevens tellen in schooljaren",
                "schooljaar als 2013/14",
                period.label,
            )
