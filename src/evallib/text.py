"""Every word a report reader sees, defined once, in Dutch and English.

Use :func:`t` with a key and keyword values; numbers are formatted the Dutch way
by :func:`pct` and :func:`num` (``24,3%``, ``1.234``).
"""

from __future__ import annotations

import datetime as dt
import math

LANGUAGES = ("nl", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    # statuses
    "status.gehaald": {"nl": "gehaald", "en": "met"},
    "status.op_koers": {"nl": "op koers", "en": "on track"},
    "status.niet_gehaald": {"nl": "niet gehaald", "en": "not met"},
    "status.nog_niet_meetbaar": {"nl": "nog niet meetbaar", "en": "not yet measurable"},
    "status.onvoldoende_gegevens": {"nl": "onvoldoende gegevens", "en": "insufficient data"},
    # reasons behind a status
    "reason.met": {"nl": "De uitkomst haalt het doel.", "en": "The outcome meets the target."},
    "reason.met_significant": {
        "nl": "De uitkomst haalt het doel en de verandering is groter dan toeval (95%-interval sluit 'geen verandering' uit).",
        "en": "The outcome meets the target and the change is larger than chance (the 95% interval excludes 'no change').",
    },
    "reason.not_met_interval": {
        "nl": "Ook de gunstige kant van het 95%-interval haalt het doel niet.",
        "en": "Even the favourable end of the 95% interval misses the target.",
    },
    "reason.not_met_point": {
        "nl": "De uitkomst haalt het doel niet.",
        "en": "The outcome misses the target.",
    },
    "reason.undecided": {
        "nl": "Het 95%-interval is te breed om te beslissen: het doel en het tegendeel zijn allebei mogelijk.",
        "en": "The 95% interval is too wide to decide: both meeting and missing the target are possible.",
    },
    "reason.not_significant": {
        "nl": "De uitkomst haalt het doel, maar is niet te onderscheiden van 'geen verandering' (95%-interval).",
        "en": "The outcome meets the target but cannot be told apart from 'no change' (95% interval).",
    },
    "reason.too_few": {
        "nl": "Te weinig gegevens: {group} heeft minder dan {min_n} personen.",
        "en": "Too little data: {group} has fewer than {min_n} persons.",
    },
    "reason.not_estimable": {
        "nl": "Niet te schatten: {detail}.",
        "en": "Cannot be estimated: {detail}.",
    },
    "reason.no_data": {
        "nl": "Geen gegevens aangeleverd voor {what}.",
        "en": "No data delivered for {what}.",
    },
    "reason.follow_up": {
        "nl": "Nog niemand uit de programmacohorten is {years} jaar gevolgd (langste: {max} jaar).",
        "en": "No one in the programme cohorts has been followed for {years} years yet (longest: {max} years).",
    },
    "reason.not_due": {
        "nl": "De eerste mijlpaal ({year}) valt na de peildatum.",
        "en": "The first milestone ({year}) falls after the reference date.",
    },
    "reason.milestone_met": {
        "nl": "Mijlpaal {year} gehaald: {count} (gepland {plan}).",
        "en": "Milestone {year} met: {count} (planned {plan}).",
    },
    "reason.milestone_above": {
        "nl": "Mijlpaal {year}: {count}, meer dan gepland ({plan}).",
        "en": "Milestone {year}: {count}, more than planned ({plan}).",
    },
    "reason.milestone_missed": {
        "nl": "Mijlpaal {year} niet gehaald: {count} (gepland {plan}).",
        "en": "Milestone {year} missed: {count} (planned {plan}).",
    },
    "reason.go": {
        "nl": "Go: {count}, minimaal {minimum} nodig.",
        "en": "Go: {count}, at least {minimum} needed.",
    },
    "reason.no_go": {
        "nl": "No-go: {count}, minimaal {minimum} nodig.",
        "en": "No-go: {count}, at least {minimum} needed.",
    },
    # power and minimum detectable effects
    "power.cannot_show": {
        "nl": "Met {n0} personen in de nulmeting en {n1} daarna is dit doel niet betrouwbaar aan te tonen: als het doel precies gehaald wordt, is de kans dat de gegevens dat laten zien {power}.",
        "en": "With {n0} persons in the baseline and {n1} after, this target cannot be shown reliably: if it is met exactly, the chance that the data show it is {power}.",
    },
    "power.mde_ratio": {
        "nl": "Pas een verandering van {mde} of meer is met 80% kans te zien.",
        "en": "Only a change of {mde} or more would be seen with 80% probability.",
    },
    "power.mde_none": {
        "nl": "Zelfs de grootst mogelijke verandering is met deze aantallen niet met 80% kans te zien.",
        "en": "Not even the largest possible change would be seen with 80% probability with these numbers.",
    },
    "power.mde_share": {
        "nl": "Met {n} personen is een afwijking van {mde} of meer van het doel aan te tonen.",
        "en": "With {n} persons a difference of {mde} or more from the target can be shown.",
    },
    "power.mde_difference": {
        "nl": "Met {n0} en {n1} respondenten is een verandering van {mde} of meer aan te tonen.",
        "en": "With {n0} and {n1} respondents a change of {mde} or more can be shown.",
    },
    "power.effective": {
        "nl": " (effectief: wie nog niet lang genoeg gevolgd is, telt maar deels mee)",
        "en": " (effective: those not yet followed long enough count only in part)",
    },
    # verdict sentences: one per kind of evidence and status (see evallib.verdicts)
    "verdict.ratio.gehaald": {
        "nl": "{subject} is {change}: van {baseline} in de nulmeting naar {outcome}; met 95% zekerheid ligt de verandering tussen {low} en {high}.",
        "en": "{subject} has {change}: from {baseline} in the baseline to {outcome}; with 95% confidence the change lies between {low} and {high}.",
    },
    "verdict.ratio.niet_gehaald": {
        "nl": "{subject} is niet {change}: van {baseline} in de nulmeting naar {outcome}; met 95% zekerheid ligt de verandering tussen {low} en {high}.",
        "en": "{subject} has not {change}: from {baseline} in the baseline to {outcome}; with 95% confidence the change lies between {low} and {high}.",
    },
    "verdict.ratio.onvoldoende_gegevens": {
        "nl": "Of {subject_lower} {change} is, valt niet te zeggen: van {baseline} in de nulmeting naar {outcome}, maar de verandering ligt met 95% zekerheid ergens tussen {low} en {high}.",
        "en": "Whether {subject_lower} has {change} cannot be told: from {baseline} in the baseline to {outcome}, but with 95% confidence the change lies anywhere between {low} and {high}.",
    },
    "verdict.share.gehaald": {
        "nl": "{subject} is {estimate} (95%: {low} tot {high}; {n}): het doel van {target} is gehaald.",
        "en": "{subject} is {estimate} (95%: {low} to {high}; {n}): the target of {target} is met.",
    },
    "verdict.share.niet_gehaald": {
        "nl": "{subject} is {estimate} (95%: {low} tot {high}; {n}): het doel van {target} is niet gehaald.",
        "en": "{subject} is {estimate} (95%: {low} to {high}; {n}): the target of {target} is not met.",
    },
    "verdict.share.onvoldoende_gegevens": {
        "nl": "{subject} is {estimate} (95%: {low} tot {high}; {n}): of het doel van {target} gehaald is, valt niet te zeggen.",
        "en": "{subject} is {estimate} (95%: {low} to {high}; {n}): whether the target of {target} is met cannot be told.",
    },
    "verdict.difference.gehaald": {
        "nl": "{subject} ging van {baseline} naar {outcome}: {change}, met 95% zekerheid tussen {low} en {high}; het doel ({target}) is gehaald.",
        "en": "{subject} went from {baseline} to {outcome}: {change}, with 95% confidence between {low} and {high}; the target ({target}) is met.",
    },
    "verdict.difference.niet_gehaald": {
        "nl": "{subject} ging van {baseline} naar {outcome}: {change}, met 95% zekerheid tussen {low} en {high}; het doel ({target}) is niet gehaald.",
        "en": "{subject} went from {baseline} to {outcome}: {change}, with 95% confidence between {low} and {high}; the target ({target}) is not met.",
    },
    "verdict.difference.onvoldoende_gegevens": {
        "nl": "{subject} ging van {baseline} naar {outcome}: {change}, maar met 95% zekerheid ligt de verandering ergens tussen {low} en {high}; of het doel ({target}) gehaald is, valt niet te zeggen.",
        "en": "{subject} went from {baseline} to {outcome}: {change}, but with 95% confidence the change lies anywhere between {low} and {high}; whether the target ({target}) is met cannot be told.",
    },
    "verdict.count.gehaald": {
        "nl": "{subject}: {count} in {year}, gepland {plan}: gehaald.",
        "en": "{subject}: {count} in {year}, planned {plan}: met.",
    },
    "verdict.count.op_koers": {
        "nl": "{subject}: {count} in {year}, gepland {plan}: op koers voor de volgende mijlpaal.",
        "en": "{subject}: {count} in {year}, planned {plan}: on track for the next milestone.",
    },
    "verdict.count.niet_gehaald": {
        "nl": "{subject}: {count} in {year}, gepland {plan}: niet gehaald.",
        "en": "{subject}: {count} in {year}, planned {plan}: not met.",
    },
    "verdict.count.above": {
        "nl": "{subject}: {count} in {year}, gepland {plan}: gehaald, meer dan gepland.",
        "en": "{subject}: {count} in {year}, planned {plan}: met, more than planned.",
    },
    "verdict.go": {
        "nl": "{subject}: {count} geselecteerd, minimaal {minimum} nodig: go.",
        "en": "{subject}: {count} selected, at least {minimum} needed: go.",
    },
    "verdict.no_go": {
        "nl": "{subject}: {count} geselecteerd, minimaal {minimum} nodig: no-go.",
        "en": "{subject}: {count} selected, at least {minimum} needed: no-go.",
    },
    "verdict.count.nog_niet_meetbaar": {
        "nl": "{subject}: de eerste mijlpaal ({year}) is nog niet bereikt.",
        "en": "{subject}: the first milestone ({year}) has not come yet.",
    },
    "verdict.suppressed": {
        "nl": "{subject}: {status}; de groepen zijn kleiner dan {min_group} personen, dus er worden geen getallen getoond.",
        "en": "{subject}: {status}; the groups are smaller than {min_group} persons, so no numbers are shown.",
    },
    "verdict.not_measurable": {
        "nl": "{subject} is nog niet te meten: {reason}",
        "en": "{subject} cannot be measured yet: {reason}",
    },
    "verdict.insufficient": {
        "nl": "{subject}: onvoldoende gegevens. {reason}",
        "en": "{subject}: insufficient data. {reason}",
    },
    # survey questions, as readers know them
    "item.tevredenheid": {"nl": "de school in het algemeen", "en": "the school in general"},
    "item.inzetbaarheid": {
        "nl": "de eigen duurzame inzetbaarheid",
        "en": "their own sustainable employability",
    },
    "item.samenwerking": {
        "nl": "de samenwerking met collega's",
        "en": "collaboration with colleagues",
    },
    "item.digitaal": {"nl": "de digitale lessen", "en": "the digital lessons"},
    # groups
    "group.baseline": {"nl": "de nulmeting", "en": "the baseline"},
    "group.outcome": {"nl": "de meting", "en": "the outcome group"},
    # levels
    "level.location": {"nl": "locatie", "en": "location"},
    "level.school": {"nl": "school", "en": "school"},
    "level.region": {"nl": "regio", "en": "region"},
    "region.all": {
        "nl": "Regio (alle deelnemende scholen)",
        "en": "Region (all participating schools)",
    },
    "region.comparison": {"nl": "Vergelijkingsscholen", "en": "Comparison schools"},
    # synthetic data
    "synthetic.banner": {
        "nl": "SYNTHETISCHE DATA — geen echte schoolgegevens",
        "en": "SYNTHETISCHE DATA — geen echte schoolgegevens (synthetic data, not real school data)",
    },
}


