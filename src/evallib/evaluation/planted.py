"""Names in ``planted.json`` that depend on the programme, shared by the generator and recovery.

The synthetic generator (:mod:`evallib.synth`) writes the truth it planted to
``planted.json``; :mod:`evallib.evaluation.recovery` reads it back. Most keys are fixed
(``starter_dropout_3y``, ``survey_share_4_or_5``, ``participation``); the few that name an
age band, a project or a role are made here, so both sides agree.
"""

from __future__ import annotations

import datetime as dt

from evallib.core.text import day_month


def leaving_keys(low: int, high: int, projects: list[str]) -> dict[str, str]:
    """Keys of ``leaving_per_year_non_retirement``: below, in and above the age band, and
    per project the band's participants.

    Examples
    --------
    >>> leaving_keys(40, 55, ["p"])
    {'under_band': 'under_40', 'band': 'age_40_55', 'over_band': 'over_55', 'p': 'age_40_55_p'}
    """
    return {
        "under_band": f"under_{low}",
        "band": f"age_{low}_{high}",
        "over_band": f"over_{high}",
        **{project: f"age_{low}_{high}_{project}" for project in projects},
    }


def selection_keys(role: str, people: str, by: dt.date) -> tuple[str, str, str]:
    """Keys of a selection group: the block (per role), the number selected, and by the date.

    ``people`` is the role's name for its people (its English label, e.g. ``coaches``).

    Examples
    --------
    >>> selection_keys("co-ach", "coaches", dt.date(2024, 5, 31))
    ('coach_selection_planned', 'coaches', 'selected_by_31_may')
    """
    month = day_month(by, "en").split()[1].lower()
    return f"{role.replace('-', '')}_selection_planned", people, f"selected_by_{by.day}_{month}"