def t(key: str, lang: str = "nl", **values: object) -> str:
    """Look up a text and fill in its values.

    Examples
    --------
    >>> t("status.onvoldoende_gegevens"), t("status.onvoldoende_gegevens", "en")
    ('onvoldoende gegevens', 'insufficient data')
    >>> t("reason.too_few", group="de nulmeting", n=6, min_n=10)
    'Te weinig gegevens: de nulmeting heeft minder dan 10 personen.'
    """
    entry = CATALOGUE[key]
    return entry.get(lang, entry["nl"]).format(**values)


def num(value: float, decimals: int = 0, lang: str = "nl") -> str:
    """Format a number the Dutch way (thousands '.', decimals ',').

    Examples
    --------
    >>> num(1234), num(0.5, 2), num(1234.5, 1, "en")
    ('1.234', '0,50', '1,234.5')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def pct(share: float, decimals: int = 1, lang: str = "nl") -> str:
    """Format a share (0–1) as a percentage.

    Examples
    --------
    >>> pct(0.243), pct(0.2), pct(float("nan"))
    ('24,3%', '20,0%', '–')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return num(100 * share, decimals, lang) + "%"


def pp(diff: float, decimals: int = 1, lang: str = "nl") -> str:
    """Format a difference of shares in percentage points, with its sign.

    Examples
    --------
    >>> pp(0.053), pp(-0.02)
    ('+5,3 procentpunt', '−2,0 procentpunt')
    """
    if diff is None or (isinstance(diff, float) and math.isnan(diff)):
        return "–"
    sign = "+" if diff >= 0 else "−"
    unit = " procentpunt" if lang == "nl" else " percentage points"
    return sign + num(abs(100 * diff), decimals, lang) + unit


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(day: dt.date) -> str:
    """Examples
    --------
    >>> dutch_date(dt.date(2016, 7, 31))
    '31 juli 2016'
    """
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
